"""Authentication: Django's ``ModelBackend`` with its read on every request written out as a statement.

Every signed-in request loads its user (``django.contrib.auth.get_user`` → ``backend.get_user``).
Building ``User._default_manager.get(pk=…)`` through the ORM took about three times the
statement's own cost (0.43 ms against 0.13 ms of processor time per request, measured on the
benchmark machine), the same shape as the session read (``ccg_involvement.sessions``) and the
membership read (``ccg_involvement.tenancy.membership_at``). Same table, same columns, same rule:
an unknown or inactive user is no user. Passwords, permissions and ``authenticate`` are Django's.
"""

from django.contrib.auth import backends, get_user_model
from django.db import connections, router

from ccg_involvement import statements

LEGACY_PATH = "django.contrib.auth.backends.ModelBackend"
"""Where sessions started before this backend replaced Django's name their backend (see
``ccg_involvement.sessions.SessionStore.load``, which reads them as this backend's)."""
PATH = "ccg_involvement.backends.ModelBackend"


def user_by_pk(pk):
    """The user with primary key ``pk`` (as the session holds it), or None."""
    model = get_user_model()
    connection = connections[router.db_for_read(model)]
    qn, column = statements.quoted(connection.alias)
    selected = statements.columns(connection.alias, (model, "u"))
    sql = f"SELECT {selected.sql} FROM {qn(model._meta.db_table)} u WHERE {column(model, 'u', model._meta.pk.name)} = %s"
    pk_field = model._meta.pk
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk_field.get_db_prep_value(pk_field.to_python(pk), connection)])
        row = cursor.fetchone()
    return None if row is None else selected.read(row, connection)[0][0]


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id):
        user = user_by_pk(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
