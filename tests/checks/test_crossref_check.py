"""Field-by-field comparison with Crossref, statuses, DOI discovery, --apply and import by DOI.

Our side of each comparison is a YAML record typed here by hand from what the recorded
Crossref body says; Crossref's side is always a recorded body, served by the stand-in, or a
recorded body with ONE field changed, named in the test that changes it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from annobib.api import load
from annobib.checks.crossref import Status, check_library, import_dois
from annobib.checks.crossref.results import CheckResult, WorkResult
from annobib.findings import Severity
from annobib.services.crossref import CrossrefService, PoolLimits, RetryPolicy
from annobib.services.evidence import EvidenceService, EvidenceStore
from annobib.sources.yaml import dump_document
from annobib.sources.yamledit import EditRefused, insert_field
from annobib.textmatch import name_key, similarity
from crossref_standin import (
    Limits,
    StandIn,
    closed_port,
    recorded_list_item,
    recorded_message,
    running,
)

FAST = RetryPolicy(attempts=3, connect_attempts=1, base=0.02, cap=0.2, timeout=2, max_time=20)


@pytest.fixture
def server() -> Iterator[StandIn]:
    s = running(Limits(single=100, lists=100, concurrency=3))
    yield s
    s.stop()


def svc(s: StandIn, tmp: Path) -> CrossrefService:
    return CrossrefService(api_url=s.url, mailto="tests@example.org",
                           store=EvidenceStore(tmp / ".crossref"), retry=FAST,
                           limits=PoolLimits(100, 100, 3))


def library(tmp: Path, text: str, name: str = "lib.yaml"):  # type: ignore[no-untyped-def]
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    result = load([path], lint=False)
    assert not [f for f in result.findings if f.severity is Severity.ERROR], result.findings
    return result.library


def one(result: CheckResult, key: str) -> WorkResult:
    return next(w for w in result.works if w.key == key)


SREP = """annobib: 1
works:
  - key: tosatto2015
    type: journal-article
    title: "Single-molecule FRET studies on alpha-synuclein oligomerization of Parkinson’s disease genetically related mutants"
    author: ["Tosatto, Laura", "Horrocks, Mathew H.", "Dear, Alexander J."]
    container-title: Scientific Reports
    issued: "2015"
    volume: "5"
    doi: 10.1038/srep16696
"""


def test_matching_record_is_verified(server: StandIn, tmp_path: Path) -> None:
    lib = library(tmp_path, SREP)
    res = check_library(lib, svc(server, tmp_path))
    w = one(res, "tosatto2015")
    assert w.status is Status.VERIFIED, w.findings
    assert w.findings == [] or all(f.severity is Severity.INFO for f in w.findings)
    assert w.matched_title is not None and "crossref:title[0]" in w.matched_title


def test_one_changed_field_gives_exactly_that_finding(server: StandIn, tmp_path: Path) -> None:
    # Derived body: the recorded 10.1038/srep16696 message with "volume" changed "5" -> "6".
    msg = recorded_message("work_journal-article_10.1038-srep16696.json")
    assert msg["volume"] == "5"
    msg["volume"] = "6"
    server.add_work("10.1038/srep16696", msg)
    lib = library(tmp_path, SREP)
    res = check_library(lib, svc(server, tmp_path))
    w = one(res, "tosatto2015")
    assert w.status is Status.DIFFERS
    relevant = [f for f in w.findings if f.severity is not Severity.INFO]
    assert [(f.code, f.field, f.data["ours"], f.data["theirs"]) for f in relevant] == [
        ("A306", "volume", "5", "6")
    ]
    f = relevant[0]
    assert f.location is not None and f.location.file == str(tmp_path / "lib.yaml")
    assert f.location.line == 9  # the volume line of the record


def test_changed_year_is_an_error_with_both_dates(server: StandIn, tmp_path: Path) -> None:
    # Derived body: the recorded srep16696 message with issued/published years set to 2011.
    msg = recorded_message("work_journal-article_10.1038-srep16696.json")
    for name in ("issued", "published", "published-online", "published-print"):
        if name in msg:
            msg[name]["date-parts"][0][0] = 2011
    server.add_work("10.1038/srep16696", msg)
    res = check_library(library(tmp_path, SREP), svc(server, tmp_path))
    codes = [(f.code, f.severity) for f in one(res, "tosatto2015").findings
             if f.severity is not Severity.INFO]
    assert codes == [("A304", Severity.ERROR)]


def test_bilingual_deposit_matches_the_second_title(server: StandIn, tmp_path: Path) -> None:
    # Crossref's title list for 10.4000/dms.865 is [English, French], untagged. We hold only
    # the French title (as the journal prints it): it must match title[1], not be "wrong".
    text = """annobib: 1
