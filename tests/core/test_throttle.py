"""Login throttling that cannot be aimed at a user (issue 16, findings 3 and 6).

Lockouts are keyed on the client's address (read through the trusted proxies) and the username; the
username alone only ever delays; changing and resetting a password are throttled the same way.
"""

import datetime

import pytest
from django.core import mail
from django.test import Client, RequestFactory
from django.utils import timezone

from ccg_involvement import throttle
from ccg_involvement.models import AuthFailure
from tests.factories.core import PASSWORD

LOGIN = "/accounts/login/"
PROXY = "10.0.0.2"  # the TLS proxy, as every request through it appears to the app


def attempt(username, password="wrong", *, client=None, address=None, via_proxy=False, path=LOGIN):
    """POST a login as a client at ``address`` (directly, or through the proxy)."""
    client = client or Client()
    extra = {"REMOTE_ADDR": address or "127.0.0.1"}
    if via_proxy:
        extra = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": address}
    return client.post(path, {"username": username, "password": password}, **extra)


def fail(times, username, **kwargs):
    for _ in range(times):
        response = attempt(username, **kwargs)
    return response


@pytest.fixture
def clock(monkeypatch):
    """Move the throttle's clock: ``clock.advance(seconds=…)``."""

    class Clock:
        now = timezone.now()

        def advance(self, **delta):
            self.now += datetime.timedelta(**delta)

    state = Clock()
    monkeypatch.setattr(throttle.timezone, "now", lambda: state.now)  # django.utils.timezone
    return state


# ------------------------------------------------------------------------------ the client's address
@pytest.mark.parametrize(
    "count, meta, expected",
    [
        (0, {"REMOTE_ADDR": "192.0.2.7"}, "192.0.2.7"),
        # default off: a header any client can write is ignored
        (0, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "192.0.2.7"}, PROXY),
        # one trusted proxy: the address it appended (the last), not what the client wrote before it
        (1, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.9, 192.0.2.7"}, "192.0.2.7"),
        (2, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.9, 192.0.2.7, 10.0.0.3"}, "192.0.2.7"),
        # not through the proxy (no header, or fewer entries than proxies), or nonsense: the connection
        (1, {"REMOTE_ADDR": "192.0.2.7"}, "192.0.2.7"),
        (2, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "192.0.2.7"}, PROXY),
        (1, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "not-an-address"}, PROXY),
        (1, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "2001:db8::1"}, "2001:db8::1"),
    ],
)
def test_the_client_address_is_read_through_the_trusted_proxies_only(settings, count, meta, expected):
    settings.TRUSTED_PROXY_COUNT = count
    assert throttle.client_address(RequestFactory().get("/", **meta)) == expected


def test_without_the_proxy_setting_everyone_behind_the_proxy_shares_one_lockout(editor, settings):
    """The reported finding, kept visible: with the default (no proxy trusted) the proxy's address is used."""
    settings.TRUSTED_PROXY_COUNT = 0
    fail(settings.LOGIN_FAILURE_LIMIT, editor.user.username, address="198.51.100.1", via_proxy=True)
    # The real user, elsewhere, comes through the same proxy: same key, so the pair is locked.
    assert attempt(editor.user.username, PASSWORD, address="192.0.2.50", via_proxy=True).status_code == 429


def test_behind_the_trusted_proxy_an_attacker_cannot_lock_the_user_out(editor, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    response = fail(
        settings.LOGIN_FAILURE_LIMIT, editor.user.username, address="198.51.100.1", via_proxy=True
    )
    assert response.status_code == 429, "the attacker's own address is locked"
    assert "Too many attempts to log in" in response.content.decode()
    # The real user, at another address behind the same proxy, logs in.
    assert attempt(editor.user.username, PASSWORD, address="192.0.2.50", via_proxy=True).status_code == 302


# ------------------------------------------------------------------------------ address + username
def test_the_lockout_says_when_to_try_again_and_ends_then(editor, settings, clock):
    username = editor.user.username
    fail(settings.LOGIN_FAILURE_LIMIT - 1, username)
    locked = attempt(username)
    assert locked.status_code == 429
    retry_at = timezone.localtime(clock.now + datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES))
    page = locked.content.decode()
    assert f"paused until <strong>{retry_at:%H:%M:%S}</strong>" in page
    assert "(in 15 minutes)" in page
    assert locked["Retry-After"] == str(settings.LOGIN_LOCKOUT_MINUTES * 60)
    # The right password does not get in while locked, nor extend the lockout.
    clock.advance(minutes=10)
    assert attempt(username, PASSWORD).status_code == 429
    clock.advance(minutes=5, seconds=1)
    assert attempt(username, PASSWORD).status_code == 302


