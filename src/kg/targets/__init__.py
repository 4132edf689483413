"""Targets reconciled across reports: each target against the next report's outcome, with a
verdict (met, missed, not_reported, not_comparable, open).
"""

from __future__ import annotations

from kg.targets.reconcile import (
    BAND,
    CEILING,
    LEVEL_BAND,
    LINKS,
    MATCH_RANK,
    OUTCOMES,
    PREFIX,
    RATE_BAND,
    RATE_UNITS,
    REPORTS,
    STRETCH,
    TARGETS,
    VERDICTS,
    GoldScore,
    Quantity,
    TargetRow,
    Verdict,
    comparable,
    indicator_links,
    judge,
    lower_better,
    score_targets,
    summary,
    target_table,
)

__all__ = [
    "BAND", "CEILING", "LEVEL_BAND", "LINKS", "MATCH_RANK", "OUTCOMES", "PREFIX", "RATE_BAND", "RATE_UNITS",
    "REPORTS", "STRETCH", "TARGETS", "VERDICTS", "GoldScore", "Quantity", "TargetRow", "Verdict", "comparable",
    "indicator_links", "judge", "lower_better", "score_targets", "summary", "target_table",
]
