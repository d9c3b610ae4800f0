"""Learned aliases on the actor's admin page (issue 14): shown with support and precision, added to the
aliases only through the normal change form, rejected so that neither the model already trained nor
the next training uses them for that actor."""

import datetime
import io
import re
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.urls import reverse

from incidents.coding.suggest.actor_forms import CONNECTIVES, NOT_LAST, ActorForms
from incidents.coding.suggest.learned import Example, current_model
from incidents.models import Actor, Incident, ProposedChange, RejectedActorForm
from incidents.review.proposals import approve
from incidents.tests.browser import browser_test, offline_page
from incidents.tests.coding.test_learned import model_dir  # noqa: F401 (fixture)
from incidents.tests.factories import (
    make_actor, make_article, make_evidence, make_incident, make_user, make_user_with)

pytestmark = pytest.mark.django_db

TEXT = "Valley Lions fighters clashed with Hill Guard militants near the river."


def learned_fvb_form(model):
    """A form the model learned for the Free Valley Brigade that the test text says."""
    said = {m.form.surface for m in model.forms.mentions(TEXT)}
    forms = [f for f in model.forms.of_actor("Free Valley Brigade") if f.surface in said]
    assert forms, "the fixture's model should read the Valley Lions as the Free Valley Brigade"
    return forms[0]


def code_three_actors():
    """24 approved coded incidents in which each actor has words of its own ("Valley Lions" for the
    Free Valley Brigade); returns the three actors."""
    fvb, guard, tribe = (make_actor("Free Valley Brigade", aliases=["FVB"]), make_actor("Hill Guard Militia"),
                         make_actor("River Tribe Forces"))
    said = {fvb: "Valley Lions", guard: "Hill Guard", tribe: "River Tribesmen"}
    for n in range(24):
        first, second = [(fvb, guard), (tribe, guard), (fvb, tribe)][n % 3]
        text = f"{said[first]} fighters clashed with {said[second]} near Qaryat Zayn, report number {n}."
        incident = make_incident(actor1=first, actor2=second, date=datetime.date(2020, 1, 1 + n))
        make_evidence(incident, make_article(text), text)
    return fvb, guard, tribe


@pytest.fixture
def trained(model_dir):  # noqa: F811 (fixture)
    """code_three_actors() and a model trained on them."""
    actors = code_three_actors()
    call_command("train_suggestions", stdout=io.StringIO())
    return actors


def page_of(client, actor):
    return client.get(reverse("admin:incidents_actor_change", args=[actor.pk])).content.decode()


def test_the_actor_page_lists_learned_forms_with_support_and_precision(client, trained, roles):
    rebels = trained[0]
    form = learned_fvb_form(current_model())
    client.force_login(make_user("rev", group="Reviewer"))
    page = page_of(client, rebels)
    assert 'id="learned-forms"' in page and current_model().version in page
    row = re.search(rf"<tr><td><bdi dir=\"auto\">{re.escape(form.surface)}</bdi></td><td>(\d+)</td>\s*<td>(\d+)%",
                    page)
    assert row and int(row[1]) == form.support and int(row[2]) == round(form.precision * 100)
    # A reviewer may change this public actor: the button fills the form's Aliases field (nothing saved).
    assert f'data-alias="{form.surface}"' in page and 'name="aliases"' in page
    assert Actor.objects.get(pk=rebels.pk).aliases == ["FVB"]
    arabic = client.get("/ar" + reverse("admin:incidents_actor_change", args=[rebels.pk])).content.decode()
    assert "الأسماء التي تعلّمها النموذج لهذا الفاعل" in arabic and "أضف إلى الأسماء الأخرى" in arabic


def test_an_analyst_sees_the_forms_of_a_public_actor_with_the_add_button_and_may_reject(client, trained, roles):
    # An analyst's save of a public actor is a proposal a second reviewer decides (review.proposals), so
    # the button that fills the form is offered to analysts too.
    rebels = trained[0]
    client.force_login(make_user("ana", group="Analyst"))
    page = page_of(client, rebels)
    assert 'id="learned-forms"' in page and "add-learned-alias" in page and 'value="reject"' in page


def test_a_form_already_an_alias_is_marked_so(client, trained, roles):
    rebels = trained[0]
    form = learned_fvb_form(current_model())
    Actor.objects.filter(pk=rebels.pk).update(aliases=[form.surface.upper()])
    client.force_login(make_user("rev", group="Reviewer"))
    assert f'data-alias="{form.surface}"' not in page_of(client, rebels)


