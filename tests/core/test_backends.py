"""The authentication backend (``ccg_involvement.backends.ModelBackend``) loads the signed-in user
as Django's does: the same user, every field, none when unknown or inactive, and sessions signed in
under Django's own backend stay signed in."""

import datetime

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, backends, get_user_model
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.test import Client
from django.utils import timezone

from ccg_involvement import backends as ours
from tests.factories.core import PASSWORD, UserFactory


def test_it_is_the_backend_that_checks_passwords(settings):
    assert settings.AUTHENTICATION_BACKENDS[-1] == ours.PATH
    assert ours.LEGACY_PATH not in settings.AUTHENTICATION_BACKENDS


def test_it_loads_the_user_django_loads_field_for_field(db):
    user = UserFactory(first_name="Siân", last_name="O'Brien", is_staff=True)
    get_user_model().objects.filter(pk=user.pk).update(last_login=timezone.now() - datetime.timedelta(days=2))
    loaded, theirs = ours.ModelBackend().get_user(str(user.pk)), backends.ModelBackend().get_user(user.pk)
    fields = [f.attname for f in get_user_model()._meta.concrete_fields]
    assert loaded == theirs
    assert [getattr(loaded, f) for f in fields] == [getattr(theirs, f) for f in fields]
    assert loaded.last_login.tzinfo is not None  # a datetime, converted on SQLite as the ORM does
    assert loaded._state.adding is False and loaded._state.db == "default"


def test_an_unknown_or_inactive_user_is_nobody(db):
    user = UserFactory(is_active=False)
    assert ours.ModelBackend().get_user(user.pk) is None
    assert ours.ModelBackend().get_user(user.pk + 1000) is None


def test_signing_in_with_a_password_names_this_backend(db):
    user = UserFactory()
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    assert client.session[BACKEND_SESSION_KEY] == ours.PATH
    assert client.get("/my-work/").status_code == 200


def test_a_session_signed_in_under_djangos_backend_stays_signed_in(db, settings):
    user = UserFactory()
    store = DjangoStore()
    store.update({SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: ours.LEGACY_PATH})
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()  # as django.contrib.auth.login writes
    store.save()
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = store.session_key
    page = client.get("/my-work/")
    assert page.status_code == 200
    assert page.wsgi_request.user == user
