"""A person asks for a report: the request is recorded and its build queued as a task.

The build's own steps (started, finished, failed) are the actions in ``reports.build``, run by the
task in ``reports.tasks``. Keyword-only and atomic like every app's actions; a finished report
never changes.
"""

from django.db import transaction

from ccg_involvement.errors import ActionError
from ccg_involvement.years import organisation_period
from reports.models import Report, ReportFormat, ReportKind
from reports.tasks import build_report


@transaction.atomic
def request_report(
    *,
    organisation,
    kind: str,
    format: str,
    year=None,
    subject_id=None,
    subject_title: str = "",
    cover: dict | None = None,
    draft: bool = False,
    by,
) -> Report:
    """Queue a new report; the build runs as a task once the request is committed.

    ``draft``: asked for by someone who may not generate final versions (an editor); the document
    says "Draft" on every page. The view decides it with ``has_permission(…, REVIEW)``.
    """
    if kind != ReportKind.ANNUAL_REPORT and format == ReportFormat.DOCX:
        raise ActionError("Only the annual report section is available as a Word document.")
    if kind in {ReportKind.ANNUAL_REPORT, ReportKind.ASSURANCE_PACK}:
        if year is None:
            raise ActionError("Choose the reporting year.")
        if organisation_period(organisation, year) is None:
            raise ActionError(
                f"{organisation.name} did not exist in {year}: there is nothing to report for that year."
            )
    report = Report.objects.create(
        organisation=organisation,
        kind=kind,
        format=format,
        year=year.start_year if year else None,
        subject_id=subject_id,
        parameters={
            "year": year.label if year else None,
            "subject_id": subject_id,
            "subject": subject_title,
            **({"cover": cover} if cover else {}),
        },
        requested_by=by,
        is_draft=draft,
    )

    transaction.on_commit(lambda: build_report.enqueue(report.pk))
    return report


PROFILE_FIELDS = (
    "lead_name",
    "lead_role",
    "committee",
    "committee_remit",
    "patient_seats",
    "healthwatch_seats",
    "vcse_seats",
    "how_to_get_involved",
    "next_year_priorities",
    "joint_forward_plan",
    "health_and_wellbeing_boards",
)


@transaction.atomic
def save_involvement_profile(*, organisation, by, expected_version: int | None = None, **values):
    """Change the organisation's involvement profile (administrators only; recorded in its history)."""
    from ccg_involvement import freshness
    from ccg_involvement.history import lock_and_check
    from reports.models import InvolvementProfile

    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise ActionError(f"Unknown profile fields: {', '.join(sorted(unknown))}.")
    profile = InvolvementProfile.objects.for_organisation(organisation).first()
    if profile is None:
        profile = InvolvementProfile(organisation=organisation)
    else:
        profile = lock_and_check(
            InvolvementProfile.objects.for_organisation(organisation),
            pk=profile.pk,
            expected_version=expected_version,
            fields=PROFILE_FIELDS,
            noun="profile",
        )
        profile.version += 1
    for name, value in values.items():
        setattr(profile, name, value)
    profile._history_user = by
    profile._change_reason = "Profile updated"
    profile.save()
    freshness.record_change(organisation.pk)
    return profile


@transaction.atomic
def save_annual_statement(*, organisation, year, text: str, by, expected_version: int | None = None):
    """Save the year's statement for the annual report (reviewers; recorded in its history)."""
    from ccg_involvement.history import lock_and_check
    from reports.models import AnnualStatement

    if not text.strip():
        raise ActionError("Enter the statement.")
    statement = AnnualStatement.objects.for_organisation(organisation).filter(year=year.start_year).first()
    if statement is None:
        statement = AnnualStatement(organisation=organisation, year=year.start_year)
        reason = "Statement written"
    else:
        statement = lock_and_check(
            AnnualStatement.objects.for_organisation(organisation),
            pk=statement.pk,
            expected_version=expected_version,
            fields=["text"],
            noun="statement",
        )
        statement.version += 1
        reason = "Statement edited"
    statement.text = text
    statement._history_user = by
    statement._change_reason = reason
    statement.save()
    return statement


@transaction.atomic
def supersede_report(*, report: Report, reason: str, by) -> Report:
    """Mark a built report as superseded (by a later one): kept and downloadable, shown as superseded."""
    from django.utils import timezone

    current = Report.objects.select_for_update().get(pk=report.pk)
    reason = reason.strip()
    if current.status != "done":
        raise ActionError("Only a finished report can be marked superseded.")
    if current.is_superseded:
        raise ActionError("This report is already marked superseded.")
    if not reason:
        raise ActionError("Enter why it is superseded.")
    current.superseded_at = timezone.now()
    current.superseded_by = by
    current.superseded_reason = reason
    current.save(update_fields=["superseded_at", "superseded_by", "superseded_reason"])
    return current
