"""Configuration that fails safe, redirects that stay on the site, the admin for superusers only and
spreadsheets without live formulas (issue 16, findings 2, 4, 5 and 7)."""

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client

from ccg_involvement import checks
from ccg_involvement.years import ReportingYear
from duties.models import ChecklistItem
from tests.factories.core import PASSWORD
from tests.factories.duties import checklist_for

ROOT = Path(__file__).resolve().parents[2]
APP_FOLDERS = ["ccg_involvement", "duties", "engagements", "reports", "templates", "static"]


# ------------------------------------------------------------------------------ an operator's copy of .env.example
@pytest.fixture(scope="module")
def operator_copy(tmp_path_factory):
    """The project as an operator has it: their own folder, with .env copied from .env.example."""
    copy = tmp_path_factory.mktemp("deploy") / "tracker"
    copy.mkdir()
    for name in APP_FOLDERS:
        shutil.copytree(ROOT / name, copy / name, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ["manage.py", ".env.example"]:
        shutil.copy(ROOT / name, copy / name)
    (copy / "db.sqlite3").write_bytes(b"SQLite format 3\x00 (the operator's database)")
    return copy


def run_in(folder: Path, env_file: str, script: str, **environment) -> subprocess.CompletedProcess:
    (folder / ".env").write_text(env_file)
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(folder),
        "DJANGO_SETTINGS_MODULE": "ccg_involvement.settings",
    }
    return subprocess.run(
        [sys.executable, "-c", script], cwd=folder, env={**env, **environment}, capture_output=True, text=True
    )


FETCH = """
import django
django.setup()
from django.conf import settings
from django.test import Client
# collectstatic has not been run in this copy (it takes seconds): the 404 page's stylesheet links
# use plain storage instead of the hashed manifest. WhiteNoise still serves whatever STATIC_ROOT holds.
settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
print("STATIC_ROOT", settings.STATIC_ROOT)
print("MEDIA_ROOT", settings.MEDIA_ROOT)
print("REPORT_DOCX_TEMPLATE", settings.REPORT_DOCX_TEMPLATE)
client = Client()
for path in ["/static/.env", "/static/db.sqlite3", "/static/manage.py", "/static/ccg_involvement/settings.py"]:
    print(path, client.get(path, secure=True).status_code)
from ccg_involvement.wsgi import application
print("started")
"""


def filled_in(example: str, **values) -> str:
    """.env.example with the README's required values filled in, as an operator does."""
    for name, value in values.items():
        example, count = re.subn(rf"^{name}=.*$", f"{name}={value}", example, flags=re.M)
        assert count == 1, name
    return example


def test_a_copied_env_example_does_not_publish_the_project(operator_copy):
    example = (operator_copy / ".env.example").read_text()
    env_file = filled_in(example, SECRET_KEY="a-long-random-operator-secret-" * 2, ALLOWED_HOSTS="testserver")
    result = run_in(operator_copy, env_file, FETCH)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert f"STATIC_ROOT {operator_copy / 'staticfiles'}" in out
    assert f"MEDIA_ROOT {operator_copy / 'media'}" in out
    for path in [
        "/static/.env",
        "/static/db.sqlite3",
        "/static/manage.py",
        "/static/ccg_involvement/settings.py",
    ]:
        assert f"{path} 404" in out
    assert "started" in out


def test_empty_path_values_mean_unset_not_the_current_directory(operator_copy):
    """The .env.example that shipped: STATIC_ROOT=, MEDIA_ROOT= and REPORT_DOCX_TEMPLATE= left empty."""
    env_file = (
        "SECRET_KEY=a-long-random-operator-secret-a-long-random-operator-secret\n"
        "ALLOWED_HOSTS=testserver\nSTATIC_ROOT=\nMEDIA_ROOT=\nREPORT_DOCX_TEMPLATE=\nDATABASE_URL=\nCACHE_URL=\n"
        "EMAIL_BACKEND=\nTASKS_BACKEND=\nLOG_LEVEL=\n"
    )
    result = run_in(operator_copy, env_file, FETCH)
    assert result.returncode == 0, result.stderr
    assert f"STATIC_ROOT {operator_copy / 'staticfiles'}" in result.stdout
    assert (
        f"REPORT_DOCX_TEMPLATE {operator_copy / 'reports/docx/annual_report_template.docx'}" in result.stdout
    )
    assert "/static/.env 404" in result.stdout


