"""One page of every type, on the demo data: what the HTML-validity and the 320 px reflow tests visit.

``page_types()`` returns ``(label, username, path)`` rows; ``username`` is ``None`` for pages seen
logged out. Load the demo data (``load_demo_data``) first; one failed and one queued report are
added so the report page is covered without building a file.
"""

from django.urls import reverse

# Users from ccg_involvement.demo: the editor belongs to two organisations (the chooser), the
# reviewer sees every reviewer control.
EDITOR, REVIEWER = "editor", "reviewer"
ORG_ADMIN, PLATFORM_ADMIN = "orgadmin", "admin"


def page_types() -> list[tuple[str, str | None, str]]:
    from django.contrib.auth import get_user_model

    from ccg_involvement.models import Membership, Organisation
    from duties.models import Checklist
    from engagements.models import Activity
    from engagements.proposals.models import Proposal
    from engagements.proposals.steps import STEPS
    from engagements.steps import STEPS as ACTIVITY_STEPS
    from reports.models import Report, ReportKind, ReportStatus

    icb = Organisation.objects.get(ods_code="QXH")
    org = icb.slug
    checklist = Checklist.objects.filter(organisation=icb).order_by("-year", "framework__code").first()
    item = checklist.items.order_by("duty__number").first()
    activity = Activity.objects.filter(organisation=icb, outcomes__isnull=False).order_by("pk").first()
    outcome = activity.outcomes.order_by("pk").first()
    proposal = Proposal.objects.filter(organisation=icb).order_by("-pk").first()
    reviewer = get_user_model().objects.get(username=REVIEWER)
    member = Membership.objects.get(organisation=icb, user__username=EDITOR)
    report, _ = Report.objects.get_or_create(
        organisation=icb,
        kind=ReportKind.ANNUAL_REPORT,
        year=checklist.year,
        status=ReportStatus.FAILED,
        defaults={"requested_by": reviewer, "error": "The test stopped it"},
    )
    rows = [
        ("log in", None, reverse("login")),
        ("password reset", None, reverse("password_reset")),
        ("choose organisation", EDITOR, reverse("choose-organisation")),
        ("change password", REVIEWER, reverse("password_change")),
        ("assurance overview", REVIEWER, reverse("assurance-overview")),
        ("help and glossary", EDITOR, reverse("help")),
        ("dashboard", REVIEWER, reverse("dashboard", kwargs={"org_code": org})),
        ("checklists", REVIEWER, reverse("checklists", kwargs={"org_code": org})),
        ("checklist", REVIEWER, checklist.get_absolute_url()),
        (
            "checklist, filtered",
            REVIEWER,
            checklist.get_absolute_url() + "?verdict=undecided&owner=&status=&due=",
        ),
        ("checklist item", REVIEWER, item.get_absolute_url()),
        ("checklist item (editor)", EDITOR, item.get_absolute_url()),
        ("sign-off", REVIEWER, checklist.get_absolute_url() + "sign-off/"),
        ("activities", REVIEWER, reverse("activity-list", kwargs={"org_code": org})),
        ("log an activity", EDITOR, reverse("activity-create", kwargs={"org_code": org})),
        ("activity", EDITOR, activity.get_absolute_url()),
        (
            "check an activity's answers",
            EDITOR,
            reverse("activity-steps", kwargs={"org_code": org, "pk": activity.pk}),
        ),
        ("add an outcome", EDITOR, reverse("outcome-create", kwargs={"org_code": org, "pk": activity.pk})),
        (
            "why an activity evidences a duty",
            EDITOR,
            reverse(
                "activity-duty-rationale",
                kwargs={
                    "org_code": org,
                    "pk": activity.pk,
                    "link_pk": activity.duty_links.order_by("pk").first().pk,
                },
            ),
        ),
        (
            "edit outcome",
            EDITOR,
            reverse("outcome-edit", kwargs={"org_code": org, "pk": activity.pk, "outcome_pk": outcome.pk}),
        ),
        ("import activities", EDITOR, reverse("activity-import", kwargs={"org_code": org})),
        ("proposals", REVIEWER, reverse("proposal-list", kwargs={"org_code": org})),
        (
            "proposals, filtered",
            REVIEWER,
            reverse("proposal-list", kwargs={"org_code": org}) + "?q=a&decision=&status=open&stage=2",
        ),
        ("new proposal", EDITOR, reverse("proposal-create", kwargs={"org_code": org})),
        ("proposal", REVIEWER, proposal.get_absolute_url()),
        (
            "decision record",
            REVIEWER,
            reverse("proposal-record", kwargs={"org_code": org, "pk": proposal.pk}),
        ),
        (
            "proposal activities",
            EDITOR,
            reverse("proposal-activities", kwargs={"org_code": org, "pk": proposal.pk}),
        ),
        ("reports", REVIEWER, reverse("report-list", kwargs={"org_code": org})),
        ("report", REVIEWER, report.get_absolute_url()),
        ("not found", REVIEWER, f"/{org}/no-such-page/"),
        # everyday use (#17): members, four eyes, withdrawing, confirmations, my work
        ("platform administrator's home", PLATFORM_ADMIN, reverse("home")),
        ("my work", EDITOR, reverse("my-work")),
        ("reminder settings", EDITOR, reverse("reminder-settings")),
        ("members", ORG_ADMIN, reverse("members", kwargs={"org_code": org})),
        ("add a member", ORG_ADMIN, reverse("member-add", kwargs={"org_code": org})),
        ("four eyes", ORG_ADMIN, reverse("member-four-eyes", kwargs={"org_code": org})),
        ("frameworks that apply", ORG_ADMIN, reverse("framework-choice", kwargs={"org_code": org})),
        ("change a role", ORG_ADMIN, reverse("member-role", kwargs={"org_code": org, "pk": member.pk})),
        (
            "deactivate a member",
            ORG_ADMIN,
            reverse("member-deactivate", kwargs={"org_code": org, "pk": member.pk}),
        ),
        ("not allowed", EDITOR, reverse("members", kwargs={"org_code": org})),
        (
            "withdraw activity",
            EDITOR,
            reverse("activity-withdraw", kwargs={"org_code": org, "pk": activity.pk}),
        ),
        (
            "withdraw outcome",
            EDITOR,
            reverse(
                "outcome-withdraw", kwargs={"org_code": org, "pk": activity.pk, "outcome_pk": outcome.pk}
            ),
        ),
        (
            "withdraw proposal",
            EDITOR,
            reverse("proposal-withdraw", kwargs={"org_code": org, "pk": proposal.pk}),
        ),
        ("start the next year", EDITOR, checklist.get_absolute_url() + "next-year/"),
        (
            "supersede a report",
            REVIEWER,
            reverse("report-supersede", kwargs={"org_code": org, "pk": report.pk}),
        ),
    ]
    rows += [
        (
            f"activity step {number}",
            EDITOR,
            reverse("activity-step", kwargs={"org_code": org, "pk": activity.pk, "step": number}),
        )
        for number in sorted(ACTIVITY_STEPS)
    ]
    rows += [
        (
            f"proposal step {number}",
            EDITOR,
            reverse("proposal-step", kwargs={"org_code": org, "pk": proposal.pk, "step": number}),
        )
        for number in sorted(STEPS)
    ]
    return rows
