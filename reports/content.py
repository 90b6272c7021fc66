"""What the generated documents say: plain data built from the dashboard's figures, shared by PDF and Word."""

from django.db.models import Prefetch
from django.utils import timezone

from ccg_involvement.history import display_name
from ccg_involvement.years import CCG_LAST_DAY, ICB_FIRST_DAY, ReportingYear, organisation_period
from duties.models import Checklist, ChecklistItem, Framework, Verdict
from engagements.models import Activity, AudienceKind, DutyLimb, Outcome, OutcomeStatus
from engagements.proposals.selectors import service_changes_for
from reports.dashboard import figures
from reports.dashboard.charts import charts_for
from reports.document import Bullets, Chart, Document, Heading, Paragraph, Table
from reports.small_numbers import people

APPENDIX_LIMIT = 500
"""The appendix lists at most this many activities; beyond it, a summary by month and method."""
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


def _paragraphs(text: str, style: str = "") -> list[Paragraph]:
    return [
        Paragraph(" ".join(chunk.split()), style)
        for chunk in text.replace("\r", "").split("\n\n")
        if chunk.strip()
    ]


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


def _own_words(activity) -> str:
    """The activity's summary without a first sentence that only repeats its title."""
    summary = activity.summary.strip()
    if summary.casefold().startswith(activity.title.strip().casefold()):
        summary = summary[len(activity.title.strip()) :].lstrip(" .:;-–").strip()
    return summary


