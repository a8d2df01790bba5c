"""The walk through the article: whom each sentence is about, and who said each quote."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from onrecord.authoring.extract.lexicon import (
    BOUNDARY_WORDS,
    CONNECTORS,
    CUES,
    DESCRIPTION_HEADS,
    DETERMINERS,
    DOCUMENTS,
    GENERIC,
    GROUPS,
    ORG_WORDS,
    PARTICIPLES,
    PLACEHOLDER,
    PREPOSITIONS,
    PRONOUNS,
    QUANTIFIERS,
    ROLE_NOUNS,
    SCARE_LEAD,
    SKIP_BEFORE_VERB,
    SMALL_WORDS,
    SPOKES,
    TITLES,
    bare,
    capital,
    fold,
    words_of,
)
from onrecord.authoring.extract.names import Mention, clauses, mentions, roles_of
from onrecord.authoring.extract.text import Span, mask, restore, sentences, spans, without_asides


@dataclass
class Entity:
    """A person, organisation or group the article names."""

    name: str
    kind: str = "person"            # 'person', 'organisation' or 'group'
    role: str = ""
    gender: str = ""
    aliases: set[str] = field(default_factory=set)


@dataclass
class Quote:
    span: Span
    paragraph: int
    context: str
    speaker: Entity | None = None
    cue: str | None = None
    own_cue: bool = False


class Reader:
    """Walks one article in order, remembering who each sentence is about."""

    def __init__(self, paragraphs: list[str]) -> None:
        self.paragraphs = paragraphs
        self.entities: list[Entity] = []
        self.history: list[Entity] = []     # subjects, most recent last
        self.known = self._known_names(paragraphs)

    @staticmethod
    def _known_names(paragraphs: list[str]) -> set[str]:
        """Surnames the article uses mid-sentence, so 'Lam said' at a sentence start counts."""
        known: set[str] = set()
        for text in paragraphs:
            for m in mentions(words_of(text), set()):
                if m.kind == "person" and " " in m.name:
                    known.update(fold(m.name).split())
        return known

    # -- entities
    def entity(self, mention: Mention, role: str = "") -> Entity:
        key = fold(mention.name).split()
        for ent in reversed(self.entities):
            names = [fold(ent.name).split(), *(fold(a).split() for a in ent.aliases)]
            for name in names:
                if key == name or (len(key) < len(name) and key == name[-len(key):]) or (
                        mention.kind in ("person", "unknown") and ent.kind == "person"
                        and len(key) == 1 and len(name) > 2 and key[0] in name):
                    # 'Lula' for Luiz Inácio Lula da Silva, 'Mohammad' for Mohammad bin Salman
                    if role and not ent.role:
                        ent.role = role
                    return ent
                if len(key) > len(name) and name == key[-len(name):] and ent.kind == "person":
                    ent.aliases.add(ent.name)
                    ent.name = mention.name
                    if role and not ent.role:
                        ent.role = role
                    return ent
        ent = Entity(mention.name, mention.kind, role, mention.gender)
        self.entities.append(ent)
        return ent

    def recent(self, want: str) -> Entity | None:
        """The latest subject a pronoun can stand for: 'm'/'f'/'s' a person (a name of
        unknown kind at a pinch), 'p' a group or organisation, 'o' an organisation."""
        for ent in reversed(self.history):
            if want in ("m", "f", "s") and ent.kind == "person" and ent.gender in ("", want):
                return ent
        for ent in reversed(self.history):
            if want in ("m", "f", "s") and ent.kind == "unknown":
                return ent
            if want == "p" and ent.kind in ("group", "organisation"):
                return ent
            if want == "o" and ent.kind == "organisation":
                return ent
        return None

    def described(self, words: list[str]) -> Entity | None:
        """'the spokesperson', 'the court', 'the crown prince' -> the latest who fits: all
        the description's nouns in their name or role, else its last noun."""
        heads = [bare(w).lower() for w in words if bare(w).lower() in DESCRIPTION_HEADS]
        if not heads:
            return None
        organisation = heads[-1] in ORG_WORDS
        for wanted in (heads, heads[-1:]):
            for ent in [*reversed(self.history), *reversed(self.entities)]:
                if organisation != (ent.kind == "organisation"):
                    continue
                text = fold(ent.name if organisation else ent.name + " " + ent.role).split()
                if all(h in text for h in wanted):
                    return ent
        return None

    # -- the walk
    def read(self) -> list[Quote]:
        """Every quote of the article, attributed, in order."""
        quotes: list[Quote] = []
        continuing = False
        for number, paragraph in enumerate(self.paragraphs):
            found = spans(paragraph, continuing)
            continuing = bool(found) and found[-1].open_at_end
            masked, order = mask(paragraph, found)
            position = 0
            for sentence in sentences(masked):
                count = sentence.count(PLACEHOLDER)
                own = [found[order[position + c]] for c in range(count)]
                context = restore(sentence, [paragraph[s.start:s.end] for s in own])
                here = [Quote(s, number, context) for s in own]
                self._sentence(sentence, here, quotes)
                quotes.extend(here)
                position += count
        _carry(quotes)
        return [q for q in quotes if q.span.text]

    def _sentence(self, sentence: str, here: list[Quote], before: list[Quote]) -> None:
        clean = without_asides(sentence)
        tokens = words_of(clean)
        found = mentions(tokens, self.known)
        roles = roles_of(tokens, found)
        people = [self.entity(m, roles.get(m.start, "")) for m in found]
        for m, ent in zip(found, people, strict=True):
            if m.kind == "organisation" and re.search(
                    rf"\(\s*{re.escape(ent.name)}", sentence) is None:
                for acronym in re.findall(rf"{re.escape(m.name)}\s*\(([A-Z][A-Za-z.]+)\)",
                                          sentence):
                    ent.aliases.add(acronym)
        quote_at = [i for i, t in enumerate(tokens) if t == PLACEHOLDER]
        subject = self._main_subject(tokens, found, people)
        previous = before[-1] if before else None
        for n, quote in enumerate(here):
            at = quote_at[n] if n < len(quote_at) else len(tokens)
            if _not_a_quote(quote.span.text, sentence, tokens, at):
                quote.span = Span("", 0, 0)
                continue
            speaker, cue = self._attribute(tokens, found, people, at, quote_at, subject)
            if speaker is not None:
                quote.speaker, quote.cue, quote.own_cue = speaker, cue, True
            elif n and here[n - 1].speaker is not None:
                quote.speaker = here[n - 1].speaker      # "A," she said, "B."
            elif at > 0 and subject is not None:
                quote.speaker = subject                  # inside the reporter's sentence
            elif previous is not None and (previous.paragraph == quote.paragraph
                                           or quote.span.continues):
                quote.speaker = previous.speaker         # "A," she said. "B."
            else:
                quote.speaker = self.latest()            # about whom the last sentence was
        self._remember(found, people, subject)
        for quote in here:
            if quote.speaker is not None and quote.own_cue:
                self._push(quote.speaker)

    def latest(self) -> Entity | None:
        """Whom the last sentences were about: a quote with no cue of its own is theirs."""
        return next((e for e in reversed(self.history) if e.kind != "unknown"), None)

    def _push(self, ent: Entity) -> None:
        if self.history and self.history[-1] is ent:
            return
        self.history.append(ent)

    def _remember(self, found: list[Mention], people: list[Entity],
                  subject: Entity | None) -> None:
        """Who the sentence was about, most salient last, for pronouns to come."""
        for m, ent in zip(found, people, strict=True):
            if m.subject and not m.possessive and not m.modifier and ent is not subject:
                self._push(ent)
        if subject is not None:
            self._push(subject)

    def _main_subject(self, tokens: list[str], found: list[Mention],
                      people: list[Entity]) -> Entity | None:
        """Who the sentence is about: its first subject, past any opening phrase."""
        segments = clauses(tokens)
        for a, b in segments:
            words = [t.lower() for t in tokens[a:b]]
            if not words or words[0] in PREPOSITIONS or words[0].endswith("ing") \
                    or words[0] in BOUNDARY_WORDS - {"and"} or words[0] in (
                        "according", "asked", "speaking", "despite"):
                continue
            got = self._np(tokens, found, people, a, b)
            if got is not None and got.kind == "person":
                return self._coordinated(tokens, found, people, got) or got
            if got is not None:
                return got
        return None

    def _coordinated(self, tokens: list[str], found: list[Mention], people: list[Entity],
                     first: Entity) -> Entity | None:
        """'Shoukry and his Greek, Cypriot and French counterparts gathered': a group, for
        'they' to refer to, named after its first member."""
        at = next((m for m, e in zip(found, people, strict=True) if e is first), None)
        if at is None or at.end + 1 >= len(tokens) or tokens[at.end] != "and":
            return None
        following = tokens[at.end + 1].lower()
        if following in ("his", "her", "their", "other", "the") or capital(tokens[at.end + 1]):
            return Entity(first.name, "group", first.role)
        return None

    def _np(self, tokens: list[str], found: list[Mention], people: list[Entity],
            a: int, b: int, last: bool = False, create: bool = False, inverted: bool = False,
            ) -> Entity | None:
        """The name, pronoun or description a noun phrase tokens[a:b] stands for."""
        inside = [(m, e) for m, e in zip(found, people, strict=True)
                  if a <= m.start < b and not m.possessive]
        for k in range(a, b):
            word = tokens[k].lower()
            if word in PRONOUNS and (k == a or tokens[k - 1].lower() in (",", "and", "but")
                                     or k == b - 1):
                if inside and inside[0][0].start < k:
                    break
                return self._pronoun(word)
        usable = [(m, e) for m, e in inside if not m.modifier and (m.free or inverted)]
        for m, e in zip(found, people, strict=True):   # 'Erdogan's office said': Erdogan's
            after = tokens[m.end:m.end + 2]
            if a <= m.start < b and m.possessive and m.free and any(
                    w.lower().startswith("spoke") or w.lower() in DOCUMENTS | {"office"}
                    for w in after):
                return e
        spokes = SPOKES.search(" ".join(tokens[a:b]))
        if spokes:                       # 'a spokesman for 10 Downing Street': the office speaks
            rest = " ".join(tokens[a:b])[spokes.end():].split()
            name = []
            for word in rest:
                if not (word[:1].isupper() or word[:1].isdigit() or word.lower() in CONNECTORS):
                    break
                name.append(word)
            while name and name[-1].lower() in CONNECTORS:
                name.pop()
            while name and name[0].lower() in CONNECTORS:
                name.pop(0)
            if name:
                known = len(self.entities)
                ent = self.entity(Mention(0, 0, " ".join(name), "organisation", True, False,
                                          False))
                if len(self.entities) > known or ent.kind == "unknown":
                    ent.kind = "organisation"
                return ent
        if usable:
            pick = usable[-1] if last else usable[0]
            if not _described_first(tokens, a, pick[0].start):
                return pick[1]
        words = tokens[a:b]
        lowered = [bare(w).lower() for w in words]
        if lowered and lowered[0] in DETERMINERS | QUANTIFIERS and any(
                w in DESCRIPTION_HEADS or w[:-1] in DESCRIPTION_HEADS for w in lowered):
            return self._description(words, lowered, create)
        if create and 1 <= len(lowered) <= 3 and lowered[-1] in GROUPS:
            return self._new([bare(w) for w in words], "group")   # 'Officials said'
        if create and 2 <= len(lowered) <= 3 and lowered[0] in DETERMINERS | QUANTIFIERS \
                and all(w.isalpha() and w.islower() and w not in DETERMINERS
                        for w in words[1:]):
            return self._new([bare(w) for w in words], "person")  # 'one man shouted'
        return None

    def _description(self, words: list[str], lowered: list[str], create: bool
                     ) -> Entity | None:
        """'the spokesperson', 'the court's summary', 'a council spokeswoman', 'the dockers'
        union': whom the article described that way before, or (with `create`) the
        description itself as the speaker."""
        heads = [n for n, w in enumerate(lowered) if (w in DESCRIPTION_HEADS or (
            w.endswith("s") and w[:-1] in DESCRIPTION_HEADS)) and w.rstrip("s") not in DOCUMENTS]
        if not heads:
            return None
        h = heads[0]
        other = [w for w in lowered[:h] if not (
            w in DETERMINERS or w in QUANTIFIERS or w in ROLE_NOUNS or w in TITLES
            or w in ORG_WORDS or w in DESCRIPTION_HEADS)]
        if len(other) > 2 or any(w in PREPOSITIONS for w in other):
            return None                  # 'the plan was criticised by the leader': a clause
        while h + 1 < len(lowered) and (lowered[h + 1] in DESCRIPTION_HEADS
                                        and lowered[h + 1] not in DOCUMENTS):
            h += 1                       # 'the crown prince', 'the council spokeswoman'
        det = max((n for n in range(h + 1) if lowered[n] in DETERMINERS), default=-1)
        if det < 0:                      # 'one official', 'two senior officials'
            return self._new([bare(w) for w in words[:h + 1]], "person") if create else None
        phrase = [bare(w) for w in words[det + 1:h + 1]]
        head = lowered[h]
        if head.startswith("spoke") and lowered[det] in ("a", "an") and len(phrase) > 1:
            office = phrase[:-1]         # 'a council spokeswoman' speaks for the council
            return self.described(office) or (self._new(office, "organisation")
                                               if create else None)
        if head not in DESCRIPTION_HEADS:       # 'the mayors of London and Manchester'
            rest = [bare(w) for w in words[h + 1:]]
            if create and rest[:1] == ["of"]:
                phrase += rest
            return self._new(phrase, "group") if create else None
        found = self.described(phrase)
        if found is None and lowered[det] == "the":
            # 'the company said': the company of the story; 'the union leader told the
            # crowd': the person the story was about
            found = self.recent("o") if head in GENERIC else (
                None if head in ORG_WORDS else self.recent("s"))
        if found is not None or not (create or head in ORG_WORDS):
            return found                 # an unnamed person is a speaker only by a cue
        return self._new(phrase, "organisation" if head in ORG_WORDS else "person")

    def _new(self, phrase: list[str], kind: str) -> Entity:
        ent = Entity(" ".join(phrase), kind)
        self.entities.append(ent)
        return ent

    def _pronoun(self, word: str) -> Entity | None:
        want = PRONOUNS[word]
        if want in ("m", "f"):
            ent = self.recent(want)
            if ent is not None and not ent.gender:
                ent.gender = want
            return ent
        if want == "p":
            return self.recent("p")
        if want == "o":
            return self.recent("o")
        return None

    def _attribute(self, tokens: list[str], found: list[Mention], people: list[Entity],
                   at: int, quote_at: list[int], subject: Entity | None,
                   ) -> tuple[Entity | None, str | None]:
        """The speaker of the quote at token `at`, from a cue in its own sentence."""
        left_edge = max([q + 1 for q in quote_at if q < at], default=0)
        right_edge = min([q for q in quote_at if q > at], default=len(tokens))
        # after the quote: "...," she said / said the minister, X
        k = at + 1
        after = tokens[k:right_edge]
        if after[:1] in (["—"], ["–"], ["-"]):          # "..." — Kim Roe, party leader
            named = next((e for m, e in zip(found, people, strict=True) if m.start == k + 1),
                         None)
            if named is not None:
                return named, None
        if after and (after[0] in ",—–-" or after[0][:1].islower()
                      or (capital(after[0]) and any(w in CUES for w in after[:8]))):
            for c in range(k, min(right_edge, k + 14)):
                if tokens[c] in ".!?;" and c > k:
                    break
                if tokens[c].lower() == "according" and c + 1 < right_edge and \
                        tokens[c + 1] == "to" and not any(t in CUES for t in tokens[left_edge:at]):
                    end = c + 2
                    while end < right_edge and tokens[end] not in ".;:,!?":
                        end += 1
                    who = self._np(tokens, found, people, c + 2, end, inverted=True)
                    if who is not None:
                        return who, "according to"
                    break
                if tokens[c] not in CUES or tokens[c] in PARTICIPLES:
                    continue
                if right_edge < len(tokens) and not any(
                        t in ",.;:!?" for t in tokens[c + 1:right_edge]):
                    break              # 'the opposition called "..."': the next quote's cue
                who = self._subject_of(tokens, found, people, k + (tokens[k] in ",—–-"), c,
                                       None) if c > k + (tokens[k] in ",—–-") else None
                if who is None and c <= k + (tokens[k] in ",—–-") + 1:
                    # inverted, right after the quote: said the minister, X / wrote student X
                    end = c + 1
                    while end < right_edge and tokens[end] not in ".;:,!?" and (
                            tokens[end].lower() not in PREPOSITIONS or end == c + 1
                            or tokens[end].lower() == "of"):
                        end += 1
                    who = _appositive(tokens, found, people, end, right_edge) or self._np(
                        tokens, found, people, c + 1, end, create=True, inverted=True)
                if who is not None:
                    return who, tokens[c]
                break
        # before the quote: X said: "..." / X called it a "..."
        for c in range(at - 1, left_edge - 1, -1):
            word = tokens[c]
            if word.lower() == "according" and c + 1 < at and tokens[c + 1].lower() == "to":
                source = self._according(tokens, found, people, c + 2, at)
                if source is not None and not any(
                        t in CUES for t in tokens[left_edge:c]):
                    return source, "according to"
                continue
            if word not in CUES:
                continue
            relative = word in ("said", "says") and c > 0 and tokens[c - 1] in ("which", "that")
            if word in PARTICIPLES or relative:
                return (subject, tokens[c]) if subject else (None, None)
            who = self._subject_of(tokens, found, people, left_edge, c, subject)
            if who is not None:
                return who, tokens[c]
        # inverted after the quote with no comma ('said a protester using the pseudonym Katya')
        if subject is not None and any(t in CUES for t in tokens[left_edge:right_edge]):
            cue = next(t for t in tokens[left_edge:right_edge] if t in CUES)
            return subject, cue
        return None, None

    def _subject_of(self, tokens: list[str], found: list[Mention], people: list[Entity],
                    left: int, verb: int, subject: Entity | None) -> Entity | None:
        """The subject of the verb at `verb`: walk back over adverbs and appositives."""
        end = verb
        while end > left and tokens[end - 1].lower() in SKIP_BEFORE_VERB:
            end -= 1
        if end > left and tokens[end - 1].lower() in ("and", "which", "that", "who", "but"):
            if tokens[end - 1].lower() == "who":
                got = self._np(tokens, found, people, left, end - 1, last=True)
                if got is not None:
                    return got
            return subject
        segments = [s for s in clauses(tokens, left, end) if s[1] > s[0]]
        fallback: Entity | None = None
        for a, b in reversed(segments[-4:]):
            words = [t.lower() for t in tokens[a:b]]
            got = self._np(tokens, found, people, a, b, create=True)
            inner = [d for d in range(a + 1, b) if tokens[d] in DETERMINERS]
            if got is None and inner:         # 'a claim the opposition called': its clause
                got = self._np(tokens, found, people, inner[-1], b, create=True)
            has_name = any(a <= m.start < b and not m.possessive and m.free for m in found)
            if got is not None and (has_name or words[-1] in PRONOUNS):
                return got
            if got is not None and fallback is None:
                fallback = got
                continue
            if words[0] in PREPOSITIONS or words[0] in ("according", "speaking") \
                    or words[0] in BOUNDARY_WORDS:
                break
            if not (words[0].endswith("ing") or words[0] in ("who", "which", "also", "as",
                                                               "the", "a", "an")
                    or any(w in ROLE_NOUNS or w in TITLES for w in words)):
                break
        return fallback or subject

    def _according(self, tokens: list[str], found: list[Mention], people: list[Entity],
                   a: int, b: int) -> Entity | None:
        end = a
        while end < b and tokens[end] not in ",;:":
            end += 1
        words = [t.lower() for t in tokens[a:end]]
        if "by" in words:               # according to a statement released by X
            start = a + words.index("by") + 1
            inside = [e for m, e in zip(found, people, strict=True) if start <= m.start < end]
            if inside:
                return inside[0]
        return None


