"""The settings module, README and .env.example agree on every environment variable."""

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def settings_variables() -> set[str]:
    text = (ROOT / "ccg_involvement" / "settings.py").read_text()
    return set(re.findall(r'env(?:\.\w+|_path)?\(\s*"([A-Z_]+)"', text))


REQUIRED = {"SECRET_KEY", "ALLOWED_HOSTS"}  # outside DEBUG; every other variable has a safe default


def test_every_variable_is_in_env_example_and_readme():
    variables = settings_variables()
    assert {"DEBUG", "SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"} <= variables
    example = set(re.findall(r"^(?:# )?([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    readme = (ROOT / "README.md").read_text()
    assert variables == example, (
        f"Only in settings: {variables - example}; only in .env.example: {example - variables}"
    )
    missing = sorted(v for v in variables if f"`{v}`" not in readme)
    assert not missing, f"Document these in README.md: {missing}"


def test_missing_secret_key_outside_debug_fails_with_a_clear_message():
    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "false",
        "SECRET_KEY": "",
        "DJANGO_SETTINGS_MODULE": "ccg_involvement.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_env_example_leaves_every_optional_variable_commented_out():
    """Copying .env.example sets only what must be filled in: an empty optional value is never read."""
    text = (ROOT / ".env.example").read_text()
    active = set(re.findall(r"^([A-Z_]+)=", text, re.M))
    commented = set(re.findall(r"^# ([A-Z_]+)=", text, re.M))
    assert active == REQUIRED
    assert commented == settings_variables() - REQUIRED


def _production_settings(**env) -> dict:
    """The settings a production process reads from ``env`` (DEBUG off), as JSON from a subprocess."""
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "from django.template import engines; "
        "db = settings.DATABASES['default']; "
        "print(json.dumps({'options': db.get('OPTIONS', {}), "
        "'no_server_cursors': db.get('DISABLE_SERVER_SIDE_CURSORS', False), "
        "'loaders': [type(l).__module__ + '.' + type(l).__name__ "
        "for l in engines['django'].engine.template_loaders]}))"
    )
    base = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "false",
        "SECRET_KEY": "tests-only",
        "ALLOWED_HOSTS": "example.org",
        "DJANGO_SETTINGS_MODULE": "ccg_involvement.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_production_caches_compiled_templates():
    assert _production_settings()["loaders"] == ["django.template.loaders.cached.Loader"]


def test_postgresql_prepares_statements_unless_told_not_to():
    url = {"DATABASE_URL": "postgres://tracker@127.0.0.1:5432/tracker"}
    found = _production_settings(**url)
    assert found["options"]["server_side_binding"] is True and found["options"]["prepare_threshold"] == 5
    assert found["no_server_cursors"] is True  # a model select's options: one round trip, not four
    off = _production_settings(**url, PG_PREPARED_STATEMENTS="false")["options"]
    assert "server_side_binding" not in off and "prepare_threshold" not in off
