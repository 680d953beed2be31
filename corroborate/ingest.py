"""Ingest stage: article files (.txt, .md, .html, .jsonl) -> Document."""

from __future__ import annotations

import hashlib
import html
import json
import logging
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from .errors import InputError
from .metadata import extract_metadata
from .model import Document, Skipped, TextView

log = logging.getLogger(__name__)

MAX_BYTES = 20_000_000
TEXT_EXT = {".txt", ".md"}
HTML_EXT = {".html", ".htm"}
ARTICLE_EXT = TEXT_EXT | HTML_EXT | {".jsonl"}

_HTML_SNIFF = re.compile(r"<!doctype\s+html|<html[\s>]|<body[\s>]|<head[\s>]", re.I)
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_LATIN = re.compile(r"[A-Za-z]")


class _Skip(Exception):
    """Internal: this input cannot be read; the message is the user-facing reason."""


def read_inputs(paths: str | Path | Sequence[str | Path], *, encoding: str | None = None,
                on_note: Callable[[str], None] | None = None) -> tuple[list[Document], list[Skipped]]:
    """Read every article under `paths` (files or folders); return documents and skipped inputs.

    Folders are read non-recursively in name order and only article files are taken; a file
    named explicitly with another extension is skipped with a reason. `encoding` overrides
    detection (UTF-8, UTF-8 BOM, UTF-16 BOM, Windows-1256 fallback). `on_note` receives
    non-fatal remarks (e.g. HTML found inside a .txt file).
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    docs: list[Document] = []
    skipped: list[Skipped] = []
    seen: dict[str, Path] = {}
    for path in _expand(paths, skipped):
        try:
            data = _read_bytes(path)
            digest = hashlib.sha256(data).hexdigest()
            if digest in seen:
                raise _Skip(f"{path}: duplicate of {seen[digest]} (same bytes)")
            seen[digest] = path
            text, used = _decode(path, data, encoding)
            docs.extend(_parse(path, text, used, skipped, on_note))
        except _Skip as e:
            skipped.append(Skipped(str(path), str(e)))
    return docs, skipped


def load_documents(paths: str | Path | Sequence[str | Path], *, encoding: str | None = None) -> list[Document]:
    """Like `read_inputs`, but log skipped inputs (warnings) and fail when nothing was read."""
    docs, skipped = read_inputs(paths, encoding=encoding, on_note=log.info)
    for s in skipped:
        log.warning("skipped %s", s.reason)
    if not docs:
        shown = ", ".join(str(p) for p in ([paths] if isinstance(paths, (str, Path)) else paths))
        raise InputError(f"No readable articles (.txt, .md, .html, .jsonl) in {shown}. "
                         "Point at the folder holding them, e.g. seeds/.")
    return docs


def _expand(paths: Sequence[str | Path], skipped: list[Skipped]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            # Folders often hold images and JSON sidecars next to articles: ignore those silently.
            files.extend(c for c in sorted(p.iterdir(), key=lambda c: c.name)
                         if c.is_file() and c.suffix.lower() in ARTICLE_EXT)
        elif not p.exists():
            skipped.append(Skipped(str(p), f"{p}: no such file or folder; check the path"))
        elif p.suffix.lower() not in ARTICLE_EXT:
            skipped.append(Skipped(str(p), f"{p}: unsupported file type '{p.suffix or '(none)'}'; "
                                           "give .txt, .md, .html or .jsonl articles"))
        else:
            files.append(p)
    return files


def _read_bytes(path: Path) -> bytes:
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise _Skip(f"{path}: {size / 1e6:.0f} MB is over the {MAX_BYTES // 1_000_000} MB limit for one "
                    "article file; split it (e.g. one article per line in a .jsonl file)")
    data = path.read_bytes()
    if not data.strip():
        raise _Skip(f"{path}: empty file")
    return data


def _decode(path: Path, data: bytes, encoding: str | None) -> tuple[str, str]:
    if encoding:
        enc = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
        try:
            return data.decode(enc), encoding
        except (UnicodeDecodeError, LookupError) as e:
            raise _Skip(f"{path}: cannot be decoded as {encoding} ({e.__class__.__name__}); "
                        "retry with another --encoding (e.g. utf-8, cp1256, utf-16)") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise _Skip(f"{path}: has a UTF-16 mark but is not valid UTF-16; re-save it as UTF-8") from None
    head = data[:8192]
    controls = sum(b < 9 or 13 < b < 32 for b in head)
    if b"\x00" in head or controls > len(head) * 0.05:
        raise _Skip(f"{path}: binary file, not text; give the article as .txt, .html or .jsonl")
    try:
        return data.decode("utf-8-sig"), "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    except UnicodeDecodeError as e:
        bad = e.start
    # Arabic exports from Windows tools are usually Windows-1256; accept that only when the
    # result reads as Arabic, so a Latin-1 or broken file is not silently turned into mojibake.
    text = data.decode("cp1256", errors="replace")
    arabic, latin = len(_ARABIC.findall(text)), len(_LATIN.findall(text))
    if "\ufffd" not in text and arabic > max(20, latin):
        return text, "cp1256"
    raise _Skip(f"{path}: not valid UTF-8 (byte {bad}). Arabic exports are often Windows-1256: "
                "retry with --encoding cp1256 (or the file's real encoding)")


def _looks_like_html(text: str) -> bool:
    return bool(_HTML_SNIFF.search(text[:2000])) or (
        text.lstrip().startswith("<") and len(re.findall(r"</(?:p|div|span|a|li|h\d)>", text, re.I)) >= 3)


def _parse(path: Path, text: str, enc: str, skipped: list[Skipped],
           on_note: Callable[[str], None] | None) -> list[Document]:
    ext = path.suffix.lower()
    if ext == ".jsonl":
        return _parse_jsonl(path, text, enc, skipped)
    if ext in TEXT_EXT and _looks_like_html(text):
        if on_note:
            on_note(f"note: {path} holds HTML, not plain text; reading it as HTML "
                    "(rename it to .html to silence this note)")
        ext = ".html"
    if ext in HTML_EXT:
        return [_parse_html(path, text, enc)]
    meta = extract_metadata(text)
    return [Document(id=path.stem, text=text, path=path, encoding=enc, **meta_fields(meta))]


def meta_fields(meta: dict) -> dict:
    """The Document keyword arguments held in an `extract_metadata` result."""
    return {"title": meta.get("title"), "outlet": meta.get("outlet"), "published": meta.get("published"),
            "cited_sources": tuple(meta.get("cited_sources") or ())}


def _parse_jsonl(path: Path, text: str, enc: str, skipped: list[Skipped]) -> list[Document]:
    docs = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            skipped.append(Skipped(where, f"{where}: not valid JSON ({e.msg}); fix or remove that line"))
            continue
        if not isinstance(row, dict) or not isinstance(row.get("text"), str) or not row["text"].strip():
            skipped.append(Skipped(where, f"{where}: needs a non-empty \"text\" field; fix or remove that line"))
            continue
        hint = {k: row.get(k) for k in ("title", "outlet", "published") if isinstance(row.get(k), str)}
        meta = extract_metadata(row["text"], hint=hint)
        url = row.get("url") if isinstance(row.get("url"), str) else None
        docs.append(Document(id=f"{path.stem}-{n}", text=row["text"], path=path, url=url, encoding=enc,
                             **meta_fields(meta)))
    if not docs and not any(s.path.startswith(f"{path}:") for s in skipped):
        skipped.append(Skipped(str(path), f"{path}: no articles in this .jsonl file"))
    return docs


def _parse_html(path: Path, raw: str, enc: str) -> Document:
    import trafilatura      # slow import: only when there is HTML to read

    extracted = trafilatura.bare_extraction(raw, with_metadata=True, include_comments=False,
                                            include_tables=False)
    main = (getattr(extracted, "text", None) or "") if extracted is not None else ""
    view = map_paragraphs(raw, [p for p in main.split("\n") if p.strip()])
    hint = {}
    if extracted is not None:
        hint = {"title": extracted.title, "outlet": extracted.sitename or extracted.hostname,
                "published": extracted.date}
    meta = extract_metadata(view.text, hint={k: v for k, v in hint.items() if v})
    url = getattr(extracted, "url", None) if extracted is not None else None
    return Document(id=path.stem, text=raw, path=path, url=url, encoding=enc, view=view, **meta_fields(meta))


_SKIP_ELEMENTS = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_TOKEN = re.compile(r"<[^>]*>|&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);?|\s+|[^<&\s]+", re.I)


def _visible(raw: str) -> tuple[str, list[int]]:
    """The raw HTML's visible characters, whitespace collapsed, each with its index in `raw`."""
    hidden = [(m.start(), m.end()) for m in _SKIP_ELEMENTS.finditer(raw)]
    chars: list[str] = []
    index: list[int] = []
    h = 0
    pos = 0
    while pos < len(raw):
        while h < len(hidden) and hidden[h][1] <= pos:
            h += 1
        if h < len(hidden) and hidden[h][0] <= pos:
            pos = hidden[h][1]
            continue
        m = _TOKEN.match(raw, pos)
        tok = m.group(0)
        if tok.startswith("<"):
            # A tag separates words only when it is a block/line break; inline tags glue.
            if re.match(r"</?(p|div|br|li|h\d|tr|td|section|article|header|footer|ul|ol|blockquote)\b", tok, re.I):
                if chars and chars[-1] != " ":
                    chars.append(" ")
                    index.append(pos)
        elif tok[0].isspace():
            if chars and chars[-1] != " ":
                chars.append(" ")
                index.append(pos)
        elif tok.startswith("&"):
            decoded = html.unescape(tok)
            for ch in decoded:
                chars.append(" " if ch.isspace() else ch)
                index.append(pos)
        else:
            chars.extend(tok)
            index.extend(range(pos, pos + len(tok)))
        pos = m.end()
    return "".join(chars), index


def map_paragraphs(raw: str, paragraphs: Sequence[str]) -> TextView:
    """Find each extracted paragraph in the raw HTML and build a view mapped back into it.

    Paragraphs are joined by a blank line; one that cannot be found in the raw HTML's visible
    text (an extractor rewrite) is left out rather than given made-up offsets.
    """
    visible, index = _visible(raw)
    parts: list[str] = []
    offsets: list[int] = []
    cursor = 0
    for para in paragraphs:
        target = " ".join(para.split())
        at = visible.find(target, cursor)
        if at < 0:
            at = visible.find(target)
        if at < 0:
            continue
        if parts:
            parts.append("\n\n")
            offsets.extend([offsets[-1] + 1] * 2)
        parts.append(target)
        offsets.extend(index[at:at + len(target)])
        cursor = at + len(target)
    text = "".join(parts)
    end = offsets[-1] + 1 if offsets else 0
    return TextView(text=text, offsets=tuple(offsets) + (end,))
