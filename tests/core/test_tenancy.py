"""The tenancy middleware's one query (``tenancy.membership_at``) finds what the ORM would find."""

import datetime

from django.db.models import Exists, OuterRef

from ccg_involvement.models import Membership
from ccg_involvement.permissions import Role
from ccg_involvement.tenancy import membership_at
from tests.factories.core import CCGFactory, MembershipFactory


def orm_membership(user, code):
    """The ORM query the middleware ran before: the reference."""
    others = Membership.objects.for_user(user).exclude(pk=OuterRef("pk"))
    return (
        Membership.objects.for_user(user)
        .filter(organisation__ods_code=code.upper())
        .annotate(has_other_organisations=Exists(others))
        .first()
    )


def fields(obj):
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_the_membership_and_its_organisation_as_the_orm_reads_them(editor, organisation):
    organisation.closed_on = datetime.date(2030, 3, 31)
    organisation.four_eyes_relaxed_reason = "A team of one"
    organisation.four_eyes_relaxed_at = datetime.datetime(2025, 5, 1, 9, 30, tzinfo=datetime.UTC)
    organisation.four_eyes_relaxed_by = editor.user
    organisation.save()
    found = membership_at(editor.user, "qrv")  # any case
    expected = orm_membership(editor.user, "qrv")
    assert fields(found) == fields(expected) and found.pk == editor.pk
    assert fields(found.organisation) == fields(expected.organisation)
    assert isinstance(found.created_at, datetime.datetime) and found.created_at.tzinfo is not None
    assert found.organisation.closed_on == datetime.date(2030, 3, 31)
    assert found.organisation.four_eyes_relaxed_at == organisation.four_eyes_relaxed_at
    assert not found._state.adding and found.organisation_id == found.organisation.pk
    assert found.has_other_organisations is False
    assert found.organisation.has_predecessors is False


def test_other_organisations_and_predecessors_are_noted(editor, organisation, other_organisation):
    MembershipFactory(user=editor.user, organisation=other_organisation, role=Role.VIEWER)
    CCGFactory(successor=organisation)
    found = membership_at(editor.user, "QRV")
    assert found.has_other_organisations is orm_membership(editor.user, "QRV").has_other_organisations is True
    assert found.organisation.has_predecessors is True
    assert membership_at(editor.user, "QHT").organisation.has_predecessors is False


def test_no_membership_no_organisation_or_an_inactive_user_finds_nothing(editor, outsider):
    assert membership_at(editor.user, "QHT") is None  # another organisation's
    assert membership_at(editor.user, "NOPE") is None
    editor.user.is_active = False
    editor.user.save()
    assert membership_at(editor.user, "QRV") is None
    assert orm_membership(editor.user, "QRV") is None
