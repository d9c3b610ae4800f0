"""Small presentation helpers for the public templates."""

from django import template

from incidents.common.typology import EVENT_TYPE_COLOURS

register = template.Library()


@register.filter
def event_colour(event_type):
    """The legend colour of an event type (the map and timeline use the same)."""
    return EVENT_TYPE_COLOURS.get(event_type, "#999999")
