"""Who a sentence names: people, organisations and groups, their roles, and where they stand."""

from __future__ import annotations

import re
from dataclasses import dataclass

from onrecord.authoring.extract.lexicon import (
    BOUNDARY_WORDS,
    CONNECTORS,
    CUES,
    GENDERED,
    OBJECT_VERBS,
    ORG_WORDS,
    PARTICLES,
    PLACEHOLDER,
    PREPOSITIONS,
    PRONOUNS,
    QUANTIFIERS,
    ROLE_NOUNS,
    SKIP_BEFORE_VERB,
    STOP_CAPS,
    TITLES,
    acronym,
    bare,
    capital,
    fold,
)


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


def mentions(tokens: list[str], known: set[str]) -> list[Mention]:
    """Runs of capitalised words that name someone: people, organisations, groups."""
    found: list[Mention] = []
    i = 0
    n = len(tokens)
    while i < n:
        if not capital(tokens[i]):
            i += 1
            continue
        j = i
        while j < n:
            if capital(tokens[j]) or (tokens[j].lower() in PARTICLES and j > i
                                      and _particles_then_name(tokens, j)):
                j += 1
            elif (tokens[j].lower() in CONNECTORS and j > i and j + 1 < n
                  and tokens[j].lower() != "and"
                  and (capital(tokens[j + 1]) or (tokens[j + 1] == "the" and j + 2 < n
                       and capital(tokens[j + 2])))
                  and any(t.lower() in ORG_WORDS for t in tokens[i:j + 3])
                  and any(t.lower() in ORG_WORDS | TITLES for t in tokens[i:j])):
                # 'Court of Session', but not 'Thordarson of the University of Iceland'
                j += 1 if tokens[j + 1] != "the" else 2
            else:
                break
        found.extend(_split_run(tokens, i, j, known))
        i = j
    return found


def _split_run(tokens: list[str], i: int, j: int, known: set[str]) -> list[Mention]:
    """One run of capitalised words -> the names in it ('Senate Minority Whip Dick Durbin')."""
    run = tokens[i:j]
    words = [bare(t).lower() for t in run]
    # drop leading capitalised words that are not names: 'The', 'On', 'Yesterday'
    k = 0
    while k < len(run) and words[k] in STOP_CAPS:
        k += 1
    if (i + k == 0 or tokens[i + k - 1] in ".!?\"“" + PLACEHOLDER) and len(run) - k >= 3 \
            and words[k].endswith(("ist", "er", "or", "ian", "ant", "ent")):
        k += 1                            # 'Volcanologist Thorvaldur Thordarson said
    if k == len(run):
        return []
    possessive = fold(run[-1]).endswith("'s") or (j < len(tokens) and tokens[j] in ("'", "’"))
    after = tokens[j].lower() if j < len(tokens) else ""
    modifier = after in ROLE_NOUNS or after in TITLES or after in ORG_WORDS or (
        _role_then_name(tokens, j))
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
            name = _name(run[p:q][-3:])
            out = [Mention(i + p, i + q, name, "person", subject, modifier and q == len(run),
                           possessive and q == len(run), True)]
            head = run[k:p]
            if any(w in ORG_WORDS for w in words[k:p]):
                while head and head[0].lower() in TITLES and head[0].lower() not in ORG_WORDS:
                    head = head[1:]
                if head:
                    out.insert(0, Mention(i + p - len(head), i + p, _name(head),
                                          "organisation", subject, True, False, False))
            return out
    if any(w in ORG_WORDS for w in words[k:]):
        start = k
        name = _name(run[start:])
        free = not governed(tokens, i + start, j)
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
    limit = 2 if of_before else 4
    cut = False
    while len([t for t in name_words if t.lower() not in PARTICLES]) > limit:
        name_words = name_words[1:]
        cut = True
    at_start = i + k == 0 or tokens[i + k - 1] in ".!?:;\"“" + PLACEHOLDER
    title_before = m > k or (i > 0 and (tokens[i - 1].lower() in TITLES
                                       or tokens[i - 1].lower() in ROLE_NOUNS))
    if len(name_words) == 1:
        token = name_words[0]
        folded = fold(bare(token))
        if at_start and m == k and folded not in known and not acronym(token) and not (
                j < len(tokens) and (tokens[j] in CUES or _aside_follows(tokens, j))):
            return []                     # 'Reporters also asked': a capital at the start
        the = i + m > 0 and tokens[i + m - 1].lower() == "the"    # 'the Vatican'
        kind = "organisation" if acronym(token) or (the and not title_before) else (
            "person" if folded in known or title_before else "unknown")
    else:
        kind = "person"
    name = _name(name_words)
    start = j - len(name_words)
    free = cut or not governed(tokens, start, j)
    gender = next((GENDERED[w] for w in words[:m] if w in GENDERED), "")
    return [Mention(start, j, name, kind, subject and free, modifier, possessive, free, gender)]


def _role_then_name(tokens: list[str], j: int) -> bool:
    """'NASA administrator Bill Nelson': a name, a word or two of job, and a name."""
    k = j
    while k < len(tokens) and k - j < 3 and tokens[k].isalpha() and tokens[k].islower() and \
            _plain_word(tokens[k]):
        k += 1
    return j < k < len(tokens) and capital(tokens[k])


def _plain_word(word: str) -> bool:
    """A word that can be part of a job title: not a verb of saying, a preposition, etc."""
    return not (word in CUES or word in PREPOSITIONS or word in BOUNDARY_WORDS
                or word in SKIP_BEFORE_VERB or word in OBJECT_VERBS or word in PRONOUNS
                or word in ("the", "a", "an", "who", "which", "whose")
                or word.endswith(("ed", "ly")))


