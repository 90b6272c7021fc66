"""Throttling of password guesses (logging in, changing a password) and of password-reset requests.

A throttle that anyone can aim at someone else is a denial of service, so it has two keys:

* **Address + username** (or *trusted browser* + username, below): after ``LOGIN_FAILURE_LIMIT``
  wrong passwords within ``LOGIN_LOCKOUT_MINUTES`` that pair is refused until the last failure plus
  ``LOGIN_LOCKOUT_MINUTES``, and the person is told the time to try again. The address is the
  client's, read through ``TRUSTED_PROXY_COUNT`` proxies (``client_address``), never the proxy's.
* **Username alone**, from every address: past twice the limit (more than one address can try
  before being locked), each further attempt from a browser that is not trusted for that user waits
  a *growing delay* after the last failure (1 s, doubling, at most ``LOGIN_DELAY_MAX_SECONDS``).
  That slows a guesser spread over many addresses without ever locking the account.

A browser where the user has logged in carries a signed *trusted browser* cookie for that user: its
attempts are keyed on the browser instead of the address (so people sharing an NHS network's
address cannot lock each other out) and are never delayed by failures elsewhere.

Logging in (``ThrottleBackend`` plus the ``user_login_failed``/``user_logged_in`` signals, so the
admin's login is covered too) and changing a password (``accounts.ThrottledPasswordChangeForm``)
share one count per user: a stolen session gains no extra guesses. Password-reset requests are
counted per address + email (refused past the limit) and, per email alone, send at most one email
per growing interval (1 minute, doubling, at most an hour); further requests are answered as usual
but send nothing, so nobody can flood an inbox or stop the owner from resetting.
"""

import ipaddress
import logging
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.backends import BaseBackend
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max
from django.shortcuts import render
from django.utils import timezone

from ccg_involvement.backends import ModelBackend
from ccg_involvement.models import AuthFailure

logger = logging.getLogger("ccg_involvement.throttle")

PASSWORD = "password"  # wrong passwords, logging in or changing one
RESET = "reset"  # password-reset requests
RESET_SENT = "reset-sent"  # password-reset emails sent
TRUSTED_COOKIE = "trusted_browser"
TRUSTED_DAYS = 90
_SALT = "ccg_involvement.throttle.trusted-browser"
KEEP = timedelta(days=1)
USERNAME_FACTOR = 2  # failures for a username from everywhere, as a multiple of the limit, before delays


@dataclass(frozen=True)
class Refusal:
    retry_at: datetime
    locked: bool  # locked for this address or browser; otherwise delayed for the username

    @property
    def seconds(self) -> int:
        return max(1, math.ceil((self.retry_at - timezone.now()).total_seconds()))

    @property
    def wait(self) -> str:
        return _duration(self.seconds)

    @property
    def message(self) -> str:
        at = timezone.localtime(self.retry_at)
        return f"Too many attempts. Try again after {at:%H:%M:%S} (in {self.wait})."


def _duration(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def normalise(username) -> str:
    return str(username or "").strip().casefold()[:254]


def client_address(request) -> str:
    """The client's IP address.

    ``REMOTE_ADDR`` unless ``TRUSTED_PROXY_COUNT`` proxies stand in front of the app, each appending
    the address it saw to ``X-Forwarded-For``: then the entry the outermost trusted proxy added, so
    whatever a client writes into the header itself is ignored. A request that did not come through
    them (too few entries, or not an address) falls back to ``REMOTE_ADDR``.
    """
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-count]))
    except ValueError:
        return remote


def _trusted_browser(request, username: str) -> str:
    """This browser's id when its trusted-browser cookie is valid for ``username``, else ""."""
    raw = request.COOKIES.get(TRUSTED_COOKIE) if request is not None else None
    if not raw:
        return ""
    try:
        value = signing.loads(raw, salt=_SALT, max_age=timedelta(days=TRUSTED_DAYS))
    except signing.BadSignature:
        return ""
    return value.get("b", "") if isinstance(value, dict) and value.get("u") == username else ""


def _source(request, username: str) -> dict:
    browser = _trusted_browser(request, username)
    return {"browser": browser} if browser else {"address": client_address(request), "browser": ""}


