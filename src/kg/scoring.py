"""Shared arithmetic of the extraction scorers (``kg eval-observations``, ``kg eval-entities``).

>>> ratio(3, 4), ratio(1, 0)
(0.75, 0.0)
"""

from __future__ import annotations


def ratio(part: int, whole: int) -> float:
    """``part / whole``, or 0.0 when there is nothing to divide by (no predictions, no gold)."""
    return part / whole if whole else 0.0
