"""Labelled reference strings: AnyStyle's XML data sets and annobib's rendered ones.

Both files hold ``<sequence>`` elements whose children are the labelled spans of one printed
reference, in order (``<author>Solon, G.</author><date>(1999).</date>…``). The printed string is
the spans joined by one space, except after a span marked ``glue="1"`` (annobib's rendered
data: ``2019;5(2):10-20`` is three spans printed without spaces). A few of AnyStyle's labels
are refined so the parser can tell
annobib's fields apart: a ``note`` that says when a page was accessed (``[Accessed: 14.05.2022]``,
``(дата обращения: …)``) is ``accessed``; a ``note`` that is a language marker (``(In Russ.)``)
is ``language``.

The held-out split is fixed by the text itself: a sequence is held out when the CRC-32 of its
printed string is 0 modulo 10 (about 10 %), so it does not depend on file order or a seed.
"""

from __future__ import annotations

import gzip
import re
import xml.etree.ElementTree as ET
import zlib
from dataclasses import dataclass
from pathlib import Path

from annobib.sources.text.tokens import tokenize

_ACCESSED = re.compile(
    r"^\W*(accessed|retrieved on|viewed|consulted|cited|дата обращения|last accessed)",
    re.IGNORECASE,
)
_LANGMARK = re.compile(r"^\W*(in|на)\s+(russ|eng|rus|russian|english|англ|рус)\w*\W*$",
                       re.IGNORECASE)
_YEAR_SEMI = re.compile(r"^(1[5-9]|20)\d\d;$")
_MERGE = {
    "director": "author",
    "producer": "author",
    "dataset": "note",
    "source": "note",
    "journal": "container-title",
}


@dataclass(slots=True)
class Sample:
    """One printed reference and its labelled spans (``(start, end, label)`` offsets)."""

    text: str
    spans: list[tuple[int, int, str]]
    origin: str = ""

    def token_labels(self) -> tuple[list[tuple[int, int]], list[str]]:
        """The tokens of the text and each token's label (the span its first char is in)."""
        toks = tokenize(self.text)
        labels: list[str] = []
        j = 0
        for s, _e in toks:
            while j < len(self.spans) - 1 and s >= self.spans[j][1]:
                j += 1
            label = self.spans[j][2]
            if label == "volume" and _YEAR_SEMI.match(self.text[s:_e]):
                # AnyStyle labels Vancouver's "2018;5(1):" volume as one span; its year is a date
                label = "date"
            labels.append(label)
        return toks, labels

    def held_out(self) -> bool:
        return zlib.crc32(self.text.encode("utf-8")) % 10 == 0


def refine(label: str, text: str) -> str:
    label = _MERGE.get(label, label)
    if label in ("note", "date") and _ACCESSED.match(text):
        return "accessed"
    if label == "note" and _LANGMARK.match(text):
        return "language"
    return label


def read_xml(path: Path) -> list[Sample]:
    """The sequences of one AnyStyle-format XML file (``.xml`` or ``.xml.gz``)."""
    if path.suffix == ".gz":
        with gzip.open(path, "rb") as fh:
            root = ET.parse(fh).getroot()
    else:
        root = ET.parse(path).getroot()
    out: list[Sample] = []
    for seq in root.iter("sequence"):
        full = ""
        spans: list[tuple[int, int, str]] = []
        glue = True
        for el in seq:
            text = " ".join((el.text or "").split())
            if not text:
                continue
            if full and not glue:
                full += " "
            spans.append((len(full), len(full) + len(text), refine(el.tag, text)))
            full += text
            # annobib's rendered data marks a span printed without a space before the next
            glue = el.get("glue") == "1"
        if spans:
            out.append(Sample(full, spans, path.name))
    return out


def write_xml(samples: list[Sample], path: Path) -> None:
    """Write ``samples`` in the same XML form (one ``<sequence>`` each)."""
    root = ET.Element("dataset")
    for s in samples:
        seq = ET.SubElement(root, "sequence")
        for k, (start, end, label) in enumerate(s.spans):
            el = ET.SubElement(seq, label)
            el.text = s.text[start:end]
            if k + 1 < len(s.spans) and s.spans[k + 1][0] == end:
                el.set("glue", "1")
    ET.indent(root)
    text = ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
    data = text.encode("utf-8")
    # a large file is kept compressed (fixed mtime: the same samples give the same bytes)
    path.write_bytes(gzip.compress(data, compresslevel=9, mtime=0) if path.suffix == ".gz"
                     else data)
