"""The Python input, textarea and select components (fast.py) write exactly what the templates write.

Every case the templates distinguish is rendered twice, with the Python components and with the
templates (``fast.FAST = False``), and the two must be identical, character for character.
"""

import pytest
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.template import Context, Template

from ccg_involvement.nhsuk_forms import NHSDateField, fast

GROUPED = [("", "Any"), ("Fruit", [("apple", "Apple & pear"), ("kiwi", "Kiwi")]), ("none", "None")]


class EveryCase(forms.Form):
    text = forms.CharField(label="Full <name>", help_text="As on <b>your</b> record", max_length=50)
    optional = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"class": "nhsuk-input--width-10"})
    )
    email = forms.EmailField(required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    number = forms.IntegerField(required=False)
    password = forms.CharField(widget=forms.PasswordInput)
    unlabelled = forms.CharField(label="", required=False)
    disabled = forms.CharField(disabled=True, required=False, initial="fixed")
    notes = forms.CharField(widget=forms.Textarea, required=False, help_text="Plain English")
    short = forms.CharField(widget=forms.Textarea(attrs={"rows": 2, "class": "app-x"}), required=False)
    counted = forms.CharField(widget=forms.Textarea, max_length=20, required=False)  # falls back
    pick = forms.ChoiceField(choices=[("", "Choose"), ("a", "A & B"), ("b", '"B"')])
    grouped = forms.ChoiceField(choices=GROUPED, required=False, widget=forms.Select(attrs={"data-x": "1"}))
    many = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    answer = forms.ChoiceField(
        choices=[("", "Not yet"), ("y", "Yes <b>"), ("n", "No")], widget=forms.RadioSelect
    )
    size = forms.TypedChoiceField(
        choices=[(1, "One"), (2, "Two")],
        coerce=int,
        required=False,
        help_text="Pick one",
        widget=forms.RadioSelect(attrs={"class": "nhsuk-radios--inline", "data-x": "y"}),
    )
    when = NHSDateField(label="Date of birth", help_text="For example, 31 3 1980")
    since = NHSDateField(required=False)
    upload = forms.FileField(help_text="PDF or Word")
    extra = forms.FileField(
        required=False, widget=forms.ClearableFileInput(attrs={"class": "app-f", "accept": ".pdf"})
    )


class QuietForm(EveryCase):
    mark_optional = False


DATA = {
    "text": "<script>",
    "optional": "x & y",
    "email": "not an email",
    "number": "0",
    "password": "",
    "notes": "line one\n<two>",
    "short": "",
    "counted": "far too long for twenty characters",
    "pick": "zzz",
    "grouped": "kiwi",
    "many": ["a", "b"],
    "hidden": "h",
    "answer": "maybe",
    "size": "2",
    "when": ["31", "2", "2024"],
    "since": ["", "3", ""],
}


def _both(source: str, **context) -> tuple[str, str]:
    template = Template("{% load crispy_forms_tags crispy_forms_filters %}" + source)
    fast.FAST = True
    try:
        quick = template.render(Context(context))
        fast.FAST = False
        slow = template.render(Context(context))
    finally:
        fast.FAST = True
    return quick, slow


@pytest.mark.parametrize("form_class", [EveryCase, QuietForm])
@pytest.mark.parametrize("data", [None, DATA, {}], ids=["unbound", "invalid", "empty"])
def test_every_field_alone(form_class, data):
    form = form_class(data, initial={"optional": "start", "number": 7, "when": "2020-01-31", "size": 1})
    for name in form.fields:
        quick, slow = _both("{{ field|as_crispy_field }}", field=form[name])
        assert quick == slow, name


@pytest.mark.parametrize("data", [None, DATA], ids=["unbound", "invalid"])
def test_whole_form_with_a_helper_and_layout(data):
    form = EveryCase(data)
    form.helper = FormHelper()
    form.helper.form_tag = False
    form.helper.label_class = "app-label"
    form.helper.form_show_labels = False
    form.helper.layout = Layout(
        Field("text", wrapper_class="app-wrap"), Field("pick", wrapper_class="app-pick"), "notes", "number"
    )
    quick, slow = _both("{% crispy form %}", form=form)
    assert quick == slow
    assert ('class="nhsuk-form-group nhsuk-form-group--error app-pick"' in quick) == (data is not None)


def test_filter_without_errors_shown():
    form = EveryCase(DATA)
    quick, slow = _both("{{ form|crispy }}", form=form, form_show_errors=False)
    assert quick == slow
    quick, slow = _both("{{ form|crispy }}", form=form)
    assert quick == slow and "nhsuk-error-message" in quick


def test_the_python_components_are_used_and_others_fall_back():
    form = EveryCase()
    context = {"id": "id_x", "errors": None}
    assert fast.component_html(context, form["pick"]) is not None
    assert fast.component_html(context, form["notes"]) is not None
    assert fast.component_html(context, form["email"]) is not None
    assert fast.component_html(context, form["counted"]) is None  # character count: the template
    assert fast.component_html(context, form["hidden"]) is None
    assert fast.component_html(context, form["answer"]) is not None
    assert fast.component_html(context, form["when"]) is not None
    assert fast.component_html(context, form["upload"]) is not None


class CurrentFile:
    url = "/media/plan.pdf"

    def __str__(self):
        return "plan <2>.pdf"


@pytest.mark.parametrize("required", [True, False])
def test_a_file_input_showing_its_current_file_falls_back(required):
    form = EveryCase(initial={"extra": CurrentFile()})
    form.fields["extra"].required = required
    assert fast.component_html({"id": "id_extra", "errors": None}, form["extra"]) is None
    quick, slow = _both("{{ field|as_crispy_field }}", field=form["extra"])
    assert quick == slow and "plan &lt;2&gt;.pdf" in quick


class Revealing(forms.Form):
    answer = forms.ChoiceField(
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect(attrs={"reveals": {"no": "why"}}),
    )
    why = forms.CharField(widget=forms.Textarea, required=False, label="Why not")


@pytest.mark.parametrize("data", [None, {"answer": "no", "why": "<because>"}, {"answer": "x"}])
@pytest.mark.parametrize("show_errors", [True, False])
def test_a_field_revealed_under_a_radio(data, show_errors):
    quick, slow = _both("{{ form|crispy }}", form=Revealing(data), form_show_errors=show_errors)
    assert quick == slow and "Why not" in quick and "Why not (optional)" not in quick
    assert 'data-app-reveals="conditional-id_answer_1"' in quick


def test_a_revealed_field_needs_the_template_context():
    # Called outside a template (no context to include nhsuk/field.html with): the templates render.
    assert fast.component_html({"id": "id_answer", "errors": None}, Revealing()["answer"]) is None
