"""Pictures for the report: outlets x clusters, and a timeline of conflicting claims."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import matplotlib.ticker

matplotlib.use("Agg")                     # no display on servers and CI
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:
    from ..analysis import Analysis

STATUS_COLOURS = {"corroborated": "#2e7d32", "relayed": "#f9a825", "conflicted": "#c62828",
                  "single-source": "#9e9e9e"}


def _short_name(analysis: Analysis) -> dict[str, str]:
    """Document id -> its outlet, or the first 12 characters of its id when no outlet was found."""
    return {d.id: d.outlet or d.id[:12] for d in analysis.documents}


def plot_outlets(analysis: Analysis, path: Path, *, max_clusters: int = 40) -> bool:
    """Heatmap of which outlet carries which multi-document cluster; False if there is none.

    Labels are English outlet names and cluster numbers: matplotlib cannot shape Arabic
    script without extra dependencies, and the report lists the claims beside the numbers.
    """
    clusters = [c for c in analysis.clusters if len(c.doc_ids) > 1][:max_clusters]
    if not clusters:
        return False
    outlet_of = _short_name(analysis)
    outlets = sorted({outlet_of[d] for c in clusters for d in c.doc_ids})
    grid = np.zeros((len(outlets), len(clusters)))
    claims = {c.id: c for c in analysis.claims}
    for j, cluster in enumerate(clusters):
        for cid in cluster.claim_ids:
            grid[outlets.index(outlet_of[claims[cid].doc_id]), j] += 1
    fig, ax = plt.subplots(figsize=(max(8, 0.35 * len(clusters) + 3), 0.5 * len(outlets) + 2.8))
    ax.imshow(grid, cmap="Blues", aspect="auto", vmin=0)
    for (i, j), value in np.ndenumerate(grid):
        if value:
            ax.text(j, i, int(value), ha="center", va="center", fontsize=8)
    ax.set_yticks(range(len(outlets)), outlets)
    ax.set_xticks(range(len(clusters)), [c.id[:8] for c in clusters], rotation=90, fontsize=7)
    for tick, cluster in zip(ax.get_xticklabels(), clusters):
        tick.set_color(STATUS_COLOURS.get(cluster.status, "black"))
    ax.set_xlabel("cluster id, as in the report (colour: green corroborated, amber relayed, "
                  "red conflicted)")
    ax.set_title("Claims per outlet in each multi-document cluster")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def _year_fraction(iso: str) -> float:
    """"2024-02-19" -> 2024.13; a bare year or month sits in its middle."""
    parts = [int(p) for p in iso.split("-")]
    month = parts[1] if len(parts) > 1 else 7
    day = parts[2] if len(parts) > 2 else 15
    return parts[0] + (month - 1) / 12 + (day - 1) / 365


def plot_timeline(analysis: Analysis, path: Path) -> bool:
    """Each conflict as a line joining its two claims' times; False if no conflict has times.

    Rows carry the conflict's number in the report ("#3"); conflicts without a time for both
    claims are left out (the report lists them under "undated").
    """
    claims = {c.id: c for c in analysis.claims}
    name = _short_name(analysis)
    rows = [(n, k, claims[k.claim_a], claims[k.claim_b]) for n, k in enumerate(analysis.conflicts, 1)
            if claims[k.claim_a].time and claims[k.claim_b].time]
    if not rows:
        return False
    fig, ax = plt.subplots(figsize=(8, 0.4 * len(rows) + 1.6))
    colours = {"different-period": "#1565c0", "same-period": "#c62828", "unknown": "#757575"}
    for y, (_, conflict, a, b) in enumerate(rows):
        xa, xb = _year_fraction(a.time), _year_fraction(b.time)
        colour = colours[conflict.temporal]
        ax.plot([xa, xb], [y, y], color=colour, lw=2)
        ax.plot([xa, xb], [y, y], "o", color=colour)
        if abs(xa - xb) < 0.6:     # too close for two labels: one, centred
            (_, first), (_, second) = sorted([(xa, name[a.doc_id]), (xb, name[b.doc_id])])
            labels = [((xa + xb) / 2, first if first == second else f"{first} / {second}")]
        else:
            labels = [(xa, name[a.doc_id]), (xb, name[b.doc_id])]
        for x, text in labels:
            ax.annotate(text, (x, y), textcoords="offset points", xytext=(0, 5), ha="center", fontsize=7)
    ax.set_yticks(range(len(rows)), [f"#{n} {c.temporal}" for n, c, _, _ in rows])
    ax.set_ylim(len(rows) - 0.4, -0.9)     # #1 on top, as in the report
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_xlabel("time the claim speaks about (year)")
    ax.set_title("Conflicting claims over time (blue: update, red: contradiction)")
    ax.margins(x=0.15)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True
