"""Issue 14: the decision record of every demo proposal, full and public, read back from the PDF.

Each was also rendered to PNG and looked at (docs/documents.md). Here the text is checked: the minute
reference, the due-regard statement and (for a substantial change) the local authority's response are
there; no ``file:`` link; no count of people from 1 to 4; the public version has no warnings, internal
notes or our own verification caveats.
"""

import io
import re

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from engagements.proposals.models import Proposal
from reports.builders import build
from reports.models import Report, ReportKind

pytestmark = [pytest.mark.slow, pytest.mark.django_db]
SMALL_COUNT = re.compile(r"\b[1-4] (people|person|responses?|participants?|respondents)\b")
INTERNAL = [
    "Warnings and how each was addressed",
    "How it was addressed",
    "Screened by",
    "Screening",
    "The screening, step by step",
    "unverified",
    "partly verified",
]


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def test_every_demo_decision_record_reads_right_in_both_versions(django_user_model, settings):
    settings.SITE_URL = "https://involvement.example.nhs.uk"
    call_command("load_demo_data", verbosity=0)
    who = django_user_model.objects.get(username="reviewer")
    proposals = list(Proposal.objects.order_by("pk"))
    assert len(proposals) >= 4
    for proposal in proposals:
        texts = {}
        for kind in (ReportKind.DECISION_RECORD, ReportKind.PUBLIC_DECISION):
            report = Report(
                organisation=proposal.organisation, kind=kind, subject_id=proposal.pk, requested_by=who
            )
            pdf, _, _ = build(report)
            assert b"file:" not in pdf, proposal.title
            texts[kind] = text = _text(pdf)
            assert proposal.title.split()[0] in text
            if proposal.minute_ref:
                assert proposal.minute_ref in text, (proposal.title, kind)
            assert "Equality and health inequalities: due regard" in text
            if proposal.due_regard_by:
                assert "having regard to the equality duty (Equality Act 2010, s149)" in text, proposal.title
            else:  # the retrospective case says plainly that nobody is recorded as having had regard
                assert "No record yet of who had due regard to the equality duty" in text
            if proposal.osc_response:
                assert " ".join(proposal.osc_response.split())[:60] in text, proposal.title
            assert not SMALL_COUNT.search(text), (proposal.title, kind, SMALL_COUNT.search(text))
            assert " Result Met" not in text and "Principle GUN-1" not in text  # no cell-heading echoes
        full, public = texts[ReportKind.DECISION_RECORD], texts[ReportKind.PUBLIC_DECISION]
        assert "Warnings and how each was addressed" in full
        for internal in INTERNAL:
            assert internal not in public, (proposal.title, internal)
        if proposal.substantial == "no":
            assert "Reconfiguration notification Not applicable: not a substantial development" in full
        if proposal.urgent_exception:
            assert "Not consulted: an urgent decision under regulation 24" in public
        if proposal.consultation_opens and proposal.consultation_closes:
            assert f"Public consultation {proposal.consultation_opens.day} " in public


def test_an_other_organisations_record_assumes_no_ccg_or_icb_duty(django_user_model, settings):
    """Issue 14: neutral wording for an organisation that is neither a CCG nor an ICB."""
    import datetime

    from ccg_involvement.models import OrganisationKind
    from ccg_involvement.permissions import Role
    from tests.factories import proposals as pf
    from tests.factories.core import MembershipFactory, OrganisationFactory

    settings.SITE_URL = ""
    csu = OrganisationFactory(name="Riverside Support Unit", ods_code="0DF", kind=OrganisationKind.OTHER)
    member = MembershipFactory(organisation=csu, role=Role.REVIEWER)
    proposal = pf.proposal_for(
        member, title="New booking line", expected_decision_date=datetime.date(2025, 9, 1)
    )
    pf.screen(proposal, member, 2, **pf.STEP_2_APPLIES)
    for kind in (ReportKind.DECISION_RECORD, ReportKind.PUBLIC_DECISION):
        report = Report(organisation=csu, kind=kind, subject_id=proposal.pk, requested_by=member.user)
        text = _text(build(report)[0])
        assert "The public involvement duty that applies to Riverside Support Unit" in text
        for word in ("ICB", "14Z45", "integrated care board", "CCG", "14Z2"):
            assert word not in text, (kind, word)
