"""The statutory wording and the reference lists the screening asks about.

``framework_wording(organisation)`` gives s14Z2 for a CCG and s14Z45 for an ICB; the service-change
tests and the Gunning principles come from ``engagements/data/lookups.toml``; the duty position
(step 2) is read from the three limbs' answers.
"""

import datetime
import functools
from dataclasses import dataclass

from django.conf import settings

from ccg_involvement.models import OrganisationKind
from engagements.lookups import lookup_data
from engagements.proposals.models import Answer

# ------------------------------------------------------------------ the organisation's framework


@dataclass(frozen=True)
class Wording:
    section: str
    body: str  # "CCG" / "ICB"
    duty: str  # "the duty in section 14Z45"
    act: str
    people: str
    guidance: str
    limbs: dict  # limb key → (short label, question)

    @property
    def duty_title(self) -> str:
        return f"{self.duty[0].upper()}{self.duty[1:]}"


def _limbs(body: str, people: str) -> dict:
    return {
        "planning": (
            "Planning",
            f"Is this part of planning the {body}'s commissioning arrangements, in which {people} "
            "must be involved?",
        ),
        "proposal": (
            "Proposal for change",
            "Is it a proposal to change commissioning arrangements that, if carried out, would alter "
            "how services reach people where they receive them, or which services are on offer to them?",
        ),
        "operational": (
            "Operational decision",
            "Is it a decision about how commissioning arrangements work in practice that would have an "
            "impact of that kind once carried out?",
        ),
    }


@functools.cache
def _wording(kind: str) -> Wording:
    if kind == OrganisationKind.CCG:
        people = "people who use, or may use, the services"
        return Wording(
            section="14Z2",
            body="CCG",
            duty="the duty in section 14Z2",
            act="National Health Service Act 2006, section 14Z2 (public involvement and consultation by CCGs)",
            people=people,
            guidance="Patient and public participation in commissioning health and care (NHS England, 2017)",
            limbs=_limbs("CCG", people),
        )
    if kind != OrganisationKind.ICB:
        # "Other" organisations: neutral wording, never a CCG's or an ICB's duty by default (issue 14).
        people = "people who use, or may use, the services"
        return Wording(
            section="",
            body="organisation",
            duty="the public involvement duty that applies to your organisation",
            act="The public involvement duty that applies to your organisation (for example, NHS Act 2006 "
            "s14Z45 for an ICB, s242 for an NHS trust); record which one in the reasoning",
            people=people,
            guidance="The statutory guidance that applies to your organisation (for ICBs and trusts: "
            "Working in partnership with people and communities, NHS England, 2022)",
            limbs=_limbs("organisation", people),
        )
    people = "people who use, or may use, the services, and their carers and representatives"
    return Wording(
        section="14Z45",
        body="ICB",
        duty="the duty in section 14Z45",
        act="National Health Service Act 2006, section 14Z45 (public involvement and consultation by ICBs)",
        people=people,
        guidance="Working in partnership with people and communities (NHS England, 2022)",
        limbs=_limbs("ICB", people),
    )


def framework_wording(organisation) -> Wording:
    """The statutory wording for the organisation: s14Z2 for a CCG, s14Z45 for an ICB, neutral for others."""
    return _wording(organisation.kind)


# ------------------------------------------------------------------ the legal sources the screening cites

# Each entry: the source in its own words, and whether domain.md verified it (V) or only partly (P).
# Shown beside the questions, in the warnings and in docs/screening-sources.md.
SOURCES = {
    "S14Z2": ("NHS Act 2006, s14Z2 (CCGs) / s14Z45 (ICBs): public involvement and consultation", "V"),
    "REG23": (
        "Local Authority (Public Health, Health and Wellbeing Boards and Health Scrutiny) Regulations "
        "2013 (SI 2013/218), regulation 23: consult the local authority on a substantial development "
        "or variation, telling it the proposed decision date",
        "V",
    ),
    "REG24": (
        "SI 2013/218, regulation 24: regulation 23 does not apply where a decision must be taken without "
        "consultation because of a risk to the safety or welfare of patients or staff; the local "
        "authority must be told at once, with the reasons",
        "P",
    ),
    "REG30": ("SI 2013/218, regulation 30: joint committees where more than one authority is consulted", "P"),
    "SCH10A": (
        "NHS Act 2006, Schedule 10A (inserted by the Health and Care Act 2022): the Secretary of State's "
        "reconfiguration powers; ICBs and NHS England notify notifiable reconfigurations (SI 2024/15 and "
        "2024/16; DHSC guidance of 9 January 2024)",
        "P",
    ),
    "GUNNING": (
        "The Gunning principles: R v Brent LBC ex p Gunning (1985), endorsed in R (Moseley) v Haringey "
        "LBC [2014] UKSC 56",
        "V",
    ),
    "PSED": ("Equality Act 2010, s149 (public sector equality duty)", "V"),
    "BROWN": (
        "R (Brown) v Secretary of State for Work and Pensions [2008] EWHC 3158 (Admin): due regard is had "
        "before and at the time of the decision, by the decision-maker, and recorded",
        "P",
    ),
    "S14T": ("NHS Act 2006, s14T (CCGs) / s14Z35 (ICBs): reducing inequalities", "V"),
    "PPP17": (
        "Patient and public participation in commissioning health and care (NHS England, 2017): the "
        "step-by-step guide (screen early; record the reasoning; feed back)",
        "P",
    ),
}


