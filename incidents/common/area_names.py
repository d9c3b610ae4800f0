"""Other spellings of Syria's governorates and districts, by UNHCR p-code; ACLED's spelling first.

The boundary files (UNHCR) spell governorates differently from ACLED and GeoNames. Loading the
boundaries stores these as aliases, so imports and the gazetteer match them; exports write the
first spelling ("Deir ez Zor"), so our incidents and imported ACLED rows pivot together.
"""

# ACLED and GeoNames spell governorates differently from UNHCR; keep their
# spellings as aliases so imports and the gazetteer match them.
GOVERNORATE_ALIASES = {
    "SYR001": ["Damascus", "Dimashq"],
    "SYR002": ["Aleppo", "Halab"],
    "SYR003": ["Rural Damascus", "Rif Dimashq", "Rif-dimashq"],
    "SYR004": ["Homs"],
    "SYR005": ["Hama"],
    "SYR006": ["Lattakia", "Latakia"],
    "SYR007": ["Idleb", "Idlib"],
    "SYR008": ["Al Hasakeh", "Al-Hasakah", "Hasakah"],
    "SYR009": ["Deir ez Zor", "Deir ez-Zor", "Dayr az Zawr"],
    "SYR010": ["Tartous", "Tartus"],
    "SYR011": ["Ar Raqqa", "Ar-Raqqah", "Raqqa"],
    "SYR012": ["Dara", "Daraa"],
    "SYR013": ["As Sweida", "As-Suwayda", "Suwayda"],
    "SYR014": ["Quneitra"],
}
DISTRICT_ALIASES = {"SYR009001": ["Deir ez Zor", "Deir ez-Zor"]}