def test_a_rejected_form_is_no_longer_suggested_now_nor_learned_again(client, trained, roles):
    rebels = trained[0]
    form = learned_fvb_form(current_model())
    assert any(m.form.surface == form.surface for m in current_model().forms.mentions(TEXT, current_model().rejected))
    client.force_login(make_user("ana", group="Analyst"))
    url = reverse("admin:incidents_actor_learned_form", args=[rebels.pk])
    assert client.get(url).status_code == 405  # never by a link
    response = client.post(url, {"surface": form.surface, "action": "reject"})
    assert response.status_code == 302 and response["Location"].endswith("#learned-forms")
    assert RejectedActorForm.objects.filter(actor=rebels, surface=form.surface).exists()
    # The model already trained leaves it out from the next page on...
    model = current_model()
    assert not any(m.form.surface == form.surface for m in model.forms.mentions(TEXT, model.rejected))
    assert not any(f"“{form.surface}” is a learned form" in r for r in model.predict_all(TEXT)["actor1"].reasons)
    # ...the actor's page lists it as rejected, with the way back...
    page = page_of(client, rebels)
    assert f'data-alias="{form.surface}"' not in page and 'value="restore"' in page
    # ...and the next training does not learn it for that actor, nor lists it.
    call_command("train_suggestions", stdout=io.StringIO())
    assert form.surface not in {f.surface for f in current_model().forms.of_actor("Free Valley Brigade")}
    out = io.StringIO()
    call_command("train_suggestions", "--aliases", stdout=out)
    assert f"“{form.surface}”" not in out.getvalue().split("Free Valley Brigade:")[-1].split("\n")[0]
    # Restoring removes the rejection.
    client.post(url, {"surface": form.surface, "action": "restore"})
    assert not RejectedActorForm.objects.exists()


def test_rejecting_needs_the_actor_change_permission_and_a_visible_actor(client, trained):
    rebels = trained[0]
    url = reverse("admin:incidents_actor_learned_form", args=[rebels.pk])
    client.force_login(make_user_with("view_actor"))
    assert client.post(url, {"surface": "fvb", "action": "reject"}).status_code == 403
    page = page_of(client, rebels)
    assert 'id="learned-forms"' in page and 'value="reject"' not in page  # no button that would be refused
    client.force_login(make_user_with("view_actor", "change_actor"))
    missing = reverse("admin:incidents_actor_learned_form", args=[Actor.objects.order_by("pk").last().pk + 1])
    assert client.post(missing, {"surface": "fvb", "action": "reject"}).status_code == 404
    assert not RejectedActorForm.objects.exists()


def test_no_panel_without_a_trained_model(client, model_dir, roles):  # noqa: F811 (fixture)
    client.force_login(make_user("rev", group="Reviewer"))
    assert 'id="learned-forms"' not in page_of(client, make_actor("Free Valley Brigade"))


@browser_test
def test_add_to_aliases_fills_the_field_and_the_normal_save_stores_it(browser, live_server, trained, roles):
    rebels = trained[0]
    form = learned_fvb_form(current_model())
    make_user("rev", group="Reviewer")
    path = reverse("admin:incidents_actor_change", args=[rebels.pk])
    page = offline_page(browser)
    page.goto(f"{live_server.url}/admin/login/?next={quote(path)}")
    page.fill("#id_username", "rev")
    page.fill("#id_password", "pw-for-tests-only")
    page.click("input[type=submit]")
    page.wait_for_url(lambda url: url.endswith(path))
    page.click(f".add-learned-alias[data-alias='{form.surface}']")
    assert page.input_value("#id_aliases") == f"FVB, {form.surface}"
    assert Actor.objects.get(pk=rebels.pk).aliases == ["FVB"]  # nothing saved by the button
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist li")
    # The actor is public: the save is a proposal, and the aliases change once a second reviewer approves.
    assert Actor.objects.get(pk=rebels.pk).aliases == ["FVB"]
    proposal = ProposedChange.objects.get(object_id=rebels.pk, status=ProposedChange.Status.PENDING)
    approve(proposal, make_user("rev2", group="Reviewer"))
    assert Actor.objects.get(pk=rebels.pk).aliases == ["FVB", form.surface]
    assert Incident.objects.filter(actor1=rebels).exists()
    assert page.errors == []


def test_a_learned_form_never_opens_with_a_connective_nor_ends_with_an_article():
    # "and pro" (from "QDW and pro-Iran militias") and "wadi al" were learned as forms of the Syrian army.
    lions = [Example(text=f"Lions Brigade and pro-army men shelled Wadi al Hamra village {n} and Tell Ahmar.",
                     date=datetime.date(2020, 1, 1), event_type="Battles", sub_event_type="Armed clash",
                     actor1="Lions Brigade") for n in range(6)]
    rivals = [Example(text=f"Pro-rebel Rivals and allies raided Tell Hamra {n}.", date=datetime.date(2020, 1, 1),
                      event_type="Battles", sub_event_type="Armed clash", actor1="Rival Group") for n in range(6)]
    forms = ActorForms(lions + rivals).forms
    assert forms["lions"].actor == "Lions Brigade" and forms["Rivals".casefold()].actor == "Rival Group"
    assert not any(s.split()[0] in CONNECTIVES or s.split()[-1] in NOT_LAST for s in forms), sorted(forms)
