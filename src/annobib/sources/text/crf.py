"""The sequence-labelling model: a linear-chain CRF run by CRFsuite (python-crfsuite).

The shipped model (``model.crfsuite`` beside this file) is trained by
``python -m annobib.sources.text.train`` from the data under ``training/text-parser/``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

MODEL_PATH = Path(__file__).with_name("model.crfsuite")

# CRFsuite's L-BFGS with L1 + L2 regularisation; L1 keeps the model small (most feature
# weights become 0 and are not stored).
PARAMS: dict[str, Any] = {
    "c1": 0.2,
    "c2": 0.01,
    "max_iterations": 200,
    "feature.possible_transitions": True,
}


@dataclass(slots=True)
class Tagged:
    """Labels of one entry's tokens and the model's marginal probability of each label."""

    labels: list[str]
    confidence: list[float]


class Model:
    """A loaded CRF model; :meth:`tag` labels one entry's feature sequence."""

    def __init__(self, path: Path | None = None) -> None:
        import pycrfsuite

        self.path = path or MODEL_PATH
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(self.path))
        self.labels: list[str] = list(self._tagger.labels())

    def tag(self, xseq: list[list[str]]) -> Tagged:
        if not xseq:
            return Tagged([], [])
        tagger = self._tagger
        tagger.set(xseq)
        labels: list[str] = tagger.tag()
        marginal = tagger.marginal
        conf = [marginal(y, i) for i, y in enumerate(labels)]
        return Tagged(labels, conf)


def train(
    sequences: list[tuple[list[list[str]], list[str]]],
    path: Path,
    params: dict[str, Any] | None = None,
) -> None:
    """Train a model on ``(features, labels)`` sequences and write it to ``path``.

    CRFsuite's L-BFGS is deterministic for the same data in the same order, so the same
    repository gives the same model.
    """
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for xseq, yseq in sequences:
        trainer.append(xseq, yseq)
    trainer.set_params(params or PARAMS)
    trainer.train(str(path))


_model: Model | None = None


def default_model() -> Model:
    """The shipped model, loaded once per process."""
    global _model
    if _model is None:
        _model = Model()
    return _model
