"""Inactivity expiry without a database write on every request.

``SESSION_SAVE_EVERY_REQUEST`` would move a session's expiry on with every page, at the cost of an
UPDATE and a COMMIT per request. This middleware marks the session as changed only when the last
refresh is more than ``SESSION_REFRESH_SECONDS`` old, so a session still expires
``SESSION_COOKIE_AGE`` seconds after the user's last activity, give or take that interval.
"""

import time

from django.conf import settings

REFRESHED_AT = "_refreshed_at"


class SessionRefreshMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # An empty session (an anonymous visitor, or one just logged out) is never created here.
        if session is None or not session.accessed or session.is_empty() or not session.keys():
            return response
        now = int(time.time())
        if now - session.get(REFRESHED_AT, 0) >= settings.SESSION_REFRESH_SECONDS:
            session[REFRESHED_AT] = now  # marks the session modified: SessionMiddleware saves it
        return response
