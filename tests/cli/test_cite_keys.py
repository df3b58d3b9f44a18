"""``annobib cite KEY[:LOCATOR]``: keys that hold ``:`` themselves (biblatex accepts them)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from annobib.cli.app import app
from annobib.errors import InputError
from annobib.tasks.cite import mistyped_key, parse_cite

runner = CliRunner()

KEYS = {"westfahl", "westfahl:space", "Welland:TB1-1-2"}

LIBRARY = """\
annobib: 1
works:
- key: westfahl
  type: book
  title: Islands in the Sky
  author: ["Westfahl, Gary"]
  issued: 1996
- key: westfahl:space
  type: book
  title: The Spacesuit Film
  author: ["Westfahl, Gary"]
  issued: 2012
"""


def test_the_longest_key_that_exists_wins() -> None:
    assert parse_cite("westfahl:space", KEYS) == {"id": "westfahl:space"}
    assert parse_cite("westfahl:space:12", KEYS) == {"id": "westfahl:space", "locator": "12", "label": "page"}
    assert parse_cite("westfahl:12", KEYS) == {"id": "westfahl", "locator": "12", "label": "page"}
    assert parse_cite("Welland:TB1-1-2:ch. 3", KEYS) == {"id": "Welland:TB1-1-2", "locator": "3", "label": "chapter"}
    # the locator may hold ':' too: only a known key is taken off the front
    assert parse_cite("westfahl:space:12:3", KEYS) == {"id": "westfahl:space", "locator": "12:3", "label": "page"}


def test_an_empty_locator_after_a_known_key_cites_the_key() -> None:
    assert parse_cite("westfahl:space:", KEYS) == {"id": "westfahl:space"}
    assert parse_cite("Welland:TB1-1-2: ", KEYS) == {"id": "Welland:TB1-1-2"}


def test_an_unknown_key_with_colons_is_named_whole_not_cut_at_its_first_colon() -> None:
    with pytest.raises(InputError) as caught:
        parse_cite("Welland:TB1-1-9:12", KEYS)
    message = str(caught.value)
    assert message.startswith("no record with key 'Welland:TB1-1-9:12' nor any part of it before a ':'")
    assert message.endswith("; did you mean Welland:TB1-1-2?")


def test_an_unknown_key_without_colons_keeps_the_short_message() -> None:
    with pytest.raises(InputError, match=r"^no record with key 'westfahll'; did you mean westfahl"):
        parse_cite("westfahll", KEYS)


def test_cite_command_with_colon_keys(tmp_path: Path) -> None:
    data = tmp_path / "lib.yaml"
    data.write_text(LIBRARY, encoding="utf-8")
    common = ["--style", "apa", "--in", str(data), "--no-cache"]
    r = runner.invoke(app, ["cite", "westfahl:space:12", "westfahl:7", *common])
    assert r.exit_code == 0, r.output
    assert r.stdout == "(Westfahl, 1996, p. 7, 2012, p. 12)\n"
    r = runner.invoke(app, ["cite", "westfahll:space:12", *common])
    assert r.exit_code == 3
    assert "no record with key 'westfahll:space:12' nor any part of it before a ':'" in r.stderr
    assert "did you mean westfahl:space" in r.stderr


def test_a_locator_close_to_a_longer_key_is_named_as_a_likely_typo() -> None:
    token = "westfahl:spcae:12"
    cite = parse_cite(token, KEYS)
    assert cite == {"id": "westfahl", "locator": "spcae:12", "label": "page"}  # the rule holds
    assert mistyped_key(token, cite, KEYS) == "westfahl:space"
    for plain in ("westfahl:12", "westfahl:space:12", "westfahl", "westfahl:ch. 3",
                  "Welland:TB1-1-2:5"):
        assert mistyped_key(plain, parse_cite(plain, KEYS), KEYS) is None, plain


def test_cite_command_warns_of_a_likely_typo_and_still_cites(tmp_path: Path) -> None:
    data = tmp_path / "lib.yaml"
    data.write_text(LIBRARY, encoding="utf-8")
    r = runner.invoke(app, ["cite", "westfahl:spcae:12", "--style", "apa", "--in", str(data),
                            "--no-cache"])
    assert r.exit_code == 0, r.output
    assert r.stdout == "(Westfahl, 1996, p. spcae:12)\n"
    assert "'westfahl:spcae:12' is cited as 'westfahl' at locator 'spcae:12'; " \
           "did you mean 'westfahl:space'? [warning A603]" in r.stderr
    r = runner.invoke(app, ["cite", "westfahl:space:12", "--style", "apa", "--in", str(data),
                            "--no-cache"])
    assert r.exit_code == 0 and r.stderr == ""
