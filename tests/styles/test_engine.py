"""The engine behind ``annobib.styles``: bibliographies, clusters, notes, languages, errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from annobib.errors import InputError
from annobib.styles import Formatter

SMITH: dict[str, Any] = {
    "id": "smith2020",
    "type": "article-journal",
    "title": "Deep learning for citation parsing",
    "author": [{"family": "Smith", "given": "John A."}, {"family": "Doe", "given": "Jane"}],
    "issued": {"date-parts": [[2020]]},
    "container-title": "Journal of Documentation",
    "volume": "76",
    "issue": "3",
    "page": "512-530",
    "language": "en",
}
IVANOV: dict[str, Any] = {
    "id": "ivanov2015",
    "type": "book",
    "title": "Библиографическое описание документов",
    "author": [{"family": "Иванов", "given": "И. П."}],
    "issued": {"date-parts": [[2015]]},
    "publisher": "Наука",
    "publisher-place": "Москва",
    "edition": "2",
    "number-of-pages": "256",
    "language": "ru",
}


def test_apa_bibliography_keeps_cyrillic(formatter: Formatter) -> None:
    out = formatter.bibliography([SMITH, IVANOV], "apa", None, "text")
    assert out.entries == [
        "Smith, J. A., & Doe, J. (2020). Deep learning for citation parsing. "
        "Journal of Documentation, 76(3), 512–530.",
        "Иванов, И. П. (2015). Библиографическое описание документов (2nd ed.). Наука.",
    ]
    assert out.ids == ["smith2020", "ivanov2015"]


def test_gost_terms_follow_each_items_language(formatter: Formatter) -> None:
    # CSL 1.0 has no per-item locale: annobib renders per language and merges by id.
    out = formatter.bibliography([SMITH, IVANOV], "gost", None, "text")
    assert out.entries == [
        "1. Smith J. A., Doe J. Deep learning for citation parsing // Journal of Documentation. "
        "2020. Vol. 76, № 3. P. 512–530.",
        "2. Иванов И. П. Библиографическое описание документов. 2-е изд. Москва: Наука, 2015. "
        "256 с.",
    ]
    assert out.languages == {"smith2020": "en-US"}


def test_citation_cluster_with_locator(formatter: Formatter) -> None:
    cite = [{"id": "smith2020", "locator": "291", "label": "page"}]
    assert formatter.cite([SMITH, IVANOV], cite, "apa") == "(Smith & Doe, 2020, p. 291)"
    numeric = formatter.cite([SMITH, IVANOV], [{"id": "ivanov2015", "locator": "12"}], "ieee")
    assert numeric == "[2, p. 12]"


def test_notes_use_short_forms_and_ibid(formatter: Formatter) -> None:
    clusters = [
        {"id": "a", "note": 1, "items": [{"id": "smith2020", "locator": "5"}]},
        {"id": "b", "note": 2, "items": [{"id": "smith2020", "locator": "6"}]},
        {"id": "c", "note": 3, "items": [{"id": "ivanov2015"}]},
        {"id": "d", "note": 4, "items": [{"id": "smith2020", "locator": "7"}]},
    ]
    chicago = formatter.notes([SMITH, IVANOV], clusters, "chicago-notes-bibliography")
    assert chicago["a"] == (
        "John A. Smith and Jane Doe, “Deep Learning for Citation Parsing,” "
        "Journal of Documentation 76, no. 3 (2020): 5."
    )
    # Chicago 18th prefers short forms to "ibid."; the subsequent-ibid variant uses it.
    assert chicago["b"] == "Smith and Doe, “Deep Learning for Citation Parsing,” 6."
    assert chicago["d"] == "Smith and Doe, “Deep Learning for Citation Parsing,” 7."
    ibid = formatter.notes(
        [SMITH, IVANOV], clusters, "chicago-notes-bibliography-subsequent-ibid"
    )
    assert ibid["b"] == "Ibid., 6."


def test_missing_author_and_date_still_render(formatter: Formatter) -> None:
    bare = {"id": "bare", "type": "webpage", "title": "A page", "URL": "https://example.org/p"}
    out = formatter.bibliography([bare, SMITH], "apa", None, "text")
    # apa.csl prints "Retrieved" before the URL of an undated page even without an access date
    assert out.by_id()["bare"] == "A page. (n.d.). Retrieved https://example.org/p"
    nothing = {"id": "nothing", "type": "article"}
    out = formatter.bibliography([nothing, SMITH], "ieee", None, "text")
    assert len(out.entries) == 2


def test_markdown_and_rtf_output(formatter: Formatter) -> None:
    md = formatter.bibliography([SMITH], "apa", None, "markdown").entries[0]
    assert md == (
        "Smith, J. A., & Doe, J. (2020). Deep learning for citation parsing. "
        "*Journal of Documentation*, *76*(3), 512–530."
    )
    rtf = formatter.bibliography([IVANOV], "apa", None, "rtf").entries[0]
    assert rtf.startswith("\\uc0\\u1048{}")  # И, escaped for RTF


def test_broken_style_reports_file_without_javascript_stack(tmp_path: Path) -> None:
    # Well-formed XML that citeproc-js cannot use: a layout without the required <citation>.
    style = tmp_path / "nobib.csl"
    style.write_text(
        '<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0" class="in-text">'
        "<info><title>x</title><id>x</id></info>"
        "<citation><layout><text variable=\"title\" form=\"no-such-form\"/></layout></citation>"
        "</style>",
        encoding="utf-8",
    )
    with Formatter() as f, pytest.raises(InputError) as exc:
        f.bibliography([SMITH], str(style), None, "text")
    msg = str(exc.value)
    assert msg.startswith(f"{style}: ")
    assert " at " not in msg and "\n" not in msg


def test_close_is_idempotent() -> None:
    f = Formatter()
    f.bibliography([SMITH], "ieee", None, "text")
    f.close()
    f.close()


def test_prepared_engine_gives_the_same_bibliography(formatter: Formatter) -> None:
    # prepare() builds the engine on a background thread while the caller does other work;
    # the result must be what the synchronous path gives.
    with Formatter() as f:
        f.prepare("ieee", None)
        out = f.bibliography([SMITH, IVANOV], "ieee", None, "text")
    assert out.entries == formatter.bibliography([SMITH, IVANOV], "ieee", None, "text").entries


def test_prepare_with_an_unknown_style_reports_in_the_foreground() -> None:
    # the background attempt fails quietly; the call that needs the style raises as always
    with Formatter() as f:
        f.prepare("no-such-style-anywhere", None)
        with pytest.raises(InputError, match="no-such-style-anywhere"):
            f.bibliography([SMITH], "no-such-style-anywhere", None, "text")


def test_close_right_after_prepare_waits_for_the_engine() -> None:
    # the V8 context must be closed on the thread that made it, after the build has finished
    f = Formatter()
    f.prepare("apa", None)
    f.close()
    assert f._cjs is None and f._warming is None
