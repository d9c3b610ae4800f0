"""One of several processes saving incidents at the same moment (run by ops.load_check).

    python -m ops.writer WORKER COUNT

Prints "ready" once Django is set up and waits for a line on stdin, so all
writers start together; then saves COUNT draft incidents, each with one
evidence quote, each in its own transaction, the way the admin saves them, then
publishes each in a second transaction. Every writer uses the same dates, so they
add to the same timeline counts at the same moments. Prints the ids it saved.
"""

import datetime
import os
import sys


def main(worker, count):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.contrib.gis.geos import Point
    from django.db import transaction

    from incidents.models import Actor, Article, Evidence, Incident, Source

    source, _ = Source.objects.get_or_create(name="Operations check")
    actor, _ = Actor.objects.get_or_create(name=f"Operations check actor {worker}", defaults={"category": 2})
    print("ready", flush=True)
    sys.stdin.readline()
    saved = []
    for sequence in range(count):
        marker = f"ops-writer {worker}-{sequence}"
        with transaction.atomic():
            article = Article.objects.create(source=source, title=marker, text=f"Shelling was reported, {marker}.")
            incident = Incident.objects.create(
                date=datetime.date(2017, 1, 1) + datetime.timedelta(days=sequence),
                event_type="Explosions/Remote violence",
                sub_event_type="Shelling/artillery/missile attack", actor1=actor, location="Deir ez-Zor",
                point=Point(40.14, 35.33, srid=4326), notes=marker)
            Evidence.objects.create(incident=incident, article=article, quote=marker, start=article.text.index(marker),
                                    end=article.text.index(marker) + len(marker))
        # Published by a plain UPDATE (no history row): the count triggers see it all the same.
        Incident.objects.filter(pk=incident.pk).update(status=Incident.Status.APPROVED)
        saved.append(incident.pk)
    print(" ".join(map(str, saved)))


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
