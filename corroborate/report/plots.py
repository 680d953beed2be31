"""Pictures for the report, as matplotlib figures: outlets x clusters, and a timeline of conflicts."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import matplotlib
import matplotlib.ticker

matplotlib.use("Agg")                     # no display on servers and CI
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from .sections import number_ranges, outlet_grid, timeline_rows  # noqa: E402

if TYPE_CHECKING:
    from ..analysis import Analysis

STATUS_COLOURS = {"corroborated": "#2e7d32", "relayed": "#b07800", "conflicted": "#c62828",
                  "single-source": "#757575"}
MAX_LABEL = 16                            # characters of a source name on an axis


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[:MAX_LABEL - 1] + "…"


def outlets_figure(analysis: Analysis, *, max_clusters: int = 30, max_rows: int = 20):
    """Heatmap of claims per source in the clusters spanning most documents; None if none does.

    At most `max_clusters` columns and `max_rows` sources (the rest summed in a last row), so
    the picture stays legible for hundreds of documents; the title says what is left out.
    Labels are English outlet names and document ids: matplotlib cannot shape Arabic script
    without extra dependencies, and the report lists the claims beside the cluster ids.
    """
    grid = outlet_grid(analysis, max_clusters=max_clusters, max_rows=max_rows)
    if grid is None:
        return None
    counts = np.array(grid.counts, dtype=float)
    cols, rows = len(grid.clusters), len(grid.rows)
    fig, ax = plt.subplots(figsize=(max(8.0, 0.38 * cols + 3.5), 0.45 * rows + 3.0))
    top = max(1.0, counts.max())
    ax.imshow(counts, cmap="Blues", aspect="auto", vmin=0, vmax=top)
    for (i, j), value in np.ndenumerate(counts):
        if value:
            # dark cells get white digits, light cells black ones
            ax.text(j, i, int(value), ha="center", va="center", fontsize=8,
                    color="white" if value > 0.5 * top else "black")
    ax.set_yticks(range(rows), [_short(r) for r in grid.rows], fontsize=8)
    ax.set_xticks(range(cols), [c.id[:8] for c in grid.clusters], rotation=90, fontsize=7)
    for tick, cluster in zip(ax.get_xticklabels(), grid.clusters):
        tick.set_color(STATUS_COLOURS.get(cluster.status, "black"))
    ax.set_xlabel("cluster id, as in the report (green corroborated, amber relayed, red conflicted)")
    title = "Claims per source in clusters spanning several documents"
    left_out = []
    if grid.multi_doc > cols:
        left_out.append(f"{grid.multi_doc - cols} smaller clusters not shown")
    if grid.others:
        left_out.append(f"last row sums {grid.others} other sources")
    ax.set_title(title + (f"\n(the {cols} largest of {grid.multi_doc}; " + "; ".join(left_out) + ")"
                          if left_out else ""), fontsize=10)
    fig.tight_layout()
    return fig


def _year_fraction(iso: str) -> float:
    """"2024-02-19" -> 2024.13; a bare year or month sits in its middle."""
    parts = [int(p) for p in iso.split("-")]
    month = parts[1] if len(parts) > 1 else 7
    day = parts[2] if len(parts) > 2 else 15
    return parts[0] + (month - 1) / 12 + (day - 1) / 365


def timeline_figure(analysis: Analysis, *, limit: int = 30):
    """Each conflict as a line joining its two claims' times; None if no conflict has times.

    Rows carry the conflict's number in the report ("#3"). Conflicts without a time for both
    claims, and those past the first `limit`, are left out, and the picture names them.
    """
    claims = {c.id: c for c in analysis.claims}
    name = {d.id: _short(d.outlet or d.id) for d in analysis.documents}
    chosen = timeline_rows(analysis, limit=limit)
    if not chosen.shown:
        return None
    rows = [(n, analysis.conflicts[n - 1]) for n in chosen.shown]
    fig, ax = plt.subplots(figsize=(8, 0.4 * len(rows) + 2.0))
    colours = {"different-period": "#1565c0", "same-period": "#c62828", "unknown": "#757575"}
    points = [(_year_fraction(claims[c.claim_a].time), _year_fraction(claims[c.claim_b].time))
              for _, c in rows]
    span = max(1.0, max(max(p) for p in points) - min(min(p) for p in points))
    for y, ((_, conflict), (xa, xb)) in enumerate(zip(rows, points)):
        a, b = claims[conflict.claim_a], claims[conflict.claim_b]
        colour = colours[conflict.temporal]
        ax.plot([xa, xb], [y, y], color=colour, lw=2)
        ax.plot([xa, xb], [y, y], "o", color=colour)
        (left, la), (right, lb) = sorted([(xa, name[a.doc_id]), (xb, name[b.doc_id])])
        if right - left < 0.02 * span:      # one point to the eye: one label, centred
            ax.annotate(la if la == lb else f"{la} / {lb}", ((left + right) / 2, y),
                        textcoords="offset points", xytext=(0, 5), ha="center", fontsize=7)
        else:                               # each label outside its end of the line: no overlap
            ax.annotate(la, (left, y), textcoords="offset points", xytext=(-4, 4), ha="right", fontsize=7)
            ax.annotate(lb, (right, y), textcoords="offset points", xytext=(4, 4), ha="left", fontsize=7)
    ax.set_yticks(range(len(rows)), [f"#{n} {c.temporal}" for n, c in rows])
    ax.set_ylim(len(rows) - 0.4, -0.9)     # #1 on top, as in the report
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_xlabel("time the claim speaks about (year)")
    ax.set_title("Conflicting claims over time (blue: update, red: contradiction)")
    notes = []
    if chosen.untimed:
        notes.append(f"not shown, a claim has no time: {number_ranges(chosen.untimed)}")
    if chosen.beyond:
        notes.append(f"not shown, past the first {limit}: {number_ranges(chosen.beyond)}")
    text = "\n".join(_wrap(n) for n in notes)
    if text:
        fig.text(0.01, 0.005, text, fontsize=7, va="bottom", ha="left")
    ax.margins(x=0.2)
    bottom = (0.14 * len(text.splitlines()) + 0.05) / fig.get_figheight() if text else 0.0
    fig.tight_layout(rect=(0, bottom, 1, 1))
    return fig


def _wrap(text: str, width: int = 120) -> str:
    return textwrap.fill(text, width)
