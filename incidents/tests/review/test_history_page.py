"""The History page in words (issue 13 point 9): field labels, human values, full text with the
differences marked; never "None", "pk=None", raw status codes or cut summaries."""

import pytest
from django.urls import reverse

from incidents.models import Incident
from incidents.review import workflow
from incidents.tests.factories import make_evidence, make_incident, make_user

pytestmark = [pytest.mark.django_db]
LONG = ("An IED exploded near the market of Hajin on the morning of 3 March 2019, killing four civilians "
        "and wounding nine others, according to local activists who reached the site an hour later.")


@pytest.fixture
def history_page(client, roles):
    coder, reviewer = make_user("coder", group="Analyst"), make_user("reviewer", group="Reviewer")
    incident = make_incident(status=Incident.Status.DRAFT, coder=coder, notes=LONG)
    make_evidence(incident)
    incident.notes = LONG.replace("four civilians", "five civilians")
    incident._history_user = coder
    incident.save()  # a save with no change reason and no reviewer
    workflow.apply("submit", incident, coder)
    workflow.apply("approve", incident, reviewer)
    client.force_login(reviewer)
    return client.get(reverse("admin:incidents_incident_history", args=[incident.pk])).content.decode()


def test_history_page_says_nothing_as_none(history_page):
    table = history_page[history_page.index('id="change-history"'):]
    assert "None" not in table and "pk=None" not in table
    assert "in_review" not in table and "in review" in table  # status label, not its code


def test_history_page_shows_full_text_with_the_difference_marked(history_page):
    assert "[" not in history_page.split('id="change-history"')[1].split("</table>")[0].replace("[]", "")
    assert "<del>four</del>" in history_page and "<ins>five</ins>" in history_page
    assert "according to local activists who reached the site an hour later." in history_page
    assert "<strong>Summary:</strong>" in history_page and "<strong>Reviewer:</strong>" in history_page
    assert "reviewer" in history_page.split("<strong>Reviewer:</strong>")[1].split("</li>")[0]


def test_edit_conflict_table_shows_full_text_with_the_differences_marked(client, roles):
    from incidents.tests.formdata import form_data

    incident = make_incident(status=Incident.Status.DRAFT, notes=LONG)
    url = reverse("admin:incidents_incident_change", args=[incident.pk])
    first, second = make_user(group="Analyst"), make_user(group="Analyst")
    client.force_login(second)
    opened = form_data(client.get(url).content.decode(), "incident_form")
    client.force_login(first)
    data = form_data(client.get(url).content.decode(), "incident_form")
    assert client.post(url, {**data, "notes": LONG.replace("nine others", "eleven others")}).status_code == 302
    client.force_login(second)
    page = client.post(url, {**opened, "notes": LONG.replace("Hajin", "Hajeen")}).content.decode()
    start = page.index('class="edit-conflict"')
    table = page[start:page.index("</table>", start)]
    assert "<del>nine</del>" in table and "<ins>eleven</ins>" in table and "<ins>Hajeen</ins>" in table
    assert "an hour later." in table  # whole, never cut
