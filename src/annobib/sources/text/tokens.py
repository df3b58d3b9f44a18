"""Tokens of a printed reference and the features the sequence model sees for each.

A token is a span of the entry's text (its offsets are kept, so labels map back to the exact
printed characters). Tokens split at white space, and also where print runs fields together
without a space: ``2018;5(1):108-115`` is ``2018;`` ``5`` ``(1):`` ``108-115``, ``Title//Journal``
is ``Title`` ``//`` ``Journal``. URLs and DOIs stay one token.

Features (one string each, as CRFsuite takes them): the word, its shape, script and case,
leading/trailing punctuation, number kinds, lexicons (publishers, places, journal words,
given names, months, editor/page/volume terms), the markers of Russian and post-Soviet styles
(GOST's ``//`` and ``–``, ``Т.``, ``№``, ``С.``, ``М.:``, ``(In Russ.)``, ``URL:``,
``[Accessed: …]``, ``(дата обращения: …)``), the token's position in the entry, what was seen
before it (an open quote, ``//``, ``In:``, ``URL:``) and its neighbours' words and shapes.
"""

from __future__ import annotations

import re
from functools import lru_cache

_CHUNK = re.compile(r"(?:https?://|www\.|doi:\s?|10\.\d{4,9}/)\S+|\S+", re.IGNORECASE)
_URLISH = re.compile(r"^(?:https?://|www\.|doi:|10\.\d{4,9}/)", re.IGNORECASE)
# where a chunk splits although print has no space
_SPLIT = re.compile(r"(?<=[;:,])(?=[\w(«“\"])|(?<=\w)(?=\()|(?=//)|(?<=//)|(?<=\.)(?=//)")


_MAY_SPLIT = re.compile(r"[;:,(/]")


