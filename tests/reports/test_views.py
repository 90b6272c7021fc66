"""Report and dashboard pages: requests, roles, progress and downloads (builds stubbed), the dashboard and overview."""

import datetime

from ccg_involvement.permissions import Role
from ccg_involvement.years import ReportingYear
from engagements import actions
from reports.dashboard import overview
from reports.models import Report, ReportStatus
from tests.factories.core import MembershipFactory
from tests.factories.duties import wppc
from tests.factories.engagements import activity_for, group
from tests.helpers import close_file

YEAR = ReportingYear(2025)


def test_a_failing_build_leaves_a_failed_report_and_no_file(
    year_of_evidence, generate, reviewer, login, monkeypatch
):
    def explode(*args, **kwargs):
        raise RuntimeError("fonts unavailable")

    monkeypatch.setattr("reports.builders.render_pdf", explode)
    generate(login(reviewer))
    report = Report.objects.get()
    assert report.status == ReportStatus.FAILED
    assert "fonts unavailable" in report.error
    assert not report.file and report.sha256 == ""
    page = login(reviewer).get(report.get_absolute_url()).content.decode()
    assert "fonts unavailable" in page
    assert login(reviewer).get(f"/qrv/reports/{report.pk}/download/").status_code == 404


def test_a_done_report_is_never_rebuilt(fake_builds, year_of_evidence, generate, reviewer, login):
    from reports.tasks import build_report

    generate(login(reviewer))
    report = Report.objects.get()
    assert build_report.call(report.pk) == "not queued"
    assert Report.objects.get().sha256 == report.sha256
    generate(login(reviewer))
    assert Report.objects.count() == 2  # generating again makes a new report


