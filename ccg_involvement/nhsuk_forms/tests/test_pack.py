"""The NHS.UK crispy template pack: its templates (templates/nhsuk/), filters, field and widget.

Markup is checked against the nhsuk-frontend 10.6.1 component templates: classes, ids, the
label / hint / error order, aria-describedby, and the error summary's links. No database.
"""

import datetime

import lxml.html
import pytest
from crispy_forms.helper import FormHelper
from crispy_forms.layout import (
    HTML,
    Button,
    ButtonHolder,
    Column,
    Div,
    Field,
    Fieldset,
    Hidden,
    Layout,
    MultiField,
    Reset,
    Row,
    Submit,
)
from django import forms
from django.template import Context, Template

from ccg_involvement.nhsuk_forms import DateParts, NHSDateField, NHSDateInput, nhsuk_helper

CHOICES = [("email", "Email"), ("phone", "Phone"), ("text", "Text message")]


class ExampleForm(forms.Form):
    name = forms.CharField(label="Full name", help_text="As it appears on your NHS record", max_length=50)
    email = forms.EmailField(label="Email address", required=False)
    age = forms.IntegerField(label="Age", required=False)
    password = forms.CharField(label="Password", widget=forms.PasswordInput(render_value=False))
    website = forms.URLField(label="Website", required=False)
    details = forms.CharField(label="Details", widget=forms.Textarea, required=False)
    summary = forms.CharField(label="Summary", widget=forms.Textarea, max_length=200, required=False)
    sort = forms.ChoiceField(label="Sort by", choices=[("", "Choose"), ("new", "Newest"), ("old", "Oldest")])
    contact = forms.ChoiceField(label="How should we contact you?", choices=CHOICES, widget=forms.RadioSelect)
    methods = forms.MultipleChoiceField(
        label="Methods", choices=CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )
    agree = forms.BooleanField(label="I agree to the terms")
    updates = forms.BooleanField(label="Send me updates", required=False)
    date_of_birth = NHSDateField(label="Date of birth", help_text="For example, 31 3 1980")
    evidence = forms.FileField(label="Evidence", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


VALID = {
    "name": "Ada Lovelace",
    "password": "secret",
    "sort": "new",
    "contact": "phone",
    "agree": "on",
    "date_of_birth_0": "10",
    "date_of_birth_1": "12",
    "date_of_birth_2": "1815",
}


def bound(**overrides):
    data = {**VALID, **overrides}
    return ExampleForm({key: value for key, value in data.items() if value is not None})


def render(form, source="{{ form|crispy }}", **context):
    html = Template("{% load crispy_forms_tags %}" + source).render(Context({"form": form, **context}))
    return lxml.html.fragment_fromstring(html, create_parent="div")


def one(doc, xpath):
    found = doc.xpath(xpath)
    assert len(found) == 1, f"{xpath}: {len(found)} matches"
    return found[0]


def classes(element):
    return element.get("class").split()


def text(element):
    return " ".join(element.text_content().split())


def group_of(doc, field_id):
    """The nhsuk-form-group that holds the control (or fieldset) for ``field_id``."""
    return one(
        doc,
        f'//div[contains(concat(" ", @class, " "), " nhsuk-form-group ")][.//*[@id="{field_id}"]]'
        '[not(ancestor::div[contains(concat(" ", @class, " "), " nhsuk-form-group ")])]',
    )


# Text inputs ----------------------------------------------------------------------------------


def test_text_input_markup():
    doc = render(ExampleForm())
    group = group_of(doc, "id_name")
    assert classes(group) == ["nhsuk-form-group"]
    label, hint, control = group.getchildren()
    assert (label.tag, classes(label), label.get("for"), text(label)) == (
        "label",
        ["nhsuk-label"],
        "id_name",
        "Full name",
    )
    assert (hint.get("class"), hint.get("id"), text(hint)) == (
        "nhsuk-hint",
        "id_name-hint",
        "As it appears on your NHS record",
    )
    assert control.tag == "input"
    assert classes(control) == ["nhsuk-input"]
    assert control.get("name") == "name" and control.get("type") == "text"
    assert control.get("aria-describedby") == "id_name-hint"
    assert control.get("maxlength") == "50"  # widget attributes pass through
    assert control.get("required") is None  # validation is done on the server
    assert control.get("aria-invalid") is None


@pytest.mark.parametrize(
    ("field_id", "input_type"),
    [("id_email", "email"), ("id_age", "number"), ("id_password", "password"), ("id_website", "url")],
)
def test_input_types(field_id, input_type):
    control = one(render(ExampleForm()), f'//*[@id="{field_id}"]')
    assert (control.tag, control.get("type"), classes(control)) == ("input", input_type, ["nhsuk-input"])
    assert control.get("aria-describedby") is None  # no hint, no error


def test_input_redisplays_value_but_not_password():
    doc = render(bound(email="not an email", age="abc", password="hunter2"))
    assert one(doc, '//*[@id="id_email"]').get("value") == "not an email"
    assert one(doc, '//*[@id="id_age"]').get("value") == "abc"
    assert one(doc, '//*[@id="id_password"]').get("value") is None


def test_input_error():
    doc = render(bound(name=""))
    group = group_of(doc, "id_name")
    assert classes(group) == ["nhsuk-form-group", "nhsuk-form-group--error"]
    label, hint, error, control = group.getchildren()
    assert (error.tag, error.get("class"), error.get("id")) == (
        "span",
        "nhsuk-error-message",
        "id_name-error",
    )
    assert text(error) == "Error: This field is required."
    prefix = one(error, "./span")
    assert (prefix.get("class"), prefix.text) == ("nhsuk-u-visually-hidden", "Error: ")
    assert classes(control) == ["nhsuk-input", "nhsuk-input--error"]
    assert control.get("aria-describedby") == "id_name-hint id_name-error"


def test_widget_and_layout_classes_are_kept():
    class NumberForm(forms.Form):
        nhs_number = forms.CharField(widget=forms.TextInput(attrs={"class": "nhsuk-input--width-10"}))
        count = forms.IntegerField()

    form = NumberForm({"count": ""})
    form.helper = FormHelper()
    form.helper.layout = Layout(
        "nhs_number", Field("count", css_class="nhsuk-input--width-4", spellcheck="false")
    )
    doc = render(form, "{% crispy form %}")
    assert classes(one(doc, '//*[@id="id_nhs_number"]')) == [
        "nhsuk-input",
        "nhsuk-input--error",
        "nhsuk-input--width-10",
    ]
    count = one(doc, '//*[@id="id_count"]')
    assert classes(count) == ["nhsuk-input", "nhsuk-input--error", "nhsuk-input--width-4"]
    assert count.get("spellcheck") == "false"


# Optional fields ------------------------------------------------------------------------------


def test_optional_fields_say_so_and_required_ones_have_no_marker():
    doc = render(ExampleForm())
    assert text(one(doc, '//label[@for="id_email"]')) == "Email address (optional)"
    assert text(one(doc, '//label[@for="id_name"]')) == "Full name"
    assert text(group_of(doc, "id_methods_0").xpath(".//legend")[0]) == "Methods (optional)"
    assert text(group_of(doc, "id_contact_0").xpath(".//legend")[0]) == "How should we contact you?"
    # A single checkbox is a yes/no answer, never "optional".
    assert text(one(doc, '//label[@for="id_updates"]')) == "Send me updates"
    assert "*" not in text(doc)


def test_a_form_can_turn_the_optional_marker_off():
    class FilterForm(ExampleForm):
        mark_optional = False

    doc = render(FilterForm())
    assert text(one(doc, '//label[@for="id_email"]')) == "Email address"
    assert text(group_of(doc, "id_methods_0").xpath(".//legend")[0]) == "Methods"
    assert "(optional)" not in text(doc)


# Textarea and character count -----------------------------------------------------------------


def test_textarea():
    doc = render(bound(details="Line one\nLine two <b>"))
    group = group_of(doc, "id_details")
    assert classes(group) == ["nhsuk-form-group"]
    textarea = one(group, ".//textarea")
    assert (classes(textarea), textarea.get("rows"), textarea.get("cols")) == (["nhsuk-textarea"], "5", None)
    # As in Django's own template, a newline follows <textarea> (browsers drop it; lxml keeps it).
    assert textarea.text == "\nLine one\nLine two <b>"


def test_textarea_rows_can_be_set():
    class NotesForm(forms.Form):
        notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))

    assert one(render(NotesForm()), "//textarea").get("rows") == "3"


