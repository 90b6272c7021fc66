"""Sessions: inactivity expiry without a database write on every request, and a cheaper read.

``SESSION_SAVE_EVERY_REQUEST`` would move a session's expiry on with every page, at the cost of an
UPDATE and a COMMIT per request. This middleware marks the session as changed only when the last
refresh is more than ``SESSION_REFRESH_SECONDS`` old, so a session still expires
``SESSION_COOKIE_AGE`` seconds after the user's last activity, give or take that interval.

``SessionStore`` (``SESSION_ENGINE = "ccg_involvement.sessions"``) is Django's database store with
its one read on every request written out as a statement: the ORM took ten times the statement's
execution to build ``Session.objects.get(session_key=…, expire_date__gt=now)``. Same table, same
rows, same rule (an expired or unknown session reads as empty, and its key is dropped). A session
signed in before ``ccg_involvement.backends.ModelBackend`` replaced Django's names Django's backend,
which is no longer listed: it is read as naming the project's, so nobody is signed out by the change.
"""

import time

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

from ccg_involvement import backends


class SessionStore(db.SessionStore):
    def load(self):
        meta = self.model._meta
        connection = connections[router.db_for_read(self.model)]
        qn = connection.ops.quote_name

        def column(name):
            return qn(meta.get_field(name).column)

        sql = (
            f"SELECT {column('session_data')} FROM {qn(meta.db_table)} "
            f"WHERE {column('session_key')} = %s AND {column('expire_date')} > %s"
        )
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return {}
        data = self.decode(row[0])
        if data.get(BACKEND_SESSION_KEY) == backends.LEGACY_PATH:  # signed in before the project's backend
            data[BACKEND_SESSION_KEY] = backends.PATH
        return data


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
