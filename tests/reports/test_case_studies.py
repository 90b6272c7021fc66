"""Issue 13: the annual report's case studies are the activities marked "use as a case study", told from
their outcomes (what people said, what changed, the decision it informed); the highlight is separate."""

import dataclasses
import datetime

import pytest

from ccg_involvement.years import ReportingYear
from engagements import actions
from engagements.inputs import ActivityInput
from reports import content
from tests.factories.engagements import activity_for

pytestmark = pytest.mark.django_db
YEAR = ReportingYear(2025)


def _case_study_titles(organisation) -> list[str]:
    blocks = content.annual_report_document(organisation, YEAR).blocks
    start = next((i for i, b in enumerate(blocks) if getattr(b, "anchor", "") == "case-studies"), None)
    if start is None:
        return []
    end = next(i for i, b in enumerate(blocks) if getattr(b, "anchor", "") == "who")
    return [b.text for b in blocks[start + 1 : end] if b.kind == "heading" and b.level == 3]


def test_case_studies_are_the_activities_chosen_as_such_not_the_highlighted_ones(editor, organisation):
    activity_for(editor, title="Highlighted drop-in", start=datetime.date(2025, 5, 1), is_highlight=True)
    story = activity_for(
        editor, title="Maternity listening", start=datetime.date(2025, 6, 1), is_case_study=True
    )
    actions.add_outcome(
        activity=story,
        by=editor.user,
        what_we_heard="Parents wanted evening visiting",
        what_we_did="Visiting extended to 9pm",
        status="done",
        decision_influenced="Maternity service specification 2025",
        reported_back_on=datetime.date(2025, 7, 1),
    )
    assert _case_study_titles(organisation) == ["Maternity listening"]
    text = " ".join(
        b.text for b in content.annual_report_document(organisation, YEAR).blocks if hasattr(b, "text")
    )
    assert "What people told us: Parents wanted evening visiting" in text
    assert "What changed: Visiting extended to 9pm" in text
    assert "The decision it informed: Maternity service specification 2025." in text


def test_no_case_study_chosen_means_no_case_study_section(editor, organisation):
    activity_for(editor, title="Highlighted drop-in", start=datetime.date(2025, 5, 1), is_highlight=True)
    assert _case_study_titles(organisation) == []


def test_the_choice_is_saved_with_the_activity_and_kept_in_its_history(editor, organisation):
    activity = activity_for(editor, title="Survey", start=datetime.date(2025, 5, 1))
    assert activity.is_case_study is False
    data = ActivityInput.from_activity(activity)
    changed = actions.save_activity(
        organisation=organisation,
        by=editor.user,
        data=dataclasses.replace(data, is_case_study=True),
        activity=activity,
        expected_version=activity.version,
    )
    assert changed.is_case_study is True and changed.is_highlight is False
    assert changed.history.first().is_case_study is True


def test_the_activity_form_offers_the_case_study_choice_apart_from_the_highlight(editor):
    from engagements.forms import ActivityForm
    from tests.engagements.test_views import _form

    form = ActivityForm(_form(is_case_study="on"), organisation=editor.organisation)
    assert form.is_valid(), form.errors
    data = form.activity_input()
    assert data.is_case_study is True and data.is_highlight is False
    assert form.fields["is_case_study"].label == "Use as a case study in the annual report"
    assert "what people said, what changed" in form.fields["is_case_study"].help_text


def test_the_activity_page_asks_for_an_outcome_when_a_case_study_has_none(editor, login):
    story = activity_for(editor, title="Survey", start=datetime.date(2025, 5, 1), is_case_study=True)
    client = login(editor)
    assert 'id="case-study-needs-outcomes"' in client.get(story.get_absolute_url()).content.decode()
    actions.add_outcome(
        activity=story, by=editor.user, what_we_heard="More evening slots", status="in_progress"
    )
    assert 'id="case-study-needs-outcomes"' not in client.get(story.get_absolute_url()).content.decode()
