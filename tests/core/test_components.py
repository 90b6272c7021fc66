"""The shared page components (templates/_components/, ccg_involvement/templatetags/components.py)."""

import datetime
from types import SimpleNamespace

import lxml.html
import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.urls import reverse

from ccg_involvement.choices import TAG_COLOURS, TaggedChoices
from ccg_involvement.models import Document, Organisation
from ccg_involvement.years import ReportingYear
from duties.forms import DocumentForm
from duties.models import ChecklistItem, ItemStatus, Verdict
from engagements.models import Outcome, OutcomeStatus
from engagements.proposals.steps import StepStatus


def render(source, **context):
    return Template("{% load components %}" + source).render(Context(context))


def fragment(html):
    return lxml.html.fragment_fromstring(html, create_parent="div")


# Summary-list row ---------------------------------------------------------------------------------


def test_summary_row_wraps_its_content_as_the_value():
    html = render(
        '{% summary_row "Owner" %}<strong>{{ name }}</strong>{% endsummary_row %}', name="Asha & co"
    )
    assert html == (
        '<div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">Owner</dt>'
        '<dd class="nhsuk-summary-list__value"><strong>Asha &amp; co</strong></dd></div>'
    )


def test_summary_row_key_from_a_variable_is_escaped_and_may_have_a_hint():
    html = render(
        "{% summary_row label hint=question %}Yes{% endsummary_row %}", label="<b>Limb</b>", question="Why?"
    )
    key = fragment(html).xpath("//dt")[0]
    assert lxml.html.tostring(key, encoding="unicode") == (
        '<dt class="nhsuk-summary-list__key">&lt;b&gt;Limb&lt;/b&gt;'
        '<br><span class="nhsuk-body-s app-muted">Why?</span></dt>'
    )


@pytest.mark.parametrize(
    "source",
    [
        "{% summary_row %}x{% endsummary_row %}",
        '{% summary_row "Key" colour="red" %}x{% endsummary_row %}',
        '{% summary_row "Key" "extra" %}x{% endsummary_row %}',
        '{% summary_row "Key" %}x',
    ],
)
def test_summary_row_syntax_errors(source):
    with pytest.raises(TemplateSyntaxError):
        render(source)


# Status tag ---------------------------------------------------------------------------------------


def test_status_tag_takes_its_colour_from_the_choices():
    assert (
        render("{% status_tag choice %}", choice=ItemStatus.READY_FOR_REVIEW)
        == '<strong class="nhsuk-tag nhsuk-tag--yellow">Ready for review</strong>'
    )
    assert (
        render("{% status_tag choice %}", choice=Verdict.NOT_MET)
        == '<strong class="nhsuk-tag nhsuk-tag--red">Not met</strong>'
    )


def test_status_tag_of_a_blank_field():
    assert (
        render('{% status_tag choice empty="Not decided" %}', choice=None)
        == '<span class="app-muted">Not decided</span>'
    )
    assert render("{% status_tag choice %}", choice=None) == ""


def _tagged_choices(cls=TaggedChoices):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _tagged_choices(subclass)


def test_every_tagged_choice_has_a_design_system_colour():
    tagged = set(_tagged_choices())
    assert {ItemStatus, Verdict, OutcomeStatus, StepStatus} <= tagged
    for choices in tagged:
        assert set(choices.tag_colours) == set(choices.values), choices
        for member in choices:
            assert member.tag_colour in TAG_COLOURS, member


def test_models_give_their_tagged_fields_as_choices():
    assert ChecklistItem(status="reviewed").status_choice is ItemStatus.REVIEWED
    assert ChecklistItem(verdict="met").verdict_choice is Verdict.MET
    assert ChecklistItem(verdict="").verdict_choice is None
    assert Outcome(status="not_possible").status_choice is OutcomeStatus.NOT_POSSIBLE


# Year select --------------------------------------------------------------------------------------

YEARS = [ReportingYear(2026), ReportingYear(2025), ReportingYear(2024)]


def test_year_select_marks_the_year_shown():
    doc = fragment(
        render(
            '{% include "_components/year_select.html" with action="" %}',
            year=YEARS[1],
            year_choices=YEARS,
            request=SimpleNamespace(path="/qrv/here/"),
        )
    )
    form = doc.xpath("//form")[0]
    # an empty action is invalid HTML: the form goes to this page's own path
    assert (form.get("method"), form.get("action")) == ("get", "/qrv/here/")
    assert form.get("data-hx-get") is None
    assert doc.xpath('//label[@for="year-select"]')[0].text_content() == "Reporting year"
    options = doc.xpath('//select[@id="year-select"][@name="year"]/option')
    assert [(o.get("value"), o.text_content(), o.get("selected")) for o in options] == [
        ("2026-27", "2026/27", None),
        ("2025-26", "2025/26", "selected"),
        ("2024-25", "2024/25", None),
    ]
    assert not doc.xpath("//input") and not doc.xpath('//*[@class="nhsuk-error-message"]')


def test_year_select_with_htmx_a_kept_parameter_and_an_error():
    doc = fragment(
        render(
            '{% include "_components/year_select.html" with action="/qrv/" hx_target="#body" keep_name="sort" keep_value="gaps" %}',
            year=YEARS[0],
            year_choices=YEARS,
            year_error="Choose a year",
        )
    )
    form = doc.xpath("//form")[0]
    assert (form.get("action"), form.get("data-hx-get"), form.get("data-hx-target")) == (
        "/qrv/",
        "/qrv/",
        "#body",
    )
    # only the "Show" button (the form's submit, htmx's default trigger) fetches: no reload per keypress
    assert form.get("data-hx-trigger") is None
    hidden = doc.xpath('//input[@type="hidden"]')[0]
    assert (hidden.get("name"), hidden.get("value")) == ("sort", "gaps")
    assert doc.xpath('//*[@class="nhsuk-error-message"]')[0].text_content() == "Error: Choose a year"