def test_textarea_error():
    class NotesForm(forms.Form):
        notes = forms.CharField(widget=forms.Textarea, help_text="Do not include personal information")

    doc = render(NotesForm({"notes": ""}))
    assert classes(group_of(doc, "id_notes")) == ["nhsuk-form-group", "nhsuk-form-group--error"]
    textarea = one(doc, "//textarea")
    assert classes(textarea) == ["nhsuk-textarea", "nhsuk-textarea--error"]
    assert textarea.get("aria-describedby") == "id_notes-hint id_notes-error"


def test_textarea_with_max_length_is_a_character_count():
    doc = render(bound(summary="x" * 201))
    group = group_of(doc, "id_summary")
    assert classes(group) == ["nhsuk-form-group", "nhsuk-form-group--error", "nhsuk-character-count"]
    assert group.get("data-module") == "nhsuk-character-count"
    assert group.get("data-maxlength") == "200"
    textarea = one(group, ".//textarea")
    assert classes(textarea) == ["nhsuk-textarea", "nhsuk-textarea--error", "nhsuk-js-character-count"]
    assert textarea.get("maxlength") is None  # people may type over the limit and are told
    assert textarea.get("aria-describedby") == "id_summary-info id_summary-error"
    info = one(group, './/*[@id="id_summary-info"]')
    assert (info.get("class"), text(info)) == (
        "nhsuk-hint nhsuk-character-count__message",
        "You can enter up to 200 characters",
    )


