"""Who did what to whom: actor 1 and actor 2 of an event from the actors a sentence names.

Actors are grouped into sides by their parent chain (the Republican Guard and the National
Defence Forces fight on the side of the Syrian military). Within a sentence:
- a side named before the event words is the one acting, unless the words around it make it
  the target ("positions of X", "attacks on X", "X … was killed");
- air and drone strikes are carried out by state or external forces, never by a rebel group;
- a side the sentence does not name is taken from the article: the side most often named
  together with the one that is named ("the two sides" of the report);
- in Arabic, where the verb comes first ("قصفت قوات النظام …"), an actor named after the event words
  acts too, unless the words before it make it the target ("مواقع لقسد", "على", "مقتل ٣ مدنيين");
- unidentified attackers the text attributes to a named group ("unknown gunmen believed to be IS
  members", "IS gunmen", "gunmen affiliated with the SDF") are that group: ACLED codes the
  attributed group as the actor in such notes (ACLED codebook 2023, "Actors": an unidentified
  group is used only when no group is named or suspected); in Arabic "مسلحون يُعتقد أنهم من خلايا داعش",
  "مسلحين تابعين لقسد".
"""

import re
from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy

from incidents.coding.suggest.arabic_figures import is_number_word
from incidents.coding.suggest.arabic_words import forms
from incidents.coding.suggest.reasons import Reason
from incidents.common.arabic_text import entry_key, fold_arabic, is_arabic

from incidents.common.typology import ActorCategory
from incidents.models.actors import side_of

TARGET_BEFORE = {"on", "against", "targeting", "targeted", "hit", "at"}
TARGET_HOLDINGS = {"positions", "position", "strongholds", "posts", "headquarters", "base", "bases", "convoy",
                   "checkpoint", "checkpoints", "members", "ranks"}
VICTIM_AFTER = {"killed", "wounded", "injured", "hit", "targeted", "died"}
# Arabic words (compared in entry_key form) that make the actor named after them the target: within
# TARGET_REACH_AR words "on/against", the killing, wounding, arrest or targeting of; in the two words
# before it the positions, checkpoint or vehicle of.
TARGET_BEFORE_AR = {entry_key(w) for w in ("على", "ضد", "استهداف", "مقتل", "قتل", "مصرع", "إصابة", "جرح",
                                           "استشهاد", "اعتقال", "اختطاف", "خطف", "إعدام", "اغتيال", "تصفية",
                                           "لقي", "لقى", "أصيب", "اصيب")}
TARGET_HOLDINGS_AR = {entry_key(w) for w in ("مواقع", "موقع", "نقاط", "نقطة", "مقرات", "مقر", "حاجز", "حواجز",
                                             "رتل", "قاعدة", "صفوف", "آلية", "سيارة", "دورية")}
TARGET_REACH_AR = 3
# "قُتل خمسة عناصر من قسد": between the killing word and the actor, only its toll and the members of it;
# the killing word may then be further back than TARGET_REACH_AR (a newcomer's lead made the SDF attacker).
MEMBERS_OF_AR = {entry_key(w) for w in ("من", "عناصر", "عنصر", "عنصرين", "عنصران", "مقاتلين", "مقاتلي", "مقاتلا",
                                        "مقاتل", "جنود", "جندي", "جنديين", "أفراد", "افراد", "منتسبي")}
MEMBERS_REACH_AR = 6
AIR_CAPABLE = {ActorCategory.STATE_FORCES, ActorCategory.EXTERNAL_OTHER}
# The words between "unknown gunmen" and the group they are attributed to.
ATTRIBUTED_TO = re.compile(r"^[\s,(]*(?:(?:who|that)\s+(?:are|were|was|is)\s+)?(?:(?:most\s+)?(?:likely|probably|"
                           r"reportedly|allegedly|believed|suspected|thought|presumed|said|affiliated|linked|"
                           r"belonging|loyal)\s+)(?:(?:to|with)\s+(?:be\s+|belong\s+to\s+)?)?(?:(?:an?\s+)?(?:members?|"
                           r"cells?|fighters?|militants?)\s+(?:of|from|to)\s+)?(?:the\s+)?$", re.I)
# The same in Arabic, over the folded words between: "مسلحون يُعتقد أنهم من خلايا داعش", "مسلحين تابعين لقسد"
# (the ل of "لقسد" is written on the group's own word).
ATTRIBUTED_TO_AR = re.compile(r"^[\s،(]*(?:(?:يعتقد|يرجح|يشتبه|قيل)\s+(?:ب?انهم|انه)\s+)?(?:من|تابع\w*|يتبع\w*|"
                              r"ينتم\w*\s+(?:الي)?|مرتبط\w*(?:\s+ب)?|موال\w*|عناصر\s+من|ينتمون)?[\s،)]*$")
# The words between a named group and the gunmen it qualifies ("IS gunmen", "ISIS-affiliated gunmen").
QUALIFIES = re.compile(r"^(?:\s*-?\s*(?:affiliated|linked|backed))?\s*$", re.I)


