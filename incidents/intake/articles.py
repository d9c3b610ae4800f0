"""Turn captured news pages (plain text, HTML, or a CSV of url,title,date,text) into articles.

Scrapes carry page furniture (photo captions, share links, comment boxes,
captchas); an analyst quotes only the report itself, so that is what we keep.
Every format ends in the same plain-text rules (parse_plain_text), and every
article is stored through save_article, which refuses duplicates by URL or text.
"""

import datetime
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction

from incidents.common.acled_format import parse_event_date
from incidents.common.plausible_dates import implausible
from incidents.intake.acled_checks import ImportRefused
from incidents.intake.csv_text import read_csv_file
from incidents.models import Article, Source, content_hash

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
    url: str = ""
    published_on: datetime.date | None = None


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


# -- HTML: the report's own blocks, without scripts, menus, captions or comment forms --

SKIPPED_ELEMENTS = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "figure",
                    "figcaption", "button", "svg", "iframe", "template"}
BLOCK_ELEMENTS = {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote",
                  "tr", "dd", "dt", "pre", "time"}
# One <br> continues the paragraph; two in a row separate paragraphs, as pages without <p> use them.
LINE_BREAK = "\x00"
VOID_ELEMENTS = {"br", "img", "meta", "link", "input", "hr", "source", "wbr", "area", "base", "col", "embed"}


class _PageReader(HTMLParser):
    """Collects text blocks (inside <article> when the page has one) and the page's meta data."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks, self.article_blocks = [[]], None
        self.skipping = self.in_article = 0
        self.in_title = self.in_h1 = False
        self.meta, self.title_tag, self.h1 = {}, "", ""

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "meta":
            key = (attrs.get("property") or attrs.get("name") or "").casefold()
            self.meta.setdefault(key, attrs.get("content", "").strip())
        elif tag == "link" and "canonical" in attrs.get("rel", "").split():
            self.meta.setdefault("canonical", attrs.get("href", "").strip())
        elif tag == "time" and attrs.get("datetime"):
            self.meta.setdefault("time", attrs["datetime"].strip())
        if tag in VOID_ELEMENTS:
            if tag == "br":
                self.blocks[-1].append(LINE_BREAK)
            return
        if tag in SKIPPED_ELEMENTS:
            self.skipping += 1
        elif tag == "article":
            self.in_article += 1
            if self.article_blocks is None:
                self.article_blocks = []
        self.in_title |= tag == "title"
        self.in_h1 |= tag == "h1"
        if tag in BLOCK_ELEMENTS:
            self._break()

    def handle_endtag(self, tag):
        if tag in SKIPPED_ELEMENTS:
            self.skipping = max(0, self.skipping - 1)
        elif tag == "article":
            self.in_article = max(0, self.in_article - 1)
        self.in_title &= tag != "title"
        self.in_h1 &= tag != "h1"
        if tag in BLOCK_ELEMENTS:
            self._break()

    def handle_data(self, data):
        if self.in_title:
            self.title_tag += data
        if self.skipping or self.in_title:
            return
        if self.in_h1 and not self.h1.strip():
            self.h1 = data
        self.blocks[-1].append(data)
        if self.in_article and self.article_blocks is not None:
            self.article_blocks.append(len(self.blocks) - 1)

    def _break(self):
        if self.blocks[-1]:
            self.blocks.append([])

    def paragraphs(self):
        chosen = sorted(set(self.article_blocks)) if self.article_blocks else range(len(self.blocks))
        parts = (part for i in chosen for part in re.split(r"\x00\s*\x00", "".join(self.blocks[i])))
        texts = (re.sub(r"[\s\x00]+", " ", part).strip() for part in parts)
        return [text for text in texts if text]


def _first_date(*candidates):
    for value in candidates:
        try:
            return datetime.date.fromisoformat((value or "")[:10])
        except ValueError:
            continue
    return None


def parse_html(raw):
    """Title from og:title, <h1> or <title>; the text of the report's blocks; author, date, outlet, URL from meta."""
    reader = _PageReader()
    reader.feed(raw)
    reader.close()
    meta = reader.meta
    site = meta.get("og:site_name", "")
    title = (meta.get("og:title") or reader.h1 or reader.title_tag).strip()
    if site and title.endswith(site):  # "Report title | Outlet"
        title = title[: -len(site)].rstrip(" |-–—:")
    paragraphs = [p for p in reader.paragraphs() if p != title]
    parsed = parse_plain_text("\n".join([re.sub(r"\s+", " ", title), *paragraphs]))
    parsed.byline = parsed.byline or meta.get("author", "") or meta.get("article:author", "")
    parsed.source_name = parsed.source_name or site
    parsed.url = meta.get("og:url") or meta.get("canonical", "")
    parsed.published_on = _first_date(meta.get("article:published_time"), meta.get("date"), meta.get("time"))
    return parsed


