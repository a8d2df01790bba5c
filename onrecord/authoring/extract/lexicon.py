"""The words the rules know: reporting verbs, titles, organisations, and how to read a token."""

from __future__ import annotations

import re
import unicodedata
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
    "ruling report") | (ORG_WORDS - _set("times post news press front watch fund trust"))
DETERMINERS = frozenset(("the", "a", "an", "its", "his", "her", "their"))
GENERIC = _set("company firm airline group organisation organization agency party union "
               "ministry department government")
GROUPS = _set("officials police prosecutors witnesses residents analysts experts protesters "
              "investigators authorities doctors scientists lawyers activists organisers "
              "organizers diplomats sources critics")
DOCUMENTS = frozenset(("statement", "summary", "ruling", "report"))
# 'a spokesman for 10 Downing Street', 'a statement from the People's Party': they speak
SPOKES = re.compile(r"\b(?:a|an|the)\s+(?:spoke\w*(?:man|woman|person)\s+(?:for|of)|(?:joint\s+)?"
                    r"(?:statement|letter|press release|communiqu[eé])\s+(?:from|by|issued by|"
                    r"released by))\s+", re.I)
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
    r"etc|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|U\.S|U\.K|U\.N|[A-Z]|a\.m|p\.m|"
    r"e\.g|i\.e)\.$")
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


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Lowercase without accents: 'Erdoğan' and 'Erdogan' are the same name."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold().replace("’", "'")


def words_of(text: str) -> list[str]:
    """Words and marks: 'U.S.' and an initial 'W.' are one word; "Russia's" is one."""
    return WORD.findall(text)


@lru_cache(maxsize=8192)
def capital(token: str) -> bool:
    """A capitalised word (a name's, a title's); not a number or a mark."""
    return token[:1].isupper() and any(c.isalpha() for c in token)


def acronym(token: str) -> bool:
    letters = token.replace(".", "")
    return len(letters) >= 2 and letters.isupper() and letters.isalpha()


@lru_cache(maxsize=8192)
def bare(token: str) -> str:
    """'Russia's' -> 'Russia'; 'W.' stays an initial."""
    token = re.sub(r"['’]s$", "", token)
    return token if re.fullmatch(r"[A-Z]\.", token) else token.strip(".")