# Document list with upload ------------------------------------------------------------------------


def _document(pk, **values):
    organisation = Organisation(ods_code="QRV", name="NHS Riverside")
    return Document(
        pk=pk,
        organisation=organisation,
        title=f"Evidence {pk}",
        original_name=f"e{pk}.pdf",
        size=2048,
        **values,
    )


def _document_list(**context):
    html = Template('{% include "_components/document_list.html" %}').render(
        Context({"csrf_token": "token", "documents_url": "/qrv/activities/3/documents/", **context})
    )
    return fragment(html)


def test_document_list_for_an_editor_has_remove_buttons_and_the_upload_form():
    documents = [_document(7, evidence_date=datetime.date(2025, 10, 14)), _document(8)]
    doc = _document_list(documents=documents, upload_form=DocumentForm(), can_edit=True)
    items = doc.xpath("//ul/li")
    assert len(items) == 2
    link = items[0].xpath(".//a")[0]
    assert (link.text_content(), link.get("href"), link.get("download")) == (
        "Evidence 7",
        "/qrv/documents/7/download/",
        "",
    )
    assert "(e7.pdf, 2.0\xa0KB, 14 October 2025)" in items[0].text_content()  # NHS style
    assert "(e8.pdf, 2.0\xa0KB)" in items[1].text_content()
    # Remove is a link to the confirmation page (a GET of the remove URL asks; its POST removes)
    remove = items[1].xpath(".//a[@class='app-remove-link']")[0]
    assert remove.get("href") == "/qrv/activities/3/documents/8/remove/"
    assert remove.text_content() == "Remove Evidence 8"
    assert not items[1].xpath(".//form")
    upload = doc.xpath("//form[@enctype='multipart/form-data']")[0]
    assert upload.get("action") == "/qrv/activities/3/documents/"
    assert upload.xpath(".//input[@type='file'][@name='file']")
    assert upload.xpath(".//button")[0].text_content() == "Upload"


def test_document_list_for_a_viewer_and_when_empty():
    doc = _document_list(documents=[_document(7)], upload_form=DocumentForm(), can_edit=False)
    assert len(doc.xpath("//li")) == 1 and not doc.xpath("//form")
    doc = _document_list(documents=[], upload_form=DocumentForm(), can_edit=True)
    assert doc.xpath("//p")[0].text_content() == "No documents attached."
    assert len(doc.xpath("//form")) == 1
    # The page's own form (a proposal step's) is not taken for the upload form.
    assert not _document_list(documents=[], can_edit=True, form=DocumentForm()).xpath("//form")


def test_document_list_removal_can_return_to_a_proposal_step():
    doc = _document_list(documents=[_document(7)], can_edit=True, return_step=7)
    remove = doc.xpath("//a[@class='app-remove-link']")[0]
    assert remove.get("href") == "/qrv/activities/3/documents/7/remove/?step=7"
    plain = _document_list(documents=[_document(7)], can_edit=True).xpath("//a[@class='app-remove-link']")[0]
    assert plain.get("href") == "/qrv/activities/3/documents/7/remove/"


@pytest.mark.parametrize(
    ("documents_route", "remove_route", "kwargs", "document_kwarg"),
    [
        (
            "checklist-item-document",
            "checklist-item-document-remove",
            {"org_code": "qrv", "year": "2025-26", "framework": "wppc22", "item": "wppc-p1"},
            "pk",
        ),
        ("activity-document", "activity-document-remove", {"org_code": "qrv", "pk": 3}, "document_pk"),
        ("proposal-detail", "proposal-document-remove", {"org_code": "qrv", "pk": 3}, "document_pk"),
    ],
)
def test_document_routes_follow_the_components_convention(
    documents_route, remove_route, kwargs, document_kwarg
):
    """The document list posts removals to <documents URL><pk>/remove/."""
    documents_url = reverse(documents_route, kwargs=kwargs)
    if documents_route == "proposal-detail":  # proposals take uploads in their steps' forms
        documents_url += "documents/"
    assert reverse(remove_route, kwargs={**kwargs, document_kwarg: 41}) == f"{documents_url}41/remove/"


# Year picker's options ----------------------------------------------------------------------------


def test_year_options_list_every_year_with_the_chosen_one_selected_each_time_asked():
    years = [ReportingYear(2026), ReportingYear(2025), ReportingYear(2024)]
    for chosen in (ReportingYear(2025), ReportingYear(2024), ReportingYear(2025)):
        options = fragment(render("{% year_options years chosen %}", years=years, chosen=chosen)).xpath(
            "//option"
        )
        assert [(o.get("value"), o.text) for o in options] == [
            ("2026-27", "2026/27"),
            ("2025-26", "2025/26"),
            ("2024-25", "2024/25"),
        ]
        assert [o.get("value") for o in options if o.get("selected") is not None] == [chosen.slug]


def test_year_options_of_values_that_cannot_be_remembered_are_still_written_and_escaped():
    class Year(SimpleNamespace):
        __hash__ = None

        def __str__(self):
            return self.label

    years = [Year(slug='"x"', label="<b>2025</b>")]
    assert render("{% year_options years None %}", years=years) == (
        '<option value="&quot;x&quot;">&lt;b&gt;2025&lt;/b&gt;</option>'
    )
