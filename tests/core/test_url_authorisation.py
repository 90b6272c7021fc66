"""The URL walk: anonymous → login; a member of another organisation → 404 whatever the role; each
role of the organisation gets exactly what each view declares (``permissions_for``: the middleware's
floor plus ``@requires``); viewers never write; every POST needs CSRF."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from ccg_involvement.actions import store_document
from ccg_involvement.permissions import Role, role_has
from ccg_involvement.tenancy import permissions_for
from tests.helpers import close_file
from tests.url_expectations import URLS


def walk(patterns, namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # the admin is checked on its own below
            yield from walk(entry.url_patterns, entry.namespace or namespace)
        elif isinstance(entry, URLPattern):
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), entry


ALL_PATTERNS = list(walk(get_resolver().url_patterns))


def test_every_url_pattern_has_an_expectation():
    unnamed = [str(p.pattern) for name, p in ALL_PATTERNS if not name]
    missing = sorted({name for name, _ in ALL_PATTERNS if name and name not in URLS})
    stale = sorted(set(URLS) - {name for name, _ in ALL_PATTERNS})
    assert not unnamed, f"URL patterns without a name: {unnamed}"
    assert not missing, f"Add these URLs to tests/url_expectations.py: {missing}"
    assert not stale, f"Expectations for URLs that no longer exist: {stale}"


@pytest.fixture
def world(db, organisation, other_organisation, make_member):
    viewer = make_member(Role.VIEWER, organisation)
    editor = make_member(Role.EDITOR, organisation)
    outsider = make_member(Role.ADMIN, other_organisation)
    members = {
        Role.VIEWER: viewer,
        Role.EDITOR: editor,
        Role.REVIEWER: make_member(Role.REVIEWER, organisation),
        Role.ADMIN: make_member(Role.ADMIN, organisation),
    }
    outsiders = {
        role: make_member(role, other_organisation) for role in (Role.VIEWER, Role.EDITOR, Role.REVIEWER)
    }
    outsiders[Role.ADMIN] = outsider
    document = store_document(
        organisation=organisation,
        uploaded_file=SimpleUploadedFile("minutes.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf"),
        title="Minutes",
        by=editor.user,
    )
    world = {
        "organisation": organisation,
        "viewer": viewer,
        "editor": editor,
        "outsider": outsider,
        "members": members,
        "outsiders": outsiders,
        "document": document,
    }
    from tests import world_extensions

    for extend in world_extensions.EXTENSIONS:
        world.update(extend(world))
    return world


def urls_of(kind):
    return sorted(name for name, expect in URLS.items() if expect.kind == kind)


def client_for(membership, **kwargs):
    client = Client(**kwargs)
    client.force_login(membership.user)
    return client


@pytest.mark.parametrize("name", urls_of("organisation") + urls_of("authenticated"))
def test_anonymous_is_sent_to_login(world, name):
    url = reverse(name, kwargs=URLS[name].kwargs(world))
    for method in ("get", "post"):
        response = getattr(Client(), method)(url)
        assert response.status_code == 302, (method, url)
        assert response["Location"].startswith(reverse(settings.LOGIN_URL)), (method, url)


@pytest.mark.parametrize("name", urls_of("organisation"))
def test_viewer_can_read_but_never_write(world, name):
    url = reverse(name, kwargs=URLS[name].kwargs(world))
    client = client_for(world["viewer"])
    response = client.get(url)
    close_file(response)
    assert response.status_code in {200, 302, 403, 405}
    for method in ("post", "put", "patch", "delete"):
        assert getattr(client, method)(url).status_code == 403, (method, url)


@pytest.mark.parametrize("name", urls_of("organisation"))
def test_each_role_gets_what_the_view_declares(world, settings, name):
    """The role × organisation matrix, built from each view's declared permission.

    For every organisation URL, method and role, ``permissions_for`` (the middleware's floor plus the
    view's ``@requires``) says whether the role may: a member whose role lacks it gets 403 and one
    whose role has it gets past authorisation; any role of another organisation gets 404.
    """
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}  # build nothing
    url = reverse(name, kwargs=URLS[name].kwargs(world))
    view = resolve(url).func
    members = {role: client_for(world["members"][role]) for role in Role}
    outsiders = {role: client_for(world["outsiders"][role]) for role in Role}
    served = set()
    for method in ("GET", "POST"):
        needed = permissions_for(view, method)
        answers = {}
        for role in Role:  # weakest first: a refused request changes nothing for the next role
            response = getattr(members[role], method.lower())(url)
            close_file(response)
            answers[role] = response.status_code
            outsider = getattr(outsiders[role], method.lower())(url)
            assert outsider.status_code == 404, (method, role, url, "another organisation")
        allowed = {role for role in Role if all(role_has(role, permission) for permission in needed)}
        not_served = all(answers[role] == 405 for role in Role if role in allowed or not allowed)
        for role, status in answers.items():
            if role in allowed:
                assert status not in {403, 404}, (method, role, url, status)
            else:  # refused, unless the view does not serve the method at all
                assert status == 403 or (status == 405 and not_served), (method, role, url, status)
        if not not_served:
            served.add(method)
    assert served, f"{url} serves neither GET nor POST"


def test_the_matrix_reads_each_views_declaration(world):
    """Every @requires view declares its permission; the matrix is not just the middleware's floor."""
    declared = {
        name: resolve(reverse(name, kwargs=URLS[name].kwargs(world))).func.required_permission
        for name in (
            "checklist-sign-off",
            "checklist-item-review",
            "activity-create",
            "report-list",
            "members",
        )
    }
    assert declared == {
        "checklist-sign-off": "review",
        "checklist-item-review": "review",
        "activity-create": "edit",
        "report-list": "edit",  # editors generate drafts, reviewers final versions
        "members": "manage_members",
    }


@pytest.mark.parametrize("name", sorted(URLS))
def test_every_post_needs_a_csrf_token(world, name):
    url = reverse(name, kwargs=URLS[name].kwargs(world))
    client = client_for(world["editor"], enforce_csrf_checks=True)
    if URLS[name].kind == "public":
        client = Client(enforce_csrf_checks=True)
    assert client.post(url).status_code == 403, url


@pytest.mark.parametrize("name", urls_of("public"))
def test_public_pages_never_fail(world, name):
    url = reverse(name, kwargs=URLS[name].kwargs(world))
    assert Client().get(url).status_code in {200, 302}


def test_admin_is_for_staff_only(world):
    for client in (Client(), client_for(world["editor"])):
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_every_admin_page_is_for_staff_only(world):
    from django.contrib import admin

    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        opts = model._meta
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    assert len(urls) > 20
    for client in (Client(), client_for(world["editor"]), client_for(world["outsider"])):
        for url in urls:
            response = client.get(url)
            assert response.status_code == 302, url
            assert "/login/" in response["Location"], url  # the admin login or the app login
