"""manage.py remove_demo_data: every synthetic demonstration incident and what is attached, gone (issue 20)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from incidents.operations.synthetic.demo import DemoDataInUse, remove_demo


class Command(BaseCommand):
    help = ("Delete every synthetic demonstration incident (tag `demo`, ids DEMO…) with its evidence, history, "
            "articles, outlets and actors made for it; the counts, export lines and public cache follow. "
            "Real incidents and the seed article are not touched.")

    def handle(self, *args, verbosity=1, **options):
        try:
            removed = remove_demo()
        except DemoDataInUse as error:
            raise CommandError(str(error)) from error
        if verbosity:
            self.stdout.write(_("Removed %(count)s synthetic demonstration incidents.") % {"count": f"{removed:,}"})
