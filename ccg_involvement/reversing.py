"""URLs reversed once per process, then looked up (issue 18).

Every page reverses the same dozen URLs: the header's links, the primary navigation (six, one per
section of the organisation) and the footer's. Django's ``reverse`` does the whole work each time
(the language's reverse dictionary, the candidate patterns, a regular expression per argument,
quoting): some 10–80 microseconds a call, about a millisecond a page. A URL is a function of the
URL configuration, the script prefix and the arguments, none of which changes while a process
serves requests, so ``reverse`` here remembers each answer, keyed on all of them.

What is not in the key, and why that is safe:

- The language: reversing depends on it only through translated URL patterns or
  ``i18n_patterns``, and the project has neither (``tests/core/test_reversing.py`` checks).
- The URL configuration's *contents*: the key holds its module (``get_urlconf()``, the
  request's own if a middleware set one); when ``ROOT_URLCONF`` is changed (``override_settings``
  in tests), the remembered URLs are forgotten.

A reversal that fails (``NoReverseMatch``) is not remembered; arguments that cannot be hashed
are reversed by Django each time.
"""

import functools

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import Library, defaulttags
from django.urls import get_script_prefix, get_urlconf
from django.urls import reverse as django_reverse
from django.utils.html import conditional_escape

__all__ = ["register", "reverse"]


@functools.lru_cache(maxsize=4096)
def _reversed(urlconf, prefix, viewname, args, kwargs, current_app):
    # prefix: in the key only; Django's reverse reads the same thread's script prefix itself
    return django_reverse(
        viewname,
        urlconf=urlconf,
        args=[value for _, value in args],
        kwargs={name: value for name, _, value in kwargs},
        current_app=current_app,
    )


def reverse(viewname, args=None, kwargs=None, current_app=None) -> str:
    """``django.urls.reverse(viewname, args=…, kwargs=…, current_app=…)``, remembered.

    Each value is keyed with its type as well, so ``1`` and ``True`` (equal, and hashed the same)
    are never taken for each other."""
    try:
        return _reversed(
            get_urlconf(),
            get_script_prefix(),
            viewname,
            tuple((type(value), value) for value in args or ()),
            tuple(sorted((name, type(value), value) for name, value in (kwargs or {}).items())),
            current_app,
        )
    except TypeError:  # an argument that cannot be hashed (or sorted): not remembered
        return django_reverse(viewname, args=args, kwargs=kwargs, current_app=current_app)


@receiver(setting_changed)
def _forget(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _reversed.cache_clear()


# ---------------------------------------------------------------- {% url %}
register = Library()


class URLNode(defaulttags.URLNode):
    """Django's ``{% url %}`` node, reversing through ``reverse`` above; otherwise the same."""

    def render(self, context):
        from django.urls import NoReverseMatch

        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    """``{% url %}`` as Django parses it (``django.template.defaulttags.url``), rendered by the
    ``URLNode`` above. Installed as a template builtin (settings ``TEMPLATES``), so every
    template's ``{% url %}`` is this one."""
    node = defaulttags.url(parser, token)
    return URLNode(node.view_name, node.args, node.kwargs, node.asvar)
