"""Every page type is valid HTML: the W3C Nu HTML checker (npm ``vnu-jar``, run with the machine's Java).

It checks what the server sends (not the DOM after scripts), with the demo data loaded, so
``hx-*`` attributes (use ``data-hx-*``), a form inside a ``<p>``, an empty ``action`` or a
``role`` the element may not have fail here before a browser or a screen reader meets them.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from tests.page_types import page_types

VNU_JAR = Path(__file__).resolve().parents[2] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

pytestmark = [
    pytest.mark.skipif(not shutil.which("java"), reason="the Nu HTML checker needs Java"),
    pytest.mark.skipif(not VNU_JAR.exists(), reason="npm ci installs vnu-jar (devDependencies)"),
]


def _check(files: list[Path]) -> list[dict]:
    done = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    return json.loads(done.stderr or '{"messages": []}')["messages"]


@pytest.mark.django_db
def test_every_page_type_is_valid_html(tmp_path):
    from django.contrib.auth import get_user_model

    call_command("load_demo_data", verbosity=0)
    clients = {None: Client()}
    files, labels = [], {}
    for label, username, path in page_types():
        if username not in clients:
            clients[username] = Client()
            clients[username].force_login(get_user_model().objects.get(username=username))
        response = clients[username].get(path)
        assert response.status_code == {"not found": 404, "not allowed": 403}.get(label, 200), (label, path)
        file = tmp_path / f"{len(files):02d}.html"
        file.write_bytes(response.content)
        files.append(file)
        labels[f"file:{file}"] = f"{label} ({path})"  # as the checker names it
    assert len(files) >= 30
    errors = [m for m in _check(files) if m.get("type") == "error"]
    report = "\n".join(
        f"{labels.get(m.get('url', ''), m.get('url'))} line {m.get('lastLine')}: {m['message']}\n"
        f"    {m.get('extract', '').strip()[:160]}"
        for m in errors
    )
    assert not errors, f"{len(errors)} HTML error(s):\n{report}"