def _described_first(tokens: list[str], a: int, name_at: int) -> bool:
    """'The only court with higher authority is the Supreme Court': the phrase comes first."""
    if tokens[a].lower() not in ("the", "a", "an", "its", "his", "her", "their"):
        return False
    return any(bare(t).lower() in DESCRIPTION_HEADS for t in tokens[a:name_at]) and not any(
        t.lower() in TITLES for t in tokens[name_at - 1:name_at])


def _appositive(tokens: list[str], found: list[Mention], people: list[Entity],
                at: int, right: int) -> Entity | None:
    """', X' right after an inverted cue: 'said the minister, Sergei Lavrov'."""
    if at < right and tokens[at] == ",":
        for m, e in zip(found, people, strict=True):
            if m.start == at + 1 and m.kind == "person":
                return e
    return None


def _not_a_quote(text: str, sentence: str, tokens: list[str], at: int) -> bool:
    """Scare quotes, slogans and titles: short, and nobody is said to say them."""
    before = sentence.split(PLACEHOLDER)[0] if sentence.count(PLACEHOLDER) == 1 else ""
    words = re.findall(r"[\w’'-]+", text)
    if before and SCARE_LEAD.search(before) and len(words) <= 8:
        return True
    if 2 <= len(words) <= 8 and not re.search(r"[.!?,;:]$", text) and all(
            w[0].isupper() or w.lower() in SMALL_WORDS or not w[0].isalpha() for w in words) \
            and not any(t in CUES for t in tokens):
        return True                    # a title: 'The Art of the Deal'
    return len(words) <= 3 and not any(t in CUES for t in tokens) \
        and "according" not in (t.lower() for t in tokens)


def _carry(quotes: list[Quote]) -> None:
    """A quotation over several paragraphs takes the speaker its cue names, wherever it is."""
    chain: list[Quote] = []
    for quote in [*quotes, None]:
        if quote is not None and quote.span.continues and chain:
            chain.append(quote)
            continue
        if len(chain) > 1:
            cued = next((q for q in reversed(chain) if q.own_cue), None)
            if cued is not None:
                for q in chain:
                    if not q.own_cue:
                        q.speaker = cued.speaker
        chain = [quote] if quote is not None else []