# -- CSV: one article per row, columns url,title,date,text (source optional) --

CSV_COLUMNS = ["url", "title", "date", "text"]


class IngestRefused(Exception):
    """A file that cannot be ingested as a whole; `problems` names each bad row and column."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("; ".join(problems))


def parse_article_csv(file):
    """ParsedArticles from a CSV file (text, or bytes read as UTF-8), or IngestRefused naming every
    bad row and column (nothing is taken from it). Malformed files (encoding, NUL bytes, delimiters,
    field counts, open quotes) are refused by intake.csv_text, the reader the ACLED import uses."""
    try:
        header, records = read_csv_file(file)
    except ImportRefused as refused:
        raise IngestRefused([str(problem) for problem in refused.problems]) from None
    missing = [name for name in CSV_COLUMNS if name not in header]
    if missing:
        raise IngestRefused([f"header: missing column(s) {', '.join(missing)}; expected {','.join(CSV_COLUMNS)}"
                             f" (and optionally source)"])
    articles, problems = [], []
    for number, (line, cells) in enumerate(records, start=1):
        row = dict(zip(header, cells))
        values = {name: (row.get(name) or "").strip() for name in [*CSV_COLUMNS, "source"]}
        for name in ("title", "text"):
            if not values[name]:
                problems.append(f"row {number} (line {line}), column {name}: is empty")
        published_on = None
        if values["date"]:
            try:
                published_on = parse_event_date(values["date"])
            except ValueError as error:
                problems.append(f"row {number} (line {line}), column date: {error}")
        if problem := implausible(published_on):
            problems.append(f"row {number} (line {line}), column date: {problem}")
        paragraphs = [re.sub(r"[ \t]+", " ", line).strip() for line in values["text"].splitlines()]
        articles.append(ParsedArticle(
            title=values["title"], text="\n\n".join(p for p in paragraphs if p), url=values["url"],
            published_on=published_on, source_name=values["source"] or urlsplit(values["url"]).hostname or ""))
    if problems:
        raise IngestRefused(problems)
    return articles


# -- storing: one Article per report, never twice --

class DuplicateArticle(Exception):
    pass


def find_duplicate(parsed):
    """The stored article with the same URL or the same text (white space aside), if any."""
    if parsed.url and (same_url := Article.objects.filter(url=parsed.url).first()):
        return same_url, "the same URL"
    same_text = Article.objects.filter(content_hash=content_hash(parsed.text)).first()
    return (same_text, "the same text") if same_text else (None, "")


def save_article(parsed, default_source="", language="en"):
    """Store a parsed article; DuplicateArticle or ValidationError (with a message) when it cannot be."""
    duplicate, why = find_duplicate(parsed)
    if duplicate:
        raise DuplicateArticle(f"{why} is already stored as article #{duplicate.pk} “{duplicate}”")
    source_name = parsed.source_name or default_source
    if not source_name:
        raise ValidationError("no outlet is named in the file: pass --source NAME")
    with transaction.atomic():
        source, _ = Source.objects.get_or_create(name=source_name, defaults={"language": language})
        article = Article(source=source, title=parsed.title, url=parsed.url or None, published_on=parsed.published_on,
                          byline=parsed.byline, language=language, text=parsed.text)
        article.full_clean(exclude=["content_hash"])
        article.save()
    return article


def read_articles(path):
    """ParsedArticles from one file, by its kind: .txt, .html/.htm, or .csv (url,title,date,text)."""
    suffix = path.suffix.casefold()
    if suffix not in (".txt", ".html", ".htm", ".csv"):
        raise ValueError(f"{path.name}: not a .txt, .html or .csv file")
    if suffix == ".csv":
        with path.open("rb") as file:
            return parse_article_csv(file)
    with path.open(encoding="utf-8-sig") as file:
        raw = file.read()
    if "\x00" in raw:
        line = raw.count("\n", 0, raw.index("\x00")) + 1
        raise ValueError(f"{path.name}, line {line}: contains a NUL byte (character 0), which no text may hold")
    return [parse_html(raw) if suffix in (".html", ".htm") else parse_plain_text(raw)]
