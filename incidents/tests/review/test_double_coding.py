"""Double coding in the workflow: coordinators mark articles (bad ids and percentages are refused with
the reason), two analysts code without seeing each other's incidents anywhere in the analysts' site,
nothing goes to review until both submitted and differences are settled, and the settled version is
what the four-eyes workflow publishes."""

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from incidents.coding.suggest.lexicon import Lexicon
from incidents.models import Actor, CodedUnit, DoubleCoding, Incident, Place
from incidents.review import double_coding as dc
from incidents.review import workflow
from incidents.tests.factories import make_article, make_user
from incidents.tests.review.double_coding_fixture import code, define_double_coding_groups, load

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]
S = Incident.Status
CODED = {"quote": "Clashes were reported", "date": "2017-10-01", "event_type": "Battles",
         "sub_event_type": "Armed clash", "actor1": "Islamic State (Syria)", "actor2": None, "location": "Hajin",
         "lon": 40.8289, "lat": 34.6939, "fatalities": 2}


@pytest.fixture
def people(db):
    define_double_coding_groups()
    return {"a": make_user("amira", group="Analyst"), "b": make_user("bashar", group="Analyst"),
            "coordinator": make_user("coord", group="Coordinator"), "reviewer": make_user("rev", group="Reviewer"),
            "reviewer2": make_user("rev2", group="Reviewer")}


@pytest.fixture
def marked(people):
    article = make_article(text="Clashes were reported near Hajin on Sunday; two fighters died.")
    return dc.mark_articles([article.pk], people["coordinator"])[0]


def test_only_coordinators_mark_and_bad_ids_are_named(people):
    article = make_article()
    with pytest.raises(dc.DoubleCodingError, match="Only coordinators"):
        dc.mark_articles([article.pk], people["a"])
    with pytest.raises(dc.DoubleCodingError, match="no article has id 999999"):
        dc.mark_articles([article.pk, 999999], people["coordinator"])
    assert not DoubleCoding.objects.exists()  # all or nothing
    with pytest.raises(dc.DoubleCodingError, match="Not article ids: 12x, -3"):
        dc.parse_article_ids("4, 12x, -3")


def test_an_article_already_coded_or_marked_is_refused(people, marked):
    with pytest.raises(dc.DoubleCodingError, match=f"already marked: {marked.article_id}"):
        dc.mark_articles([marked.article_id], people["coordinator"])
    coded_article = make_article()
    code(coded_article, people["a"], {**CODED, "quote": coded_article.text[:20]})
    with pytest.raises(dc.DoubleCodingError, match="already coded"):
        dc.mark_articles([coded_article.pk], people["coordinator"])


@pytest.mark.parametrize("percentage", ["0", "-5", "100.5", "abc", "nan", "inf"])
def test_a_percentage_out_of_range_is_refused(people, percentage):
    make_article()
    with pytest.raises(dc.DoubleCodingError, match="percentage above 0 and at most 100"):
        dc.mark_sample(percentage, people["coordinator"])


def test_a_sample_marks_that_share_of_the_articles_not_coded_yet(people):
    articles = [make_article() for _ in range(10)]
    made = dc.mark_sample("30", people["coordinator"], seed=1)
    assert len(made) == 3 and {c.article_id for c in made} <= {a.pk for a in articles}


def test_the_mark_form_names_the_bad_field(client, people):
    client.force_login(people["coordinator"])
    response = client.post(reverse("work-double-coding-mark"), {"article_ids": "", "percentage": "150"})
    assert response.status_code == 400
    assert "out of range" in response.context["form"].errors["percentage"][0]
    response = client.post(reverse("work-double-coding-mark"), {"article_ids": "424242", "percentage": ""})
    assert response.status_code == 400 and "no article has id 424242" in response.content.decode()
    client.force_login(people["a"])
    assert client.post(reverse("work-double-coding-mark"), {"percentage": "10"}).status_code == 403