# Select ---------------------------------------------------------------------------------------


def test_select():
    doc = render(bound(sort="old"))
    label, select = group_of(doc, "id_sort").getchildren()
    assert label.get("for") == "id_sort"
    assert (select.tag, classes(select), select.get("name")) == ("select", ["nhsuk-select"], "sort")
    options = [(o.get("value"), o.text, o.get("selected") is not None) for o in select.xpath("./option")]
    assert options == [("", "Choose", False), ("new", "Newest", False), ("old", "Oldest", True)]


def test_select_groups_and_escapes_its_options():
    from django import forms

    class GroupedForm(forms.Form):
        duty = forms.ChoiceField(
            required=False,
            choices=[("", "Any duty"), ("WPPC22", [("p1", "Principle <1> & more"), ("p2", 'Say "hello"')])],
        )

    doc = render(GroupedForm(data={"duty": "p2"}))
    select = one(doc, '//select[@id="id_duty"]')
    assert [o.text for o in select.xpath("./option")] == ["Any duty"]
    group = one(select, "./optgroup")
    assert group.get("label") == "WPPC22"
    options = [(o.get("value"), o.text, o.get("selected") is not None) for o in group.xpath("./option")]
    assert options == [("p1", "Principle <1> & more", False), ("p2", 'Say "hello"', True)]


def test_select_error():
    doc = render(bound(sort=""))
    assert classes(group_of(doc, "id_sort")) == ["nhsuk-form-group", "nhsuk-form-group--error"]
    select = one(doc, '//select[@id="id_sort"]')
    assert classes(select) == ["nhsuk-select", "nhsuk-select--error"]
    assert select.get("aria-describedby") == "id_sort-error"


# Radios and checkboxes ------------------------------------------------------------------------


def test_radios():
    doc = render(bound(contact="phone"))
    group = group_of(doc, "id_contact_0")
    fieldset = one(group, "./fieldset")
    assert fieldset.get("class") == "nhsuk-fieldset"
    assert one(fieldset, "./legend").get("class") == "nhsuk-fieldset__legend"
    radios = one(fieldset, './div[@class="nhsuk-radios"]')
    assert radios.get("data-module") == "nhsuk-radios"
    items = radios.xpath('./div[@class="nhsuk-radios__item"]')
    assert len(items) == 3
    rendered = []
    for item in items:
        radio, label = item.getchildren()
        assert (radio.get("class"), radio.get("type"), radio.get("name")) == (
            "nhsuk-radios__input",
            "radio",
            "contact",
        )
        assert label.get("class") == "nhsuk-label nhsuk-radios__label"
        assert label.get("for") == radio.get("id")
        rendered.append((radio.get("id"), radio.get("value"), text(label), radio.get("checked") is not None))
    assert rendered == [
        ("id_contact_0", "email", "Email", False),
        ("id_contact_1", "phone", "Phone", True),
        ("id_contact_2", "text", "Text message", False),
    ]


