"""Article text -> every direct quote and its speaker, by rules (no model, no network).

Three steps. `spans` finds the quoted passages of a paragraph (curly, straight and
single marks, nested quotes, a quotation running on over paragraphs). `Reader` walks
the article sentence by sentence, keeping who was last the subject of a sentence, so
that "he", "they" or "the court" can be resolved, and attributes each quote from its
reporting clause: after it ("...," she said), before it (X said: "..."), inverted
(said the minister, X), or from the sentence's subject for a partial quote. A quote
with no cue of its own continues the previous quote, or belongs to whoever the
previous sentence was about. Scare quotes, slogans and titles are left out.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


OPEN_DOUBLE = "“„«‟"
CLOSE_DOUBLE = "”»"
OPEN_SINGLE = "‘‚‹"
CLOSE_SINGLE = "’›"
MARKS = "\"'" + OPEN_DOUBLE + CLOSE_DOUBLE + OPEN_SINGLE + CLOSE_SINGLE

_CUE_STEMS = (
    "say said says saying tell told tells telling add added adds adding continue continued "
    "continues continuing write wrote writes writing state stated states stating explain "
    "explained explains explaining announce announced announces announcing comment commented "
    "comments call called calls calling claim claimed claims claiming describe described "
    "describes describing insist insisted insists insisting argue argued argues arguing warn "
    "warned warns warning note noted notes noting ask asked asks asking reply replied replies "
    "replying tweet tweeted tweets tweeting post posted posts urge urged urges urging conclude "
    "concluded concludes concluding declare declared declares declaring defend defended "
    "defends spoke speak speaks remark remarked remarks respond responded responds responding "
    "maintain maintained maintains characterized characterised characterizes characterises "
    "characterizing characterising attack attacked attacks denounce denounced denounces "
    "denouncing dismiss dismissed dismisses branded labelled labeled emphasized emphasised "
    "stressed stresses promised pledged vowed admitted acknowledged suggested predicted "
    "recalled cautioned accused criticized criticised found ruled decided exclaimed "
    "quipped joked wondered demanded reiterated confirmed shouted told writes answered "
    "answers countered counters observed observes recounted recounts complained complains "
    "agreed agrees boasted insisted promises pleaded pleads testified testifies "
    "affirmed affirms alleged alleges"
)
CUES = _set(_CUE_STEMS)
OBJECT_VERBS = _set(
    "told tells asked asks urged urges called calls warned accused criticized criticised "
    "attacked defended denounced thanked encouraged praised blamed met")
PARTICIPLES = frozenset(w for w in CUES if w.endswith("ing"))
PRONOUNS = {"he": "m", "she": "f", "they": "p", "it": "o", "we": "p", "i": "s"}
PREPOSITIONS = _set(
    "of to by for with from at in on about against via into onto over under than toward "
    "towards between among upon after before during like including despite behind")
BOUNDARY_WORDS = _set(
    "that and but while when as because although though if so whereas since then")
SKIP_BEFORE_VERB = _set(
    "also later further then again repeatedly has had have was were is would will has "
    "previously once publicly reportedly recently earlier swiftly had already simply only "
    "just still even flatly angrily quickly bluntly openly privately separately "
    "subsequently immediately not never himself herself themselves itself both")
TITLES = _set(
    "president vice prime minister foreign secretary senator governor mayor leader whip "
    "minority majority speaker chief executive chairman chairwoman chair ambassador "
    "director spokesperson spokesman spokeswoman spokeman commissioner representative rep "
    "judge justice general colonel captain admiral crown prince princess king queen pope "
    "lord lady sir dr mr mrs ms miss prof professor legislator lawmaker member mp mep "
    "councillor councilor chancellor premier first deputy acting former interim senior "
    "attorney officer sheriff inspector sergeant constable secretary-general chairperson "
    "envoy delegate mayor-elect president-elect sen gov minister-president head "
    "correspondent editor reporter founder ceo cfo chancellor economist analyst manager "
    "coach captain bishop archbishop cardinal rabbi imam reverend rev house senate "
    "parliament cabinet state defence defense interior justice finance health home affairs "
    "intelligence special presidential envoy assistant")
ORG_WORDS = _set(
    "commission ministry department court forces office agency council committee party "
    "government kremlin association union organisation organization foundation institute "
    "university bank company corporation inc ltd group police embassy army navy assembly "
    "congress senate parliament administration authority authorities board bureau service "
    "services tribunal federation league alliance coalition network times post news press "
    "reuters cabinet presidency secretariat centre center international nations fund trust "
    "campaign movement front command watch commissioner airlines airline airways plc llc "
    "gmbh corp holdings industries society club hospital school church institution "
    "charity firm") - {"international", "commissioner"}
ROLE_NOUNS = _set(
    "spokesperson spokesman spokeswoman spokeman minister president leader protester "
    "student broadcaster journalist official officials lawyer chairman chair member "
    "secretary senator governor mayor director ambassador envoy legislator lawmaker judge "
    "court ministry government agency police analyst expert activist prosecutor commander "
    "chief executive head mother father wife husband son daughter sister brother fiancée "
    "fiancé founder owner manager witness resident campaigner representative rapporteur "
    "reporter correspondent editor economist scientist researcher professor doctor nurse "
    "officer ministers officials leaders protesters residents experts lawmakers legislators "
    "diplomat diplomats negotiator prince king queen crown party office department "
    "committee council commission statement summary monarch premier chancellor candidate "
    "nominee")
DESCRIPTION_HEADS = _set(
    "airline firm charity hospital school university "
    "spokesperson spokesman spokeswoman spokeman minister president leader court ministry "
    "government agency police prosecutor prosecutors commander chief executive premier "
    "chancellor prince king queen monarch judge judges office department committee council "
    "commission embassy army military company group campaign union party senator governor "
    "mayor ambassador envoy secretary official officials organisation organization "
    "presidency palace kremlin administration authorities authority statement summary "
    "ruling report")
DETERMINERS = frozenset(("the", "a", "an", "its", "his", "her", "their"))
GENERIC = _set("company firm airline group organisation organization agency party union "
               "ministry department government")
GROUPS = _set("officials police prosecutors witnesses residents analysts experts protesters "
              "investigators authorities doctors scientists lawyers activists organisers "
              "organizers diplomats sources critics")
DOCUMENTS = frozenset(("statement", "summary", "ruling", "report"))
SPOKES = re.compile(r"\b(?:a|an|the)\s+spoke\w*(?:man|woman|person)\s+(?:for|of)\s+", re.I)
STOP_CAPS = _set(
    "the this that these those a an on in at yesterday today tomorrow monday tuesday "
    "wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december earlier later last next meanwhile however "
    "but and according speaking asked in after before during when while although though as "
    "if one two three some many most several other another his her their its our my your we "
    "i he she they it there here what who which why how both all each every "
    "also still even now then since so")
PARTICLES = _set(
    "bin al el de del della di da van von der den la le du ibn abu dos das ben ter")
CONNECTORS = frozenset({"of", "on", "for", "the", "and"})
ABBREVIATIONS = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Col|Capt|Lt|St|Jr|Sr|Inc|Ltd|Co|Corp|No|vs|"
    r"etc|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|U\.S|U\.K|U\.N|[A-Z])\.$")
SCARE_LEAD = re.compile(
    r"(?:so-called|dubbed|nicknamed|titled|entitled|named|known as|headlined|hashtag|"
    r"slogans?|chant(?:ed|ing|s)?|banners? reading|signs? reading|reading|the words?|"
    r"the term|the phrase|the word|(?:a|an|the|its|his|her|their)\s+[\w-]+(?:\s+[\w-]+)?"
    r"\s+called)\s*[:,]?\s*$", re.I)
GENDERED = {**dict.fromkeys(("mr", "sir", "lord", "king", "prince", "father", "brother"), "m"),
            **dict.fromkeys(("mrs", "ms", "miss", "lady", "queen", "princess", "dame"), "f")}
QUANTIFIERS = _set(
    "one two three some many most each all none several any both either neither")
SMALL_WORDS = _set(
    "of the and a an in on for to at by with or from")
WORD = re.compile(r"(?:[A-Z]\.){2,}|\b[A-Z]\.(?=\s+[A-Z])|[\w’'\-]+|[^\w\s]", re.U)
PLACEHOLDER = "\ue000"   # a private-use character stands for each quote in the sentence
# 'Lam said in a statement.' after a quote ending in '.': its cue, not a new sentence
AFTER_CUE = re.compile(r"[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,3}\s+(?:\w+ly\s+)?(?:"
                       + "|".join(sorted(CUES - PARTICIPLES)) + r")(?:[.;]|,(?!\s*\ue000)"
                       r"|\s+(?:in|on|at|during|to|via|from|after|before|when)\b)")


@dataclass(frozen=True)
class Span:
    """A quoted passage of one paragraph: `text` verbatim, `start`/`end` around the marks."""

    text: str
    start: int
    end: int
    open_at_end: bool = False      # the quotation runs on into the next paragraph
    continues: bool = False        # it continues one left open in the previous paragraph


@dataclass(frozen=True)
class Found:
    """One direct quote and what the article says about who said it."""

    text: str
    speaker: str | None
    role: str
    cue: str | None
    paragraph: int
    context: str                  # the sentence the quote stands in, as written
    kind: str = "person"          # 'person', 'organisation' or 'group'


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Lowercase without accents: 'Erdoğan' and 'Erdogan' are the same name."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold().replace("’", "'")


# ---------------------------------------------------------------------------- quote spans
def spans(paragraph: str, continuing: bool = False) -> list[Span]:
    """Every top-level quotation in `paragraph`, nested quotes kept inside their quote."""
    found: list[Span] = []
    stack: list[tuple[str, int]] = []   # ('d' or 's', index of the opening mark)
    text = paragraph
    n = len(text)
    first_open = continuing

    def opener_side(i: int) -> bool:
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < n else " "
        return (before.isspace() or before in "([{—–-/:" + MARKS) and not after.isspace()

    def closer_side(i: int) -> bool:
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < n else " "
        return not before.isspace() and not after.isalnum()

    def push(kind: str, i: int) -> None:
        stack.append((kind, i))

    def pop(i: int) -> None:
        nonlocal first_open
        _, start = stack.pop()
        if not stack:
            found.append(_span(text, start + 1, i, start, i + 1, continues=first_open
                               and start == _first_mark(text)))
            first_open = False

    for i, ch in enumerate(text):
        top = stack[-1][0] if stack else None
        if ch in OPEN_DOUBLE:
            push("d", i)
        elif ch in CLOSE_DOUBLE:
            if top == "d":
                pop(i)
            elif top == "s" and any(k == "d" for k, _ in stack):
                while stack and stack[-1][0] == "s":
                    stack.pop()
                pop(i)
        elif ch == '"':
            if top == "d" and closer_side(i):
                pop(i)
            elif opener_side(i):
                push("d", i)
            elif top == "d":
                pop(i)
        elif ch in OPEN_SINGLE:
            push("s", i)
        elif ch in CLOSE_SINGLE or ch == "'":
            before = text[i - 1] if i else " "
            after = text[i + 1] if i + 1 < n else " "
            if before.isalnum() and after.isalnum():
                continue                      # an apostrophe: it's, Russia’s
            if top == "s" and closer_side(i):
                pop(i)
            elif ch == "'" and opener_side(i) and after.isalpha():
                push("s", i)
    # no closing mark: the quotation runs on to the next paragraph (a straight ' left open
    # is more likely an apostrophe)
    doubles = [(k, s) for k, s in stack if k == "d" or text[s] in OPEN_SINGLE]
    if doubles and (doubles[0][0] == "d" or doubles[0] == stack[0]):
        start = doubles[0][1]
        body = text[start + 1:].rstrip()
        found.append(Span(body.rstrip(",").rstrip(), start, n, open_at_end=True,
                          continues=first_open and start == _first_mark(text)))
    return [s for s in found if len(re.findall(r"\w", s.text)) >= 2]


def _first_mark(text: str) -> int:
    stripped = len(text) - len(text.lstrip())
    return stripped if text[stripped:stripped + 1] in MARKS else -1


def _span(text: str, a: int, b: int, start: int, end: int, continues: bool) -> Span:
    inner = text[a:b].strip()
    inner = inner[:-1].rstrip() if inner.endswith(",") else inner
    return Span(inner, start, end, continues=continues)


# ------------------------------------------------------------------------------ mentions
@dataclass
class Entity:
    """A person, organisation or group the article names."""

    name: str
    kind: str = "person"            # 'person', 'organisation' or 'group'
    role: str = ""
    gender: str = ""
    aliases: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Mention:
    start: int        # token indices in the sentence
    end: int
    name: str
    kind: str
    subject: bool     # stands where a subject stands (not after a verb or preposition)
    modifier: bool    # qualifies a following noun: 'Kremlin spokesperson', 'Labour Party leader'
    possessive: bool
    free: bool = True  # not the object of a preposition: 'of Georgia', 'to Martin Smith'
    gender: str = ""   # 'm' or 'f' when a title says so: Mr, Mrs, Lord, Queen


def _tokens(text: str) -> list[str]:
    return WORD.findall(text)


@lru_cache(maxsize=8192)
def _cap(token: str) -> bool:
    return bool(token) and (token[0].isupper() or (token[0].isdigit() and len(token) > 1
                            and any(c.isalpha() for c in token) is False
                            and False)) and any(c.isalpha() for c in token)


def _is_acronym(token: str) -> bool:
    letters = token.replace(".", "")
    return len(letters) >= 2 and letters.isupper() and letters.isalpha()


def mentions(tokens: list[str], known: set[str]) -> list[Mention]:
    """Runs of capitalised words that name someone: people, organisations, groups."""
    found: list[Mention] = []
    i = 0
    n = len(tokens)
    while i < n:
        if not _cap(tokens[i]):
            i += 1
            continue
        j = i
        while j < n:
            if _cap(tokens[j]) or (tokens[j].lower() in PARTICLES and j + 1 < n
                                   and _cap(tokens[j + 1]) and j > i):
                j += 1
            elif (tokens[j].lower() in CONNECTORS and j > i and j + 1 < n
                  and tokens[j].lower() != "and"
                  and (_cap(tokens[j + 1]) or (tokens[j + 1] == "the" and j + 2 < n
                       and _cap(tokens[j + 2])))
                  and any(t.lower() in ORG_WORDS for t in tokens[i:j + 3])):
                j += 1 if tokens[j + 1] != "the" else 2
            else:
                break
        found.extend(_split_run(tokens, i, j, known))
        i = j
    return found


def _split_run(tokens: list[str], i: int, j: int, known: set[str]) -> list[Mention]:
    """One run of capitalised words -> the names in it ('Senate Minority Whip Dick Durbin')."""
    run = tokens[i:j]
    words = [_clean(t).lower() for t in run]
    # drop leading capitalised words that are not names: 'The', 'On', 'Yesterday'
    k = 0
    while k < len(run) and words[k] in STOP_CAPS:
        k += 1
    if k == len(run):
        return []
    possessive = fold(run[-1]).endswith("'s") or (j < len(tokens) and tokens[j] in ("'", "’"))
    after = tokens[j].lower() if j < len(tokens) else ""
    modifier = after in ROLE_NOUNS or after in TITLES or after in ORG_WORDS
    subject = _subject_position(tokens, i + k)

    def plain(m: int) -> bool:
        return words[m] not in TITLES and words[m] not in ORG_WORDS \
            and words[m] not in CONNECTORS and words[m] != "international"

    # a person named after a title or an organisation: 'Amnesty International Man-kei Tam',
    # 'Member of Parliament Yvette Cooper of the Labour Party'
    for p in range(max(k, 1), len(run)):
        q = p
        while q < len(run) and plain(q):
            q += 1
        if q - p >= 2 and (words[p - 1] in TITLES or words[p - 1] in ORG_WORDS
                           or words[p - 1] == "international") and (
                words[p - 1] != "international" or words[p - 2] not in CONNECTORS) and (
                q == len(run) or words[q] in CONNECTORS):
            name = " ".join(_clean(t) for t in run[p:q][-3:])
            out = [Mention(i + p, i + q, name, "person", subject, modifier and q == len(run),
                           possessive and q == len(run), True)]
            head = run[k:p]
            if any(w in ORG_WORDS for w in words[k:p]):
                while head and head[0].lower() in TITLES and head[0].lower() not in ORG_WORDS:
                    head = head[1:]
                if head:
                    out.insert(0, Mention(i + p - len(head), i + p, " ".join(
                        _clean(t) for t in head), "organisation", subject, True, False, False))
            return out
    if any(w in ORG_WORDS for w in words[k:]):
        start = k
        name = " ".join(_clean(t) for t in run[start:])
        free = not _governed(tokens, i + start, j)
        return [Mention(i + start, j, name, "organisation", subject and free, modifier,
                        possessive, free)] if name else []
    # people: the trailing words that are not titles
    m = len(run)
    while m > k and words[m - 1] not in TITLES:
        m -= 1
    name_words = run[m:]
    if not name_words:
        return []
    of_before = words[m - 1] == "of" if m > 0 else i > 0 and tokens[i - 1].lower() == "of"
    of_before = of_before or (m >= 2 and words[m - 2] == "of")
    limit = 2 if of_before or len(name_words) > 3 else 3
    cut = False
    while len([t for t in name_words if t.lower() not in PARTICLES]) > limit:
        name_words = name_words[1:]
        cut = True
    at_start = i + k == 0 or tokens[i + k - 1] in ".!?:;\"“" + PLACEHOLDER
    title_before = m > k or (i > 0 and (tokens[i - 1].lower() in TITLES
                                       or tokens[i - 1].lower() in ROLE_NOUNS))
    if len(name_words) == 1:
        token = name_words[0]
        bare = fold(_clean(token))
        if at_start and m == k and bare not in known and not _is_acronym(token) and not (
                j < len(tokens) and (tokens[j] in CUES or _aside_follows(tokens, j))):
            return []                     # 'Reporters also asked': a capital at the start
        kind = "organisation" if _is_acronym(token) else (
            "person" if bare in known or title_before else "unknown")
    else:
        kind = "person"
    name = " ".join(_clean(t) for t in name_words)
    start = j - len(name_words)
    free = cut or not _governed(tokens, start, j)
    gender = next((GENDERED[w] for w in words[:m] if w in GENDERED), "")
    return [Mention(start, j, name, kind, subject and free, modifier, possessive, free, gender)]


def _aside_follows(tokens: list[str], j: int) -> bool:
    """'Lima, asked about the vote, said': a name, unlike 'Specifically, she said'."""
    return tokens[j] == "," and j + 1 < len(tokens) and (
        tokens[j + 1] in ("who", "whose") or (tokens[j + 1].endswith(("ed", "ing"))
        and tokens[j + 1][:1].islower())) and not tokens[j - 1].endswith("ly")


@lru_cache(maxsize=8192)
def _clean(token: str) -> str:
    """'Russia's' -> 'Russia'; 'W.' stays an initial."""
    token = re.sub(r"['’]s$", "", token)
    return token if re.fullmatch(r"[A-Z]\.", token) else token.strip(".")


