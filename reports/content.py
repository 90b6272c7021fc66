"""What the generated documents say: plain data built from the dashboard's figures, shared by PDF and Word."""

from django.utils import timezone

from ccg_involvement.years import ReportingYear
from engagements.models import DutyLimb, OutcomeStatus
from engagements.proposals.selectors import service_changes_for
from reports.appendix import appendix_blocks
from reports.dashboard import figures
from reports.dashboard.charts import charts_for
from reports.document import Bullets, Chart, Document, Heading, Paragraph, Table
from reports.equality import equality_blocks
from reports.framework_sources import framework_sources
from reports.small_numbers import people
from reports.statement import (
    _listing,
    _sentences,
    partner_summary,
    period_statement,
    statement_for,
    year_activities,
)
from reports.you_said import you_said_blocks

ACTIVITIES_PER_LIMB = 8

# How each part of the duty reads in the public document ("we" wording).
LIMB_HEADINGS = {
    DutyLimb.PLANNING: "Planning our services",
    DutyLimb.PROPOSALS: "Developing proposals for change",
    DutyLimb.DECISIONS: "Decisions about how services are run",
    DutyLimb.INDIVIDUAL: "People's involvement in their own care",
    "": "Other involvement",
}

DUTY_WORDING = {
    "CCG": (
        "Section 14Z2 of the National Health Service Act 2006 requires us, as a clinical commissioning "
        "group, to involve the people who use or may use our services: in planning them, in developing "
        "and considering proposals for change, and in decisions that would affect how services are "
        "delivered or which services are available. Section 14U asks us to promote the involvement of "
        "patients, their carers and representatives in decisions about their own care."
    ),
    "ICB": (
        "Section 14Z45 of the National Health Service Act 2006 requires us, as an integrated care board, "
        "to involve the people who use or may use our services: in planning our commissioning "
        "arrangements, in developing and considering proposals for change, and in decisions that would "
        "affect how services are delivered or which services are available."
    ),
}

INDIVIDUAL_INVOLVEMENT_ICB = (
    "We also promote the involvement of each patient, and of their carers and representatives, in "
    "decisions about their own care and treatment, and we assess how we do so against the ten areas of "
    "NHS England's statutory guidance for clinical commissioning groups (2017), applied to us."
)


def _paragraphs(text: str, style: str = "") -> list[Paragraph]:
    return [
        Paragraph(" ".join(chunk.split()), style)
        for chunk in text.replace("\r", "").split("\n\n")
        if chunk.strip()
    ]


def _own_words(activity) -> str:
    """The activity's summary without a first sentence that only repeats its title."""
    summary = activity.summary.strip()
    if summary.casefold().startswith(activity.title.strip().casefold()):
        summary = summary[len(activity.title.strip()) :].lstrip(" .:;-–").strip()
    return summary


def profile_for(organisation):
    from reports.models import InvolvementProfile

    return InvolvementProfile.objects.for_organisation(organisation).first() or InvolvementProfile(
        organisation=organisation
    )


def _governance(profile) -> list:
    blocks = []
    if profile.lead_name:
        role = f", {profile.lead_role}," if profile.lead_role else ""
        blocks.append(
            Paragraph(f"{profile.lead_name}{role} leads our work to involve people and communities.")
        )
    if profile.committee:
        blocks.append(
            Paragraph(
                _sentences(
                    f"Our {profile.committee} oversees how we involve people.", profile.committee_remit
                )
            )
        )
    seats = [
        (profile.patient_seats, "patients or members of the public"),
        (profile.healthwatch_seats, "Healthwatch"),
        (profile.vcse_seats, "the voluntary, community and social enterprise sector"),
    ]
    recorded = [f"{n} for {who}" for n, who in seats if n]
    if recorded:
        where = f"the {profile.committee}" if profile.committee else "our committees"
        blocks.append(
            Paragraph(f"Seats on {where} are held for people who speak for others: {_listing(recorded)}.")
        )
    return blocks


