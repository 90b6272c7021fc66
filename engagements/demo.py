"""A year of realistic engagement activities and outcomes for each demo organisation."""

import datetime
import random

from ccg_involvement.years import ReportingYear
from engagements import actions
from engagements.inputs import ActivityInput
from engagements.models import (
    NUMBER_NOT_RECORDED,
    Activity,
    Adjustment,
    AudienceGroup,
    Method,
    OutcomeStatus,
    Partner,
)

# title, service area, methods, partners, adjustments, duty limb, duty numbers (of the main framework), participants
ACTIVITIES = [
    (
        "Community conversations on the five-year plan",
        "Strategy",
        ["METHOD-PUBMEET", "METHOD-OUTREACH"],
        ["PARTNER-HW", "PARTNER-VCSE"],
        ["ADJ-EASYREAD", "ADJ-INTERPRETER"],
        "planning",
        [1, 2, 3],
        412,
    ),
    (
        "Maternity services listening events",
        "Maternity",
        ["METHOD-FOCUS", "METHOD-OUTREACH"],
        ["PARTNER-VCSE"],
        ["ADJ-INTERPRETER", "ADJ-VENUE"],
        "proposals",
        [3, 4],
        86,
    ),
    (
        "Urgent care redesign survey",
        "Urgent and emergency care",
        ["METHOD-SURVEY", "METHOD-ONLINE"],
        ["PARTNER-HW"],
        ["ADJ-PAPER", "ADJ-LARGEPRINT"],
        "proposals",
        [2, 9],
        1240,
    ),
    (
        "Patient participation group network meeting",
        "Primary care",
        ["METHOD-PPG"],
        ["PARTNER-PPG"],
        [],
        "decisions",
        [1, 5],
        34,
    ),
    (
        "Mental health co-design workshops",
        "Mental health",
        ["METHOD-COPRO"],
        ["PARTNER-VCSE", "PARTNER-PROVIDER"],
        ["ADJ-EXPENSES", "ADJ-TIMES"],
        "proposals",
        [7, 9],
        28,
    ),
    (
        "Gypsy and Traveller health outreach",
        "Health inequalities",
        ["METHOD-OUTREACH", "METHOD-CHAMP"],
        ["PARTNER-VCSE"],
        ["ADJ-EASYREAD"],
        "planning",
        [4],
        19,
    ),
    (
        "Board patient story: living with COPD",
        "Respiratory",
        ["METHOD-STORY"],
        ["PARTNER-LAY"],
        [],
        "decisions",
        [1, 8],
        3,
    ),
    (
        "Health scrutiny briefing on community beds",
        "Community services",
        ["METHOD-REPS"],
        ["PARTNER-OSC"],
        [],
        "proposals",
        [8],
        None,
    ),
    (
        "Citizens' panel: digital access to GP services",
        "Primary care",
        ["METHOD-PANEL", "METHOD-SURVEY"],
        ["PARTNER-HW"],
        ["ADJ-ONLINE-AND-IN-PERSON"],
        "decisions",
        [3, 10],
        655,
    ),
    (
        "Learning disability annual health check focus groups",
        "Learning disability and autism",
        ["METHOD-FOCUS"],
        ["PARTNER-VCSE", "PARTNER-PROVIDER"],
        ["ADJ-EASYREAD", "ADJ-VENUE"],
        "individual",
        [4, 6],
        22,
    ),
    (
        "Young people's mental health youth forum",
        "Children and young people",
        ["METHOD-REFGROUP"],
        ["PARTNER-VCSE"],
        ["ADJ-TIMES"],
        "planning",
        [2, 7],
        41,
    ),
    (
        "Carers' week drop-in sessions",
        "Carers",
        ["METHOD-PUBMEET"],
        ["PARTNER-VCSE", "PARTNER-LA"],
        ["ADJ-EXPENSES"],
        "individual",
        [4],
        57,
    ),
]

OUTCOMES = [
    (
        "Evening and weekend sessions would help working people take part.",
        "Added two evening sessions and an online option.",
        OutcomeStatus.DONE,
    ),
    (
        "Information was hard to find on the website.",
        "Rebuilt the 'Get involved' pages with plain-English summaries.",
        OutcomeStatus.DONE,
    ),
    (
        "Keep services close to home.",
        "The options appraisal now scores travel time for each option.",
        OutcomeStatus.IN_PROGRESS,
    ),
    (
        "Provide a walk-in centre in every town.",
        "Not affordable within the budget; we extended pharmacy opening instead.",
        OutcomeStatus.NOT_POSSIBLE,
    ),
]


