"""Organisation administrators manage their members at /<org>/members/ (MANAGE_MEMBERS)."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.utils.html import escape

from ccg_involvement import actions
from ccg_involvement.errors import ActionError
from ccg_involvement.models import Membership
from ccg_involvement.permissions import Permission, Role, has_permission
from tests.factories.core import PASSWORD, UserFactory

User = get_user_model()


def _link(message) -> str:
    return re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body).group(1)


def test_only_administrators_see_and_use_the_members_pages(org_admin, reviewer, editor, login):
    assert login(org_admin).get("/qrv/members/").status_code == 200
    for member in (reviewer, editor):
        response = login(member).get("/qrv/members/")
        assert response.status_code == 403
        page = response.content.decode()
        # the 403 page names who can help
        assert (
            f"ask the administrator of NHS Riverside Integrated Care Board: {escape(org_admin.display_name)}"
            in page
        )
    nav = login(org_admin).get("/qrv/").content.decode()
    assert 'href="/qrv/members/"' in nav
    assert 'href="/qrv/members/"' not in login(reviewer).get("/qrv/").content.decode()


def test_the_list_shows_members_roles_and_the_last_administrator_is_protected(org_admin, editor, login):
    page = login(org_admin).get("/qrv/members/").content.decode()
    assert escape(editor.display_name) in page and editor.user.email in page  # “O’Brien” is escaped
    assert f"/qrv/members/{editor.pk}/role/" in page
    assert f"/qrv/members/{org_admin.pk}/role/" not in page  # the only administrator
    assert "Only administrator" in page


def test_adding_an_existing_account_emails_them_and_records_who_added_them(
    org_admin, other_organisation, login
):
    colleague = Membership.objects.create(
        user=UserFactory(username="cara.colleague", email="Cara.Colleague@nhs.net"),
        organisation=other_organisation,
        role=Role.EDITOR,
    ).user
    response = login(org_admin).post(
        "/qrv/members/add/", {"email": "cara.colleague@NHS.net", "role": Role.REVIEWER}
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=colleague, organisation=org_admin.organisation)
    assert membership.role == Role.REVIEWER
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["Cara.Colleague@nhs.net"]
    assert "has added you to NHS Riverside Integrated Care Board" in mail.outbox[0].body
    assert "as reviewer" in mail.outbox[0].body
    record = membership.history.get()
    assert record.history_user == org_admin.user and record.history_change_reason == "Added as reviewer"
    page = login(org_admin).get("/qrv/members/").content.decode()
    assert "Added as reviewer" in page
    again = login(org_admin).post(
        "/qrv/members/add/", {"email": "cara.colleague@nhs.net", "role": Role.VIEWER}
    )
    assert again.status_code == 400 and "is already a member" in again.content.decode()


def test_inviting_a_new_person_who_sets_a_password_and_logs_in(org_admin, login):
    response = login(org_admin).post(
        "/qrv/members/add/",
        {"email": "new.starter@nhs.net", "first_name": "Nia", "last_name": "Starter", "role": Role.EDITOR},
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.starter@nhs.net")
    assert user.get_full_name() == "Nia Starter" and not user.has_usable_password()
    assert Membership.objects.get(user=user).role == Role.EDITOR
    (message,) = mail.outbox
    assert (
        message.subject
        == "You are invited to the involvement tracker for NHS Riverside Integrated Care Board"
    )
    assert "expires in 3 days" in message.body and "user name new.starter@nhs.net" in message.body
    assert "Invited" in login(org_admin).get("/qrv/members/").content.decode()  # awaiting a password

    client = Client()
    form = client.get(_link(message), follow=True)
    assert form.status_code == 200 and "new_password1" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-long-new-passphrase", "new_password2": "a-long-new-passphrase"},
    )
    assert done.status_code == 302
    assert client.login(username="new.starter@nhs.net", password="a-long-new-passphrase")
    assert client.get("/").status_code == 302  # straight to their one organisation
    # the link works once
    assert "new_password1" not in Client().get(_link(message), follow=True).content.decode()


def test_an_invitation_link_expires(org_admin, login, settings, monkeypatch):
    login(org_admin).post("/qrv/members/add/", {"email": "late@nhs.net", "role": Role.VIEWER})
    user = User.objects.get(email="late@nhs.net")
    token = _link(mail.outbox[0]).rstrip("/").split("/")[-1]
    assert default_token_generator.check_token(user, token)
    later = default_token_generator._now() + datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    monkeypatch.setattr(default_token_generator, "_now", lambda: later)
    assert not default_token_generator.check_token(user, token)


def test_invalid_input_is_refused_with_a_clear_message(org_admin, login):
    response = login(org_admin).post("/qrv/members/add/", {"email": "not-an-email", "role": Role.VIEWER})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter an email address in the correct format" in page and "<title>Error:" in page
    assert not mail.outbox


def test_changing_a_role_and_deactivating_are_in_the_history(org_admin, editor, login):
    client = login(org_admin)
    assert client.post(f"/qrv/members/{editor.pk}/role/", {"role": Role.REVIEWER}).status_code == 302
    editor.refresh_from_db()
    assert editor.role == Role.REVIEWER
    confirm = client.get(f"/qrv/members/{editor.pk}/deactivate/")
    assert confirm.status_code == 200 and "Yes, deactivate" in confirm.content.decode()
    assert Membership.objects.filter(pk=editor.pk).exists()  # asking changes nothing
    assert client.post(f"/qrv/members/{editor.pk}/deactivate/").status_code == 302
    assert not Membership.objects.filter(pk=editor.pk).exists()
    assert login(editor).get("/qrv/").status_code == 404  # no access any more
    assert editor.user.is_active  # the account stays (other organisations, authored records)
    reasons = [
        r.history_change_reason for r in Membership.history.filter(id=editor.pk).order_by("history_date")
    ]
    assert reasons == [None, "Role changed from editor to reviewer", "Deactivated: no longer a member"]
    page = client.get("/qrv/members/").content.decode()
    assert "Role changed from editor to reviewer" in page and "Deactivated: no longer a member" in page


def test_the_last_administrator_cannot_remove_or_demote_themselves(org_admin, make_member, login):
    client = login(org_admin)
    assert not has_permission(org_admin, Permission.MANAGE_MEMBERS, org_admin)
    for url, data in (
        (f"/qrv/members/{org_admin.pk}/deactivate/", {}),
        (f"/qrv/members/{org_admin.pk}/role/", {"role": Role.VIEWER}),
    ):
        response = client.post(url, data)
        assert response.status_code == 403
        assert "is the only administrator" in response.content.decode()
    with pytest.raises(ActionError, match="only administrator"):
        actions.deactivate_member(membership=org_admin, by=org_admin.user)
    with pytest.raises(ActionError, match="only administrator"):
        actions.change_role(membership=org_admin, role=Role.EDITOR, by=org_admin.user)
    org_admin.refresh_from_db()
    assert org_admin.role == Role.ADMIN
    # with a second administrator, they can step down
    make_member(Role.ADMIN, org_admin.organisation)
    assert has_permission(org_admin, Permission.MANAGE_MEMBERS, org_admin)
    assert client.post(f"/qrv/members/{org_admin.pk}/deactivate/").status_code == 302
    assert not Membership.objects.filter(pk=org_admin.pk).exists()


def test_an_administrator_cannot_manage_another_organisations_members(org_admin, outsider, login):
    assert not has_permission(org_admin, Permission.MANAGE_MEMBERS, outsider)
    assert login(org_admin).post(f"/qrv/members/{outsider.pk}/deactivate/").status_code == 404
    assert Membership.objects.filter(pk=outsider.pk).exists()


def test_the_platform_administrators_home_links_to_the_admin(db):
    admin = User.objects.create_superuser("platform", "platform@nhs.net", PASSWORD)
    client = Client()
    client.force_login(admin)
    page = client.get("/").content.decode()
    assert "Create an organisation" in page and "/admin/ccg_involvement/organisation/add/" in page
    assert "Ask an administrator of your organisation" not in page
