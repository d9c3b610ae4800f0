"""Everything a fresh dashboard needs: boundaries, gazetteer, the seed article, demo logins."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from incidents.models import AdminArea, Article, Incident, Place
from incidents.models.places import areas_containing, assign_admin_areas

SEED_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "seed_article.json"
SEED_TITLE = "ISIS fights back in Deir ez-Zor, advances on Syrian airbase"
# Demo logins for a local dashboard; never created unless this command runs.
DEMO_USERS = [
    ("analyst", "Analyst", False),
    ("analyst2", "Analyst", False),
    ("reviewer", "Reviewer", False),
    ("admin", "Administrator", True),
]


class Command(BaseCommand):
    help = "Load boundaries, the seed article with its coded incidents, the gazetteer, and demo users."

    def add_arguments(self, parser):
        parser.add_argument("--no-users", action="store_true", help="Do not create demo logins.")
        parser.add_argument("--keep-boundaries", action="store_true",
                            help="Do not reload boundaries that are already there (tests, quick re-seeds).")
        parser.add_argument("--password", default="deir-ez-zor-demo",
                            help="Password for the demo logins (local use only).")

    def handle(self, *args, **options):
        if not (options["keep_boundaries"] and AdminArea.objects.exists()):
            call_command("load_boundaries", stdout=self.stdout)
        if Article.objects.filter(title=SEED_TITLE).exists():
            self.stdout.write("Seed article already present: fixture not reloaded.")
        else:
            # Fixture rows carry fixed ids, so load them before the gazetteer fills the table.
            with transaction.atomic():
                call_command("loaddata", str(SEED_FIXTURE), stdout=self.stdout)
                assign_admin_areas(Incident.objects.all())
        call_command("load_gazetteer", stdout=self.stdout)
        call_command("load_coding_dictionaries", stdout=self.stdout)  # event rules, actor aliases (once)
        for place in Place.objects.filter(admin1__isnull=True):
            found = areas_containing(place.point)
            place.admin1_id, place.admin2_id = found.get(1), found.get(2)
            place.save(update_fields=["admin1", "admin2"])
        if not options["no_users"]:
            self.create_demo_users(options["password"])

    def create_demo_users(self, password):
        User = get_user_model()
        self.stdout.write(self.style.SUCCESS("Demo logins (local use only):"))
        for username, group_name, superuser in DEMO_USERS:
            user, _ = User.objects.get_or_create(username=username, defaults={"is_staff": True})
            user.is_staff = True
            user.is_superuser = superuser
            user.set_password(password)
            user.save()
            group = Group.objects.filter(name=group_name).first()
            if group:
                user.groups.add(group)
            self.stdout.write(f"  {username:10} / {password}   ({group_name})")
