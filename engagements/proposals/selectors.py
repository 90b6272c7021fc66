"""Reads for the proposal pages, the decision record and the annual report.

Each read loads what its page shows in a fixed number of queries (prefetched relations), and the
state, warning and wording functions it calls read only what is loaded.
"""

from django.db.models import Prefetch

from ccg_involvement.history import HistoryEvent, history_events, show_value
from engagements.models import Activity, Reach
from engagements.proposals import steps as step_table
from engagements.proposals import warnings
from engagements.proposals.models import Answer, Proposal, TestResult
from engagements.proposals.wording import (
    REQUIRED_GUNNING,
    DutyPosition,
    duty_position,
    framework_wording,
    gunning_principles,
    limb_answers,
    reconfiguration_applies,
    service_change_tests,
)
from engagements.reach import is_reached

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
        Proposal.objects.for_organisation(organisation)
        .select_related("organisation", "trigger", "owner")
        .prefetch_related("affected_groups", "methods", _activity_prefetch())
        .order_by("-created_at", "-pk")
    )


def proposal_for_page(organisation, pk):
    """One proposal with everything its summary and decision record show."""
    return (
        Proposal.objects.for_organisation(organisation)
        .filter(pk=pk)
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
    for proposal in proposals_for_list(organisation).for_year(year).counted():
        found.append(
            {
                "title": proposal.title,
                "service_area": proposal.service_area,
                "level": proposal.get_level_display(),
                "duty": DutyPosition.LABELS[duty_position(proposal)],
                "decision_date": proposal.decision_date,
                "decision": proposal.decision,
                "involvement_influence": proposal.involvement_influence,
                "warnings": [message for _, message in warnings.warnings_for(proposal)],
            }
        )
    return found


# ------------------------------------------------------------------ the summary and the decision record


def _exact(value):
    return value


def due_regard_statement(proposal) -> str:
    """The equality due-regard statement of the decision record, from the answers (s149; s14T/s14Z35)."""
    wording = framework_wording(proposal.organisation)
    inequalities = {"CCG": "(NHS Act 2006, section 14T)", "ICB": "(NHS Act 2006, section 14Z35)"}.get(
        wording.body, "(the inequalities duty that applies to the organisation)"
    )
    if not proposal.due_regard_by.strip():
        return (
            "No record yet of who had due regard to the equality duty (Equality Act 2010, s149) and to "
            f"reducing inequalities {inequalities} for this decision."
        )
    parts = [
        f"{proposal.due_regard_by}"
        + (
            f" considered the equality and health inequalities analysis on {proposal.due_regard_on:%-d %B %Y}"
            if proposal.due_regard_on
            else " considered the equality and health inequalities analysis"
        )
        + ", having regard to the equality duty (Equality Act 2010, s149) and to reducing inequalities "
        f"{inequalities}."
    ]
    if proposal.ehia_done == "yes":
        ref = f" (reference {proposal.ehia_reference})" if proposal.ehia_reference else ""
        when = f" dated {proposal.ehia_date:%-d %B %Y}" if proposal.ehia_date else ""
        impacts = (proposal.ehia_impacts or "no impacts recorded").strip().rstrip(".")
        parts.append(f"The impact assessment{ref}{when} found: {impacts}.")
        if proposal.ehia_mitigations.strip():
            parts.append(f"Mitigations: {proposal.ehia_mitigations.strip().rstrip('.')}.")
    else:
        parts.append("No impact assessment is recorded.")
    if proposal.due_regard_statement.strip():
        parts.append(proposal.due_regard_statement.strip())
    return " ".join(parts)


def record_context(proposal, *, count=None, printed=False, public=False) -> dict:
    """Everything the summary, the decision record and its PDF show (no request needed).

    ``count`` shows a count of people (the reports app passes its small-number suppression; the
    page shows exact counts to members); ``printed`` makes links absolute or plain references;
    ``public`` leaves out internal warnings and notes (the public decision record).
    """
    count = count or _exact
    wording = framework_wording(proposal.organisation)
    answers = dict(Answer.choices)
    position = duty_position(proposal)
    states = step_table.step_states(proposal)
    opens, closes = proposal.consultation_opens, proposal.consultation_closes
    return {
        "proposal": proposal,
        "wording": wording,
        "states": states,
        "first_open": next((state for state in states if not state.done), None),
        "open_steps": [state for state in states if not state.done],
        "consultation_days": (closes - opens).days if opens and closes else None,
        "answered": step_table.steps_answered(proposal),
        "step_count": step_table.STEP_COUNT,
        "warnings": [] if public else warnings.warnings_for(proposal),
        "warning_details": [] if public else warnings.warnings_with_responses(proposal),
        "printed": printed,
        "public": public,
        "reconfiguration_applies": reconfiguration_applies(proposal),
        "responses_shown": None
        if proposal.consultation_responses is None
        else count(proposal.consultation_responses),
        "due_regard_statement": due_regard_statement(proposal),
        "position": position,
        "position_label": DutyPosition.LABELS[position],
        "limbs": [
            {
                "label": wording.limbs[limb][0],
                "question": wording.limbs[limb][1],
                "answer": answer,
                "answer_label": answers.get(answer, ""),
                "reason": reason,
            }
            for limb, answer, reason in limb_answers(proposal)
        ],
        "tests": _tests(proposal),
        "principles": _principles(proposal),
        "documents": [d for d in proposal.documents.all() if d.removed_at is None],
        "activities": linked_activities(proposal, count=count),
        "outcomes": list(proposal.outcomes.all()),
    }


def _tests(proposal):
    stored = proposal.service_change_tests or {}
    rows = []
    for test in service_change_tests():
        entry = stored.get(test.code) or {}
        result = entry.get("result", "not_assessed")
        rows.append(
            {
                "code": test.code,
                "name": test.name,
                "result": result,
                "result_label": dict(TestResult.choices).get(result, result),
                "evidence": entry.get("evidence", ""),
            }
        )
    return rows


def _principles(proposal):
    stored = proposal.gunning_evidence or {}
    return [
        {
            "code": p.code,
            "name": p.name,
            "evidence": stored.get(p.code, ""),
            "required": p.code in REQUIRED_GUNNING,
        }
        for p in gunning_principles()
    ]


def linked_activities(proposal, count=None):
    """Linked activities with the affected groups each reached, counts as ``count`` shows them.

    A group is reached when a count above 0, or "reached, number not recorded", is recorded for it
    or any of its categories; its count is the sum of the numbers recorded (None when none was).
    """
    count = count or _exact
    affected = {g.pk for g in proposal.affected_groups.all()}
    rows = []
    for activity in proposal.activities.all():
        by_group: dict[int, dict] = {}
        for r in activity.reach.all():
            if r.group_id in affected and is_reached(r.value):
                entry = by_group.setdefault(r.group_id, {"name": r.group.name, "count": None})
                if r.count is not None:
                    entry["count"] = (entry["count"] or 0) + r.count
        total = activity.total_participants
        rows.append(
            {
                "activity": activity,
                "reached_affected": [
                    {
                        **entry,
                        "shown": "reached, number not recorded"
                        if entry["count"] is None
                        else count(entry["count"]),
                    }
                    for entry in by_group.values()
                ],
                "reached_total": total,
                "total_shown": None if total is None else count(total),
            }
        )
    return rows


# ------------------------------------------------------------------ history


def _show(field, value, names) -> str:
    """A proposal's value as the history shows it: its two structured answers spelt out."""
    if value and field.name == "service_change_tests":
        return "; ".join(
            f"{code}: {TestResult(v.get('result', 'not_assessed')).label}"
            for code, v in sorted(value.items())
        )
    if value and field.name == "gunning_evidence":
        return "; ".join(f"{code}: {text}" for code, text in sorted(value.items()) if text)
    return show_value(field, value, names)


# How the history and an edit conflict show a proposal's values (an impact assessment by its title).
HISTORY_SHOWN = {"labels": {"ehia_document": lambda document: document.title}, "show": _show}


def proposal_history(proposal) -> list[HistoryEvent]:
    """Every change (who, when, field old → new, and the linked lists in the reason), newest first."""
    return history_events(proposal, step_table.HISTORY_FIELDS, **HISTORY_SHOWN)
