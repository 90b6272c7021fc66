"""Demo involvement profiles, so the demo annual-report sections show their governance parts."""

from reports import actions
from reports.models import InvolvementProfile

PROFILES = {
    "icb": {
        "lead_name": "Priya Shah",
        "lead_role": "non-executive member for people and communities",
        "committee": "People and Communities Committee",
        "committee_remit": "It meets in public every quarter and reports to the board on how we involve people.",
        "patient_seats": 2,
        "healthwatch_seats": 1,
        "vcse_seats": 1,
        "how_to_get_involved": "Join our people's panel, come to a community conversation or tell us what you "
        "think at any time through our website's Get involved page.",
        "next_year_priorities": "Hear from more young carers\nPublish every \u201cyou said, we did\u201d "
        "within three months\nInvolve people earlier in changes to community services",
        "joint_forward_plan": "People helped shape the Joint Forward Plan through community conversations "
        "and a survey; their priorities for access and travel are in the plan.",
        "health_and_wellbeing_boards": "We consulted both Health and Wellbeing Boards in our area on this report.",
    },
    "ccg": {
        "lead_name": "David Okafor",
        "lead_role": "lay member for patient and public involvement",
        "committee": "Patient and Public Involvement Committee",
        "patient_seats": 3,
        "healthwatch_seats": 1,
        "how_to_get_involved": "Join a patient participation group at your practice or our patient reference group.",
    },
}


def load(context: dict) -> list[str]:
    done = []
    by = context["users"].get("orgadmin") or next(iter(context["users"].values()))
    for key, values in PROFILES.items():
        organisation = context.get(key)
        if organisation is None or InvolvementProfile.objects.filter(organisation=organisation).exists():
            continue
        actions.save_involvement_profile(organisation=organisation, by=by, **values)
        done.append(organisation.ods_code)
    return [f"Involvement profiles: {', '.join(done)}"] if done else []
