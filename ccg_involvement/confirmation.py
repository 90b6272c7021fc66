"""Confirmation pages for destructive or year-starting buttons, without JavaScript.

The button is a link to the action's URL: a GET shows this page (what will happen, a button that
POSTs to the same URL, and a way back); only the POST acts.
"""

from django.shortcuts import render


def confirm_page(
    request,
    *,
    title: str,
    body: str,
    button: str,
    back_url: str,
    caption: str = "",
    hidden=None,
    warning=True,
    crumbs=None,
):
    context = {
        "title": title,
        "caption": caption,
        "body": body,
        "button": button,
        "back_url": back_url,
        "hidden": hidden or {},
        "warning": warning,
        "breadcrumbs": crumbs,
    }
    return render(request, "ccg_involvement/confirm.html", context)