@pytest.mark.parametrize("static_root", [".", "..", "{copy}", "ccg_involvement"])
def test_a_static_root_that_would_publish_the_project_stops_the_server(operator_copy, static_root):
    env_file = (
        "SECRET_KEY=a-long-random-operator-secret-a-long-random-operator-secret\nALLOWED_HOSTS=testserver\n"
        f"STATIC_ROOT={static_root.format(copy=operator_copy)}\n"
    )
    result = run_in(
        operator_copy, env_file, "import django; django.setup(); from ccg_involvement.wsgi import application"
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: STATIC_ROOT" in result.stderr
    assert "would be served to anyone at /static/" in result.stderr


# ------------------------------------------------------------------------------ the system check
@pytest.fixture
def project(tmp_path, settings):
    """A project folder with the usual files, standing in for BASE_DIR."""
    base = tmp_path / "project"
    (base / "ccg_involvement").mkdir(parents=True)
    (base / "manage.py").write_text("")
    (base / ".env").write_text("SECRET_KEY=x")
    (base / "ccg_involvement" / "settings.py").write_text("")
    (base / "staticfiles").mkdir()
    (base / "media").mkdir()
    settings.BASE_DIR = base
    settings.STATIC_ROOT = str(base / "staticfiles")
    settings.MEDIA_ROOT = str(base / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(base / "media")}},
    }
    return base


def error_ids(settings):
    return sorted(e.id for e in checks.check_public_folders())


def test_the_default_folders_pass(project, settings):
    assert error_ids(settings) == []


@pytest.mark.parametrize(
    "where, problem",
    [
        ("{base}", "is the project folder"),
        ("{base}/..", "is a folder above the project"),
        ("/", "is a folder above the project"),
        ("{base}/ccg_involvement", "contains Python source"),
        ("{other}", "contains .env"),
    ],
)
def test_a_static_root_or_media_root_that_holds_the_project_is_an_error(
    project, settings, tmp_path, where, problem
):
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / ".env").write_text("SECRET_KEY=x")
    folder = where.format(base=project, other=other)
    settings.STATIC_ROOT = folder
    errors = {e.id: e for e in checks.check_public_folders()}
    assert set(errors) - {"ccg_involvement.E003"} == {"ccg_involvement.E001"}  # E003: it also holds media/
    assert (
        problem in errors["ccg_involvement.E001"].msg and errors["ccg_involvement.E001"].level >= 40
    )  # ERROR
    settings.STATIC_ROOT = str(project / "staticfiles")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": folder}},
    }
    assert {e.id for e in checks.check_public_folders()} - {"ccg_involvement.E003"} == {
        "ccg_involvement.E002"
    }


def test_overlapping_static_and_media_folders_are_an_error(project, settings):
    settings.STATIC_ROOT = str(project / "media" / "static")
    assert "ccg_involvement.E003" in error_ids(settings)


@pytest.mark.django_db  # the model checks ask the database backend what it supports
def test_check_deploy_runs_the_check_and_start_up_refuses(project, settings):
    settings.STATIC_ROOT = str(project)
    with pytest.raises(SystemCheckError, match="ccg_involvement.E001"):
        call_command("check", "--deploy", stdout=io.StringIO(), stderr=io.StringIO())
    with pytest.raises(ImproperlyConfigured, match="STATIC_ROOT"):
        checks.refuse_unsafe_paths()


MAKE_ENV = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/root")}


def make_check_deploy(**environment):
    return subprocess.run(
        ["make", "-s", "-o", ".venv/.installed", "check-deploy"],
        cwd=ROOT,
        env={**MAKE_ENV, **environment},
        capture_output=True,
        text=True,
    )


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_check_deploy_passes_with_production_settings_and_fails_on_a_public_project(tmp_path):
    ok = make_check_deploy(STATIC_ROOT=str(tmp_path / "static"), MEDIA_ROOT=str(tmp_path / "media"))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    refused = make_check_deploy(STATIC_ROOT=str(ROOT), MEDIA_ROOT=str(tmp_path / "media"))
    assert refused.returncode != 0
    assert "ccg_involvement.E001" in refused.stdout + refused.stderr


# ------------------------------------------------------------------------------ redirects read from a request
OFF_SITE = [
    "https://evil.example/phish",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "https:evil.example",
    "http://testserver/",  # this host but not HTTPS when the request is HTTPS
    "javascript:alert(1)",
]


def _views_reading_next() -> set[str]:
    """Source files that read a ``next`` parameter from a request."""
    found = set()
    for folder in ["ccg_involvement", "duties", "engagements", "reports"]:
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text()
            if (
                re.search(r"""(GET|POST|REQUEST|data|query_params)(\.get\(|\[)\s*["']next["']""", text)
                or "safe_next(" in text
            ):
                found.add(str(path.relative_to(ROOT)))
    return found


def test_every_view_that_reads_next_is_walked_below():
    assert _views_reading_next() == {
        "ccg_involvement/redirects.py",
        "duties/item_views.py",
        "duties/views.py",
    }, "A new view reads `next`: use ccg_involvement.redirects.safe_next and add it to the walk below"


@pytest.fixture
def status_url(editor):
    item = checklist_for(editor, "WPPC22", ReportingYear(2025)).items.get(duty__number=1)
    return item, item.get_absolute_url() + "status/"


