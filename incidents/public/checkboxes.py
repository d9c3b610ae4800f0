"""Lists of checkboxes written in Python, the same HTML as Django's templates write.

Django renders each option of a CheckboxSelectMultiple through four nested template includes
(checkbox_option → input_option → input → attrs): the dashboard's filter form has ~140 options, so
its lists took ~25 ms of every uncached dashboard page at a million incidents (issue 18 target 2;
docs/PERFORMANCE.md, Uncached questions). Checkboxes.render builds the same markup from the same
context (Widget.get_context, so subclasses' create_option and optgroups still apply); the tests
compare it with Django's own rendering, byte for byte (incidents/tests/public/test_checkboxes.py).
"""

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


def _attrs(attrs):
    # django/forms/widgets/attrs.html: False drops the attribute, True writes its bare name.
    return "".join(f" {conditional_escape(name)}" if value is True else
                   f' {conditional_escape(name)}="{conditional_escape("%s" % (value,))}"'
                   for name, value in attrs.items() if value is not False)


def _option(option):
    # checkbox_option.html → input_option.html → input.html, with each file's closing newline.
    value = "" if option["value"] is None else f' value="{conditional_escape("%s" % (option["value"],))}"'
    html = (f'<input type="{conditional_escape(option["type"])}" name="{conditional_escape(option["name"])}"'
            f'{value}{_attrs(option["attrs"])}>\n')
    if option.get("wrap_label"):
        label_for = option["attrs"].get("id")
        opening = f'<label for="{conditional_escape(label_for)}">' if label_for else "<label>"
        html = f'{opening}{html} {conditional_escape(option["label"])}</label>'
    return html + "\n\n"


def checkbox_list(widget, hidden_groups=frozenset()):
    """The HTML of django/forms/widgets/checkbox_select.html for a widget context (get_context()["widget"]);
    the groups whose label is in `hidden_groups` get a `hidden` attribute (the page offers them later)."""
    attrs = widget["attrs"]
    parts = ["<div"]
    if attrs.get("id"):
        parts.append(f' id="{conditional_escape(attrs["id"])}"')
    if attrs.get("class"):
        parts.append(f' class="{conditional_escape(attrs["class"])}"')
    parts.append(">")
    for group, options, _index in widget["optgroups"]:
        if group:
            hidden = " hidden" if str(group) in hidden_groups else ""
            parts.append(f"\n  <div{hidden}><label>{conditional_escape(group)}</label>")
        parts.extend(f"<div>\n    {_option(option)}</div>" for option in options)
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>")  # the form renderer strips the outer template's closing newlines
    return "".join(parts)


class Checkboxes(forms.CheckboxSelectMultiple):
    """CheckboxSelectMultiple rendered without templates (module docstring)."""

    def render(self, name, value, attrs=None, renderer=None):
        return mark_safe(checkbox_list(self.get_context(name, value, attrs)["widget"]))  # escaped above
