"""Links in the decision record: ordinary links on the page; in a generated document (``printed`` in
the context) absolute links on the configured SITE_URL, or the plain text when none is configured,
so that a PDF never carries a relative (``file:``) link."""

from django import template
from django.conf import settings
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def record_link(context, url, text):
    if not context.get("printed"):
        return format_html('<a href="{}">{}</a>', url, text)
    if settings.SITE_URL:
        return format_html('<a href="{}{}">{}</a>', settings.SITE_URL, url, text)
    return text
