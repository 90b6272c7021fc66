"""Equality reach in the figures, on the dashboard and in the annual report: 0, "reached, number not
recorded" and not recorded kept apart, per category, with small numbers suppressed everywhere."""

import datetime
import io

import pytest
from docx import Document as WordDocument
from pypdf import PdfReader

from ccg_involvement.years import ReportingYear
from engagements.models import NUMBER_NOT_RECORDED, AudienceGroup, AudienceKind
from reports import content
from reports.dashboard import figures
from reports.docx_builder import build_docx
from reports.pdf import render_pdf
from tests.factories.engagements import activity_for, category, group

YEAR = ReportingYear(2025)
NNR = NUMBER_NOT_RECORDED


@pytest.fixture
def reach_log(editor):
    """Two completed activities and a planned one (which never counts)."""
    activity_for(
        editor,
        title="Listening event",
        start=datetime.date(2025, 5, 1),
        total_participants=60,
        reach={
            category("ETH-A"): 30,
            category("ETH-H"): 3,  # small: suppressed
            category("ETH-M"): 0,
            category("ETH-N"): NNR,
            group("PC-RACE"): 12,  # category not recorded
            group("PC-SEX"): 39,  # an old-style whole-characteristic count
            group("INC-CARERS"): 12,
            group("INC-HOMELESS"): 0,
            group("INC-OLDER"): NNR,
        },
    )
    activity_for(
        editor,
        title="Drop-in",
        start=datetime.date(2025, 9, 1),
        total_participants=20,
        reach={category("ETH-A"): 8, category("ETH-N"): 4, group("INC-CARERS"): NNR, group("INC-GRT"): 0},
    )
    activity_for(
        editor,
        title="Planned roadshow",
        start=datetime.date(2026, 2, 1),
        status="planned",
        total_participants=900,
        reach={group("INC-DRUGS-ALCOHOL"): 50, category("ETH-M"): 40},
    )


def _by_code(reach):
    return {g.code: g for groups in reach.values() for g in groups}


def test_figures_keep_zero_number_not_recorded_and_not_recorded_apart(reach_log, organisation):
    reach = figures.equality_reach(organisation, YEAR)
    assert list(reach) == ["protected_characteristic", "inclusion_group", "community"]
    groups = _by_code(reach)
    race = groups["PC-RACE"]
    cats = {c.code: c for c in race.categories}
    assert len(race.categories) == 17 and race.by_category and race.categories_recorded == 4
    assert cats["ETH-A"].display == "38" and cats["ETH-A"].activities == 2
    assert cats["ETH-H"].display == "fewer than 5"
    assert cats["ETH-M"].recorded_as_zero and cats["ETH-M"].display == "0"  # the planned 40 never counts
    assert cats["ETH-N"].display == "reached, number not fully recorded"  # 4 counted (small), 1 not
    assert cats["ETH-B"].display == "not recorded" and not cats["ETH-B"].recorded
    assert race.uncategorised.display == "12"
    assert race.people.value == 30 + 3 + 0 + 12 + 8 + 4  # every number, NNR adding nothing
    sex = groups["PC-SEX"]
    assert not sex.by_category and sex.uncategorised.display == "39"
    assert not groups["PC-AGE"].recorded
    # groups of the other kinds
    assert groups["INC-CARERS"].display == "at least 12"  # 12 counted, and reached at 1 more
    assert groups["INC-CARERS"].activities == 2 and groups["INC-CARERS"].kind == "community"
    assert (
        groups["INC-OLDER"].only_uncounted and groups["INC-OLDER"].display == "reached, number not recorded"
    )
    assert groups["INC-HOMELESS"].recorded_as_zero and groups["INC-GRT"].recorded_as_zero
    assert not groups["INC-DRUGS-ALCOHOL"].recorded  # only the planned activity recorded it
    lists = figures.reach_lists(reach)
    assert "Race: Black or Black British: Caribbean" in lists.zero
    assert {"People experiencing homelessness", "Gypsy, Roma and Traveller communities"} <= set(lists.zero)
    assert lists.uncounted == ["Older people"]
    assert "People with drug or alcohol dependence" in lists.not_recorded and "Age" in lists.not_recorded
    assert "Carers" not in lists.zero + lists.not_recorded + lists.uncounted
    assert not set(lists.zero) & set(lists.not_recorded)


