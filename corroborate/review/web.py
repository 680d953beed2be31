"""The local review page (`corroborate serve`): server-rendered Flask views over the review store.

Sessions are signed with a secret kept in the store, so they survive a restart and every
`serve` of one store accepts them; the reviewer's name is a cookie of its own. A refused form
(out-of-date token, a decision that cannot be made) comes back with what was typed in it.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import re
import secrets
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from flask import (
    Flask,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.sessions import SecureCookieSessionInterface
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from ..errors import CorroborateError
from ..model import CONFLICT_KINDS
from ..report.review_marks import ReviewMarks
from . import decisions as build
from .apply import Reviewed, apply_decisions, report_marks
from .decisions import VERDICTS, Decision, DecisionError
from .queue import SORTS, ClaimTexts, Desk, Filters, claim_in_context, paginate
from .store import ReviewStore
from .story_desk import STORY_SORTS, StoryDesk, StoryRow, StoryTexts

if TYPE_CHECKING:
    from .. import Analysis

log = logging.getLogger(__name__)
REVIEWER_COOKIE = "corroborate-reviewer"
PER_PAGE = (25, 50, 100, 200)
MERGE_RESULTS = 20
FACTS_IN_A_ROW = 5          # a story's facts listed on the stories page (the story's page has all)
STORY_CONFLICTS = 10        # a story's conflicts shown on its page (the conflicts page has all)
KINDS = {                   # conflict kinds (model.CONFLICT_KINDS) as the page names and explains them
    "denial": ("denial", "one side denies what the other reports"),
    "contradiction": ("contradiction", "the two cannot both be true as stated"),
    "numbers": ("numbers", "different counts of one thing"),
    "contrast": ("contrast", "the article itself sets one against the other («على عكس ذلك»)"),
}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def is_loopback(host: str) -> bool:
    """Whether `host` (a name or address, IPv6 with or without brackets) is this machine only."""
    bare = host.strip("[]").lower()
    if bare == "localhost":
        return True
    try:
        return ipaddress.ip_address(bare).is_loopback
    except ValueError:
        return False


def host_url(host: str, port: int) -> str:
    """The address to open for a server bound to `host`: http://[::1]:8765/ for IPv6."""
    bare = host.strip("[]")
    return f"http://[{bare}]:{port}/" if ":" in bare else f"http://{bare}:{port}/"


def allowed_hosts(host: str) -> tuple[str, ...] | None:
    """The Host header names the page answers to when bound to `host`.

    On loopback (127.0.0.0/8, ::1, localhost) only loopback names, so a DNS-rebinding page
    cannot drive it; elsewhere any (the serve command warns).
    """
    if not is_loopback(host):
        return None
    bare = host.strip("[]").lower()
    return tuple(dict.fromkeys((f"[{bare}]" if ":" in bare else bare, "localhost", "127.0.0.1", "[::1]")))


def anchor(key: str) -> str:
    """A short HTML id for a claim or a conflict pair (ids hold any character a file name does)."""
    return "a-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def safe_url(url: str | None) -> str | None:
    """An article's URL when it is a plain http(s) link; None for javascript:, data: and the rest."""
    if not url or _CONTROL.search(url) or any(ch.isspace() for ch in url):
        return None
    parts = urlsplit(url)
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def safe_next(target: str | None) -> str:
    """A path on this site to go back to, or "/": an open redirect would bounce a reviewer elsewhere.

    Browsers drop tabs and newlines from URLs (so "/\\t/evil.example/" is "//evil.example/")
    and read "\\" as "/", so any of those, or any control character, refuses the target.
    """
    if (not target or not target.startswith("/") or target.startswith("//")
            or _CONTROL.search(target) or "\\" in target or any(ch.isspace() for ch in target)):
        return "/"
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else "/"


def _clean_name(name: str) -> str:
    return " ".join(_CONTROL.sub(" ", name).split())[:80]


@dataclass(frozen=True)
class _View:
    """The reviewed view of the latest run, with its search index and its decisions' marks."""

    reviewed: Reviewed
    desk: Desk
    marks: ReviewMarks
    stories: StoryDesk