def test_radios_error_and_hint_describe_the_fieldset():
    class ContactForm(forms.Form):
        contact = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect, help_text="Choose one")

    doc = render(ContactForm({}))
    group = group_of(doc, "id_contact_0")
    assert classes(group) == ["nhsuk-form-group", "nhsuk-form-group--error"]
    fieldset = one(group, "./fieldset")
    assert fieldset.get("aria-describedby") == "id_contact-hint id_contact-error"
    legend, hint, error, radios = fieldset.getchildren()
    assert (legend.tag, hint.get("id"), error.get("id")) == ("legend", "id_contact-hint", "id_contact-error")
    assert all(radio.get("aria-describedby") is None for radio in radios.xpath(".//input"))


def test_radio_widget_class_goes_on_the_group():
    class ContactForm(forms.Form):
        contact = forms.ChoiceField(
            choices=CHOICES, widget=forms.RadioSelect(attrs={"class": "nhsuk-radios--inline"})
        )

    radios = one(render(ContactForm()), '//div[@data-module="nhsuk-radios"]')
    assert classes(radios) == ["nhsuk-radios", "nhsuk-radios--inline"]
    assert all(radio.get("class") == "nhsuk-radios__input" for radio in radios.xpath(".//input"))


def test_checkboxes_for_checkbox_select_multiple():
    doc = render(bound(methods=["email", "text"]))
    fieldset = one(group_of(doc, "id_methods_0"), "./fieldset")
    checkboxes = one(fieldset, './div[@class="nhsuk-checkboxes"]')
    assert checkboxes.get("data-module") == "nhsuk-checkboxes"
    inputs = checkboxes.xpath('./div[@class="nhsuk-checkboxes__item"]/input')
    assert [(i.get("id"), i.get("name"), i.get("type"), i.get("class")) for i in inputs] == [
        (f"id_methods_{n}", "methods", "checkbox", "nhsuk-checkboxes__input") for n in range(3)
    ]
    assert [i.get("value") for i in inputs if i.get("checked") is not None] == ["email", "text"]
    labels = checkboxes.xpath(".//label")
    assert [(label.get("for"), label.get("class")) for label in labels] == [
        (f"id_methods_{n}", "nhsuk-label nhsuk-checkboxes__label") for n in range(3)
    ]


def test_single_checkbox():
    doc = render(bound(agree=None))
    group = group_of(doc, "id_agree")
    assert classes(group) == ["nhsuk-form-group", "nhsuk-form-group--error"]
    assert not group.xpath(".//fieldset")
    error, checkboxes = group.getchildren()
    assert error.get("id") == "id_agree-error"
    checkbox = one(checkboxes, './div[@class="nhsuk-checkboxes__item"]/input')
    assert (checkbox.get("type"), checkbox.get("name"), checkbox.get("checked")) == (
        "checkbox",
        "agree",
        None,
    )
    assert checkbox.get("aria-describedby") == "id_agree-error"
    assert text(one(checkboxes, ".//label[@for='id_agree']")) == "I agree to the terms"

    ticked = one(render(bound(updates="true")), '//*[@id="id_updates"]')
    assert ticked.get("checked") is not None
    assert ExampleForm({**VALID, "updates": ticked.get("value")}).is_valid()


# File upload ----------------------------------------------------------------------------------


def test_file_upload():
    doc = render(ExampleForm())
    group = group_of(doc, "id_evidence")
    assert classes(group) == ["nhsuk-form-group", "nhsuk-file-upload"]
    assert group.get("data-module") is None  # the script-enhanced drop zone is opt-in
    control = one(group, ".//input")
    assert (control.get("class"), control.get("type"), control.get("name")) == (
        "nhsuk-file-upload__input",
        "file",
        "evidence",
    )
    assert one(group, "./label").get("for") == "id_evidence"


def test_file_upload_error_and_multipart_form():
    class UploadForm(forms.Form):
        evidence = forms.FileField()

    form = UploadForm({}, {})
    form.helper = FormHelper()
    doc = render(form, "{% crispy form %}")
    assert one(doc, "//form").get("enctype") == "multipart/form-data"
    group = group_of(doc, "id_evidence")
    assert classes(group) == ["nhsuk-form-group", "nhsuk-form-group--error", "nhsuk-file-upload"]
    assert one(group, ".//input").get("aria-describedby") == "id_evidence-error"

    form.helper.enhance_file_uploads = True
    assert (
        group_of(render(form, "{% crispy form %}"), "id_evidence").get("data-module") == "nhsuk-file-upload"
    )