@pytest.mark.parametrize("target", OFF_SITE)
def test_item_status_never_redirects_off_site(editor, login, status_url, target):
    item, url = status_url
    response = login(editor).post(url, {"status": "in_progress", "next": target}, secure=True)
    assert response.status_code == 302
    assert response["Location"] == item.checklist.get_absolute_url()
    assert ChecklistItem.objects.get(pk=item.pk).status == "in_progress"


def test_item_status_follows_a_next_on_this_site(editor, login, status_url):
    item, url = status_url
    response = login(editor).post(url, {"status": "in_progress", "next": "/qrv/activities/?q=x"}, secure=True)
    assert response["Location"] == "/qrv/activities/?q=x"


@pytest.mark.parametrize("target", OFF_SITE)
def test_checklist_bulk_change_never_redirects_off_site(editor, login, status_url, target):
    item, _ = status_url
    checklist = item.checklist
    response = login(editor).post(
        checklist.get_absolute_url() + "bulk/",
        {"items": [item.pk], "status": "in_progress", "next": target},
        secure=True,
    )
    assert response.status_code == 302
    assert response["Location"] == checklist.get_absolute_url()


@pytest.mark.parametrize("target", OFF_SITE)
@pytest.mark.parametrize(
    "path, user, expected",
    [
        ("/accounts/login/", "editor", "/"),
        ("/admin/login/", "root", "/"),
        ("/accounts/logout/", "editor", "/accounts/login/"),
        ("/admin/logout/", "root", None),
    ],
)
def test_django_views_that_read_next_never_redirect_off_site(
    editor, django_user_model, target, path, user, expected
):
    django_user_model.objects.create_superuser("root", "root@example.nhs.uk", PASSWORD)
    username = editor.user.username if user == "editor" else "root"
    client = Client()
    if "logout" in path:
        client.post("/accounts/login/", {"username": username, "password": PASSWORD}, secure=True)
        response = client.post(f"{path}?next={target}", {"next": target}, secure=True)
    else:
        response = client.post(
            path, {"username": username, "password": PASSWORD, "next": target}, secure=True
        )
    location = response.get("Location", "")
    assert "evil.example" not in location and not location.startswith(("http:", "javascript:"))
    if expected:
        assert location == expected


# ------------------------------------------------------------------------------ the admin: superusers only
@pytest.fixture
def staff_with_every_permission(db):
    from django.contrib.auth.models import Permission

    user = get_user_model().objects.create_user("sally.staff", password=PASSWORD, is_staff=True)
    user.user_permissions.set(Permission.objects.all())
    return user


def test_staff_who_are_not_superusers_cannot_use_the_admin_at_all(
    staff_with_every_permission, login, organisation
):
    from django.contrib import admin
    from django.urls import reverse

    client = login(staff_with_every_permission)
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        opts = model._meta
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    urls.append(reverse("admin:ccg_involvement_organisation_change", args=[organisation.pk]))
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url
    # Logging in to the admin with the right password does not open it either.
    refused = Client().post("/admin/login/", {"username": "sally.staff", "password": PASSWORD})
    assert refused.status_code == 200
    assert (
        "not authorized" in refused.content.decode()
        or "correct username and password" in refused.content.decode()
    )


def test_superusers_use_the_admin_and_can_lift_a_lockout(django_user_model, login, editor, settings):
    from ccg_involvement.models import AuthFailure

    root = django_user_model.objects.create_superuser("root", "root@example.nhs.uk", PASSWORD)
    client = login(root)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/ccg_involvement/organisation/").status_code == 200
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        Client().post("/accounts/login/", {"username": editor.user.username, "password": "wrong"})
    assert (
        Client()
        .post("/accounts/login/", {"username": editor.user.username, "password": PASSWORD})
        .status_code
        == 429
    )
    ids = list(AuthFailure.objects.values_list("pk", flat=True))
    response = client.post(
        "/admin/ccg_involvement/authfailure/",
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert response.status_code == 302
    assert (
        Client()
        .post("/accounts/login/", {"username": editor.user.username, "password": PASSWORD})
        .status_code
        == 302
    )


# ------------------------------------------------------------------------------ spreadsheets
FORMULAS = ['=HYPERLINK("https://evil.example","Click")', "+1+1", "-2+3", "@SUM(A1)", "=1+1"]


def test_the_import_template_lists_sheet_writes_no_formulas(editor, login):
    import openpyxl

    from engagements.models import Method, Partner

    for n, name in enumerate(FORMULAS):
        Method.objects.create(code=f"formula-method-{n}", name=name)
        Partner.objects.create(code=f"formula-partner-{n}", name=name)
    response = login(editor).get("/qrv/activities/import/template/?format=xlsx")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = [c for row in workbook["Lists"].iter_rows() for c in row if c.value is not None]
    cells += [c for row in workbook["Activities"].iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"], "a cell was written as a formula"
    values = {c.value for c in cells}
    assert set(FORMULAS) <= values  # written as text, exactly as named
