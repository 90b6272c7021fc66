"""Issue 14: an "Other" organisation chooses the frameworks that apply to it; CCGs and ICBs do not."""

import datetime

import pytest

from ccg_involvement.errors import ActionError
from ccg_involvement.models import OrganisationKind
from ccg_involvement.permissions import Role
from ccg_involvement.years import ReportingYear
from duties import actions
from duties.models import Framework, FrameworkChoice
from engagements.selectors import allowed_duties
from tests.factories.core import OrganisationFactory

pytestmark = pytest.mark.django_db
YEAR = ReportingYear(2024)


@pytest.fixture
def csu(db):
    return OrganisationFactory(
        name="Riverside Commissioning Support Unit",
        ods_code="0DF",
        kind=OrganisationKind.OTHER,
        established_on=datetime.date(2013, 4, 1),
    )


@pytest.fixture
def csu_admin(make_member, csu):
    return make_member(Role.ADMIN, csu, username="carla.csu")


def test_an_other_organisation_has_no_framework_until_it_chooses(csu, csu_admin):
    assert not Framework.objects.applying_to_organisation(csu).exists()
    assert not allowed_duties(csu).exists()
    wppc = Framework.objects.get(code="WPPC22", is_current=True)
    with pytest.raises(ActionError, match="has not chosen"):
        actions.start_checklist(organisation=csu, framework=wppc, year=YEAR, by=csu_admin.user)


def test_choosing_frameworks_lets_checklists_start_for_those_only(csu, csu_admin):
    actions.choose_frameworks(
        organisation=csu, codes=["WPPC22"], reason="We run engagement for two ICBs", by=csu_admin.user
    )
    assert list(Framework.objects.applying_to_organisation(csu).values_list("code", flat=True)) == ["WPPC22"]
    assert set(allowed_duties(csu).values_list("framework__code", flat=True)) == {"WPPC22"}
    wppc = Framework.objects.get(code="WPPC22", is_current=True)
    checklist = actions.start_checklist(organisation=csu, framework=wppc, year=YEAR, by=csu_admin.user)
    assert checklist.items.count() == 10
    ppp = Framework.objects.get(code="PPP17", is_current=True)
    with pytest.raises(ActionError, match="has not chosen"):
        actions.start_checklist(organisation=csu, framework=ppp, year=YEAR, by=csu_admin.user)


def test_a_choice_needs_a_reason_and_known_frameworks(csu, csu_admin):
    with pytest.raises(ActionError, match="Say why"):
        actions.choose_frameworks(organisation=csu, codes=["WPPC22"], reason="  ", by=csu_admin.user)
    with pytest.raises(ActionError, match="no current framework NOPE"):
        actions.choose_frameworks(organisation=csu, codes=["NOPE"], reason="x", by=csu_admin.user)
    assert not FrameworkChoice.objects.exists()


def test_a_ccg_or_icb_has_nothing_to_choose(organisation, org_admin):
    with pytest.raises(ActionError, match="nothing to choose"):
        actions.choose_frameworks(organisation=organisation, codes=["PPP17"], reason="x", by=org_admin.user)


def test_every_change_of_choice_is_kept_in_the_history(csu, csu_admin, login):
    actions.choose_frameworks(organisation=csu, codes=["WPPC22"], reason="ICB work", by=csu_admin.user)
    actions.choose_frameworks(
        organisation=csu,
        codes=["WPPC22", "IPO-ICB"],
        reason="ICB work, individual care too",
        by=csu_admin.user,
    )
    assert FrameworkChoice.objects.get().history.count() == 2
    page = login(csu_admin).get("/0df/duties/frameworks/").content.decode()
    assert "IPO-ICB, WPPC22" in page and "WPPC22 →" in page  # old → new in the history table


def test_the_checklists_page_says_clearly_when_none_is_chosen(csu, csu_admin, make_member, login):
    page = login(csu_admin).get("/0df/duties/").content.decode()
    assert "No frameworks have been chosen for Riverside Commissioning Support Unit" in page
    assert 'href="/0df/duties/frameworks/"' in page and "Start checklists" not in page
    editor = make_member(Role.EDITOR, csu)
    page = login(editor).get("/0df/duties/").content.decode()
    assert "Ask an organisation administrator to choose them." in page


def test_the_admin_chooses_on_the_page_and_the_checklists_page_names_the_choice(csu, csu_admin, login):
    client = login(csu_admin)
    refused = client.post("/0df/duties/frameworks/", {"frameworks": ["WPPC22"], "reason": ""})
    assert refused.status_code == 400 and "Say why these frameworks apply" in refused.content.decode()
    response = client.post(
        "/0df/duties/frameworks/", {"frameworks": ["WPPC22"], "reason": "Engagement for two ICBs"}
    )
    assert response.status_code == 302
    page = client.get("/0df/duties/").content.decode()
    assert "it chose the frameworks it is assessed against: Partnership with people (s14Z45)" in page
    assert "Engagement for two ICBs" in page and "Frameworks your organisation chose:" in page


def test_only_organisation_administrators_choose(csu, make_member, login):
    editor = make_member(Role.EDITOR, csu)
    response = login(editor).post("/0df/duties/frameworks/", {"frameworks": ["WPPC22"], "reason": "x"})
    assert response.status_code == 403 and not FrameworkChoice.objects.exists()


def test_icb_page_explains_there_is_nothing_to_choose(org_admin, login):
    page = login(org_admin).get("/qrv/duties/frameworks/").content.decode()
    assert "the frameworks written for it apply, so there is nothing to choose" in page
    assert login(org_admin).post("/qrv/duties/frameworks/", {"reason": "x"}).status_code == 400


def test_an_icb_gets_the_s14z36_framework_applied_by_analogy(organisation, editor, login):
    codes = set(Framework.objects.applying_to_organisation(organisation).values_list("code", flat=True))
    assert codes == {"WPPC22", "IPO-ICB"}
    framework = Framework.objects.get(code="IPO-ICB", is_current=True)
    checklist = actions.start_checklist(
        organisation=organisation, framework=framework, year=ReportingYear(2025), by=editor.user
    )
    client = login(editor)
    page = client.get(checklist.get_absolute_url()).content.decode()
    assert 'id="analogy-note"' in page and "Applied by analogy, unverified" in page
    assert page.count("Unverified wording") >= 10
    item = checklist.items.order_by("duty__number").first()
    page = client.get(item.get_absolute_url()).content.decode()
    assert (
        'id="analogy-note"' in page and "written for CCGs under s14U (NHS England, 2017), section 7.1" in page
    )


def test_the_dashboard_says_when_no_framework_is_chosen(
    csu, csu_admin, login, django_capture_on_commit_callbacks
):
    page = login(csu_admin).get("/0df/").content.decode()
    assert 'id="no-frameworks"' in page and "No frameworks have been chosen" in page
    with django_capture_on_commit_callbacks(execute=True):  # the choice moves the dashboard's data on
        actions.choose_frameworks(organisation=csu, codes=["WPPC22"], reason="ICB work", by=csu_admin.user)
    page = login(csu_admin).get("/0df/").content.decode()
    assert "were chosen for Riverside Commissioning Support Unit but have no checklist" in page


def test_the_members_page_of_an_other_organisation_links_to_the_choice(csu, csu_admin, org_admin, login):
    assert 'href="/0df/duties/frameworks/"' in login(csu_admin).get("/0df/members/").content.decode()
    assert "/duties/frameworks/" not in login(org_admin).get("/qrv/members/").content.decode()
