"""``services.answers.CappedBody``: an answer's body decoded as it arrives, held to the cap."""

from __future__ import annotations

import gzip
import zlib

import pytest

from annobib.services.answers import ACCEPT_ENCODING, CappedBody, UnreadEncoding

BODY = b'{"status":"ok","message":{"DOI":"10.1038/srep16696"}}'


def _fed(body: CappedBody, raw: bytes, piece: int = 1000) -> bool:
    return all(body.feed(raw[i : i + piece]) for i in range(0, len(raw), piece))


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


@pytest.mark.parametrize("encoding", [None, "", "identity", "gzip", "x-gzip", "GZIP", "deflate"])
def test_each_coding_asked_for_is_read(encoding: str | None) -> None:
    raw = {"gzip": _gzip(BODY), "x-gzip": _gzip(BODY), "deflate": zlib.compress(BODY)}.get(
        (encoding or "").lower(), BODY)
    body = CappedBody(encoding, 1000)
    assert _fed(body, raw, piece=7) and body.finish() == BODY
    assert set(ACCEPT_ENCODING.split(", ")) == {"gzip", "deflate"}


def test_deflate_without_its_zlib_header_is_read() -> None:
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    body = CappedBody("deflate", 1000)
    assert body.feed(packer.compress(BODY) + packer.flush()) and body.finish() == BODY


def test_gzip_members_are_read_one_after_another() -> None:
    body = CappedBody("gzip", 1000)
    assert body.feed(_gzip(BODY[:20]) + _gzip(BODY[20:])) and body.finish() == BODY


def test_a_bomb_is_decoded_one_byte_past_the_cap_and_no_further() -> None:
    bomb = _gzip(BODY + b" " * (64 << 20))  # 64 MiB in about 64 kB
    assert len(bomb) < 100_000
    body = CappedBody("gzip", 1 << 20)
    assert not _fed(body, bomb, piece=16384)
    assert body.size == (1 << 20) + 1
    assert body.received < 16384 * 2, "it stopped reading as soon as the cap was passed"


def test_what_arrives_counts_too() -> None:
    # a stream of empty stored deflate blocks arrives without end and decodes to nothing
    empty = b"\x00\x00\x00\xff\xff"
    body = CappedBody("deflate", 1000)
    assert body.feed(b"\x78\x9c")  # the zlib header
    assert not _fed(body, empty * 300, piece=5)
    assert body.size == 0 and body.received > 1000


def test_identity_over_the_cap() -> None:
    body = CappedBody(None, 10)
    assert body.feed(b"0123456789") and not body.feed(b"x")


@pytest.mark.parametrize("encoding", ["br", "zstd", "gzip, gzip", "compress"])
def test_a_coding_not_asked_for_is_not_read(encoding: str) -> None:
    with pytest.raises(UnreadEncoding, match="not one of the codings asked for"):
        CappedBody(encoding, 1000)


def test_corrupt_and_unfinished_bodies_are_errors() -> None:
    with pytest.raises(ValueError, match="corrupt gzip body"):
        CappedBody("gzip", 1000).feed(b"not gzip at all")
    half = CappedBody("gzip", 1000)
    assert half.feed(_gzip(BODY)[:20])
    with pytest.raises(ValueError, match="ends before its end"):
        half.finish()