class _Views:
    """The reviewed view, rebuilt only when a run or a decision was added (all threads share it)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._run: tuple[int, Analysis, ClaimTexts, StoryTexts] | None = None
        self._view: tuple[tuple[int, int], _View] | None = None

    def get(self, store: ReviewStore) -> _View:
        key = (store.latest_run() or 0, store.last_decision_id())
        with self._lock:
            if self._view is not None and self._view[0] == key:
                return self._view[1]
            if self._run is None or self._run[0] != key[0]:
                analysis = store.load_analysis(key[0] or None)     # no run: the error says how to record one
                texts = ClaimTexts(analysis.claims)
                self._run = (key[0], analysis, texts, StoryTexts.of(analysis, texts))
            _, analysis, texts, story_texts = self._run
            reviewed = apply_decisions(analysis, [d for d in store.decisions() if (d.id or 0) <= key[1]])
            view = _View(reviewed, Desk(reviewed, texts), report_marks(reviewed), StoryDesk(reviewed, story_texts))
            self._view = (key, view)
            return view

    def warm(self) -> None:
        """Normalise the run's claims and the stories' search texts ahead of the first search."""
        if self._run is not None:
            self._run[3].warm()


def _csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
        session.permanent = True
    return session["csrf"]


class _PageSessions(SecureCookieSessionInterface):
    """The session cookie is refreshed by pages and forms only, never by the stylesheet or the
    browser's own /favicon.ico request (no endpoint): those answer after the page has loaded,
    and one that answers after the reviewer cleared their cookies would put the old session,
    and its CSRF token, back."""

    def should_set_cookie(self, app: Flask, session: Any) -> bool:
        return request.endpoint not in (None, "static") and super().should_set_cookie(app, session)


def create_app(db_path: str | Path, *, reviewer: str = "reviewer", secret_key: str | None = None,
               hosts: Iterable[str] | None = None) -> Flask:
    """The review app over the store at `db_path` (which must hold a run).

    `reviewer` is the name decisions are recorded under until the page sets another. `hosts`
    limits the Host header to these names (see `allowed_hosts`). Sessions are signed with
    the store's secret (or `secret_key`), so they outlive the process.
    """
    views = _Views()
    with ReviewStore(db_path, create=False) as opened:     # fail now, with the fix, not on first request
        views.get(opened)
        secret = secret_key or opened.secret()
    app = Flask(__name__)
    app.session_interface = _PageSessions()
    app.config.update(
        SECRET_KEY=secret, DB_PATH=str(db_path), REVIEWER=reviewer,
        HOSTS=tuple(h.lower() for h in hosts) if hosts is not None else None,
        # one cookie per store: two stores served on two ports of one host keep their sessions
        SESSION_COOKIE_NAME="corroborate-" + hashlib.sha256(secret.encode()).hexdigest()[:10],
        # Lax, not Strict: opening the page from a link elsewhere keeps the session; a cross-site
        # POST still carries no cookie, and the CSRF token and Origin check refuse it anyway.
        SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_HTTPONLY=True,
        PERMANENT_SESSION_LIFETIME=timedelta(days=30), MAX_CONTENT_LENGTH=256 * 1024)
    threading.Thread(target=views.warm, daemon=True).start()

    def store() -> ReviewStore:
        if "store" not in g:
            g.store = ReviewStore(app.config["DB_PATH"], create=False)
        return g.store

    def view() -> _View:
        return views.get(store())

    def current_reviewer() -> tuple[str, bool]:
        """(name decisions are recorded under, whether the reviewer chose it)."""
        name = _clean_name(unquote(request.cookies.get(REVIEWER_COOKIE, "")))
        return (name, True) if name else (app.config["REVIEWER"], False)

    def here() -> str:
        if "here" in g:
            return g.here
        query = request.query_string.decode("utf-8", "replace")
        return request.path + (f"?{query}" if query else "")

    @app.teardown_appcontext
    def close_store(_exc: BaseException | None) -> None:
        found = g.pop("store", None)
        if found is not None:
            found.close()

    @app.before_request
    def guard():
        allowed = app.config["HOSTS"]
        if allowed is not None:
            name = re.sub(r":\d+$", "", request.headers.get("Host", "").lower())
            if name not in allowed:
                return _plain("This page answers only to loopback addresses (Host header refused).", 400)
        if request.method != "POST":
            return None
        origin = request.headers.get("Origin")
        if (origin is not None and origin.lower() != request.host_url.rstrip("/").lower()) \
                or request.headers.get("Sec-Fetch-Site") == "cross-site":
            return _plain("A form from another site cannot post here (Origin refused).", 403)
        sent = request.form.get("csrf_token", "")
        if not sent or not hmac.compare_digest(sent, session.get("csrf", "")):
            return refuse("The form's CSRF token is missing or out of date (the page came from "
                          "another browser, or its cookies were cleared): nothing was recorded. "
                          "What you typed is below: submit it again.")
        return None

    @app.after_request
    def security_headers(response):
        # No script on these pages at all: even a payload that slipped past escaping cannot run.
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
            "base-uri 'none'; frame-ancestors 'none'")
        response.headers["X-Content-Type-Options"] = "nosniff"
        # same-origin, not no-referrer: under no-referrer a browser sends "Origin: null" with the
        # page's own forms, and the Origin check could not tell them from a sandboxed attacker
        response.headers["Referrer-Policy"] = "same-origin"
        if request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.context_processor
    def common() -> dict[str, Any]:
        name, chosen = current_reviewer()
        return {"csrf_token": _csrf_token, "reviewer": name, "reviewer_chosen": chosen,
                "default_reviewer": app.config["REVIEWER"], "verdicts": VERDICTS, "here": here(),
                "anchor": anchor, "safe_url": safe_url, "kept": kept, "error": g.get("error"),
                "sorts": SORTS, "story_sorts": STORY_SORTS, "per_page": PER_PAGE, "kinds": KINDS}

    def kept(name: str, form: str, default: Any = "", **match: str) -> Any:
        """What the reviewer typed in field `name` of `form`, when a refused post brought it back."""
        draft = g.get("draft")
        if not draft or draft.get("form") != form or any(draft.get(k) != v for k, v in match.items()):
            return default
        return draft.get(name, default)

    def refuse(message: str, status: int = 400):
        """The page the form came from, again, with `message` and what was typed kept in its form."""
        form = request.form
        g.error = message
        g.draft = {k: (form.getlist(k) if k == "claim" and form.get("form") == "split" else form.get(k))
                   for k in form if k != "csrf_token"}
        target = urlsplit(safe_next(form.get("next")))
        try:
            endpoint, values = app.url_map.bind("localhost").match(target.path, method="GET")
        except HTTPException:
            endpoint, values = "queue", {}
        page = PAGES.get(endpoint, PAGES["queue"])
        g.here = target.path + (f"?{target.query}" if target.query else "")
        try:
            body = page(MultiDict(parse_qsl(target.query, keep_blank_values=True)), **values)
        except HTTPException:
            g.here = "/"
            body = PAGES["queue"](MultiDict())
        return body, status

    @app.errorhandler(HTTPException)
    def error_page(e: HTTPException):
        return render_template("error.html", code=e.code, message=e.description), e.code

    @app.errorhandler(Exception)
    def crash(e: Exception):
        log.exception("review page error")
        return _plain("Something went wrong on this page (see the server's log); nothing was "
                      "recorded unless the page said so. Go back and try again.", 500)

    # ---- pages ------------------------------------------------------------------------------
    def render_queue(args: MultiDict) -> str:
        v = view()
        filters = _filters(args)
        found = v.desk.search(filters)
        per = _int(args.get("per"), 50, PER_PAGE)
        page = paginate(found, _int(args.get("page"), 1), per)
        outlets = sorted({d.outlet for d in v.reviewed.analysis.documents if d.outlet})
        return render_template("queue.html", page=page, rows=[_row(v, k) for k in page.items], args=args,
                               outlets=outlets, total=len(v.reviewed.analysis.clusters),
                               link=_linker(url_for("queue"), args))

    def render_cluster(args: MultiDict, cluster_id: str) -> Any:
        v = view()
        reviewed = v.reviewed
        cluster = reviewed.cluster(cluster_id)
        if cluster is None:
            moved = _where_now(reviewed, store(), cluster_id)
            if moved is None:
                raise NotFound(f"No cluster {cluster_id} in the latest run. Pick one from the queue.")
            if "error" in g:               # a refused form: show it on the cluster its claims are in now
                return render_cluster(args, moved)
            flash(f"Cluster {cluster_id} has changed since; its claims are now in {moved}.")
            return redirect(url_for("cluster_page", cluster_id=moved), 303)
        desk = v.desk
        members = []
        for claim_id in cluster.claim_ids:
            claim = desk.claims[claim_id]
            doc = desk.docs[claim.doc_id]
            members.append({"claim": claim, "doc": doc, "name": desk.names[doc.id],
                            "ctx": claim_in_context(doc, claim), "marks": v.marks.claims.get(claim_id, ())})
        ids = set(cluster.claim_ids)
        conflicts = [_conflict_sides(v, r) for r in _conflict_rows(v) if {r["x"].claim_a, r["x"].claim_b} & ids]
        merge_query = (args.get("mq") or "").strip()
        matches = []
        if merge_query:
            matches = [k for k in desk.search(Filters(text=merge_query)) if k.id != cluster.id]
        return render_template(
            "cluster.html", cluster=cluster, members=members, conflicts=conflicts, desk=desk,
            story=v.stories.of_cluster(cluster.id),
            origins=[desk.origin_name(o) for o in cluster.origins], documents=desk.doc_list(cluster),
            verdict=reviewed.verdicts.get(cluster.id), marks=v.marks.clusters.get(cluster.id, ()),
            outcomes=reviewed.outcomes_for(cluster), merge_query=merge_query,
            matches=[_row(v, k) for k in matches[:MERGE_RESULTS]], more=max(0, len(matches) - MERGE_RESULTS))

    def render_conflicts(args: MultiDict) -> str:
        v = view()
        show = args.get("show") if args.get("show") in ("flagged", "dismissed", "unmarked") else "all"
        kind = args.get("kind") if args.get("kind") in CONFLICT_KINDS else ""
        story = v.stories.story(args.get("story") or "")
        rows = _conflict_rows(v)
        if story is not None:
            rows = [r for r in rows if _in_story(v, r["x"], story)]
        if show == "flagged":
            rows = [r for r in rows if not r["dismissed"]]
        elif show == "dismissed":
            rows = [r for r in rows if r["dismissed"]]
        elif show == "unmarked":
            rows = [r for r in rows if r["mark"] is None]
        counts = Counter(r["x"].kind for r in rows)
        if kind:
            rows = [r for r in rows if r["x"].kind == kind]
        page = paginate(rows, _int(args.get("page"), 1), _int(args.get("per"), 25, PER_PAGE))
        return render_template("conflicts.html", page=page, rows=[_conflict_sides(v, r) for r in page.items],
                               flagged=len(v.reviewed.analysis.conflicts), dismissed=len(v.reviewed.dismissed),
                               show=show, kind=kind, counts=counts, story=story, args=args,
                               link=_linker(url_for("conflicts_page"), args))

    def render_stories(args: MultiDict) -> str:
        v = view()
        sort = args.get("sort") if args.get("sort") in STORY_SORTS else "origins"
        found = v.stories.search(text=(args.get("q") or "").strip() or None, several=bool(args.get("several")),
                                 sort=sort)
        page = paginate(found, _int(args.get("page"), 1), _int(args.get("per"), 25, PER_PAGE))
        return render_template("stories.html", page=page, rows=[_story_row(v, r) for r in page.items],
                               total=len(v.stories), sort=sort, args=args,
                               link=_linker(url_for("stories_page"), args))

    def render_story(args: MultiDict, story_id: str) -> str:
        v = view()
        row = v.stories.story(story_id)
        if row is None:
            raise NotFound(f"No story {story_id} in the latest run. Pick one from the stories page.")
        page = paginate(row.facts, _int(args.get("page"), 1), _int(args.get("per"), 50, PER_PAGE))
        keys = {(x.claim_a, x.claim_b) for x in row.conflicts}
        conflicts = [r for r in _conflict_rows(v) if (r["x"].claim_a, r["x"].claim_b) in keys and not r["dismissed"]]
        desk = v.desk
        return render_template(
            "story.html", row=row, story=row.story, page=page, rows=[_row(v, k) for k in page.items],
            documents=[(desk.names.get(d, d), desk.docs[d]) for d in row.story.doc_ids if d in desk.docs],
            origins=[desk.origin_name(o) for o in row.story.origins],
            conflicts=[_conflict_sides(v, r) for r in conflicts[:STORY_CONFLICTS]],
            more_conflicts=max(0, len(conflicts) - STORY_CONFLICTS), args=args,
            link=_linker(url_for("story_page", story_id=story_id), args))

    def render_log(args: MultiDict) -> str:
        reviewed = view().reviewed
        undone = {o.decision.payload.get("decision") for o in reviewed.outcomes if o.decision.action == "undo"}
        page = paginate(list(reversed(reviewed.outcomes)), _int(args.get("page"), 1), 100)
        return render_template("log.html", page=page, undone=undone, args=args,
                               link=_linker(url_for("log_page"), args))

    PAGES: dict[str, Callable[..., Any]] = {"queue": render_queue, "cluster_page": render_cluster,
                                             "conflicts_page": render_conflicts, "log_page": render_log,
                                             "stories_page": render_stories, "story_page": render_story}

    @app.get("/")
    def queue():
        return render_queue(request.args)

    @app.get("/cluster/<cluster_id>")
    def cluster_page(cluster_id: str):
        return render_cluster(request.args, cluster_id)

    @app.get("/conflicts")
    def conflicts_page():
        return render_conflicts(request.args)

    @app.get("/stories")
    def stories_page():
        return render_stories(request.args)

    @app.get("/story/<story_id>")
    def story_page(story_id: str):
        return render_story(request.args, story_id)

    @app.get("/log")
    def log_page():
        return render_log(request.args)

    # ---- decisions --------------------------------------------------------------------------
    @app.post("/reviewer")
    def set_reviewer():
        name = _clean_name(request.form.get("reviewer", ""))
        if not name:
            return refuse("Type a name to review as: every decision is recorded under it.")
        response = redirect(safe_next(request.form.get("next")), 303)
        response.set_cookie(REVIEWER_COOKIE, quote(name), max_age=365 * 24 * 3600, httponly=True,
                            samesite="Lax")
        flash(f"Reviewing as {name}: decisions from this browser are recorded under this name.")
        return response

    @app.post("/decide")
    def decide():
        form = request.form
        action = form.get("action", "")
        who, _ = current_reviewer()
        note = form.get("note", "").strip()
        reviewed = view().reviewed
        try:
            if action in ("confirm", "reject"):
                draft = getattr(build, action)(reviewed, form.get("claim", ""), reviewer=who, note=note)
            elif action == "merge":
                draft = build.merge(reviewed, [form.get("cluster", ""), form.get("other", "").strip()],
                                    reviewer=who, note=note)
            elif action == "split":
                if not form.getlist("claim"):
                    raise DecisionError("Nothing was split: tick the claims that state another fact "
                                        "(\"move in a split\"), then press Split.")
                draft = build.split(reviewed, form.get("cluster", ""), form.getlist("claim"),
                                    reviewer=who, note=note)
            elif action == "conflict":
                draft = build.mark_conflict(reviewed, form.get("claim_a", ""), form.get("claim_b", ""),
                                            real=form.get("real") == "1", reviewer=who, note=note)
            elif action == "verdict":
                draft = build.verdict(reviewed, form.get("cluster", ""), form.get("verdict", ""),
                                      reviewer=who, note=note)
            elif action == "undo":
                raw = form.get("decision", "").strip()
                if not raw.isdecimal():
                    raise DecisionError(f"Decision id {raw[:20]!r} is not a number: use the Undo "
                                        "button beside a decision on the Decisions page.")
                draft = build.undo(store().decisions(), int(raw), reviewer=who, note=note)
            else:
                raise DecisionError(f"Unknown action {action[:20]!r}: the form is from another "
                                    "version of this page; reload it.")
            saved = store().add_decision(draft)
        except (CorroborateError, ValueError) as e:
            return refuse(f"Not recorded: {e}")
        flash(f"Recorded {saved.summary()} as {who}.")
        return redirect(_after(saved, view().reviewed, safe_next(form.get("next"))), 303)

    return app


# ---- helpers for the views ------------------------------------------------------------------
def _plain(message: str, status: int):
    return message + "\n", status, {"Content-Type": "text/plain; charset=utf-8"}


def _int(raw: str | None, default: int, choices: Iterable[int] | None = None) -> int:
    try:
        value = int(raw or "")
    except ValueError:
        return default
    return value if choices is None or value in choices else default


def _filters(args: Mapping[str, str]) -> Filters:
    def yes_no(name: str) -> bool | None:
        return {"yes": True, "no": False}.get(args.get(name, ""))
    return Filters(status=args.get("status") or None, outlet=(args.get("outlet") or "").strip() or None,
                   reviewed=yes_no("reviewed"), conflicted=yes_no("conflicted"),
                   text=(args.get("q") or "").strip() or None, min_claims=2 if args.get("multi") else 1,
                   sort=args.get("sort") if args.get("sort") in SORTS else "report")


def _linker(path: str, args: MultiDict) -> Callable[..., str]:
    """link(page=3) -> this page's URL with the same filters and page 3."""
    def link(**changes: Any) -> str:
        merged = MultiDict(args)
        for key, value in changes.items():
            merged.setlist(key, [] if value is None else [str(value)])
        query = urlencode([(k, v) for k, v in merged.items(multi=True) if v != ""])
        return path + (f"?{query}" if query else "")
    return link