works:
  - key: peraya2014
    type: journal-article
    title:
      text: "Distances, absence, proximités et présences : des concepts en déplacement"
      lang: fr
    author: ["Peraya, Daniel"]
    container-title: Distances et médiations des savoirs
    issued: "2014"
    volume: "2"
    issue: "8"
    doi: 10.4000/dms.865
"""
    res = check_library(library(tmp_path, text), svc(server, tmp_path))
    w = one(res, "peraya2014")
    assert w.status is Status.VERIFIED, [str(f) for f in w.findings]
    assert w.matched_title is not None and "crossref:title[1]" in w.matched_title


def test_japanese_record_matches_original_title(server: StandIn, tmp_path: Path) -> None:
    msg = recorded_message("work_journal-article_10.7600-jspfsm.56.60_japanese-empty-title.json")
    assert msg["title"] == [""]
    original = msg["original-title"][0]
    text = f"""annobib: 1
works:
  - key: jspfsm56
    type: journal-article
    title: "{original}"
    doi: 10.7600/jspfsm.56.60
"""
    res = check_library(library(tmp_path, text), svc(server, tmp_path))
    w = one(res, "jspfsm56")
    assert w.status is Status.VERIFIED
    assert w.matched_title is not None and "original-title[0]" in w.matched_title


def test_cyrillic_record_matches_romanised_authors_and_homoglyphs(server: StandIn,
                                                                   tmp_path: Path) -> None:
    # The one Cyrillic Crossref record recorded (an item of a recorded list response), served
    # as a single record. We hold the authors romanised (as an English reference list prints
    # them) and the title in Cyrillic with a Latin "o" typed into one word (a homoglyph).
    item = recorded_list_item("list_sample20_contains_cyrillic_10.7868-s0040357115030100.json",
                              "10.7868/s0040357115030100")
    server.add_work("10.7868/s0040357115030100", item)
    title = item["title"][0].replace("моделирование", "мoделирование")  # Latin o
    assert title != item["title"][0]
    text = f"""annobib: 1
works:
  - key: parshin2015
    type: journal-article
    title: "{title}"
    author: ["Parshin, D. A.", "Stel'makh, L. S.", "Stolin, A. M."]
    container-title: Теоретические основы химической технологии
    issued: "2015"
    volume: "49"
    issue: "3"
    pages: 361–366
    language: ru
    doi: 10.7868/S0040357115030100
"""
    res = check_library(library(tmp_path, text), svc(server, tmp_path))
    w = one(res, "parshin2015")
    assert w.status is Status.VERIFIED, [str(f) for f in w.findings]


def test_wrong_author_is_reported_with_both_names(server: StandIn, tmp_path: Path) -> None:
    text = SREP.replace('"Horrocks, Mathew H."', '"Smith, Mathew H."')
    res = check_library(library(tmp_path, text), svc(server, tmp_path))
    f = [f for f in one(res, "tosatto2015").findings if f.code == "A302"]
    assert len(f) == 1 and f[0].field == "author[1]"
    assert f[0].data["ours"] == "Smith, Mathew H." and "Horrocks" in f[0].data["theirs"]


def test_statuses_not_found_other_agency_corrected_no_doi(server: StandIn,
                                                          tmp_path: Path) -> None:
    text = """annobib: 1
works:
  - {key: nf, type: journal-article, title: "Not a real work", doi: 10.1371/notarealdoi}
  - {key: dc, type: dataset, title: "Some dataset", doi: 10.5284/1011335}
  - key: pone
    type: journal-article
    title: "Will climate change exceed the mitigation capacity of nature?"
    doi: 10.1371/journal.pone.0033693
  - {key: treaty, type: treaty, title: "A treaty"}