# Date input -----------------------------------------------------------------------------------


def date_boxes(doc, name="date_of_birth"):
    return doc.xpath(f'//div[@id="id_{name}"]//input')


def test_date_input_markup():
    doc = render(ExampleForm(initial={"date_of_birth": datetime.date(1980, 3, 31)}))
    group = group_of(doc, "id_date_of_birth")
    assert classes(group) == ["nhsuk-form-group"]
    fieldset = one(group, "./fieldset")
    assert (fieldset.get("class"), fieldset.get("role")) == ("nhsuk-fieldset", "group")
    assert fieldset.get("aria-describedby") == "id_date_of_birth-hint"
    legend, hint, date_input = fieldset.getchildren()
    assert (legend.get("class"), text(legend)) == ("nhsuk-fieldset__legend", "Date of birth")
    assert hint.get("id") == "id_date_of_birth-hint"
    assert date_input.get("class") == "nhsuk-date-input"
    items = date_input.xpath('./div[@class="nhsuk-date-input__item"]')
    assert len(items) == 3
    rendered = []
    for item in items:
        item_group = one(item, "./div")
        label, box = item_group.getchildren()
        assert item_group.get("class") == "nhsuk-form-group"
        assert label.get("class") == "nhsuk-label nhsuk-date-input__label"
        assert label.get("for") == box.get("id")
        assert (box.get("type"), box.get("inputmode")) == ("text", "numeric")
        rendered.append((text(label), box.get("id"), box.get("name"), box.get("value"), box.get("class")))
    box_class = "nhsuk-input nhsuk-input--width-{} nhsuk-date-input__input"
    assert rendered == [
        ("Day", "id_date_of_birth_0", "date_of_birth_0", "31", box_class.format(2)),
        ("Month", "id_date_of_birth_1", "date_of_birth_1", "3", box_class.format(2)),
        ("Year", "id_date_of_birth_2", "date_of_birth_2", "1980", box_class.format(4)),
    ]


def test_date_input_renders_outside_crispy_and_autocomplete():
    class BirthForm(forms.Form):
        born = NHSDateField(widget=NHSDateInput(autocomplete="bday"))

    doc = lxml.html.fragment_fromstring(str(BirthForm()["born"]), create_parent="div")
    assert one(doc, "./div").get("class") == "nhsuk-date-input"
    assert [box.get("autocomplete") for box in date_boxes(doc, "born")] == [
        "bday-day",
        "bday-month",
        "bday-year",
    ]


def date_errors(day, month, year, **field_kwargs):
    class DateForm(forms.Form):
        when = NHSDateField(**{"label": "Date of birth", **field_kwargs})

    form = DateForm({"when_0": day, "when_1": month, "when_2": year})
    return form, form.errors.get("when", [])


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (("31", "3", "1980"), datetime.date(1980, 3, 31)),
        ((" 01 ", "03", "1980"), datetime.date(1980, 3, 1)),
        (("1st", "Jan", "2024"), datetime.date(2024, 1, 1)),
        (("29", "february", "2024"), datetime.date(2024, 2, 29)),
    ],
)
def test_date_field_returns_a_date(typed, expected):
    form, errors = date_errors(*typed)
    assert errors == []
    assert form.cleaned_data["when"] == expected