def tokenize(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the tokens of ``text``."""
    out: list[tuple[int, int]] = []
    for m in _CHUNK.finditer(text):
        start, end = m.span()
        chunk = m.group()
        if _URLISH.match(chunk) or not _MAY_SPLIT.search(chunk):
            out.append((start, end))
            continue
        pos = start
        for cut in _SPLIT.finditer(chunk):
            at = start + cut.start()
            if at > pos:
                out.append((pos, at))
                pos = at
        if end > pos:
            out.append((pos, end))
    return out


_PUNCT_EDGE = "\"'“”«»„‘’()[]{}.,;:!?*"
_CYR = re.compile(r"[\u0400-\u04FF]")
_LAT = re.compile(r"[A-Za-z\u00C0-\u024F]")
_YEAR = re.compile(r"^(1[5-9]\d\d|20\d\d)[a-z]?$")
_RANGE = re.compile(r"^\d+\s*[-–—]\s*\d+$")
_ROMAN = re.compile(r"^[IVXLC]+$")
_INITIAL = re.compile(r"^(?:[^\W\d_]\.[-‐]?){1,3}$")
_DATE_NUM = re.compile(r"^\d{1,2}[./-]\d{1,2}[./-](\d{2}|\d{4})$")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_MONTHS = _words(
    "jan january feb february mar march apr april may jun june jul july aug august sep sept "
    "september oct october nov november dec december spring summer fall autumn winter "
    "январь января февраль февраля март марта апрель апреля май мая июнь июня июль июля "
    "август августа сентябрь сентября октябрь октября ноябрь ноября декабрь декабря "
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre "
    "januar februar märz april mai juni juli august september oktober november dezember"
)
_JOURNAL = _words(
    "journal j review rev proceedings proc bulletin bull transactions trans letters lett "
    "annals ann quarterly magazine studies research science sciences international intl "
    "acta archives arch newsletter herald gazette times news issues problems вестник журнал "
    "известия проблемы вопросы труды сборник записки обозрение наука vestnik zhurnal "
    "izvestiya izvestia voprosy problemy trudy economics physics chemistry medicine"
)
_PUBLISHER = _words(
    "press publishing publishers publisher verlag university univ books edition editions "
    "éditions wiley springer elsevier routledge sage oxford cambridge penguin macmillan "
    "mcgraw-hill pearson harper norton academic издательство изд изд-во наука мгу спбгу "
    "прогресс мысль юрайт инфра-м ran ras ran, llc ltd inc co gmbh verlag"
)
_PLACE = _words(
    "london new york paris berlin moscow st petersburg oxford cambridge boston chicago "
    "amsterdam tokyo washington beijing leipzig vienna wien tashkent almaty kiev kyiv "
    "minsk munich münchen frankfurt princeton toronto sydney melbourne madrid rome roma "
    "москва петербург санкт-петербург ленинград киев минск новосибирск екатеринбург казань "
    "ташкент алматы м. спб. л. м.: спб.: л.: moscow: м, спб"
)
KNOWN_PLACES = frozenset(w.rstrip(".:,") for w in _PLACE) | {
    "new york", "st. petersburg", "saint petersburg", "st petersburg", "usa", "uk", "russia"}
_GIVEN = _words(
    "john james robert michael william david richard joseph thomas charles mary patricia "
    "jennifer linda elizabeth susan anna maria peter paul mark george daniel andrew "
    "alexander sergei sergey ivan vladimir nikolai dmitry andrei igor olga elena natalia "
    "tatiana irina александр сергей иван владимир николай дмитрий андрей игорь ольга елена "
    "наталья татьяна ирина"
)
_EDITOR = _words(
    "ed. eds. ed eds editor editors edited (ed.) (eds.) hrsg. hg. ред. под ред редактор "
    "сост. ed.), eds.), (ed), (eds), éd. dir. (dir.) trans. transl. translated пер. перевод"
)
_PAGES = _words("p. pp. p pp s. с. c. pages page стр. str. seiten pág. págs.")
_VOLUME = _words("vol. vol volume т. t. tom. bd. band no. no nr. nr № n. iss. issue вып. part ч.")
_TITLE_WORDS = _words("in: in в: в // //")
_THESIS = _words("thesis dissertation phd ph.d. дис. диссертация автореф. канд. докт. diss.")
_URLWORDS = _words("url: url available retrieved accessed accessed: online [online] режим доступа")
_RU_MARK = _words("(in (на russ.) russ.). russian) eng.) eng.). рус.) англ.)")


def _strip(tok: str) -> str:
    return tok.strip(_PUNCT_EDGE)


def _shape(core: str) -> str:
    out: list[str] = []
    for ch in core[:8]:
        if ch.isupper():
            c = "X"
        elif ch.islower():
            c = "x"
        elif ch.isdigit():
            c = "d"
        else:
            c = ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


def _script_case(core: str, f: list[str]) -> None:
    cyr = bool(_CYR.search(core))
    lat = bool(_LAT.search(core))
    f.append("scr=" + ("mix" if cyr and lat else "cyr" if cyr else "lat" if lat else "none"))
    if core:
        if core.isupper() and len(core) > 1:
            f.append("case=upper")
        elif core[0].isupper():
            f.append("case=title")
        elif core[0].islower():
            f.append("case=lower")


def _number_kinds(tok: str, core: str, f: list[str]) -> None:
    if core.isdigit():
        f.append("num")
        f.append(f"len={min(len(core), 5)}")
    if _YEAR.match(core):
        f.append("year")
    if _RANGE.match(core):
        f.append("range")
    if _ROMAN.match(core):
        f.append("roman")
    if _INITIAL.match(tok.rstrip(",;")):
        f.append("initial")
    if _DATE_NUM.match(core):
        f.append("dmy")


def _marks(tok: str, f: list[str]) -> None:
    """Brackets, quotation marks, GOST's ``//``, a dash, an e-mail address."""
    if tok.startswith(("(", "[")):
        f.append("open")
    if tok.endswith((")", "]", ").", "),", "];", "].")):
        f.append("close")
    if tok[0] in "“«\"„‘":
        f.append("oquote")
    if tok.rstrip(".,;:")[-1:] in "”»\"’":
        f.append("cquote")
    if tok == "//":
        f.append("gost//")
    if tok in ("–", "—", "-"):
        f.append("dash")
    if "@" in tok:
        f.append("email")


# (lexicon, feature, whether the token as printed is looked up, whether its core is): in the
# order the features are listed
_LEXICONS: tuple[tuple[frozenset[str], str, bool, bool], ...] = (
    (_MONTHS, "lex=month", True, True),
    (_JOURNAL, "lex=journal", False, True),
    (_PUBLISHER, "lex=publisher", True, True),
    (_PLACE, "lex=place", True, True),
    (_GIVEN, "lex=given", False, True),
    (_EDITOR, "lex=editor", True, False),
    (_PAGES, "lex=pages", True, False),
    (_VOLUME, "lex=volume", True, False),
    (_TITLE_WORDS, "lex=in", True, False),
    (_THESIS, "lex=thesis", False, True),
    (_URLWORDS, "lex=url", True, True),
    (_RU_MARK, "lex=langmark", True, False),
)
_GOST_PLACE = frozenset(("м.:", "спб.:", "л.:", "м.;", "м.,", "к.:", "мн.:"))
_GOST_NUM = frozenset(("т.", "№", "с.", "вып."))


def _lexicons(low: str, core: str, lcore: str, f: list[str]) -> None:
    """The lexicons, the markers of Russian styles, accessed dates and ISBNs."""
    for words, name, printed, bare in _LEXICONS:
        if (printed and low in words) or (bare and lcore in words):
            f.append(name)
    if low in _GOST_PLACE:
        f.append("gost=place")
    if low in _GOST_NUM:
        f.append("gost=num")
    if "обращения" in low or low in ("accessed:", "[accessed:", "(accessed"):
        f.append("accessed")
    if core.endswith("isbn") or lcore.startswith("isbn"):
        f.append("isbn")


@lru_cache(maxsize=200_000)
def token_features(tok: str) -> tuple[str, ...]:
    """The features that depend on the token's text alone (cached: tokens repeat a lot)."""
    low = tok.lower()
    core = _strip(tok)
    lcore = core.lower()
    f = [f"w={lcore[:24]}", f"sh={_shape(core)}", f"lst={tok[-1]}", f"fst={tok[0]}"]
    if len(lcore) > 3:
        f.append(f"suf={lcore[-3:]}")
        f.append(f"pre={lcore[:3]}")
    if _URLISH.match(tok):
        f.append("url")
        if "doi" in low or low.startswith("10."):
            f.append("doi")
        return tuple(f)
    _script_case(core, f)
    _number_kinds(tok, core, f)
    _marks(tok, f)
    _lexicons(low, core, lcore, f)
    return tuple(f)


_BUCKETS = 6


@lru_cache(maxsize=200_000)
def _context(tok: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...],
                                str, str, str]:
    """The token's features as its neighbours see them: (as the token before, as the one two
    before, as the token after, as the one two after), and its word, shape, last character."""
    own = token_features(tok)
    w, sh, lst = own[0], own[1], own[2]
    return (("-" + w, "-" + sh, "-" + lst), ("--" + w, "--" + sh), ("+" + w, "+" + sh),
            ("++" + w, "++" + sh), w, sh, lst)