def source_text(key: str) -> str:
    text, status = SOURCES[key]
    return text if status == "V" else f"{text} (partly verified: check the text before relying on it)"


# ------------------------------------------------------------------ the reconfiguration regime

# The regime began with SI 2024/15 and 2024/16 (January 2024). domain.md gives 31 January 2024 "as we
# understand it: verify": it is shown as unverified wherever users see it.
RECONFIGURATION_REGIME_START = datetime.date(2024, 1, 31)
RECONFIGURATION_START_NOTE = "31 January 2024 (start date unverified: check SI 2024/15 and the DHSC guidance)"


def reconfiguration_applies(proposal) -> bool:
    """Only ICB decisions (taken or expected) on or after the regime's start; never a CCG's."""
    organisation = getattr(
        proposal, "organisation", None
    )  # unset: RelatedObjectDoesNotExist is an AttributeError
    if organisation is None or organisation.kind != OrganisationKind.ICB:
        return False
    when = proposal.decision_date or proposal.expected_decision_date
    return when is None or when >= RECONFIGURATION_REGIME_START


def consultation_guide_weeks() -> int:
    """The organisation's guide period for a public consultation: practice, never a legal minimum."""
    return getattr(settings, "CONSULTATION_GUIDE_WEEKS", 12)


# ------------------------------------------------------------------ reference lists from lookups.toml


@dataclass(frozen=True)
class Principle:
    code: str
    name: str
    description: str
    what_to_record: str = ""
    verified: bool = True


@functools.cache
def service_change_tests() -> tuple[Principle, ...]:
    return tuple(
        Principle(e["code"], e["name"], e.get("description", ""), verified=e.get("verified", True))
        for e in lookup_data().get("service_change_tests", [])
    )


@functools.cache
def gunning_principles() -> tuple[Principle, ...]:
    return tuple(
        Principle(e["code"], e["name"], e.get("description", ""), e.get("what_to_record", ""))
        for e in lookup_data().get("gunning_principles", [])
    )


# The principles that must have evidence before step 7 counts as answered. The Moseley addition
# (GUN-N1) applies where fairness requires it, so it is asked for but not demanded.
REQUIRED_GUNNING = ("GUN-1", "GUN-2", "GUN-3", "GUN-4")

LIMBS = ("planning", "proposal", "operational")


# ------------------------------------------------------------------ duty position (step 2)


class DutyPosition:
    APPLIES = "applies"
    MAY_APPLY = "may_apply"
    DOES_NOT_APPLY = "does_not_apply"
    UNANSWERED = "unanswered"

    LABELS = {
        APPLIES: "The duty applies",
        MAY_APPLY: "The duty may apply (treated as applying)",
        DOES_NOT_APPLY: "The duty does not apply",
        UNANSWERED: "Not yet answered",
    }


def limb_answers(proposal) -> list[tuple[str, str, str]]:
    """``[(limb, answer, reasoning)]`` for the three limbs."""
    return [
        (limb, getattr(proposal, f"applies_{limb}"), getattr(proposal, f"applies_{limb}_reason"))
        for limb in LIMBS
    ]


def duty_position(proposal) -> str:
    answers = [answer for _, answer, _ in limb_answers(proposal)]
    if Answer.YES in answers:
        return DutyPosition.APPLIES
    if Answer.NOT_SURE in answers:
        return DutyPosition.MAY_APPLY
    if all(a == Answer.NO for a in answers):
        return DutyPosition.DOES_NOT_APPLY
    return DutyPosition.UNANSWERED


def duty_applies(proposal) -> bool:
    """Yes for any limb, or not sure for any: when in doubt, act as if the duty applies."""
    return duty_position(proposal) in {DutyPosition.APPLIES, DutyPosition.MAY_APPLY}
