"""The coding screen's view of an article: its text cut into segments at every evidence quote.

Each segment knows its character offset in the stored text and which evidence covers it,
so the page can highlight quotes and turn a browser selection back into exact offsets.
"""

from dataclasses import dataclass, field
from itertools import pairwise

from incidents.common.reader_text import incident_ref_text, reader_list
from incidents.models import Incident
from incidents.models.double_coding import visible_evidence, visible_to


@dataclass
class Segment:
    start: int
    text: str
    evidence: list = field(default_factory=list)
    anchors: list = field(default_factory=list)  # evidence whose quote starts here

    @property
    def shown(self):
        """The text as the page shows it: a lone carriage return shows as nothing."""
        return "" if self.text == "\r" else self.text

    @property
    def evidence_ids(self):
        return " ".join(str(e.pk) for e in self.evidence)

    @property
    def incident_labels(self):
        """"#3, #4" as plain text for the quote's title, in the reader's list separator, each isolated."""
        return reader_list(incident_ref_text(i) for i in self.incident_ids.split())

    @property
    def incident_count(self):
        return len(self.incident_ids.split())

    @property
    def incident_ids(self):
        return " ".join(sorted({str(e.incident_id) for e in self.evidence}))


def quote_matches(evidence, text):
    return (evidence.start is not None and evidence.end is not None
            and text[evidence.start:evidence.end] == evidence.quote)


def segments(text, evidence):
    """Cut `text` at quote boundaries; a carriage return is a segment of its own, since
    browsers drop it from the page and offsets within a segment must stay exact."""
    placed = [e for e in evidence if quote_matches(e, text)]
    cuts = {0, len(text)}
    for e in placed:
        cuts.update((e.start, e.end))
    for position, char in enumerate(text):
        if char == "\r":
            cuts.update((position, position + 1))
    result = []
    for start, end in pairwise(sorted(cuts)):
        covering = [e for e in placed if e.start <= start and end <= e.end]
        result.append(Segment(start, text[start:end], covering, [e for e in covering if e.start == start]))
    return result


def coding_context(article, user):
    """The coding panel's context for `user`: an article being double-coded shows only their own incidents."""
    evidence = list(visible_evidence(article.evidence.all(), user).select_related("incident").order_by("start", "pk"))
    incident_ids = {e.incident_id for e in evidence}
    incidents = (visible_to(Incident.objects.filter(pk__in=incident_ids), user)
                 .select_related("actor1", "actor2", "coder")
                 .order_by("date", "pk"))
    quotes = {}
    for e in evidence:
        quotes.setdefault(e.incident_id, []).append(e)
    return {
        "article": article,
        "segments": segments(article.text, evidence),
        "text_length": len(article.text),
        "incidents": [(incident, quotes[incident.pk]) for incident in incidents],
        "misplaced": [e for e in evidence if not quote_matches(e, article.text)],
    }
