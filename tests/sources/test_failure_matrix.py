"""Each broken input yields exactly the expected message at the right line and column,
and the rest of the file still loads."""

from __future__ import annotations

from pathlib import Path

import pytest

from annobib.api import load
from annobib.sources.yaml import parse_document

HEAD = """annobib: 1
article:
  key: art2020
  type: journal-article
  title: "An article"
references:
"""

GOOD = """  - n: {n}
    source: "{n}. Good work."
    work: {{key: good{n}, type: book, title: "Good {n}"}}
"""


def doc_with(bad: str, *, before: int = 1, after: int = 1) -> str:
    """HEAD, ``before`` good references, the bad text, then ``after`` good references."""
    parts = [HEAD]
    parts += [GOOD.format(n=i) for i in range(1, before + 1)]
    parts.append(bad)
    parts += [GOOD.format(n=i) for i in range(100, 100 + after)]
    return "".join(parts)


# The bad entry starts on line 10 (6 lines of HEAD + 3 lines of one good reference);
# every expected column below was checked by hand to point at the offending token.
CASES = [
    pytest.param(
        '  - n: 2\n    source: "2. x"\n    work: {key: b1, type: book, titel: "X"}\n',
        ["f.yaml:12:33: b1.titel: unknown field 'titel' (did you mean 'title'?) [error A109]"],
        id="unknown-field-did-you-mean",
    ),
    pytest.param(
        '  - n: 2\n    source: "2. x"\n    work: {key: b2, type: bok}\n',
        [
            "f.yaml:12:27: b2.type: unknown value 'bok' (did you mean 'book'?); expected one of "
            "the 64 values listed in docs/file-format.md [error A110]"
        ],
        id="unknown-type",
    ),
    pytest.param(
        '  - n: 2\n    source: "2. x"\n    work: {key: b3, type: book, doi: "10.1/x"}\n',
        ["f.yaml:12:38: b3.doi: not a DOI: '10.1/x' (expected 10.NNNN/suffix) [error A110]"],
        id="malformed-doi",
    ),
    pytest.param(
        '  - n: 2\n    source: "2. x"\n    work: {key: b4, type: web-page, url: "www.x.org"}\n',
        [
            "f.yaml:12:42: b4.url: not an absolute http(s) URL without spaces: 'www.x.org' "
            "[error A110]"
        ],
        id="malformed-url",
    ),
    pytest.param(
        '  - n: 2\n    source: "2. x"\n    work: {key: b5, type: book, issued: "2022-13"}\n',
        ["f.yaml:12:41: b5.issued: month 13 is not 1-12 [error A110]"],
        id="month-13",
    ),
    pytest.param(
        '  - n: 2\n    source: "2. x"\n    work: {key: b6, type: book, issued: "14.05.2022"}\n',
        [
            "f.yaml:12:41: b6.issued: not a date: '14.05.2022' (expected EDTF: YYYY, YYYY-MM, "
            "YYYY-MM-DD, YYYY-21..24 for a season, with ?, ~ or %, or an interval A/B) "
            "[error A110]"
        ],
        id="date-not-iso",
    ),
    pytest.param(
        '  - n: 2\n    source: "2. x"\n    work: {key: b7, type: book, accessed: "2022-02-30"}\n',
        ["f.yaml:12:43: b7.accessed: day 30 does not exist in 2022-02 [error A110]"],
        id="impossible-day",
    ),
    pytest.param(
        '  - n: 2\n    source: "2. x"\n    work: {key: b8, type: book, language: "Russian"}\n',
        [
            "f.yaml:12:43: b8.language: not a BCP 47 language tag: 'Russian' "
            "(e.g. ru, en-GB, ru-Latn) [error A110]"
        ],
        id="language-not-bcp47",
    ),
    pytest.param(
        '  - n: 2\n    source: "2. x"\n    work: {type: book, title: "No key"}\n',
        ["f.yaml:12:11: art2020.references[1].work.key: missing required field 'key' [error A110]"],
        id="missing-key",
    ),
    pytest.param(
        "  - n: 2\n    work: {key: b9, type: book}\n",
        ["f.yaml:10:5: art2020.references[1].source: missing required field 'source' [error A110]"],
        id="missing-source",
    ),
    pytest.param(
        '  - n: 2\n    source: "2. x"\n    work: {key: b10, type: book, title: "A", title: "B"}\n',
        [
            "f.yaml:12:46: b10.title: duplicate key 'title' (first at line 12); "
            "the first value is kept [error A102]"
        ],
        id="duplicate-mapping-key",
    ),
    pytest.param(
        '  - n: 2\n    source: "2. x"\n    work: {key: b11, type: book, author: ["Smith, J.", {initials: X}]}\n',
        [
            "f.yaml:12:56: b11.author[1]: a person needs a family name (or a given name alone), "
            "or a literal name for an organisation [error A110]"
        ],
        id="person-without-family",
    ),
    pytest.param(
        '  - n: 2\n    source: "2. x"\n    work: {key: b12, type: book}\n    ref: good1\n',
        [
            "f.yaml:10:5: art2020.references[1]: a reference needs exactly one of 'work' (inline) "
            "or 'ref' (a key) [error A110]"
        ],
        id="work-and-ref",
    ),
    pytest.param(
        '  - n: 2\n    source: "2. x"\n    work: !!python/object:os.system {key: b13, type: book}\n',
        [
            "f.yaml:12:11: art2020.references[1]: tags are not allowed "
            "(tag:yaml.org,2002:python/object:os.system) [error A105]"
        ],
        id="object-tag-refused",
    ),
    pytest.param(
        '  - n: 2\n    source: &s "2. x"\n    work: {key: b14, type: book, title: *s}\n',
        [
            "f.yaml:11:13: art2020.references[1]: anchors are not allowed (&s) [error A104]",
            "f.yaml:12:41: b14.title: aliases are not allowed (*s) [error A104]",
        ],
        id="anchor-and-alias-refused",
    ),
]


