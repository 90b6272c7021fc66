"""Redirect targets read from a request are followed only when they stay on this site."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, default: str, field: str = "next") -> str:
    """``request``'s ``next`` (POST, then GET) when it is a URL on this site, else ``default``."""
    target = request.POST.get(field) or request.GET.get(field)
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
