"""Authentication: Django's ``ModelBackend`` with its read on every request written out as a statement.

Every signed-in request loads its user (``django.contrib.auth.get_user`` → ``backend.get_user``).
Building ``User._default_manager.get(pk=…)`` through the ORM took about three times the
statement's own cost (0.43 ms against 0.13 ms of processor time per request, measured on the
benchmark machine), the same shape as the session read (``ccg_involvement.sessions``) and the
membership read (``ccg_involvement.tenancy.membership_at``). Same table, same columns, same rule:
an unknown or inactive user is no user. Passwords, permissions and ``authenticate`` are Django's.
"""

import functools

from django.contrib.auth import backends, get_user_model
from django.db import connections, router

LEGACY_PATH = "django.contrib.auth.backends.ModelBackend"
"""Where sessions started before this backend replaced Django's name their backend (see
``ccg_involvement.sessions.SessionStore.load``, which reads them as this backend's)."""
PATH = "ccg_involvement.backends.ModelBackend"


@functools.cache
def _statement(alias: str, model) -> tuple[str, list, list]:
    """The statement, the attribute names and each column's converters (none on PostgreSQL; on SQLite
    datetimes and booleans), built once per user model and database."""
    connection = connections[alias]
    qn = connection.ops.quote_name
    meta = model._meta
    fields = meta.concrete_fields
    sql = (
        f"SELECT {', '.join(qn(f.column) for f in fields)} FROM {qn(meta.db_table)} "
        f"WHERE {qn(meta.pk.column)} = %s"
    )
    columns = [f.get_col(meta.db_table) for f in fields]
    converters = [
        (n, column, connection.ops.get_db_converters(column) + column.get_db_converters(connection))
        for n, column in enumerate(columns)
    ]
    return sql, [f.attname for f in fields], [c for c in converters if c[2]]


def user_by_pk(pk):
    """The user with primary key ``pk`` (as the session holds it), or None."""
    model = get_user_model()
    using = router.db_for_read(model)
    connection = connections[using]
    sql, attnames, converters = _statement(using, model)
    with connection.cursor() as cursor:
        cursor.execute(sql, [model._meta.pk.get_db_prep_value(model._meta.pk.to_python(pk), connection)])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for n, column, functions in converters:
        for convert in functions:
            values[n] = convert(values[n], column, connection)
    return model.from_db(using, attnames, values)


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id):
        user = user_by_pk(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
