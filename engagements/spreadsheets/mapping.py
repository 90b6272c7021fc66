"""The mapping step, pure of database access: which of a log's own columns is which field, and what its
own words in list columns mean.

A file whose headings are not exactly the template's is mapped before its preview: each column to a
field or to nothing (suggested from the template's headings, the headings logs commonly use and the
organisation's saved mappings), then each value of a list column that names nothing the organisation
has (“Complete”, “Healthwatch”, “Jane Smith”) to an allowed value or to nothing. ``apply_values``
turns a cell as written into one the row checks read, using the choices made.
"""

import difflib
import re
from collections.abc import Iterable

from engagements.models import ActivityStatus, CycleStage, DutyLimb
from engagements.spreadsheets.columns import REACH_LIST_COLUMN, Column, alias_columns, normalise_heading
from engagements.spreadsheets.reach_cells import reach_names, unknown_groups
from engagements.spreadsheets.reading import cell_text, is_blank
from engagements.spreadsheets.references import ImportContext, duty_reference_note, resolve_duty_reference
from engagements.spreadsheets.values import split_names

REACHED = REACH_LIST_COLUMN.key
LIST_FIELDS = (
    "status",
    "cycle_stage",
    "duty_limb",
    "methods",
    "partners",
    "adjustments",
    REACHED,
    "duties",
    "lead",
)
"""Fields whose values must be one of a list: each value written that names none is mapped. The
groups reached with no number (``reach_uncounted``) are mapped by ``reach_cells.parse_reach``."""
CHOICES = {"status": ActivityStatus.choices, "cycle_stage": CycleStage.choices, "duty_limb": DutyLimb.choices}
MANY = {"methods", "partners", "adjustments", "duties"}
"""List fields that take several values in a cell, separated by semicolons."""

# What logs write for list values, for suggestions only (the person confirms): a suggestion names a
# value the organisation has, or is not made.
VALUE_SYNONYMS = {
    "status": {
        "complete": "completed",
        "done": "completed",
        "finished": "completed",
        "closed": "completed",
        "held": "completed",
        "ongoing": "under_way",
        "on-going": "under_way",
        "in progress": "under_way",
        "live": "under_way",
        "open": "under_way",
        "started": "under_way",
        "active": "under_way",
        "not started": "planned",
        "future": "planned",
        "scheduled": "planned",
        "booked": "planned",
        "proposed": "planned",
        "to do": "planned",
        "planning": "planned",
        "tbc": "planned",
    },
    "cycle_stage": {
        "procurement": "procuring",
        "tender": "procuring",
        "tendering": "procuring",
        "contracting": "procuring",
        "commissioning": "procuring",
        "review": "monitoring",
        "evaluation": "monitoring",
        "contract monitoring": "monitoring",
        "design": "planning",
        "strategy": "planning",
    },
    "duty_limb": {
        "service change": "proposals",
        "service changes": "proposals",
        "changes to services": "proposals",
        "change proposal": "proposals",
        "own care": "individual",
        "individual care": "individual",
    },
    "partners": {
        "council": "Local authority",
        "county council": "Local authority",
        "city council": "Local authority",
        "borough council": "Local authority",
        "district council": "Local authority",
        "la": "Local authority",
        "vcse": "Voluntary, community and social enterprise organisations",
        "vcs": "Voluntary, community and social enterprise organisations",
        "voluntary sector": "Voluntary, community and social enterprise organisations",
        "charity": "Voluntary, community and social enterprise organisations",
        "charities": "Voluntary, community and social enterprise organisations",
        "ppg": "Patient Participation Groups",
        "ppgs": "Patient Participation Groups",
        "hwb": "Health and Wellbeing Board",
        "hosc": "Health overview and scrutiny committee",
        "osc": "Health overview and scrutiny committee",
        "scrutiny": "Health overview and scrutiny committee",
        "icp": "Integrated Care Partnership",
        "trust": "NHS trusts and other providers",
        "hospital trust": "NHS trusts and other providers",
        "provider": "NHS trusts and other providers",
        "providers": "NHS trusts and other providers",
    },
    REACHED: {
        "bame": "Ethnic minority communities",
        "bme": "Ethnic minority communities",
        "ethnic minorities": "Ethnic minority communities",
        "travellers": "Gypsy, Roma and Traveller communities",
        "grt": "Gypsy, Roma and Traveller communities",
        "gypsy and traveller": "Gypsy, Roma and Traveller communities",
        "over 65s": "Older people",
        "elderly": "Older people",
        "older adults": "Older people",
        "young people": "Children and young people",
        "children": "Children and young people",
        "youth": "Children and young people",
        "homeless": "People experiencing homelessness",
        "rough sleepers": "People experiencing homelessness",
        "asylum seekers": "Vulnerable migrants and refugees",
        "refugees": "Vulnerable migrants and refugees",
        "disabled people": "Disability: Disabled",
        "learning disabilities": "People with a learning disability and autistic people",
        "autism": "People with a learning disability and autistic people",
        "unpaid carers": "Carers",
        "young carers": "Carers",
    },
}


