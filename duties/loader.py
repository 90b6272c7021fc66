"""Load the framework data files (``duties/frameworks/*.toml``) into the database.

Rules:

* Loading is idempotent: an unchanged file changes nothing.
* A revision that a checklist uses is immutable: a changed file becomes a new revision, and
  items the new revision drops are marked retired in the old one (never deleted), so recorded
  results against them survive.
* A revision nobody uses yet is updated in place.
* Every file is validated before anything is written; any problem raises ``FrameworkDataError``
  naming the file, the item and the problem, and nothing changes.

The functions take the model classes as arguments so the data migration can pass its
historical models.
"""

import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

FRAMEWORK_DIR = Path(__file__).resolve().parent / "frameworks"
KINDS = {"CCG", "ICB", "OTHER"}
IMPORTANCE = {"statutory", "core", "supporting", "policy", "analogy"}  # duties.models.Importance
VERIFICATION = {"V", "P", "U"}
REQUIRED = {
    "schema": int,
    "code": str,
    "title": str,
    "short_title": str,
    "legal_basis": str,
    "guidance_title": str,
    "publisher": str,
    "year": int,
    "applies_to": list,
    "item_label": str,
    "summary": str,
    "items": list,
}
ITEM_REQUIRED = {
    "code": str,
    "number": int,
    "title": str,
    "expected": str,
    "evidence": list,
    "importance": str,
}


class FrameworkDataError(Exception):
    """A framework data file is malformed; the message names the file, item and problem."""


@dataclass
class LoadResult:
    code: str
    action: str  # "created", "unchanged", "updated", "new revision"
    revision: int

    def __str__(self):
        return f"{self.code}: {self.action} (revision {self.revision})"


def _fail(path: Path, problem: str, item: str | None = None):
    where = f"{path.name}" + (f", item {item}" if item else "")
    raise FrameworkDataError(f"{where}: {problem}")


def parse_file(path: Path) -> dict:
    raw = path.read_bytes()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        _fail(path, "the file is not UTF-8 text")
    except tomllib.TOMLDecodeError as exc:
        _fail(path, f"not valid TOML ({exc})")
    for key, kind in REQUIRED.items():
        if key not in data:
            _fail(path, f"“{key}” is missing")
        if not isinstance(data[key], kind) or (kind is str and not data[key].strip()):
            _fail(path, f"“{key}” must be a non-empty {kind.__name__}")
    if data["schema"] != 1:
        _fail(path, f"schema {data['schema']} is not supported (expected 1)")
    if len(data["short_title"]) > 60:
        _fail(path, "“short_title” must be 60 characters or fewer")
    unknown_kinds = set(data["applies_to"]) - KINDS
    if not data["applies_to"] or unknown_kinds:
        _fail(path, f"“applies_to” must list organisation kinds from {sorted(KINDS)}")
    years = data.get("years")
    if years is not None and (
        not isinstance(years, list)
        or len(years) != 2
        or not all(isinstance(y, int) for y in years)
        or years[0] > years[1]
    ):
        _fail(path, "“years” must be [first, last] start years of the reporting years it applies to")
    for key in ("verification_note", "analogy_note"):
        if key in data and not isinstance(data[key], str):
            _fail(path, f"“{key}” must be text")
    source_keys = {s.get("key") for s in data.get("sources", []) if isinstance(s, dict)}
    if not data["items"]:
        _fail(path, "the framework has no items")
    seen_codes: set[str] = set()
    for position, item in enumerate(data["items"], start=1):
        label = str(item.get("code") or f"#{position}") if isinstance(item, dict) else f"#{position}"
        if not isinstance(item, dict):
            _fail(path, "each item must be a table", label)
        for key, kind in ITEM_REQUIRED.items():
            if key not in item:
                _fail(path, f"“{key}” is missing", label)
            if not isinstance(item[key], kind) or (kind is str and not item[key].strip()):
                _fail(path, f"“{key}” must be a non-empty {kind.__name__}", label)
        if item["number"] != position:
            _fail(path, f"“number” is {item['number']} but the item is in position {position}", label)
        if item["code"] in seen_codes:
            _fail(path, "the code is used by another item", label)
        seen_codes.add(item["code"])
        if item["importance"] not in IMPORTANCE:
            _fail(path, f"“importance” must be one of {sorted(IMPORTANCE)}", label)
        if item.get("verification", "P") not in VERIFICATION:
            _fail(path, f"“verification” must be one of {sorted(VERIFICATION)}", label)
        for key in ("citation", "verification_note"):
            if key in item and (not isinstance(item[key], str) or not item[key].strip()):
                _fail(path, f"“{key}” must be non-empty text when given", label)
        if len(item.get("citation", "")) > 300:
            _fail(path, "“citation” must be 300 characters or fewer", label)
        if len(set(item.get("sources", []))) != len(item.get("sources", [])):
            _fail(path, "a source is listed more than once", label)
        missing_sources = set(item.get("sources", [])) - source_keys
        if missing_sources:
            _fail(path, f"sources {sorted(missing_sources)} are not listed in the file's [[sources]]", label)
    scoring = data.get("scoring")
    if scoring is not None:
        if not isinstance(scoring.get("min"), int) or not isinstance(scoring.get("max"), int):
            _fail(path, "“scoring” needs integer “min” and “max”")
        for band in data.get("rating_bands", []):
            if not isinstance(band.get("label"), str) or not isinstance(band.get("min_total"), int):
                _fail(path, "each rating band needs a “label” and an integer “min_total”")
    data["_sha256"] = hashlib.sha256(raw).hexdigest()
    data["_file"] = path.name
    return data


