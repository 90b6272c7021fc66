"""Organisation administrators manage their members at ``/<org>/members/`` (``MANAGE_MEMBERS``).

Add an existing account or invite a new one by email (a set-password link from Django's token
generator, expiring after ``PASSWORD_RESET_TIMEOUT``), change a role, deactivate a membership, and
relax four eyes with a recorded reason. Every change is in the membership history; the last
administrator's membership cannot be changed or removed (``Membership.permits``).
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.views.decorators.http import require_http_methods

from ccg_involvement import actions
from ccg_involvement.errors import ActionError
from ccg_involvement.history import display_name
from ccg_involvement.models import Membership
from ccg_involvement.navigation import breadcrumbs
from ccg_involvement.permissions import Permission, Role, has_permission
from ccg_involvement.tenancy import get_scoped_or_404, requires

ROLE_HINTS = {
    Role.VIEWER: "Reads everything; changes nothing.",
    Role.EDITOR: "Logs activities, keeps checklist items up to date, generates draft documents.",
    Role.REVIEWER: "Also reviews items, signs off checklists and generates final documents.",
    Role.ADMIN: "Everything a reviewer can do, and manages the organisation's members.",
}


def role_choices():
    return [(role.value, role.label) for role in Role]


class AddMemberForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        help_text="If they already have an account, they are added; if not, they get an invitation to set a password.",
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the correct format, like name@nhs.net",
        },
    )
    first_name = forms.CharField(max_length=150, required=False, label="First name (for a new account)")
    last_name = forms.CharField(max_length=150, required=False, label="Last name (for a new account)")
    role = forms.ChoiceField(
        choices=role_choices,
        widget=forms.RadioSelect,
        initial=Role.EDITOR,
        error_messages={"required": "Choose a role"},
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        choices=role_choices,
        widget=forms.RadioSelect,
        label="Role",
        error_messages={"required": "Choose a role"},
    )


class FourEyesForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Why may one person assess and review the same item?",
        help_text="Leave empty to keep four eyes: the person who last changed an item's verdict or "
        "narrative cannot review it. A reason is shown in the assurance pack.",
    )


def invitation_link(request, user) -> str:
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return request.build_absolute_uri(path)


def send_member_email(request, membership: Membership, *, invited: bool):
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
    context = {
        "membership": membership,
        "organisation": membership.organisation,
        "name": display_name(membership.user),
        "by": display_name(request.user),
        "link": invitation_link(request, membership.user)
        if invited
        else request.build_absolute_uri(membership.organisation.get_absolute_url()),
        "login": request.build_absolute_uri(reverse("login")),
        "username": membership.user.get_username(),
        "days": days,
        "invited": invited,
    }
    subject = (
        f"You are invited to the involvement tracker for {membership.organisation.name}"
        if invited
        else f"You have been added to {membership.organisation.name} in the involvement tracker"
    )
    body = render_to_string("ccg_involvement/email/member.txt", context)
    send_mail(subject, body, None, [membership.user.email])


def _crumbs(request, *trail):
    members = ("Members", reverse("members", kwargs={"org_code": request.organisation.slug}))
    return breadcrumbs(request.organisation, *(trail and (members, *trail)))


def _history(organisation):
    records = (
        Membership.history.filter(organisation_id=organisation.pk)
        .select_related("history_user", "user")
        .order_by("-history_date", "-history_id")[:50]
    )
    return [
        {
            "when": record.history_date,
            "who": display_name(record.history_user, default="System"),
            "member": display_name(record.user) if record.user else "—",
            "what": record.history_change_reason
            or {"+": "Added", "~": "Changed", "-": "Removed"}[record.history_type]
            + f" ({record.get_role_display().lower()})",
        }
        for record in records
    ]


@requires(Permission.MANAGE_MEMBERS)
@require_http_methods(["GET", "HEAD"])
def member_list(request, org_code):
    organisation = request.organisation
    members = list(
        Membership.objects.for_organisation(organisation)
        .select_related("user", "organisation")
        .order_by("user__first_name", "user__last_name", "user__username")
    )
    for member in members:
        member.can_manage = has_permission(request.membership, Permission.MANAGE_MEMBERS, member)
        member.awaiting_password = not member.user.has_usable_password() and member.user.last_login is None
    context = {
        "members": members,
        "history": _history(organisation),
        "organisation": organisation,
        "breadcrumbs": _crumbs(request),
    }
    return render(request, "ccg_involvement/members/list.html", context)


@requires(Permission.MANAGE_MEMBERS)
@require_http_methods(["GET", "HEAD", "POST"])
def member_add(request, org_code):
    form = AddMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership, invited = actions.add_member(
                organisation=request.organisation, by=request.user, **form.cleaned_data
            )
        except ActionError as exc:
            form.add_error("email", str(exc))
        else:
            send_member_email(request, membership, invited=invited)
            if invited:
                messages.success(
                    request,
                    f"Invited {membership.display_name}: an email with a link to set a password is on its way.",
                )
            else:
                messages.success(
                    request, f"Added {membership.display_name} as {membership.get_role_display().lower()}."
                )
            return redirect("members", org_code=org_code)
    context = {
        "form": form,
        "role_hints": ROLE_HINTS,
        "breadcrumbs": _crumbs(request, ("Add a member", request.path)),
    }
    return render(request, "ccg_involvement/members/add.html", context, status=400 if form.errors else 200)


def _member(request, pk):
    member = get_scoped_or_404(Membership.objects.select_related("user", "organisation"), request, pk=pk)
    if not has_permission(request.membership, Permission.MANAGE_MEMBERS, member):
        raise PermissionDenied(
            f"{member.display_name} is the only administrator of {request.organisation.name}: make someone "
            "else an administrator before changing or removing this membership."
        )
    return member


@requires(Permission.MANAGE_MEMBERS)
@require_http_methods(["GET", "HEAD", "POST"])
def member_role(request, org_code, pk):
    member = _member(request, pk)
    form = RoleForm(request.POST or None, initial={"role": member.role})
    if request.method == "POST" and form.is_valid():
        try:
            member = actions.change_role(membership=member, role=form.cleaned_data["role"], by=request.user)
        except ActionError as exc:
            form.add_error("role", str(exc))
        else:
            messages.success(request, f"{member.display_name} is now {member.get_role_display().lower()}.")
            return redirect("members", org_code=org_code)
    context = {
        "member": member,
        "form": form,
        "breadcrumbs": _crumbs(request, (member.display_name, request.path)),
    }
    return render(request, "ccg_involvement/members/role.html", context, status=400 if form.errors else 200)


@requires(Permission.MANAGE_MEMBERS)
@require_http_methods(["GET", "HEAD", "POST"])
def member_deactivate(request, org_code, pk):
    member = _member(request, pk)
    if request.method == "POST":
        try:
            actions.deactivate_member(membership=member, by=request.user)
        except ActionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, f"{member.display_name} is no longer a member of {request.organisation.name}."
            )
            if member.pk == request.membership.pk:
                return redirect("home")
        return redirect("members", org_code=org_code)
    context = {
        "member": member,
        "is_self": member.pk == request.membership.pk,
        "breadcrumbs": _crumbs(request, (member.display_name, request.path)),
    }
    return render(request, "ccg_involvement/members/deactivate.html", context)


@requires(Permission.MANAGE_MEMBERS)
@require_http_methods(["GET", "HEAD", "POST"])
def four_eyes(request, org_code):
    organisation = request.organisation
    form = FourEyesForm(
        request.POST if request.method == "POST" else None,
        initial={"reason": organisation.four_eyes_relaxed_reason},
    )
    if request.method == "POST" and form.is_valid():
        organisation = actions.set_four_eyes_relaxation(
            organisation=organisation, reason=form.cleaned_data["reason"], by=request.user
        )
        if organisation.four_eyes_relaxed:
            messages.success(
                request, "Four eyes relaxed: the reason is recorded and shown in the assurance pack."
            )
        else:
            messages.success(
                request, "Four eyes applies: nobody reviews an item whose assessment they last changed."
            )
        return redirect("members", org_code=org_code)
    context = {
        "organisation": organisation,
        "form": form,
        "breadcrumbs": _crumbs(request, ("Four eyes", request.path)),
    }
    return render(request, "ccg_involvement/members/four_eyes.html", context)
