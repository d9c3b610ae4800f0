"""The translation catalogues (issue 17): makemessages run on today's code leaves no string without an
Arabic translation, and the committed .mo files are the compiled .po files.

makemessages runs on a copy of the code (it rewrites the .po files it reads), with the same options as
docs/ARABIC.md gives; Debian's gettext tools (msgattrib, msgfmt) do the checking.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)
# The options docs/ARABIC.md gives for refreshing the catalogues.
MAKEMESSAGES = ["makemessages", "-l", "ar", "-l", "en", "--no-location", "--no-obsolete",
                "--ignore=.venv", "--ignore=staticfiles", "--ignore=bench", "--ignore=ops",
                "--ignore=incidents/tests", "--ignore=test-artifacts", "--ignore=var", "--ignore=node_modules",
                "--ignore=static/leaflet", "--ignore=static/vendor"]
pytestmark = pytest.mark.skipif(not shutil.which("msgattrib"), reason="Debian's gettext is not installed")


def untranslated(po_file):
    """msgids of `po_file` without a translation, or with a fuzzy one."""
    found = []
    for option in ("--untranslated", "--only-fuzzy"):
        out = subprocess.run(["msgattrib", option, "--no-wrap", str(po_file)], capture_output=True, text=True,
                             check=True).stdout
        found += [line[7:-1] for line in out.splitlines() if line.startswith('msgid "') and line != 'msgid ""']
    return found


@pytest.fixture(scope="module")
def fresh_catalogues(tmp_path_factory):
    """locale/ as makemessages leaves it after reading today's templates, Python and scripts."""
    copy = tmp_path_factory.mktemp("project")
    for name in ("manage.py", "config", "incidents", "templates", "static", "locale"):
        source = BASE / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__", "tests"))
        else:
            shutil.copy(source, copy / name)
    for domain in (["-d", "django"], ["-d", "djangojs"]):
        subprocess.run([sys.executable, "manage.py", *MAKEMESSAGES, *domain], cwd=copy, check=True,
                       capture_output=True)
    return copy / "locale"


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_makemessages_leaves_no_string_without_an_arabic_translation(fresh_catalogues, domain):
    assert untranslated(fresh_catalogues / "ar" / "LC_MESSAGES" / f"{domain}.po") == []


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_committed_mo_files_are_the_compiled_po_files(tmp_path, language, domain):
    folder = BASE / "locale" / language / "LC_MESSAGES"
    compiled = tmp_path / f"{domain}.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(compiled), str(folder / f"{domain}.po")], check=True)
    assert compiled.read_bytes() == (folder / f"{domain}.mo").read_bytes()
