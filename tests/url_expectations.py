"""Every named URL of the project and who may reach it.

``tests/core/test_url_authorisation.py`` walks the URL resolver and fails for any pattern missing here,
so a new page cannot ship without saying who may see it. Each entry gives the access kind and a
function that builds the URL's keyword arguments from the ``world`` fixture.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Expect:
    kind: str  # "public", "authenticated" or "organisation"
    kwargs: Callable[[dict], dict] = lambda world: {}


def org(extra: Callable[[dict], dict] | None = None) -> Expect:
    def build(world):
        return {"org_code": world["organisation"].slug, **(extra(world) if extra else {})}

    return Expect("organisation", build)


def checklist(world):
    c = world["checklist"]
    return {"year": c.reporting_year, "framework": c.framework.slug}


def item(world):
    return {**checklist(world), "item": world["item"].duty.code.lower()}


def activity(world):
    return {"pk": world["activity"].pk}


URLS: dict[str, Expect] = {
    # accounts and site-wide
    "home": Expect("authenticated"),
    "healthz": Expect("public"),
    "choose-organisation": Expect("authenticated"),
    "assurance-overview": Expect("authenticated"),
    "help": Expect("authenticated"),
    "login": Expect("public"),
    "logout": Expect("authenticated"),
    "password_change": Expect("authenticated"),
    "password_change_done": Expect("authenticated"),
    "password_reset": Expect("public"),
    "password_reset_done": Expect("public"),
    "password_reset_confirm": Expect("public", lambda w: {"uidb64": "MQ", "token": "set-password"}),
    "password_reset_complete": Expect("public"),
    "admin-password-change": Expect("authenticated"),  # sent to password_change (throttled)
    "my-work": Expect("authenticated"),
    "reminder-settings": Expect("authenticated"),
    # organisation
    "dashboard": org(),
    "document-download": org(lambda w: {"pk": w["document"].pk}),
    # reports
    "report-list": org(),
    "report-detail": org(lambda w: {"pk": w["report"].pk}),
    "report-download": org(lambda w: {"pk": w["report"].pk}),
    "involvement-profile": org(),
    "annual-statement": org(lambda w: {"year": "2025-26"}),
    "report-decision-record": org(lambda w: {"proposal_pk": w["proposal"].pk}),
    "report-supersede": org(lambda w: {"pk": w["report"].pk}),
    # members (organisation administrators)
    "members": org(),
    "member-add": org(),
    "member-four-eyes": org(),
    "member-role": org(lambda w: {"pk": w["editor"].pk}),
    "member-deactivate": org(lambda w: {"pk": w["editor"].pk}),
    # duties and checklists
    "checklists": org(),
    "framework-choice": org(),
    "checklist-detail": org(checklist),
    "checklist-sign-off": org(checklist),
    "checklist-reopen": org(checklist),
    "checklist-next-year": org(checklist),
    "checklist-bulk": org(checklist),
    "checklist-item": org(item),
    "checklist-item-status": org(item),
    "checklist-item-review": org(item),
    "checklist-item-document": org(item),
    "checklist-item-document-remove": org(lambda w: {**item(w), "pk": w["document"].pk}),
    # engagement log
    "activity-list": org(),
    "activity-create": org(),
    "activity-export": org(),
    "activity-import": org(),
    "activity-import-template": org(),
    "activity-import-preview": org(lambda w: {"pk": w["import_batch"].pk}),
    "activity-import-progress": org(lambda w: {"pk": w["import_batch"].pk}),
    "activity-import-columns": org(lambda w: {"pk": w["mapped_batch"].pk}),
    "activity-import-values": org(lambda w: {"pk": w["mapped_batch"].pk}),
    "activity-import-mappings": org(),
    "activity-import-mapping-edit": org(lambda w: {"pk": w["import_mapping"].pk}),
    "activity-import-mapping-delete": org(lambda w: {"pk": w["import_mapping"].pk}),
    "activity-detail": org(activity),
    "activity-edit": org(activity),
    "activity-steps": org(activity),
    "activity-step": org(lambda w: {**activity(w), "step": 2}),
    "outcome-create": org(activity),
    "outcome-edit": org(lambda w: {**activity(w), "outcome_pk": w["outcome"].pk}),
    "activity-withdraw": org(activity),
    "outcome-withdraw": org(lambda w: {**activity(w), "outcome_pk": w["outcome"].pk}),
    "activity-document": org(activity),
    "activity-document-remove": org(lambda w: {**activity(w), "document_pk": w["document"].pk}),
    "activity-duty-rationale": org(lambda w: {**activity(w), "link_pk": w["duty_link"].pk}),
}

# service-change proposals (engagements/proposals/urls.py)
URLS.update(
    {
        "proposal-list": org(),
        "proposal-create": org(),
        "proposal-link-activity": org(lambda w: {"activity_pk": w["activity"].pk}),
        "proposal-detail": org(lambda w: {"pk": w["proposal"].pk}),
        "proposal-step": org(lambda w: {"pk": w["proposal"].pk, "step": 2}),
        "proposal-record": org(lambda w: {"pk": w["proposal"].pk}),
        "proposal-withdraw": org(lambda w: {"pk": w["proposal"].pk}),
        "proposal-activities": org(lambda w: {"pk": w["proposal"].pk}),
        "proposal-activity-remove": org(lambda w: {"pk": w["proposal"].pk, "activity_pk": w["activity"].pk}),
        "proposal-document-remove": org(lambda w: {"pk": w["proposal"].pk, "document_pk": w["document"].pk}),
    }
)
