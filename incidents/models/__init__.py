"""The data every stage shares: articles, actors, places and areas, incidents with their evidence, counts."""

from incidents.models.actors import Actor
from incidents.models.articles import Article, Source, content_hash, normalise_text
from incidents.models.coding import DuplicateDecision, EventRule
from incidents.models.counts import ActorCount, AreaTimelineCount, DataVersion, TimelineCount
from incidents.models.incident import Evidence, Incident
from incidents.models.places import AdminArea, Place

__all__ = ["ActorCount", "Actor", "AdminArea", "AreaTimelineCount", "Article", "DataVersion", "DuplicateDecision",
           "EventRule", "Evidence", "Incident", "Place", "Source", "TimelineCount", "content_hash", "normalise_text"]
