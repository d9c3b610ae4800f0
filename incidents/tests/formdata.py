"""What a browser would post from a rendered Django form: the tests' stand-in for "open the page, press save"."""

from html.parser import HTMLParser

from django.urls import reverse


class _FormParser(HTMLParser):
    def __init__(self, form_id):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.data = {}
        self._textarea = None
        self._select = None

    def add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "name" not in attrs and tag != "option":
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.add(attrs["name"], attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.add(self._textarea, "")
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.add(self._select, attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            text = self.data[self._textarea][-1] + data
            # Browsers drop the one newline that may follow <textarea>.
            self.data[self._textarea][-1] = text[1:] if text.startswith("\n") and len(text) == len(data) else text


def form_data(html, form_id):
    """{name: value or [values]} of the form with id `form_id`, as submitted by a browser."""
    parser = _FormParser(form_id)
    parser.feed(html)
    return {name: values if len(values) > 1 else values[0] for name, values in parser.data.items()}


def change_url(record):
    """The admin change page of `record` (any model of the app)."""
    return reverse(f"admin:incidents_{record._meta.model_name}_change", args=[record.pk])


def post_change(client, user, record, **change):
    """As `user`: open `record`'s admin change page, change the fields in `change`, press save."""
    client.force_login(user)
    data = form_data(client.get(change_url(record)).content.decode(), f"{record._meta.model_name}_form")
    return client.post(change_url(record), {**data, **change}, follow=True)