def _decided(v: _View, cluster) -> list[str]:
    """Short marks for a queue row: the verdict, ✓/✗ counts, merged/split."""
    out = []
    verdict = v.reviewed.verdicts.get(cluster.id)
    if verdict is not None:
        out.append(verdict.label)
    kinds = Counter(m.kind for c in cluster.claim_ids for m in v.marks.claims.get(c, ()))
    if kinds["belongs"]:
        out.append(f"✓{kinds['belongs']}")
    if kinds["not-this-fact"]:
        out.append(f"✗{kinds['not-this-fact']}")
    out += sorted({"merged" if m.kind == "merged" else "split" for m in v.marks.clusters.get(cluster.id, ())
                   if m.kind in ("merged", "split-off", "split-rest")})
    return out


def _row(v: _View, cluster) -> dict[str, Any]:
    desk = v.desk
    names = desk.doc_list(cluster)
    return {"cluster": cluster, "first": desk.claims[cluster.claim_ids[0]].text,
            "documents": names[:3], "more_documents": max(0, len(names) - 3),
            "conflicts": desk.conflicts.get(cluster.id, 0), "latest": desk.latest(cluster),
            "decided": _decided(v, cluster), "reviewed": v.reviewed.is_reviewed(cluster)}


def _conflict_rows(v: _View) -> list[dict[str, Any]]:
    """Flagged conflicts first, then dismissed ones, each with the reviewer's mark (or None)."""
    reviewed = v.reviewed
    rows = [(x, False) for x in reviewed.analysis.conflicts] + [(x, True) for x in reviewed.dismissed]
    return [{"x": x, "dismissed": dismissed, "key": "|".join(sorted((x.claim_a, x.claim_b))),
             "mark": v.marks.conflicts.get(tuple(sorted((x.claim_a, x.claim_b))))}
            for x, dismissed in rows]