@pytest.mark.parametrize(
    ("typed", "message", "highlighted"),
    [
        (("", "", ""), "Enter date of birth", ["day", "month", "year"]),
        (("", "3", "1980"), "Date of birth must include a day", ["day"]),
        (("31", "", "1980"), "Date of birth must include a month", ["month"]),
        (("31", "3", ""), "Date of birth must include a year", ["year"]),
        (("", "", "1980"), "Date of birth must include a day and month", ["day", "month", "year"]),
        (("31", "13", "1980"), "Date of birth must be a real date", ["month"]),
        (("32", "3", "1980"), "Date of birth must be a real date", ["day"]),
        (("30", "2", "2024"), "Date of birth must be a real date", ["day"]),
        (("29", "2", "2023"), "Date of birth must be a real date", ["day"]),
        (("ab", "cd", "1980"), "Date of birth must be a real date", ["day", "month", "year"]),
        (("31", "3", "80"), "Year must include 4 numbers", ["year"]),
        (("31", "3", "19800"), "Year must include 4 numbers", ["year"]),
        (("31", "3", "0000"), "Date of birth must be a real date", ["year"]),
    ],
)
def test_date_field_messages_and_highlighted_boxes(typed, message, highlighted):
    form, errors = date_errors(*typed)
    assert errors == [message]

    doc = render(form)
    boxes = date_boxes(doc, "when")
    assert [box.get("value") or "" for box in boxes] == [part.strip() for part in typed]  # nothing lost
    in_error = [
        part
        for part, box in zip(["day", "month", "year"], boxes, strict=True)
        if "nhsuk-input--error" in classes(box)
    ]
    assert in_error == highlighted
    for box in boxes:
        item_group = box.getparent()
        assert ("nhsuk-form-group--error" in classes(item_group)) == ("nhsuk-input--error" in classes(box))
    assert classes(group_of(doc, "id_when")) == ["nhsuk-form-group", "nhsuk-form-group--error"]
    assert one(doc, '//*[@id="id_when-error"]').get("class") == "nhsuk-error-message"
    # The error summary links to the first box in error.
    first = {"day": "0", "month": "1", "year": "2"}[highlighted[0]]
    assert (
        one(doc, '//ul[contains(@class, "nhsuk-error-summary__list")]//a').get("href") == f"#id_when_{first}"
    )


def test_optional_date_field_may_be_left_blank():
    form, errors = date_errors("", "", "", required=False)
    assert errors == [] and form.cleaned_data["when"] is None


def test_date_field_error_wording():
    assert date_errors("", "", "", error_name="your date of birth")[1] == ["Enter your date of birth"]
    assert date_errors("", "", "", label="NHS start date")[1] == ["Enter NHS start date"]
    assert date_errors("", "3", "2024", label="NHS start date")[1] == ["NHS start date must include a day"]
    assert date_errors("", "", "", label=None)[1] == ["Enter the date"]
    custom = {"invalid": "%(Label)s must be a date you can find on a calendar"}
    assert date_errors("31", "2", "2024", error_messages=custom)[1] == [
        "Date of birth must be a date you can find on a calendar"
    ]


def test_date_error_from_elsewhere_highlights_the_whole_date():
    form, errors = date_errors("1", "1", "2030")
    assert errors == []
    form.add_error("when", "Date of birth must be in the past")
    boxes = date_boxes(render(form), "when")
    assert all("nhsuk-input--error" in classes(box) for box in boxes)


def test_date_field_validators_and_has_changed():
    def not_in_future(value):
        if value > datetime.date(2026, 1, 1):
            raise forms.ValidationError("Date of birth must be in the past")

    assert date_errors("1", "1", "2030", validators=[not_in_future])[1] == [
        "Date of birth must be in the past"
    ]
    field = NHSDateField()
    assert not field.has_changed(datetime.date(2024, 1, 5), DateParts("5", "1", "2024"))
    assert field.has_changed(datetime.date(2024, 1, 5), DateParts("6", "1", "2024"))
    assert field.has_changed(None, DateParts("31", "2", "2024"))


# Error summary --------------------------------------------------------------------------------


class SummaryForm(forms.Form):
    name = forms.CharField(label="Full name")
    contact = forms.ChoiceField(label="Contact", choices=CHOICES, widget=forms.RadioSelect)
    born = NHSDateField(label="Date of birth")
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        raise forms.ValidationError("These details do not match our records")


@pytest.mark.parametrize("source", ["{{ form|crispy }}", "{% crispy form %}", "{{ form|as_crispy_errors }}"])
def test_error_summary_lists_every_error(source):
    form = SummaryForm({"born_0": "1", "born_1": "", "born_2": "2000"})
    form.helper = FormHelper()
    form.helper.form_tag = False
    doc = render(form, source)
    summary = one(doc, '//div[@class="nhsuk-error-summary"]')
    assert summary.get("data-module") == "nhsuk-error-summary"
    assert summary.get("tabindex") == "-1"
    alert = one(summary, './div[@role="alert"]')
    heading = one(alert, "./h2")
    assert (heading.get("class"), text(heading)) == ("nhsuk-error-summary__heading", "There is a problem")
    items = one(
        alert, './div[@class="nhsuk-error-summary__body"]/ul[@class="nhsuk-list nhsuk-error-summary__list"]'
    )
    listed = [
        (one(li, "./a").get("href") if li.xpath("./a") else None, text(li)) for li in items.xpath("./li")
    ]
    assert listed == [
        (None, "These details do not match our records"),
        ("#id_name", "This field is required."),
        ("#id_contact_0", "This field is required."),
        ("#id_born_1", "Date of birth must include a month"),
        (None, "This field is required."),  # a hidden field has nothing to link to
    ]
    if source != "{{ form|as_crispy_errors }}":
        everything = doc.xpath("//*")
        first_group = doc.xpath('//div[contains(concat(" ", @class, " "), " nhsuk-form-group ")]')[0]
        assert everything.index(summary) < everything.index(first_group)  # the summary comes first


