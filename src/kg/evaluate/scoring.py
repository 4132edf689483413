"""Shared arithmetic of the extraction scorers (``kg eval-observations``, ``kg eval-entities``).

>>> ratio(3, 4), ratio(1, 0)
(0.75, 0.0)
>>> from dataclasses import dataclass
>>> @dataclass(frozen=True)
... class S(PrecisionRecall):
...     gold: int
...     predicted: int
...     matched: int
>>> S(gold=10, predicted=8, matched=6).precision, S(10, 8, 6).recall
(0.75, 0.6)
"""

from __future__ import annotations


def ratio(part: int, whole: int) -> float:
    """``part / whole``, or 0.0 when there is nothing to divide by (no predictions, no gold)."""
    return part / whole if whole else 0.0


class PrecisionRecall:
    """Mixin for a scores dataclass with ``gold``, ``predicted`` and ``matched`` counts."""

    gold: int
    predicted: int
    matched: int

    @property
    def precision(self) -> float:
        """Matched / predicted."""
        return ratio(self.matched, self.predicted)

    @property
    def recall(self) -> float:
        """Matched / gold."""
        return ratio(self.matched, self.gold)
