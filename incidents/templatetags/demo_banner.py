"""The banner every page shows while synthetic demonstration data exists (issue 20)."""

from django import template

from incidents.operations.synthetic.demo import demo_data_present

register = template.Library()


@register.inclusion_tag("incidents/operations/demo_banner.html")
def demo_banner():
    """{% demo_banner %}: the banner, or nothing when there is no demonstration incident."""
    return {"demo_data_present": demo_data_present()}
