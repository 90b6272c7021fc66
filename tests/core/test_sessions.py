"""The session store (``ccg_involvement.sessions.SessionStore``) reads what Django's database store
reads: the session's data while it has not expired, nothing (and no key) otherwise."""

import datetime

from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from ccg_involvement.sessions import SessionStore


def saved(**data):
    store = DjangoStore()
    store.update(data)
    store.save()
    return store.session_key


def test_it_is_the_engine(settings):
    assert settings.SESSION_ENGINE == "ccg_involvement.sessions"


def test_a_live_session_reads_as_django_reads_it(db):
    key = saved(_auth_user_id="7", name="O'Brien <&>", when=3)
    ours, theirs = SessionStore(key), DjangoStore(key)
    assert ours.load() == theirs.load() == {"_auth_user_id": "7", "name": "O'Brien <&>", "when": 3}
    assert ours.session_key == key


def test_an_expired_or_unknown_session_reads_as_empty_and_loses_its_key(db):
    key = saved(_auth_user_id="7")
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    for store in (SessionStore(key), SessionStore("x" * 32)):
        assert store.load() == {}
        assert store.session_key is None
    assert DjangoStore(key).load() == {}


def test_a_session_expiring_later_is_still_read(db):
    key = saved(a=1)
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + datetime.timedelta(seconds=5))
    assert SessionStore(key).load() == {"a": 1}
