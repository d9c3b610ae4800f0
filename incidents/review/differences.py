"""What differs between two versions of a text, marked word by word for people to read.

Used by the History page and the edit-conflict table: both show full text, never cut, with the
words one version has and the other lacks marked (<del> for removed, <ins> for added).
"""

import difflib
import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

_WORDS = re.compile(r"\s+|[^\s]+")


def marked(old, new):
    """(old_html, new_html): each text whole, HTML-escaped, with the words not in the other marked.

    `old` and `new` are strings; the result is safe HTML (<del> in old, <ins> in new).
    """
    a, b = _WORDS.findall(old or ""), _WORDS.findall(new or "")
    old_parts, new_parts = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        removed, added = escape("".join(a[i1:i2])), escape("".join(b[j1:j2]))
        if op == "equal":
            old_parts.append(removed)
            new_parts.append(added)
            continue
        if removed:
            old_parts.append(f"<del>{removed}</del>")
        if added:
            new_parts.append(f"<ins>{added}</ins>")
    return mark_safe("".join(old_parts)), mark_safe("".join(new_parts))  # nosec: every part escaped above