def _conflict_sides(v: _View, row: dict[str, Any]) -> dict[str, Any]:
    desk = v.desk
    x = row["x"]
    said = x.said_by if len(x.said_by) == 2 else (None, None)
    sides = []
    for claim_id, who in zip((x.claim_a, x.claim_b), said):
        claim = desk.claims[claim_id]
        doc = desk.docs[claim.doc_id]
        sides.append({"claim": claim, "doc": doc, "name": desk.names[doc.id], "ctx": claim_in_context(doc, claim),
                      "cluster": v.reviewed.cluster_of[claim_id], "said_by": desk.origin_name(who) if who else None})
    return {**row, "sides": sides}


def _in_story(v: _View, conflict, row: StoryRow) -> bool:
    """Whether either claim of `conflict` is in a fact of the story (`row`)."""
    return any(v.stories.story_of.get(v.reviewed.cluster_of.get(c, "")) == row.story.id
               for c in (conflict.claim_a, conflict.claim_b))


def _story_row(v: _View, row: StoryRow) -> dict[str, Any]:
    """A story on the stories page: its first facts (with their first claims), its conflicts' kinds."""
    desk = v.desk
    return {"row": row, "story": row.story,
            "facts": [{"cluster": k, "first": desk.claims[k.claim_ids[0]].text} for k in row.facts[:FACTS_IN_A_ROW]],
            "more_facts": max(0, len(row.facts) - FACTS_IN_A_ROW),
            "outlets": [desk.origin_name(o) for o in row.story.outlets]}