def features(text: str, spans: list[tuple[int, int]]) -> list[list[str]]:
    """CRFsuite's item sequence for the tokens ``spans`` of ``text``."""
    toks = [text[s:e] for s, e in spans]
    base = [token_features(t) for t in toks]
    ctx = [_context(t) for t in toks]
    n = len(toks)
    out: list[list[str]] = []
    quote = False
    seen_gost = seen_in = seen_url = seen_year = False
    for i, tok in enumerate(toks):
        own = base[i]
        f = list(own)
        f.append(_POS[i * _BUCKETS // n])
        if i == 0:
            f.append("first")
        if i == n - 1:
            f.append("last")
        if quote:
            f.append("inquote")
        if seen_gost:
            f.append("after//")
        if seen_in:
            f.append("afterin")
        if seen_url:
            f.append("afterurl")
        if seen_year:
            f.append("afteryear")
        c = ctx[i]
        if i > 0:
            p = ctx[i - 1]
            f.extend(p[0])
            f.append("-" + p[6] + "|" + c[5])
            if i > 1:
                f.extend(ctx[i - 2][1])
        else:
            f.append("BOS")
        if i + 1 < n:
            nx = ctx[i + 1]
            f.extend(nx[2])
            f.append("+" + c[6] + "|" + nx[5])
            if i + 2 < n:
                f.extend(ctx[i + 2][3])
        else:
            f.append("EOS")
        out.append(f)
        # state after this token
        if "oquote" in own:
            quote = True
        if "cquote" in own:
            quote = False
        if tok == "//":
            seen_gost = True
        elif tok.lower() in ("in:", "in", "в:", "в"):
            seen_in = True
        if "url" in own or tok.lower().startswith("url"):
            seen_url = True
        if "year" in own:
            seen_year = True
    return out


_POS = [f"pos={k}" for k in range(_BUCKETS)]
