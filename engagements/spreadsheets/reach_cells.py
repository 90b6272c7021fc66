"""Reading and writing the activity spreadsheet's reach cells (ADR 0008), pure of database access.

The columns (``columns.reach_columns``): one per audience group, ``Reached: <group>`` (for a
protected characteristic: people counted without a category), then one per category, ``Reached:
<group>: <category>``; a cell is a number, blank (not recorded), or a word such as "reached" or
"yes" (reached, number not recorded); and one list column, ``Groups reached (number not
recorded)``: groups and categories that took part with no number, separated by semicolons ("who
did we engage" as logs keep it).

The export writes "reached, number not recorded" in the list column and leaves the count blank,
so an export imported again reproduces 0, number not recorded and not recorded exactly.
Groups come with their categories (``engagements.selectors.audience_groups``).
"""

import re

from engagements.reach import NUMBER_NOT_RECORDED, REACHED_WORDS
from engagements.spreadsheets.columns import REACH_LIST_COLUMN, _categories
from engagements.spreadsheets.reading import cell_text, is_blank
from engagements.spreadsheets.values import _quoted, parse_count_as_written


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def reach_names(groups) -> dict[str, str]:
    """Normalised name → reach key (``g<id>``/``c<id>``): a group's name, a category with its group
    ("Age: 65 to 74", "Age 65 to 74"), and a category's own name where no other has it ("Christian")."""
    names = {_normal(g.name): f"g{g.pk}" for g in groups}
    own: dict[str, list[str]] = {}
    for group in groups:
        for category in _categories(group):
            key = f"c{category.pk}"
            names[_normal(f"{group.name}: {category.name}")] = key
            names.setdefault(_normal(f"{group.name} {category.name}"), key)
            own.setdefault(_normal(category.name), []).append(key)
    for name, keys in own.items():
        if len(keys) == 1:
            names.setdefault(name, keys[0])
    return names


_WITH_COUNT = re.compile(r"^(?P<name>.*?\S)\s*(?:\((?P<paren>[^()]*\d[^()]*)\)|:\s*(?P<colon>\d[\d,]*))$")
"""A group listed with its number: “Carers (12)”, “Carers (approx 30)”, “Carers: 12”."""


def _with_count(piece: str, names: dict[str, str]) -> tuple[str, str | None]:
    """(name, count as written or None): a name the log knows as a whole is a name (“Age: 65 to 74”)."""
    if _normal(piece) in names:
        return piece, None
    match = _WITH_COUNT.match(piece.strip())
    if match is None:
        return piece, None
    return match["name"], (match["paren"] or match["colon"]).strip()


def _split_listed(text: str, names: dict[str, str]) -> tuple[list[str], list[str], dict[str, list[str]]]:
    """(keys, unknown, counts) from a list cell: semicolons and new lines separate; commas too, unless
    the comma is part of a name (“Gypsy, Roma and Traveller communities”) or of a number in brackets.
    ``counts``: a key, or an unknown name as written, → the numbers written after it (“Carers (12)”),
    one per time it is listed with one."""
    keys, unknown, counts = [], [], {}
    for part in re.split(r"[;\n]", text):
        pieces = re.split(r",(?![^(]*\))", part)
        i = 0
        while i < len(pieces):
            for j in range(len(pieces), i, -1):
                name, count = _with_count(",".join(pieces[i:j]), names)
                if _normal(name) in names:
                    keys.append(names[_normal(name)])
                    if count is not None:
                        counts.setdefault(keys[-1], []).append(count)
                    i = j
                    break
            else:
                name, count = _with_count(pieces[i], names)
                if name.strip():
                    unknown.append(name.strip())
                    if count is not None:
                        counts.setdefault(name.strip(), []).append(count)
                i += 1
    return list(dict.fromkeys(keys)), list(dict.fromkeys(unknown)), counts


def unknown_groups(text: str, names: dict[str, str]) -> list[str]:
    """The names in a list cell that are no group's or category's (``names``: ``reach_names``), as
    written (without a number after them), once each: what the mapping step asks about."""
    return _split_listed(text, names)[1]


