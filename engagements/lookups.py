"""Seed the lookup tables from ``engagements/data/lookups.toml`` (idempotent)."""

import tomllib
from pathlib import Path

LOOKUPS_FILE = Path(__file__).resolve().parent / "data" / "lookups.toml"
TABLES = {
    "methods": "Method",
    "partners": "Partner",
    "audience_groups": "AudienceGroup",
    "adjustments": "Adjustment",
}


def load_lookups(get_model, path: Path = LOOKUPS_FILE) -> dict[str, int]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    counts = {}
    for key, model_name in TABLES.items():
        model = get_model("engagements", model_name)
        for position, entry in enumerate(data.get(key, []), start=1):
            defaults = {
                "name": entry["name"],
                "description": entry.get("description", ""),
                "position": position,
            }
            if "kind" in entry:
                defaults["kind"] = entry["kind"]
            model.objects.update_or_create(code=entry["code"], defaults=defaults)
        counts[key] = len(data.get(key, []))
    return counts


def lookup_data(path: Path = LOOKUPS_FILE) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))
