"""The screening's warning rules: each a plain function of a proposal returning ``(code, message)``
pairs, listed in ``RULES`` with the legal source it rests on (``wording.SOURCES``) and what it asks.

They read only what is already loaded when the proposal comes from ``selectors.proposals_for_list``
or ``selectors.proposal_for_page`` (prefetched relations), so a page of proposals costs a fixed
number of queries. docs/screening-sources.md maps each rule to its source.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from engagements.proposals.models import Answer, EhiaAnswer, Reconfiguration, SubstantialAnswer
from engagements.proposals.wording import (
    RECONFIGURATION_START_NOTE,
    consultation_guide_weeks,
    framework_wording,
    limb_answers,
    reconfiguration_applies,
    source_text,
)
from engagements.reach import is_reached


def _date(value: datetime.date) -> str:
    return f"{value.day} {value:%B %Y}"


def _blank(text) -> bool:
    return not (text or "").strip()


# ------------------------------------------------------------------ the consultation (Gunning)


def decision_before_consultation_closes(proposal) -> list[tuple[str, str]]:
    """GUN-1 and GUN-4: the decision (or, until it is taken, the expected decision) precedes the close."""
    if not proposal.needs_consultation or proposal.consultation_closes is None:
        return []
    decided = proposal.decision_date or proposal.expected_decision_date
    if decided is None or decided >= proposal.consultation_closes:
        return []
    which = "The decision was taken" if proposal.decision_date else "The decision is expected"
    return [
        (
            "decision-before-close",
            f"{which} on {_date(decided)}, before the consultation closes on "
            f"{_date(proposal.consultation_closes)}. Responses cannot be conscientiously considered "
            "and the proposal is no longer at a formative stage (Gunning principles 1 and 4).",
        )
    ]


def consultation_too_short(proposal) -> list[tuple[str, str]]:
    """GUN-3: shorter than the organisation's guide period, with no reason recorded why it is adequate.

    The guide period is practice (CONSULTATION_GUIDE_WEEKS), never a legal minimum: no statute sets one.
    """
    opens, closes = proposal.consultation_opens, proposal.consultation_closes
    if not proposal.needs_consultation or opens is None or closes is None:
        return []
    weeks = consultation_guide_weeks()
    length = closes - opens
    if length >= datetime.timedelta(weeks=weeks):
        return []
    if not _blank((proposal.gunning_evidence or {}).get("GUN-3")):
        return []
    days = length.days
    return [
        (
            "consultation-short",
            f"The consultation runs for {days} day{'s' if days != 1 else ''}, shorter than this "
            f"organisation's guide period of {weeks} weeks (a guide, not a legal minimum), and no reason "
            "is recorded why the time is adequate. Record it against Gunning principle 3.",
        )
    ]


def no_gunning_4(proposal) -> list[tuple[str, str]]:
    """GUN-4: a decision after a consultation with no evidence that the responses were considered."""
    if not proposal.needs_consultation or proposal.decision_date is None:
        return []
    if not _blank((proposal.gunning_evidence or {}).get("GUN-4")):
        return []
    return [
        (
            "no-gunning-4",
            "A decision is recorded but there is no evidence that the consultation responses were "
            "conscientiously taken into account (Gunning principle 4): record the analysis of responses "
            "and the paper that put them before the decision-maker.",
        )
    ]


# ------------------------------------------------------------------ reach


def groups_not_reached(proposal) -> list[tuple[str, str]]:
    """Groups named in step 4 that no linked activity recorded reaching (a count above 0, or reached
    with the number not recorded, for the group or one of its categories)."""
    groups = list(proposal.affected_groups.all())
    if not groups:
        return []
    reached = {
        reach.group_id
        for activity in proposal.activities.all()
        for reach in activity.reach.all()
        if is_reached(reach.value)
    }
    missing = [g.name for g in groups if g.pk not in reached]
    if not missing:
        return []
    return [
        (
            "groups-not-reached",
            "No linked activity recorded reaching: "
            + ", ".join(missing)
            + ". Link the activities that involved them, or plan how you will.",
        )
    ]


# ------------------------------------------------------------------ equality due regard


def ehia_missing(proposal) -> list[tuple[str, str]]:
    """s149 applies to every decision, whether or not the involvement duty applies."""
    if proposal.ehia_done == EhiaAnswer.YES:
        return []
    if not proposal.ehia_done and proposal.decision_date is None:
        return []  # not yet answered and nothing decided: the step's status says so
    return [
        (
            "ehia-missing",
            "No equality and health inequalities impact assessment is recorded. The equality duty "
            "(Equality Act 2010, s149) and the duty to have regard to reducing inequalities apply to "
            "every decision, whether or not the involvement duty applies.",
        )
    ]


def due_regard_missing(proposal) -> list[tuple[str, str]]:
    """A decision with no record of who had due regard to the equality analysis, and when."""
    if proposal.decision_date is None:
        return []
    if not _blank(proposal.due_regard_by) and proposal.due_regard_on is not None:
        return []
    return [
        (
            "due-regard-missing",
            "A decision is recorded without saying who considered the equality analysis and when. "
            "Due regard must be had by the decision-maker before or at the time of the decision, and "
            "the record is the evidence of it.",
        )
    ]


# ------------------------------------------------------------------ the record of the screening


def no_reasoning(proposal) -> list[tuple[str, str]]:
    """A limb answered "no" with no reasoning: the record could not be defended."""
    labels = framework_wording(proposal.organisation).limbs
    bare = [
        labels[limb][0].lower()
        for limb, answer, reason in limb_answers(proposal)
        if answer == Answer.NO and not reason.strip()
    ]
    if not bare:
        return []
    return [
        (
            "no-reasoning",
            "Step 2 says the duty does not apply ("
            + ", ".join(bare)
            + ") without the reasoning. Write it down: it is the evidence if the decision is challenged.",
        )
    ]


def not_sure_without_reasoning(proposal) -> list[tuple[str, str]]:
    """ "Not sure" is treated as applying, but the doubt itself needs recording."""
    labels = framework_wording(proposal.organisation).limbs
    bare = [
        labels[limb][0].lower()
        for limb, answer, reason in limb_answers(proposal)
        if answer == Answer.NOT_SURE and not reason.strip()
    ]
    if not bare:
        return []
    return [
        (
            "not-sure-no-reasoning",
            "Step 2 answers “not sure” ("
            + ", ".join(bare)
            + ") without saying what is uncertain. Record what is not known and how it will be resolved.",
        )
    ]


def retrospective_screening(proposal) -> list[tuple[str, str]]:
    """Screening started after the decision: it cannot show the duty was considered in time."""
    if proposal.decision_date is None or proposal.created_at is None:
        return []
    started = timezone.localdate(proposal.created_at)
    if started <= proposal.decision_date:
        return []
    return [
        (
            "retrospective",
            f"This screening was started on {_date(started)}, after the decision of "
            f"{_date(proposal.decision_date)}: it is a retrospective record and cannot by itself show "
            "that the duties were considered before the decision.",
        )
    ]


def evidence_after_decision(proposal) -> list[tuple[str, str]]:
    """Evidence dated after the decision cannot have informed it."""
    decided = proposal.decision_date
    if decided is None:
        return []
    late = [
        f"“{activity.title}” ({_date(activity.start_date)})"
        for activity in proposal.activities.all()
        if activity.start_date and activity.start_date > decided
    ]
    if proposal.ehia_date and proposal.ehia_date > decided:
        late.append(f"the impact assessment ({_date(proposal.ehia_date)})")
    if proposal.due_regard_on and proposal.due_regard_on > decided:
        late.append(f"the consideration of the equality analysis ({_date(proposal.due_regard_on)})")
    if not late:
        return []
    return [
        (
            "evidence-after-decision",
            f"Dated after the decision of {_date(decided)}, so it cannot have informed it: "
            + "; ".join(late)
            + ". Show it as later activity (for example feedback), not as evidence for the decision.",
        )
    ]


# ------------------------------------------------------------------ the local authority (reg 23, 24)


def osc_missing(proposal) -> list[tuple[str, str]]:
    """A substantial development or variation needs the local authority consulted (or reg 24 recorded)."""
    if proposal.substantial != SubstantialAnswer.YES:
        return []
    if proposal.urgent_exception:
        if _blank(proposal.urgent_reason):
            return [
                (
                    "urgent-no-reason",
                    "The regulation 24 urgency exception is claimed without the reason: record the risk "
                    "to the safety or welfare of patients or staff that meant there was no time to "
                    "consult, and when the local authority was told.",
                )
            ]
        return []
    found = []
    if proposal.osc_consulted_on is None:
        found.append(
            (
                "osc-missing",
                "The change is a substantial development or variation, but no consultation of the "
                "local authority (its overview and scrutiny committee) is recorded. Regulation 23 "
                "requires it whatever level of public involvement is chosen, unless the regulation 24 "
                "urgency exception applies.",
            )
        )
    elif proposal.osc_decision_date_given is None:
        found.append(
            (
                "osc-decision-date-missing",
                "The local authority was consulted, but the proposed decision date given to it is not "
                "recorded (regulation 23).",
            )
        )
    return found


def reconfiguration_unanswered(proposal) -> list[tuple[str, str]]:
    """ICB, on or after the regime's start, substantial change: notifiable or exempt, and when notified."""
    if proposal.substantial != SubstantialAnswer.YES or not reconfiguration_applies(proposal):
        return []
    if not proposal.reconfiguration:
        return [
            (
                "reconfiguration-unanswered",
                "A substantial change by an ICB on or after the reconfiguration regime began "
                f"({RECONFIGURATION_START_NOTE}): say whether it is a notifiable reconfiguration or "
                "exempt, and why.",
            )
        ]
    if (
        proposal.reconfiguration == Reconfiguration.NOTIFIABLE
        and proposal.reconfiguration_notified_on is None
    ):
        return [
            (
                "reconfiguration-not-notified",
                "A notifiable reconfiguration with no date the Secretary of State was notified.",
            )
        ]
    return []


