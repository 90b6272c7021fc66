"""The annual report's "You said, we did": what people told us and what changed, within a page or two.

Every outcome recorded against the year's completed activities is counted (each said-and-did pair
once, however many activities repeat it). Up to ``YOU_SAID_LIMIT`` are listed; beyond that a table
would run to pages no reader goes through, so the report lists the outcomes of the activities it
highlights (case studies and highlights) first, then the most recent, and says how many there are
in all and how many are done, in progress or not possible.
"""

from engagements.models import OutcomeStatus
from reports.document import Heading, Paragraph, Table

YOU_SAID_LIMIT = 40
"""The table lists at most this many outcomes; every outcome is counted either way."""


def _where(outcome) -> str:
    if outcome.status == OutcomeStatus.NOT_POSSIBLE and outcome.reason_not_possible:
        return f"Not possible: {outcome.reason_not_possible}"
    return outcome.get_status_display()


def year_outcomes(activities: list) -> list[tuple]:
    """``(activity, outcome)`` for each distinct outcome of ``activities`` (outcomes prefetched), in order."""
    found, seen = [], set()
    for activity in activities:
        for outcome in activity.outcomes.all():
            key = (outcome.what_we_heard.strip(), outcome.what_we_did.strip())
            if key not in seen:
                seen.add(key)
                found.append((activity, outcome))
    return found


def chosen_outcomes(found: list[tuple], limit: int = YOU_SAID_LIMIT) -> list[tuple]:
    """At most ``limit`` outcomes: highlighted activities' first, then the most recent; in date order."""
    if len(found) <= limit:
        return found

    def last_day(activity):
        return activity.end_date or activity.start_date

    ranked = sorted(
        range(len(found)),
        key=lambda i: (
            not (found[i][0].is_case_study or found[i][0].is_highlight),
            -last_day(found[i][0]).toordinal(),
            i,
        ),
    )
    return [found[i] for i in sorted(ranked[:limit])]


def _counts(found: list[tuple]) -> str:
    counts = dict.fromkeys(OutcomeStatus.values, 0)
    for _, outcome in found:
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
    return ", ".join(
        f"{counts[value]:,} {label.lower()}" for value, label in OutcomeStatus.choices if counts[value]
    )


def you_said_blocks(activities: list, year, loop) -> list:
    """The section: how often we reported back (``loop``, the dashboard's figures) and the outcomes."""
    blocks = [Heading("You said, we did", anchor="you-said")]
    if loop.percent is not None:
        blocks.append(
            Paragraph(
                f"We told people what we did with their views after {loop.percent}% of the activities we "
                f"completed ({loop.reported_back} of {loop.completed})"
                + (
                    f", a median of {loop.median_days:g} days after the activity ended."
                    if loop.median_days is not None
                    else "."
                )
            )
        )
    found = year_outcomes(activities)
    if not found:
        return blocks
    shown = chosen_outcomes(found)
    if len(shown) < len(found):
        blocks.append(
            Paragraph(
                f"We recorded {len(found):,} things we did or decided after hearing from people in {year} "
                f"({_counts(found)}). This table shows {len(shown)} of them: those from the activities this "
                "report highlights first, then the most recent."
            )
        )
    blocks.append(
        Table(
            f"You said, we did, {year}",
            ["You said", "We did", "Where we are"],
            [[o.what_we_heard, o.what_we_did, _where(o)] for _, o in shown],
        )
    )
    return blocks
