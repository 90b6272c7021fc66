from django import template

from engagements.models import KIND_HEADINGS
from reports.dashboard.figures import reach_lists as _reach_lists

register = template.Library()


@register.filter
def kind_heading(kind):
    """The heading for a kind of audience group ("Inclusion health and Core20PLUS groups")."""
    return KIND_HEADINGS.get(kind, kind)


@register.filter
def reach_lists(reach):
    """``figures.reach_lists``: recorded as 0, reached with no number, no record."""
    return _reach_lists(reach)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
