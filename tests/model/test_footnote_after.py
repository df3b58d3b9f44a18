"""``after``: where a citation stood inside a mixed footnote's commentary."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from annobib.model.references import Footnote

TEXT = "First claim. Second claim, said twice: second claim. Third."


def note(*afters: str | None, kind: str = "mixed", text: str | None = TEXT) -> dict[str, Any]:
    cites = []
    for i, after in enumerate(afters):
        cite: dict[str, Any] = {"signal": "see:", "ref": f"w{i}"}
        if after is not None:
            cite["after"] = after
        cites.append(cite)
    data: dict[str, Any] = {"n": 1, "kind": kind, "source": "printed", "cites": cites}
    if text is not None:
        data["text"] = text
    return data


def test_positions_follow_the_words() -> None:
    fn = Footnote.model_validate(note("First claim", None))
    assert fn.cite_positions() == [len("First claim"), None]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (note("Fourth"), "'Fourth' is not in the note's text"),
        (note("claim"), "occurs 3 times in the note's text; give more of the words"),
        (note("Third", "First claim"), "cites[1].after: the cites are out of printed order"),
        (note("First", kind="citation", text=None), "only a mixed note's cites stand in its text"),
    ],
)
def test_bad_after_is_refused(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError) as exc:
        Footnote.model_validate(data)
    assert message in str(exc.value)


def test_empty_after_is_refused() -> None:
    with pytest.raises(ValidationError):
        Footnote.model_validate(note(""))
