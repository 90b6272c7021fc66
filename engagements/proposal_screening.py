"""The screening's rules: framework wording, which steps are answered, and the warnings.

Plain functions over a ``Proposal``. They read only what is already loaded when the proposal
comes from ``proposals_for_list`` or ``proposal_for_page`` (prefetched relations), so a page of
proposals costs a fixed number of queries.
"""

import datetime
import functools
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Prefetch

from ccg_involvement.models import OrganisationKind
from duties.selectors import HistoryEvent
from engagements.lookups import lookup_data
from engagements.models import Activity, Reach
from engagements.proposal_models import Answer, EhiaAnswer, Proposal, TestResult

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
    """The statutory wording for the organisation: s14Z2 for a CCG, s14Z45 for an ICB (and others)."""
    return _wording(organisation.kind)


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


# ------------------------------------------------------------------ steps and their state

STEPS = {
    1: "The proposal and what triggered it",
    2: "Does the duty apply?",
    3: "Existing insight",
    4: "Who is affected",
    5: "Proportionate approach",
    6: "Substantial development or variation",
    7: "Consultation and the Gunning principles",
    8: "The decision",
}
STEP_COUNT = len(STEPS)


class StepStatus:
    ANSWERED = "answered"
    INCOMPLETE = "incomplete"
    MISSING = "missing"
    NOT_NEEDED = "not_needed"

    LABELS = {
        ANSWERED: "Answered",
        INCOMPLETE: "Incomplete",
        MISSING: "Missing",
        NOT_NEEDED: "Not needed",
    }


@dataclass(frozen=True)
class StepState:
    number: int
    title: str
    status: str

    @property
    def label(self) -> str:
        return StepStatus.LABELS[self.status]

    @property
    def done(self) -> bool:
        return self.status in {StepStatus.ANSWERED, StepStatus.NOT_NEEDED}


def _state(parts: list[bool]) -> str:
    if all(parts):
        return StepStatus.ANSWERED
    return StepStatus.INCOMPLETE if any(parts) else StepStatus.MISSING


def _step_status(proposal, number: int) -> str:
    p = proposal
    if number == 1:
        return _state([bool(p.title), p.trigger_id is not None])
    if number == 2:
        return _state(
            [bool(answer) for _, answer, _ in limb_answers(p)]
            + [bool(reason.strip()) for _, _, reason in limb_answers(p)]
        )
    if number == 3:
        return _state([bool(p.insight_summary.strip())])
    if number == 4:
        named = bool(p.other_affected.strip()) or bool(p.affected_groups.all())
        ehia = p.ehia_done == EhiaAnswer.NO or (p.ehia_done == EhiaAnswer.YES and p.ehia_date is not None)
        return _state([named, ehia])
    if number == 5:
        return _state([bool(p.level), bool(p.methods.all()), bool(p.timing.strip())])
    if number == 6:
        return _state([bool(p.substantial), bool(p.substantial_reason.strip())])
    if number == 7:
        if not p.needs_consultation:
            return StepStatus.NOT_NEEDED
        evidence = p.gunning_evidence or {}
        return _state(
            [p.consultation_opens is not None, p.consultation_closes is not None]
            + [bool((evidence.get(code) or "").strip()) for code in REQUIRED_GUNNING]
        )
    if number == 8:
        return _state(
            [
                bool(p.decided_by.strip()),
                p.decision_date is not None,
                bool(p.decision.strip()),
                bool(p.involvement_influence.strip()),
            ]
        )
    raise ValueError(number)


def step_states(proposal) -> list[StepState]:
    return [StepState(n, title, _step_status(proposal, n)) for n, title in STEPS.items()]


def steps_answered(proposal) -> int:
    return sum(1 for state in step_states(proposal) if state.done)


def next_step(proposal, after: int) -> int | None:
    """The step after ``after`` (skipping step 7 when no consultation is planned); None at the end."""
    number = after + 1
    if number == 7 and not proposal.needs_consultation:
        number = 8
    return number if number <= STEP_COUNT else None


def previous_step(proposal, before: int) -> int | None:
    number = before - 1
    if number == 7 and not proposal.needs_consultation:
        number = 6
    return number if number >= 1 else None


# ------------------------------------------------------------------ warnings


def consultation_min_weeks() -> int:
    return getattr(settings, "CONSULTATION_MIN_WEEKS", 12)


def _date(value: datetime.date) -> str:
    return f"{value.day} {value:%B %Y}"


def decision_before_consultation_closes(proposal) -> list[tuple[str, str]]:
    """GUN-1: the decision (or, until it is taken, the expected decision) precedes the close."""
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
    """GUN-3: the consultation runs for less than the configured number of weeks."""
    opens, closes = proposal.consultation_opens, proposal.consultation_closes
    if not proposal.needs_consultation or opens is None or closes is None:
        return []
    weeks = consultation_min_weeks()
    length = closes - opens
    if length >= datetime.timedelta(weeks=weeks):
        return []
    days = length.days
    return [
        (
            "consultation-short",
            f"The consultation runs for {days} day{'s' if days != 1 else ''}, shorter than the "
            f"minimum of {weeks} weeks. Record why this is adequate time (Gunning principle 3).",
        )
    ]


