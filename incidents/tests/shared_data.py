"""The real ACLED extract in ../shared/data, which tests read in place: ACLED's terms forbid copying it."""

import pytest
from django.conf import settings

ACLED_FILE = settings.SHARED_DATA_DIR / "syr_acled_battles_deir_ez_zor_plus_sample.csv"


def acled_file_or_skip():
    if not ACLED_FILE.exists():
        pytest.skip(f"ACLED extract not found at {ACLED_FILE}: ACLED's terms forbid copying it into the repo, "
                    "so this test reads it from ../shared/data (set SHARED_DATA_DIR) and is skipped without it.")
    return ACLED_FILE
