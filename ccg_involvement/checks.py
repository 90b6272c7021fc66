"""System checks that refuse a configuration which would publish the project or its evidence.

Registered (error level) when the app loads, so ``manage.py check``, ``check --deploy``, ``migrate``
and ``runserver`` run them; ``wsgi.py`` and ``asgi.py`` run them too (``refuse_unsafe_paths``), so
gunicorn does not start with such a configuration.
"""

from pathlib import Path

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

# Files whose presence shows a folder is (part of) the project, not a folder of public files.
PROJECT_MARKERS = ("manage.py", ".env", ".env.example", "db.sqlite3", "pyproject.toml", ".git")


def _folders() -> list[tuple[str, Path]]:
    folders = []
    if settings.STATIC_ROOT:
        folders.append(("STATIC_ROOT", Path(settings.STATIC_ROOT)))
    media = settings.STORAGES.get("default", {}).get("OPTIONS", {}).get("location") or settings.MEDIA_ROOT
    if media:
        folders.append(("MEDIA_ROOT", Path(media)))
    return [(name, path.expanduser().resolve()) for name, path in folders]


def _problem(path: Path, project: Path) -> str | None:
    if path == project:
        return "is the project folder"
    if path in project.parents:
        return "is a folder above the project"
    if path.is_dir():
        for marker in PROJECT_MARKERS:
            if (path / marker).exists():
                return f"contains {marker}"
        if next(path.glob("*.py"), None) is not None:
            return "contains Python source"
    return None


@checks.register(checks.Tags.security)
def check_public_folders(app_configs=None, **kwargs):
    errors = []
    project = Path(settings.BASE_DIR).resolve()
    folders = _folders()
    for name, path in folders:
        problem = _problem(path, project)
        if problem:
            what = (
                "served to anyone at /static/" if name == "STATIC_ROOT" else "written with uploaded evidence"
            )
            errors.append(
                checks.Error(
                    f"{name} ({path}) {problem}: its files would be {what}.",
                    hint=f"Set {name} to a folder of its own, e.g. {project / name.split('_')[0].lower()}"
                    f"{'files' if name == 'STATIC_ROOT' else ''}, or leave it unset for the default.",
                    id="ccg_involvement.E001" if name == "STATIC_ROOT" else "ccg_involvement.E002",
                )
            )
    paths = dict(folders)
    static, media = paths.get("STATIC_ROOT"), paths.get("MEDIA_ROOT")
    if static and media and (static == media or static in media.parents or media in static.parents):
        errors.append(
            checks.Error(
                f"STATIC_ROOT ({static}) and MEDIA_ROOT ({media}) overlap: uploaded evidence could be "
                "served publicly, or static files written among it.",
                hint="Give each its own folder.",
                id="ccg_involvement.E003",
            )
        )
    return errors


def refuse_unsafe_paths() -> None:
    """Stop a server process whose configuration would publish the project (called at start-up)."""
    errors = check_public_folders()
    if errors:
        raise ImproperlyConfigured(" ".join(f"{e.msg} {e.hint}" for e in errors))
