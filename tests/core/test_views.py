"""Core pages: home and organisation choice, the header, login, health check, security headers, error pages, demo data."""

from django.test import Client
from django.urls import reverse

from ccg_involvement.models import Organisation
from ccg_involvement.permissions import Role
from tests.factories.core import MembershipFactory


def test_home_sends_a_single_membership_straight_to_its_organisation(editor, login):
    response = login(editor).get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == "/qrv/"


def test_home_lets_a_member_of_several_choose(editor, make_member, other_organisation, login):
    MembershipFactory(user=editor.user, organisation=other_organisation, role=Role.VIEWER)
    response = login(editor).get(reverse("home"))
    assert response.status_code == 200
    assert b"NHS Riverside Integrated Care Board" in response.content
    assert b"NHS Hilltop Integrated Care Board" in response.content


def test_organisation_home_shows_the_organisation(editor, login):
    client = login(editor)
    response = client.get("/qrv/")
    assert response.status_code == 200
    assert response.content.count(b"<h1") == 1
    assert b"NHS Riverside Integrated Care Board" in response.content


def test_header_offers_a_change_of_organisation_only_to_members_of_several(editor, other_organisation, login):
    client = login(editor)
    assert "Change<span" not in client.get("/qrv/").content.decode()
    MembershipFactory(user=editor.user, organisation=other_organisation, role=Role.VIEWER)
    assert "Change<span" in client.get("/qrv/").content.decode()


def test_organisation_code_in_url_is_case_insensitive(editor, login):
    assert login(editor).get("/QRV/").status_code == 200


def test_healthz_checks_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_login_page_and_login(client, editor):
    page = client.get(reverse("login"))
    assert page.status_code == 200
    response = client.post(
        reverse("login"), {"username": "eddie.editor", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    bad = Client().post(reverse("login"), {"username": "eddie.editor", "password": "wrong"})
    # a failed login shows the form again with an error summary
    assert bad.status_code == 200
    assert "There is a problem" in bad.content.decode()


def test_security_headers(editor, login):
    response = login(editor).get("/qrv/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp
    assert "style-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_error_pages_use_the_layout(editor, login):
    response = login(editor).get("/qrv/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_demo_data_loads_every_app_and_is_idempotent(db):
    from io import StringIO

    from django.core.management import call_command

    from duties.models import Checklist
    from engagements.models import Activity
    from engagements.proposals.models import Proposal

    out = StringIO()
    call_command("load_demo_data", stdout=out)
    assert "Demo logins" in out.getvalue() and "Proposals: 4" in out.getvalue()
    counts = (
        Organisation.objects.count(),
        Checklist.objects.count(),
        Activity.objects.count(),
        Proposal.objects.count(),
    )
    assert counts[0] == 2 and all(counts)
    call_command("load_demo_data", stdout=StringIO())
    assert (
        Organisation.objects.count(),
        Checklist.objects.count(),
        Activity.objects.count(),
        Proposal.objects.count(),
    ) == counts
    call_command("load_demo_data", "--if-empty", stdout=out)
    assert "already has data" in out.getvalue()