def _particles_then_name(tokens: list[str], j: int) -> bool:
    """'von der Leyen', 'bin Salman': particles inside a name, before its capital."""
    while j < len(tokens) and tokens[j].lower() in PARTICLES:
        j += 1
    return j < len(tokens) and capital(tokens[j])


def _name(words: list[str]) -> str:
    """The words of a name; a possessive comes off its last word only ('People's Party')."""
    return " ".join([*(w if re.fullmatch(r"[A-Z]\.", w) else w.strip(".") for w in words[:-1]),
                     bare(words[-1])]) if words else ""


def _aside_follows(tokens: list[str], j: int) -> bool:
    """'Lima, asked about the vote, said': a name, unlike 'Specifically, she said'."""
    return tokens[j] == "," and j + 1 < len(tokens) and (
        tokens[j + 1] in ("who", "whose") or (tokens[j + 1].endswith(("ed", "ing"))
        and tokens[j + 1][:1].islower())) and not tokens[j - 1].endswith("ly")


def _subject_position(tokens: list[str], i: int) -> bool:
    """Left of the run, past titles, 'the' and role words: a boundary, not a verb or 'of'."""
    k = i - 1
    while k >= 0 and (capital(tokens[k]) or tokens[k].lower() in ("the", "a", "an", "his",
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


def governed(tokens: list[str], start: int, end: int | None = None) -> bool:
    """Is the name the object of a preposition or verb ('of Georgia', 'to Martin Smith'),
    or in apposition to one ('by the opposition leader, Sara Mendes,')?"""
    k, plain = start - 1, 0
    while k >= 0 and (tokens[k].lower() in ("the", "a", "an") or tokens[k].lower() in TITLES
                      or tokens[k].lower() in ROLE_NOUNS or (
                          plain < 2 and tokens[k].islower() and _plain_word(tokens[k]))):
        plain += tokens[k].lower() not in {"the", "a", "an"} | TITLES | ROLE_NOUNS
        k -= 1                            # 'of the far-right Republican Party'
    if k > 0 and tokens[k] in ("and", "or"):       # 'of London and Manchester'
        k -= 1
        while k >= 0 and (capital(tokens[k]) or tokens[k].lower() in ("the", "a", "an")):
            k -= 1
    if k < 0:
        return False
    if tokens[k] == "," and end is not None and end < len(tokens) and tokens[end] in ",;.":
        j, plain, role = k - 1, 0, False
        while j >= 0 and (tokens[j].lower() in ("the", "a", "an") or tokens[j].lower()
                          in TITLES or tokens[j].lower() in ROLE_NOUNS or capital(tokens[j])
                          or (plain < 2 and tokens[j][:1].islower() and tokens[j] not in CUES
                          and tokens[j] not in PREPOSITIONS and tokens[j] not in BOUNDARY_WORDS)):
            plain += tokens[j][:1].islower() and tokens[j].lower() not in ROLE_NOUNS | TITLES
            role = role or tokens[j].lower() in ROLE_NOUNS | TITLES
            j -= 1
        # 'by the opposition leader, Sara Mendes,': in apposition to a preposition's object;
        # 'Its spokeswoman in Congress, Montserrat Bassa,' is the spokeswoman
        return role and j >= 0 and tokens[j].lower() in PREPOSITIONS and not (
            tokens[j].lower() == "of" and j > 0 and tokens[j - 1].lower() in QUANTIFIERS)
    word = tokens[k]
    return word.lower() in PREPOSITIONS or word in OBJECT_VERBS or (
        word[:1].islower() and word.endswith("ing")
        and word not in ("during", "morning", "evening"))


def clauses(tokens: list[str], a: int = 0, b: int | None = None) -> list[tuple[int, int]]:
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


def roles_of(tokens: list[str], found: list[Mention]) -> dict[int, str]:
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
            determined = lowered[:1] in (["the"], ["a"], ["an"])
            closed = k < len(tokens) and (tokens[k] == "," or (determined and tokens[k] == "."))
            if len(words) > 1 and (determined or lowered[0] in ROLE_NOUNS | TITLES) and \
                    closed and not any(
                        w in CUES or w in BOUNDARY_WORDS or w in ("who", "whose") for w in lowered):
                roles[m.start] = _join(words[1:] if determined else words)
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
            if not (capital(tokens[j]) or word in ROLE_NOUNS or word in TITLES or word in ORG_WORDS
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
        if not any(w.lower() in ROLE_NOUNS or w.lower() in TITLES for w in words):
            words = _job_before(tokens, m.start)   # 'planetary geologist Tanja Bosak'
        if words and not all(w.lower() in GENDERED or w.lower() in ("dr", "prof", "rev")
                             for w in words):
            roles[m.start] = _join(words)          # not 'Dr' or 'Mr' alone
    return roles


def _job_before(tokens: list[str], start: int) -> list[str]:
    """Up to three plain words right before a name, the last in lowercase: a job."""
    words: list[str] = []
    j = start - 1
    while j >= 0 and len(words) < 3 and tokens[j].isalpha() and _plain_word(tokens[j].lower()) \
            and tokens[j].lower() not in STOP_CAPS:
        words.insert(0, tokens[j])
        j -= 1
    return words if words and words[-1].islower() else []


def _join(words: list[str]) -> str:
    text = " ".join(words)
    text = re.sub(r"\s+([’'](?:s)?)\b", r"\1", text)
    return re.sub(r"\s+([,.;:)])", r"\1", text).replace("( ", "(").replace(" - ", "-").strip()
