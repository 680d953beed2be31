"""The local review page (`corroborate serve`): server-rendered Flask views over the review store."""

from __future__ import annotations

import hmac
import logging
import secrets
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import (
    Flask,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.exceptions import SecurityError
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from ..errors import CorroborateError
from ..model import Conflict
from . import decisions as build
from .apply import Reviewed, apply_decisions
from .decisions import VERDICTS, Decision
from .queue import Filters, claim_in_context, filter_clusters
from .store import ReviewStore

if TYPE_CHECKING:
    from .. import Analysis

log = logging.getLogger(__name__)
LOOPBACK = ("127.0.0.1", "localhost", "::1")
ACTIONS_WITH_CLAIMS = ("confirm", "reject", "merge", "split")


class _Views:
    """The reviewed view of the latest run, rebuilt only when a run or a decision was added."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._analysis: tuple[int, Analysis] | None = None
        self._view: tuple[tuple[int, int], Reviewed] | None = None

    def get(self, store: ReviewStore) -> Reviewed:
        key = (store.latest_run() or 0, store.last_decision_id())
        with self._lock:
            if self._view is not None and self._view[0] == key:
                return self._view[1]
            if self._analysis is None or self._analysis[0] != key[0]:
                self._analysis = (key[0], store.load_analysis(key[0]))
            view = apply_decisions(self._analysis[1], [d for d in store.decisions() if d.id <= key[1]])
            self._view = (key, view)
            return view


def _csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def create_app(db_path: str | Path, *, reviewer: str = "reviewer", secret_key: str | None = None,
               trusted_hosts: list[str] | None = None) -> Flask:
    """The review app over the store at `db_path` (which must hold a run).

    `reviewer` is the name decisions are recorded under until the page sets another.
    `trusted_hosts` limits the Host header (pass the loopback names when bound to loopback,
    so a DNS-rebinding page cannot talk to it).
    """
    with ReviewStore(db_path, create=False) as store:     # fail now, with the fix, not on first request
        store.load_analysis()
    app = Flask(__name__)
    app.config.update(SECRET_KEY=secret_key or secrets.token_hex(32), DB_PATH=str(db_path),
                      REVIEWER=reviewer, TRUSTED_HOSTS=trusted_hosts,
                      SESSION_COOKIE_SAMESITE="Strict", SESSION_COOKIE_HTTPONLY=True,
                      MAX_CONTENT_LENGTH=256 * 1024)
    views = _Views()

    def store() -> ReviewStore:
        if "store" not in g:
            g.store = ReviewStore(app.config["DB_PATH"], create=False)
        return g.store

    def view() -> Reviewed:
        return views.get(store())

    @app.teardown_appcontext
    def close_store(_exc: BaseException | None) -> None:
        found = g.pop("store", None)
        if found is not None:
            found.close()

    @app.before_request
    def check_csrf() -> None:
        if request.method == "POST":
            sent = request.form.get("csrf_token", "")
            if not sent or not hmac.compare_digest(sent, session.get("csrf", "")):
                abort(400, "The form's CSRF token is missing or out of date: reload the page and try again.")

    @app.after_request
    def security_headers(response):
        # No script on these pages at all: even a payload that slipped past escaping cannot run.
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
            "base-uri 'none'; frame-ancestors 'none'")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    @app.context_processor
    def common() -> dict[str, Any]:
        return {"csrf_token": _csrf_token, "reviewer": session.get("reviewer", app.config["REVIEWER"]),
                "verdicts": VERDICTS}

    @app.errorhandler(400)
    @app.errorhandler(404)
    def error_page(e):
        if isinstance(e, SecurityError):         # untrusted Host: no page (its links would need the host)
            return e.description, e.code, {"Content-Type": "text/plain; charset=utf-8"}
        return render_template("error.html", code=e.code, message=e.description), e.code

    @app.get("/")
    def queue():
        args = request.args

        def yes_no(name: str) -> bool | None:
            return {"yes": True, "no": False}.get(args.get(name, ""))
        filters = Filters(status=args.get("status") or None, outlet=args.get("outlet") or None,
                          reviewed=yes_no("reviewed"), conflicted=yes_no("conflicted"),
                          text=args.get("q") or None, min_claims=2 if args.get("multi") else 1)
        reviewed = view()
        clusters = filter_clusters(reviewed, filters)
        claims = {c.id: c for c in reviewed.analysis.claims}
        outlets = sorted({d.outlet for d in reviewed.analysis.documents if d.outlet})
        return render_template("queue.html", clusters=clusters, claims=claims, view=reviewed, args=args,
                               outlets=outlets, total=len(reviewed.analysis.clusters))

    @app.get("/cluster/<cluster_id>")
    def cluster_page(cluster_id: str):
        reviewed = view()
        cluster = reviewed.cluster(cluster_id)
        if cluster is None:
            moved = _where_now(reviewed, store(), cluster_id)
            if moved is None:
                abort(404, f"No cluster {cluster_id} in the latest run. Pick one from the queue.")
            flash(f"Cluster {cluster_id} has changed since; its claims are now in {moved}.")
            return redirect(url_for("cluster_page", cluster_id=moved), 303)
        claims = {c.id: c for c in reviewed.analysis.claims}
        docs = {d.id: d for d in reviewed.analysis.documents}
        members = [(claims[i], docs[claims[i].doc_id], claim_in_context(docs[claims[i].doc_id], claims[i]))
                   for i in cluster.claim_ids]
        ids = set(cluster.claim_ids)
        conflicts = [row for row in _conflict_rows(reviewed) if {row[0].claim_a, row[0].claim_b} & ids]
        others = [k for k in reviewed.analysis.clusters if k.id != cluster.id]
        return render_template("cluster.html", cluster=cluster, members=members, claims=claims,
                               docs=docs, conflicts=conflicts, others=others,
                               cluster_of=reviewed.cluster_of,
                               verdict=reviewed.verdicts.get(cluster.id),
                               outcomes=reviewed.outcomes_for(cluster))

    @app.get("/conflicts")
    def conflicts_page():
        reviewed = view()
        claims = {c.id: c for c in reviewed.analysis.claims}
        docs = {d.id: d for d in reviewed.analysis.documents}
        return render_template("conflicts.html", rows=_conflict_rows(reviewed), claims=claims, docs=docs,
                               view=reviewed, cluster_of=reviewed.cluster_of)

    @app.get("/log")
    def log_page():
        reviewed = view()
        undone = {o.decision.payload.get("decision") for o in reviewed.outcomes if o.decision.action == "undo"}
        return render_template("log.html", outcomes=list(reversed(reviewed.outcomes)), undone=undone)

    @app.post("/reviewer")
    def set_reviewer():
        name = request.form.get("reviewer", "").strip()
        if name:
            session["reviewer"] = name[:80]
        return redirect(_safe_next(request.form.get("next")), 303)

    @app.post("/decide")
    def decide():
        form = request.form
        action = form.get("action", "")
        who = session.get("reviewer", app.config["REVIEWER"])
        note = form.get("note", "").strip()
        reviewed = view()
        try:
            if action in ("confirm", "reject"):
                draft = getattr(build, action)(reviewed, form.get("claim", ""), reviewer=who, note=note)
            elif action == "merge":
                draft = build.merge(reviewed, [form.get("cluster", ""), form.get("other", "").strip()],
                                    reviewer=who, note=note)
            elif action == "split":
                draft = build.split(reviewed, form.get("cluster", ""), form.getlist("claim"),
                                    reviewer=who, note=note)
            elif action == "conflict":
                draft = build.mark_conflict(reviewed, form.get("claim_a", ""), form.get("claim_b", ""),
                                            real=form.get("real") == "1", reviewer=who, note=note)
            elif action == "verdict":
                draft = build.verdict(reviewed, form.get("cluster", ""), form.get("verdict", ""),
                                      reviewer=who, note=note)
            elif action == "undo":
                draft = build.undo(store().decisions(), int(form.get("decision", "0") or 0),
                                   reviewer=who, note=note)
            else:
                abort(400, f"Unknown action {action!r}.")
            saved = store().add_decision(draft)
        except (CorroborateError, ValueError) as e:
            abort(400, str(e))
        flash(f"Recorded {saved.summary()}.")
        target = _safe_next(form.get("next"))
        if action == "verdict":
            target = url_for("cluster_page", cluster_id=draft.target)
        elif action in ACTIONS_WITH_CLAIMS:
            anchor = (draft.payload.get("claim") or (draft.payload.get("moved") or [None])[0]
                      or draft.payload["groups"][0][0])
            target = url_for("cluster_page", cluster_id=view().cluster_of[anchor])
        return redirect(target, 303)

    return app


def _conflict_rows(reviewed: Reviewed) -> list[tuple[Conflict, bool, Decision | None]]:
    """(conflict, dismissed?, the reviewer's mark or None): flagged conflicts first, then dismissed ones."""
    rows = [(x, False) for x in reviewed.analysis.conflicts] + [(x, True) for x in reviewed.dismissed]
    return [(x, dismissed, reviewed.conflict_marks.get(tuple(sorted((x.claim_a, x.claim_b)))))
            for x, dismissed in rows]


def _safe_next(target: str | None) -> str:
    # Only paths on this site: an open redirect would let a link bounce a reviewer elsewhere.
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def _where_now(reviewed: Reviewed, store: ReviewStore, cluster_id: str) -> str | None:
    """The current cluster holding most of the claims an old cluster id had, if the store knows it."""
    members: list[str] = []
    for d in reversed(store.decisions()):
        if d.payload.get("cluster") == cluster_id and d.payload.get("members"):
            members = list(d.payload["members"])
            break
    if not members:
        for run in reversed(store.runs()):
            found = store.load_analysis(run["id"]).clusters
            members = next((list(k.claim_ids) for k in found if k.id == cluster_id), [])
            if members:
                break
    homes = [reviewed.cluster_of[m] for m in members if m in reviewed.cluster_of]
    return max(set(homes), key=homes.count) if homes else None


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        log.debug("%s %s %s", self.command, self.path, code)


def make_review_server(db_path: str | Path, *, host: str = "127.0.0.1", port: int = 8765,
                       reviewer: str = "reviewer") -> BaseWSGIServer:
    """A threaded WSGI server for the review page, bound but not yet serving (`.serve_forever()`).

    Port 0 picks a free port (`.server_port`). On a loopback address only loopback Host
    headers are accepted.
    """
    trusted = list(LOOPBACK) if host in LOOPBACK else None
    app = create_app(db_path, reviewer=reviewer, trusted_hosts=trusted)
    return make_server(host, port, app, threaded=True, request_handler=_QuietHandler)


def serve(db_path: str | Path, *, host: str = "127.0.0.1", port: int = 8765, reviewer: str = "reviewer",
          ready: Callable[[str], None] | None = None) -> None:
    """Serve the review page until interrupted; `ready(url)` is called once it listens."""
    server = make_review_server(db_path, host=host, port=port, reviewer=reviewer)
    shown = f"[{host}]" if ":" in host else host
    if ready is not None:
        ready(f"http://{shown}:{server.server_port}/")
    try:
        server.serve_forever()
    finally:
        server.server_close()
