"""The learned gazetteer (issue 14, fifth round): which place a note names, and when it stays unknown."""

from incidents.coding.suggest.gazetteer import Gazetteer


def _gazetteer(*rows):
    gazetteer = Gazetteer()
    for name, lon, lat, admin1 in rows:
        gazetteer.add(name, lon, lat, admin1, ref="a coded note")
    return gazetteer


def test_a_look_alike_in_another_governorate_than_the_note_names_is_not_taken():
    gazetteer = _gazetteer(("Al Mayadin", 40.45, 35.02, "Deir ez Zor"), ("Quneitra", 35.82, 33.13, "Quneitra"))
    # "Momtaneh" has Al Mayadin's consonants (m-t-n once d is read as t), but the note is about Quneitra.
    entry, _, reasons = gazetteer.choose("Unknown gunmen shot and injured a regime member in Momtaneh in Quneitra.")
    assert entry is None or entry.name == "Quneitra", reasons
    # In a note about Deir ez-Zor the same look-alike spelling is still read as Al Mayadin.
    entry, _, reasons = gazetteer.choose("Unknown gunmen shot and injured a regime member in Mayadeen in Deir ez-Zor.")
    assert entry.name == "Al Mayadin", reasons


def test_a_look_alike_with_other_vowels_is_another_village():
    gazetteer = _gazetteer(("Hajin", 40.83, 34.69, "Deir ez Zor"), ("Dhiban", 40.52, 35.01, "Deir ez Zor"))
    entry, _, _ = gazetteer.choose("Gunmen opened fire at 2 QSD vehicles in Hejneh in Deir-ez-Zor.")
    assert entry is None or entry.name != "Hajin"
    entry, _, _ = gazetteer.choose("Gunmen opened fire at 2 QSD vehicles in Hajeen in Deir-ez-Zor.")
    assert entry.name == "Hajin"
    entry, _, _ = gazetteer.choose("Clashes took place in the village of Thiban in Deir-ez-Zor.")
    assert entry.name == "Dhiban"


def test_a_curated_namesake_far_away_does_not_move_the_coders_point():
    gazetteer = _gazetteer(("Al Sabkhah", 40.25, 35.16, "Deir ez Zor"))
    gazetteer.add("As Sabkhah", 39.26, 35.81, "Al-Raqqa", place_id=7, chosen=False)  # GeoNames, in Raqqa
    gazetteer.add("Al Sabkhah", 40.26, 35.17, "Deir Ez-Zor", place_id=8, chosen=False)  # the same village
    entry, _, _ = gazetteer.choose("Gunmen shot a QSD fighter in Al Sabkhah town in Deir-ez-Zor countryside.")
    assert (entry.lon, entry.lat, entry.place_id) == (40.25, 35.16, 8)


def test_notes_name_acled_locations_without_the_governorate_and_in_arabic_word_order():
    gazetteer = _gazetteer(("Bishri Mountain - Deir-ez-Zor", 39.6, 35.3, "Deir ez Zor"),
                           ("Eastern Jurdi", 40.47, 35.0, "Deir ez Zor"), ("Dar'a - Al-Sad", 36.11, 32.61, "Dara"))
    entry, _, _ = gazetteer.choose("IS ambushed a convoy in the Bishri Mountain area in Deir-ez-Zor.")
    assert entry.name == "Bishri Mountain - Deir-ez-Zor"
    entry, _, _ = gazetteer.choose("Unknown gunmen shot a QSD fighter in Jurdi al-Sharqi town in Deir-ez-Zor.")
    assert entry.name == "Eastern Jurdi"
    entry, _, _ = gazetteer.choose("Unknown gunmen attacked a QSD checkpoint in Jurdi town in Deir-ez-Zor.")
    assert entry.name == "Eastern Jurdi"
    # "Dar'a - Al-Sad" is a district of the city: the city's name alone is not that district.
    entry, _, _ = gazetteer.choose("Clashes took place in Dar'a.")
    assert entry is None or entry.name != "Dar'a - Al-Sad"


def test_how_often_the_coders_chose_a_place_is_never_more_than_certain():
    gazetteer = _gazetteer(*[("Al Sabkhah", 40.25, 35.16, "Deir ez Zor")] * 5)
    gazetteer.count_seen(["Gunmen attacked Sabkha village."])  # spelled so that the exact name is not seen
    assert gazetteer.entries["sabkhah"].prior < 1