def is_unidentified(actor):
    """ACLED names its placeholder actors "Unidentified Armed Group (Syria)", "Unidentified Tribal Militia"…"""
    return str(actor).startswith("Unidentified")


def attributed(sentence, matches):
    """The actor matches of a sentence (lexicon.Match, in order) without unidentified attackers the
    sentence attributes to a named group; that group's match carries the reason."""
    kept = list(matches)
    for a, b in zip(matches, matches[1:]):
        between = sentence.text[a.end - sentence.start:b.start - sentence.start]
        if is_unidentified(a.obj) and not is_unidentified(b.obj) and (
                ATTRIBUTED_TO.match(between) or is_arabic(a.surface) and ATTRIBUTED_TO_AR.match(fold_arabic(between))):
            drop, group = a, b
        elif not is_unidentified(a.obj) and is_unidentified(b.obj) and QUALIFIES.match(between):
            drop, group = b, a
        else:
            continue
        if drop in kept:
            kept.remove(drop)
            group.method = "attributed"
            group.entry = Reason(gettext_lazy("“%(words)s” attributed to %(actor)s"), words=drop.surface,
                                 actor=group.obj)
    return kept


class Sides:
    """Actor sides (root of the parent chain) and the article's pattern of who fights whom."""

    def __init__(self, actors):
        self.by_id = {actor.pk: actor for actor in actors}
        self.parent_of = {actor.pk: actor.parent_id for actor in actors}
        self.together = Counter()
        self.first_seen = {}
        self.mentioned = Counter()

    def root(self, actor):
        return self.by_id[side_of(actor.pk, self.parent_of)]

    def depth(self, actor):
        depth = 0
        while actor.parent_id and actor.parent_id in self.by_id and depth < 10:
            actor, depth = self.by_id[actor.parent_id], depth + 1
        return depth

    def note_sentence(self, index, actors):
        roots = {self.root(a).pk for a in actors}
        for actor in actors:
            self.mentioned[actor.pk] += 1
        for pk in roots:
            self.first_seen.setdefault(pk, index)
        for a in roots:
            for b in roots - {a}:
                self.together[(a, b)] += 1

    def opponent(self, side_pk, exclude=()):
        """The side most often named with `side_pk` in the article (ties: the one named first)."""
        options = [(count, -self.first_seen.get(b, 0), b) for (a, b), count in self.together.items()
                   if a == side_pk and b not in exclude]
        return max(options)[2] if options else None

    def main_dyad(self):
        if not self.together:
            return None
        (a, b), _ = max(self.together.items(), key=lambda item: (item[1], -self.first_seen[item[0][0]]))
        return (a, b) if self.first_seen[a] <= self.first_seen[b] else (b, a)

    def representative(self, side_pk):
        """The actor to code for a side the sentence does not name: its root if the article names it."""
        root = self.by_id[side_pk]
        if self.mentioned[root.pk]:
            return root
        members = [a for a in self.by_id.values() if self.root(a).pk == side_pk and self.mentioned[a.pk]]
        return max(members, key=lambda a: self.mentioned[a.pk], default=root)


@dataclass
class Roles:
    actor1: object = None
    actor2: object = None
    assoc_1: list = field(default_factory=list)
    assoc_2: list = field(default_factory=list)
    reasons1: list = field(default_factory=list)
    reasons2: list = field(default_factory=list)
    named1: bool = False  # named in the evidence (not inferred from the article)
    named2: bool = False


def is_target_ar(sentence, match):
    """'مواقع لقسد', 'على حاجز للنظام', 'مقتل ٣ مدنيين': an actor named in Arabic that suffered the event."""
    before = [forms(t) for t in sentence.tokens[max(0, match.first - TARGET_REACH_AR):match.first]]
    if before and any(is_number_word(f) for f in before[-1]):
        return True  # "مقتل ٣ مدنيين"
    if any(f & TARGET_HOLDINGS_AR for f in before[-2:]):
        return True  # "مواقع لقسد", "سيارة عسكرية لقوات النظام"
    if any(f & TARGET_BEFORE_AR for f in before):
        return True
    for token in reversed(sentence.tokens[max(0, match.first - MEMBERS_REACH_AR):match.first]):
        word = forms(token)
        if word & TARGET_BEFORE_AR:
            return True
        if not (word & MEMBERS_OF_AR or any(is_number_word(f) for f in word)):
            return False
    return False


def is_target(sentence, match):
    """'attacks on X', 'positions of the X', 'X … was killed': the actor suffered the event."""
    if is_arabic(match.surface):
        return is_target_ar(sentence, match)
    before = [t.lower for t in sentence.tokens[max(0, match.first - 3):match.first]]
    if before and before[-1] in TARGET_BEFORE or len(before) >= 2 and before[-1] in {"the", "of", "a", "an"} and (
            before[-2] in TARGET_BEFORE or before[-2] in TARGET_HOLDINGS):
        return True
    if len(before) >= 3 and before[-1] == "the" and before[-2] == "of" and before[-3] in TARGET_HOLDINGS:
        return True
    after = [t.lower for t in sentence.tokens[match.last + 1:match.last + 6]]
    return any(word in VICTIM_AFTER for word in after) and any(w in {"was", "were", "being"} for w in after)


