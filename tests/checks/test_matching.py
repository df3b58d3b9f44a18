"""The matcher: titles and names across scripts and schemes, field-by-field acceptance and the
verdicts, on recorded Crossref records (the copies in tests/fixtures/crossref, taken from the shared crossref-samples set;
only the copies are read)."""

from __future__ import annotations

import copy
import sys
from pathlib import Path
from typing import Any

import pytest

from annobib.checks.matching import (
    Verdict,
    decide,
    find,
    romanisations,
    same_family,
    title_similarity,
    validate,
)
from annobib.model import Work
from annobib.services.base import SearchHit, SearchResult

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from crossref_standin import load_recording, recorded_message

CYRILLIC_DOI = "10.7868/s0040357115030100"


def _cyrillic_record() -> dict[str, Any]:
    body = load_recording("list_sample20_contains_cyrillic_10.7868-s0040357115030100.json")
    items = body["response"]["body"]["message"]["items"]
    return copy.deepcopy(next(it for it in items if it["DOI"] == CYRILLIC_DOI))


def _work(**data: Any) -> Work:
    return Work.model_validate({"key": "w", "type": "journal-article", **data})


def _result(*records: dict[str, Any]) -> SearchResult:
    return SearchResult("q", tuple(SearchHit(1.0, r) for r in records))


# --- names and titles across scripts ----------------------------------------------------------


@pytest.mark.parametrize("latin", ["Kuzmina", "Kuz'mina", "Kuzʹmina", "Kuz`mina", "Kuz’mina"])
def test_a_romanised_family_name_meets_its_cyrillic_form(latin: str) -> None:
    assert same_family(latin, "Кузьмина")


def test_names_in_the_schemes_that_differ_most_still_meet() -> None:
    # ISO 9 writes Ю as Û, BGN/PCGN as Yu, the scientific scheme as Ju, LoC as I͡u
    for printed in ("Ûrʹev", "Yur'yev", "Jurʹev", "I͡urʹev"):
        assert same_family(printed, "Юрьев"), printed


def test_different_names_do_not_meet() -> None:
    assert not same_family("Kuzmin", "Кузьмина")
    assert not same_family("Petrova", "Кузьмина")


def test_romanisations_give_each_scheme_and_leave_latin_alone() -> None:
    forms = dict(romanisations("Щукин"))
    assert forms["printed"] == "Щукин"
    assert forms["gost-7.79-b"] == "Shhukin"
    assert forms["iso-9"] == "Ŝukin"
    assert forms["bgn-pcgn"] == "Shchukin"
    assert romanisations("Smith") == (("printed", "Smith"),)


def test_a_transliterated_title_meets_the_cyrillic_record() -> None:
    rec = _cyrillic_record()
    printed = ("Matematicheskoe modelirovanie tverdofaznoj plunzhernoj e'kstruzii s "
               "dvuxstupenchaty'm obzhatiem kompozitny'x materialov")  # GOST 7.79 B, by hand
    score, how = title_similarity([("printed", printed)], [("title[0]", rec["title"][0])])
    assert score >= 0.9, how
    assert "gost-7.79-b" in how


def test_an_english_title_printed_with_in_russ_meets_the_translated_title() -> None:
    work = _work(title={"text": "Экспорт вооружений России", "lang": "ru",
                        "translated": {"text": "Russia's arms exports", "lang": "en"}})
    printed = [("printed", "Russia's arms exports (In Russ.)")]
    score, how = title_similarity(printed, work.title.variants() if work.title else [])
    assert score == 1.0
    assert "translated" in how


def test_the_marker_alone_does_not_make_titles_meet() -> None:
    score, _ = title_similarity([("printed", "Arms trade (In Russ.)")],
                                [("t", "Grain trade in the Black Sea (In Russ.)")])
    assert score < 0.9


# --- validation on recorded records -----------------------------------------------------------


def test_kuzmina_style_initials_and_latin_names_accept_the_cyrillic_record() -> None:
    rec = _cyrillic_record()
    work = _work(
        title={"text": "Matematicheskoe modelirovanie tverdofaznoi plunzhernoi ekstruzii s "
                       "dvukhstupenchatym obzhatiem kompozitnykh materialov"},
        author=["Parshin, D.A."], issued="2015", pages="361-366",
    )
    cand = validate(work, rec)
    assert cand is not None and cand.accepted
    assert {"title", "author", "year", "pages"} <= set(cand.agreed)


def test_a_recorded_article_is_matched_with_its_evidence() -> None:
    rec = recorded_message("work_journal-article_10.1038-srep16696.json")
    family = rec["author"][0]["family"]
    year = rec["issued"]["date-parts"][0][0]
    work = _work(title={"text": rec["title"][0]}, author=[f"{family}, X."], issued=str(year))
    m = decide(work, _result(rec))
    assert m.verdict is Verdict.MATCHED
    assert m.doi == rec["DOI"].lower()
    assert "author" in m.candidates[0].agreed


def test_a_wrong_first_author_is_never_accepted() -> None:
    rec = recorded_message("work_journal-article_10.1038-srep16696.json")
    year = rec["issued"]["date-parts"][0][0]
    work = _work(title={"text": rec["title"][0]}, author=["Nobodyson, A."], issued=str(year))
    m = decide(work, _result(rec))
    assert m.verdict is not Verdict.MATCHED


def test_a_wrong_year_alone_still_matches_when_the_rest_agrees() -> None:
    rec = recorded_message("work_journal-article_10.1038-srep16696.json")
    family = rec["author"][0]["family"]
    year = rec["issued"]["date-parts"][0][0]
    work = _work(title={"text": rec["title"][0]}, author=[f"{family}, X."],
                 issued=str(year + 1), container_title=rec["container-title"][0])
    assert decide(work, _result(rec)).verdict is Verdict.MATCHED


