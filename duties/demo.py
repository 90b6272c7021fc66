"""Demo checklists: the ICB's current year in progress, the CCG's last full year signed off."""

import datetime

from ccg_involvement.years import ReportingYear
from duties import actions
from duties.models import Checklist, Framework, Verdict

NARRATIVES = {
    "met": "We did this throughout the year and the evidence is linked here. {title} is a standing item for the "
    "people and communities committee, which received quarterly reports.",
    "partially_met": "Partly in place. {title} happened for the larger programmes but not yet for smaller "
    "service changes; the planned actions close the gap.",
    "not_met": "Not yet in place this year. {title} is on the improvement plan.",
}


def _fill(checklist, plan, users, *, review_upto, owners):
    owner_cycle = owners
    for index, item in enumerate(checklist.items.select_related("duty").order_by("duty__number")):
        verdict = plan[index] if index < len(plan) else ""
        if not verdict:
            continue
        values = {
            "verdict": verdict,
            "narrative": NARRATIVES.get(verdict, "").format(title=item.duty.title),
            "owner": owner_cycle[index % len(owner_cycle)],
            "due_date": checklist.reporting_year.end - datetime.timedelta(days=30 * (index % 4)),
        }
        if verdict == Verdict.PARTIALLY_MET:
            values["planned_actions"] = "Extend the approach to all service changes by the end of quarter 3."
        if checklist.framework.is_scored:
            values["score"] = {"met": 3, "partially_met": 2, "not_met": 1}[verdict]
        item = actions.update_item(item=item, expected_version=item.version, by=users["editor"], **values)
        if index < review_upto:
            actions.review_item(
                item=item, comment="Evidence checked against the guidance.", by=users["reviewer"]
            )
        else:
            actions.set_status(item=item, status="ready_for_review", by=users["editor"])


def load(context: dict) -> list[str]:
    icb, ccg, users = context["icb"], context["ccg"], context["users"]
    made = []
    current = ReportingYear.current()
    wppc = Framework.objects.get(code="WPPC22", is_current=True)
    if not Checklist.objects.for_organisation(icb).for_year(current).filter(framework=wppc).exists():
        checklist = actions.start_checklist(
            organisation=icb, framework=wppc, year=current, by=users["editor"]
        )
        _fill(
            checklist,
            ["met", "met", "partially_met", "met", "partially_met", "not_met"],
            users,
            review_upto=3,
            owners=[users["editor"], users["reviewer"], users["orgadmin"]],
        )
        made.append(str(checklist))
    # The duty about each patient's own care (s14Z36, unverified), by the 2017 s14U areas applied by analogy.
    individual = Framework.objects.get(code="IPO-ICB", is_current=True)
    if not Checklist.objects.for_organisation(icb).for_year(current).filter(framework=individual).exists():
        checklist = actions.start_checklist(
            organisation=icb, framework=individual, year=current, by=users["editor"]
        )
        _fill(
            checklist,
            ["met", "partially_met", "met", "partially_met"],
            users,
            review_upto=2,
            owners=[users["editor"], users["reviewer"]],
        )
        made.append(str(checklist))
    ccg_users = {**users, "reviewer": users["assurer"]}
    ccg_year = ReportingYear(2021)
    for code, plan, review_upto, sign, year in [
        ("PPP17", ["met"] * 8 + ["partially_met", "met"], 10, True, ccg_year),
        ("IPO17", ["met", "partially_met", "met", "met", "not_met", "met"], 4, False, ccg_year),
        # the IAF engagement indicator was assessed only up to 2019/20 (its data file's years)
        ("IAF-ENG", ["met", "met", "partially_met", "met", "partially_met"], 5, False, ReportingYear(2019)),
    ]:
        framework = Framework.objects.get(code=code, is_current=True)
        if Checklist.objects.for_organisation(ccg).for_year(year).filter(framework=framework).exists():
            continue
        checklist = actions.start_checklist(
            organisation=ccg, framework=framework, year=year, by=users["editor"]
        )
        _fill(checklist, plan, ccg_users, review_upto=review_upto, owners=[users["editor"], users["assurer"]])
        if sign:
            actions.sign_off(
                checklist=checklist,
                by=users["assurer"],
                note="Approved with one action carried into the ICB's first year.",
                approving_body="Governing body",
                meeting_date=datetime.date(2022, 5, 26),
                minute_reference="GB 22/041",
            )
        made.append(str(checklist))
    return [f"Checklists: {', '.join(made)}"] if made else []