def parse_directory(directory: Path = FRAMEWORK_DIR) -> list[dict]:
    files = sorted(directory.glob("*.toml"))
    parsed = [parse_file(path) for path in files]
    codes = [data["code"] for data in parsed]
    for code in set(codes):
        if codes.count(code) > 1:
            names = [d["_file"] for d in parsed if d["code"] == code]
            raise FrameworkDataError(
                f"{', '.join(names)}: the framework code {code} is used by more than one file"
            )
    return parsed


def _framework_fields(data: dict) -> dict:
    return {
        "title": data["title"],
        "short_title": data["short_title"],
        "legal_basis": data["legal_basis"],
        "guidance_title": data["guidance_title"],
        "publisher": data["publisher"],
        "year": data["year"],
        "applies_to": "|" + "|".join(data["applies_to"]) + "|",
        "item_label": data["item_label"],
        "summary": data["summary"],
        "verification_note": data.get("verification_note", ""),
        "analogy_note": data.get("analogy_note", ""),
        "sources": data.get("sources", []),
        "scoring": data.get("scoring"),
        "rating_bands": data.get("rating_bands", []),
        "first_year": (data.get("years") or [None, None])[0],
        "last_year": (data.get("years") or [None, None])[1],
        "source_file": data["_file"],
        "content_sha256": data["_sha256"],
    }


def _duty_fields(item: dict) -> dict:
    return {
        "number": item["number"],
        "title": item["title"],
        "expected": item["expected"],
        "evidence": item["evidence"],
        "importance": item["importance"],
        "verification": item.get("verification", "P"),
        "verification_note": item.get("verification_note", ""),
        "citation": item.get("citation", ""),
        "sources": item.get("sources", []),
        "maps_to": item.get("maps_to", []),
    }


def _model_fields(Model, fields: dict) -> dict:
    """The fields the model has: an earlier migration's model may lack fields added later."""
    names = {f.name for f in Model._meta.get_fields()}
    return {name: value for name, value in fields.items() if name in names}


def _write_duties(Duty, framework, items):
    # Renumbering in place could collide with the unique (framework, number): park numbers first.
    existing = {d.code: d for d in Duty.objects.filter(framework=framework)}
    for offset, duty in enumerate(existing.values(), start=10_000):
        duty.number = offset
        duty.save(update_fields=["number"])
    wanted = {item["code"] for item in items}
    Duty.objects.filter(framework=framework).exclude(code__in=wanted).delete()
    for item in items:
        Duty.objects.update_or_create(
            framework=framework, code=item["code"], defaults=_model_fields(Duty, _duty_fields(item))
        )


def _fields_for(Framework, data: dict) -> dict:
    """The framework's fields the model has: an earlier migration's model may lack later fields."""
    return _model_fields(Framework, _framework_fields(data))


def load_one(data: dict, *, Framework, Duty, Checklist) -> LoadResult:
    code = data["code"]
    latest = Framework.objects.filter(code=code).order_by("-revision").first()
    if latest is None:
        framework = Framework.objects.create(
            code=code, revision=1, is_current=True, **_fields_for(Framework, data)
        )
        _write_duties(Duty, framework, data["items"])
        return LoadResult(code, "created", 1)
    if latest.content_sha256 == data["_sha256"]:
        return LoadResult(code, "unchanged", latest.revision)
    if not Checklist.objects.filter(framework=latest).exists():
        for field, value in _fields_for(Framework, data).items():
            setattr(latest, field, value)
        latest.save()
        _write_duties(Duty, latest, data["items"])
        return LoadResult(code, "updated", latest.revision)
    # In use: the old revision stays exactly as it is; the file becomes a new revision.
    Framework.objects.filter(pk=latest.pk).update(is_current=False)
    framework = Framework.objects.create(
        code=code, revision=latest.revision + 1, is_current=True, **_fields_for(Framework, data)
    )
    _write_duties(Duty, framework, data["items"])
    kept = {item["code"] for item in data["items"]}
    Duty.objects.filter(framework=latest, retired_in__isnull=True).exclude(code__in=kept).update(
        retired_in=framework
    )
    return LoadResult(code, "new revision", framework.revision)


def load_frameworks(directory: Path = FRAMEWORK_DIR, *, Framework=None, Duty=None, Checklist=None):
    """Validate every file, then load them all in one transaction. Returns a LoadResult per file."""
    if Framework is None:
        from duties.models import Checklist, Duty, Framework
    parsed = parse_directory(directory)
    with transaction.atomic():
        return [load_one(data, Framework=Framework, Duty=Duty, Checklist=Checklist) for data in parsed]
