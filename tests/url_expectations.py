"""Every named URL of the project and who may reach it.

``tests/test_url_authorisation.py`` walks the URL resolver and fails for any pattern missing here,
so a new page cannot ship without saying who may see it. Each entry gives the access kind and a
function that builds the URL's keyword arguments from the ``world`` fixture.
"""

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Expect:
    kind: str  # "public", "authenticated" or "organisation"
    kwargs: Callable[[dict], dict] = lambda world: {}


def org(extra: Callable[[dict], dict] | None = None) -> Expect:
    def build(world):
        return {"org_code": world["organisation"].slug, **(extra(world) if extra else {})}

    return Expect("organisation", build)


URLS: dict[str, Expect] = {
    # accounts and site-wide
    "home": Expect("authenticated"),
    "healthz": Expect("public"),
    "choose-organisation": Expect("authenticated"),
    "login": Expect("public"),
    "logout": Expect("authenticated"),
    "password_change": Expect("authenticated"),
    "password_change_done": Expect("authenticated"),
    "password_reset": Expect("public"),
    "password_reset_done": Expect("public"),
    "password_reset_confirm": Expect("public", lambda w: {"uidb64": "MQ", "token": "set-password"}),
    "password_reset_complete": Expect("public"),
    # organisation
    "dashboard": org(),
    "document-download": org(lambda w: {"pk": w["document"].pk}),
}