def names_in(key: str, value) -> list[str]:
    """The values a cell holds for a list field, as written (several for methods, partners, …)."""
    if key not in MANY:
        text = cell_text(value)
        return [text] if text else []
    names = split_names(value)
    if key == "duties":  # duty references are also written “A3, A5” or “A3 and A5”
        names = [n for part in names for n in re.split(r"\s*[,/&\n]\s*|\s+and\s+", part) if n]
    return names


def apply_values(key: str, value, value_map: dict) -> object:
    """A cell with the mapped values replaced (an empty replacement leaves the value out). The groups
    reached are left as written: ``reach_cells.parse_reach`` reads them with the map."""
    chosen = (value_map or {}).get(key)
    if not chosen or is_blank(value) or key == REACHED:
        return value
    names = names_in(key, value)
    if not any(n.casefold() in chosen for n in names):
        return value
    replaced = [chosen.get(n.casefold(), n) for n in names]
    return "; ".join(r for r in replaced if r)


def is_known(key: str, name: str, context: ImportContext) -> bool:
    """Whether a value as written names something the row checks accept."""
    folded = name.casefold()
    if key in CHOICES:
        return any(folded in {v.casefold(), label.casefold()} for v, label in CHOICES[key])
    if key in ("methods", "partners", "adjustments"):
        return folded in getattr(context, key)
    if key == "duties":
        code = name.upper().replace(" ", "")
        return code in context.duties or resolve_duty_reference(name, context)[0] is not None
    if key == "lead":
        return len(context.members.get(folded, ())) == 1
    if key == REACHED:
        return not unknown_groups(name, reach_names(context.groups))
    return True


def unmatched_values(
    rows: Iterable[list],
    matched: list[Column | None],
    context: ImportContext,
    value_map: dict | None = None,
) -> dict[str, list[tuple[str, int]]]:
    """Per list field, each distinct value written that names nothing allowed and is not yet mapped,
    once (as first written), with how many rows have it (and, for a duty reference such as “Action 3”,
    why it names none); in the file's order."""
    found: dict[str, dict[str, list]] = {}
    value_map = value_map or {}
    positions = [(i, c.key) for i, c in enumerate(matched) if c is not None and c.key in LIST_FIELDS]
    groups = reach_names(context.groups) if any(key == REACHED for _, key in positions) else {}
    for row in rows:
        for i, key in positions:
            if i >= len(row) or is_blank(row[i]):
                continue
            # the groups reached: the names that are no group's, as the row check splits them
            listed = unknown_groups(cell_text(row[i]), groups) if key == REACHED else None
            for name in names_in(key, row[i]) if listed is None else listed:
                folded = name.casefold()
                if folded in value_map.get(key, {}):
                    continue
                seen = found.setdefault(key, {})
                if folded in seen:
                    seen[folded][1] += 1
                elif listed is not None or not is_known(key, name, context):
                    seen[folded] = [name, 1]
    return {
        key: [
            (w, n, duty_reference_note(w, context)) if key == "duties" else (w, n) for w, n in seen.values()
        ]
        for key, seen in found.items()
        if seen
    }