@dataclass(frozen=True)
class Rule:
    check: object  # the function: proposal → [(code, message)]
    codes: tuple[str, ...]
    sources: tuple[str, ...]  # keys of wording.SOURCES
    says: str  # the rule in a sentence

    @property
    def source_texts(self) -> list[str]:
        return [source_text(key) for key in self.sources]


RULES = [
    Rule(
        osc_missing,
        ("osc-missing", "osc-decision-date-missing", "urgent-no-reason"),
        ("REG23", "REG24"),
        "A substantial development or variation needs the local authority consulted, with the proposed "
        "decision date, whatever the level of public involvement; or the reg 24 exception with its reason.",
    ),
    Rule(
        reconfiguration_unanswered,
        ("reconfiguration-unanswered", "reconfiguration-not-notified"),
        ("SCH10A",),
        "An ICB's substantial change on or after the regime's start is notifiable or exempt; a notifiable "
        "one has the date the Secretary of State was notified. Never asked of a CCG.",
    ),
    Rule(
        decision_before_consultation_closes,
        ("decision-before-close",),
        ("GUNNING",),
        "The decision comes after the consultation closes (Gunning 1 and 4).",
    ),
    Rule(
        consultation_too_short,
        ("consultation-short",),
        ("GUNNING",),
        "A consultation shorter than the configured guide period records why its time is adequate (Gunning 3).",
    ),
    Rule(
        no_gunning_4,
        ("no-gunning-4",),
        ("GUNNING",),
        "A decision after a consultation records how the responses were conscientiously considered (Gunning 4).",
    ),
    Rule(
        groups_not_reached,
        ("groups-not-reached",),
        ("PPP17", "PSED"),
        "The groups named as affected are reached by the linked activities.",
    ),
    Rule(
        ehia_missing,
        ("ehia-missing",),
        ("PSED", "S14T"),
        "Every decision has an equality and health inequalities impact assessment.",
    ),
    Rule(
        due_regard_missing,
        ("due-regard-missing",),
        ("PSED", "BROWN"),
        "A decision records who had due regard to the equality analysis, and when.",
    ),
    Rule(no_reasoning, ("no-reasoning",), ("PPP17",), "A “no” in step 2 has its reasoning."),
    Rule(
        not_sure_without_reasoning,
        ("not-sure-no-reasoning",),
        ("PPP17",),
        "A “not sure” in step 2 says what is uncertain.",
    ),
    Rule(
        retrospective_screening,
        ("retrospective",),
        ("PPP17", "BROWN"),
        "The screening starts before the decision.",
    ),
    Rule(
        evidence_after_decision,
        ("evidence-after-decision",),
        ("GUNNING", "BROWN"),
        "Evidence for a decision is dated on or before it.",
    ),
]

SOURCES_BY_CODE = {code: rule.source_texts for rule in RULES for code in rule.codes}


def warnings_for(proposal) -> list[tuple[str, str]]:
    """Every warning the screening raises, as ``(code, message)``."""
    found = []
    for rule in RULES:
        found.extend(rule.check(proposal))
    return found


def warnings_with_responses(proposal) -> list[dict]:
    """The warnings with their sources and how each was addressed (the full decision record)."""
    responses = proposal.warning_responses or {}
    return [
        {
            "code": code,
            "message": message,
            "sources": SOURCES_BY_CODE.get(code, []),
            "response": responses.get(code, ""),
        }
        for code, message in warnings_for(proposal)
    ]