"""
    res = check_library(library(tmp_path, text), svc(server, tmp_path))
    assert one(res, "nf").status is Status.NOT_FOUND
    assert one(res, "dc").status is Status.OTHER_AGENCY and "DataCite" in (one(res, "dc").reason or "")
    pone = one(res, "pone")
    assert pone.status is Status.RETRACTED_CORRECTED
    assert any(f.code == "A323" for f in pone.findings)
    assert one(res, "treaty").status is Status.NO_DOI


def test_unreachable_is_unchecked_not_not_found(tmp_path: Path) -> None:
    lib = library(tmp_path, SREP)
    service = CrossrefService(api_url=f"http://127.0.0.1:{closed_port()}", retry=FAST,
                              store=EvidenceStore(tmp_path / ".crossref"))
    res = check_library(lib, service)
    w = one(res, "tosatto2015")
    assert w.status is Status.UNCHECKED
    assert [f.code for f in w.findings] == ["A330"]
    assert not (tmp_path / ".crossref").exists()


def test_reference_list_against_deposit(server: StandIn, tmp_path: Path) -> None:
    # eLife 10.7554/elife.01567 deposits 27 references. We list 4 of them, typed from the
    # deposit: bib1, bib3, bib2 (2 and 3 swapped), plus one reference the deposit lacks.
    text = """annobib: 1
article:
  key: sankar2014
  type: journal-article
  title: "Automated quantitative histology reveals vascular morphodynamics during Arabidopsis hypocotyl secondary growth"
  author: ["Sankar, Martial", "Nieminen, Kaisa"]
  container-title: eLife
  issued: "2014"
  volume: "3"
  doi: 10.7554/elife.01567
references:
  - n: 1
    source: "1. Bonke M. APL regulates vascular tissue identity in Arabidopsis. Nature. 2003;426:181."
    work: {key: bonke2003, type: journal-article, title: "APL regulates vascular tissue identity in Arabidopsis"}
  - n: 2
    source: "2. Chaffey N. Secondary xylem development in Arabidopsis: a model for wood formation. Physiologia Plantarum. 2002;114:594."
    work: {key: chaffey2002, type: journal-article, title: "Secondary xylem development in Arabidopsis: a model for wood formation", doi: 10.1034/j.1399-3054.2002.1140413.x}
  - n: 3
    source: "3. Brenner S. In the beginning was the worm. Genetics. 2009;182:413."
    work: {key: brenner2009, type: journal-article, title: "In the beginning was the worm"}
  - n: 4
    source: "4. Nobody N. A study that this article does not cite. Nowhere. 1999;1:1."
    work: {key: nobody1999, type: journal-article, title: "A study that this article does not cite"}
"""
    res = check_library(library(tmp_path, text), svc(server, tmp_path))
    by_code: dict[str, list] = {}  # type: ignore[type-arg]
    for f in res.findings:
        by_code.setdefault(f.code, []).append(f)
    assert [f.data for f in by_code["A350"]] == [{"ours": 4, "theirs": 27}]
    assert [f.data["n"] for f in by_code["A352"]] == [4]
    assert len(by_code["A351"]) == 27 - 3
    assert [f.data["n"] for f in by_code["A353"]] == [2] or [f.data["n"] for f in
                                                            by_code["A353"]] == [3]
    dois = {f.key: f.data["theirs"] for f in by_code["A354"]}
    assert dois == {"bonke2003": "10.1038/nature02100", "brenner2009": "10.1534/genetics.109.104976"}


FISH = """annobib: 1
# A comment that --apply must keep.
works:
  - key: ali2017
    type: journal-article
    title: "Fish Ontology framework for taxonomy-based fish recognition"
    author: ["Ali, Najib M.", "Khan, Haris A."]
    container-title: PeerJ
    issued: "2017"
    volume: "5"
    # the URL the authors gave:
    url: https://peerj.com/articles/3811/
  - key: unrelated
    type: journal-article
    title: "Soil carbon in alpine meadows"
    author: ["Nobody, A."]
    issued: "1990"
