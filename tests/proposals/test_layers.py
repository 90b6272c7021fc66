"""The proposals app sits between engagements and reports: reports → proposals → engagements.

Read from the source (imports at any depth, lazy ones included), so a new upward import fails here
before it makes a cycle.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _modules(package: str, *, excluding: str | None = None):
    for path in sorted((ROOT / package.replace(".", "/")).rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if excluding and relative.startswith(excluding.replace(".", "/") + "/"):
            continue
        yield relative, _imports(path)


def _offenders(package, forbidden, *, excluding=None):
    return {
        module: sorted(name for name in names if name == forbidden or name.startswith(forbidden + "."))
        for module, names in _modules(package, excluding=excluding)
        if any(name == forbidden or name.startswith(forbidden + ".") for name in names)
    }


def test_nothing_below_imports_proposals():
    for package in ("engagements", "duties", "ccg_involvement"):
        allowed = {"ccg_involvement/urls.py"}  # the root URLconf includes every app's URLs
        found = _offenders(package, "engagements.proposals", excluding="engagements.proposals")
        assert set(found) <= allowed, found


def test_proposals_do_not_import_reports():
    assert _offenders("engagements.proposals", "reports") == {}


def test_reports_read_the_decision_record_from_the_selector_not_a_view():
    found = _offenders("reports", "engagements.proposals")
    names = {name for imported in found.values() for name in imported}
    assert not any(name.startswith("engagements.proposals.views") for name in names), found