def _subject_position(tokens: list[str], i: int) -> bool:
    """Left of the run, past titles, 'the' and role words: a boundary, not a verb or 'of'."""
    k = i - 1
    while k >= 0 and (_cap(tokens[k]) or tokens[k].lower() in ("the", "a", "an", "his",
                                                                 "her", "its", "their")
                      or tokens[k].lower() in ROLE_NOUNS or tokens[k].lower() in TITLES
                      or tokens[k] in ("-", "’s", "'s")):
        k -= 1
    if k < 0:
        return True
    word = tokens[k].lower()
    if word in PREPOSITIONS:
        return False
    return word in BOUNDARY_WORDS or tokens[k] in ",;:—(" + PLACEHOLDER or word in (
        "who", "which", "yesterday", "today", "afternoon", "morning", "evening", "night",
        "week", "month", "year", "day", "both", "also")


# -------------------------------------------------------------------------- the reader
@dataclass
class Quote:
    span: Span
    paragraph: int
    sentence_text: str
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
            for m in mentions(_tokens(text), set()):
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
                        mention.kind == ent.kind == "person" and len(key) == 1
                        and key[0] == name[0] and len(name) > 2):
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

    def recent(self, want: str, before: list[Entity] | None = None) -> Entity | None:
        """The latest subject a pronoun can stand for: 'm'/'f' a person, 'p' a group."""
        for ent in reversed(self.history + (before or [])):
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
        heads = [_clean(w).lower() for w in words if _clean(w).lower() in DESCRIPTION_HEADS]
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
        quotes: list[Quote] = []
        continuing = False
        for number, paragraph in enumerate(self.paragraphs):
            found = spans(paragraph, continuing)
            continuing = bool(found) and found[-1].open_at_end
            masked, order = _mask(paragraph, found)
            sentences = _sentences(masked)
            position = 0
            for sentence in sentences:
                count = sentence.count(PLACEHOLDER)
                own = [found[order[position + c]] for c in range(count)]
                context = _restore(sentence, [paragraph[s.start:s.end] for s in own])
                here = [Quote(s, number, context) for s in own]
                self._sentence(sentence, here, quotes)
                quotes.extend(here)
                position += count
        _carry(quotes)
        return [q for q in quotes if q.span.text]

    def _sentence(self, sentence: str, here: list[Quote], before: list[Quote]) -> None:
        clean = _asides(sentence)
        tokens = _tokens(clean)
        found = mentions(tokens, self.known)
        roles = _roles(tokens, found)
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
                if speaker.kind == "unknown":
                    speaker.kind = "person"
            elif n and here[n - 1].speaker is not None:
                quote.speaker = here[n - 1].speaker      # "A," she said, "B."
            elif at > 0 and subject is not None:
                quote.speaker = subject                  # inside the reporter's sentence
            elif previous is not None and (previous.paragraph == quote.paragraph
                                           or quote.span.continues):
                quote.speaker = previous.speaker         # "A," she said. "B."
            else:
                quote.speaker = self.latest()            # about whom the last sentence was
        self._remember(found, people, subject, tokens)
        for quote in here:
            if quote.speaker is not None and quote.own_cue:
                self._push(quote.speaker)

    def latest(self) -> Entity | None:
        return next((e for e in reversed(self.history) if e.kind != "unknown"), None)

    def _push(self, ent: Entity) -> None:
        if self.history and self.history[-1] is ent:
            return
        self.history.append(ent)

    def _remember(self, found: list[Mention], people: list[Entity],
                  subject: Entity | None, tokens: list[str]) -> None:
        for m, ent in zip(found, people, strict=True):
            if m.subject and not m.possessive and not m.modifier and ent is not subject:
                self._push(ent)
        if subject is not None:
            self._push(subject)

    def _main_subject(self, tokens: list[str], found: list[Mention],
                      people: list[Entity]) -> Entity | None:
        """Who the sentence is about: its first subject, past any opening phrase."""
        segments = _segments(tokens)
        for a, b in segments:
            words = [t.lower() for t in tokens[a:b]]
            if not words or words[0] in PREPOSITIONS or words[0].endswith("ing") \
                    or words[0] in BOUNDARY_WORDS - {"and"} or words[0] in (
                        "according", "asked", "speaking", "despite"):
                continue
            got = self._np(tokens, found, people, a, b)
            if got is not None:
                return got
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
                ent = self.entity(Mention(0, 0, " ".join(name), "organisation", True, False,
                                          False))
                ent.kind = "organisation"
                return ent
        if usable:
            pick = usable[-1] if last else usable[0]
            if not _described_first(tokens, a, pick[0].start):
                return pick[1]
        words = tokens[a:b]
        lowered = [_clean(w).lower() for w in words]
        if lowered and lowered[0] in DETERMINERS | QUANTIFIERS and any(
                w in DESCRIPTION_HEADS or w[:-1] in DESCRIPTION_HEADS for w in lowered):
            return self._description(words, lowered, create)
        if create and 1 <= len(lowered) <= 3 and lowered[-1] in GROUPS:
            return self._new([_clean(w) for w in words], "group")   # 'Officials said'
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
            return self._new([_clean(w) for w in words[:h + 1]], "person") if create else None
        phrase = [_clean(w) for w in words[det + 1:h + 1]]
        head = lowered[h]
        if head.startswith("spoke") and lowered[det] in ("a", "an") and len(phrase) > 1:
            office = phrase[:-1]         # 'a council spokeswoman' speaks for the council
            return self.described(office) or (self._new(office, "organisation")
                                               if create else None)
        if head not in DESCRIPTION_HEADS:       # 'the mayors of London and Manchester'
            rest = [_clean(w) for w in words[h + 1:]]
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
        if after and (after[0] in ",—–-" or after[0][:1].islower()
                      or (_cap(after[0]) and any(w in CUES for w in after[:8]))):
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
        segments = [s for s in _segments(tokens, left, end) if s[1] > s[0]]
        fallback: Entity | None = None
        for a, b in reversed(segments[-4:]):
            words = [t.lower() for t in tokens[a:b]]
            got = self._np(tokens, found, people, a, b, create=True)
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
    return any(_clean(t).lower() in DESCRIPTION_HEADS for t in tokens[a:name_at]) and not any(
        t.lower() in TITLES for t in tokens[name_at - 1:name_at])


