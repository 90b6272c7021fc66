"""Reading the proposal pages in tests: addresses, typed dates, the error summary, the main content."""

import datetime
import re

from django.urls import reverse


def step_url(proposal, step):
    return reverse(
        "proposal-step", kwargs={"org_code": proposal.organisation.slug, "pk": proposal.pk, "step": step}
    )


def record_url(proposal):
    return reverse("proposal-record", kwargs={"org_code": proposal.organisation.slug, "pk": proposal.pk})


def date_post(name, value: datetime.date | None):
    if value is None:
        return {f"{name}_0": "", f"{name}_1": "", f"{name}_2": ""}
    return {f"{name}_0": str(value.day), f"{name}_1": str(value.month), f"{name}_2": str(value.year)}


def errors_in(response) -> list[str]:
    """The messages in the page's error summary."""
    html = response.content.decode()
    summary = re.search(r'<ul class="nhsuk-list nhsuk-error-summary__list">(.*?)</ul>', html, re.S)
    if not summary:
        return []
    return [
        re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", summary.group(1), re.S)
    ]


def main(response) -> str:
    """The page's main content (the footer names every framework's section)."""
    return re.search(r"<main.*?</main>", response.content.decode(), re.S).group(0)
