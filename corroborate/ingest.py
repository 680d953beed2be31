"""Ingest stage: article files (.txt, .md, .html, .jsonl) -> Document."""

from __future__ import annotations

import hashlib
import html
import json
import logging
import re
import stat
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from .errors import InputError
from .metadata import extract_metadata
from .model import Document, Offsets, Skipped, TextView

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

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


OnSkip = Callable[[Skipped], None]

# A file that fails to decode as UTF-8 is UTF-8 with a few damaged bytes when fewer than this
# share of its non-ASCII bytes are invalid UTF-8, else it is tried as Windows-1256. Measured on
# 300 Baly fold-1 articles: encoded as cp1256, 100% of their non-ASCII bytes are invalid UTF-8
# (Arabic letters are lone lead bytes); as UTF-8 with 5 bytes overwritten, at most 1.6% are.
DAMAGED_UTF8_SHARE = 0.5
_ESCAPED = re.compile(r"[\udc80-\udcff]")      # bytes surrogateescape could not decode


def read_inputs(paths: str | Path | Sequence[str | Path], *, encoding: str | None = None,
                on_note: Callable[[str], None] | None = None, on_skip: OnSkip | None = None,
                recursive: bool = True, progress: bool = False) -> tuple[list[Document], list[Skipped]]:
    """Read every article under `paths` (files or folders); return documents and skipped inputs.

    `iter_inputs` reads them; this collects what it yields and what it skips.
    """
    skipped: list[Skipped] = []

    def skip(item: Skipped) -> None:
        skipped.append(item)
        if on_skip:
            on_skip(item)

    docs = list(iter_inputs(paths, encoding=encoding, on_note=on_note, on_skip=skip, recursive=recursive,
                            progress=progress))
    return docs, skipped


def iter_inputs(paths: str | Path | Sequence[str | Path], *, encoding: str | None = None,
                on_note: Callable[[str], None] | None = None, on_skip: OnSkip | None = None,
                recursive: bool = True, progress: bool = False) -> Iterator[Document]:
    """Yield the articles under `paths` (files or folders) one file at a time, as each is read.

    Folders are read recursively (not with `recursive=False`) in the order of their paths;
    names starting with "." are ignored, other files that are not articles are skipped with
    a reason. Inside a folder, a document's id is its path below that folder without the
    extension (`2024/a`). `encoding` overrides detection (UTF-8, UTF-8 with a few damaged
    bytes, UTF-8 BOM, UTF-16 with or without BOM, Windows-1256). `on_note` receives
    non-fatal remarks (e.g. HTML found inside a .txt file); `on_skip` receives each skipped
    input as soon as it is found (a file with the bytes of an earlier one, or its id, is
    skipped: only hashes and ids are remembered). A file is read when the previous one's
    documents have been taken, so a caller that lets each go holds one file at a time.
    `progress` shows a bar over the files on stderr (from 50 files: HTML extraction takes
    tens of milliseconds a page).
    """
    from tqdm.auto import tqdm

    if isinstance(paths, (str, Path)):
        paths = [paths]
    skip = on_skip or (lambda item: None)
    seen: dict[str, Path] = {}
    ids: dict[str, Path] = {}
    files = _expand(paths, skip, recursive)
    for path, doc_id in tqdm(files, desc="reading", unit="file", leave=False,
                             disable=not progress or len(files) < 50):
        try:
            if doc_id in ids:
                raise _Skip(f"{path}: has the same id «{doc_id}» as {ids[doc_id]} (same name "
                            "without extension); rename one of them", "id-clash")
            data = _read_bytes(path)
            digest = hashlib.sha256(data).hexdigest()
            if digest in seen:
                raise _Skip(f"{path}: duplicate of {seen[digest]} (same bytes)", "duplicate")
            seen[digest] = path
            text, used = _decode(path, data, encoding)
            del data
            ids[doc_id] = path
            found = _parse(path, doc_id, text, used, skip, on_note)
        except _Skip as e:
            skip(Skipped(str(path), str(e), e.kind))
            continue
        yield from found


def nothing_read(skipped: Sequence[Skipped], *, shown: int = 3) -> str:
    """The one message for a run in which no article could be read: what was found and why."""
    if not skipped:
        return "No article could be read: no inputs given. Name article files or folders, e.g. seeds/."
    folders = [s for s in skipped if s.kind == "no-articles"]
    first = folders or list(skipped)
    reasons = "; ".join(s.reason for s in first[:shown])
    rest = len(skipped) - min(len(first), shown)
    return "No article could be read: " + reasons + (f" (and {rest} more, listed above)" if rest else "")


def load_documents(paths: str | Path | Sequence[str | Path], *, encoding: str | None = None,
                   recursive: bool = True) -> list[Document]:
    """Like `read_inputs`, but log skipped inputs (warnings) and fail when nothing was read."""
    docs, skipped = read_inputs(paths, encoding=encoding, on_note=log.info, recursive=recursive,
                                on_skip=lambda s: log.warning("skipped %s", s.reason))
    if not docs:
        raise InputError(nothing_read(skipped))
    return docs