@pytest.mark.parametrize(("bad", "expected"), CASES)
def test_broken_record_is_reported_and_the_rest_loads(bad: str, expected: list[str]) -> None:
    loaded, findings = parse_document(doc_with(bad), "f.yaml")
    assert [str(f) for f in findings] == expected
    assert loaded is not None
    refs = loaded.document.references
    keys = [r.target_key for r in refs]
    # the good reference before and the one after the broken entry are both there
    assert "good1" in keys and "good100" in keys
    assert loaded.document.article is not None and loaded.document.article.key == "art2020"


def test_syntax_error_is_located_and_records_before_it_load() -> None:
    text = doc_with('  - n: 2\n    source: "2. x\n    work: [\n', after=0)
    loaded, findings = parse_document(text, "f.yaml")
    assert len(findings) == 1
    msg = str(findings[0])
    assert msg == (
        "f.yaml:13:1: YAML syntax error: found unexpected end of stream "
        "(while scanning a quoted scalar that starts at 11:13) [error A101]"
    )
    assert loaded is not None
    assert [r.target_key for r in loaded.document.references] == ["good1"]


def test_unknown_top_level_field_is_reported_with_hint() -> None:
    text = HEAD.replace("references:\n", "refrences:\n  - 1\n")
    _, findings = parse_document(text, "f.yaml")
    assert [str(f) for f in findings] == [
        "f.yaml:6:1: art2020.refrences: unknown field 'refrences' (did you mean 'references'?) "
        "[error A109]"
    ]


def test_missing_format_version() -> None:
    _, findings = parse_document("works: []\n", "f.yaml")
    assert [str(f) for f in findings] == [
        "f.yaml:1:1: missing 'annobib: 1' (the format version) at the top of the file [error A108]"
    ]


def test_second_yaml_document_refused() -> None:
    _, findings = parse_document("annobib: 1\n---\nannobib: 1\n", "f.yaml")
    assert [str(f) for f in findings] == [
        "f.yaml:2:1: only one YAML document per file [error A106]"
    ]


def test_billion_laughs_is_refused_without_expansion() -> None:
    lol = ["annobib: 1", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        lol.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    _, findings = parse_document("\n".join(lol) + "\n", "bomb.yaml")
    codes = {f.code for f in findings}
    assert "A104" in codes  # anchors/aliases refused, nothing expanded


def test_oversized_file_is_unreadable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANNOBIB_MAX_FILE_BYTES", "100")
    f = tmp_path / "big.yaml"
    f.write_text("annobib: 1\nworks:\n" + "# padding\n" * 20, encoding="utf-8")
    result = load([f])
    assert result.unreadable == [str(f)]
    assert "over the 100-byte limit" in str(result.findings[0])


def test_not_utf8_is_located(tmp_path: Path) -> None:
    f = tmp_path / "latin1.yaml"
    f.write_bytes(
        'annobib: 1\nworks:\n  - {key: a, type: book, title: "Caf\xe9"}\n'.encode("latin-1")
    )
    result = load([f])
    assert result.unreadable == [str(f)]
    assert str(result.findings[0]) == (
        f"{f}:3:37: not UTF-8: byte 0xe9 cannot be decoded [error A100]"
    )


def test_cross_file_problems(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "annobib: 1\nworks:\n  - {key: dup, type: book, title: A}\n", encoding="utf-8"
    )
    (tmp_path / "b.yaml").write_text(
        "annobib: 1\nworks:\n  - {key: dup, type: book, title: B}\n"
        '  - {key: web, type: web-page, url: "https://x.org/", accessed: "2999-01-01"}\n'
        "article:\n  key: art\n  type: journal-article\n"
        'footnotes:\n  - n: 1\n    kind: citation\n    source: "See: nowhere."\n'
        "    cites:\n      - ref: nowhere\n",
        encoding="utf-8",
    )
    result = load([tmp_path])
    lines = sorted(str(f) for f in result.findings)
    assert lines == [
        f"{tmp_path / 'b.yaml'}:13:14: ref: 'ref: nowhere' points to no record in the files loaded"
        " [error A202]",
        f"{tmp_path / 'b.yaml'}:3:5: dup.key: duplicate record key 'dup' (first defined at "
        f"{tmp_path / 'a.yaml'}:3:5); cite it with 'ref: dup' instead of defining it again "
        "[error A201]",
        f"{tmp_path / 'b.yaml'}:4:65: web.accessed: access date 2999-01-01 is in the future "
        f"(today is {__import__('datetime').date.today().isoformat()}) [error A204]",
    ]


def test_reading_never_modifies_a_file(tmp_path: Path) -> None:
    f = tmp_path / "a.yaml"
    raw = b"annobib: 1\nworks:\n  - {key: a, type: bok}\n"
    f.write_bytes(raw)
    before = f.stat().st_mtime_ns
    load([f])
    load([f])  # second load hits the cache
    assert f.read_bytes() == raw and f.stat().st_mtime_ns == before