def test_error_summary_links_resolve():
    form = SummaryForm({"born_0": "", "born_1": "", "born_2": ""})
    doc = render(form)
    for link in doc.xpath('//ul[contains(@class, "nhsuk-error-summary__list")]//a'):
        assert len(doc.xpath(f'//*[@id="{link.get("href")[1:]}"]')) == 1
    assert (
        one(doc, '//ul[contains(@class, "nhsuk-error-summary__list")]//a[contains(., "date")]').get("href")
        == "#id_born_0"
    )  # the whole date is wrong: link to the day box


def test_error_summary_title_from_helper():
    form = SummaryForm({})
    form.helper = FormHelper()
    form.helper.form_error_title = "Check your answers"
    assert text(one(render(form, "{% crispy form %}"), "//h2")) == "Check your answers"


def test_no_error_summary_without_errors():
    assert not render(ExampleForm()).xpath('//*[contains(@class, "nhsuk-error")]')
    assert not render(bound()).xpath('//*[contains(@class, "error")]')


def test_form_show_errors_false_hides_summary_and_messages():
    form = SummaryForm({})
    form.helper = FormHelper()
    form.helper.form_show_errors = False
    doc = render(form, "{% crispy form %}")
    assert not doc.xpath('//*[contains(@class, "error")]')


def test_helper_can_leave_the_summary_to_the_page():
    form = SummaryForm({})
    form.helper = nhsuk_helper()
    form.helper.error_summary = False
    doc = render(form, "{{ form|as_crispy_errors }}<h1>Title</h1>{% crispy form %}")
    assert len(doc.xpath('//div[@class="nhsuk-error-summary"]')) == 1
    assert doc.xpath('//*[@class="nhsuk-error-message"]')


def test_field_template_can_be_included_directly():
    form = SummaryForm({})
    doc = render(
        form,
        '{% include "nhsuk/errors.html" %}'
        '{% for field in form %}{% include "nhsuk/field.html" %}{% endfor %}',
    )
    assert one(doc, '//*[@id="id_name-error"]').get("class") == "nhsuk-error-message"
    assert one(doc, '//div[@class="nhsuk-error-summary"]') is not None