def annual_report_document(organisation, year: ReportingYear) -> Document:
    """The annual-report section for the public: first person plural, no checklist verdicts, no
    internal codes outside the appendix, no screening warnings or internal notes."""
    data = figures.dashboard_figures(organisation, year)
    charts = charts_for(data)
    activities = year_activities(organisation, year)
    profile = profile_for(organisation)
    statement, _ = statement_for(organisation, year, data, activities)
    totals = data["totals"]
    today = timezone.localdate()
    doc = Document(
        title="Involving people and communities",
        subtitle=f"Annual report {year}",
        organisation=organisation,
        footer=f"{year}",
    )
    threshold = people(0).threshold
    doc.intro = [
        Paragraph(
            f"How we involved patients, carers and the public in {year}, and what difference it made.", "lede"
        ),
        Paragraph(
            _sentences(
                period_statement(organisation, year),
                f"It counts only activities that had been completed by {today:%-d %B %Y}. Counts of people "
                f"from 1 to {threshold - 1} are shown as “fewer than {threshold}” to protect privacy.",
            ),
            "muted",
        ),
    ]

    doc.add(Heading("Our statement", anchor="statement", new_page=True), *_paragraphs(statement))
    doc.add(Heading("Our duty and how we are organised", anchor="governance"))
    wording = DUTY_WORDING.get(organisation.kind)
    if wording:
        doc.add(Paragraph(wording))
    if organisation.kind == "ICB" and any(p.framework_code == "IPO-ICB" for p in data["positions"]):
        # A statement of what we do, not of the law: the ICB section for it (believed to be s14Z36)
        # is unverified (duties/frameworks/ipo-icb-s14z36.toml), so the public text names no section.
        doc.add(Paragraph(INDIVIDUAL_INVOLVEMENT_ICB))
    doc.add(*_governance(profile))

    doc.add(Heading(f"What we did in {year}", anchor="what-we-did", new_page=True))
    if totals.activities:
        unrecorded = (
            f" We did not count the people at {totals.not_recorded} of them." if totals.not_recorded else ""
        )
        doc.add(
            Paragraph(
                f"We completed {totals.activities} involvement activit{'y' if totals.activities == 1 else 'ies'}"
                f" in {year}, and {totals.participants.display} people took part.{unrecorded}"
            )
        )
        by_limb: dict[str, list] = {}
        for activity in activities:
            by_limb.setdefault(activity.duty_limb, []).append(activity)
        for limb, heading in LIMB_HEADINGS.items():
            chosen = by_limb.get(limb)
            if not chosen:
                continue
            shown = sorted(chosen, key=lambda a: (-(a.total_participants or 0), a.start_date))[
                :ACTIVITIES_PER_LIMB
            ]
            items = [
                f"{a.title} ({a.start_date:%B %Y})" + (f": {_own_words(a)}" if _own_words(a) else "")
                for a in shown
            ]
            if len(chosen) > len(shown):
                items.append(f"and {len(chosen) - len(shown)} more, listed in the appendix")
            doc.add(Heading(heading, level=3), Bullets(items))
        doc.add(Chart(charts["quarters"]), Chart(charts["methods"]))
    else:
        doc.add(Paragraph(f"We have no completed involvement activities recorded for {year}."))

    case_studies = [a for a in activities if a.is_case_study]
    if case_studies:
        doc.add(Heading("How people's views made a difference", anchor="case-studies", new_page=True))
        for activity in case_studies:
            doc.add(Heading(activity.title, level=3))
            doc.add(
                Paragraph(
                    _sentences(
                        _own_words(activity),
                        f"{activity.start_date:%B %Y}.",
                        f"{people(activity.total_participants).display} people took part."
                        if activity.total_participants is not None
                        else "",
                    )
                )
            )
            outcomes = list(activity.outcomes.all())
            heard = list(dict.fromkeys(o.what_we_heard.strip() for o in outcomes if o.what_we_heard.strip()))
            did = list(
                dict.fromkeys(
                    o.what_we_did.strip()
                    for o in outcomes
                    if o.what_we_did.strip() and o.status != OutcomeStatus.NOT_POSSIBLE
                )
            )
            decisions = sorted({o.decision_influenced for o in outcomes if o.decision_influenced})
            if heard:
                doc.add(Paragraph(f"What people told us: {' '.join(heard)}"))
            if did:
                doc.add(Paragraph(f"What changed: {' '.join(did)}"))
            if decisions:
                doc.add(Paragraph(f"The decision it informed: {'; '.join(decisions)}."))

    doc.add(Heading("Who took part", anchor="who", new_page=True))
    doc.add(Chart(charts["participants"]))
    doc.add(*equality_blocks(data["reach"], year))

    partners = partner_summary(activities)
    if partners:
        doc.add(Heading("Working with partners", anchor="partners"))
        doc.add(
            Paragraph(
                "We worked with local partners to reach people and to hear from them, including Healthwatch, "
                "voluntary and community organisations, patient participation groups and local authorities "
                "where they took part."
            ),
            Table(
                f"Partners we worked with, {year}",
                ["Partner", "Activities"],
                [[n, str(c)] for n, c in partners],
                (1,),
            ),
        )

    changes = service_changes_for(organisation, year)
    doc.add(Heading("Changes to services", anchor="changes", new_page=True))
    if changes:
        for change in changes:
            doc.add(Heading(change["title"], level=3))
            how = {
                "Inform": "We told people about the proposal.",
                "Engage": "We involved people while the options were developed.",
                "Consult": "We consulted people on the options.",
                "Formal public consultation": "We held a formal public consultation.",
            }.get(change["level"], "")
            doc.add(
                Paragraph(
                    _sentences(
                        how,
                        f"What changed as a result: {change['involvement_influence']}"
                        if change["involvement_influence"]
                        else "",
                        f"What was decided: {change['decision']}" if change["decision"] else "",
                        "" if change["decision"] else "A decision has not been made yet.",
                    )
                )
            )
    else:
        doc.add(Paragraph(f"We did not consult on any proposals to change services in {year}."))

    doc.add(*you_said_blocks(activities, year, data["loop"]))

    if organisation.kind == "ICB" and (profile.joint_forward_plan or profile.health_and_wellbeing_boards):
        doc.add(Heading("Our Joint Forward Plan and Health and Wellbeing Boards", anchor="jfp"))
        doc.add(*_paragraphs(profile.joint_forward_plan), *_paragraphs(profile.health_and_wellbeing_boards))

    if profile.how_to_get_involved:
        doc.add(
            Heading("How to get involved", anchor="get-involved", new_page=True),
            *_paragraphs(profile.how_to_get_involved),
        )
    priorities = [
        line.strip(" -•\t") for line in profile.next_year_priorities.splitlines() if line.strip(" -•\t")
    ]
    if priorities:
        doc.add(Heading(f"Our priorities for {year.next()}", anchor="priorities"), Bullets(priorities))

    doc.add(*appendix_blocks(activities, year))
    doc.add(*framework_sources(organisation, year))
    return doc
