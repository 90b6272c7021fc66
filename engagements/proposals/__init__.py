"""Service-change proposals and their involvement screening: a Django app inside ``engagements``.

It stands on ``engagements`` (activities, outcomes, lookups), ``duties`` and ``ccg_involvement``;
``reports`` reads it (the decision record and the annual report's service changes). Nothing below
it imports it. See docs/adr/0005-proposal-screening.md.
"""
