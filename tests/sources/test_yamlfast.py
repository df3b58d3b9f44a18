"""The import's fast YAML writer reads back as exactly the data written (PyYAML and annobib)."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from annobib.sources import yamlfast

_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)
_DATA = st.recursive(
    st.one_of(_TEXT, st.integers(0, 10**6), st.booleans(), st.none()),
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.text(st.sampled_from("abcxyz-"), min_size=1, max_size=6), children,
                        max_size=4),
    ),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.text(st.sampled_from("abc-"), min_size=1, max_size=5), _DATA,
                       min_size=1, max_size=5))
def test_reads_back_identically(data: dict[str, Any]) -> None:
    text = yamlfast.dump(data)
    assert yaml.safe_load(text) == data


def test_yaml_look_alikes_are_quoted() -> None:
    data = {"a": ["010401", "yes", "No", "null", "~", "1e5", "2001-01-01", "12:30", "- x",
                  "a: b", "x #y", " lead", "trail ", "", "'q'", "\ufeffbom", "line\u2028sep",
                  "tab\there", "Кузьмина, Е. М.", "2009-01"]}
    text = yamlfast.dump(data)
    assert yaml.safe_load(text) == data
    assert "- Кузьмина, Е. М.\n" in text  # plain when safe
    assert "- 2009-01\n" in text  # not a timestamp: plain, as PyYAML writes it