def is_agent_after(sentence, match):
    """'… carried out by X' / 'airstrikes by the X': named after the event words, yet the one acting."""
    before = [t.lower for t in sentence.tokens[max(0, match.first - 2):match.first]]
    return "by" in before


def _grouped(sides, matches):
    """Mentioned actors per side, in order of first mention; each side's main actor first."""
    groups = {}
    for match in matches:
        groups.setdefault(sides.root(match.obj).pk, []).append(match)
    result = {}
    for side, side_matches in groups.items():
        actors = list(dict.fromkeys(m.obj for m in side_matches))
        actors.sort(key=lambda a: sides.depth(a))
        result[side] = (actors, side_matches[0])
    return result


def assign(sides, sentence, trigger, matches, event_type, sub_event_type):
    """Roles for one event given the actor mentions assigned to its trigger words."""
    groups = _grouped(sides, matches)
    agents = [s for s, (_, m) in groups.items()
              if (m.start < trigger.start or is_arabic(m.surface)) and not is_target(sentence, m)]
    targets = [s for s in groups if s not in agents]
    roles = Roles()
    if sub_event_type == "Air/drone strike":
        capable = [s for s in groups if sides.by_id[s].category in AIR_CAPABLE]
        if capable and (not agents or agents[0] not in capable):
            roles.reasons1.append(Reason(gettext_lazy("air strikes are carried out by state or external forces: "
                                                      "%(actor)s, not a rebel group"), actor=sides.by_id[capable[0]]))
            agents = [capable[0]]
            targets = [s for s in groups if s != capable[0]]
    side1 = agents[0] if agents else None
    side2 = next((s for s in targets if s != side1), None) or next((s for s in agents[1:]), None)
    if side1 is None and event_type == "Battles" and len(targets) >= 2:
        side1, side2 = targets[0], targets[1]  # "clashes between X and Y"
    elif side1 is None and side2 is not None and is_agent_after(sentence, groups[side2][1]):
        side1, side2 = side2, next((s for s in targets if s != side2), None)  # "airstrikes by X"
    for number, side in ((1, side1), (2, side2)):
        if side is None:
            continue
        actors, match = groups[side]
        setattr(roles, f"actor{number}", actors[0])
        setattr(roles, f"assoc_{number}", actors[1:])
        setattr(roles, f"named{number}", True)
        target = number == 2 and side in targets and event_type != "Battles"
        if match.method == "attributed":
            reason = (Reason(gettext_lazy("“%(words)s” is %(actor)s (%(how)s) (the target)"), words=match.surface,
                             actor=actors[0], how=match.entry) if target else
                      Reason(gettext_lazy("“%(words)s” is %(actor)s (%(how)s)"), words=match.surface, actor=actors[0],
                             how=match.entry))
        else:
            reason = (Reason(gettext_lazy("“%(words)s” is %(actor)s (the target)"), words=match.surface,
                             actor=actors[0]) if target else Reason(gettext_lazy("“%(words)s” is %(actor)s"), words=match.surface,
                                            actor=actors[0]))
        getattr(roles, f"reasons{number}").append(reason)
    _infer_missing(sides, roles, event_type, sub_event_type, side1, side2)
    return roles


NOT_NAMED_HERE = gettext_lazy("not named here: %(actor)s is the side the article reports against %(other)s")


def _infer_missing(sides, roles, event_type, sub_event_type, side1, side2):
    if side1 is None and side2 is None:
        dyad = sides.main_dyad() if event_type in ("Battles", "Explosions/Remote violence") else None
        if dyad and sub_event_type == "Air/drone strike":
            dyad = tuple(sorted(dyad, key=lambda s: sides.by_id[s].category not in AIR_CAPABLE))
            if sides.by_id[dyad[0]].category not in AIR_CAPABLE:
                dyad = None
        if dyad:
            roles.actor1, roles.actor2 = sides.representative(dyad[0]), sides.representative(dyad[1])
            note = Reason(gettext_lazy("no actor named with these words: the two sides the article reports fighting"))
            roles.reasons1.append(note)
            roles.reasons2.append(note)
        return
    if side2 is None and event_type in ("Battles", "Explosions/Remote violence"):
        other = sides.opponent(side1)
        if other is not None:
            roles.actor2 = sides.representative(other)
            roles.reasons2.append(Reason(NOT_NAMED_HERE, actor=roles.actor2, other=roles.actor1))
    elif side1 is None:
        other = sides.opponent(side2)
        if other is not None and (sub_event_type != "Air/drone strike"
                                  or sides.by_id[other].category in AIR_CAPABLE):
            roles.actor1 = sides.representative(other)
            roles.reasons1.append(Reason(NOT_NAMED_HERE, actor=roles.actor1, other=roles.actor2))
