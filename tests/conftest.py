import os
from pathlib import Path

import pytest
from django.test import Client

from ccg_involvement.permissions import Role
from tests.factories.core import MembershipFactory, OrganisationFactory, UserFactory

# Playwright's sync API runs an event loop in the test thread; the ORM must still be usable.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Plain static storage (no manifest needed), a private media root, fast password hashing."""
    settings.STORAGES = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SECURE_SSL_REDIRECT = False
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _figures_cache(settings):
    """An empty figures cache per test, and every cache hit checked against the data.

    A test's transaction is never committed (unless the test is transactional): the fixtures' writes
    count as committed before the test runs (``pytest_runtest_call`` below), and a test that writes
    and then reads the dashboard commits its writes with ``django_capture_on_commit_callbacks``.
    """
    from django.core.cache import caches

    caches[settings.FIGURES_CACHE].clear()
    settings.FIGURES_CACHE_VERIFY = True


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """The fixtures' data is committed before the test body runs: their data-version increments run.

    (Only these callbacks: others, such as report builds, are the test's to capture.)
    """
    if "db" in getattr(item, "fixturenames", ()):
        from django.db import connection

        from ccg_involvement.freshness import _Increment

        for _, func, _ in list(connection.run_on_commit):
            if isinstance(func, _Increment):
                func()
    return (yield)


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="NHS Riverside Integrated Care Board", ods_code="QRV")


@pytest.fixture
def other_organisation(db):
    return OrganisationFactory(name="NHS Hilltop Integrated Care Board", ods_code="QHT")


@pytest.fixture
def make_member(db):
    """``make_member(role, organisation)`` → a Membership of a new user."""

    def make(role=Role.EDITOR, organisation=None, **user_kwargs):
        kwargs = {"role": role, "user": UserFactory(**user_kwargs)}
        if organisation is not None:
            kwargs["organisation"] = organisation
        return MembershipFactory(**kwargs)

    return make


@pytest.fixture
def login(db):
    """``login(membership_or_user)`` → a Django test client logged in as that user."""

    def make_client(who, **client_kwargs):
        user = getattr(who, "user", who)
        client = Client(**client_kwargs)
        client.force_login(user)
        return client

    return make_client


@pytest.fixture(params=[Role.VIEWER, Role.EDITOR, Role.REVIEWER, Role.ADMIN])
def any_member(request, make_member, organisation):
    return make_member(request.param, organisation)


@pytest.fixture
def viewer(make_member, organisation):
    return make_member(Role.VIEWER, organisation, username="vera.viewer")


@pytest.fixture
def editor(make_member, organisation):
    return make_member(Role.EDITOR, organisation, username="eddie.editor")


@pytest.fixture
def reviewer(make_member, organisation):
    return make_member(Role.REVIEWER, organisation, username="rita.reviewer")


@pytest.fixture
def org_admin(make_member, organisation):
    return make_member(Role.ADMIN, organisation, username="adam.admin")


@pytest.fixture
def outsider(make_member, other_organisation):
    """An editor of another organisation."""
    return make_member(Role.EDITOR, other_organisation, username="olly.outsider")


# ---------------------------------------------------------------- browser tests (Playwright)
@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--no-first-run",
        ],
    }


@pytest.fixture
def screenshot(page, request):
    """``screenshot("name")`` saves a full-page PNG under test-artifacts/ for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(name):
        path = ARTIFACTS / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def reference_data(transactional_db):
    """Frameworks and lookups for tests that flush the database (live_server, transaction=True).

    Data migrations load them into the test database once; a transactional test's flush removes
    them, so such tests load them again (the loaders are idempotent).
    """
    from django.apps import apps

    from duties.loader import load_frameworks
    from engagements.lookups import load_lookups
    from engagements.proposals.models import load_proposal_lookups

    load_frameworks()
    load_lookups(apps.get_model)
    load_proposal_lookups(apps.get_model)