def check(request, username, *, scope: str = PASSWORD) -> Refusal | None:
    """Why this attempt must not be tried now, or None."""
    username = normalise(username)
    if not username:
        return None
    now = timezone.now()
    limit = settings.LOGIN_FAILURE_LIMIT
    lockout = timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    recent = AuthFailure.objects.filter(scope=scope, username=username, at__gte=now - lockout)
    source = _source(request, username)
    mine = list(recent.filter(**source).order_by("-at").values_list("at", flat=True)[:limit])
    if len(mine) >= limit:
        return Refusal(mine[0] + lockout, locked=True)
    if scope != PASSWORD or "address" not in source:
        return None
    figures = recent.aggregate(count=Count("id"), last=Max("at"))
    if figures["count"] >= USERNAME_FACTOR * limit:
        delay = min(
            2 ** min(figures["count"] - USERNAME_FACTOR * limit, 30), settings.LOGIN_DELAY_MAX_SECONDS
        )
        retry_at = figures["last"] + timedelta(seconds=delay)
        if retry_at > now:
            return Refusal(retry_at, locked=False)
    return None


def record_failure(request, username, *, scope: str = PASSWORD) -> None:
    username = normalise(username)
    if not username:
        return
    source = _source(request, username)
    address = client_address(request)
    AuthFailure.objects.create(
        scope=scope, username=username, address=address, browser=source["browser"], at=timezone.now()
    )
    AuthFailure.objects.filter(at__lt=timezone.now() - KEEP).delete()
    logger.warning(
        "Failed %s for %r from %s%s",
        scope,
        username,
        address,
        " (trusted browser)" if source["browser"] else "",
    )


def record_success(request, username) -> None:
    """A right password: forget this address's (or browser's) failures for the user, and trust the browser."""
    username = normalise(username)
    AuthFailure.objects.filter(scope=PASSWORD, username=username, **_source(request, username)).delete()
    request._throttle_trust = username


# ------------------------------------------------------------------------------ password reset
def reset_email_due(email) -> bool:
    """Whether a reset email may go to ``email`` now; records it when so."""
    email = normalise(email)
    now = timezone.now()
    sent = AuthFailure.objects.filter(scope=RESET_SENT, username=email, at__gte=now - KEEP).aggregate(
        count=Count("id"), last=Max("at")
    )
    if sent["count"]:
        interval = timedelta(minutes=min(2 ** min(sent["count"] - 1, 10), 60))
        if now < sent["last"] + interval:
            logger.warning("Password-reset email to %r not sent: one was sent at %s", email, sent["last"])
            return False
    AuthFailure.objects.create(scope=RESET_SENT, username=email, address="", at=now)
    return True


# ------------------------------------------------------------------------------ wiring
class ThrottleBackend(BaseBackend):
    """First in AUTHENTICATION_BACKENDS: stops authentication of a throttled username."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or username is None:
            return None
        refusal = check(request, username)
        if refusal:
            request.throttle_refusal = refusal
            logger.warning(
                "Refused login for %r from %s until %s",
                normalise(username),
                client_address(request),
                refusal.retry_at,
            )
            raise PermissionDenied
        return None  # the next backend checks the password

    def get_user(self, user_id):
        # Sessions started without a password (``Client.force_login``) name the first backend.
        return ModelBackend().get_user(user_id)


def on_login_failed(sender, credentials, request=None, **kwargs):
    if request is None or getattr(request, "throttle_refusal", None):
        return
    username = credentials.get("username")
    record_failure(request, username)
    refusal = check(request, username)
    if refusal and refusal.locked:
        request.throttle_refusal = refusal


def on_logged_in(sender, request, user, **kwargs):
    if request is not None:
        record_success(request, user.get_username())


def refused_response(request, refusal: Refusal):
    response = render(
        request,
        "registration/locked_out.html",
        {"refusal": refusal, "retry_at": timezone.localtime(refusal.retry_at)},
        status=429,
    )
    response["Retry-After"] = str(refusal.seconds)
    return response


class ThrottleMiddleware:
    """Answers a throttled login with 429 and the time to try again; sets the trusted-browser cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        refusal = getattr(request, "throttle_refusal", None)
        if refusal is not None and request.method == "POST" and response.status_code == 200:
            response = refused_response(request, refusal)
        username = getattr(request, "_throttle_trust", None)
        if username:
            browser = _trusted_browser(request, username) or secrets.token_hex(16)
            response.set_cookie(
                TRUSTED_COOKIE,
                signing.dumps({"u": username, "b": browser}, salt=_SALT),
                max_age=TRUSTED_DAYS * 24 * 60 * 60,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