def test_a_successful_login_forgets_that_addresses_failures(editor, settings):
    username = editor.user.username
    fail(settings.LOGIN_FAILURE_LIMIT - 1, username)
    assert attempt(username, PASSWORD).status_code == 302
    assert attempt(username).status_code == 200, "a fresh count after logging in"


def test_the_username_is_matched_whatever_its_case_or_spacing(editor, settings):
    for variant in ["Eddie.Editor", " eddie.editor", "EDDIE.EDITOR ", "eddie.editor", "eddie.Editor"]:
        attempt(variant)
    assert attempt(editor.user.username, PASSWORD).status_code == 429


def test_other_users_at_the_same_address_are_not_affected(editor, reviewer, settings):
    fail(settings.LOGIN_FAILURE_LIMIT, editor.user.username)
    assert attempt(reviewer.user.username, PASSWORD).status_code == 302


def test_the_admin_login_is_throttled_too(settings, django_user_model):
    django_user_model.objects.create_superuser("root", "root@example.nhs.uk", PASSWORD)
    response = fail(settings.LOGIN_FAILURE_LIMIT, "root", path="/admin/login/")
    assert response.status_code == 429
    assert attempt("root", PASSWORD, path="/admin/login/").status_code == 429
    assert attempt("root", PASSWORD, address="192.0.2.50", path="/admin/login/").status_code == 302


# ------------------------------------------------------------------------------ the username alone: a delay
def test_failures_from_many_addresses_delay_the_username_but_never_lock_it(editor, settings, clock):
    username = editor.user.username
    limit = settings.LOGIN_FAILURE_LIMIT
    # A guesser spread over many addresses, each under the per-address limit.
    for n in range(2 * limit + 3):
        assert attempt(username, address=f"198.51.100.{n}").status_code == 200
        clock.advance(seconds=settings.LOGIN_DELAY_MAX_SECONDS)
    # twice the limit + 3 failures: the next attempt from anywhere new waits 2 ** 3 s after the last failure
    clock.advance(seconds=-settings.LOGIN_DELAY_MAX_SECONDS)
    delayed = attempt(username, PASSWORD, address="192.0.2.50")
    assert delayed.status_code == 429
    assert "each attempt has to wait a little" in delayed.content.decode()
    assert "(in 8 seconds)" in delayed.content.decode()
    clock.advance(seconds=8)
    assert attempt(username, PASSWORD, address="192.0.2.50").status_code == 302


def test_the_delay_grows_but_is_capped(editor, settings, clock):
    username = editor.user.username
    settings.LOGIN_DELAY_MAX_SECONDS = 60
    for n in range(40):
        AuthFailure.objects.create(
            scope=throttle.PASSWORD, username=username, address=f"198.51.100.{n}", at=clock.now
        )
    refusal = throttle.check(RequestFactory().post(LOGIN, REMOTE_ADDR="192.0.2.50"), username)
    assert refusal and not refusal.locked
    assert refusal.seconds == 60
    clock.advance(seconds=60)
    assert throttle.check(RequestFactory().post(LOGIN, REMOTE_ADDR="192.0.2.50"), username) is None


