"""The annual report's equality and health inequalities reach, as document blocks (PDF and Word).

Three answers are never merged (ADR 0008): a number of people (small numbers suppressed), reached
with the number not recorded, and no record; "recorded as 0" is listed apart from "no record of
reaching". Protected characteristics are reported by category; counts recorded against a whole
characteristic ("category not recorded") are shown as monitoring, not as who took part.
"""

from engagements.models import KIND_HEADINGS, AudienceKind
from reports.dashboard.figures import reach_lists
from reports.document import Bullets, Heading, Paragraph, Table
from reports.statement import _listing

OTHER_KINDS = (AudienceKind.INCLUSION_GROUP, AudienceKind.COMMUNITY)
KIND_NOT_VERIFIED = (
    "We could not verify this grouping in the statutory guidance itself: it follows NHS England's "
    "description of communities (people connected by where they live, how they identify or shared "
    "interests or experience) in its course on the 2022 statutory guidance. These are not inclusion "
    "health groups."
)


def _source_note(group) -> Paragraph:
    checked = "" if group.categories_verified else " We could not verify this list against its source."
    return Paragraph(f"Categories: {group.categories_source}.{checked}", "muted")


def _characteristics(characteristics, year) -> list:
    blocks = [Heading("Equality monitoring", level=3)]
    by_category = [g for g in characteristics if g.by_category]
    without = [g for g in characteristics if g.uncategorised.recorded and not g.by_category]
    never = [g.name.lower() for g in characteristics if not g.recorded]
    if by_category:
        blocks.append(
            Paragraph(
                "Where we asked people about themselves, this is who took part. “Not stated” means people "
                "were asked and chose not to say."
            )
        )
    for g in by_category:
        rows = [[c.name, c.display, str(c.activities)] for c in g.categories]
        if g.uncategorised.recorded:
            rows.append(["Category not recorded", g.uncategorised.display, str(g.uncategorised.activities)])
        blocks.append(
            Table(
                f"People who took part by {g.name.lower()}, {year}",
                ["Category", "People", "Activities"],
                rows,
                (2,),
            )
        )
        blocks.append(_source_note(g))
    if without:
        blocks.append(
            Paragraph(
                f"For {_listing([g.name.lower() for g in without])} we counted people without recording "
                "their category, so these counts show where we monitored equality, not which groups took part."
            )
        )
        blocks.append(
            Table(
                f"People counted without a category, {year}",
                ["Characteristic", "People", "Activities"],
                [[g.name, g.uncategorised.display, str(g.uncategorised.activities)] for g in without],
                (2,),
            )
        )
    if not by_category and not without:
        blocks.append(
            Paragraph(f"We did not record equality monitoring information at our activities in {year}.")
        )
    elif never:
        blocks.append(Paragraph(f"We have no record of equality monitoring for {_listing(never)}."))
    return blocks


def equality_blocks(reach: dict, year) -> list:
    """``figures.equality_reach`` as the annual report's "who took part" blocks."""
    blocks = _characteristics(reach.get(AudienceKind.PROTECTED_CHARACTERISTIC, []), year)
    for kind in OTHER_KINDS:
        groups = reach.get(kind, [])
        reached = [g for g in groups if g.reached]
        if reached:
            heading = KIND_HEADINGS[kind]
            blocks.append(Heading(heading, level=3))
            blocks.append(
                Table(
                    f"People reached: {heading.lower() if kind == AudienceKind.COMMUNITY else heading}, {year}",
                    ["Group", "People", "Activities"],
                    [[g.name, g.display, str(g.activities)] for g in reached],
                    (2,),
                )
            )
            if any(not g.kind_verified for g in reached):
                blocks.append(Paragraph(KIND_NOT_VERIFIED, "muted"))
    others = [g for kind in OTHER_KINDS for g in reach.get(kind, [])]
    shown = [
        *others,
        *(c for g in reach.get(AudienceKind.PROTECTED_CHARACTERISTIC, []) for c in g.categories),
    ]
    if any(g.uncounted and not g.only_uncounted for g in shown if g.recorded):
        blocks.append(
            Paragraph(
                "“At least” means that some of our activities recorded that people from the group took part "
                "without counting how many, so the number shown is those we counted.",
                "muted",
            )
        )
    if not any(g.recorded for g in others):
        blocks.append(
            Paragraph(
                f"We did not record how many people from inclusion health groups or other communities took "
                f"part in {year}."
            )
        )
    lists = reach_lists(reach)
    never_monitored = {g.name for g in reach.get(AudienceKind.PROTECTED_CHARACTERISTIC, []) if not g.recorded}
    not_recorded = [name for name in lists.not_recorded if name not in never_monitored]
    if lists.zero:
        blocks.append(Heading("Groups we recorded as not reached", level=3))
        blocks.append(Bullets(lists.zero))
    if lists.uncounted:
        blocks.append(Heading("Groups we reached without counting how many", level=3))
        blocks.append(Paragraph("People from these groups took part, but we did not record how many:"))
        blocks.append(Bullets(lists.uncounted))
    if not_recorded and any(g.recorded for g in others):
        blocks.append(Heading("Groups we have no record of reaching", level=3))
        blocks.append(
            Paragraph(
                "We did not record whether people from these groups took part, which is not the same as nobody:"
            )
        )
        blocks.append(Bullets(not_recorded))
    return blocks
