"""Evidence for a duty in a year, gathered from apps above this one without importing them.

``duties`` must not import ``engagements`` (dependencies point downwards). The engagement log
registers a provider here in its ``AppConfig.ready``; checklist pages ask through this module.
A provider is an object with two methods, each running a fixed number of queries whatever the
number of duties or activities:

* ``links(organisation, year, duty_ids, limit) -> {duty_id: [EvidenceLink, …]}`` (newest first, at
  most ``limit`` per duty) for the item page;
* ``counts(organisation, year, duty_ids) -> {duty_id: int}`` for the checklist table;

and may have a third, which the item page then uses instead of the two (one query, not two):

* ``links_with_total(organisation, year, duty_id, limit) -> ([EvidenceLink, …], int)``: one duty's
  newest ``limit`` links and how many it has in all.
"""

from dataclasses import dataclass
from datetime import date

from ccg_involvement.prepared import date_formatter

_providers = []


@dataclass(frozen=True)
class EvidenceLink:
    kind: str  # e.g. "activity"
    title: str
    url: str
    on: date | None
    detail: str = ""
    on_label: str = ""  # ``on`` as pages print it ("1 April 2026"), set by ``evidence_for``


def register(provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def evidence_for(organisation, year, duty_ids, limit: int = 50) -> dict[int, list[EvidenceLink]]:
    found: dict[int, list[EvidenceLink]] = {duty_id: [] for duty_id in duty_ids}
    for provider in _providers:
        for duty_id, links in provider.links(organisation, year, list(duty_ids), limit).items():
            found.setdefault(duty_id, []).extend(links)
    long_date = date_formatter()
    for links in found.values():
        links.sort(key=lambda link: link.on or date.min, reverse=True)
        links[:] = [_dated(link, long_date) for link in links[:limit]]
    return found


def _dated(link: EvidenceLink, long_date) -> EvidenceLink:
    """``link`` with ``on_label`` set (built directly: ``dataclasses.replace`` costs several times more)."""
    return EvidenceLink(link.kind, link.title, link.url, link.on, link.detail, long_date(link.on))


def evidence_of(organisation, year, duty_id, limit: int = 50) -> tuple[list[EvidenceLink], int]:
    """One duty's evidence for the item page: the newest ``limit`` links and how many there are."""
    links, total = [], 0
    for provider in _providers:
        if hasattr(provider, "links_with_total"):
            found, n = provider.links_with_total(organisation, year, duty_id, limit)
        else:
            found = provider.links(organisation, year, [duty_id], limit).get(duty_id, [])
            n = provider.counts(organisation, year, [duty_id]).get(duty_id, 0)
        links.extend(found)
        total += n
    long_date = date_formatter()
    links.sort(key=lambda link: link.on or date.min, reverse=True)
    return [_dated(link, long_date) for link in links[:limit]], total


def evidence_counts(organisation, year, duty_ids) -> dict[int, int]:
    counts = dict.fromkeys(duty_ids, 0)
    for provider in _providers:
        for duty_id, n in provider.counts(organisation, year, list(duty_ids)).items():
            counts[duty_id] = counts.get(duty_id, 0) + n
    return counts
