"""Ingest stage for links: fetch pages and feeds politely, keep them in a folder, read them offline."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Self
from urllib.parse import urljoin, urlsplit

from . import __version__
from .errors import InputError
from .model import Skipped

log = logging.getLogger(__name__)

USER_AGENT = (f"corroborate/{__version__} (news fact-checking; fetches only the links and feeds "
              "it is given, once each)")
MANIFEST = "pages.json"                    # what the pages folder holds: links, files, fetch times
FEED_EXT = {".rss", ".atom", ".xml"}       # a feed given as a file: its items' links are read
_HTML_TYPES = {"text/html", "application/xhtml+xml"}
_FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
               "text/xml", "application/x-rss+xml"}
_SAVED_AS = {"html": ".html", "pdf": ".pdf", "docx": ".docx", "odt": ".odt", "feed": ".xml"}
_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_ODT = "application/vnd.oasis.opendocument.text"
# 429 and passing server trouble are worth another try; a 404 or 403 is not
_RETRY_STATUS = (429, 500, 502, 503, 504)

OnSkip = Callable[[Skipped], None]


@dataclass(frozen=True)
class Intake:
    """Where links' pages and the text of PDF/Word files are kept, and how links are fetched.

    `pages` holds every fetched page (named by a hash of its link), the text extracted from
    each PDF or Word file (named by a hash of its bytes) and `pages.json`, which records each
    link's file and fetch time. A link whose page is saved there is read from it without the
    network, unless `refetch`; a feed is fetched again on every run and a link that failed is
    tried again, each falling back to what was saved when the network cannot be reached, so a
    run repeated offline gives the same report.
    """

    pages: Path = Path("corroborate-pages")
    url_lists: tuple[Path, ...] = ()       # files of links, one a line (--urls)
    since: date | None = None              # feed items published before this day are left out
    refetch: bool = False                  # fetch saved pages again
    timeout: float = 20.0                  # seconds to connect, and to wait for each read
    retries: int = 2                       # more tries after a timeout, a lost connection, 429 or 5xx
    backoff: float = 0.5                   # urllib3's back-off factor: a 2nd retry waits 2x this, a 3rd 4x
    max_bytes: int = 20_000_000            # a page over this is not read (ingest.MAX_BYTES)
    per_host: int = 2                      # requests open at once to one host
    workers: int = 8                       # requests open at once in all
    user_agent: str = USER_AGENT

    def __post_init__(self) -> None:
        if self.timeout <= 0 or self.retries < 0 or self.per_host < 1 or self.workers < 1:
            raise ValueError("timeout must be positive, retries at least 0, per_host and workers at least 1")
        object.__setattr__(self, "pages", Path(self.pages))
        object.__setattr__(self, "url_lists", tuple(Path(p) for p in self.url_lists))


@dataclass(frozen=True)
class Page:
    """A link read from the pages folder: its saved file and when it was fetched."""

    url: str                       # the link as given
    path: Path                     # the saved page (.html, or .pdf/.docx/.odt)
    doc_id: str                    # the saved file's name without its extension
    fetched: str                   # UTC, ISO 8601 to the second: "2024-02-19T08:30:00Z"
    final_url: str = ""            # where redirects ended


@dataclass
class _Outcome:
    url: str
    kind: str = ""                 # "html", "pdf", "docx", "odt", "feed"; "" when it failed
    file: str = ""
    fetched: str = ""
    final_url: str = ""
    reason: str = ""               # why it failed, in the user's words
    fail_kind: str = ""            # Skipped.kind
    unreachable: bool = False      # the network could not be reached: what was saved may stand in
    items: list[str] = field(default_factory=list)


def is_url(value: object) -> bool:
    """Whether an input is a link (http:// or https://) rather than a path."""
    return isinstance(value, str) and bool(re.match(r"(?i)https?://", value))


def _bad_url(text: str) -> str | None:
    """Why `text` is not a link this module can fetch, or None."""
    if not re.match(r"(?i)https?://", text):
        return "not a link: it needs http:// or https://"
    if re.search(r"\s", text):
        return "not a link: it has a space in it"
    try:
        parts = urlsplit(text)
        parts.port                              # noqa: B018 - raises on a bad port
    except ValueError as e:
        return f"not a link ({e})"
    if not parts.hostname:
        return "not a link: no host name"
    return None


def read_url_list(path: Path, skip: OnSkip) -> list[str]:
    """The links in a file of one link a line; blank lines and lines starting with # are passed
    over, any other line that is not a link goes to `skip` as FILE:LINE."""
    try:
        text = path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError as e:
        skip(Skipped(str(path), f"{path}: cannot read this list of links ({e.strerror or type(e).__name__}); "
                                "check the path given to --urls", "unreadable"))
        return []
    urls = []
    for n, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        why = _bad_url(line)
        if why:
            shown = line if len(line) <= 80 else line[:77] + "..."
            skip(Skipped(f"{path}:{n}", f"{path}:{n}: {why} («{shown}»); give one http:// or https:// "
                                        "link a line", "bad-url"))
            continue
        urls.append(line)
    return urls


def page_name(url: str, kind: str) -> str:
    """The saved file's name for a link: its host and a hash of the whole link, so that a run
    repeated with the same links finds the same files."""
    host = re.sub(r"[^A-Za-z0-9.-]", "_", urlsplit(url).hostname or "page")[:60]
    return f"{host}-{hashlib.sha256(url.encode('utf-8')).hexdigest()[:12]}{_SAVED_AS[kind]}"


def gather(inputs: Sequence[str | Path], intake: Intake, skip: OnSkip) -> tuple[list[str | Path], list[Page]]:
    """Fetch the links among `inputs` and in `intake.url_lists`, and the items of feeds (links or
    feed files given by name); return the other inputs as they were and the saved pages, in the
    order they were given (a feed's items in the feed's order).

    Links that cannot be read (a malformed line, 404, timeout, not a page, too large) go to
    `skip`, once each and in that order, after every fetch has ended.
    """
    others: list[str | Path] = []
    order: list[tuple[str, str]] = []          # ("url", link) or ("feedfile", path)
    failures: list[Skipped] = []
    for raw in inputs:
        if is_url(raw):
            why = _bad_url(str(raw))
            if why:
                failures.append(Skipped(str(raw), f"{raw}: {why}; check the link", "bad-url"))
            else:
                order.append(("url", str(raw)))
        elif Path(raw).suffix.lower() in FEED_EXT and Path(raw).is_file():
            order.append(("feedfile", str(raw)))
        else:
            others.append(raw)
    for listed in intake.url_lists:
        order.extend(("url", u) for u in read_url_list(listed, failures.append))
    for item in failures:
        skip(item)
    if not order:
        return others, []

    folder = intake.pages
    manifest = _load_manifest(folder)
    with _Client(intake) as client:
        first = [u for kind, u in order if kind == "url"]
        outcomes = client.resolve(first, manifest, folder)
        feeds: dict[str, list[str]] = {}
        for kind, where in order:
            if kind == "feedfile":
                feeds[where] = _feed_file_items(Path(where), intake, skip)
            elif outcomes[where].kind == "feed":
                feeds[where] = outcomes[where].items
        items = [u for links in feeds.values() for u in links if u not in outcomes]
        outcomes.update(client.resolve(items, manifest, folder, what="feed item"))
    _save_manifest(folder, manifest)

    pages: list[Page] = []
    seen: set[str] = set()
    for kind, where in order:
        links = feeds.get(where, []) if kind == "feedfile" or outcomes[where].kind == "feed" else [where]
        if kind == "url" and outcomes[where].kind == "" and where not in seen:
            seen.add(where)
            o = outcomes[where]
            skip(Skipped(where, f"{where}: {o.reason}", o.fail_kind))
            continue
        for link in links:
            if link in seen:
                continue
            seen.add(link)
            o = outcomes[link]
            if o.kind == "feed":
                skip(Skipped(link, f"{link}: a feed inside a feed; give it as a link of its own", "not-html"))
            elif o.kind:
                path = folder / o.file
                pages.append(Page(url=link, path=path, doc_id=path.stem, fetched=o.fetched,
                                  final_url=o.final_url or link))
            else:
                skip(Skipped(link, f"{link}: {o.reason}", o.fail_kind))
    return others, pages


def _feed_file_items(path: Path, intake: Intake, skip: OnSkip) -> list[str]:
    try:
        data = path.read_bytes()
    except OSError as e:
        skip(Skipped(str(path), f"{path}: cannot be read ({e.strerror or type(e).__name__}); check the file",
                     "unreadable"))
        return []
    try:
        return feed_links(data, since=intake.since)
    except ValueError as e:
        skip(Skipped(str(path), f"{path}: {e}", "not-a-feed"))
        return []


def feed_links(data: bytes, *, since: date | None = None, base: str | None = None) -> list[str]:
    """The item links of an RSS or Atom feed, in the feed's order; with `since`, items dated
    before that day are left out (an item without a date is kept). ValueError: not a feed."""
    import feedparser

    headers = {"content-location": base} if base else None
    parsed = feedparser.parse(data, response_headers=headers)
    if not parsed.get("version") and not parsed.entries:
        raise ValueError("not an RSS or Atom feed (feedparser found no feed in it); give a feed or a page")
    links, old = [], 0
    for entry in parsed.entries:
        link = (entry.get("link") or "").strip()
        if not link or _bad_url(link):
            continue
        when = entry.get("published_parsed") or entry.get("updated_parsed")
        if since is not None and when is not None and date(*when[:3]) < since:
            old += 1
            continue
        if link not in links:
            links.append(link)
    if old:
        log.info("feed: left out %d item(s) published before %s (--since)", old, since)
    return links


class _Client:
    """One connection pool for a run: per-host limits, retries with back-off, a size cap."""

    def __init__(self, intake: Intake) -> None:
        import urllib3

        self.intake = intake
        # block=True: a host never has more than per_host connections open, whatever the workers
        self.http = urllib3.PoolManager(num_pools=50, maxsize=intake.per_host, block=True,
                                        headers={"User-Agent": intake.user_agent,
                                                 "Accept": "text/html,application/xhtml+xml,application/rss+xml,"
                                                           "application/atom+xml,application/xml;q=0.9,"
                                                           "application/pdf;q=0.8,*/*;q=0.5",
                                                 "Accept-Language": "ar,en;q=0.8"})

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.http.clear()

    def resolve(self, urls: Sequence[str], manifest: dict, folder: Path, what: str = "link") -> dict[str, _Outcome]:
        """Each link's outcome: the saved page when there is one (and no refetch), else a fetch."""
        todo: list[str] = []
        done: dict[str, _Outcome] = {}
        for url in dict.fromkeys(urls):
            saved = manifest["pages"].get(url)
            if saved and not self.intake.refetch and saved["kind"] != "feed" and (folder / saved["file"]).is_file():
                done[url] = _Outcome(url, kind=saved["kind"], file=saved["file"], fetched=saved["fetched"],
                                     final_url=saved.get("final_url", url))
            else:
                todo.append(url)
        if len(done):
            log.info("reading %d saved page(s) from %s", len(done), folder)
        if todo:
            log.info("fetching %d %s(s)", len(todo), what)
            with ThreadPoolExecutor(max_workers=self.intake.workers) as pool:
                fetched = list(pool.map(lambda u: self._fetch(u, folder), todo))
            for o in fetched:
                done[o.url] = self._settle(o, manifest, folder)
        return done

    def _settle(self, o: _Outcome, manifest: dict, folder: Path) -> _Outcome:
        """Record a fetch in the manifest; offline, what was saved before stands in for it."""
        before = manifest["pages"].get(o.url)
        if o.kind:
            manifest["pages"][o.url] = {"kind": o.kind, "file": o.file, "fetched": o.fetched,
                                        "final_url": o.final_url}
            manifest["failed"].pop(o.url, None)
            if o.kind == "feed":
                o.items = self._feed_items(o, folder)
            return o
        if o.unreachable and before and (folder / before["file"]).is_file():
            log.info("%s: %s; reading the copy saved on %s", o.url, o.reason.split(";")[0], before["fetched"])
            kept = _Outcome(o.url, kind=before["kind"], file=before["file"], fetched=before["fetched"],
                            final_url=before.get("final_url", o.url))
            if kept.kind == "feed":
                kept.items = self._feed_items(kept, folder)
            return kept
        if o.unreachable and o.url in manifest["failed"]:
            said = manifest["failed"][o.url]
            return _Outcome(o.url, reason=said["reason"], fail_kind=said["kind"])
        manifest["failed"][o.url] = {"reason": o.reason, "kind": o.fail_kind}
        return o

    def _feed_items(self, o: _Outcome, folder: Path) -> list[str]:
        try:
            return feed_links((folder / o.file).read_bytes(), since=self.intake.since, base=o.final_url or o.url)
        except (OSError, ValueError) as e:
            o.kind, o.reason, o.fail_kind = "", f"{e}", "not-a-feed"
            return []

    def _fetch(self, url: str, folder: Path) -> _Outcome:
        import urllib3
        from urllib3.exceptions import (
            HTTPError,
            MaxRetryError,
            NewConnectionError,
            ProtocolError,
        )
        from urllib3.exceptions import TimeoutError as UrlTimeout

        intake = self.intake
        # no total: redirects (up to 5) must not use up the tries a timeout or a 503 gets
        retry = urllib3.Retry(total=None, connect=intake.retries, read=intake.retries, status=intake.retries,
                              other=intake.retries, redirect=5, backoff_factor=intake.backoff, backoff_max=10,
                              status_forcelist=_RETRY_STATUS, raise_on_status=False, retry_after_max=30)
        timeout = urllib3.Timeout(connect=intake.timeout, read=intake.timeout)
        tries = intake.retries + 1
        try:
            resp = self.http.request("GET", url, retries=retry, timeout=timeout, preload_content=False)
        except MaxRetryError as e:
            cause = e.reason
            if isinstance(cause, UrlTimeout):
                return _Outcome(url, reason=f"timed out after {intake.timeout:g} s ({tries} tries); try again "
                                            "later, or allow more with --timeout", fail_kind="timeout",
                                unreachable=isinstance(cause, urllib3.exceptions.ConnectTimeoutError))
            if isinstance(cause, urllib3.exceptions.ResponseError) and "redirect" in str(cause):
                return _Outcome(url, reason="too many redirects; open it in a browser and give the final link",
                                fail_kind="http-error")
            return _Outcome(url, reason=f"cannot connect ({_short(cause)}); check the link and the network",
                            fail_kind="unreachable", unreachable=isinstance(cause, (NewConnectionError, OSError)))
        except (HTTPError, OSError) as e:
            return _Outcome(url, reason=f"cannot fetch ({_short(e)}); check the link and the network",
                            fail_kind="unreachable", unreachable=True)
        try:
            return self._read(url, resp, folder)
        except (UrlTimeout, ProtocolError, HTTPError, OSError) as e:
            return _Outcome(url, reason=f"the connection broke while reading ({_short(e)}); try again later",
                            fail_kind="timeout" if isinstance(e, UrlTimeout) else "unreachable")
        finally:
            resp.release_conn()

    def _read(self, url: str, resp, folder: Path) -> _Outcome:
        intake = self.intake
        if resp.status >= 400:
            again = f" after {intake.retries + 1} tries; try again later" if resp.status in _RETRY_STATUS else \
                "; check the link"
            return _Outcome(url, reason=f"HTTP {resp.status} {resp.reason or ''}".rstrip() + again,
                            fail_kind="http-error")
        ctype = (resp.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        length = resp.headers.get("Content-Length")
        limit = f"over the {intake.max_bytes / 1e6:g} MB limit for one page"
        if length and length.isdigit() and int(length) > intake.max_bytes:
            return _Outcome(url, reason=f"{int(length) / 1e6:.1f} MB, {limit}; save the article's text "
                                        "and give the file", fail_kind="too-large")
        body = bytearray()
        start = time.monotonic()
        for chunk in resp.stream(65536):
            body += chunk
            if len(body) > intake.max_bytes:
                return _Outcome(url, reason=f"{limit}; save the article's text and give the file",
                                fail_kind="too-large")
            # a page that trickles in is a timeout too: the read timeout counts one read at a time
            if time.monotonic() - start > 3 * intake.timeout:
                return _Outcome(url, reason=f"still arriving after {3 * intake.timeout:g} s; try again later, "
                                            "or allow more with --timeout", fail_kind="timeout")
        data = bytes(body)
        kind = _kind(ctype, data)
        if kind is None:
            shown = ctype or "no content type"
            return _Outcome(url, reason=f"not a web page ({shown}); give the link of the article's page, "
                                        "or save the file and give its path", fail_kind="not-html")
        if not data.strip():
            return _Outcome(url, reason="an empty page; check the link", fail_kind="empty")
        if kind == "html":
            data = _as_utf8(data, resp.headers.get("Content-Type") or "")
        name = page_name(url, kind)
        _write(folder / name, data)
        fetched = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        final = url
        for step in (resp.retries.history if resp.retries else ()):
            if step.redirect_location:          # a Location may be relative to the page before
                final = urljoin(final, step.redirect_location)
        return _Outcome(url, kind=kind, file=name, fetched=fetched, final_url=final)


def _kind(ctype: str, data: bytes) -> str | None:
    """What a response holds: "html", "feed", "pdf", "docx", "odt", or None (not something to read)."""
    head = data[:2048].lstrip().lower()
    feedish = re.search(rb"<(rss|feed|rdf:rdf)[\s>]", head) is not None
    htmlish = re.search(rb"<!doctype html|<html[\s>]|<head[\s>]|<body[\s>]", head) is not None
    if data.startswith(b"%PDF-") or ctype == "application/pdf":
        return "pdf"
    if ctype == _DOCX:
        return "docx"
    if ctype == _ODT:
        return "odt"
    if ctype in _FEED_TYPES or (feedish and ctype in ("", "text/plain", "application/octet-stream")):
        return "feed" if feedish else ("html" if htmlish else None)
    if ctype in _HTML_TYPES:
        return "feed" if feedish and not htmlish else "html"
    if ctype in ("", "text/plain", "application/octet-stream") and htmlish:
        return "html"
    return None


def _as_utf8(data: bytes, content_type: str) -> bytes:
    """A page in the charset its Content-Type names, as UTF-8 (ingest then reads it as it reads a
    file; it detects UTF-8, UTF-16 and Windows-1256 by itself)."""
    m = re.search(r"charset=[\"']?([\w.:-]+)", content_type, re.IGNORECASE)
    if not m or m.group(1).lower().replace("_", "-") in ("utf-8", "utf8"):
        return data
    try:
        data.decode("utf-8")
        return data
    except UnicodeDecodeError:
        pass
    try:
        return data.decode(m.group(1)).encode("utf-8")
    except (LookupError, UnicodeDecodeError):
        return data


def _short(e: object) -> str:
    text = str(e)
    m = re.search(r"(\[Errno [^\]]+\][^')\"]*|Connection refused|Name or service not known|"
                  r"certificate verify failed[^')\"]*|timed out)", text)
    return (m.group(1) if m else type(e).__name__).strip()


def _write(path: Path, data: bytes) -> None:
    from .report.files import atomic_write  # an interrupted run leaves no half page

    try:
        atomic_write(path, data)
    except OSError as e:
        raise InputError(f"{path}: cannot save the fetched page ({e.strerror or type(e).__name__}); "
                         "give a folder you can write to with --save-pages") from None


def _load_manifest(folder: Path) -> dict:
    path = folder / MANIFEST
    empty = {"format": 1, "pages": {}, "failed": {}}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return empty
    except (OSError, ValueError) as e:
        log.warning("%s: cannot be read (%s); fetching every link again", path, type(e).__name__)
        return empty
    if not isinstance(data, dict) or not isinstance(data.get("pages"), dict):
        return empty
    data.setdefault("failed", {})
    return data


def _save_manifest(folder: Path, manifest: dict) -> None:
    text = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    _write(folder / MANIFEST, text.encode("utf-8"))
