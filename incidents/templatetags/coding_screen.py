"""{% load coding_screen %}: the article's text cut at its evidence quotes, for the coding panel."""

from django import template

from incidents.coding.screen import coding_context

register = template.Library()


@register.inclusion_tag("admin/incidents/article/coding_panel.html", takes_context=True)
def coding_panel(context, article):
    """The article text beside its incidents (those the user may see), for coding from selected sentences."""
    return coding_context(article, context["request"].user)