def _dates(activity) -> str:
    if activity.end_date and activity.end_date != activity.start_date:
        return f"{activity.start_date:%d/%m/%Y} to {activity.end_date:%d/%m/%Y}"
    return f"{activity.start_date:%d/%m/%Y}"


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

    case_studies = [a for a in activities if a.is_highlight]
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
    reach = data["reach"]
    characteristics = reach.get(AudienceKind.PROTECTED_CHARACTERISTIC, [])
    groups = reach.get(AudienceKind.INCLUSION_GROUP, [])
    monitored = [g for g in characteristics if g.people.is_recorded]
    if monitored:
        doc.add(
            Heading("Equality monitoring", level=3),
            Paragraph(
                "We recorded these counts against each protected characteristic as a whole, not by category "
                "(for example by age band or ethnic group), so they show where we monitored equality rather "
                "than which groups took part."
            ),
            Table(
                f"Equality monitoring by protected characteristic, {year}",
                ["Characteristic", "People recorded", "Activities"],
                [[g.name, g.people.display, str(g.activities)] for g in monitored],
                (1, 2),
            ),
        )
        not_monitored = [g.name for g in characteristics if not g.people.is_recorded]
        if not_monitored:
            doc.add(Paragraph(f"We have no equality monitoring recorded for: {_listing(not_monitored)}."))
    else:
        doc.add(Paragraph(f"We did not record equality monitoring information at our activities in {year}."))
    if any(g.people.is_recorded for g in groups):
        doc.add(
            Heading("Inclusion health and Core20PLUS groups", level=3),
            Table(
                f"People reached from inclusion health and Core20PLUS groups, {year}",
                ["Group", "People", "Activities"],
                [[g.name, g.people.display, str(g.activities)] for g in groups if g.people.is_recorded],
                (1, 2),
            ),
        )
        zero = [g.name for g in groups if g.people.value == 0]
        unknown = [g.name for g in groups if not g.people.is_recorded]
        if zero:
            doc.add(Heading("Groups we recorded as not reached", level=3), Bullets(zero))
        if unknown:
            doc.add(
                Heading("Groups we have no record of reaching", level=3),
                Paragraph("We did not record how many people from these groups took part:"),
                Bullets(unknown),
            )
    else:
        doc.add(
            Paragraph(f"We did not record how many people from inclusion health groups took part in {year}.")
        )

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

    outcomes = []
    seen = set()
    for activity in activities:
        for o in activity.outcomes.all():
            key = (o.what_we_heard.strip(), o.what_we_did.strip())
            if key in seen:
                continue
            seen.add(key)
            where = o.get_status_display()
            if o.status == OutcomeStatus.NOT_POSSIBLE and o.reason_not_possible:
                where = f"Not possible: {o.reason_not_possible}"
            outcomes.append([o.what_we_heard, o.what_we_did, where])
    doc.add(Heading("You said, we did", anchor="you-said"))
    loop = data["loop"]
    if loop.percent is not None:
        doc.add(
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
    if outcomes:
        doc.add(Table(f"You said, we did, {year}", ["You said", "We did", "Where we are"], outcomes))

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

    doc.add(Heading(f"Appendix: activities in {year}", anchor="appendix", new_page=True))
    shown = activities[:APPENDIX_LIMIT]
    doc.add(
        Table(
            f"Involvement activities completed in {year}"
            + (
                f" (the first {APPENDIX_LIMIT} of {len(activities)})"
                if len(activities) > APPENDIX_LIMIT
                else ""
            ),
            ["Dates", "Activity", "Methods", "Partners", "People"],
            [
                [
                    _dates(a),
                    a.title + (" (case study)" if a.is_highlight else ""),
                    ", ".join(m.name for m in a.methods.all()),
                    ", ".join(p.name for p in a.partners.all()),
                    people(a.total_participants).display,
                ]
                for a in shown
            ],
            (4,),
        )
    )
    if len(activities) > APPENDIX_LIMIT:
        doc.add(
            Paragraph(
                f"The other {len(activities) - APPENDIX_LIMIT} activities are in the activity export; the "
                "figures in this document count every activity."
            )
        )
    frameworks = Framework.objects.applying_to(organisation.kind).order_by("code")
    doc.add(
        Table(
            "The duties this section reports on",
            ["Reference", "Framework", "Legal basis"],
            [[f.code, f.title, f.legal_basis] for f in frameworks],
        )
    )
    return doc


def partner_summary(activities: list[Activity]) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for activity in activities:
        for partner in activity.partners.all():
            counts[partner.name] = counts.get(partner.name, 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


STATUTORY_ORDER = ["PPP17", "WPPC22", "IPO17"]
"""Frameworks in the order a committee reads them: the public involvement duty (s14Z2 / s14Z45)
first, the individual involvement duty (s14U) next, then guidance and assessment frameworks."""

LEVEL_LABELS = {
    "significant": "Significant assurance",
    "reasonable": "Reasonable assurance",
    "limited": "Limited assurance",
    "none": "No assurance",
}


def _statutory_key(code: str):
    return (STATUTORY_ORDER.index(code) if code in STATUTORY_ORDER else len(STATUTORY_ORDER), code)


def assurance_pack(organisation, year: ReportingYear, *, generated_by, cover: dict | None = None) -> dict:
    checklists = list(
        Checklist.objects.for_organisation(organisation)
        .for_year(year)
        .select_related("framework", "signed_off_by")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=ChecklistItem.objects.select_related("duty", "owner", "reviewed_by").order_by(
                    "duty__number"
                ),
            )
        )
    )
    checklists.sort(key=lambda c: _statutory_key(c.framework.code))
    data = figures.dashboard_figures(organisation, year)
    evidence = {cell.item_id: cell.evidence for row in data["coverage"] for cell in row.cells}
    met_without_evidence = [
        (row.framework, cell)
        for row in sorted(data["coverage"], key=lambda r: _statutory_key(r.framework_code))
        for cell in row.cells
        if cell.verdict == Verdict.MET and cell.evidence == 0
    ]
    cover = dict(cover or {})
    cover["level_label"] = LEVEL_LABELS.get(cover.get("assurance_level", ""), "")
    return {
        "organisation": organisation,
        "year": year,
        "period": period_statement(organisation, year, "pack"),
        "cover": cover,
        "checklists": checklists,
        "positions": {p.checklist_id: p for p in data["positions"]},
        "evidence": evidence,
        "met_without_evidence": met_without_evidence,
        "service_changes": service_changes_for(organisation, year),
        "missing_frameworks": data["missing_frameworks"],
        "gaps": data["gaps"],
        "loop": data["loop"],
        "totals": data["totals"],
        "generated_at": timezone.now(),
        "generated_by": display_name(generated_by),
        "verdicts": Verdict,
        "four_eyes": four_eyes(organisation),
    }


def four_eyes(organisation) -> dict:
    """Whether one person may assess and review the same item, and if so why, who decided and when."""
    return {
        "relaxed": organisation.four_eyes_relaxed,
        "reason": organisation.four_eyes_relaxed_reason,
        "by": display_name(organisation.four_eyes_relaxed_by) if organisation.four_eyes_relaxed_by_id else "",
        "on": organisation.four_eyes_relaxed_at,
    }
