"""Retrain the reference parser from the repository and measure it.

    python -m annobib.sources.text.train            # train, write the shipped model, evaluate
    python -m annobib.sources.text.train --eval     # evaluate the shipped model only

Training data (``training/text-parser/`` in the repository, see its README): AnyStyle's
``core.xml`` and ``good.xml`` less their held-out tenth (:meth:`Sample.held_out`), and
``rendered-train.xml.gz`` (references annobib rendered from real records in several CSL styles).
Evaluation: field-level precision/recall/F1 on the held-out tenth of AnyStyle's data, and on
``rendered-test.xml`` (GOST and other styles rendered from records not trained on). CRFsuite's
training is deterministic, so the same repository gives the same model.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from annobib.sources.text.crf import MODEL_PATH, Model, train
from annobib.sources.text.data import Sample, read_xml
from annobib.sources.text.read import WORDS_PATH
from annobib.sources.text.tokens import features

ANYSTYLE = ("core.xml", "good.xml")
RENDERED_TRAIN = "rendered-train.xml.gz"
RENDERED_TEST = "rendered-test.xml"


def default_data_dir() -> Path:
    return Path(__file__).resolve().parents[4] / "training" / "text-parser"


def load(data: Path) -> tuple[list[Sample], list[Sample], list[Sample]]:
    """(training samples, AnyStyle held-out samples, rendered test samples)."""
    train_set: list[Sample] = []
    held: list[Sample] = []
    for name in ANYSTYLE:
        for s in read_xml(data / name):
            (held if s.held_out() else train_set).append(s)
    if (data / RENDERED_TRAIN).exists():
        train_set.extend(read_xml(data / RENDERED_TRAIN))
    test = read_xml(data / RENDERED_TEST) if (data / RENDERED_TEST).exists() else []
    return train_set, held, test


_ALPHA = re.compile(r"[^\W\d_]{2,}")


def write_words(samples: list[Sample], path: Path) -> None:
    """The vocabulary that tells a word from a fragment (``tial`` of ``Poten-tial``): the
    words seen in the training strings, less those seen only once."""
    counts: Counter[str] = Counter()
    for s in samples:
        counts.update(w.lower() for w in _ALPHA.findall(s.text))
    words = sorted(w for w, c in counts.items() if c > 1)
    data = ("\n".join(words) + "\n").encode("utf-8")
    path.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))


def sequences(samples: list[Sample]) -> list[tuple[list[list[str]], list[str]]]:
    out = []
    for s in samples:
        toks, labels = s.token_labels()
        if toks:
            out.append((features(s.text, toks), labels))
    return out


def _runs(labels: list[str]) -> set[tuple[str, int, int]]:
    out: set[tuple[str, int, int]] = set()
    start = 0
    for i in range(1, len(labels) + 1):
        if i == len(labels) or labels[i] != labels[start]:
            out.add((labels[start], start, i))
            start = i
    return out


def evaluate(model: Model, samples: list[Sample]) -> dict[str, Any]:
    """Field-level scores: a field is a maximal run of tokens with one label; a predicted
    field counts as correct only when its label and both ends equal a gold field's."""
    tp: Counter[str] = Counter()
    n_pred: Counter[str] = Counter()
    n_gold: Counter[str] = Counter()
    tok_ok = tok_all = 0
    for s in samples:
        toks, gold = s.token_labels()
        if not toks:
            continue
        pred = model.tag(features(s.text, toks)).labels
        tok_ok += sum(a == b for a, b in zip(pred, gold, strict=True))
        tok_all += len(gold)
        g = _runs(gold)
        p = _runs(pred)
        for lab, *_ in g:
            n_gold[lab] += 1
        for lab, *_ in p:
            n_pred[lab] += 1
        for lab, *_ in g & p:
            tp[lab] += 1

    def prf(t: int, p: int, g: int) -> dict[str, float]:
        prec = t / p if p else 0.0
        rec = t / g if g else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        return {"precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f1, 4),
                "support": g}

    per = {lab: prf(tp[lab], n_pred[lab], n_gold[lab]) for lab in sorted(n_gold)}
    overall = prf(sum(tp.values()), sum(n_pred.values()), sum(n_gold.values()))
    return {"sequences": len(samples), "token_accuracy": round(tok_ok / max(tok_all, 1), 4),
            "overall": overall, "fields": per}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m annobib.sources.text.train",
                                 description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=None, help="training data directory")
    ap.add_argument("--out", type=Path, default=MODEL_PATH, help="where to write the model")
    ap.add_argument("--eval", action="store_true", help="only evaluate the existing model")
    ap.add_argument("--json", type=Path, default=None, help="write the scores as JSON here")
    args = ap.parse_args(argv)
    data = args.data or default_data_dir()
    if not (data / ANYSTYLE[0]).exists():
        print(f"no training data in {data}", file=sys.stderr)
        return 3
    train_set, held, test = load(data)
    if not args.eval:
        t = time.perf_counter()
        train(sequences(train_set), args.out)
        if args.out == MODEL_PATH:
            write_words(train_set, WORDS_PATH)
        print(f"trained on {len(train_set)} sequences in {time.perf_counter() - t:.0f} s; "
              f"model {args.out.stat().st_size // 1024} KiB at {args.out}")
    model = Model(args.out)
    scores = {"anystyle_held_out": evaluate(model, held)}
    if test:
        scores["rendered_test"] = evaluate(model, test)
    for name, sc in scores.items():
        o = sc["overall"]
        print(f"{name}: {sc['sequences']} sequences, field P {o['precision']:.4f} "
              f"R {o['recall']:.4f} F1 {o['f1']:.4f}, token accuracy {sc['token_accuracy']:.4f}")
        for lab, v in sc["fields"].items():
            print(f"  {lab:18} P {v['precision']:.3f} R {v['recall']:.3f} F1 {v['f1']:.3f} "
                  f"({v['support']})")
    if args.json:
        args.json.write_text(json.dumps(scores, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
