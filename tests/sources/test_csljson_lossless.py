"""CSL-JSON in, YAML file, CSL-JSON out: every item comes back as it was (issue 12).

The items here are written for these tests (none is copied from the CSL test suite); each
feature has its own test, and a property test generates items over every CSL 1.0.2 variable.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annobib.exporters.base import ExportOptions
from annobib.exporters.csljson import library_to_csl
from annobib.findings import Finding
from annobib.model import csl
from annobib.model.library import Document, Library, LoadedDocument
from annobib.model.record import Work, WorkType
from annobib.sources.csljson import read_csljson
from annobib.sources.yaml import parse_document
from annobib.sources.yamlfast import document_yaml, work_yaml


def through_yaml(items: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[Finding]]:
    """What ``import --from csljson`` then ``export --to csljson`` make of ``items``."""
    result = read_csljson(json.dumps(items, ensure_ascii=False, indent=1), "in.json")
    text = document_yaml([work_yaml(w) for w in result.works])
    loaded, findings = parse_document(text, "lib.yaml")
    assert loaded is not None and findings == [], findings
    return library_to_csl(Library([loaded]), ExportOptions()), result.findings


def same(items: list[dict[str, Any]]) -> list[Finding]:
    out, findings = through_yaml(items)
    assert [csl.normal(i) for i in out] == [csl.normal(i) for i in items]
    return findings


def codes(findings: list[Finding]) -> set[tuple[str, str | None]]:
    return {(f.code, f.field) for f in findings}


# --- names ----------------------------------------------------------------------------------


def test_particles_suffix_and_flags_are_parts_not_folded() -> None:
    name = {"family": "Gogh", "given": "Vincent", "non-dropping-particle": "van",
            "dropping-particle": "d'", "suffix": "Jr.", "comma-suffix": True,
            "static-ordering": True}
    item = {"id": "g", "type": "book", "title": "Letters", "author": [name]}
    assert same([item]) == []
    work = read_csljson(json.dumps([item]), "x").works[0]
    p = work.author[0]
    assert (p.family, p.non_dropping_particle, p.dropping_particle, p.suffix) == (
        "Gogh", "van", "d'", "Jr.")
    assert p.comma_suffix and p.static_ordering
    assert work.verbatim is None  # everything is typed


def test_literal_given_only_and_initials_names() -> None:
    same([{"id": "n", "type": "book", "title": "T", "author": [
        {"literal": "World Health Organization"}, {"given": "Prince"},
        {"family": "Smith", "given": "J. M."},
    ]}])
    work = read_csljson(json.dumps([{"id": "n", "type": "book", "author": [
        {"family": "Smith", "given": "J. M."}]}]), "x").works[0]
    assert work.author[0].initials == "J. M."


def test_a_name_extension_is_kept_for_csl_and_said() -> None:
    name = {"family": "Doe Co.", "isInstitution": True,
            "multi": {"_key": {"ja": {"family": "x"}}}}
    same([{"id": "e", "type": "book", "title": "T", "author": [name]}])
    p = read_csljson(json.dumps([{"id": "e", "type": "book", "author": [name]}]),
                     "x").works[0].author[0]
    assert p.verbatim == {"csl": {"isInstitution": True, "multi": name["multi"]}}
    # in the YAML file a value that is not a string is its JSON text
    assert p.model_dump(mode="json", by_alias=True, exclude_defaults=True)["verbatim"] == {
        "csl": {"isInstitution": {"json": "true"},
                "multi": {"json": '{"_key": {"ja": {"family": "x"}}}'}}}


def test_every_name_role_round_trips() -> None:
    roles = [v for v, (_, kind) in csl.VARIABLES.items() if kind == "names"]
    assert len(roles) == 27
    item: dict[str, Any] = {"id": "r", "type": "song", "title": "T"}
    for i, role in enumerate(roles):
        item[role] = [{"family": f"F{i}", "given": "Given"}]
    assert same([item]) == []


# --- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "edtf"),
    [
        ({"date-parts": [[2000, 1, 15], [2000, 2, 3]]}, "2000-01-15/2000-02-03"),
        ({"date-parts": [[1999, 21], [1999, 22]]}, "1999-21/1999-22"),
        ({"date-parts": [[1999]], "season": 3}, "1999-23"),
        ({"date-parts": [[2005, 12, 15]], "circa": True}, "2005-12-15~"),
        ({"date-parts": [[-44, 3, 15]]}, "-0043-03-15"),
        ({"date-parts": [["1987", "8"], ["2003", "10"]]}, "1987-08/2003-10"),
    ],
)
def test_csl_dates_are_typed_edtf_and_come_back(date: dict[str, Any], edtf: str) -> None:
    item = {"id": "d", "type": "book", "title": "T", "issued": date}
    same([item])
    work = read_csljson(json.dumps([item]), "x").works[0]
    assert work.issued is not None and work.issued.iso() == edtf
    assert work.verbatim is None


def test_a_bc_year_is_held_and_reported() -> None:
    findings = same([{"id": "bc", "type": "book", "title": "T",
                      "issued": {"date-parts": [[-250]]}}])
    assert ("A416", "issued") in codes(findings)
    assert "-0249" in findings[0].message and "-250" in findings[0].message


@pytest.mark.parametrize(
    "date",
    [
        {"literal": "(in press)"},
        {"date-parts": [[2000]], "season": "Trinity"},
        {"date-parts": [[1965, 17, 1]]},
        {"date-parts": [[0]]},
        {"raw": "Summer, 2008"},
        {"date-parts": [[2013, 1, 30]], "season": "22:56:08"},
        {"date-parts": [[2005, 12, 15]], "circa": "1"},
    ],
)
def test_a_date_annobib_doubts_is_kept_as_written(date: dict[str, Any]) -> None:
    item = {"id": "d", "type": "book", "title": "T", "accessed": date}
    same([item])
    work = read_csljson(json.dumps([item]), "x").works[0]
    assert work.verbatim is not None and work.verbatim["csl"]["accessed"] == date


def test_an_edited_typed_date_wins_over_its_kept_spelling() -> None:
    item = {"id": "d", "type": "book", "title": "T",
            "issued": {"date-parts": [["2005", "12", "15"]], "circa": "1"}}
    work = read_csljson(json.dumps([item]), "x").works[0]
    assert work.verbatim is not None and work.issued is not None
    edited = work.model_copy(update={"issued": work.issued.model_copy(update={"year": 2006})})
    (out,) = library_to_csl(Library([LoadedDocument("x", Document(works=[edited]))]))
    assert out["issued"] == {"date-parts": [[2006, 12, 15]], "circa": True}


# --- types ----------------------------------------------------------------------------------


@pytest.mark.parametrize("ctype", sorted({r.csl for r in __import__(
    "annobib.model.crosswalk", fromlist=["ROWS"]).ROWS.values()}))
def test_every_csl_type_comes_back(ctype: str) -> None:
    assert same([{"id": "t", "type": ctype, "title": "T"}]) == []


def test_unknown_and_missing_types_come_back_and_are_reported() -> None:
    findings = same([{"id": "u", "type": "hologram", "title": "T"}, {"id": "m", "title": "T"}])
    assert [f.code for f in findings] == ["A414", "A414"]
    works = read_csljson(json.dumps([{"id": "u", "type": "hologram"}]), "x").works
    assert works[0].type is WorkType.MISC


# --- each variable ---------------------------------------------------------------------------

_SAMPLES: dict[str, Any] = {
    "text": "Some value",
    "number": "12",
    "title": "A title",
    "names": [{"family": "Family", "given": "Given"}],
    "date": {"date-parts": [[2001, 2, 3]]},
    "doi": "10.1000/AbC.123",
    "url": "https://example.org/x",
    "lang": "en-GB",
    "isbn": "978-3-16-148410-0",
    "issn": "1234-5679",
    "keywords": "one, two",
}


@pytest.mark.parametrize("var", sorted(csl.VARIABLES))
def test_every_csl_variable_has_a_typed_field_and_comes_back(var: str) -> None:
    field, kind = csl.VARIABLES[var]
    item = {"id": "v", "type": "book", var: _SAMPLES[kind]}
    assert same([item]) == []
    work = read_csljson(json.dumps([item]), "x").works[0]
    assert getattr(work, field) not in (None, [])
    assert work.verbatim is None


@pytest.mark.parametrize(("alias", "var"), sorted(csl.ALIASES.items()))
def test_other_spellings_come_back_as_written(alias: str, var: str) -> None:
    item = {"id": "a", "type": "book", alias: "Written so"}
    same([item])
    work = read_csljson(json.dumps([item]), "x").works[0]
    assert getattr(work, csl.VARIABLES[var][0]) == "Written so"


def test_doi_keeps_its_case_and_its_written_form() -> None:
    items = [{"id": "a", "type": "article-journal", "DOI": "10.1007/S11336-012-9269-1"},
             {"id": "b", "type": "article-journal",
              "DOI": "https://doi.org/10.1007/s11336-012-9269-1"}]
    assert same(items) == []
    works = read_csljson(json.dumps(items), "x").works
    assert works[0].doi == "10.1007/S11336-012-9269-1"
    assert works[1].doi == "10.1007/s11336-012-9269-1"


def test_language_that_is_not_bcp47_is_kept_and_reported() -> None:
    findings = same([{"id": "l", "type": "book", "title": "T", "language": "french language"}])
    assert ("A416", "language") in codes(findings)
    assert "kept as written" in next(f.message for f in findings if f.field == "language")


def test_unknown_variables_are_kept_and_said() -> None:
    item = {"id": "k", "type": "book", "title": "T", "key": "ABC123",
            "citation-number": 5, "categories": ["a", "b"], "flag": True, "nothing": None}
    findings = same([item])
    assert {("A415", k) for k in ("key", "citation-number", "categories", "flag", "nothing")} <= (
        codes(findings))


def test_repeated_ids() -> None:
    a = {"id": "x", "type": "book", "title": "One"}
    b = {"id": "x", "type": "book", "title": "Two"}
    out, findings = through_yaml([a, a, b])
    assert [i["id"] for i in out] == ["x", "x-2"]
    assert [i["title"] for i in out] == ["One", "Two"]
    assert [f.code for f in findings] == ["A412", "A412"]
    assert findings[1].data["original"] == "x"


def test_custom_and_whitespace_come_back() -> None:
    same([{"id": "c", "type": "book", "title": " padded ", "note": "",
           "custom": {"foreign": {"x": 1}}, "page": 12}])


# --- generated items ------------------------------------------------------------------------

_WORD = st.text(st.sampled_from(list("abcXYZ019 абвЁé&'.-:")), min_size=1, max_size=10)


def _value(kind: str) -> Any:
    name = st.fixed_dictionaries(
        {"family": _WORD},
        optional={"given": _WORD, "dropping-particle": _WORD, "non-dropping-particle": _WORD,
                  "suffix": _WORD, "comma-suffix": st.just(True),
                  "static-ordering": st.just(True)},
    )
    point = st.tuples(st.integers(-300, 2100).filter(bool), st.integers(1, 12),
                      st.integers(1, 28)).map(list).flatmap(
        lambda p: st.sampled_from([p[:1], p[:2], p]))
    return {
        "text": _WORD, "title": _WORD, "number": st.one_of(_WORD, st.integers(0, 500)),
        "names": st.lists(st.one_of(name, st.fixed_dictionaries({"literal": _WORD})),
                          min_size=1, max_size=3),
        "date": st.one_of(
            st.lists(point, min_size=1, max_size=2).map(lambda ps: {"date-parts": ps}),
            st.fixed_dictionaries({"date-parts": point.map(lambda p: [p[:1]]),
                                   "season": st.integers(1, 4)}),
            st.fixed_dictionaries({"literal": _WORD}),
        ),
        "doi": st.from_regex(r"10\.[0-9]{4}/[A-Za-z0-9.]{1,8}", fullmatch=True),
        "url": st.from_regex(r"https://[a-z]{1,6}\.org/[a-z0-9]{0,6}", fullmatch=True),
        "lang": st.sampled_from(["en", "ru-RU", "de", "not a tag"]),
        "isbn": st.just("978-3-16-148410-0"), "issn": st.just("1234-5679"),
        "keywords": _WORD,
    }[kind]


@st.composite
def items(draw: Any) -> dict[str, Any]:
    names = draw(st.lists(st.sampled_from(sorted(csl.VARIABLES)), max_size=8, unique=True))
    item: dict[str, Any] = {"id": draw(st.from_regex(r"[a-z][a-z0-9]{0,6}", fullmatch=True)),
                            "type": draw(st.sampled_from(["book", "chapter", "article",
                                                          "post-weblog", "legal_case"]))}
    for n in names:
        item[n] = draw(_value(csl.VARIABLES[n][1]))
    if draw(st.booleans()):
        item[draw(st.sampled_from(["key", "note2", "multi"]))] = draw(
            st.one_of(_WORD, st.integers(), st.booleans(), st.lists(st.integers(), max_size=2)))
    return item


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items())
def test_generated_csl_items_come_back_unchanged(item: dict[str, Any]) -> None:
    same([item])


def test_records_made_in_annobib_export_as_before() -> None:
    # the typed export of a plain record has no verbatim part and no @omit directive
    w = Work.model_validate({"key": "k", "type": "book", "title": "T",
                             "author": ["Tomberg, I. R."], "issued": "2022"})
    (out,) = library_to_csl(Library([LoadedDocument("x", Document(works=[w]))]))
    assert out == {"id": "k", "type": "book", "title": "T",
                   "author": [{"family": "Tomberg", "given": "I. R."}],
                   "issued": {"date-parts": [[2022]]}}


def test_annobib_own_export_of_the_shipped_data_reads_back_without_verbatim() -> None:
    from pathlib import Path

    from annobib.api import load

    root = Path(__file__).resolve().parents[2]
    library = load([root / "data"], lint=False, use_cache=False).library
    exported = library_to_csl(library)
    back = read_csljson(json.dumps(exported, ensure_ascii=False), "again.json")
    assert [w.key for w in back.works] == [w.key for w in library.works()]
    assert [w.key for w in back.works if w.verbatim] == []
    again = library_to_csl(Library([LoadedDocument("x", Document(works=back.works))]))
    # the reference counts are derived from an article's lists, which CSL-JSON does not carry
    for item in exported:
        item.get("custom", {}).pop("reference-count", None)
        if item.get("custom") == {}:
            del item["custom"]
    assert again == exported
