"""The NHS.UK form building blocks, for code that imports them from here.

They live in the self-contained template pack :mod:`ccg_involvement.nhsuk_forms`; import them
from there in new code.
"""

from ccg_involvement.nhsuk_forms import DateParts, NHSDateField, NHSDateInput, nhsuk_helper

__all__ = ["DateParts", "NHSDateField", "NHSDateInput", "nhsuk_helper"]
