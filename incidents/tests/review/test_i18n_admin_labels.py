"""Found by a newcomer reading the admin in Arabic: the incident form's and the article form's labels,
the review box (Status, Coder, Published at…), the coding-status choices and the evidence columns
were still in English. Each label is now ACLED's term in English and the catalogue's term in Arabic."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import translation

from incidents.coding.assist import SuggestionForm
from incidents.models import Incident
from incidents.tests.factories import make_article, make_evidence, make_incident, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("roles")]

LABEL = re.compile(r"<label\b[^>]*>(.*?)</label>", re.S)
HEADER = re.compile(r"<th\b[^>]*>(.*?)</th>", re.S)
TAG = re.compile(r"<[^>]+>")


def shown(pattern, page):
    """The visible texts of the page's labels (or table headers), without their colons."""
    return {html.unescape(TAG.sub("", text)).strip().rstrip(":").strip() for text in pattern.findall(page)}


def arabic_page(client, name, *args):
    with translation.override("ar"):  # the app's Arabic URLs: /ar/admin/…
        url = reverse(name, args=args)
    assert url.startswith("/ar/")
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def reviewer_client(client):
    client.force_login(make_user(group="Reviewer"))
    return client


def test_arabic_incident_form_and_review_box_label_every_field_in_arabic(reviewer_client):
    incident = make_incident(status="in_review", coder=make_user("coder-labels", group="Analyst"))
    make_evidence(incident)
    for page in (arabic_page(reviewer_client, "admin:incidents_incident_add"),
                 arabic_page(reviewer_client, "admin:incidents_incident_change", incident.pk)):
        labels = shown(LABEL, page)
        for arabic in ["التاريخ", "تاريخ الانتهاء", "دقة التاريخ", "نوع الحدث", "النوع الفرعي للحدث", "الطرف الأول",
                       "الطرف الثاني", "الأطراف المرتبطة بالطرف الأول", "الأطراف المرتبطة بالطرف الثاني", "المكان",
                       "الدقة الجغرافية", "القتلى (التقدير الأرجح)", "القتلى (الحد الأدنى)", "القتلى (الحد الأعلى)",
                       "الجرحى", "استهداف المدنيين", "الملخص", "الاقتباس"]:
            assert arabic in labels
        for english in ["Date", "Date end", "Time precision", "Event type", "Sub event type", "Actor1", "Actor 1",
                        "Actor2", "Associated actors of actor 1", "Associated actors of actor 2", "Place",
                        "Geo precision", "Fatalities (best estimate)", "Fatalities low", "Fatalities high",
                        "Injured", "Civilian targeting", "Summary", "Quote", "In the article"]:
            assert english not in labels
    # The review box of an incident already saved: its workflow fields are shown, not edited.
    for arabic in ["الحالة", "المرمّز", "المراجع", "سبب الرفض", "النسخة", "تاريخ النشر", "تاريخ السحب من النشر",
                   "تاريخ الإنشاء", "تاريخ التحديث", "في المقال"]:
        assert arabic in labels
    for english in ["Status", "Coder", "Reviewer", "Rejection reason", "Version", "Published at", "Withdrawn at",
                    "Created at", "Updated at"]:
        assert english not in labels
    for english in ["When an approved incident was unpublished or merged.", ">in review<", "Show in the article text"]:
        assert english not in page
    assert "متى أُلغي نشر حادثة معتمدة أو دُمجت." in page
    assert "اعرضه في نص المقال" in page


def test_arabic_article_form_labels_choices_and_evidence_columns_in_arabic(reviewer_client):
    article = make_article()
    make_evidence(make_incident(status="in_review"), article=article)
    page = arabic_page(reviewer_client, "admin:incidents_article_change", article.pk)
    labels, headers = shown(LABEL, page), shown(HEADER, page)
    for arabic in ["حالة الترميز", "بصمة المحتوى", "تاريخ الإنشاء"]:
        assert arabic in labels
    for english in ["Coding status", "Content hash", "Created at"]:
        assert english not in labels
    for arabic in ["حادثة", "الاقتباس", "البداية", "النهاية", "في المقال"]:
        assert arabic in headers
    for english in ["Incident", "Quote", "Start", "End", "In the article"]:
        assert english not in headers
    # The coding-status choices: the values ACLED-style exports and filters use stay English.
    choices = dict(re.findall(r'<option value="(new|in_coding|coded|not_relevant)"[^>]*>([^<]*)</option>', page))
    assert choices == {"new": "جديد", "in_coding": "قيد الترميز", "coded": "مُرمَّز", "not_relevant": "غير ذي صلة"}


def test_english_admin_keeps_acleds_terms(reviewer_client):
    incident = make_incident(status="in_review")
    with translation.override("en-gb"):
        url = reverse("admin:incidents_incident_change", args=[incident.pk])
    page = reviewer_client.get(url).content.decode()
    labels = shown(LABEL, page)
    assert {"Event type", "Sub event type", "Actor 1", "Geo precision", "Fatalities (best estimate)", "Status",
            "Withdrawn at"} <= labels


def test_arabic_edit_and_accept_form_of_a_suggestion_labels_its_fields_in_arabic():
    """The suggestions page's "edit and accept" form (coding.assist.SuggestionForm)."""
    with translation.override("ar"):
        form = SuggestionForm(instance=Incident(status=Incident.Status.DRAFT), user=make_user())
        labels = {name: str(field.label) for name, field in form.fields.items()}
    assert labels["event_type"] == "نوع الحدث"
    assert labels["actor1"] == "الطرف الأول" and labels["actor2"] == "الطرف الثاني"
    assert labels["geo_precision"] == "الدقة الجغرافية"
    assert labels["fatalities"] == "القتلى (التقدير الأرجح)"
    assert labels["notes"] == "الملخص"
    assert not any(re.search("[A-Za-z]", label) for label in labels.values()), labels
