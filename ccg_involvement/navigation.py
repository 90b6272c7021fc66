"""Breadcrumbs: the one way a page says where it sits under its organisation.

``breadcrumbs(organisation, *trail)`` starts at the organisation's dashboard; each step of the trail
is a section name from ``SECTIONS`` (its list page), an object with ``get_absolute_url`` (shown by
its ``title``, else ``str``), or an explicit ``(text, url)`` pair; ``None`` steps are left out.
"""

from django.urls import reverse

SECTIONS = {
    "activities": ("Activities", "activity-list"),
    "checklists": ("Checklists", "checklists"),
    "proposals": ("Proposals", "proposal-list"),
    "reports": ("Reports", "report-list"),
}


def _step(organisation, step) -> dict:
    if isinstance(step, str):
        text, url_name = SECTIONS[step]
        return {"text": text, "href": reverse(url_name, kwargs={"org_code": organisation.slug})}
    if isinstance(step, tuple):
        text, href = step
        return {"text": text, "href": href}
    return {"text": getattr(step, "title", None) or str(step), "href": step.get_absolute_url()}


def breadcrumbs(organisation, *trail) -> list[dict]:
    return [
        {"text": organisation.name, "href": organisation.get_absolute_url()},
        *(_step(organisation, step) for step in trail if step is not None),
    ]
