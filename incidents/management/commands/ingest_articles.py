"""manage.py ingest_articles PATH...: store news reports as articles, refusing duplicates."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from incidents.intake.articles import DuplicateArticle, IngestRefused, read_articles, save_article

KINDS = ("*.txt", "*.html", "*.htm", "*.csv")


def files_in(paths):
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(file for kind in KINDS for file in path.glob(kind))
        else:
            yield path


class Command(BaseCommand):
    help = ("Ingest news articles from .txt or .html captures, or a CSV of url,title,date,text (a folder takes "
            "every such file in it). An article already stored with the same URL or text is refused.")

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Files or folders.")
        parser.add_argument("--source", default="", help="Outlet for files that do not name one.")
        parser.add_argument("--language", default="en", help="ISO 639-1 code of the articles (default en).")

    def handle(self, *args, **options):
        added = duplicates = 0
        failed = []
        for path in files_in(options["paths"]):
            try:
                articles = read_articles(path)
            except (OSError, UnicodeDecodeError, ValueError) as error:
                failed.append(f"{path}: {error}")
                continue
            except IngestRefused as refused:
                failed += [f"{path}: {problem}" for problem in refused.problems]
                continue
            for parsed in articles:
                label = f"{path.name}: “{parsed.title[:80]}”"
                try:
                    article = save_article(parsed, options["source"], options["language"])
                except DuplicateArticle as duplicate:
                    duplicates += 1
                    self.stdout.write(f"Refused {label}: {duplicate}.")
                except ValidationError as error:
                    failed.append(f"{label}: {'; '.join(error.messages)}")
                else:
                    added += 1
                    self.stdout.write(f"Added article #{article.pk} “{article.title}” ({article.source}, "
                                      f"{len(article.text):,} characters).")
        for message in failed:
            self.stderr.write(message)
        self.stdout.write(f"{added} added, {duplicates} refused as duplicates, {len(failed)} failed.")
        if failed:
            raise CommandError(f"{len(failed)} file(s) or row(s) could not be ingested; see above.")
