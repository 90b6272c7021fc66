"""NHS.UK design-system forms for django-crispy-forms: a template pack and a date field.

A self-contained Django app: add ``"ccg_involvement.nhsuk_forms"`` (and ``"crispy_forms"``) to
``INSTALLED_APPS`` and set ``CRISPY_TEMPLATE_PACK = "nhsuk"``. See README.md.
"""

from .dates import DateParts
from .fields import NHSDateField
from .helper import nhsuk_helper
from .widgets import NHSDateInput

__all__ = ["DateParts", "NHSDateField", "NHSDateInput", "nhsuk_helper"]