def _appositive(tokens: list[str], found: list[Mention], people: list[Entity],
                at: int, right: int) -> Entity | None:
    """', X' right after an inverted cue: 'said the minister, Sergei Lavrov'."""
    if at < right and tokens[at] == ",":
        for m, e in zip(found, people, strict=True):
            if m.start == at + 1 and m.kind == "person":
                return e
    return None


def _governed(tokens: list[str], start: int, end: int | None = None) -> bool:
    """Is the name the object of a preposition or verb ('of Georgia', 'to Martin Smith'),
    or in apposition to one ('by the opposition leader, Sara Mendes,')?"""
    k = start - 1
    while k >= 0 and (tokens[k].lower() in ("the", "a", "an") or tokens[k].lower() in TITLES
                      or tokens[k].lower() in ROLE_NOUNS):
        k -= 1
    if k > 0 and tokens[k] in ("and", "or"):       # 'of London and Manchester'
        k -= 1
        while k >= 0 and (_cap(tokens[k]) or tokens[k].lower() in ("the", "a", "an")):
            k -= 1
    if k < 0:
        return False
    if tokens[k] == "," and end is not None and end < len(tokens) and tokens[end] in ",;.":
        j, plain = k - 1, 0
        while j >= 0 and (tokens[j].lower() in ("the", "a", "an") or tokens[j].lower()
                          in TITLES or tokens[j].lower() in ROLE_NOUNS or _cap(tokens[j])
                          or (plain < 2 and tokens[j][:1].islower() and tokens[j] not in CUES
                          and tokens[j] not in PREPOSITIONS and tokens[j] not in BOUNDARY_WORDS)):
            plain += tokens[j][:1].islower() and tokens[j].lower() not in ROLE_NOUNS | TITLES
            j -= 1
        return j >= 0 and tokens[j].lower() in PREPOSITIONS and not (
            tokens[j].lower() == "of" and j > 0 and tokens[j - 1].lower() in QUANTIFIERS)
    word = tokens[k]
    return word.lower() in PREPOSITIONS or word in OBJECT_VERBS or (
        word[:1].islower() and word.endswith("ing")
        and word not in ("during", "morning", "evening"))