def test_formset_error_summary():
    class NameForm(forms.Form):
        name = forms.CharField()

    NameFormSet = forms.formset_factory(NameForm, extra=0)
    formset = NameFormSet({"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "2", "form-0-name": "Ann"})
    doc = render(formset)
    links = doc.xpath('//ul[contains(@class, "nhsuk-error-summary__list")]//a')
    assert [link.get("href") for link in links] == ["#id_form-1-name"]
    assert one(doc, '//*[@id="id_form-1-name"]').get("class") == "nhsuk-input nhsuk-input--error"


# {% crispy %}, layouts and buttons ------------------------------------------------------------


def test_crispy_tag_with_layout_fieldset_and_buttons():
    form = ExampleForm()
    form.helper = FormHelper()
    form.helper.form_action = "/save/"
    form.helper.layout = Layout(
        Fieldset("About you", "name", "email"),
        Submit("save", "Save and continue"),
        Submit("draft", "Save as draft", css_class="nhsuk-button--secondary"),
    )
    doc = render(form, "{% crispy form %}")
    form_tag = one(doc, "//form")
    assert (form_tag.get("method"), form_tag.get("action"), form_tag.get("novalidate")) == (
        "post",
        "/save/",
        "",
    )
    fieldset = one(form_tag, "./fieldset")
    assert fieldset.get("class") == "nhsuk-fieldset"
    legend = one(fieldset, "./legend")
    assert legend.get("class") == "nhsuk-fieldset__legend nhsuk-fieldset__legend--m"
    assert (one(legend, "./h2").get("class"), text(legend)) == ("nhsuk-fieldset__heading", "About you")
    assert [group.xpath(".//input")[0].get("id") for group in fieldset.xpath("./div")] == [
        "id_name",
        "id_email",
    ]
    buttons = form_tag.xpath(".//button")
    assert [
        (b.get("class"), b.get("type"), b.get("name"), b.get("data-module"), text(b)) for b in buttons
    ] == [
        ("nhsuk-button", "submit", "save", "nhsuk-button", "Save and continue"),
        ("nhsuk-button nhsuk-button--secondary", "submit", "draft", "nhsuk-button", "Save as draft"),
    ]
    assert not doc.xpath('//*[contains(@class, "btn")]')
    assert not doc.xpath("//*[@style]") and not doc.xpath("//script")


def test_nhsuk_helper():
    helper = nhsuk_helper("Save activity")
    assert helper.form_tag is False
    form = SummaryForm()
    form.helper = helper
    doc = render(form, "{% crispy form %}")
    assert not doc.xpath("//form")
    button = one(doc, "//button")
    assert (button.get("class"), button.get("name"), text(button)) == (
        "nhsuk-button",
        "save",
        "Save activity",
    )
    assert doc.xpath('//*[@id="id_name"]')  # no layout: every field

    with_layout = nhsuk_helper(layout=Layout("name"), form_tag=True)
    form.helper = with_layout
    doc = render(form, "{% crispy form %}")
    assert doc.xpath("//form") and not doc.xpath("//button") and not doc.xpath('//*[@id="id_born"]')


def test_labels_can_be_hidden_and_sized_by_the_helper():
    form = SummaryForm()
    form.helper = FormHelper()
    form.helper.label_class = "nhsuk-label--m"
    form.helper.legend_class = "nhsuk-fieldset__legend--m"
    doc = render(form, "{% crispy form %}")
    assert classes(one(doc, '//label[@for="id_name"]')) == ["nhsuk-label", "nhsuk-label--m"]
    assert classes(doc.xpath("//legend")[0]) == ["nhsuk-fieldset__legend", "nhsuk-fieldset__legend--m"]

    form.helper = FormHelper()
    form.helper.form_show_labels = False
    label = one(render(form, "{% crispy form %}"), '//label[@for="id_name"]')
    assert classes(label) == ["nhsuk-label", "nhsuk-u-visually-hidden"]


def test_other_layout_objects():
    form = SummaryForm()
    form.helper = nhsuk_helper(
        layout=Layout(
            Row(Column("name"), Column(HTML("<p>Aside</p>"), css_class="nhsuk-grid-column-one-third")),
            Div(MultiField("Contact details", "contact"), css_class="app-contact"),
            Hidden("step", "2"),
            ButtonHolder(
                Reset("reset", "Start again"), Button("help", "Help", css_class="nhsuk-button--reverse")
            ),
        )
    )
    doc = render(form, "{% crispy form %}")
    row = one(doc, '//div[@class="nhsuk-grid-row"]')
    assert [column.get("class") for column in row.xpath("./div")] == [
        "nhsuk-grid-column-one-half",
        "nhsuk-grid-column-one-third",
    ]
    assert one(doc, '//div[@class="app-contact"]/fieldset/legend').text.strip() == "Contact details"
    assert one(doc, '//input[@name="step"]').get("type") == "hidden"
    buttons = one(doc, '//div[@class="nhsuk-button-group"]').xpath("./button")
    assert [(b.get("class"), b.get("type")) for b in buttons] == [
        ("nhsuk-button", "reset"),
        ("nhsuk-button nhsuk-button--reverse", "button"),
    ]


def test_as_crispy_field():
    doc = render(SummaryForm({}), "{{ form.name|as_crispy_field }}")
    assert classes(group_of(doc, "id_name")) == ["nhsuk-form-group", "nhsuk-form-group--error"]
    assert not doc.xpath('//div[@class="nhsuk-error-summary"]')


def test_extra_attrs_writes_other_attributes_escaped_and_skips_the_written_ones():
    from ccg_involvement.nhsuk_forms.templatetags.nhsuk_forms import extra_attrs

    attrs = {
        "id": "x",
        "class": "c",
        "autocomplete": "off",
        "data-x": '"><script>',
        "disabled": True,
        "hidden": False,
    }
    assert extra_attrs(attrs) == ' autocomplete="off" data-x="&quot;&gt;&lt;script&gt;" disabled'
    assert extra_attrs({"maxlength": 10, "placeholder": None}, "maxlength") == ""
    assert extra_attrs(None) == ""
