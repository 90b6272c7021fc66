"""Date formats in NHS style ("4 February 2027"), for every date a page shows without its own format.

Django's own en-GB formats ("4 Feb 2027", "04/02/2027") take precedence over the ``DATE_FORMAT``
settings once a language is active, so the project's formats live here (``FORMAT_MODULE_PATH``).
Input formats are left to Django's en-GB module.
"""

import datetime


def nhs_date(value: datetime.date) -> str:
    """A date as pages write it outside templates: "4 February 2027" (no leading zero)."""
    return f"{value.day} {value:%B %Y}"
