"""Article ingest: the seed capture becomes the fixture's article; pages and CSVs lose their furniture; never twice."""

import io
import json

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from incidents.intake.articles import parse_html, parse_plain_text
from incidents.models import Article

pytestmark = pytest.mark.django_db

SEED_FILE = settings.BASE_DIR / "fixtures" / "ara-news-isis-fights-back-in-deir-ez-zor.txt"
SEED_FIXTURE = settings.BASE_DIR / "fixtures" / "seed_article.json"

PAGE = """<!doctype html><html><head>
<title>Clashes near Hajin | Deir Ezzor 24</title>
<meta property="og:site_name" content="Deir Ezzor 24">
<meta name="author" content="Staff reporter">
<meta property="article:published_time" content="2017-09-03T10:00:00+03:00">
<link rel="canonical" href="https://example.org/news/hajin-clashes">
<script>var tracking = "not report text";</script><style>p { color: red }</style>
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article>
  <h1>Clashes near Hajin</h1>
  <figure><img src="a.jpg"><figcaption>Fighters near Hajin. File photo</figcaption></figure>
  <p>HAJIN &ndash; Fighters clashed with IS near
     Hajin on Sunday, local sources said.</p>
  <p>Two fighters were killed,<br>according to the sources.</p>
  <div class="share">Share</div>
</article>
<aside>Most read: something else</aside>
<footer><p>Leave a comment</p><form>1 + seventeen =</form></footer>
</body></html>"""


def ingest(*paths, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command("ingest_articles", *map(str, paths), stdout=out, stderr=err, **options)
    return out.getvalue()


def fixture_article():
    objects = json.loads(SEED_FIXTURE.read_text(encoding="utf-8"))
    article = next(o for o in objects if o["model"] == "incidents.article")["fields"]
    source = next(o for o in objects if o["model"] == "incidents.source" and o["pk"] == article["source"])
    return article, source["fields"]["name"]


def test_seed_file_ingests_to_the_article_the_fixture_holds():
    expected, source_name = fixture_article()
    output = ingest(SEED_FILE)
    article = Article.objects.get()
    assert "1 added, 0 refused as duplicates, 0 failed." in output
    for name in ("title", "text", "byline", "url", "published_on", "language", "content_hash"):
        assert getattr(article, name) == expected[name], name
    assert article.source.name == source_name == "ARA News"


def test_seed_file_parsing_drops_the_page_furniture():
    parsed = parse_plain_text(SEED_FILE.read_text(encoding="utf-8"))
    assert parsed.skipped_lines == [
        "Militant fighters of the Islamic State in the vicinity of Deir ez-Zor airbase. File photo",
        "For the latest on Syria and the Kurdish region, follow us on Twitter :", "• Short link :",
        "Leave a comment", "1 + seventeen =", "ARA News"]


def test_a_second_ingest_of_the_same_file_is_refused_with_a_message():
    ingest(SEED_FILE)
    output = ingest(SEED_FILE)
    article = Article.objects.get()
    assert f"the same text is already stored as article #{article.pk} “{article.title}”" in output
    assert "0 added, 1 refused as duplicates" in output


def test_the_seed_file_is_refused_when_the_fixture_is_loaded(seed):
    assert "refused as duplicates" in ingest(SEED_FILE)
    assert Article.objects.count() == 1


def test_same_text_with_other_white_space_is_a_duplicate(tmp_path):
    original = tmp_path / "a.txt"
    original.write_text("A title\n\nThe report says   two were killed.\n", encoding="utf-8")
    respaced = tmp_path / "b.txt"
    respaced.write_text("Another title\r\n\r\nThe report says two were killed.", encoding="utf-8")
    output = ingest(original, respaced, source="Test News")
    assert "1 added, 1 refused as duplicates" in output and Article.objects.count() == 1


def test_html_page_gives_title_text_and_meta_without_furniture():
    parsed = parse_html(PAGE)
    assert parsed.title == "Clashes near Hajin"
    assert parsed.text == ("HAJIN – Fighters clashed with IS near Hajin on Sunday, local sources said.\n\n"
                           "Two fighters were killed, according to the sources.")
    assert (parsed.byline, parsed.source_name) == ("Staff reporter", "Deir Ezzor 24")
    assert parsed.url == "https://example.org/news/hajin-clashes"
    assert str(parsed.published_on) == "2017-09-03"


def test_html_file_ingests_and_a_copy_under_the_same_url_is_refused(tmp_path):
    page = tmp_path / "hajin.html"
    page.write_text(PAGE, encoding="utf-8")
    ingest(page)
    edited = tmp_path / "hajin-updated.htm"
    edited.write_text(PAGE.replace("Two fighters", "Three fighters"), encoding="utf-8")
    output = ingest(edited)
    assert "the same URL is already stored" in output and Article.objects.count() == 1
    assert Article.objects.get().source.name == "Deir Ezzor 24"


def test_csv_of_articles_ingests_each_row(tmp_path):
    path = tmp_path / "articles.csv"
    path.write_text('url,title,date,text\n'
                    'https://example.org/a,Report A,2017-09-01,"First paragraph.\n\nSecond, with a comma."\n'
                    ',Report B,02 June 2023,Another report.\n', encoding="utf-8")
    output = ingest(path, source="Wire")
    assert "2 added" in output
    first, second = Article.objects.order_by("title")
    assert (first.url, str(first.published_on), first.source.name) == ("https://example.org/a", "2017-09-01",
                                                                       "example.org")
    assert first.text == "First paragraph.\n\nSecond, with a comma."
    assert (second.url, second.source.name) == (None, "Wire")


def test_csv_with_a_bad_row_is_refused_whole_naming_row_and_column(tmp_path):
    path = tmp_path / "articles.csv"
    path.write_text("url,title,date,text\nhttps://example.org/a,Report A,2017-09-01,Fine.\n"
                    "https://example.org/b,Report B,last Tuesday,Also fine.\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("ingest_articles", str(path), stdout=io.StringIO(), stderr=err)
    assert "row 2 (line 3), column date: “last Tuesday” is not a date" in err.getvalue()
    assert Article.objects.count() == 0


def test_a_csv_without_the_expected_columns_is_refused(tmp_path):
    path = tmp_path / "articles.csv"
    path.write_text("link,headline\nhttps://example.org/a,Report A\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("ingest_articles", str(path), stdout=io.StringIO(), stderr=err)
    assert "missing column(s) url, title, date, text" in err.getvalue()


def test_a_file_naming_no_outlet_needs_source(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("A title\n\nSome report text.", encoding="utf-8")
    with pytest.raises(CommandError):
        ingest(path)
    assert Article.objects.count() == 0
    assert "1 added" in ingest(path, source="Local activists")
