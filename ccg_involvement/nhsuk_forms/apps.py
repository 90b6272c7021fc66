from django.apps import AppConfig


class NhsukFormsConfig(AppConfig):
    """The NHS.UK crispy-forms template pack: templates in ``templates/nhsuk/``, filters in
    ``templatetags/nhsuk_forms.py``. It has no models."""

    name = "ccg_involvement.nhsuk_forms"
    label = "nhsuk_forms"
    verbose_name = "NHS.UK forms"
