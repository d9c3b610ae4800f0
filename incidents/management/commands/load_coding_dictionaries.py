"""Load the default assisted-coding dictionaries (event rules, actor aliases, place variants).

They are loaded once: after that they belong to the analysts, who edit them in the admin,
so a second run (seed_demo runs this on every start) changes nothing unless --add-missing
is given, and even then it only adds rules, actors, aliases and variants that are absent.

One exception, so deployments loaded before the Arabic words existed get them: when no event rule
has an Arabic keyword yet, the file's Arabic keywords, aliases and variants (and actors that have
only Arabic aliases) are added once, the same way --add-missing adds (nothing else is touched).
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from incidents.common.arabic_text import is_arabic
from incidents.common.names import name_key
from incidents.models import Actor, EventRule, Place

DICTIONARY_FILE = Path(settings.BASE_DIR) / "fixtures" / "coding_dictionaries.json"


def missing(existing, wanted):
    """Entries of `wanted` whose spelling-insensitive key is not among `existing`."""
    keys = {name_key(e) for e in existing}
    return [w for w in wanted if name_key(w) not in keys]


class Command(BaseCommand):
    help = "Load default event rules, actors/aliases and place variants for assisted coding (once)."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(DICTIONARY_FILE))
        parser.add_argument("--add-missing", action="store_true",
                            help="Also run when rules already exist, adding only what is absent.")

    @transaction.atomic
    def handle(self, *args, **options):
        # Read first, so that a wrong --file is an error even when nothing would be loaded.
        try:
            data = json.loads(Path(options["file"]).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {options['file']}: {error}") from error
        if not isinstance(data, dict):
            raise CommandError(f"{options['file']}: expected a JSON object with event_rules, actors, place_variants")
        self.keep = lambda word: True
        if EventRule.objects.exists() and not options["add_missing"]:
            if any(is_arabic(k) for rule in EventRule.objects.all() for k in rule.keywords):
                self.stdout.write("Coding dictionaries already loaded: analysts' edits kept (use --add-missing).")
                return
            self.keep = is_arabic
            self.stdout.write("Coding dictionaries loaded before the Arabic words: adding them once.")
        rules = self.load_rules(data.get("event_rules", []))
        actors, aliases = self.load_actors(data.get("actors", []))
        variants = self.load_place_variants(data.get("place_variants", {}))
        self.stdout.write(f"Coding dictionaries: {rules} event rules, {actors} actors, {aliases} actor aliases "
                          f"and {variants} place variants added.")

    def wanted(self, words):
        return [w for w in words if self.keep(w)]

    def load_rules(self, rows):
        added = 0
        for row in rows:
            rule = EventRule.objects.filter(event_type=row["event_type"], sub_event_type=row["sub_event_type"]).first()
            if rule is None and not self.wanted(row["keywords"]):
                continue
            if rule is None:
                rule = EventRule(event_type=row["event_type"], sub_event_type=row["sub_event_type"],
                                 priority=row.get("priority", 50), keywords=[])
                added += 1
            new = missing(rule.keywords, self.wanted(row["keywords"]))
            if new or rule.pk is None:
                rule.keywords = [*rule.keywords, *new]
                rule.full_clean()
                rule.save()
        return added

    def load_actors(self, rows):
        created = aliases = 0
        for row in rows:
            actor = Actor.objects.filter(name=row["name"]).first()
            if actor is None and not self.keep(row["name"]) and row.get("aliases") != self.wanted(row.get("aliases", [])):
                continue  # an English actor an analyst may have removed stays removed
            if actor is None:
                parent = Actor.objects.filter(name=row["parent"]).first() if row.get("parent") else None
                actor = Actor(name=row["name"], category=row["category"], parent=parent, aliases=[])
                created += 1
            new = missing([actor.name, *actor.aliases], self.wanted(row.get("aliases", [])))
            if new or actor.pk is None:
                actor.aliases = [*actor.aliases, *new]
                actor._change_reason = "Assisted-coding dictionary: aliases added"
                actor.save()
                aliases += len(new)
        return created, aliases

    def load_place_variants(self, variants_by_place):
        added = 0
        for name, wanted in variants_by_place.items():
            for place in Place.objects.filter(name=name):
                new = missing([place.name, *place.variants], self.wanted(wanted))
                if new:
                    place.variants = [*place.variants, *new]
                    place.save(update_fields=["variants"])
                    added += len(new)
        return added