def test_nothing_agreeing_is_not_in_crossref_with_a_reason_never_not_found() -> None:
    rec = recorded_message("work_journal-article_10.1038-srep16696.json")
    work = _work(type="book", title={"text": "Военная политика Китая в начале XXI века"},
                 author=["Каменнов, П. Б."], issued="2019")
    m = decide(work, _result(rec))
    assert m.verdict is Verdict.NOT_IN_CROSSREF
    assert "a book" in m.reason
    assert m.searched


def test_two_equal_candidates_are_ambiguous() -> None:
    rec = recorded_message("work_journal-article_10.1038-srep16696.json")
    twin = copy.deepcopy(rec)
    twin["DOI"] = "10.1038/srep16696.twin"  # the recorded record under a second DOI
    family = rec["author"][0]["family"]
    work = _work(title={"text": rec["title"][0]}, author=[f"{family}, X."])
    m = decide(work, _result(rec, twin))
    assert m.verdict is Verdict.AMBIGUOUS
    assert {c.doi for c in m.candidates} == {rec["DOI"].lower(), "10.1038/srep16696.twin"}


# --- kinds that are not searched; outages ----------------------------------------------------


class _NoService:
    name = "none"

    def lookup(self, dois: Any, progress: Any = None) -> dict[str, Any]:
        raise AssertionError("a web page must not be looked up")

    def search(self, query: str, rows: int = 5) -> Any:
        raise AssertionError("a web page must not be searched")


def test_a_web_page_is_not_searched_and_not_called_missing() -> None:
    work = _work(type="web-page", title={"text": "Three Goals of China’s Military Diplomacy"},
                 url="https://thediplomat.com/2015/01/3-goals-of-chinas-military-diplomacy/")
    m = find(work, _NoService())  # type: ignore[arg-type]
    assert m.verdict is Verdict.NOT_IN_CROSSREF
    assert m.reason.startswith("not searched: a web page")
    assert not m.searched


def test_an_outage_is_unchecked(tmp_path: Any) -> None:
    from annobib.services.crossref import CrossrefService, RetryPolicy
    from annobib.services.evidence import EvidenceStore
    from crossref_standin import closed_port

    svc = CrossrefService(api_url=f"http://127.0.0.1:{closed_port()}", mailto="t@example.org",
                          store=EvidenceStore(tmp_path / "ev"),
                          retry=RetryPolicy(attempts=1, connect_attempts=1, timeout=2,
                                            max_time=5))
    work = _work(title={"text": "Some article"}, author=["Smith, J."], issued="2020")
    try:
        m = find(work, svc)
    finally:
        svc.close()
    assert m.verdict is Verdict.UNCHECKED


# --- what the text parser commonly gets wrong about a printed name or container -------------

SAMPLE20 = "list_sample20_contains_cyrillic_10.7868-s0040357115030100.json"


def _petrology() -> dict[str, Any]:
    from crossref_standin import recorded_list_item

    return recorded_list_item(SAMPLE20, "10.1093/petrology/36.1.107")


def test_a_name_read_with_its_parts_swapped_is_the_first_author() -> None:
    # IEEE prints "J.-P. LI"; the parser read family "J.-P.", given "LI". The year is wrong
    # too, so without the author the candidate had only the title and the container.
    rec = _petrology()
    work = _work(title={"text": rec["title"][0]}, author=["J.-P., LI"], issued="1996",
                 container_title=rec["container-title"][0])
    cand = validate(work, rec)
    assert cand is not None and cand.accepted and "author" in cand.agreed


def test_a_full_name_read_swapped_meets_crosswise() -> None:
    rec = recorded_message("work_journal-article_10.1038-srep16696.json")
    first = rec["author"][0]  # Tosatto, Laura: read as family "Laura", given "Tosatto"
    swapped = validate(_work(title={"text": rec["title"][0]},
                             author=[f"{first['given']}, {first['family']}"]), rec)
    assert swapped is not None and "author" in swapped.agreed
    half = validate(_work(title={"text": rec["title"][0]},
                          author=[f"Maria, {first['family']}"]), rec)
    assert half is not None and "author" in half.disagreed  # only one part meets


def test_a_swapped_name_that_is_not_the_authors_still_disagrees() -> None:
    rec = _petrology()
    work = _work(title={"text": rec["title"][0]}, author=["J.-P., Smith"], issued="1996",
                 container_title=rec["container-title"][0])
    cand = validate(work, rec)
    assert cand is not None and not cand.accepted and "author" in cand.disagreed


def test_an_organisation_read_as_a_person_is_the_first_author() -> None:
    rec = recorded_message("work_journal-article_10.2903-j.efsa.2018.5239_org-author.json")
    title = rec["title"][0]
    ok = validate(_work(title={"text": title}, author=["Additives, EFSA Panel on Food"],
                        issued="2018"), rec)
    assert ok is not None and ok.accepted and "author" in ok.agreed
    other = validate(_work(title={"text": title}, author=["Plants, EFSA Panel on"],
                           issued="2018"), rec)
    assert other is not None and not other.accepted


def test_a_container_holding_the_titles_last_words_still_agrees() -> None:
    rec = recorded_message("work_journal-article_10.1038-srep16696.json")
    family = rec["author"][0]["family"]
    year = rec["issued"]["date-parts"][0][0]
    words = rec["title"][0].split()
    # the parser cut the title's last two words into the container; the year is wrong
    work = _work(title={"text": " ".join(words[:-2])}, author=[f"{family}, X."],
                 issued=str(year + 1),
                 container_title=f"{' '.join(words[-2:])}. {rec['container-title'][0]}")
    cand = validate(work, rec)
    assert cand is not None and "container-title" in cand.agreed
    assert cand.accepted