def _demo_reach(rng, groups, people: int) -> dict:
    """Reach as teams record it: some characteristics by category (with people whose category was
    not recorded), some groups counted, some recorded as 0, some reached with no number."""
    reach = {}
    monitored = {
        "PC-AGE",
        "PC-DISABILITY",
        "PC-RACE",
        "PC-RELIGION",
        "PC-SEX",
    }  # what monitoring forms ask most
    characteristics = [g for g in groups if g.categories.all() and g.code in monitored]
    others = [g for g in groups if not g.categories.all()]
    for group in rng.sample(characteristics, k=3):
        left = people
        for category in rng.sample(list(group.categories.all()), k=min(4, len(group.categories.all()))):
            count = min(left, rng.choice([0, 2, 4, 7, max(1, people // 4), max(1, people // 3)]))
            reach[category] = count
            left -= count
        if left and rng.random() < 0.5:
            reach[group] = rng.randint(0, left)  # counted without a category
    for group in rng.sample(others, k=6):
        value = rng.choice([0, 2, 3, 6, 9, 14, 25, max(1, people // 10), None])
        reach[group] = NUMBER_NOT_RECORDED if value is None and people else min(people, value or 0)
    return reach


def _load_for(organisation, year, framework_code, users, seed):
    from duties.models import Duty

    rng = random.Random(seed)
    if Activity.objects.for_organisation(organisation).exists():
        return 0
    methods = {m.code: m for m in Method.objects.all()}
    partners = {p.code: p for p in Partner.objects.all()}
    adjustments = {a.code: a for a in Adjustment.objects.all()}
    groups = list(AudienceGroup.objects.order_by("position").prefetch_related("categories"))
    duties = {
        d.number: d for d in Duty.objects.filter(framework__code=framework_code, framework__is_current=True)
    }
    members = users
    for index, (title, area, m, p, adj, limb, numbers, people) in enumerate(ACTIVITIES):
        start = year.start + datetime.timedelta(days=12 + index * 27)
        end = start + datetime.timedelta(days=rng.choice([0, 0, 7, 21]))
        completed = end < min(datetime.date.today(), year.end)
        reach = _demo_reach(rng, groups, people) if people is not None else {}
        activity = actions.save_activity(
            organisation=organisation,
            by=members[index % len(members)],
            data=ActivityInput(
                title=title,
                summary=f"{title}. We worked with local partners to hear from people who use {area.lower()} services and those who find them hard to reach.",
                start_date=start,
                end_date=end,
                status="completed"
                if completed
                else ("planned" if start > datetime.date.today() else "under_way"),
                cycle_stage=["planning", "procuring", "monitoring"][index % 3],
                duty_limb=limb,
                service_area=area,
                methods=[methods[c] for c in m if c in methods],
                partners=[partners[c] for c in p if c in partners],
                adjustments=[adjustments[c] for c in adj if c in adjustments],
                duties=[duties[n] for n in numbers if n in duties],
                lead=members[index % len(members)],
                total_participants=people,
                is_highlight=index in (0, 2),
                # case studies: activities with outcomes (what people said, what changed); one is not highlighted
                is_case_study=index in (0, 5),
                reach=reach,
            ),
        )
        if completed and index % 4 != 3:
            heard, did, status = OUTCOMES[index % len(OUTCOMES)]
            actions.add_outcome(
                activity=activity,
                by=members[0],
                what_we_heard=heard,
                what_we_did=did,
                status=status,
                reason_not_possible="Outside the financial envelope for the year."
                if status == OutcomeStatus.NOT_POSSIBLE
                else "",
                decision_influenced="Board decision on the programme business case" if index % 2 == 0 else "",
                reported_back_on=end + datetime.timedelta(days=21 + index * 3),
                published_where="Get involved: you said, we did page",
            )
    return len(ACTIVITIES)


def load(context: dict) -> list[str]:
    users = context["users"]
    icb_count = _load_for(
        context["icb"],
        ReportingYear.current(),
        "WPPC22",
        [users["editor"], users["reviewer"], users["orgadmin"]],
        1,
    )
    ccg_count = _load_for(
        context["ccg"], ReportingYear(2021), "PPP17", [users["editor"], users["assurer"]], 2
    )
    if not (icb_count or ccg_count):
        return []
    icb, ccg = context["icb"].ods_code, context["ccg"].ods_code
    return [f"Activities: {icb_count} for {icb}, {ccg_count} for {ccg}"]
