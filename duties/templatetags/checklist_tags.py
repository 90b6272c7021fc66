from django import template
from django.utils.html import format_html

register = template.Library()

STATUS_COLOURS = {
    "todo": "grey",
    "in_progress": "blue",
    "ready_for_review": "yellow",
    "reviewed": "green",
}
VERDICT_COLOURS = {
    "met": "green",
    "partially_met": "orange",
    "not_met": "red",
    "not_applicable": "grey",
}


@register.simple_tag
def status_tag(item):
    colour = STATUS_COLOURS.get(item.status, "grey")
    return format_html(
        '<strong class="nhsuk-tag nhsuk-tag--{}">{}</strong>', colour, item.get_status_display()
    )


@register.simple_tag
def verdict_tag(item):
    if not item.verdict:
        return format_html('<span class="app-muted">{}</span>', "Not decided")
    colour = VERDICT_COLOURS.get(item.verdict, "grey")
    return format_html(
        '<strong class="nhsuk-tag nhsuk-tag--{}">{}</strong>', colour, item.get_verdict_display()
    )
