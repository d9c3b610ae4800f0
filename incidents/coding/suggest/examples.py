"""Labelled examples for the learned suggestions: from the database, or from an ACLED file.

- an approved incident with evidence: the text is its quotes, the coding its fields;
- an imported ACLED row (an incident with an ACLED event id and notes): the notes and its fields;
- a row of an ACLED CSV file (for the time-split evaluation): notes and columns, read in place.
"""

import csv
from pathlib import Path

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy

from incidents.coding.suggest.learned import Example
from incidents.coding.suggest.reasons import Reason
from incidents.common.acled_format import parse_event_date
from incidents.common.reader_text import incident_number
from incidents.models import Evidence, Incident


def examples_from_database():
    """Every approved, unmerged incident with a text (quotes, else its notes for imported rows)."""
    incidents = (Incident.objects.filter(status=Incident.Status.APPROVED, merged_into__isnull=True)
                 .select_related("actor1", "actor2", "admin1", "admin2", "place")
                 .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("start", "pk"))))
    examples = []
    for incident in incidents.iterator(chunk_size=2000):
        quotes = " ".join(e.quote for e in incident.evidence.all() if e.quote)
        text = quotes or (incident.notes if incident.event_id_cnty else "")
        if not text.strip():
            continue
        point = incident.point
        ref = (f"ACLED {incident.event_id_cnty}" if incident.event_id_cnty and not quotes
               else Reason(gettext_lazy("incident %(id)s"), id=incident_number(incident.pk)))  # an id: Latin digits
        examples.append(Example(
            text=text, date=incident.date, event_type=incident.event_type, sub_event_type=incident.sub_event_type,
            actor1=incident.actor1.name, actor2=incident.actor2.name if incident.actor2 else "",
            location=incident.place.name if incident.place else incident.location,
            lon=point.x if point else None, lat=point.y if point else None,
            admin1=str(incident.admin1 or ""), admin2=str(incident.admin2 or ""), place_id=incident.place_id,
            fatalities=incident.fatalities, ref=ref))
    return examples


def examples_from_acled(path):
    """Every row of an ACLED CSV export with notes, as Example; raises ValueError naming a bad row."""
    examples = []
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            try:
                day = parse_event_date(row["event_date"])
                lon, lat = float(row["longitude"]), float(row["latitude"])
                fatalities = int(row["fatalities"] or 0)
            except (KeyError, TypeError, ValueError) as error:
                raise ValueError(f"row {number}: {error}") from error
            if not (row.get("notes") or "").strip():
                continue
            examples.append(Example(
                text=row["notes"], date=day, event_type=row["event_type"], sub_event_type=row["sub_event_type"],
                actor1=row["actor1"], actor2=row.get("actor2") or "", location=row.get("location") or "",
                lon=lon, lat=lat, admin1=row.get("admin1") or "", admin2=row.get("admin2") or "",
                fatalities=fatalities, ref=f"ACLED {row.get('event_id_cnty', number)}"))
    return examples
