"""The review commands (`corroborate review|db|serve|export`): read options, call the review library, print."""

from __future__ import annotations

import functools
import getpass
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..errors import CorroborateError

if TYPE_CHECKING:
    from .. import Analysis
    from ..report.review_marks import ReviewMarks
    from .apply import Reviewed
    from .decisions import Decision
    from .store import ReviewStore

DEFAULT_DB = Path("reports/corroborate.db")
STATUSES = ("corroborated", "relayed", "single-source", "conflicted")


def _default_reviewer() -> str:
    return os.environ.get("CORROBORATE_REVIEWER") or getpass.getuser()


db_option = click.option(
    "--db", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_DB, show_default=True,
    envvar="CORROBORATE_DB", help="Review store (SQLite file made by `analyze --db`); env CORROBORATE_DB.")
reviewer_option = click.option(
    "--reviewer", default=_default_reviewer, show_default="$CORROBORATE_REVIEWER or your login",
    help="Name the decision is recorded under.")
note_option = click.option("--note", default="", help="Why: kept with the decision and shown in reports.")


def _errors_as_click(func: Callable) -> Callable:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except CorroborateError as e:
            raise click.ClickException(str(e)) from None
    return wrapper


def _open(db: Path) -> ReviewStore:
    from .store import ReviewStore

    return ReviewStore(db, create=False)


def _view(store: ReviewStore) -> Reviewed:
    from .apply import apply_decisions

    return apply_decisions(store.load_analysis(), store.decisions())


