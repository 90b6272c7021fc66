"""Shared set-up for the Playwright browser tests: plain-HTTP live server, CSP bypass, axe-core, log-in."""

import json
from pathlib import Path

import pytest

from tests.factories.core import PASSWORD

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")
VIEWPORT = {"width": 1280, "height": 900}


@pytest.fixture(scope="session", autouse=True)
def _live_server_over_plain_http():
    """Keep the session-wide live server on plain HTTP.

    Tests run with DEBUG off, so settings turn ``SECURE_SSL_REDIRECT`` on unless the environment
    says otherwise. The root conftest switches it off per test, but ``SecurityMiddleware`` reads it
    once, when the session-scoped live server builds its handler (before any function-scoped
    fixture), so Chromium would be redirected to https://localhost and fail with
    ERR_SSL_PROTOCOL_ERROR. This session-scoped autouse fixture runs before ``live_server``.
    """
    from django.conf import settings

    before = settings.SECURE_SSL_REDIRECT
    settings.SECURE_SSL_REDIRECT = False
    yield
    settings.SECURE_SSL_REDIRECT = before


@pytest.fixture
def browser_context_args(browser_context_args):
    # axe-core is injected as a script the app's strict CSP (rightly) blocks, so bypass CSP here.
    # Tests that check CSP itself open their own context without this.
    return {**browser_context_args, "bypass_csp": True, "viewport": VIEWPORT}


def format_violations(violations) -> str:
    """axe violations as readable text: rule, impact, help, and up to five offending nodes."""
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            target = " ".join(str(t) for t in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {target}\n        {node['html'][:200]}\n        {summary[:300]}")
        if len(v["nodes"]) > 5:
            lines.append(f"    … and {len(v['nodes']) - 5} more")
    return "\n".join(lines)


class Violations(list):
    """axe violations that print readably in an assertion message: ``assert not bad, bad``."""

    def __str__(self):
        return format_violations(self)

    def __repr__(self):
        return f"<{len(self)} axe violation(s): {', '.join(v['id'] for v in self)}>"


@pytest.fixture
def axe_check(request):
    """``axe_check(page, label="")`` runs axe-core on the page; returns serious and critical violations.

    Every violation, whatever its impact, is printed (shown with ``-s`` or on failure) and saved to
    ``test-artifacts/<test>-axe-<label>.json`` so moderate and minor ones are not lost. ``ignore``
    names rules not to fail on (say why where you use it; they are still printed). The page's
    context must bypass CSP (the default ``browser_context_args`` here does). Use as::

        bad = axe_check(page, "login")
        assert not bad, bad
    """
    from tests.conftest import ARTIFACTS

    def check(page, label="", ignore=()):
        page.add_script_tag(path=str(AXE_JS))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        violations = result["violations"]
        where = f"{label or page.url}"
        if violations:
            print(f"\naxe on {where} ({page.url}):\n{format_violations(violations)}")
        else:
            print(f"\naxe on {where} ({page.url}): no violations")
        ARTIFACTS.mkdir(exist_ok=True)
        name = f"{request.node.name}-axe-{label or 'page'}.json"
        (ARTIFACTS / name).write_text(
            json.dumps(
                [
                    {
                        "id": v["id"],
                        "impact": v["impact"],
                        "help": v["help"],
                        "nodes": [{"target": n["target"], "html": n["html"]} for n in v["nodes"]],
                    }
                    for v in violations
                ],
                indent=2,
            )
        )
        return Violations(v for v in violations if v["impact"] in BLOCKING_IMPACTS and v["id"] not in ignore)

    return check


@pytest.fixture
def log_in(live_server):
    """``log_in(page, username)`` logs in through the real form at /accounts/login/."""

    def do(page, username, password=PASSWORD):
        page.goto(live_server.url + "/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()

    return do


class CspWatch:
    """A page that enforces the app's CSP, and what it reported as blocked."""

    def __init__(self, page):
        self.page = page
        self.console = []
        page.on("console", self._on_console)
        # Init scripts are not subject to the page's CSP, so this listener always runs.
        page.add_init_script(
            """document.addEventListener('securitypolicyviolation', e => {
                 (window.__cspViolations = window.__cspViolations || []).push(
                   `${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`);
               });"""
        )

    def _on_console(self, msg):
        if "content security policy" in msg.text.lower():
            self.console.append(f"{msg.type}: {msg.text}")

    def violations(self):
        """Console CSP messages since the last call, plus this document's ``securitypolicyviolation`` events."""
        console, self.console = self.console, []
        return console + self.page.evaluate("() => window.__cspViolations || []")


@pytest.fixture
def strict_csp(browser, browser_context_args):
    """``strict_csp.page`` is a page in its own context that does NOT bypass CSP (unlike ``page``).

    Call ``strict_csp.violations()`` on each page before navigating away.
    """
    args = {k: v for k, v in browser_context_args.items() if k != "bypass_csp"}
    context = browser.new_context(**args)
    yield CspWatch(context.new_page())
    context.close()