def groups_not_reached(proposal) -> list[tuple[str, str]]:
    """Groups named in step 4 that no linked activity recorded reaching (a count above 0)."""
    groups = list(proposal.affected_groups.all())
    if not groups:
        return []
    reached = {
        reach.group_id
        for activity in proposal.activities.all()
        for reach in activity.reach.all()
        if reach.count > 0
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


def ehia_missing(proposal) -> list[tuple[str, str]]:
    if not duty_applies(proposal) or proposal.ehia_done == EhiaAnswer.YES:
        return []
    return [
        (
            "ehia-missing",
            "The involvement duty applies (or may apply) but no equality and health inequalities "
            "impact assessment is recorded.",
        )
    ]


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


RULES = [
    decision_before_consultation_closes,
    consultation_too_short,
    groups_not_reached,
    ehia_missing,
    no_reasoning,
]


def warnings_for(proposal) -> list[tuple[str, str]]:
    """Every warning the screening raises, as ``(code, message)``."""
    found = []
    for rule in RULES:
        found.extend(rule(proposal))
    return found


# ------------------------------------------------------------------ reads for the pages


def _activity_prefetch():
    return Prefetch(
        "activities",
        queryset=Activity.objects.order_by("-start_date", "-pk").prefetch_related(
            Prefetch("reach", queryset=Reach.objects.select_related("group"))
        ),
    )


def proposals_for_list(organisation):
    """The organisation's proposals with what the list, its states and warnings need."""
    return (
        Proposal.objects.filter(organisation=organisation)
        .select_related("organisation", "trigger", "owner")
        .prefetch_related("affected_groups", "methods", _activity_prefetch())
        .order_by("-created_at", "-pk")
    )


def proposal_for_page(organisation, pk):
    """One proposal with everything its summary and decision record show."""
    return (
        Proposal.objects.filter(organisation=organisation, pk=pk)
        .select_related("organisation", "trigger", "owner", "created_by", "ehia_document")
        .prefetch_related(
            "insight_sources",
            "affected_groups",
            "methods",
            "documents",
            _activity_prefetch(),
            "outcomes__activity",
        )
        .get()
    )


def proposals_for_activity(activity):
    """Proposals an activity is linked to (for the activity page)."""
    return list(activity.proposals.order_by("title").values("pk", "title"))


def service_changes_for(organisation, year) -> list[dict]:
    """Proposals decided (or expected to be decided) in the reporting year, for the annual report."""
    found = []
    for proposal in proposals_for_list(organisation):
        when = proposal.decision_date or proposal.expected_decision_date
        if when is None or not year.start <= when <= year.end:
            continue
        found.append(
            {
                "title": proposal.title,
                "service_area": proposal.service_area,
                "level": proposal.get_level_display(),
                "duty": DutyPosition.LABELS[duty_position(proposal)],
                "decision_date": proposal.decision_date,
                "decision": proposal.decision,
                "involvement_influence": proposal.involvement_influence,
                "warnings": [message for _, message in warnings_for(proposal)],
            }
        )
    return found


# ------------------------------------------------------------------ history

HISTORY_FIELDS = [
    "title",
    "description",
    "service_area",
    "trigger",
    "expected_decision_date",
    "owner",
    "applies_planning",
    "applies_planning_reason",
    "applies_proposal",
    "applies_proposal_reason",
    "applies_operational",
    "applies_operational_reason",
    "insight_summary",
    "other_affected",
    "ehia_done",
    "ehia_date",
    "ehia_document",
    "level",
    "timing",
    "budget",
    "substantial",
    "substantial_reason",
    "osc_consulted_on",
    "notifiable",
    "service_change_tests",
    "consultation_opens",
    "consultation_closes",
    "gunning_evidence",
    "decided_by",
    "decision_date",
    "decision",
    "involvement_influence",
]


def _show(field, value, names) -> str:
    if value in (None, "", {}):
        return "—"
    if field.name in names:
        return names[field.name].get(value, f"#{value}")
    if field.choices:
        return str(dict(field.choices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if field.name == "service_change_tests":
        return "; ".join(
            f"{code}: {TestResult(v.get('result', 'not_assessed')).label}"
            for code, v in sorted(value.items())
        )
    if field.name == "gunning_evidence":
        return "; ".join(f"{code}: {text}" for code, text in sorted(value.items()) if text)
    return str(value)


def proposal_history(proposal) -> list[HistoryEvent]:
    """Every change (who, when, field old → new, and the linked lists in the reason), newest first."""
    from ccg_involvement.models import Document
    from engagements.proposal_models import Trigger

    records = list(proposal.history.select_related("history_user").order_by("history_date", "history_id"))
    user_ids = {r.owner_id for r in records if r.owner_id}
    trigger_ids = {r.trigger_id for r in records if r.trigger_id}
    document_ids = {r.ehia_document_id for r in records if r.ehia_document_id}
    names = {
        "owner": {
            u.pk: (u.get_full_name() or u.username) for u in get_user_model().objects.filter(pk__in=user_ids)
        },
        "trigger": dict(Trigger.objects.filter(pk__in=trigger_ids).values_list("pk", "name")),
        "ehia_document": dict(Document.objects.filter(pk__in=document_ids).values_list("pk", "title")),
    }
    events, previous = [], None
    for record in records:
        changes = []
        if previous is not None:
            for name in HISTORY_FIELDS:
                field = Proposal._meta.get_field(name)
                old, new = getattr(previous, field.attname), getattr(record, field.attname)
                if old != new:
                    label = str(field.verbose_name)
                    changes.append(
                        (label[0].upper() + label[1:], _show(field, old, names), _show(field, new, names))
                    )
        previous = record
        if changes or record.history_change_reason:
            user = record.history_user
            who = (user.get_full_name() or user.username) if user else "System"
            events.append(HistoryEvent(record.history_date, who, record.history_change_reason or "", changes))
    events.reverse()
    return events