def _excerpt(text: str, width: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


def _record(db: Path, make: Callable[[Reviewed, ReviewStore], Decision]) -> None:
    """Draft a decision against the current view, append it, and say where it left things."""
    with _open(db) as store:
        draft = make(_view(store), store)
        saved = store.add_decision(draft)
        click.echo(f"Recorded {saved.summary()}")
        if saved.action in ("confirm", "reject", "merge", "split"):
            after = _view(store)
            anchor = (saved.payload.get("claim") or (saved.payload.get("moved") or [None])[0]
                      or saved.payload["groups"][0][0])
            click.echo(f"{anchor} is now in {after.cluster_of[anchor]}")


# ---- corroborate review ------------------------------------------------------------------
@click.group(name="review")
def review_group() -> None:
    """Review clusters from the command line: list, show, and record decisions.

    Decisions go to an append-only log in the review store and are re-applied on every
    later `corroborate analyze --db` run. See docs/review.md.

    Example:

    \b
        corroborate analyze seeds/ --out reports/ --db reports/corroborate.db
        corroborate review list --status conflicted --unreviewed
    """


@review_group.command(name="list")
@db_option
@click.option("--status", type=click.Choice(STATUSES), help="Only clusters with this status.")
@click.option("--outlet", help="Only clusters with an outlet whose name, in Arabic or English, contains this.")
@click.option("--reviewed/--unreviewed", default=None, help="Only clusters with (or without) a decision in force.")
@click.option("--conflicted/--not-conflicted", default=None, help="Only clusters with (or without) a flagged conflict.")
@click.option("--text", help="Only clusters with a claim containing this text (Arabic spelling matched "
                             "loosely: ايران finds إيران), or with this in a cluster or claim id.")
@click.option("--multi", is_flag=True, help="Only clusters of two or more claims.")
@click.option("--sort", type=click.Choice(["report", "origins", "conflicts", "recent"]), default="report",
              show_default=True, help="Order: report order (largest first), most independent origins, "
                                      "most conflicts, or most recent document.")
@click.option("--limit", type=click.IntRange(0), default=0, help="Show at most this many (0 = all).")
@click.option("--json", "as_json", is_flag=True, help="JSON lines instead of text.")
@_errors_as_click
def list_command(db, status, outlet, reviewed, conflicted, text, multi, sort, limit, as_json):
    """List the clusters of the latest run, with decisions applied.

    Example:

    \b
        corroborate review list --status conflicted --unreviewed
        corroborate review list --outlet reuters --text قاآني --multi
        corroborate review list --outlet "عربي بوست" --sort origins
    """
    from .queue import Filters, filter_clusters

    with _open(db) as store:
        view = _view(store)
    found = filter_clusters(view, Filters(status=status, outlet=outlet, reviewed=reviewed,
                                          conflicted=conflicted, text=text, min_claims=2 if multi else 1,
                                          sort=sort))
    claims = {c.id: c for c in view.analysis.claims}
    for cluster in found[:limit or None]:
        v = view.verdicts.get(cluster.id)
        first = claims[cluster.claim_ids[0]].text
        if as_json:
            click.echo(json.dumps({"id": cluster.id, "status": cluster.status, "claims": len(cluster.claim_ids),
                                   "independent_sources": cluster.independent_sources,
                                   "outlets": list(cluster.outlets), "reviewed": view.is_reviewed(cluster),
                                   "verdict": v.rating if v else None, "first_claim": first},
                                  ensure_ascii=False))
        else:
            mark = f"[{v.label}]" if v else ("[reviewed]" if view.is_reviewed(cluster) else "")
            click.echo(f"{cluster.id}  {cluster.status:<14} {len(cluster.claim_ids):>2} claims "
                       f"{cluster.independent_sources:>2} sources  {mark}  {_excerpt(first)}")
    if not as_json:
        click.echo(f"{len(found)} of {len(view.analysis.clusters)} clusters", err=True)


@review_group.command(name="show")
@click.argument("cluster_id")
@db_option
@_errors_as_click
def show_command(cluster_id, db):
    """Show one cluster: its claims with their articles, conflicts, verdict and decisions.

    Example:

    \b
        corroborate review show k-1a2b3c4d5e6f
    """
    with _open(db) as store:
        view = _view(store)
    cluster = view.cluster(cluster_id)
    if cluster is None:
        raise click.ClickException(f"No cluster {cluster_id} in the latest run of {db} (ids change "
                                   "when members change): see `corroborate review list`.")
    from ..report.sections import doc_names

    claims = {c.id: c for c in view.analysis.claims}
    docs = {d.id: d for d in view.analysis.documents}
    names = doc_names(view.analysis.documents)          # as the report and the page name them
    click.echo(f"{cluster.id}  {cluster.status}, {len(cluster.claim_ids)} claims, "
               f"{cluster.independent_sources} independent sources ({', '.join(cluster.origins)})")
    v = view.verdicts.get(cluster.id)
    if v:
        since = f", given on {v.inherited_from}" if v.inherited_from else ""
        click.echo(f"verdict: {v.label} by {v.reviewer}{since}" + (f": {v.note}" if v.note else ""))
    for claim_id in cluster.claim_ids:
        c = claims[claim_id]
        doc = docs[c.doc_id]
        click.echo(f"\n{c.id}  {names[doc.id]} {doc.published or ''} [{c.start}:{c.end}] "
                   f"time={c.time or '?'}")
        click.echo(f"    {c.text}")
    ids = set(cluster.claim_ids)
    for x in [*view.analysis.conflicts, *view.dismissed]:
        if ids & {x.claim_a, x.claim_b}:
            state = "dismissed" if x in view.dismissed else "conflict"
            click.echo(f"\n{state}: {x.claim_a} vs {x.claim_b} ({x.temporal}): {x.explanation}")
    outcomes = view.outcomes_for(cluster)
    if outcomes:
        click.echo("\ndecisions:")
        for o in outcomes:
            click.echo(f"  {o.decision.summary()} by {o.decision.reviewer}: {o.status}"
                       + (f" ({o.detail})" if o.detail else ""))


@review_group.command(name="confirm")
@click.argument("claim_id")
@db_option
@reviewer_option
@note_option
@_errors_as_click
def confirm_command(claim_id, db, reviewer, note):
    """Confirm that a claim belongs in its cluster; later runs keep it there.

    Example:

    \b
        corroborate review confirm c-001_ca7d2482d73aec03:21 --reviewer huda
    """
    from . import decisions as build

    _record(db, lambda view, _s: build.confirm(view, claim_id, reviewer=reviewer, note=note))


@review_group.command(name="reject")
@click.argument("claim_id")
@db_option
@reviewer_option
@note_option
@_errors_as_click
def reject_command(claim_id, db, reviewer, note):
    """Take a claim out of its cluster (it becomes a cluster of its own); later runs keep it out.

    Example:

    \b
        corroborate review reject c-001_ca7d2482d73aec03:21 --note "another attack"
    """
    from . import decisions as build

    _record(db, lambda view, _s: build.reject(view, claim_id, reviewer=reviewer, note=note))


@review_group.command(name="merge")
@click.argument("cluster_ids", nargs=-1, required=True)
@db_option
@reviewer_option
@note_option
@_errors_as_click
def merge_command(cluster_ids, db, reviewer, note):
    """Merge clusters that state the same fact; later runs keep them merged.

    Example:

    \b
        corroborate review merge k-1a2b3c4d5e6f k-6f5e4d3c2b1a --note "same visit"
    """
    from . import decisions as build

    _record(db, lambda view, _s: build.merge(view, cluster_ids, reviewer=reviewer, note=note))


@review_group.command(name="split")
@click.argument("cluster_id")
@click.argument("claim_ids", nargs=-1, required=True)
@db_option
@reviewer_option
@note_option
@_errors_as_click
def split_command(cluster_id, claim_ids, db, reviewer, note):
    """Split a cluster: CLAIM_IDS move to a new cluster; later runs keep them apart.

    Example:

    \b
        corroborate review split k-1a2b3c4d5e6f c-003_554a95cc30897557:880
    """
    from . import decisions as build

    _record(db, lambda view, _s: build.split(view, cluster_id, claim_ids, reviewer=reviewer, note=note))


@review_group.command(name="conflict")
@click.argument("claim_a")
@click.argument("claim_b")
@click.option("--real/--not-real", required=True, help="A real conflict, or not a conflict.")
@db_option
@reviewer_option
@note_option
@_errors_as_click
def conflict_command(claim_a, claim_b, real, db, reviewer, note):
    """Mark two claims as a real conflict or not one; the mark follows the pair into later runs.

    Example:

    \b
        corroborate review conflict c-000_8481a1811b930b3f:1453 c-000_8481a1811b930b3f:6121 --not-real
    """
    from . import decisions as build

    _record(db, lambda view, _s: build.mark_conflict(view, claim_a, claim_b, real=real,
                                                      reviewer=reviewer, note=note))


@review_group.command(name="verdict")
@click.argument("cluster_id")
@click.argument("rating", metavar="VERDICT",
                type=click.Choice(["true", "mostly-true", "mixed", "mostly-false", "false", "unproven"]))
@db_option
@reviewer_option
@note_option
@_errors_as_click
def verdict_command(cluster_id, rating, db, reviewer, note):
    """Give the fact a cluster states a verdict, with a note; it follows the cluster into later runs.

    Example:

    \b
        corroborate review verdict k-1a2b3c4d5e6f false --note "the ministry denied it on 3 Feb"
    """
    from . import decisions as build

    _record(db, lambda view, _s: build.verdict(view, cluster_id, rating, reviewer=reviewer, note=note))


@review_group.command(name="undo")
@click.argument("decision_id", type=int, required=False)
@db_option
@reviewer_option
@note_option
@_errors_as_click
def undo_command(decision_id, db, reviewer, note):
    """Undo a decision (default: the latest one in force); the log keeps both.

    Example:

    \b
        corroborate review undo          # the latest decision
        corroborate review undo 12
    """
    from . import decisions as build

    _record(db, lambda _v, store: build.undo(store.decisions(), decision_id, reviewer=reviewer, note=note))


@review_group.command(name="log")
@db_option
@click.option("--orphaned", is_flag=True, help="Only decisions whose claims are not in the latest run.")
@_errors_as_click
def log_command(db, orphaned):
    """List every decision, oldest first, with what became of it in the latest run.

    Statuses: applied, orphaned (its claims are not in this run; kept for a run that has
    them), superseded (a later or stronger decision on the same thing), undone.

    Example:

    \b
        corroborate review log --orphaned
    """
    with _open(db) as store:
        view = _view(store)
    for o in view.outcomes:
        if orphaned and o.status != "orphaned":
            continue
        d = o.decision
        where = f" -> {o.cluster_id}" if o.cluster_id else ""
        click.echo(f"{d.summary()}  {d.created_at}  {d.reviewer}  {o.status}"
                   + (f": {o.detail}" if o.detail else "") + where + (f"  note: {d.note}" if d.note else ""))


@review_group.command(name="report")
@db_option
@click.option("-o", "--out", type=click.Path(file_okay=False, path_type=Path), default=Path("reports"),
              show_default=True, help="Folder for NAME.md and NAME.json.")
@click.option("--name", default="reviewed", show_default=True, help="Base name of the report files.")
@click.option("--language", type=click.Choice(["en", "ar"]), default="en", show_default=True,
              help="Language the report writes its own words in.")
@click.option("--no-plots", is_flag=True, help="Skip the PNG pictures.")
@_errors_as_click
def report_command(db, out, name, language, no_plots):
    """Write the reports of the latest run again, with every decision made since, without re-analysing.

    Each decision shows where it applies: verdicts and notes under their cluster, "belongs
    here" / "not this fact" beside the claim, real or not-a-conflict under the conflict.

    Example:

    \b
        corroborate review report --db reports/corroborate.db --out reports/ --name seeds
    """
    from ..report.files import write_report
    from .exports import review_json

    with _open(db) as store:
        view = _view(store)
    written = write_report(view.analysis, name=name, markdown_path=out / f"{name}.md",
                           json_path=out / f"{name}.json", language=language, plots=not no_plots,
                           review=report_marks(view), json_extra={"review": review_json(view)})
    for kind, path in written.items():
        click.echo(f"wrote {kind}: {path}", err=True)


@review_group.command(name="export-pairs")
@db_option
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path), help="CSV file (default: stdout).")
@_errors_as_click
def export_pairs_command(db, out):
    """Write reviewed claim pairs as `s1,s2,label` CSV, the layout of ../shared/data.

    Labels: same fact (confirm, merge) -> agree; not the same fact (reject, split) -> other;
    conflict marked real -> disagree; marked not a conflict -> other.

    Example:

    \b
        corroborate review export-pairs --out reports/review-pairs.csv
    """
    from .exports import PAIR_COLUMNS, pair_rows, to_csv

    with _open(db) as store:
        decisions = store.decisions()
        texts = store.claim_texts(sorted({i for d in decisions for i in d.claim_ids()}))
    rows = pair_rows(decisions, texts)
    _write(to_csv(rows, PAIR_COLUMNS), out, f"{len(rows)} pairs")