def test_coders_do_not_see_each_other_until_both_submitted(client, people, marked):
    article = marked.article
    theirs = code(article, people["b"], CODED)
    mine = code(article, people["a"], {**CODED, "fatalities": 3})
    client.force_login(people["a"])
    pages = {
        "changelist": reverse("admin:incidents_incident_changelist"),
        "article page (coding screen, evidence rows)": reverse("admin:incidents_article_change", args=[article.pk]),
        "evidence list": reverse("admin:incidents_evidence_changelist"),
        "suggestions": reverse("assist-suggestions", args=[article.pk]),
        "duplicates of my incident": reverse("assist-duplicates", args=[mine.pk]),
        "my work": reverse("work-mine"),
    }
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert f"/incident/{theirs.pk}/" not in response.content.decode(), name
        assert f"#{theirs.pk}" not in response.content.decode(), name
    for url in [reverse("admin:incidents_incident_change", args=[theirs.pk]),
                reverse("admin:incidents_incident_history", args=[theirs.pk]),
                reverse("assist-duplicates", args=[theirs.pk])]:
        assert client.get(url).status_code in (302, 403, 404), url
    # Its history answers as a missing id's does: a 403 told a hidden incident from one that does not exist.
    missing = Incident.objects.order_by("-pk").first().pk + 1000
    assert client.get(reverse("admin:incidents_incident_history", args=[missing])).status_code == 404
    assert client.get(reverse("admin:incidents_incident_history", args=[theirs.pk])).status_code == 404
    version = theirs.history.latest("history_date").history_id
    assert client.get(reverse("admin:incidents_incident_simple_history", args=[theirs.pk, version])).status_code == 404
    # The incident autocomplete (evidence's incident field) does not offer it either.
    found = client.get("/admin/autocomplete/", {"app_label": "incidents", "model_name": "evidence",
                                                "field_name": "incident", "term": ""}).json()["results"]
    assert str(mine.pk) in {r["id"] for r in found} and str(theirs.pk) not in {r["id"] for r in found}
    evidence = theirs.evidence.get()
    assert client.get(reverse("admin:incidents_evidence_change", args=[evidence.pk])).status_code in (302, 404)
    assert client.get(reverse("admin:incidents_evidence_history", args=[evidence.pk])).status_code == 404
    # Reviewers do not see either coding before both are in (one of them could become the second coder).
    client.force_login(people["reviewer"])
    assert f"/incident/{theirs.pk}/" not in client.get(pages["changelist"]).content.decode()
    dc.submit_coding(marked, people["a"])
    client.force_login(people["a"])
    assert f"/incident/{theirs.pk}/" not in client.get(pages["changelist"]).content.decode()
    dc.submit_coding(marked, people["b"])
    assert f"/incident/{theirs.pk}/" in client.get(pages["changelist"]).content.decode()


def test_nothing_goes_to_review_before_settling(people, marked):
    mine = code(marked.article, people["a"], CODED)
    with pytest.raises(workflow.WorkflowError, match="being double-coded"):
        workflow.apply("submit", mine, people["a"])
    dc.submit_coding(marked, people["a"])
    with pytest.raises(dc.DoubleCodingError, match="already submitted"):
        dc.submit_coding(marked, people["a"])
    with pytest.raises(workflow.WorkflowError, match="being double-coded"):
        workflow.apply("submit", mine, people["a"])


