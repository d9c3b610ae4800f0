"""Turn a captured news page (plain text) into an article's title, text and byline.

Scrapes carry page furniture (photo captions, share links, comment boxes,
captchas); an analyst quotes only the report itself, so that is what we keep.
"""

import re
from dataclasses import dataclass, field

# Lines that are page furniture, not report text.
FURNITURE = [
    re.compile(r"^leave a comment$", re.I),
    re.compile(r"^for the latest on .*follow us", re.I),
    re.compile(r"^[•·*\-\s]*short link\s*:?.*$", re.I),
    re.compile(r"^\d+\s*[+\-x*]\s*\w+\s*=\s*$", re.I),  # captcha such as "1 + seventeen ="
    re.compile(r"\bfile photo\.?$", re.I),  # image caption
    re.compile(r"^(share|tweet|print|email)( this)?:?$", re.I),
]
BYLINE = re.compile(r"^(reporting|written|edited) by\s*:?\s*(?P<name>.+)$", re.I)
SOURCE_LINE = re.compile(r"^source\s*:\s*(?P<name>.+)$", re.I)


@dataclass
class ParsedArticle:
    title: str
    text: str
    byline: str = ""
    source_name: str = ""
    skipped_lines: list = field(default_factory=list)


def parse_plain_text(raw):
    """Title is the first non-empty line; the body runs to the byline/credits."""
    # Non-breaking and repeated spaces are scrape artefacts; quotes must match plain text.
    raw = raw.replace("\r\n", "\n").replace("\u00a0", " ")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in raw.split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        raise ValueError("The file is empty.")
    title, body = lines[0], lines[1:]
    paragraphs, skipped = [], []
    byline = source_name = ""
    for line in body:
        if match := BYLINE.match(line):
            byline = match["name"].strip()
            continue
        if match := SOURCE_LINE.match(line):
            source_name = match["name"].strip()
            continue
        if any(pattern.search(line) for pattern in FURNITURE):
            skipped.append(line)
            continue
        paragraphs.append(line)
    # A lone outlet name before the dateline ("ARA News") is a masthead, not text.
    if paragraphs and source_name and paragraphs[0].casefold() == source_name.casefold():
        skipped.append(paragraphs.pop(0))
    return ParsedArticle(title=title, text="\n\n".join(paragraphs), byline=byline,
                         source_name=source_name, skipped_lines=skipped)
