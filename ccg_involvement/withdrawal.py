"""The one confirmation page for withdrawing a record (activity, outcome, proposal) with a reason.

No JavaScript: the page explains what withdrawing does and asks for the reason; the POST calls the
app's action. The record is kept and shown as withdrawn, and left out of every figure and document.
"""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render

from ccg_involvement.errors import ActionError


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Why are you withdrawing it?",
        help_text="For example, logged twice by mistake, or cancelled before it took place.",
        error_messages={"required": "Enter why you are withdrawing it"},
    )


def withdraw_page(request, obj, *, noun: str, title: str, back_url: str, done_url: str, withdraw, crumbs):
    """GET: the confirmation page; POST: ``withdraw(reason=…, by=…)`` then back to ``done_url``."""
    if obj.is_withdrawn:
        messages.info(request, f"This {noun} was already withdrawn.")
        return redirect(back_url)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            withdraw(reason=form.cleaned_data["reason"], by=request.user)
        except ActionError as exc:
            form.add_error("reason", str(exc))
        else:
            messages.success(
                request,
                f"Withdrew “{title}”. It is kept and shown as withdrawn, and no longer counts in figures or documents.",
            )
            return redirect(done_url)
    context = {"form": form, "noun": noun, "title": title, "back_url": back_url, "breadcrumbs": crumbs}
    return render(request, "ccg_involvement/withdraw.html", context, status=400 if form.errors else 200)
