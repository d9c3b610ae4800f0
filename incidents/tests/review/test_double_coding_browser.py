"""Two analysts double-code the fixture's articles in Chromium without seeing each other's work, submit
their codings, and the agreement page shows the figures computed by hand (test_agreement.py)."""

from urllib.parse import quote

import pytest

from incidents.models import DoubleCoding
from incidents.tests.browser import BROWSER, offline_page, screenshot
from incidents.tests.factories import make_user
from incidents.tests.review.double_coding_fixture import define_double_coding_groups, load

pytestmark = [*BROWSER, pytest.mark.usefixtures("fast_passwords")]
CHANGELIST = "/admin/incidents/incident/"


def logged_in(browser, live_server, username, path, width=1366):
    page = offline_page(browser, width=width)
    page.goto(f"{live_server.url}/admin/login/?next={quote(path)}")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-for-tests-only")
    page.click("input[type=submit]")
    page.wait_for_url(lambda url: url.endswith(path))
    return page


def own_and_others(user, codings):
    """Ids of `user`'s incidents from the fixture's articles, and of the other coder's."""
    from incidents.models import Incident

    ids = Incident.objects.filter(evidence__article__in=[c.article_id for c in codings.values()])
    return (set(ids.filter(coder=user).values_list("pk", flat=True)),
            set(ids.exclude(coder=user).values_list("pk", flat=True)))


def shown_incident_ids(page):
    hrefs = page.eval_on_selector_all("#result_list a[href*='/incident/']", "els => els.map(e => e.href)")
    return {int(h.rstrip("/").split("/")[-2]) for h in hrefs if "/change/" in h}


def test_two_analysts_double_code_blind_and_the_page_shows_the_agreement(browser, live_server):
    define_double_coding_groups()
    amira, bashar = make_user("amira", group="Analyst"), make_user("bashar", group="Analyst")
    make_user("rania", group="Reviewer")
    codings = load(coder_a=amira, coder_b=bashar, submit=False)
    for coder in (amira, bashar):
        own, others = own_and_others(coder, codings)
        page = logged_in(browser, live_server, coder.username, CHANGELIST)
        # The incident list shows my coding only.
        assert shown_incident_ids(page) == own
        # The article's page (coding screen and evidence rows) shows no quote of the other coder's.
        article = codings["city"].article
        page.goto(f"{live_server.url}/admin/incidents/article/{article.pk}/change/")
        body = page.content()
        assert not any(f"/incident/{pk}/" in body for pk in others)
        # Opening the other's incident by its address finds nothing.
        response = page.goto(f"{live_server.url}/admin/incidents/incident/{min(others)}/change/")
        assert "/incident/%d/change/" % min(others) not in page.url or response.status in (302, 404)
        # Submit every coding from the double coding page (A first, so A is coder A, as in the fixture).
        page.goto(f"{live_server.url}/work/double-coding/")
        screenshot(page, f"double-coding-list-{coder.username}")
        while page.locator("button.submit-coding").count():
            page.locator("button.submit-coding").first.click()
            page.wait_for_load_state()
        assert page.errors == []
        page.context.close()
    assert DoubleCoding.objects.filter(compared_at__isnull=False).count() == 5
    page = logged_in(browser, live_server, "rania", "/work/agreement/")
    overall = page.locator("table.agreement-overall")
    figures = {row.get_attribute("data-field"): (row.locator(".alpha").inner_text(),
                                                 row.locator(".units").inner_text())
               for row in overall.locator("tbody tr").all()}
    assert figures == {"found": ("0.593", "6"), "event_type": ("0.588", "4"), "sub_event_type": ("0.222", "4"),
                       "actors": ("0.417", "4"), "place": ("0.720", "4"), "date": ("0.720", "4"),
                       "fatalities": ("0.281", "4")}
    assert page.locator("table.agreement-pair").get_attribute("data-group") == "amira & bashar"
    screenshot(page, "agreement-1366")
    assert page.errors == []
    phone = logged_in(browser, live_server, "rania", "/work/agreement/", width=390)
    screenshot(phone, "agreement-390")
    # Now the reviewer sees both codings and settles the differences.
    page.goto(f"{live_server.url}/work/double-coding/{codings['city'].pk}/settle/")
    screenshot(page, "agreement-settle-1366")
    page.locator("button[value=b]").first.click()
    page.wait_for_load_state()
    assert "Settled:" in page.content()
    assert page.errors == []