def _write(text: str, out: Path | None, what: str | None, *, encoding: str = "utf-8") -> None:
    """Write `text` to `out` atomically (stdout when None); say what was written unless `what` is None."""
    if out is None:
        click.echo(text, nl=False)
        return
    from ..report.files import atomic_write

    atomic_write(out, text.encode(encoding))
    if what is not None:
        click.echo(f"wrote {what}: {out}", err=True)


# ---- corroborate db ----------------------------------------------------------------------
@click.group(name="db")
def db_group() -> None:
    """Back up and restore the review store as JSON.

    Example:

    \b
        corroborate db export --out backup.json
        corroborate db import backup.json --db restored.db
    """


@db_group.command(name="export")
@db_option
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path), help="JSON file (default: stdout).")
@_errors_as_click
def db_export_command(db, out):
    """Write the whole review store (runs, claims, clusters, conflicts, decisions) as JSON.

    Example:

    \b
        corroborate db export --db reports/corroborate.db --out backup.json
    """
    with _open(db) as store:
        data = store.export_json()
    _write(json.dumps(data, ensure_ascii=False, indent=1) + "\n", out,
           f"{len(data['tables']['decisions'])} decisions, {len(data['tables']['runs'])} runs")


@db_group.command(name="import")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@db_option
@_errors_as_click
def db_import_command(source, db):
    """Restore a JSON export into a new (empty) review store.

    Example:

    \b
        corroborate db import backup.json --db restored.db
    """
    from .store import ReviewStore

    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise click.ClickException(f"{source}: not JSON ({e}); pass a file made by `corroborate db export`.")
    with ReviewStore(db) as store:
        counts = store.import_json(data)
    click.echo(f"imported into {db}: " + ", ".join(f"{n} {t}" for t, n in counts.items()), err=True)


