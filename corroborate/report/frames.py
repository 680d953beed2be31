"""pandas DataFrames of an analysis: one row per document, claim, cluster or conflict."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict
from typing import TYPE_CHECKING

from .contract import document_json

if TYPE_CHECKING:
    import pandas as pd

    from ..analysis import Analysis


def documents_frame(analysis: Analysis) -> pd.DataFrame:
    """One row per document, with its number of claims."""
    import pandas as pd

    counts = Counter(c.doc_id for c in analysis.claims)
    rows = [{**document_json(d), "claims": counts[d.id]} for d in analysis.documents]
    return pd.DataFrame(rows).set_index("id") if rows else pd.DataFrame()


def claims_frame(analysis: Analysis) -> pd.DataFrame:
    """One row per claim, with its cluster id and the cluster's status."""
    import pandas as pd

    where = {cid: cl for cl in analysis.clusters for cid in cl.claim_ids}
    rows = [{**asdict(c), "cluster": where[c.id].id, "status": where[c.id].status}
            for c in analysis.claims if c.id in where]
    return pd.DataFrame(rows).set_index("id") if rows else pd.DataFrame()


def clusters_frame(analysis: Analysis) -> pd.DataFrame:
    """One row per cluster: size, documents, origins, status."""
    import pandas as pd

    rows = [{**asdict(c), "size": len(c.claim_ids), "documents": len(c.doc_ids)}
            for c in analysis.clusters]
    return pd.DataFrame(rows).set_index("id") if rows else pd.DataFrame()


def conflicts_frame(analysis: Analysis) -> pd.DataFrame:
    """One row per conflict."""
    import pandas as pd

    return pd.DataFrame([asdict(c) for c in analysis.conflicts])
