"""The assurance dashboards: what a governance lead sees at ``/<org>/`` and ``/assurance/``.

* ``figures``: the figures, plain functions aggregating in the database (also used by the documents);
* ``charts``: the SVG charts drawn from those figures (the page and the PDFs draw the same ones);
* ``cache``: the figures computed once per version of an organisation's data;
* ``invalidation``: the signals that move that version on after every committed change;
* ``overview``: one row per organisation for assurers across several organisations.
"""