def _home(reviewed: Reviewed, claims: Iterable[str]) -> str | None:
    """The cluster now holding most of `claims` (None when none is in the run)."""
    homes = [reviewed.cluster_of[c] for c in claims if c in reviewed.cluster_of]
    return Counter(homes).most_common(1)[0][0] if homes else None


def _after(saved: Decision, reviewed: Reviewed, back: str) -> str:
    """Where the page goes after a decision: the cluster under review, at the place acted on."""
    p = saved.payload
    members = list(p.get("members", ()))
    if saved.action == "confirm":
        home, at = _home(reviewed, [p["claim"]]), anchor(p["claim"])
    elif saved.action == "reject":
        rest = [m for m in members if m != p["claim"]]
        index = members.index(p["claim"]) if p["claim"] in members else 0
        nearby = (members[index + 1:] + members[:index][::-1]) or rest
        home, at = _home(reviewed, rest), anchor(next((m for m in nearby if m != p["claim"]), p["claim"]))
    elif saved.action == "split":
        home, at = _home(reviewed, [m for m in members if m not in p.get("moved", ())]), "split"
    elif saved.action == "merge":
        home, at = _home(reviewed, [m for group in p.get("groups", ()) for m in group]), "merge"
    elif saved.action == "verdict":
        home, at = _home(reviewed, members), "verdict"
    elif saved.action == "conflict":
        return f"{back.split('#')[0]}#{anchor(p['claim_a'] + '|' + p['claim_b'])}"
    else:
        return back
    return f"{url_for('cluster_page', cluster_id=home)}#{at}" if home else back


