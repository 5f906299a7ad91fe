"""Classification metrics and evaluation of the engine's decisions (``engagebot eval``).

Pure standard library: macro-F1 / macro-recall / accuracy for multi-class labels and
precision / recall / F1 for binary ones, computed the way scikit-learn does (a class with no
prediction and no support counts as 0).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from engagement.classifiers import TextClassifier
from engagement.signals import text_signals

__all__ = [
    "TASKS",
    "BinaryScores",
    "MultiClassScores",
    "binary_scores",
    "decode_escapes",
    "evaluate",
    "multiclass_scores",
    "parse_labels",
    "predict",
    "split_lines",
]

_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def decode_escapes(line: str) -> str:
    r"""Turn literal ``\uXXXX`` escapes (as found in the public tweet dumps) into characters."""
    if "\\u" not in line:
        return line
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), line)


@dataclass(frozen=True, slots=True)
class MultiClassScores:
    """Scores of a multi-class prediction.

    Attributes:
        macro_f1: Unweighted mean of per-class F1.
        macro_recall: Unweighted mean of per-class recall (TweetEval's metric).
        accuracy: Share of exact predictions.
        n: Number of examples.
        per_class_f1: F1 of each class, in label order.
    """

    macro_f1: float
    macro_recall: float
    accuracy: float
    n: int
    per_class_f1: tuple[float, ...]

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {
            "macro_f1": round(self.macro_f1, 4),
            "macro_recall": round(self.macro_recall, 4),
            "accuracy": round(self.accuracy, 4),
            "n": self.n,
            "per_class_f1": [round(v, 4) for v in self.per_class_f1],
        }


@dataclass(frozen=True, slots=True)
class BinaryScores:
    """Scores of a binary prediction (the positive class is 1).

    Attributes:
        precision: TP / (TP + FP).
        recall: TP / (TP + FN).
        f1: Harmonic mean of precision and recall.
        n: Number of examples.
    """

    precision: float
    recall: float
    f1: float
    n: int

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "n": self.n,
        }


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _check(gold: Sequence[int], pred: Sequence[int]) -> None:
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} labels but {len(pred)} predictions")
    if not gold:
        raise ValueError("no examples to score")


def multiclass_scores(
    gold: Sequence[int], pred: Sequence[int], labels: Iterable[int] = (0, 1, 2)
) -> MultiClassScores:
    """Macro-F1, macro-recall and accuracy of ``pred`` against ``gold``.

    Raises:
        ValueError: When the sequences differ in length or are empty.
    """
    _check(gold, pred)
    f1s: list[float] = []
    recalls: list[float] = []
    for label in labels:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == label and p == label)
        support = sum(1 for g in gold if g == label)
        predicted = sum(1 for p in pred if p == label)
        precision, recall = _ratio(tp, predicted), _ratio(tp, support)
        f1s.append(_f1(precision, recall))
        recalls.append(recall)
    correct = sum(1 for g, p in zip(gold, pred, strict=True) if g == p)
    return MultiClassScores(
        macro_f1=sum(f1s) / len(f1s),
        macro_recall=sum(recalls) / len(recalls),
        accuracy=correct / len(gold),
        n=len(gold),
        per_class_f1=tuple(f1s),
    )


def binary_scores(gold: Sequence[int], pred: Sequence[int]) -> BinaryScores:
    """Precision, recall and F1 of the positive class (1).

    Raises:
        ValueError: When the sequences differ in length or are empty.
    """
    _check(gold, pred)
    pairs = list(zip(gold, pred, strict=True))
    tp = sum(1 for g, p in pairs if g == 1 and p == 1)
    fp = sum(1 for g, p in pairs if g != 1 and p == 1)
    fn = sum(1 for g, p in pairs if g == 1 and p != 1)
    precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    return BinaryScores(precision, recall, _f1(precision, recall), len(gold))


TASKS = ("sentiment", "complaint", "needs-reply")


def parse_labels(lines: Sequence[str], task: str) -> list[int]:
    """Parse one label per line for ``task``.

    Raises:
        ValueError: With the 1-based line number of the first bad label.
    """
    allowed = {"0", "1", "2"} if task == "sentiment" else {"0", "1"}
    labels: list[int] = []
    for number, raw in enumerate(lines, start=1):
        value = raw.strip()
        if value not in allowed:
            expected = "0, 1 or 2" if task == "sentiment" else "0 or 1"
            raise ValueError(f"line {number}: label {value!r} is not {expected}")
        labels.append(int(value))
    return labels


def split_lines(content: str) -> list[str]:
    """One item per line (LF or CRLF); a final newline does not add an empty line."""
    lines = content.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [decode_escapes(line.removesuffix("\r")) for line in lines]


def predict(task: str, texts: Sequence[str], classifier: TextClassifier) -> list[int]:
    """The engine's decisions for ``task`` on ``texts`` (labels as in the datasets).

    ``sentiment`` gives 0/1/2; ``complaint`` the complaint signal; ``needs-reply`` the
    engine's "belongs in to-answer" decision for a text arriving as a mention.

    Raises:
        ValueError: For an unknown task.
    """
    if task not in TASKS:
        raise ValueError(f"unknown task {task!r}: use one of {', '.join(TASKS)}")
    signals = text_signals([(t, None) for t in texts], classifier)
    if task == "sentiment":
        return [s.sentiment for s in signals]
    if task == "complaint":
        return [int(s.complaint) for s in signals]
    return [int(s.needs_reply) for s in signals]


def evaluate(
    task: str, texts: Sequence[str], labels: Sequence[int], classifier: TextClassifier
) -> MultiClassScores | BinaryScores:
    """Score the engine on a labelled set.

    Raises:
        ValueError: Unknown task, empty set, or texts and labels of different lengths.
    """
    if len(texts) != len(labels):
        raise ValueError(f"{len(texts)} texts but {len(labels)} labels")
    predictions = predict(task, texts, classifier)
    if task == "sentiment":
        return multiclass_scores(labels, predictions)
    return binary_scores(labels, predictions)