def test_agreement_sends_a_to_review_and_a_disagreement_waits_for_a_reviewer(people, marked):
    a_incident = code(marked.article, people["a"], CODED)
    b_incident = code(marked.article, people["b"], {**CODED, "fatalities": 5})
    dc.submit_coding(marked, people["a"])
    coding = dc.submit_coding(marked, people["b"])
    unit = coding.units.get()
    assert unit.differences == ["fatalities"] and unit.chosen == CodedUnit.Choice.OPEN
    a_incident.refresh_from_db()
    assert a_incident.status == S.DRAFT
    with pytest.raises(dc.DoubleCodingError, match="you coded|You coded"):
        dc.settle(unit, "b", make_user_in_group_and_coder(people, coding))
    with pytest.raises(dc.DoubleCodingError, match="Only reviewers"):
        dc.settle(unit, "b", people["coordinator"])
    with pytest.raises(dc.DoubleCodingError, match="not a choice"):
        dc.settle(unit, "c", people["reviewer"])
    dc.settle(unit, "b", people["reviewer"])
    b_incident.refresh_from_db()
    a_incident.refresh_from_db()
    assert b_incident.status == S.IN_REVIEW and a_incident.merged_into_id == b_incident.pk
    with pytest.raises(workflow.WorkflowError, match="not chosen"):
        workflow.apply("submit", a_incident, people["a"])
    # The chosen version is published only by a reviewer who did not code it (four-eyes).
    people["b"].groups.add(people["reviewer"].groups.first())
    with pytest.raises(workflow.WorkflowError, match="four-eyes"):
        workflow.apply("approve", b_incident, type(people["b"]).objects.get(pk=people["b"].pk))
    # Nor by the reviewer who settled: choosing B's fatalities over A's is a decision on content.
    with pytest.raises(workflow.WorkflowError, match="four-eyes"):
        workflow.apply("approve", b_incident, people["reviewer"])
    assert b_incident not in workflow.reviewable_by(people["reviewer"])
    assert b_incident in workflow.reviewable_by(people["reviewer2"])
    workflow.apply("approve", b_incident, people["reviewer2"])
    assert list(Incident.objects.published().filter(pk__in=[a_incident.pk, b_incident.pk])) == [b_incident]
    with pytest.raises(dc.DoubleCodingError, match="already settled"):
        dc.settle(unit, "a", people["reviewer2"])


def make_user_in_group_and_coder(people, coding):
    """Coder A given the reviewer role too: still may not settle the article they coded."""
    coder = coding.coder_a
    coder.groups.add(people["reviewer"].groups.first())
    return type(coder).objects.get(pk=coder.pk)


def test_a_full_agreement_goes_straight_to_review_and_the_empty_article_needs_nothing(db):
    define_double_coding_groups()
    codings = load()
    hajin = codings["quiet"].units.get()
    assert hajin.coded_a is None and hajin.coded_b is None and hajin.chosen == CodedUnit.Choice.NONE
    # No fixture pair agrees on every field: every one waits for a reviewer, none is in review.
    assert CodedUnit.objects.filter(chosen=CodedUnit.Choice.OPEN).count() == 5
    assert not Incident.objects.filter(status=S.IN_REVIEW).exists()


def test_agreed_unit_is_submitted_as_coder_as_work(people, marked):
    code(marked.article, people["a"], CODED)
    code(marked.article, people["b"], {**CODED, "location": "Hajin town"})
    dc.submit_coding(marked, people["a"])
    unit = dc.submit_coding(marked, people["b"]).units.get()
    assert unit.chosen == CodedUnit.Choice.A and unit.settled_by is None
    assert unit.incident_a.status == S.IN_REVIEW and unit.incident_b.merged_into_id == unit.incident_a_id
    assert unit.incident_a.pk in workflow.reviewable_by(people["reviewer"]).values_list("pk", flat=True)


def test_a_third_analyst_cannot_submit_a_coding(people, marked):
    dc.submit_coding(marked, people["a"])
    dc.submit_coding(marked, people["b"])
    with pytest.raises(dc.DoubleCodingError, match="Two analysts have already"):
        dc.submit_coding(marked, make_user("third", group="Analyst"))


def test_the_pages_answer_each_role(client, people, marked):
    code(marked.article, people["a"], CODED)
    client.force_login(people["a"])
    page = client.get(reverse("work-double-coding")).content.decode()
    assert "Submit my coding (1 incident)" in page
    client.post(reverse("work-double-coding-submit", args=[marked.pk]))
    assert DoubleCoding.objects.get(pk=marked.pk).coder_a == people["a"]
    assert client.get(reverse("work-double-coding-settle", args=[marked.pk])).status_code == 403
    client.force_login(people["b"])
    client.post(reverse("work-double-coding-submit", args=[marked.pk]))  # found nothing
    client.force_login(people["reviewer"])
    page = client.get(reverse("work-double-coding")).content.decode()
    assert "Settle the differences" in page
    settle_url = reverse("work-double-coding-settle", args=[marked.pk])
    assert "Only coder A coded this incident" in client.get(settle_url).content.decode()
    unit = CodedUnit.objects.get(double_coding=marked)
    client.post(settle_url, {"unit": unit.pk, "choice": "none"})
    unit.refresh_from_db()
    assert unit.chosen == CodedUnit.Choice.NONE and unit.settled_by == people["reviewer"]
    response = client.post(settle_url, {"unit": "x", "choice": "a"}, follow=True)
    assert "Choose a difference to settle" in response.content.decode()


