"""Hardening: lockout, headers, sessions, guessed IDs across organisations, uploads fuzzed, users kept."""

import datetime
import os
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import ProtectedError
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, assume, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from ccg_involvement.actions import store_document
from ccg_involvement.models import Document
from ccg_involvement.permissions import Role
from ccg_involvement.years import ReportingYear
from duties.models import ChecklistItem
from engagements.models import Activity, Outcome
from tests.factories.core import PASSWORD
from tests.factories.duties import checklist_for
from tests.factories.engagements import activity_for


# ------------------------------------------------------------------ login throttling
def test_repeated_failed_logins_lock_the_account_for_a_while(editor, settings):
    client = Client()
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        response = client.post("/accounts/login/", {"username": editor.user.username, "password": "wrong"})
        assert response.status_code == 200
        assert "Please enter a correct username and password" in response.content.decode()
    assert (
        client.post("/accounts/login/", {"username": editor.user.username, "password": "x"}).status_code
        == 429
    )
    locked = client.post("/accounts/login/", {"username": editor.user.username, "password": PASSWORD})
    assert locked.status_code == 429
    assert "Too many attempts to log in" in locked.content.decode()
    # another user from the same address is not locked out
    other = get_user_model().objects.create_user("someone.else", password=PASSWORD)
    assert (
        Client().post("/accounts/login/", {"username": other.username, "password": PASSWORD}).status_code
        == 302
    )


# ------------------------------------------------------------------ headers and sessions
@pytest.mark.parametrize(
    "path", ["/accounts/login/", "/qrv/", "/qrv/activities/", "/qrv/duties/", "/assurance/"]
)
def test_security_headers_on_every_kind_of_page(editor, login, path):
    client = Client() if path.startswith("/accounts/") else login(editor)
    response = client.get(path, secure=True)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self' 'nonce-" in csp and "unsafe" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_plain_http_is_redirected_to_https_outside_debug(editor):
    from django.conf import settings

    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE and settings.SECURE_HSTS_SECONDS


def test_session_expires_after_inactivity(editor, login, settings):
    from django.contrib.sessions.models import Session

    client = login(editor)
    response = client.get("/qrv/", secure=True)  # the first request after logging in moves the expiry on
    cookie = response.cookies["sessionid"]
    assert int(cookie["max-age"]) == settings.SESSION_COOKIE_AGE
    assert cookie["httponly"] and cookie["secure"]
    stored = Session.objects.get(pk=cookie.value)
    assert abs((stored.expire_date - timezone.now()).total_seconds() - settings.SESSION_COOKIE_AGE) < 5


def test_session_expiry_moves_on_at_most_once_per_refresh_interval(editor, login, settings, monkeypatch):
    from django.contrib.sessions.models import Session

    from ccg_involvement import sessions

    client = login(editor)
    client.get("/qrv/", secure=True)
    key = client.cookies["sessionid"].value
    first_expiry = Session.objects.get(pk=key).expire_date
    clock = time.time()
    monkeypatch.setattr(sessions.time, "time", lambda: clock + settings.SESSION_REFRESH_SECONDS - 1)
    with CaptureQueriesContext(connection) as queries:
        quiet = client.get("/qrv/", secure=True)
    assert "sessionid" not in quiet.cookies, "no new cookie within the interval"
    assert not [q for q in queries.captured_queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]
    assert Session.objects.get(pk=key).expire_date == first_expiry

    monkeypatch.setattr(sessions.time, "time", lambda: clock + settings.SESSION_REFRESH_SECONDS + 1)
    later = client.get("/qrv/", secure=True)
    assert int(later.cookies["sessionid"]["max-age"]) == settings.SESSION_COOKIE_AGE
    assert Session.objects.get(pk=key).expire_date > first_expiry


def test_logging_out_does_not_recreate_a_session(editor, login):
    client = login(editor)
    client.get("/qrv/", secure=True)
    response = client.post("/accounts/logout/", secure=True)
    assert response.status_code == 302
    from django.contrib.sessions.models import Session

    assert not Session.objects.exists()


# ------------------------------------------------------------------ IDs of another organisation
@pytest.fixture
def theirs(outsider):
    """Objects belonging to another organisation, whose IDs a member might guess."""
    checklist = checklist_for(outsider, "WPPC22", ReportingYear(2025))
    activity = activity_for(outsider, title="Their activity")
    from engagements import actions

    outcome = actions.add_outcome(
        activity=activity, by=outsider.user, what_we_heard="a", what_we_did="b", status="done"
    )
    document = store_document(
        organisation=outsider.organisation,
        uploaded_file=SimpleUploadedFile("secret.pdf", b"%PDF-1.4 secret"),
        title="Secret",
        by=outsider.user,
    )
    return {"checklist": checklist, "activity": activity, "outcome": outcome, "document": document}


