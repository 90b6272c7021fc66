"""Seed the lookup tables from ``engagements/data/lookups.toml`` (idempotent).

Migrations call ``load_lookups`` with their historical models, so it writes only the tables and
fields the schema of that moment has (the categories arrive with migration 0007).
"""

import tomllib
from pathlib import Path

LOOKUPS_FILE = Path(__file__).resolve().parent / "data" / "lookups.toml"
TABLES = {
    "methods": "Method",
    "partners": "Partner",
    "audience_groups": "AudienceGroup",
    "adjustments": "Adjustment",
}
OPTIONAL_FIELDS = (
    "kind",
    "categories_source",
    "categories_url",
    "categories_verified",
    "categories_note",
    "kind_verified",
)


def _field_names(model) -> set[str]:
    return {f.name for f in model._meta.get_fields()}


def load_lookups(get_model, path: Path = LOOKUPS_FILE) -> dict[str, int]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    counts = {}
    position = 0
    for key, model_name in TABLES.items():
        model = get_model("engagements", model_name)
        fields = _field_names(model)
        for position, entry in enumerate(data.get(key, []), start=1):
            defaults = {
                "name": entry["name"],
                "description": entry.get("description", ""),
                "position": position,
            }
            for name in OPTIONAL_FIELDS:
                if name in fields:
                    defaults[name] = entry.get(name, model._meta.get_field(name).get_default())
            model.objects.update_or_create(code=entry["code"], defaults=defaults)
        counts[key] = len(data.get(key, []))
    try:
        category_model = get_model("engagements", "AudienceCategory")
    except LookupError:  # a schema before the categories (migration 0002)
        return counts
    groups = dict(get_model("engagements", "AudienceGroup").objects.values_list("code", "pk"))
    for position, entry in enumerate(data.get("audience_categories", []), start=1):
        category_model.objects.update_or_create(
            code=entry["code"],
            defaults={
                "name": entry["name"],
                "description": entry.get("description", ""),
                "position": position,
                "group_id": groups[entry["group"]],
            },
        )
    counts["audience_categories"] = len(data.get("audience_categories", []))
    return counts


def lookup_data(path: Path = LOOKUPS_FILE) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))