def _where_now(reviewed: Reviewed, store: ReviewStore, cluster_id: str) -> str | None:
    """The current cluster holding most of the claims an old cluster id had, if the store knows it."""
    members: list[str] = []
    for d in reversed(store.decisions()):
        if d.payload.get("cluster") == cluster_id and d.payload.get("members"):
            members = list(d.payload["members"])
            break
    return _home(reviewed, members or store.cluster_members(cluster_id))


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        log.debug("%s %s %s", self.command, self.path, code)

    def version_string(self) -> str:            # the Server header: no versions to fingerprint
        return "corroborate"


def make_review_server(db_path: str | Path, *, host: str = "127.0.0.1", port: int = 8765,
                       reviewer: str = "reviewer") -> BaseWSGIServer:
    """A threaded WSGI server for the review page, bound but not yet serving (`.serve_forever()`).

    Port 0 picks a free port (`.server_port`). On a loopback address only loopback Host
    headers are accepted (`allowed_hosts`).
    """
    app = create_app(db_path, reviewer=reviewer, hosts=allowed_hosts(host))
    return make_server(host.strip("[]"), port, app, threaded=True, request_handler=_QuietHandler)


def serve(db_path: str | Path, *, host: str = "127.0.0.1", port: int = 8765, reviewer: str = "reviewer",
          ready: Callable[[str], None] | None = None) -> None:
    """Serve the review page until interrupted; `ready(url)` is called once it listens."""
    server = make_review_server(db_path, host=host, port=port, reviewer=reviewer)
    if ready is not None:
        ready(host_url(host, server.server_port))
    try:
        server.serve_forever()
    finally:
        server.server_close()

