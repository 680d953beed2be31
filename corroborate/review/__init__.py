"""Review stage: fact-checkers' decisions on clusters, kept in SQLite and re-applied to every run."""

from __future__ import annotations

import importlib

# Names load on first use, so registering the review commands keeps `corroborate --help` fast.
_EXPORTS = {
    "ReviewStore": "store", "StoreError": "store",
    "Decision": "decisions", "DecisionError": "decisions", "ACTIONS": "decisions", "VERDICTS": "decisions",
    "Reviewed": "apply", "Outcome": "apply", "Verdict": "apply", "apply_decisions": "apply",
    "report_marks": "apply",
}
__all__ = list(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'corroborate.review' has no attribute {name!r}")
