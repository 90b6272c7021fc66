"""A crispy-forms FormHelper with the defaults NHS.UK pages want."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit

__all__ = ["nhsuk_helper"]


def nhsuk_helper(submit_text=None, *, form_tag=False, layout=None, submit_name="save"):
    """A FormHelper for the ``nhsuk`` pack.

    ``form_tag`` is off by default: templates write their own ``<form>`` (with
    ``novalidate`` and ``{% csrf_token %}``). ``submit_text`` adds a primary
    ``nhsuk-button`` after the fields, named ``submit_name`` (``"save"`` rather than
    ``"submit"``, which would shadow ``form.submit()`` in scripts).
    """
    helper = FormHelper()
    helper.form_tag = form_tag
    if layout is not None:
        helper.layout = layout
    if submit_text:
        helper.add_input(Submit(submit_name, submit_text))
    return helper
