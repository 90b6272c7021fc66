"""Tags for the shared page components in ``templates/_components/``.

The other components are plain includes; these two need a tag: a summary-list row wraps any
markup as its value, and a status tag is written in table cells where an include would be long.
Both write their one element in Python (every value escaped) rather than
rendering a template: they run once per row of the checklist and item pages, and a template render
per row costs far more than the markup itself.
"""

import functools

from django import template
from django.template.base import token_kwargs
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe

from ccg_involvement import history

register = template.Library()


class SummaryRowNode(template.Node):
    def __init__(self, key, extra, nodelist):
        self.key, self.extra, self.nodelist = key, extra, nodelist

    def render(self, context):
        hint = self.extra["hint"].resolve(context) if "hint" in self.extra else None
        hint = f'<br><span class="nhsuk-body-s app-muted">{conditional_escape(hint)}</span>' if hint else ""
        return mark_safe(  # noqa: S308 (every value escaped: conditional_escape)
            '<div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">'
            f"{conditional_escape(self.key.resolve(context))}{hint}</dt>"
            f'<dd class="nhsuk-summary-list__value">{conditional_escape(self.nodelist.render(context))}</dd></div>'
        )


@register.tag
def summary_row(parser, token):
    """One row of an NHS.UK summary list; what is between the tags is the value::

        {% summary_row "Owner" %}{{ item.owner|default:"No owner" }}{% endsummary_row %}
        {% summary_row limb.label hint=limb.question %}…{% endsummary_row %}

    ``hint`` is a smaller line under the key.
    """
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"{bits[0]} needs the row's key")
    key = parser.compile_filter(bits[1])
    extra = token_kwargs(bits[2:], parser)
    if len(extra) != len(bits) - 2 or set(extra) - {"hint"}:
        raise template.TemplateSyntaxError(f"{bits[0]} takes a key and optionally hint=...")
    nodelist = parser.parse(("endsummary_row",))
    parser.delete_first_token()
    return SummaryRowNode(key, extra, nodelist)


@register.simple_tag
def status_tag(choice, empty=""):
    """A choice as an NHS.UK tag in the colour its choices define (``ccg_involvement.choices``).

    ``choice`` is a member of a ``TaggedChoices`` enum; when it is ``None`` (a blank field)
    ``empty`` is shown muted instead, or nothing. No newline: it sits inside text.
    """
    if choice:
        return format_html(
            '<strong class="nhsuk-tag nhsuk-tag--{}">{}</strong>', choice.tag_colour, choice.label
        )
    if empty:
        return format_html('<span class="app-muted">{}</span>', empty)
    return ""


@register.simple_tag
def year_options(choices, chosen):
    """The year picker's options: one per ``ReportingYear`` in ``choices``, ``chosen`` selected.
    Written in Python, and once per set of years and chosen year: every page with a year picker
    shows the same fourteen options, of two values each."""
    try:
        return _year_options(tuple(choices), chosen)
    except TypeError:  # a value that cannot be hashed: written each time
        return _year_options.__wrapped__(tuple(choices), chosen)


@functools.lru_cache(maxsize=256)
def _year_options(choices: tuple, chosen) -> str:
    return mark_safe(
        "".join(
            f'<option value="{escape(y.slug)}"{" selected" if y == chosen else ""}>{escape(str(y))}</option>'
            for y in choices
        )
    )


@register.filter
def display_name(user, default="—"):
    """A person as the product names them everywhere: ``{{ item.owner|display_name:"No owner" }}``."""
    return history.display_name(user, default=default)


@register.simple_tag(takes_context=True)
def page_has_errors(context) -> bool:
    """True when the page shows an error: a bound form or formset in the context that failed, or
    a ``*_error`` message (say ``year_error``). base.html then starts the title with "Error: "
    (NHS service manual: the title says so before anything else is read)."""
    from django.forms import BaseForm
    from django.forms.formsets import BaseFormSet

    for name, value in context.flatten().items():
        # type(), not isinstance(): isinstance asks a lazy value (the user, the CSP nonce) for its
        # __class__, which works it out; no form is ever lazy
        if issubclass(type(value), (BaseForm, BaseFormSet)):
            if value.is_bound and not value.is_valid():
                return True
        elif isinstance(name, str) and name.endswith("_error") and value:
            return True
    return False


@register.filter(is_safe=True)
def error_title(title: str, has_errors: bool) -> str:
    """Prefix "Error: " to a page title when the page has errors, once."""
    title = str(title).strip()
    if has_errors and not title.startswith("Error:"):
        return f"Error: {title}"
    return title
