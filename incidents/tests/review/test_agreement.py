"""Inter-coder agreement on the project's own fixture (fixtures/double_coding/articles.json), checked
against figures computed by hand; the page and `manage.py agreement` show the same table.

The fixture gives six units (docs/AGREEMENT.md has the same working):
    hajin      pair  Battles/Armed clash both; {SDF, IS} both (sides swapped); 2.0 km apart; same day; 3 vs 4
    mayadin    pair  Explosions both; Air/drone strike vs Shelling; {Russia, Civilians} vs {Russia};
                     same point; 5 vs 6 Oct (1 day); 5 vs 5
    abu-kamal  pair  Battles/Armed clash both; {Syria, IS} both; same point; 10 vs 13 Oct; 2 vs 2
    abu-kamal  lone  only A coded the execution (Violence against civilians)
    quiet      none  neither coded an incident
    city       pair  Battles/Armed clash vs Violence against civilians/Attack; {SDF, IS} vs {IS, Civilians};
                     20 km apart; same day; 0 vs 1

Krippendorff's alpha with two coders and no missing values (Krippendorff 2011, eq. for α):
    α = 1 − (n − 1) · Σ_u 2·δ(a_u, b_u) / Σ_{i≠j} δ(v_i, v_j), n = number of values (2 per unit).
Found (nominal, 6 units, n = 12): values 1 ×9, 0 ×3; one disagreeing unit (lone) → Σ_u 2δ = 2;
    Σ_{i≠j} δ = 2·9·3 = 54; α = 1 − 11·2/54 = 32/54 = 0.592593.
Event type (nominal, 4 pairs, n = 8): Battles ×5, Explosions ×2, VAC ×1; one disagreement (city);
    Σ_{i≠j} δ = 8² − (25 + 4 + 1) = 34; α = 1 − 7·2/34 = 20/34 = 0.588235.
Sub-event type: Armed clash ×5, Air ×1, Shelling ×1, Attack ×1; two disagreements (mayadin, city);
    Σ_{i≠j} δ = 64 − 28 = 36; α = 1 − 7·4/36 = 8/36 = 0.222222.
Actors: {IS, SDF} ×3, {IS, Syria} ×2, {Civ, Russia}, {Russia}, {Civ, IS}; two disagreements;
    Σ_{i≠j} δ = 64 − (9 + 4 + 1 + 1 + 1) = 48; α = 1 − 7·4/48 = 20/48 = 0.416667.
Date within 1 day (δ = 0 if |Δ| ≤ 1 day): days 1, 1, 5, 6, 10, 13, 20, 20; of the 28 pairs of values
    only (1,1), (5,6), (20,20) agree → Σ_{i≠j} δ = 2·25 = 50; one disagreeing unit (abu-kamal);
    α = 1 − 7·2/50 = 36/50 = 0.72.
Place within 5 km: the same shape (the pairs of hajin, mayadin and abu-kamal agree, all other points
    are more than 5 km apart, city disagrees) → α = 0.72.
Fatalities (ratio, δ = ((c − k)/(c + k))²): values 3, 4, 5, 5, 2, 2, 0, 1; Σ_u 2δ = 2·(1/49 + 1) = 2.040816;
    Σ_{i≠j} δ = 2 · 9.928126 = 19.856252 (0 against each of the 7 others: 7; 1 against 2, 2, 3, 4, 5, 5:
    2/9 + 1/4 + 9/25 + 8/9; 2, 2 against 3, 4, 5, 5: 2/25 + 2/9 + 36/49; 3 against 4, 5, 5: 1/49 + 2/16;
    4 against 5, 5: 2/81) → α = 1 − 7·2.040816/19.856252 = 0.280543.
"""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from incidents.review.agreement import agreement_table
from incidents.tests.factories import make_user
from incidents.tests.review.double_coding_fixture import define_double_coding_groups, load

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

BY_HAND = {"found": (32 / 54, 6), "event_type": (20 / 34, 4), "sub_event_type": (8 / 36, 4),
           "actors": (20 / 48, 4), "date": (36 / 50, 4), "place": (36 / 50, 4), "fatalities": (0.280543, 4)}
AGREEING = {"found": 5, "event_type": 3, "sub_event_type": 2, "actors": 2, "date": 3, "place": 3, "fatalities": 2}


@pytest.fixture
def coded(db):
    define_double_coding_groups()
    return load()


def test_the_fixture_gives_the_alphas_computed_by_hand(coded):
    table = agreement_table()
    figures = {f.field: f for f in table["overall"]}
    for field, (alpha, units) in BY_HAND.items():
        assert figures[field].alpha == pytest.approx(alpha, abs=1e-6), field
        assert figures[field].units == units, field
        assert figures[field].agreement == pytest.approx(AGREEING[field] / units), field
    # One coder pair, one month: the same figures again.
    assert [label for label, _ in table["pairs"]] == ["coder-a & coder-b"]
    assert len(table["months"]) == 1
    assert [f.alpha for f in table["pairs"][0][1]] == [f.alpha for f in table["overall"]]


def test_wider_tolerances_change_place_and_date_only(coded):
    figures = {f.field: f for f in agreement_table(km=25, days=3)["overall"]}
    # Every pair now agrees on place and date, but values still vary: alpha 1.
    assert figures["place"].alpha == pytest.approx(1.0) and figures["date"].alpha == pytest.approx(1.0)
    assert figures["event_type"].alpha == pytest.approx(20 / 34)


def test_the_page_shows_each_figure_with_its_units(client, coded):
    reviewer = make_user("rev", group="Reviewer")
    client.force_login(reviewer)
    page = client.get(reverse("work-agreement")).content.decode()
    assert "0.588" in page and "0.593" in page and "0.222" in page and "0.417" in page and "0.720" in page
    assert "coder-a &amp; coder-b" in page


def test_the_command_prints_the_same_table(coded, capsys):
    call_command("agreement")
    out = capsys.readouterr().out
    assert "Event type" in out and "α  0.588" in out and "units 4" in out and "units 6" in out
    assert "coder-a & coder-b" in out


def test_agreement_needs_login_and_permission(client, coded):
    url = reverse("work-agreement")
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(make_user("plain-analyst", group="Analyst"))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("query, name", [({"km": "-1"}, "km"), ({"km": "ten"}, "km"), ({"days": "400"}, "days")])
def test_bad_tolerances_are_a_400_naming_the_parameter(client, coded, query, name):
    client.force_login(make_user("rev2", group="Reviewer"))
    response = client.get(reverse("work-agreement"), query)
    assert response.status_code == 400 and name in response.json()["parameters"]


@pytest.mark.parametrize("args", [["--km", "-3"], ["--days", "999"]])
def test_bad_command_tolerances_are_refused(db, args):
    with pytest.raises(CommandError, match="out of range"):
        call_command("agreement", *args)


def test_no_double_coding_yet_gives_undefined_figures_not_an_error(db, capsys):
    call_command("agreement")
    assert "units 0" in capsys.readouterr().out
