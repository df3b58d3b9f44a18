"""How a person is written: the short ``"Family, Given"`` form only when it says everything."""

from __future__ import annotations

import pytest

from annobib.model.person import Person


def test_name_only_is_written_short() -> None:
    short: object = Person(family="Иванов", initials="И. П.").model_dump(mode="json")
    assert short == "Иванов, И. П."  # a string, though pydantic types model_dump as a dict
    literal: object = Person(literal="UN Office").model_dump(mode="json")
    assert literal == "{UN Office}"


def test_a_name_the_short_form_would_change_is_written_in_full() -> None:
    # "A, B, C" would read back as family "A" with given "B, C"
    p = Person(family="A, B", given="C")
    assert p.model_dump(mode="json", exclude_defaults=True) == {"family": "A, B", "given": "C"}


@pytest.mark.parametrize(("attr", "label"), Person.DETAIL_FIELDS)
def test_every_detail_field_keeps_the_full_form(attr: str, label: str) -> None:
    # the serializer lists the detail fields by hand (it runs for every person); this keeps
    # that list and DETAIL_FIELDS from drifting apart
    value = "ru" if attr == "original_lang" else "0000-0002-1825-0097" if attr == "orcid" else (
        "a@example.org" if attr == "email" else "x"
    )
    p = Person.model_validate({"family": "Doe", "given": "Jane", label: value})
    dumped = p.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    assert isinstance(dumped, dict) and dumped[label] == value
