"""What every step form shares: the version field, conditional fields, uploads and dates.

Every step form takes ``proposal`` (None only for step 1 when creating) and ``organisation``, and
offers ``layout()`` (its crispy layout: fields and ``Section`` fieldsets), ``helper`` (which the
step page renders with ``{% crispy form %}``), ``initial_for(proposal)`` and ``values()`` (what
``actions.save_step`` takes). Which step a form asks is said by the step table (``steps.py``).
"""

from crispy_forms.layout import Fieldset, Layout
from crispy_forms.utils import TEMPLATE_PACK
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import conditional_escape, format_html

from ccg_involvement.documents import ACCEPTED_DESCRIPTION, validate_upload
from ccg_involvement.nhsuk_forms import nhsuk_helper
from engagements.proposals.wording import framework_wording


def _key(code: str) -> str:
    return code.lower().replace("-", "_")


def _textarea(rows=4):
    return forms.Textarea(attrs={"rows": rows})


def _not_in_future(value, label):
    if value is not None and value > timezone.localdate():
        raise ValidationError(f"{label} must be today or in the past")


class UploadMixin:
    """An optional evidence file with a title, checked by content as the document store does."""

    def clean_upload(self):
        uploaded = self.cleaned_data.get("upload")
        if uploaded:
            try:
                validate_upload(uploaded)
            except ValidationError as exc:
                raise ValidationError(exc.messages[0]) from None
        return uploaded


def _upload_fields(label):
    return (
        forms.FileField(
            label=label,
            required=False,
            help_text=f"{ACCEPTED_DESCRIPTION}. If the page shows an error, choose the file again.",
        ),
        forms.CharField(
            label="Document title",
            max_length=200,
            required=False,
            help_text="Leave empty to use the file name",
        ),
    )


class Section(Fieldset):
    """A group of questions: a fieldset with a medium legend (an ``h2``) and an optional hint.

    The legend and the hint are plain text (escaped, never read as a template), as they come from
    reference data such as lookups.toml.
    """

    def __init__(self, legend, *fields, hint=None):
        super().__init__(legend, *fields, css_class="app-step-section")
        self.hint = hint

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        fields = self.get_rendered_fields(form, context, template_pack, **kwargs)
        if self.hint:
            fields = format_html('<p class="nhsuk-hint">{}</p>\n', self.hint) + fields
        context.update({"fieldset": self, "legend": conditional_escape(self.legend), "fields": fields})
        return render_to_string(self.get_template_name(template_pack), context.flatten())


class StepForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, proposal=None, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        self.organisation = organisation
        self.wording = framework_wording(organisation)
        self.setup()
        if self.is_bound:
            self.relax()

    def setup(self):
        """Add fields that depend on the organisation, the proposal or reference data."""

    def relax(self):
        """Make conditional fields optional for this submission (they render as required)."""

    def _optional_unless(self, names, condition: bool):
        if not condition:
            for name in names:
                self.fields[name].required = False

    def layout(self) -> Layout:
        """The questions in order, grouped in ``Section``s where a step asks several things."""
        return Layout(*(name for name in self.fields if name != "version"))

    @property
    def helper(self):
        """Rendered by ``{% crispy form %}``: the version, then the layout. The page writes the
        ``<form>``, its buttons and the error summary (above the heading, as the design system asks)."""
        helper = nhsuk_helper(layout=Layout("version", *self.layout().fields))
        helper.error_summary = False
        return helper

    @classmethod
    def initial_for(cls, proposal) -> dict:
        return {"version": proposal.version}

    def values(self) -> dict:
        raise NotImplementedError

    @property
    def uploaded_file(self):
        return self.cleaned_data.get("upload") if "upload" in self.fields else None

    @property
    def upload_title(self) -> str:
        return self.cleaned_data.get("upload_title", "") if "upload" in self.fields else ""


def _members(organisation):
    return (
        get_user_model()
        .objects.filter(memberships__organisation=organisation, is_active=True)
        .order_by("first_name", "last_name", "username")
    )
