import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from incidents.operations.warm_up import warm_up  # noqa: E402 (needs the app loaded)

warm_up(application)  # each worker, before its first request (incidents/operations/warm_up.py)