def _segments(tokens: list[str], a: int = 0, b: int | None = None) -> list[tuple[int, int]]:
    """Comma-separated stretches of tokens[a:b]."""
    b = len(tokens) if b is None else b
    out = []
    start = a
    for k in range(a, b):
        if tokens[k] in ",;:—–" or tokens[k] == PLACEHOLDER:
            out.append((start, k))
            start = k + 1
    out.append((start, b))
    return [(x, y) for x, y in out if y > x]


def _roles(tokens: list[str], found: list[Mention]) -> dict[int, str]:
    """The role the article gives a person beside their name, keyed by the mention's start."""
    roles: dict[int, str] = {}
    for m in found:
        if m.kind != "person":
            continue
        # 'NAME, the foreign ministry spokesperson,'
        if m.end < len(tokens) and tokens[m.end] == ",":
            k = m.end + 1
            words = []
            while k < len(tokens) and tokens[k] not in ",;:." + PLACEHOLDER and len(words) < 12:
                words.append(tokens[k])
                k += 1
            lowered = [w.lower() for w in words]
            if len(words) > 1 and lowered[0] in ("the", "a", "an") and k < len(tokens) and \
                    tokens[k] == "," and not any(w in CUES or w in BOUNDARY_WORDS
                                                 or w == "who" for w in lowered):
                roles[m.start] = _join(words[1:])
                continue
        # 'Russia's foreign ministry spokesperson, NAME,'
        k = m.start - 1
        if k >= 0 and tokens[k] == ",":
            words = []
            j = k - 1
            while j >= 0 and tokens[j] not in ",;:." + PLACEHOLDER and len(words) < 10 and (
                    tokens[j] not in CUES and tokens[j] not in PREPOSITIONS
                    and tokens[j] not in BOUNDARY_WORDS):
                words.insert(0, tokens[j])
                j -= 1
            lowered = [w.lower() for w in words]
            if words and lowered[-1] in ROLE_NOUNS | TITLES:
                while words and words[0].lower() in STOP_CAPS:
                    words = words[1:]
                roles[m.start] = _join(words)
                continue
        # 'Kremlin spokesperson NAME', 'Hong Kong director of Amnesty International NAME'
        words = []
        j = m.start - 1
        while j >= 0 and tokens[j] not in ",;:.()" + PLACEHOLDER and len(words) < 10:
            word = tokens[j].lower()
            if not (_cap(tokens[j]) or word in ROLE_NOUNS or word in TITLES or word in ORG_WORDS
                    or word in (
                    "of", "the", "for", "student", "committee", "foreign", "prime", "former",
                    "incoming", "state", "news", "television", "pro", "camp") or
                    word.endswith(("ian", "ish", "ese", "an"))):
                break
            words.insert(0, tokens[j])
            j -= 1
        while words and (words[0].lower() in ("the", "of", "for") or words[0].lower()
                         in STOP_CAPS):
            words = words[1:]
        if words and any(w.lower() in ROLE_NOUNS or w.lower() in TITLES for w in words):
            roles[m.start] = _join(words)
    return roles


