"""corroborate: which claims in a pile of news articles are corroborated, relayed or in conflict."""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# Names load on first use, so `import corroborate.cluster` or `corroborate --help` does not
# pay for pandas, torch and trafilatura.
_EXPORTS = {
    "analyze": "pipeline", "load_models": "pipeline", "Models": "pipeline",
    "load_documents": "ingest", "read_inputs": "ingest", "iter_inputs": "ingest", "Intake": "fetch",
    "split_claims": "claims", "cluster_claims": "cluster", "find_conflicts": "conflicts",
    "compare_pairs": "compare",
    "Analysis": "analysis", "Claim": "model", "Cluster": "model", "Conflict": "model",
    "Document": "model", "Settings": "model",
    "CorroborateError": "errors", "InputError": "errors", "ModelError": "errors",
}
__all__ = [*_EXPORTS, "__version__"]


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'corroborate' has no attribute {name!r}")