"""


def test_suggest_dois_validates_candidates(server: StandIn, tmp_path: Path) -> None:
    # The stand-in answers every query.bibliographic search with the recorded "fish" search
    # (20 candidates with scores); validation must pick 10.7717/peerj.3811 for ali2017 and
    # accept nothing for the unrelated record.
    res = check_library(library(tmp_path, FISH), svc(server, tmp_path), suggest_dois=True)
    ali = one(res, "ali2017")
    assert ali.status is Status.NO_DOI
    assert ali.suggestion is not None and ali.suggestion.doi == "10.7717/peerj.3811"
    assert ali.suggestion.accepted and ali.suggestion.score >= 0.9
    assert set(ali.suggestion.agreed) >= {"title", "author", "year", "container-title"}
    other = one(res, "unrelated")
    assert other.suggestion is None
    assert all(c.score < 0.9 for c in other.candidates)
    # searches are evidence too: offline gives the same suggestion
    off = check_library(library(tmp_path, FISH), EvidenceService(EvidenceStore(
        tmp_path / ".crossref")), suggest_dois=True)
    assert one(off, "ali2017").suggestion == ali.suggestion


def test_apply_inserts_one_line_and_keeps_everything_else(server: StandIn,
                                                          tmp_path: Path) -> None:
    lib = library(tmp_path, FISH)
    path = tmp_path / "lib.yaml"
    before = path.read_bytes()
    loc = lib.origin("ali2017")
    assert loc is not None and loc.line and loc.col
    edit = insert_field(path, loc.line, loc.col, "ali2017", "doi", "10.7717/peerj.3811")
    after = path.read_bytes()
    old_lines = before.decode().splitlines(keepends=True)
    new_lines = after.decode().splitlines(keepends=True)
    assert len(new_lines) == len(old_lines) + 1
    inserted = new_lines.pop(edit.line - 1)
    assert inserted == '    doi: "10.7717/peerj.3811"\n'
    assert new_lines == old_lines, "every other byte unchanged"
    # placed before the comment that belongs to url:
    assert after.decode().index("doi:") < after.decode().index("# the URL")
    reloaded = load([path], lint=False).library.by_key()
    assert reloaded["ali2017"].doi == "10.7717/peerj.3811"
    with pytest.raises(EditRefused):
        insert_field(path, loc.line, loc.col, "ali2017", "doi", "10.7717/peerj.3811")


def test_apply_keeps_the_data_file_permissions(server: StandIn, tmp_path: Path) -> None:
    lib = library(tmp_path, FISH)
    path = tmp_path / "lib.yaml"
    path.chmod(0o664)
    loc = lib.origin("ali2017")
    assert loc is not None and loc.line and loc.col
    insert_field(path, loc.line, loc.col, "ali2017", "doi", "10.7717/peerj.3811")
    assert path.stat().st_mode & 0o777 == 0o664  # not mkstemp's 0600


def test_apply_refuses_flow_style(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_text("annobib: 1\nworks:\n  - {key: a, type: book, title: T}\n", encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(EditRefused):
        insert_field(path, 3, 5, "a", "doi", "10.1/x")
    assert path.read_bytes() == before


def test_import_by_doi_keeps_unicode_and_reports_what_it_cannot(server: StandIn,
                                                                tmp_path: Path) -> None:
    service = svc(server, tmp_path)
    res = import_dois(["https://doi.org/10.1007/s00120-007-1345-2", "10.4000/dms.865",
                       "10.1371/notarealdoi", "10.5284/1011335", "not a doi"], service)
    keys = [w.key for w in res.document.works]
    assert len(keys) == 2
    german = res.document.works[0]
    assert german.doi == "10.1007/s00120-007-1345-2" and german.language == "de"
    msg = recorded_message("work_journal-article_10.1007-s00120-007-1345-2_german.json")
    assert german.author[0].family == msg["author"][0]["family"]
    codes = sorted(f.code for f in res.findings if f.code != "A421")
    assert codes == ["A320", "A321", "A422"]
    out = tmp_path / "imported.yaml"
    out.write_text(dump_document(res.document), encoding="utf-8")
    back = load([out], lint=False)
    assert not back.findings
    assert [w.key for w in back.library.works()] == keys
    title = back.library.by_key()[keys[1]].title
    assert title is not None and title.variants()[1][1].startswith("Distances, absence")
    # the evidence of the import is kept
    assert (tmp_path / ".crossref" / "works").is_dir()


def test_name_keys_and_similarity() -> None:
    assert name_key("Mukimdzhanova") == name_key("Мукимджанова") == name_key("Mukimjanova")
    assert name_key("Tomberg") == name_key("Томберг")
    assert name_key("Yuriy") == name_key("Юрий") == name_key("Iurii")
    assert name_key("Stel'makh") == name_key("Стельмах")
    assert similarity("China’s Military", "CHINA'S MILITARY") == 1.0
    assert similarity("Fish recognition", "Soil carbon") < 0.5


# --- issue #13 item 1: "verified" needs the title or the authors compared ---------------------


COMPONENT = """annobib: 1
works:
  - key: fig1
    type: misc
    title: "A figure of an article about malaria treatment"
    author: ["Smith, Jane", "Doe, John"]
    issued: "2006"
    doi: 10.1371/journal.pmed.0030277.g001
