"""Production static storage (ccg_involvement/storage.py): WhiteNoise's hashed URLs, each worked out
once per process and forgotten when collectstatic rewrites the manifest."""

import json

import pytest
from whitenoise.storage import CompressedManifestStaticFilesStorage

from ccg_involvement.storage import StaticFilesStorage


@pytest.fixture
def storage(tmp_path, settings):
    settings.DEBUG = False
    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"version": "1.1", "paths": {"js/app.js": "js/app.0123abcd.js"}, "hash": "x"})
    )
    return StaticFilesStorage(location=str(tmp_path), base_url="/static/")


def test_the_hashed_url_as_whitenoise_gives_it_and_then_from_memory(storage, tmp_path, monkeypatch):
    plain = CompressedManifestStaticFilesStorage(location=str(tmp_path), base_url="/static/")
    assert storage.url("js/app.js") == plain.url("js/app.js") == "/static/js/app.0123abcd.js"
    looked_up = []
    monkeypatch.setattr(storage, "stored_name", lambda name: looked_up.append(name) or name)
    assert storage.url("js/app.js") == "/static/js/app.0123abcd.js"
    assert looked_up == []


def test_a_file_missing_from_the_manifest_fails_every_time(storage):
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("js/missing.js")


def test_with_debug_on_the_name_is_not_hashed(storage, settings):
    assert storage.url("js/app.js") == "/static/js/app.0123abcd.js"
    settings.DEBUG = True
    assert storage.url("js/app.js") == "/static/js/app.js"


def test_collectstatic_forgets_what_was_remembered(storage, monkeypatch):
    assert storage.url("js/app.js") == "/static/js/app.0123abcd.js"
    monkeypatch.setattr(CompressedManifestStaticFilesStorage, "post_process", lambda self, *a, **k: iter(()))
    list(storage.post_process({}))
    storage.hashed_files = {"js/app.js": "js/app.feedbeef.js"}
    assert storage.url("js/app.js") == "/static/js/app.feedbeef.js"