def _unsupported(path: Path) -> Skipped:
    return Skipped(str(path), f"{path}: unsupported type '{path.suffix or '(none)'}'; convert to "
                              ".txt/.html (articles are read from .txt, .md, .html, .htm, .jsonl)",
                   "unsupported")


def _expand(paths: Sequence[str | Path], skip: OnSkip, recursive: bool) -> list[tuple[Path, str]]:
    """(file, document id) for every article file under `paths`; other inputs go to `skip`."""
    files: list[tuple[Path, str]] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files.extend(_walk(p, skip, recursive))
        elif not p.exists():
            skip(Skipped(str(p), f"{p}: no such file or folder; check the path", "missing"))
        elif p.suffix.lower() not in ARTICLE_EXT:
            skip(_unsupported(p))
        else:
            files.append((p, p.stem))
    return files


def _walk(root: Path, skip: OnSkip, recursive: bool) -> list[tuple[Path, str]]:
    """Article files below `root`, ordered by their path; each folder is entered once."""
    found: list[tuple[Path, str]] = []
    others: Counter[str] = Counter()
    folders_left = 0
    visited: set[tuple[int, int]] = set()
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            st = folder.stat()
            if (st.st_dev, st.st_ino) in visited:       # a link back up the tree
                continue
            visited.add((st.st_dev, st.st_ino))
            entries = sorted(folder.iterdir(), key=lambda c: c.name)
        except OSError as e:
            skip(Skipped(str(folder), f"{folder}: cannot list this folder ({_why(e)}); give your "
                                      "user read access (chmod a+rx) or leave it out", "unreadable"))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue                 # .git, .DS_Store, editor files: not the user's articles
            try:
                is_dir = entry.is_dir()
            except OSError as e:
                skip(Skipped(str(entry), f"{entry}: cannot be read ({_why(e)}); give your user "
                                         "read access or leave it out", "unreadable"))
                continue
            if is_dir:
                if recursive:
                    pending.append(entry)
                else:
                    folders_left += 1
            elif entry.suffix.lower() in ARTICLE_EXT:
                found.append((entry, entry.relative_to(root).with_suffix("").as_posix()))
            else:
                others[entry.suffix.lower() or "(no extension)"] += 1
                skip(_unsupported(entry))
    if not found:
        what = ", ".join(f"{n} {ext}" for ext, n in sorted(others.items())) or "no files"
        if folders_left:
            what += f" and {folders_left} sub-folder(s), not read because of --no-recursive"
        skip(Skipped(str(root), f"{root}: no article files here{' or below' if recursive else ''} "
                                f"(found {what}); corroborate reads .txt, .md, .html, .htm and "
                                ".jsonl files", "no-articles"))
    return sorted(found, key=lambda f: f[1])


def _why(e: OSError) -> str:
    return "permission denied" if isinstance(e, PermissionError) else (e.strerror or type(e).__name__)


def _read_bytes(path: Path) -> bytes:
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            raise _Skip(f"{path}: not a regular file (a pipe, socket or device); save the article "
                        "to a .txt or .html file", "not-file")
        if st.st_size > MAX_BYTES:
            raise _Skip(f"{path}: {st.st_size / 1e6:.0f} MB is over the {MAX_BYTES // 1_000_000} MB "
                        "limit for one article file; split it (e.g. one article per line in a "
                        ".jsonl file)", "too-large")
        data = path.read_bytes()
    except OSError as e:
        fix = ("give your user read access (e.g. chmod a+r) or copy the file somewhere readable"
               if isinstance(e, PermissionError) else "check the file or leave it out")
        raise _Skip(f"{path}: cannot be read ({_why(e)}); {fix}", "unreadable") from None
    if not data.strip():
        raise _Skip(f"{path}: empty file", "empty")
    return data


def _decode(path: Path, data: bytes, encoding: str | None) -> tuple[str, str]:
    if encoding:
        enc = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
        try:
            return data.decode(enc), encoding
        except (UnicodeDecodeError, LookupError) as e:
            raise _Skip(f"{path}: cannot be decoded as {encoding} ({e.__class__.__name__}); "
                        "retry with another --encoding (e.g. utf-8, cp1256, utf-16)", "undecodable") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise _Skip(f"{path}: has a UTF-16 mark but is not valid UTF-16; re-save it as UTF-8",
                        "undecodable") from None
    head = data[:8192]
    if b"\x00" in head:
        found = _utf16_without_bom(data)
        if found:
            return found
    controls = sum(b < 9 or 13 < b < 32 for b in head)
    if b"\x00" in head or controls > len(head) * 0.05:
        raise _Skip(f"{path}: binary file, not text; give the article as .txt, .html or .jsonl "
                    "(if it is UTF-16 text without a byte-order mark, retry with "
                    "--encoding utf-16-le)", "binary")
    try:
        return data.decode("utf-8-sig"), "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    except UnicodeDecodeError as e:
        bad = e.start
    escaped = data.decode("utf-8", errors="surrogateescape")
    invalid = _ESCAPED.findall(escaped)
    non_ascii = sum(b >= 0x80 for b in data)
    if len(invalid) < DAMAGED_UTF8_SHARE * non_ascii:
        positions = _byte_positions(escaped)
        shown = ", ".join(map(str, positions[:5])) + (", …" if len(positions) > 5 else "")
        log.warning("%s: %d byte(s) are not valid UTF-8 (at byte %s); read them as the "
                    "replacement character \ufffd (if the file is in another encoding, retry "
                    "with --encoding)", path, len(positions), shown)
        enc = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
        return data.decode(enc, errors="replace"), f"{enc} ({len(positions)} bytes replaced)"
    # Arabic exports from Windows tools are usually Windows-1256; accept that only when the
    # result reads as Arabic, so a Latin-1 or broken file is not silently turned into mojibake.
    text = data.decode("cp1256", errors="replace")
    arabic, latin = len(_ARABIC.findall(text)), len(_LATIN.findall(text))
    if "\ufffd" not in text and arabic > max(20, latin):
        return text, "cp1256"
    raise _Skip(f"{path}: not valid UTF-8 (byte {bad}). Arabic exports are often Windows-1256: "
                "retry with --encoding cp1256 (or the file's real encoding)", "undecodable")