def suggest_value(key: str, written: str, options: list[tuple[str, str]]) -> str:
    """The allowed value most like a value as written ("" when none is close)."""
    folded = " ".join(written.casefold().split())
    synonym = VALUE_SYNONYMS.get(key, {}).get(folded)
    if synonym and any(v == synonym for v, _ in options):
        return synonym
    names = {}
    for value, label in options:
        for name in {value.casefold(), label.casefold(), label.split(" (")[0].casefold()}:
            names.setdefault(name, value)
    if folded in names:
        return names[folded]
    forms = {folded, folded.removesuffix("s")}  # “Travellers”, “Focus groups”
    contained = [
        v for n, v in names.items() for f in forms if len(f) >= 4 and (f in n or (len(n) >= 4 and n in f))
    ]
    if len(set(contained)) == 1:
        return contained[0]
    close = difflib.get_close_matches(folded, list(names), n=1, cutoff=0.75)
    # a typo keeps the first letter (“Helthwatch”); “Deaf people” is not “Older people”
    return names[close[0]] if close and close[0][0] == folded[0] else ""


ERROR_ROW_HEADING, ERROR_HEADING = "Upload row", "Errors to fix"
"""The columns the preview's download of rows with errors adds before the file's own: left out when a
file is matched to the template or a saved mapping, so the rows, once corrected, upload as before."""
DOWNLOAD_KEYS = {normalise_heading(ERROR_ROW_HEADING), normalise_heading(ERROR_HEADING)}


def heading_keys(headings: list[str]) -> list[str]:
    """The normalised, non-blank headings of a file: what a saved mapping is matched on (the error
    download's own columns aside)."""
    return [k for h in headings if not is_blank(h) and (k := normalise_heading(h)) not in DOWNLOAD_KEYS]


def is_the_template(headings: list[str], all_columns: list[Column]) -> bool:
    """Whether every heading is exactly one of the template's (capitals and spaces aside), once each."""
    names = {normalise_heading(c.heading) for c in all_columns}
    keys = heading_keys(headings)
    return bool(keys) and len(set(keys)) == len(keys) and all(k in names for k in keys)


def suggest_columns(
    headings: list[str], all_columns: list[Column], saved: list[dict[str, str]] | None = None
) -> list[tuple[str, str]]:
    """For each heading, the suggested field key ("" for not imported) and why.

    An earlier mapping's choice comes first (``saved``: the organisation's mappings' columns, most
    recent first), then the template's heading, a heading logs commonly use, and a similar name. A
    field is suggested for one column only: the first one.
    """
    by_name = alias_columns(all_columns)
    keys = {c.key for c in all_columns}
    template = {normalise_heading(c.heading): c.key for c in all_columns}
    suggestions, taken = [], set()
    for heading in headings:
        name = normalise_heading(heading)
        key, why = "", ""
        if not name:
            suggestions.append(("", ""))
            continue
        for columns in saved or []:
            if name in columns and (columns[name] in keys or columns[name] == ""):
                key, why = columns[name], "your earlier mapping"
                break
        else:
            if name in template:
                key, why = template[name], "the template's heading"
            elif name in by_name:
                key, why = by_name[name].key, "a heading logs often use"
            else:
                close = difflib.get_close_matches(name, list(by_name), n=1, cutoff=0.85)
                if close:
                    key, why = by_name[close[0]].key, "a similar heading"
        if key and key in taken:
            key, why = "", ""
        taken.add(key)
        suggestions.append((key, why))
    return suggestions
