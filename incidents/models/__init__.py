"""The data every stage shares: articles, actors, places and areas, incidents with their evidence, counts."""

# Imported in the data's order, which is the order models register in, and so the order of
# `dumpdata incidents` (as before the models became a package).
# isort: off
from incidents.models.articles import Article, Source, content_hash, normalise_text
from incidents.models.actors import Actor
from incidents.models.places import AdminArea, Place
from incidents.models.incident import Evidence, Incident
from incidents.models.coding import DuplicateDecision, EventRule, ProposedMerge, RejectedActorForm
from incidents.models.counts import ActorCount, AreaTimelineCount, DataVersion, MapCellCount, TimelineCount, TimelineMonthCount
from incidents.models.snapshots import Snapshot, SnapshotChunk, SnapshotFile
from incidents.models.double_coding import CodedUnit, DoubleCoding
from incidents.models.proposals import ProposedChange
# isort: on

__all__ = ["ActorCount", "Actor", "AdminArea", "AreaTimelineCount", "Article", "CodedUnit", "DataVersion", "MapCellCount",
           "DoubleCoding", "DuplicateDecision", "EventRule", "Evidence", "Incident", "Place", "ProposedChange",
           "ProposedMerge", "RejectedActorForm", "Snapshot", "SnapshotChunk", "SnapshotFile", "Source", "TimelineCount", "TimelineMonthCount",
           "content_hash", "normalise_text"]