"""


def test_sparse_real_record_is_not_verified(server: StandIn, tmp_path: Path) -> None:
    # The recorded 10.1371/journal.pmed.0030277.g001 is a figure component: empty title, no
    # author, a null year. Nothing in it can confirm our record.
    res = check_library(library(tmp_path, COMPONENT), svc(server, tmp_path))
    w = one(res, "fig1")
    assert w.status is Status.UNCHECKED
    assert [f.code for f in w.findings] == ["A331"]
    assert "neither a title nor authors" in (w.reason or "")
    # the answer itself was true: it is evidence, and replaying it gives the same verdict
    offline = check_library(library(tmp_path, COMPONENT),
                            EvidenceService(EvidenceStore(tmp_path / ".crossref")))
    assert one(offline, "fig1").status is Status.UNCHECKED


def _doi_only(msg: dict[str, Any]) -> dict[str, Any]:
    return {"DOI": msg["DOI"]}


def _empty(msg: dict[str, Any]) -> dict[str, Any]:
    return {}


def _title_number(msg: dict[str, Any]) -> dict[str, Any]:
    return {**msg, "title": 5}


def _author_string(msg: dict[str, Any]) -> dict[str, Any]:
    return {**msg, "author": "x"}


@pytest.mark.parametrize(("derive", "code"), [
    (_doi_only, "A331"), (_empty, "A332"), (_title_number, "A332"), (_author_string, "A332"),
], ids=["doi-only", "empty-message", "title-5", "author-x"])
def test_record_without_comparable_fields_is_never_verified(server: StandIn, tmp_path: Path,
                                                            derive: Callable[[dict[str, Any]], dict[str, Any]],
                                                            code: str) -> None:
    # Derived body: the recorded srep16696 message reduced to its DOI, emptied, or with
    # "title" / "author" replaced by a value of the wrong type (named in the ids).
    server.add_work("10.1038/srep16696",
                    derive(recorded_message("work_journal-article_10.1038-srep16696.json")))
    res = check_library(library(tmp_path, SREP), svc(server, tmp_path))
    w = one(res, "tosatto2015")
    assert w.status is Status.UNCHECKED, w.findings
    assert [f.code for f in w.findings] == [code]
    stored = (tmp_path / ".crossref" / "works").exists()
    assert stored is (code == "A331"), "a malformed answer is never evidence"
    offline = check_library(library(tmp_path, SREP),
                            EvidenceService(EvidenceStore(tmp_path / ".crossref")))
    assert one(offline, "tosatto2015").status is Status.UNCHECKED


def test_every_recorded_work_record_is_well_formed() -> None:
    # the type rules must not turn a real Crossref record into "unchecked"
    from annobib.services.answers import record_problem
    from crossref_standin import FIXTURES, load_recording

    checked = 0
    for path in sorted(FIXTURES.glob("*.json")):
        body = load_recording(path.name)["response"]["body"]
        if isinstance(body, dict) and body.get("message-type") in ("work", "work-list"):
            message = body["message"]
            for record in message.get("items", [message]) if isinstance(message, dict) else []:
                assert record_problem(record) is None, (path.name, record.get("DOI"))
                checked += 1
    assert checked > 60


def test_alias_is_reported_with_the_alias(server: StandIn, tmp_path: Path) -> None:
    text = """annobib: 1
works:
  - key: chem
    type: journal-article
    title: "Binding Modes of Ligands Using Enhanced Sampling (BLUES): Rapid Decorrelation of Ligand Binding Modes Using Nonequilibrium Candidate Monte Carlo"
    author: ["Gill, Samuel", "Lim, Nathan M."]
    doi: 10.26434/chemrxiv.5406907
"""
    res = check_library(library(tmp_path, text), svc(server, tmp_path))
    a311 = [f for f in one(res, "chem").findings if f.code == "A311"]
    assert a311 and a311[0].data["theirs"] == "10.26434/chemrxiv.5406907.v5"
