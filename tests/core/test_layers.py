"""The apps stand on each other in one direction, and no module imports itself round a circle.

reports → engagements.proposals → engagements → duties → ccg_involvement (the core). Read from the
source, imports at any depth (lazy ones included), so a new upward import or cycle fails here.
The root URLconf is the one module allowed to import upwards: it includes every app's URLs.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("ccg_involvement", "duties", "engagements", "reports")
ROOT_URLCONF = "ccg_involvement.urls"


def _layer(module: str) -> int:
    if module.startswith("engagements.proposals"):
        return 3
    return {"ccg_involvement": 0, "duties": 1, "engagements": 2, "reports": 4}[module.split(".")[0]]


def _modules() -> dict[str, Path]:
    found = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "migrations" in parts or "tests" in parts:
                continue
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = _modules()


def _module_of(name: str) -> str | None:
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


GRAPH = {
    module: {target for name in _imports(path) if (target := _module_of(name)) not in (None, module)}
    for module, path in MODULES.items()
}


def test_no_app_imports_upwards():
    upward = {
        f"{module} → {target}"
        for module, targets in GRAPH.items()
        for target in targets
        if _layer(target) > _layer(module) and module != ROOT_URLCONF
    }
    assert upward == set()


def test_no_import_cycle_between_modules():
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(module):  # Tarjan's strongly connected components
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in GRAPH[module]:
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in GRAPH:
        if module not in index:
            visit(module)
    assert cycles == []


def test_reports_read_the_decision_record_from_the_selector_not_a_view():
    assert not any(target.startswith("engagements.proposals.views") for target in GRAPH["reports.builders"])
    assert "engagements.proposals.selectors" in GRAPH["reports.builders"]


def test_the_walk_sees_the_whole_code():
    assert {"ccg_involvement.urls", "duties.actions", "engagements.proposals.steps", "reports.tasks"} <= set(
        GRAPH
    )
    assert "reports.views" in GRAPH[ROOT_URLCONF]