def test_editors_generate_drafts_reviewers_final_versions_every_member_downloads(
    fake_builds, year_of_evidence, generate, reviewer, editor, viewer, login
):
    assert generate(login(viewer)).status_code == 403
    assert generate(login(editor)).status_code == 302
    draft = Report.objects.get()
    assert draft.is_draft and draft.file_name.endswith("-draft.pdf")
    generate(login(reviewer))
    report = Report.objects.exclude(pk=draft.pk).get()
    assert not report.is_draft
    response = login(viewer).get(f"/qrv/reports/{report.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    close_file(response)


def test_word_is_only_for_the_annual_report(year_of_evidence, generate, reviewer, login):
    response = generate(login(reviewer), kind="assurance_pack", format="docx")
    assert response.status_code == 400
    assert "Only the annual report section is available as a Word document" in response.content.decode()
    assert not Report.objects.exists()


def test_report_status_partial_for_htmx_polling(fake_builds, year_of_evidence, generate, reviewer, login):
    generate(login(reviewer))
    report = Report.objects.get()
    body = login(reviewer).get(report.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert (
        'id="report-status"' in body and "<html" not in body and "hx-trigger" not in body
    )  # finished: stop polling
    assert report.sha256 in body


def test_decision_record_of_another_organisation_is_not_found(reviewer, outsider, login):
    from tests.factories import proposals as pf

    theirs = pf.proposal_for(outsider)
    assert login(reviewer).post(f"/qrv/reports/decision-record/{theirs.pk}/").status_code == 404
    assert not Report.objects.exists()


def test_dashboard_page_shows_every_figure(world, editor, login):
    page = login(editor).get("/qrv/?year=2025-26").content.decode()
    assert page.count("<h1") == 1
    for text in [
        "Checklist position 2025/26",
        "11%",
        "Coverage of the duties",
        "No evidence this year (7)",
        "Overdue (1)",
        "No owner (9)",
        "3 in 2025/26 (1 in 2024/25)",
        "44 in 2025/26 (100 in 2024/25)",
        "fewer than 5",
        "Not reached at all",
        "Gypsy, Roma and Traveller communities",
        "67% of completed activities (2 of 3)",
        "20 days after the activity ended",
    ]:
        assert text in page, text
    assert "<svg" in page and "<title id=" in page and "<desc id=" in page


def test_dashboard_year_switch_is_a_partial_for_htmx(world, editor, login):
    response = login(editor).get("/qrv/?year=2024-25", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert 'id="dashboard-body"' in body and "<html" not in body
    assert "1 in 2024/25" in body
    bad = login(editor).get("/qrv/?year=nonsense").content.decode()
    assert "is not a reporting year" in bad


def test_dashboard_query_count_is_constant(
    world, editor, login, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(editor)
    client.get("/qrv/")  # the first request after logging in refreshes the session; later ones do not
    with CaptureQueriesContext(connection) as first:
        client.get("/qrv/?year=2025-26")
    baseline = len(first.captured_queries)
    assert baseline <= 30
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(30):
            a = activity_for(
                editor,
                title=f"More {n}",
                start=datetime.date(2025, 4, 1) + datetime.timedelta(days=n * 9),
                total_participants=n,
                duties=[wppc(n % 10 + 1)],
                reach={group("PC-AGE"): n},
            )
            actions.add_outcome(
                activity=a,
                by=editor.user,
                what_we_heard="a",
                what_we_did="b",
                status="done",
                reported_back_on=a.start_date + datetime.timedelta(days=5),
            )
    with django_assert_num_queries(baseline):
        client.get("/qrv/?year=2025-26")


def test_assurance_overview_one_row_per_membership(world, editor, other_organisation, login):
    MembershipFactory(user=editor.user, organisation=other_organisation, role=Role.VIEWER)
    rows = {
        r.organisation.ods_code: r for r in overview.rows([editor.organisation, other_organisation], YEAR)
    }
    assert rows["QRV"].percent_met == {"Partnership with people (s14Z45)": 11}
    assert (rows["QRV"].gaps, rows["QRV"].overdue, rows["QRV"].loop_percent) == (7, 1, 67)
    assert (rows["QHT"].gaps, rows["QHT"].percent_met, rows["QHT"].loop_percent) == (0, {}, None)
    page = login(editor).get("/assurance/?year=2025-26&sort=gaps").content.decode()
    assert page.index("NHS Riverside") < page.index("NHS Hilltop")
    assert page.count("<h1") == 1


def test_overview_shows_only_the_users_organisations(world, outsider, login):
    page = login(outsider).get("/assurance/?year=2025-26").content.decode()
    assert "NHS Riverside" not in page


def test_a_decision_record_request_builds_and_shows_the_report(
    fake_builds, reviewer, login, django_capture_on_commit_callbacks
):
    from tests.factories import proposals as pf

    proposal = pf.proposal_for(reviewer, title="Close the walk-in centre")
    with django_capture_on_commit_callbacks(execute=True):
        response = login(reviewer).post(f"/qrv/reports/decision-record/{proposal.pk}/")
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert report.status == ReportStatus.DONE and report.subject_id == proposal.pk
    assert "Close the walk-in centre" in login(reviewer).get("/qrv/reports/").content.decode()


def test_dashboard_keeps_recorded_as_0_apart_from_no_record(world, editor, login):
    page = login(editor).get("/qrv/?year=2025-26").content.decode()
    callout = page.split('id="not-reached"', 1)[1].split("</div>", 1)[0]
    zero, unknown = callout.split("No record of reaching", 1)
    assert "Carers" not in callout  # 12 carers reached in A1 (A2's 0 does not undo it)
    assert "Gypsy, Roma and Traveller communities" in unknown and "Gypsy, Roma" not in zero


def test_assurance_overview_shows_the_chosen_years_sign_off_by_its_meeting_date(editor, reviewer, login):
    from django.utils import timezone

    from tests.factories.duties import checklist_for

    checklist = checklist_for(editor)  # 2025/26
    checklist.signed_off_at = timezone.now()
    checklist.signed_off_by = reviewer.user
    checklist.meeting_date = datetime.date(2026, 3, 27)
    checklist.approving_body = "Board"
    checklist.save()
    client = login(reviewer)
    page = client.get("/assurance/?year=2025-26").content.decode()
    assert "27 March 2026 (Board)" in page
    assert 'class="nhsuk-back-link" href="/"' in page  # a way back
    other_year = client.get("/assurance/?year=2024-25").content.decode()
    assert "27 March 2026" not in other_year and "No checklists" in other_year


def test_dashboard_names_predecessors_and_successor_querying_them_only_when_there_are_some(
    world, editor, login, settings
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories.core import CCGFactory

    settings.FIGURES_CACHE_VERIFY = False
    client = login(editor)
    client.get("/qrv/")
    with CaptureQueriesContext(connection) as cached:
        page = client.get("/qrv/").content.decode()
    # session, user, membership (with its organisation), data version: the figures come from the cache
    assert len(cached.captured_queries) == 4, [q["sql"][:80] for q in cached.captured_queries]
    assert "Predecessors" not in page
    ccg = CCGFactory(name="NHS Riverside CCG", successor=editor.organisation)
    MembershipFactory(user=editor.user, organisation=ccg, role=Role.VIEWER)
    with CaptureQueriesContext(connection) as named:
        page = client.get("/qrv/").content.decode()
    assert len(named.captured_queries) == 5
    assert "Predecessors: NHS Riverside CCG." in page
    assert "Succeeded by NHS Riverside Integrated Care Board." in client.get(f"/{ccg.slug}/").content.decode()
