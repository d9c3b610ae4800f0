"""{% load differences %}: a text shown whole with the words that differ from another text marked."""

from django import template

from incidents.review.differences import marked

register = template.Library()


@register.filter
def marked_against(text, other):
    """`text` (escaped, whole) with the words `other` lacks in <del> (they are gone in `other`)…
    use as {{ was|marked_against:now }}; and {{ now|marked_new_against:was }} for <ins>."""
    return marked(str(text), str(other))[0]


@register.filter
def marked_new_against(text, other):
    """`text` (escaped, whole) with the words `other` lacks marked <ins> (added since `other`)."""
    return marked(str(other), str(text))[1]