def _join(words: list[str]) -> str:
    text = " ".join(words)
    text = re.sub(r"\s+([’'](?:s)?)\b", r"\1", text)
    return re.sub(r"\s+([,.;:)])", r"\1", text).replace("( ", "(").replace(" - ", "-").strip()


def _mask(paragraph: str, found: list[Span]) -> tuple[str, list[int]]:
    """The paragraph with each quote replaced by one placeholder character."""
    out = []
    last = 0
    for span in found:
        out.append(paragraph[last:span.start])
        out.append(f" {PLACEHOLDER}{_end_mark(span.text)} ")
        last = span.end
    out.append(paragraph[last:])
    return "".join(out), list(range(len(found)))


def _end_mark(text: str) -> str:
    """A quote ending a sentence ends the sentence it stands in: keep that as a boundary."""
    return "\ue001" if text.rstrip("])…").endswith((".", "!", "?")) else ""


def _sentences(masked: str) -> list[str]:
    """Reporter's sentences; a quote ending in '.' followed by a capital ends one too."""
    pieces: list[str] = []
    start = 0
    text = masked
    for m in re.finditer(r"([.!?]|\ue001)\s+(?=[A-Z\ue000\"“‘'])", text):
        head = text[start:m.end()].rstrip()
        if m.group(1) == "." and ABBREVIATIONS.search(head):
            continue
        if m.group(1) == "\ue001":
            nxt = text[m.end():m.end() + 40]
            if AFTER_CUE.match(nxt):
                continue
        pieces.append(head)
        start = m.end()
    pieces.append(text[start:].strip())
    return [p.replace("\ue001", "") for p in pieces if p.strip()]


