"""The framework data files and their loader."""

import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ccg_involvement.years import ReportingYear
from duties.loader import FRAMEWORK_DIR, FrameworkDataError, load_frameworks
from duties.models import ChecklistItem, Duty, Framework
from tests.factories.duties import checklist_for

pytestmark = pytest.mark.django_db


def test_a_fresh_database_has_the_five_frameworks():
    counts = {f.code: f.duties.count() for f in Framework.objects.current()}
    assert counts == {"PPP17": 10, "IPO17": 10, "WPPC22": 10, "IAF-ENG": 5, "IPO-ICB": 10}
    ppp = Framework.objects.get(code="PPP17")
    assert ppp.legal_basis == "NHS Act 2006 s14Z2"
    assert ppp.kinds == ["CCG"]
    assert [d.code for d in ppp.duties.order_by("number")] == [f"PPP17-A{n:02d}" for n in range(1, 11)]
    assert ppp.duties.get(number=1).title == "Involve the public in governance"
    assert ppp.duties.get(number=10).title == "Hold providers to account"
    assert Framework.objects.get(code="WPPC22").kinds == ["ICB"]


def test_iaf_scoring_and_bands_come_from_the_data_file():
    iaf = Framework.objects.get(code="IAF-ENG")
    assert iaf.is_scored and iaf.max_score == 3
    assert iaf.rating_for(14)["label"] == "Green star"
    assert iaf.rating_for(15)["label"] == "Green star"
    assert iaf.rating_for(13)["label"] != "Green star"
    assert iaf.score_label(3) == "Outstanding"


def test_reloading_is_a_no_op():
    before = list(Framework.objects.values_list("pk", "revision", "content_sha256"))
    results = load_frameworks()
    assert {r.action for r in results} == {"unchanged"}
    assert list(Framework.objects.values_list("pk", "revision", "content_sha256")) == before


@pytest.fixture
def data_dir(tmp_path):
    target = tmp_path / "frameworks"
    shutil.copytree(FRAMEWORK_DIR, target)
    return target


def _edit(path: Path, old: str, new: str):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_a_changed_file_in_use_becomes_a_new_revision_and_old_checklists_keep_their_text(
    data_dir, editor, make_member, organisation
):
    checklist = checklist_for(editor, "WPPC22", ReportingYear(2024))
    old_title = checklist.items.get(duty__number=1).duty.title
    _edit(data_dir / "wppc22-s14z45.toml", f'title = "{old_title}"', 'title = "A reworded first principle"')

    results = {r.code: r for r in load_frameworks(data_dir)}

    assert results["WPPC22"].action == "new revision"
    assert results["WPPC22"].revision == 2
    current = Framework.objects.get(code="WPPC22", is_current=True)
    assert current.duties.get(number=1).title == "A reworded first principle"
    checklist.refresh_from_db()
    assert checklist.framework.revision == 1
    assert checklist.items.get(duty__number=1).duty.title == old_title


def test_items_dropped_from_a_new_revision_are_retired_and_results_survive(data_dir, editor):
    from duties import actions

    checklist = checklist_for(editor, "WPPC22", ReportingYear(2024))
    item = checklist.items.get(duty__number=10)
    actions.update_item(
        item=item, expected_version=item.version, by=editor.user, narrative="We learn from what works."
    )
    path = data_dir / "wppc22-s14z45.toml"
    text = path.read_text()
    path.write_text(text[: text.rindex("[[items]]")])  # drop the last item

    load_frameworks(data_dir)

    old_duty = Duty.objects.get(pk=item.duty_id)
    assert old_duty.retired_in == Framework.objects.get(code="WPPC22", is_current=True)
    assert ChecklistItem.objects.get(pk=item.pk).narrative == "We learn from what works."
    assert Framework.objects.get(code="WPPC22", is_current=True).duties.count() == 9


