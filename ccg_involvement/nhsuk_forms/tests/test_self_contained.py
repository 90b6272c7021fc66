"""The pack can be lifted out of this project: it uses only the standard library, Django and
crispy-forms, and its templates load and include only what the pack and crispy-forms provide."""

import ast
import re
import sys
from pathlib import Path

PACK = Path(__file__).resolve().parent.parent
ALLOWED_PACKAGES = {"django", "crispy_forms"}
ALLOWED_LIBRARIES = {"nhsuk_forms", "crispy_forms_field", "crispy_forms_filters", "crispy_forms_tags", "i18n"}


def _imported_packages(path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module.split(".")[0]


def test_python_imports_nothing_from_the_project():
    for path in PACK.rglob("*.py"):
        if "tests" in path.relative_to(PACK).parts:
            continue
        outside = set(_imported_packages(path)) - ALLOWED_PACKAGES - set(sys.stdlib_module_names)
        assert not outside, f"{path.relative_to(PACK)} imports {outside}"


def test_templates_use_only_the_pack_and_crispy_forms():
    templates = list((PACK / "templates").rglob("*.html"))
    assert templates
    for path in templates:
        source = path.read_text()
        for libraries in re.findall(r"{%\s*load\s+([^%]+?)\s*%}", source):
            assert set(libraries.split()) <= ALLOWED_LIBRARIES, (path.name, libraries)
        for name in re.findall(r"""{%\s*(?:include|extends)\s+[^%]*?["']([^"']+)["']""", source):
            assert name.startswith("nhsuk/"), (path.name, name)
