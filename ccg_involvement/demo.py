"""Demo organisations and users. Other apps add their own demo data in ``<app>/demo.py``."""

import datetime

from django.contrib.auth import get_user_model

from ccg_involvement.models import Membership, Organisation, OrganisationKind
from ccg_involvement.permissions import Role

DEMO_PASSWORD = "involve-people-2026"

ICB = {
    "ods_code": "QXH",
    "name": "NHS Harbourside and Downs Integrated Care Board",
    "kind": OrganisationKind.ICB,
}
CCG = {"ods_code": "15X", "name": "NHS Harbourside CCG", "kind": OrganisationKind.CCG}

USERS = [
    # username, full name, memberships [(org key, role)], superuser
    ("viewer", ("Val", "Viewer"), [("ICB", Role.VIEWER)], False),
    ("editor", ("Ed", "Okafor"), [("ICB", Role.EDITOR), ("CCG", Role.EDITOR)], False),
    ("reviewer", ("Rani", "Shah"), [("ICB", Role.REVIEWER)], False),
    ("orgadmin", ("Alex", "Morgan"), [("ICB", Role.ADMIN)], False),
    ("assurer", ("Sam", "Lewis"), [("ICB", Role.REVIEWER), ("CCG", Role.REVIEWER)], False),
    ("admin", ("Platform", "Admin"), [], True),
]


def load(context: dict) -> list[str]:
    icb, _ = Organisation.objects.update_or_create(
        ods_code=ICB["ods_code"],
        defaults={"name": ICB["name"], "kind": ICB["kind"], "established_on": datetime.date(2022, 7, 1)},
    )
    ccg, _ = Organisation.objects.update_or_create(
        ods_code=CCG["ods_code"],
        defaults={
            "name": CCG["name"],
            "kind": CCG["kind"],
            "established_on": datetime.date(2013, 4, 1),
            "closed_on": datetime.date(2022, 6, 30),
            "successor": icb,
        },
    )
    organisations = {"ICB": icb, "CCG": ccg}
    User = get_user_model()
    users = {}
    for username, (first, last), memberships, is_superuser in USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@example.nhs.uk"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
        user.is_staff = user.is_superuser = is_superuser
        user.save()
        users[username] = user
        for org_key, role in memberships:
            Membership.objects.update_or_create(
                user=user, organisation=organisations[org_key], defaults={"role": role}
            )
    context.update({"icb": icb, "ccg": ccg, "users": users})
    lines = [f"Demo logins (password for all: {DEMO_PASSWORD}):"]
    for username, _name, memberships, _superuser in USERS:
        where = ", ".join(
            f"{role.label.lower()} at {organisations[key].ods_code}" for key, role in memberships
        )
        lines.append(f"  {username:<9} {where or 'platform administrator (Django admin)'}")
    return lines