def _restore(sentence: str, quoted: list[str]) -> str:
    """The sentence as the article wrote it, quotes and all (a quote's context)."""
    parts = sentence.split(PLACEHOLDER)
    text = parts[0] + "".join(q + rest for q, rest in zip(quoted, parts[1:], strict=True))
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"\s+([,.;:!?)])", r"\1", text).replace("( ", "(").strip()


def _asides(sentence: str) -> str:
    """Drop '— which the BBC noted —' and '(SDF)' asides: they are not the clause."""
    text = re.sub(r"\s[—–]\s[^—–\ue000]{1,120}?\s[—–]\s", " ", sentence)
    return re.sub(r"\s*\([^()\ue000]{1,80}\)", "", text)


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


# ---------------------------------------------------------------------------- the API
def paragraphs_of(text: str) -> tuple[str, list[str]]:
    """Plain text -> (headline, paragraphs): one per line, or blocks between blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    lines = text.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        return "", []
    title, rest = lines[0].strip(), "\n".join(lines[1:])
    if re.search(r"\n\s*\n", rest.strip()):
        blocks = re.split(r"\n\s*\n", rest)
        paragraphs = [" ".join(line.strip() for line in b.splitlines() if line.strip())
                      for b in blocks]
    else:
        paragraphs = [line.strip() for line in rest.splitlines()]
    return title, [p for p in paragraphs if p]


def extract(paragraphs: list[str]) -> list[Found]:
    """Every direct quote in the paragraphs, in order, with its speaker (or None)."""
    reader = Reader(paragraphs)
    out = []
    for q in reader.read():
        ent = q.speaker
        out.append(Found(q.span.text, ent.name if ent else None, ent.role if ent else "",
                         q.cue, q.paragraph, q.sentence_text, ent.kind if ent else "person"))
    return out
