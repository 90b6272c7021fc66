"""The Python input, textarea and select components (fast.py) write exactly what the templates write.

Every case the templates distinguish is rendered twice, with the Python components and with the
templates (``fast.FAST = False``), and the two must be identical, character for character.
"""

import pytest
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.template import Context, Template

from ccg_involvement.nhsuk_forms import fast

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
    form = form_class(data, initial={"optional": "start", "number": 7})
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


class Revealing(forms.Form):
    answer = forms.ChoiceField(
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect(attrs={"reveals": {"no": "why"}}),
    )
    why = forms.CharField(widget=forms.Textarea, required=False, label="Why not")


@pytest.mark.parametrize("data", [None, {"answer": "no", "why": "<because>"}])
def test_a_field_revealed_under_a_radio(data):
    quick, slow = _both("{{ form|crispy }}", form=Revealing(data))
    assert quick == slow and "Why not" in quick and "Why not (optional)" not in quick
