"""Training, reproducibly, on a tiny set; the model it writes labels what it was taught."""

from __future__ import annotations

from pathlib import Path

from annobib.sources.text.crf import Model, train
from annobib.sources.text.data import Sample, read_xml, write_xml
from annobib.sources.text.train import evaluate, sequences

BOOKS = [
    ("Smith J. A history of things. London: Penguin, 2001.", "Smith J.|A history of things.|London:|Penguin,|2001."),
    ("Jones K. Another study. Oxford: Clarendon, 1999.", "Jones K.|Another study.|Oxford:|Clarendon,|1999."),
    ("Петров П. П. Книга о вещах. М.: Наука, 1987.", "Петров П. П.|Книга о вещах.|М.:|Наука,|1987."),
    ("Lee M. Notes on print. Paris: Seuil, 2010.", "Lee M.|Notes on print.|Paris:|Seuil,|2010."),
]
LABELS = ["author", "title", "location", "publisher", "date"]


def _samples() -> list[Sample]:
    out = []
    for text, parts in BOOKS:
        spans = []
        pos = 0
        for piece, label in zip(parts.split("|"), LABELS, strict=True):
            start = text.index(piece, pos)
            spans.append((start, start + len(piece), label))
            pos = start + len(piece)
        out.append(Sample(text, spans))
    return out


def test_tiny_model_is_reproducible_and_learns(tmp_path: Path) -> None:
    data = sequences(_samples())
    a, b = tmp_path / "a.crfsuite", tmp_path / "b.crfsuite"
    train(data, a)
    train(data, b)
    assert a.read_bytes() == b.read_bytes()
    model = Model(a)
    scores = evaluate(model, _samples())
    assert scores["overall"]["f1"] == 1.0
    assert set(scores["fields"]) == set(LABELS)


def test_xml_round_trip_keeps_text_and_glued_spans(tmp_path: Path) -> None:
    s = Sample("Journal. 2019;5(2):10-20", [(0, 8, "container-title"), (9, 14, "date"),
                                            (14, 19, "volume"), (19, 24, "pages")])
    write_xml([s], tmp_path / "x.xml")
    (back,) = read_xml(tmp_path / "x.xml")
    assert back.text == s.text and back.spans == s.spans
    toks, labels = back.token_labels()
    assert [back.text[a:b] for a, b in toks] == ["Journal.", "2019;", "5", "(2):", "10-20"]
    assert labels == ["container-title", "date", "volume", "volume", "pages"]


def test_training_data_holds_no_seed_reference_and_no_held_out_string() -> None:
    """The seeds are the parser's test and the held-out tenth its score: neither may reach
    training in any file (AnyStyle's training split or the rendered strings)."""
    from annobib.sources.text.train import default_data_dir, load

    train_set, held, _test = load(default_data_dir())
    texts = {s.text for s in train_set}
    assert not texts & {s.text for s in held}
    fixtures = Path(__file__).resolve().parents[2] / "fixtures" / "text"
    seeds = [line.split(". ", 1)[-1].strip()
             for f in sorted(fixtures.glob("*.txt"))
             for line in f.read_text(encoding="utf-8").splitlines() if len(line) > 40]
    assert len(seeds) > 40
    joined = "\n".join(texts)
    for entry in seeds:
        # a seed's printed entry (or its first 60 characters, past the number) is in no string
        assert entry[:60] not in joined, entry
