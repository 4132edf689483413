"""Scoring extraction against the hand annotations in ``tests/gold/``.
"""