def test_guessed_ids_of_another_organisation_in_urls_are_not_found(editor, theirs, login):
    mine = checklist_for(editor, "WPPC22", ReportingYear(2025))
    my_activity = activity_for(editor)
    client = login(editor)
    base = mine.get_absolute_url()
    for method, url in [
        ("get", f"/qrv/documents/{theirs['document'].pk}/download/"),
        ("get", f"/qrv/activities/{theirs['activity'].pk}/"),
        ("post", f"/qrv/activities/{my_activity.pk}/documents/{theirs['document'].pk}/remove/"),
        ("get", f"/qrv/activities/{my_activity.pk}/outcomes/{theirs['outcome'].pk}/"),
        ("post", f"{base}wppc-p01/documents/{theirs['document'].pk}/remove/"),
    ]:
        response = getattr(client, method)(url)
        if hasattr(response, "streaming_content"):
            from tests.helpers import close_file

            close_file(response)
        assert response.status_code == 404, url
    assert not Document.objects.get(pk=theirs["document"].pk).is_removed


def test_guessed_ids_in_form_fields_are_refused(editor, outsider, theirs, login):
    mine = checklist_for(editor, "WPPC22", ReportingYear(2025))
    item = mine.items.get(duty__number=1)
    client = login(editor)
    response = client.post(
        item.get_absolute_url(),
        {"verdict": "met", "owner": outsider.user.pk, "version": item.version, "narrative": "x"},
    )
    assert response.status_code == 400  # an owner from another organisation is not a valid choice
    assert ChecklistItem.objects.get(pk=item.pk).owner is None
    theirs_duty = theirs["checklist"].items.first().duty
    from duties.models import Duty

    ppp = Duty.objects.get(framework__code="PPP17", number=1)  # a duty for CCGs only
    response = client.post(
        "/qrv/activities/new/",
        {
            "title": "Sneaky",
            "start_date_0": "1",
            "start_date_1": "5",
            "start_date_2": "2025",
            "status": "completed",
            "duties": [ppp.pk],
            "lead": outsider.user.pk,
        },
    )
    assert response.status_code == 400
    assert not Activity.objects.filter(title="Sneaky").exists()
    assert theirs_duty.pk  # their duties are the shared framework's, which is fine to see


# ------------------------------------------------------------------ users and history are kept
def test_a_user_who_authored_records_cannot_be_deleted_only_deactivated(editor):
    activity_for(editor)
    with pytest.raises(ProtectedError):
        editor.user.delete()
    editor.user.is_active = False
    editor.user.save()
    assert Activity.objects.filter(created_by=editor.user).exists()
    assert Activity.history.filter(history_user=editor.user).exists()


def test_deactivated_users_lose_access(editor, login):
    client = login(editor)
    editor.user.is_active = False
    editor.user.save()
    assert client.get("/qrv/").status_code == 302


# ------------------------------------------------------------------ uploads fuzzed
@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.binary(max_size=4096),
    name=st.text(min_size=0, max_size=60),
    suffix=st.sampled_from([".pdf", ".docx", ".xlsx", ".csv", ".txt", ".png", ".jpg", ".exe", "", ".PDF"]),
)
def test_any_upload_is_stored_or_refused_with_a_message_never_a_500(editor, login, data, name, suffix):
    filename = (name or "x") + suffix
    # Django's multipart parser drops a file whose name has no base name ("/", ".."), before our code.
    assume(os.path.basename(filename) not in {"", ".", ".."})
    activity = Activity.objects.filter(organisation=editor.organisation).first() or activity_for(editor)
    before = Document.objects.count()
    response = login(editor).post(
        f"/qrv/activities/{activity.pk}/documents/",
        {"file": SimpleUploadedFile(filename, data), "title": "fuzz"},
    )
    assert response.status_code in {302, 400}
    if response.status_code == 400:
        assert Document.objects.count() == before
        assert "There is a problem" in response.content.decode()
    else:
        assert Document.objects.count() == before + 1


def test_outcomes_of_another_organisation_cannot_be_edited_through_my_activity(editor, theirs, login):
    mine = activity_for(editor)
    response = login(editor).post(
        f"/qrv/activities/{mine.pk}/outcomes/{theirs['outcome'].pk}/",
        {"what_we_heard": "changed", "what_we_did": "changed", "status": "done"},
    )
    assert response.status_code == 404
    assert Outcome.objects.get(pk=theirs["outcome"].pk).what_we_heard == "a"


def test_admin_cannot_delete_users_but_can_deactivate_them(db):
    from django.contrib import admin

    model_admin = admin.site._registry[get_user_model()]
    assert not model_admin.has_delete_permission(None)
    assert "deactivate_users" in model_admin.actions


_ = (Role, datetime)


@pytest.mark.parametrize("filename", ["/", "..", "a/..", "C:\\\\"])
def test_an_upload_whose_name_has_no_base_name_is_refused_with_a_message(editor, login, filename):
    activity = activity_for(editor)
    boundary = "fuzzboundary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nfuzz\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        f"Content-Type: application/pdf\r\n\r\n%PDF-1.4 x\r\n--{boundary}--\r\n"
    ).encode()
    response = login(editor).generic(
        "POST",
        f"/qrv/activities/{activity.pk}/documents/",
        body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert not Document.objects.exists()
