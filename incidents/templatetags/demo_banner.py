"""The banner every page shows while synthetic demonstration data exists (issue 20)."""

from django import template

from incidents.operations.synthetic.demo import demo_data_present

register = template.Library()


@register.inclusion_tag("incidents/operations/demo_banner.html")
def demo_banner(for_staff=False):
    """{% demo_banner %}: the banner, or nothing when there is no demonstration incident; the admin's
    (`{% demo_banner for_staff=True %}`) also says how to remove them, a command the public cannot run."""
    return {"demo_data_present": demo_data_present(), "for_staff": for_staff}