def test_a_changed_file_nobody_uses_is_updated_in_place(data_dir):
    _edit(data_dir / "ipo17-s14u.toml", 'short_title = "', 'short_title = "Revised ')
    results = {r.code: r for r in load_frameworks(data_dir)}
    assert results["IPO17"].action == "updated"
    assert Framework.objects.filter(code="IPO17").count() == 1
    assert Framework.objects.get(code="IPO17").short_title.startswith("Revised ")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('importance = "core"', 'importance = "vital"', "item WPPC-P0"),
        ("number = 2\n", "number = 7\n", "“number” is 7 but the item is in position 2"),
        ('code = "WPPC-P03"', 'code = "WPPC-P02"', "the code is used by another item"),
        ('applies_to = ["ICB"]', 'applies_to = ["PCT"]', "“applies_to” must list organisation kinds"),
        ("schema = 1", "schema = 2", "schema 2 is not supported"),
        ('title = "', 'title = """', "not valid TOML"),
    ],
)
def test_a_malformed_file_names_file_item_and_problem_and_changes_nothing(data_dir, old, new, message):
    _edit(data_dir / "wppc22-s14z45.toml", old, new)
    _edit(
        data_dir / "ipo17-s14u.toml", 'short_title = "', 'short_title = "Changed '
    )  # a valid change elsewhere
    before = list(Framework.objects.values_list("pk", "short_title", "content_sha256"))

    with pytest.raises(FrameworkDataError) as excinfo:
        load_frameworks(data_dir)

    assert "wppc22-s14z45.toml" in str(excinfo.value)
    assert message in str(excinfo.value)
    assert list(Framework.objects.values_list("pk", "short_title", "content_sha256")) == before


def test_the_command_reports_errors_clearly(data_dir):
    _edit(data_dir / "ppp17-s14z2.toml", 'importance = "statutory"', 'importance = "maybe"')
    with pytest.raises(
        CommandError, match=r"Nothing was loaded\. ppp17-s14z2\.toml, item PPP17-A\d\d: “importance”"
    ):
        call_command("load_frameworks", directory=data_dir)


def test_every_item_cites_where_it_comes_from_and_what_was_verified():
    for duty in Duty.objects.filter(framework__is_current=True).select_related("framework"):
        assert duty.citation, duty.code
        assert duty.verification_note, duty.code
        assert duty.source_citation.startswith(duty.framework.guidance_title)
        assert duty.citation in duty.source_citation
    area = Duty.objects.get(framework__code="IPO17", framework__is_current=True, number=3)
    assert "section 7.3" in area.citation
    principle = Duty.objects.get(framework__code="WPPC22", framework__is_current=True, number=4)
    assert "principle 4 of 10" in principle.citation
    assert "not seen" in principle.verification_note  # the guidance's own wording was not seen


def test_areas_9_and_10_rest_on_the_seed_summary_and_say_so():
    """The seed (a 2017 summary of the guidance) confirms the names of areas 9 and 10, not the guidance."""
    nine = Duty.objects.get(framework__code="IPO17", framework__is_current=True, number=9)
    assert nine.title.endswith("to involve people in their own health and care")
    assert "SEED17" in nine.sources and "only by the 2017 seed summary" in nine.verification_note
    assert {s["key"]: s["title"] for s in nine.source_links}["SEED17"].startswith("A 2017 news item")


def test_the_icb_framework_for_each_patient_is_applied_by_analogy_and_unverified():
    framework = Framework.objects.get(code="IPO-ICB", is_current=True)
    assert framework.kinds == ["ICB"]
    assert framework.analogy_note.startswith("Applied by analogy")
    assert "unverified" in framework.legal_basis
    ipo17 = Framework.objects.get(code="IPO17", is_current=True)
    assert [d.title for d in framework.duties.order_by("number")] == [
        d.title for d in ipo17.duties.order_by("number")
    ]
    assert set(framework.duties.values_list("verification", flat=True)) == {"U"}
    assert set(framework.duties.values_list("importance", flat=True)) == {"analogy"}
    assert all("CCG" not in e for d in framework.duties.all() for e in d.evidence)


def test_a_citation_that_is_not_text_is_refused(data_dir):
    _edit(data_dir / "ipo17-s14u.toml", 'citation = "section 7.1', 'citation = 71 # "section 7.1')
    with pytest.raises(FrameworkDataError, match=r"item IPO17-01: “citation” must be non-empty text"):
        load_frameworks(data_dir)


def test_a_source_listed_twice_is_refused(data_dir):
    _edit(
        data_dir / "ipo17-s14u.toml", 'sources = ["S33", "S32", "SEED17"]', 'sources = ["S33", "S32", "S32"]'
    )
    with pytest.raises(FrameworkDataError, match=r"item IPO17-01: a source is listed more than once"):
        load_frameworks(data_dir)