def test_the_dashboard_lists_zero_number_not_recorded_and_no_record_apart(reach_log, editor, login):
    page = login(editor).get("/qrv/?year=2025-26").content.decode()
    section = page.split("<h2>Equality reach</h2>", 1)[1].split("<h2>Closing the loop</h2>", 1)[0]
    race = section.split('id="reach-pc-race"', 1)[1].split("</details>", 1)[0]
    assert "People who took part by race, 2025/26" in race
    assert '<th scope="row">White: British</th><td>38</td>' in race
    assert '<th scope="row">Asian or Asian British: Indian</th><td>fewer than 5</td>' in race
    assert '<th scope="row">White: Irish</th><td>not recorded</td>' in race
    assert '<th scope="row">Category not recorded</th><td>12</td>' in race
    assert "NHS Data Model and Dictionary: ETHNIC CATEGORY" in race and "Checked against the source" in race
    assert "People reached: Communities of place, identity or interest, 2025/26" in section
    uncounted = section.split('id="reached-uncounted"', 1)[1].split("</div>", 1)[0]
    assert "Older people" in uncounted
    callout = section.split('id="not-reached"', 1)[1].split("</div>", 1)[0]
    zero, unknown = callout.split("No record of reaching", 1)
    assert "People experiencing homelessness" in zero and "Race: Black or Black British: Caribbean" in zero
    assert "People with drug or alcohol dependence" in unknown and "Older people" not in callout
    assert "Carers" not in callout
    # what could not be verified says so where it is shown: the communities' grouping; age's
    # unverified bands are not shown (age was not monitored this year)
    assert section.count("Not verified:") == 1 and "this grouping follows NHS England" in section
    assert "No national standard of age bands" not in section


def _blocks_text(organisation) -> str:
    document = content.annual_report_document(organisation, YEAR)
    parts = []
    for block in document.blocks:
        if block.kind == "table":
            parts += [block.caption, *block.headers, *(c for row in block.rows for c in row)]
        elif block.kind == "bullets":
            parts += block.items
        elif block.kind == "chart":
            table = block.table
            parts += [table.caption, *(c for row in table.rows for c in row)]
        else:
            parts.append(block.text)
    return " ".join(" ".join(parts).split())


def test_the_annual_report_says_each_answer_in_words(reach_log, organisation):
    text = _blocks_text(organisation)
    assert "People who took part by race, 2025/26" in text
    assert "Category not recorded 12" in text
    assert "For sex we counted people without recording their category" in text
    assert "We have no record of equality monitoring for age" in text
    assert "Groups we recorded as not reached" in text and "Gypsy, Roma and Traveller communities" in text
    assert "Groups we reached without counting how many People from these groups took part" in text
    assert "Groups we have no record of reaching" in text and "People with drug or alcohol dependence" in text
    assert "Communities of place, identity or interest" in text
    assert "We could not verify this grouping in the statutory guidance itself" in text
    assert "Asian or Asian British: Indian fewer than 5" in text  # small numbers suppressed
    assert "Asian or Asian British: Indian 3" not in text and "900" not in text  # planned never counts


@pytest.mark.slow
def test_the_pdf_and_word_file_read_back_the_same_equality_figures(reach_log, organisation):
    document = content.annual_report_document(organisation, YEAR)
    pdf, _ = render_pdf("reports/pdf/document.html", {"document": document, "organisation": organisation})
    pdf_text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    word = WordDocument(io.BytesIO(build_docx(document)))
    word_text = " ".join(
        " ".join(
            [p.text for p in word.paragraphs] + [c.text for t in word.tables for r in t.rows for c in r.cells]
        ).split()
    )
    for text in (pdf_text, word_text):
        assert "People who took part by race, 2025/26" in text
        assert "reached, number not recorded" in text
        assert "Groups we recorded as not reached" in text
        assert "Groups we have no record of reaching" in text
        assert "fewer than 5" in text
        assert "Sex" in text and "39" in text
        assert "We could not verify this grouping in the statutory guidance itself" in text


def test_the_annual_report_marks_the_communities_grouping_unverified_only_while_it_is(
    reach_log, organisation
):
    text = _blocks_text(organisation)
    assert (
        text.count("We could not verify this grouping") == 1
    )  # under the communities, not the inclusion groups
    assert text.index("People reached: communities of place") < text.index(
        "We could not verify this grouping"
    )
    AudienceGroup.objects.filter(kind=AudienceKind.COMMUNITY).update(kind_verified=True)
    assert "We could not verify this grouping" not in _blocks_text(organisation)