# ---- corroborate serve -------------------------------------------------------------------
@click.command(name="serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback lets others on the network change "
                   "decisions (there is no login), so a warning is printed.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port to listen on (0 = any free port).")
@reviewer_option
@_errors_as_click
def serve_command(db, host, port, reviewer):
    """Serve the review page: a queue of clusters, each cluster with its claims in their
    articles, the conflicts, and buttons for every decision.

    Example:

    \b
        corroborate serve --db reports/corroborate.db    # then open http://127.0.0.1:8765/
    """
    from .web import is_loopback, serve

    if not is_loopback(host):
        click.echo(f"warning: serving on {host}, not loopback: anyone who can reach this machine "
                   "can read the articles and change decisions (there is no login).", err=True)
    try:
        serve(db, host=host, port=port, reviewer=reviewer,
              ready=lambda url: click.echo(f"Review page: {url} (Ctrl-C to stop)", err=True))
    except OSError as e:
        raise click.ClickException(f"Cannot listen on {host}:{port} ({e.strerror or e}): pass another "
                                   "--port, or --port 0 for any free one.") from None
    except KeyboardInterrupt:
        click.echo("stopped", err=True)


# ---- corroborate export ------------------------------------------------------------------
@click.group(name="export")
def export_group() -> None:
    """Export reviewed clusters: ClaimReview JSON-LD, or CSV of clusters and claims.

    Example:

    \b
        corroborate export claimreview --publisher "Our desk" --out reports/claimreview.json
        corroborate export csv --out reports/review-csv/
    """