def parse_reach(
    cells: dict, groups, names: dict[str, str] | None = None, value_map: dict | None = None
) -> tuple[dict, dict, list]:
    """``(reach, errors, warnings)`` of one row: ``reach`` maps ``g<id>``/``c<id>`` to a number or
    "reached"; ``errors`` by column heading. ``names``: ``reach_names(groups)``, when read once for
    many rows. ``value_map`` holds the mapping step's choices for names in the list column that are
    no group's (``{"reach_uncounted": {name as written, case-folded: a group's or category's name, or
    "" to leave it out}}``)."""
    reach, errors, warnings = {}, {}, []
    listed_cell = None
    for column, value in cells.items():
        if column.key == REACH_LIST_COLUMN.key:
            listed_cell = (column, value)
            continue
        if not column.is_reach or value is None or (isinstance(value, str) and not value.strip()):
            continue  # not a reach cell, or blank: not recorded
        key = f"c{column.category_id}" if column.category_id else f"g{column.group_id}"
        text = cell_text(value) if isinstance(value, str) else ""
        if text and _normal(text) in REACHED_WORDS:
            reach[key] = "reached"
            continue
        try:
            number, warning = parse_count_as_written(value)
        except ValueError as exc:
            words = text and not re.search(r"\d", text)  # "lots", "several": not a number at all
            more = " Or write “reached” if people took part but nobody counted them." if words else ""
            errors[column.heading] = f"{exc}{more}"
            continue
        if warning:
            warnings.append(f"{column.heading}: {warning}")
        if number is not None:
            reach[key] = number
    if listed_cell is not None and not is_blank(listed_cell[1]):
        column, value = listed_cell
        names = reach_names(groups) if names is None else names
        keys, unknown, written_counts = _split_listed(cell_text(value), names)
        chosen = (value_map or {}).get(REACH_LIST_COLUMN.key) or {}
        still_unknown = []
        for name in unknown:  # the mapping step's choices: a group's name, or "" to leave it out
            target = chosen.get(name.casefold())
            if target is None or (target and _normal(target) not in names):
                still_unknown.append(name)
            elif target:
                keys.append(names[_normal(target)])
                if name in written_counts:
                    written_counts.setdefault(keys[-1], []).extend(written_counts[name])
        keys, unknown = list(dict.fromkeys(keys)), still_unknown
        if unknown:
            errors[column.heading] = (
                f"Unknown group{'s' if len(unknown) > 1 else ''} {_quoted(unknown)}. Use the names of the "
                "Reached columns (for a category, its characteristic and name, like “Age: 65 to 74”), "
                "separated by semicolons."
            )
        counted = [key for key in keys if key in reach and reach[key] != "reached"]
        if counted:
            errors[column.heading] = (
                "A group listed as reached with no number also has a number in its own column. Keep one "
                "of the two."
            )
        for key in keys:
            written = list(dict.fromkeys(c.strip() for c in written_counts.get(key, [])))
            if len(written) > 1:  # “Unpaid carers (14)” mapped to Carers, and “Carers: 3”
                errors[column.heading] = (
                    f"A group is listed more than once with different numbers ({_quoted(written)}). "
                    "Keep one number for each group."
                )
                continue
            if written and key not in reach:  # “Carers (12)”: read as its own column is
                try:
                    number, warning = parse_count_as_written(written[0])
                except ValueError as exc:
                    errors[column.heading] = f"“{written[0]}” after a group's name: {exc}"
                    continue
                if warning:
                    warnings.append(f"{column.heading}: {warning}")
                reach[key] = "reached" if number is None else number
            reach.setdefault(key, "reached")
    return reach, errors, warnings


def reach_values(activity) -> tuple[dict, str]:
    """An activity's reach as export cells: ``{(group id, category id): count}`` for counted rows,
    and the list column's text for "reached, number not recorded". Needs ``reach`` prefetched with
    its group and category."""
    counts, uncounted = {}, []
    for r in activity.reach.all():
        if r.count is None:
            uncounted.append(f"{r.group.name}: {r.category.name}" if r.category_id else r.group.name)
        else:
            counts[(r.group_id, r.category_id)] = r.count
    return counts, "; ".join(uncounted)


def target_map(groups) -> dict:
    """``g<id>``/``c<id>`` → the group or category itself."""
    targets = {}
    for group in groups:
        targets[f"g{group.pk}"] = group
        for category in _categories(group):
            targets[f"c{category.pk}"] = category
    return targets


def reach_targets(reach: dict, groups, targets: dict | None = None) -> dict:
    """A row's reach (``g<id>``/``c<id>`` → number or "reached") keyed by the groups and categories
    themselves, as ``ActivityInput.reach`` is, so the activity's rules can check it. ``targets``:
    ``target_map(groups)``, when read once for many rows."""
    targets = target_map(groups) if targets is None else targets
    try:
        return {
            targets[key]: NUMBER_NOT_RECORDED if value == "reached" else value
            for key, value in reach.items()
            if key in targets
        }
    except TypeError:  # plain test data without models: the keys themselves
        return {key: NUMBER_NOT_RECORDED if value == "reached" else value for key, value in reach.items()}