def autocomplete(client, field_name, term):
    found = client.get("/admin/autocomplete/", {"app_label": "incidents", "model_name": "incident",
                                                "field_name": field_name, "term": term})
    assert found.status_code == 200, found.content
    return {r["text"] for r in found.json()["results"]}


def test_a_new_actor_or_place_of_one_coder_is_not_offered_to_the_other(client, people, marked):
    # Found by an attacker session: B's new actor showed in A's actor autocomplete, telling A what B coded.
    # (Analysts add actors; places only where a deployment lets them, as here.)
    people["b"].user_permissions.add(Permission.objects.get(codename="add_place"))
    client.force_login(people["b"])
    added = client.post(reverse("admin:incidents_actor_add"), {"name": "Jaysh al-Tayyib", "category": "2",
                                                                "aliases": "", "parent": ""})
    assert added.status_code == 302, added.content.decode()[:2000]
    added = client.post(reverse("admin:incidents_place_add"), {
        "name": "Tall Zuhur", "name_ar": "", "variants": "", "kind": "town", "geo_precision": "1",
        "point": '{"type": "Point", "coordinates": [40.5, 35.0]}', "admin1": "", "admin2": ""})
    assert added.status_code == 302, added.content.decode()[:2000]
    place = Place.objects.get(name="Tall Zuhur")
    actor = Actor.objects.get(name="Jaysh al-Tayyib")
    theirs = code(marked.article, people["b"], {**CODED, "actor1": "Jaysh al-Tayyib"})
    theirs.place = place
    theirs.save()
    assert autocomplete(client, "actor1", "Jaysh") == {"Jaysh al-Tayyib"}  # its author sees it
    call_command("load_coding_dictionaries", stdout=open("/dev/null", "w"))  # so the article gets suggestions
    suggestions = reverse("assist-suggestions", args=[marked.article.pk])
    assert ">Jaysh al-Tayyib</option>" in client.get(suggestions).content.decode()
    # The coding screen's suggestions know it for B only.
    assert "Jaysh al-Tayyib" in {actor.name for actor in Lexicon.load(people["b"]).actors.actors}
    assert "Jaysh al-Tayyib" not in {actor.name for actor in Lexicon.load(people["a"]).actors.actors}
    assert "Tall Zuhur" not in {place.name for place in Lexicon.load(people["a"]).places.places}
    for who in ("a", "reviewer"):
        client = Client()  # B's "was added" messages stay with B's browser
        client.force_login(people[who])
        assert autocomplete(client, "actor1", "Jaysh") == set(), who
        assert autocomplete(client, "place", "Zuhur") == set(), who
        # Nor in the suggestion forms' actor and place lists (found by an attacker session).
        page = client.get(suggestions).content.decode()
        assert "</option>" in page and "Jaysh al-Tayyib" not in page and "Tall Zuhur" not in page, who
        assert "Jaysh al-Tayyib" not in client.get(reverse("admin:incidents_actor_changelist")).content.decode()
        assert client.get(reverse("admin:incidents_place_facts", args=[place.pk])).status_code == 404
        assert client.get(reverse("admin:incidents_place_history", args=[place.pk])).status_code == 404
        # Its id posted by hand is no valid choice, and its name is not shown back (second attacker session).
        form = client.post(reverse("admin:incidents_incident_add"), {"actor1": actor.pk, "place": place.pk})
        page = form.content.decode()
        assert "Jaysh al-Tayyib" not in page and "Tall Zuhur" not in page, who
    # Once both codings are in, the actor is offered to everyone.
    code(marked.article, people["a"], CODED)
    dc.submit_coding(marked, people["a"])
    dc.submit_coding(marked, people["b"])
    client.force_login(people["a"])
    assert autocomplete(client, "actor1", "Jaysh") == {"Jaysh al-Tayyib"}
    assert client.get(reverse("admin:incidents_place_facts", args=[place.pk])).json()["name"] == "Tall Zuhur"
