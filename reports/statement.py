"""The year's statement of how we involved people (drafted from the data, edited before the
document is built) and the wording helpers the documents share.

Only what happened counts: the documents read ``year_activities``
(``Activity.objects.happened``).
"""

from django.db.models import Prefetch

from ccg_involvement.years import CCG_LAST_DAY, ICB_FIRST_DAY, ReportingYear, organisation_period
from engagements.models import Activity, Outcome
from reports.dashboard import figures


def year_activities(organisation, year: ReportingYear) -> list[Activity]:
    """The activities a document reports: only those that happened (see ``Activity.objects.happened``)."""
    return list(
        Activity.objects.for_organisation(organisation)
        .happened(year)
        .prefetch_related(
            "methods",
            "partners",
            Prefetch("outcomes", queryset=Outcome.objects.filter(withdrawn_at__isnull=True).order_by("pk")),
        )
        .order_by("start_date", "pk")
    )


def _sentences(*parts) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())


def _listing(names: list[str]) -> str:
    names = [n for n in names if n]
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def period_statement(organisation, year: ReportingYear, noun: str = "section") -> str:
    """Which days of the year the document covers, and why when it is not the whole year."""
    period = organisation_period(organisation, year)
    if period is None:
        return f"{organisation.name} did not exist in {year}."
    text = f"This {noun} covers {period.label}."
    if period.is_whole_year:
        return text
    if organisation.kind == "CCG" and period.end == CCG_LAST_DAY:
        return (
            f"{text} Clinical commissioning groups were replaced by integrated care boards on 1 July 2022, "
            f"so our part of {year} ended on 30 June 2022."
        )
    if organisation.kind == "ICB" and period.start == ICB_FIRST_DAY:
        return (
            f"{text} Integrated care boards took over from clinical commissioning groups on 1 July 2022, so "
            f"our part of {year} began then."
        )
    return text


def draft_statement(organisation, year: ReportingYear, data: dict | None = None, activities=None) -> str:
    """A first draft of the year's statement, written from the data (the author edits it)."""
    data = data or figures.dashboard_figures(organisation, year)
    totals, loop = data["totals"], data["loop"]
    if not totals.activities:
        return (
            f"We have no completed involvement activities recorded for {year} yet. This statement will "
            "describe how we involved people once the year's activities have taken place."
        )
    methods = [name.lower() for name, _ in data["methods"][:3]]
    if activities is None:
        activities = year_activities(organisation, year)
    partners = [_in_sentence(name) for name, _ in partner_summary(activities)[:3]]
    people_text = (
        f"{totals.participants.display} people took part"
        if totals.participants.is_recorded and not totals.participants.is_suppressed
        else "people took part"
    )
    return "\n\n".join(
        p
        for p in [
            _sentences(
                f"In {year} we involved patients, carers, local people and communities in our work through "
                f"{totals.activities} involvement activit{'y' if totals.activities == 1 else 'ies'}"
                + (f", using {_listing(methods)}" if methods else "")
                + ".",
                f"{people_text[0].upper()}{people_text[1:]}"
                + (
                    f" (we did not count the people at {totals.not_recorded} of them)."
                    if totals.not_recorded
                    else "."
                ),
            ),
            f"Our partners included {_listing(partners)}." if partners else "",
            (
                f"We told people what we did with their views after {loop.percent}% of the activities "
                "we completed."
                if loop.percent is not None
                else ""
            ),
        ]
        if p
    )


def _in_sentence(name: str) -> str:
    """A lookup's name inside a sentence: "Local Healthwatch" → "local Healthwatch"; "NHS trusts" kept."""
    first = name.split(" ", 1)[0]
    if len(first) > 1 and first[1:].islower():
        return name[0].lower() + name[1:]
    return name


def statement_for(
    organisation, year: ReportingYear, data: dict | None = None, activities=None
) -> tuple[str, bool]:
    """``(text, edited)``: the saved statement for the year, or the draft from the data."""
    from reports.models import AnnualStatement

    saved = AnnualStatement.objects.for_organisation(organisation).filter(year=year.start_year).first()
    if saved and saved.text.strip():
        return saved.text, True
    return draft_statement(organisation, year, data, activities), False


def partner_summary(activities: list[Activity]) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for activity in activities:
        for partner in activity.partners.all():
            counts[partner.name] = counts.get(partner.name, 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