@export_group.command(name="claimreview")
@db_option
@click.option("--publisher", default="corroborate review desk", show_default=True,
              help="The organisation named as the fact-check's author.")
@click.option("--url-template", help="Your fact-check page per cluster, e.g. "
                                     "'https://desk.example/checks/{cluster_id}'.")
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path), help="JSON-LD file (default: stdout).")
@_errors_as_click
def claimreview_command(db, publisher, url_template, out):
    """Write schema.org ClaimReview JSON-LD for every cluster with a verdict.

    Example:

    \b
        corroborate export claimreview --publisher "Our desk" \\
            --url-template "https://desk.example/checks/{cluster_id}" --out reports/claimreview.json
    """
    from .exports import claimreview

    if url_template and "{cluster_id}" not in url_template:
        raise click.ClickException("--url-template needs {cluster_id} in it, e.g. "
                                   "'https://desk.example/checks/{cluster_id}'.")
    with _open(db) as store:
        view = _view(store)
    items = claimreview(view, publisher=publisher,
                        url=(lambda k: url_template.format(cluster_id=k)) if url_template else (lambda k: None))
    _write(json.dumps(items, ensure_ascii=False, indent=2) + "\n", out, f"{len(items)} ClaimReviews")


@export_group.command(name="csv")
@db_option
@click.option("-o", "--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for clusters.csv and claims.csv.")
@click.option("--excel", is_flag=True, help="Start the files with a UTF-8 BOM so Excel shows Arabic right.")
@_errors_as_click
def csv_command(db, out, excel):
    """Write clusters.csv and claims.csv of the latest run, with decisions and verdicts applied.

    Example:

    \b
        corroborate export csv --out reports/review-csv/ --excel
    """
    from .exports import (
        CLAIM_COLUMNS,
        CLUSTER_COLUMNS,
        claim_rows,
        cluster_rows,
        to_csv,
    )

    with _open(db) as store:
        view = _view(store)
    encoding = "utf-8-sig" if excel else "utf-8"
    _write(to_csv(cluster_rows(view), CLUSTER_COLUMNS), out / "clusters.csv", "clusters", encoding=encoding)
    _write(to_csv(claim_rows(view), CLAIM_COLUMNS), out / "claims.csv", "claims", encoding=encoding)


# ---- analyze --db --------------------------------------------------------------------------
def review_analysis(db: Path, analysis: Analysis, *, echo: Callable[[str], None]) -> tuple[Analysis, Reviewed]:
    """For `analyze --db`: record the run, re-apply the decisions; return the reviewed analysis."""
    from .apply import apply_decisions
    from .store import ReviewStore

    try:
        with ReviewStore(db) as store:
            run_id = store.record_run(analysis)
            reviewed = apply_decisions(analysis, store.decisions())
    except CorroborateError as e:
        raise click.ClickException(str(e)) from None
    applied = sum(o.status == "applied" for o in reviewed.outcomes)
    echo(f"review store {db}: run {run_id}, {applied} decisions applied"
         + (f", {len(reviewed.orphaned)} orphaned (see `corroborate review log --orphaned --db {db}`)"
            if reviewed.orphaned else ""))
    return reviewed.analysis, reviewed


def report_marks(reviewed: Reviewed) -> ReviewMarks:
    """The decisions in force, for `to_markdown(review=...)`: each shows where it applies."""
    from .apply import report_marks as marks

    return marks(reviewed)


def register(cli: click.Group) -> None:
    """Add the review commands to the `corroborate` group."""
    for command in (review_group, db_group, serve_command, export_group):
        cli.add_command(command)