def _byte_positions(escaped: str) -> list[int]:
    """File offsets of the bytes that `surrogateescape` turned into lone surrogates."""
    positions, pos, last = [], 0, 0
    for m in _ESCAPED.finditer(escaped):
        pos += len(escaped[last:m.start()].encode("utf-8"))
        positions.append(pos)
        pos += 1
        last = m.end()
    return positions


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text without a byte-order mark, told by its zero bytes: (text, encoding) or None.

    Arabic or English UTF-16 has a zero high byte for every space, digit and Latin letter
    (Arabic letters have 0x06), and almost never a zero low byte: nearly all zeros sit on one
    side of each byte pair. The text must then decode strictly and read as text.
    """
    if len(data) % 2:
        return None
    head = data[:8192]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if max(even, odd) < 0.05 * len(head) / 2 or min(even, odd) > 0.01 * len(head) / 2:
        return None
    enc = "utf-16-le" if odd > even else "utf-16-be"
    try:
        text = data.decode(enc)
    except UnicodeDecodeError:
        return None
    plain = sum(ch.isalnum() or ch.isspace() or ch in ".,;:!?،؛؟\"'«»()-–—/" for ch in text[:4096])
    return (text, enc) if plain >= 0.9 * min(len(text), 4096) else None


def _looks_like_html(text: str) -> bool:
    return bool(_HTML_SNIFF.search(text[:2000])) or (
        text.lstrip().startswith("<") and len(re.findall(r"</(?:p|div|span|a|li|h\d)>", text, re.I)) >= 3)


def _parse(path: Path, doc_id: str, text: str, enc: str, skip: OnSkip,
           on_note: Callable[[str], None] | None) -> list[Document]:
    ext = path.suffix.lower()
    if ext == ".jsonl":
        return _parse_jsonl(path, doc_id, text, enc, skip)
    if ext in TEXT_EXT and _looks_like_html(text):
        if on_note:
            on_note(f"note: {path} holds HTML, not plain text; reading it as HTML "
                    "(rename it to .html to silence this note)")
        ext = ".html"
    if ext in HTML_EXT:
        return [_parse_html(path, doc_id, text, enc)]
    meta = extract_metadata(text)
    return [Document(id=doc_id, text=text, path=path, encoding=enc, **meta_fields(meta))]


def meta_fields(meta: dict) -> dict:
    """The Document keyword arguments held in an `extract_metadata` result."""
    return {"title": meta.get("title"), "outlet": meta.get("outlet"), "published": meta.get("published"),
            "cited_sources": tuple(meta.get("cited_sources") or ())}


def _parse_jsonl(path: Path, doc_id: str, text: str, enc: str, skip: OnSkip) -> list[Document]:
    docs = []
    bad = 0
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            skip(Skipped(where, f"{where}: not valid JSON ({e.msg}); fix or remove that line", "bad-line"))
            bad += 1
            continue
        if not isinstance(row, dict) or not isinstance(row.get("text"), str) or not row["text"].strip():
            skip(Skipped(where, f"{where}: needs a non-empty \"text\" field; fix or remove that line",
                         "bad-line"))
            bad += 1
            continue
        hint = {k: row.get(k) for k in ("title", "outlet", "published") if isinstance(row.get(k), str)}
        meta = extract_metadata(row["text"], hint=hint)
        url = row.get("url") if isinstance(row.get("url"), str) else None
        docs.append(Document(id=f"{doc_id}-{n}", text=row["text"], path=path, url=url, encoding=enc,
                             **meta_fields(meta)))
    if not docs and not bad:
        skip(Skipped(str(path), f"{path}: no articles in this .jsonl file", "empty"))
    return docs


def _parse_html(path: Path, doc_id: str, raw: str, enc: str) -> Document:
    import trafilatura  # slow import: only when there is HTML to read

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
    return Document(id=doc_id, text=raw, path=path, url=url, encoding=enc, view=view, **meta_fields(meta))


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
    offsets.append(end)
    return TextView(text=text, offsets=Offsets(offsets))