def test_a_browser_the_user_has_logged_in_with_is_neither_delayed_nor_locked_by_others(editor, settings):
    username = editor.user.username
    mine = Client()
    assert attempt(username, PASSWORD, client=mine, address="192.0.2.50").status_code == 302
    assert throttle.TRUSTED_COOKIE in mine.cookies
    cookie = mine.cookies[throttle.TRUSTED_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    mine.post("/accounts/logout/")
    # Someone at the same NHS address (one NAT) guesses, and others elsewhere: that address is locked…
    fail(settings.LOGIN_FAILURE_LIMIT, username, address="192.0.2.50")
    fail(settings.LOGIN_FAILURE_LIMIT, username, address="198.51.100.1")
    assert attempt(username, PASSWORD, address="192.0.2.50").status_code == 429
    # …but the user's own browser there still logs in at once.
    assert attempt(username, PASSWORD, client=mine, address="192.0.2.50").status_code == 302


def test_a_trusted_browser_cookie_for_another_user_or_forged_is_worth_nothing(editor, reviewer, settings):
    theirs = Client()
    attempt(reviewer.user.username, PASSWORD, client=theirs)
    theirs.post("/accounts/logout/")
    fail(settings.LOGIN_FAILURE_LIMIT, editor.user.username)
    assert attempt(editor.user.username, PASSWORD, client=theirs).status_code == 429
    forged = Client()
    forged.cookies[throttle.TRUSTED_COOKIE] = '{"u": "eddie.editor", "b": "x"}'
    assert attempt(editor.user.username, PASSWORD, client=forged).status_code == 429


# ------------------------------------------------------------------------------ changing a password
def test_the_password_change_form_is_throttled_and_shares_the_login_count(editor, login, settings, clock):
    client = login(editor)
    change = {"new_password1": "a-new-long-password", "new_password2": "a-new-long-password"}
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        response = client.post("/accounts/password/change/", {"old_password": "guess", **change})
        assert response.status_code == 200
    fifth = client.post("/accounts/password/change/", {"old_password": "guess", **change})
    assert fifth.status_code == 429, "the guess that reaches the limit locks"
    # now even the right password is refused, and the page says until when
    locked = client.post("/accounts/password/change/", {"old_password": PASSWORD, **change})
    assert locked.status_code == 429
    assert "Too many attempts. Try again after" in locked.content.decode()
    editor.user.refresh_from_db()
    assert editor.user.check_password(PASSWORD)
    # and the same count stops logging in from that address
    assert attempt(editor.user.username, PASSWORD).status_code == 429
    clock.advance(minutes=settings.LOGIN_LOCKOUT_MINUTES, seconds=1)
    changed = client.post("/accounts/password/change/", {"old_password": PASSWORD, **change})
    assert changed.status_code == 302


def test_the_admin_password_change_goes_to_the_throttled_form(django_user_model, login):
    root = django_user_model.objects.create_superuser("root", "root@example.nhs.uk", PASSWORD)
    response = login(root).get("/admin/password_change/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/change/"


# ------------------------------------------------------------------------------ resetting a password
def test_password_reset_emails_are_spaced_out_per_email_and_requests_limited_per_address(
    editor, settings, clock
):
    email = editor.user.email
    assert email
    client = Client()

    def ask(address="192.0.2.50"):
        return client.post("/accounts/password/reset/", {"email": email}, REMOTE_ADDR=address)

    assert ask().status_code == 302
    assert len(mail.outbox) == 1
    # Asking again at once looks the same but sends nothing (the first link still works).
    assert ask(address="198.51.100.1").status_code == 302
    assert len(mail.outbox) == 1
    clock.advance(minutes=1, seconds=1)
    assert ask(address="198.51.100.2").status_code == 302
    assert len(mail.outbox) == 2
    clock.advance(minutes=1, seconds=1)  # the interval has doubled to 2 minutes
    ask(address="198.51.100.3")
    assert len(mail.outbox) == 2
    # One address asking over and over is refused, and told when to try again.
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        ask()
    refused = ask()
    assert refused.status_code == 429
    assert "Too many attempts. Try again after" in refused.content.decode()
    # Another address (the real owner) is still answered.
    assert ask(address="192.0.2.99").status_code == 302


def test_password_reset_throttle_reveals_nothing_about_accounts(db, settings):
    client = Client()
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        assert client.post("/accounts/password/reset/", {"email": "nobody@example.nhs.uk"}).status_code == 302
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.nhs.uk"})
    assert unknown.status_code == 429  # limited per address whether or not the account exists
    assert len(mail.outbox) == 0


# ------------------------------------------------------------------------------ housekeeping and audit
def test_failures_are_logged_and_pruned_after_a_day(editor, caplog, clock):
    AuthFailure.objects.create(scope=throttle.PASSWORD, username="old", address="192.0.2.1", at=clock.now)
    clock.advance(days=1, seconds=1)
    with caplog.at_level("WARNING", logger="ccg_involvement.throttle"):
        attempt(editor.user.username, address="192.0.2.9")
    assert "Failed password for 'eddie.editor' from 192.0.2.9" in caplog.text
    assert list(AuthFailure.objects.values_list("username", flat=True)) == ["eddie.editor"]
