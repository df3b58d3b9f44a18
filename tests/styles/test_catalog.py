"""Style lookup: names, aliases, dependent styles, files; bad styles are clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from annobib.errors import InputError
from annobib.styles.catalog import list_styles, resolve_locale, resolve_style


def test_names_and_aliases_resolve_to_independent_styles() -> None:
    assert resolve_style("apa").name == "apa"
    assert resolve_style("mla").name == "modern-language-association"
    gost = resolve_style("gost")
    assert gost.name == "gost-r-7-0-5-2008-numeric"
    assert gost.default_locale == "ru-RU"
    assert resolve_style("chicago-notes-bibliography").is_note_style


def test_dependent_style_uses_its_parent() -> None:
    st = resolve_style("vancouver-nlm")
    assert st.name == "nlm-citation-sequence"
    assert st.via == "vancouver-nlm"


def test_bundled_post_soviet_issues_style() -> None:
    st = resolve_style("post-soviet-issues")
    assert st.path.parent.name == "csl"
    assert st.title == "Post-Soviet Issues (annobib)"


def test_unknown_style_names_the_closest() -> None:
    with pytest.raises(InputError) as exc:
        resolve_style("chicago-note-bibliography")
    msg = str(exc.value)
    assert msg.startswith("unknown style 'chicago-note-bibliography'; closest: ")
    assert "chicago-notes-bibliography" in msg
    assert exc.value.exit_code == 3


def test_malformed_csl_file_is_located(tmp_path: Path) -> None:
    bad = tmp_path / "broken.csl"
    bad.write_text(
        '<?xml version="1.0"?>\n<style xmlns="http://purl.org/net/xbiblio/csl">\n<info>\n</style>\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as exc:
        resolve_style(str(bad))
    assert str(exc.value) == f"{bad}:4:3: not a well-formed CSL style: mismatched tag"


def test_xml_that_is_not_a_style(tmp_path: Path) -> None:
    other = tmp_path / "other.csl"
    other.write_text("<locale/>", encoding="utf-8")
    with pytest.raises(InputError, match=r"other\.csl:1:1: not a CSL style: the root element is <locale>"):
        resolve_style(str(other))


def test_missing_style_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such style file"):
        resolve_style(str(tmp_path / "nope.csl"))


def test_locales_resolve_from_language_tags() -> None:
    assert resolve_locale("ru") == "ru-RU"
    assert resolve_locale("en") == "en-US"
    assert resolve_locale("en-GB") == "en-GB"
    assert resolve_locale("xx") is None


def test_listing_searches_names_and_titles() -> None:
    found = {s.name: s for s in list_styles("gost 7.0.5")}
    assert "gost-r-7-0-5-2008-numeric" in found
    assert found["gost-r-7-0-5-2008-numeric"].origin == "official"
    psi = list_styles("post-soviet")
    assert [s.origin for s in psi if s.name == "post-soviet-issues"] == ["annobib"]
