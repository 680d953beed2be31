"""Ingest stage: article files (.txt, .md, .html, .jsonl, .pdf, .docx, .odt) and links -> Document."""

from __future__ import annotations

import codecs
import errno
import hashlib
import html
import json
import logging
import os
import re
import stat
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path, PurePosixPath

from . import fetch, formats
from .errors import InputError
from .fetch import Intake
from .metadata import extract_metadata
from .model import Document, Offsets, Skipped, TextView

log = logging.getLogger(__name__)

MAX_BYTES = 20_000_000         # one article (a file, or one line of a .jsonl pile)
MAX_PILE_BYTES = 4_000_000_000  # a .jsonl pile: a week of a country's press is ~45 MB
TEXT_EXT = {".txt", ".md"}
HTML_EXT = {".html", ".htm"}
ARTICLE_EXT = TEXT_EXT | HTML_EXT | {".jsonl"} | formats.EXTENSIONS     # .pdf, .docx, .odt: formats.py

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
                recursive: bool = True, progress: bool = False,
                intake: Intake | None = None) -> tuple[list[Document], list[Skipped]]:
    """Read every article under `paths` (files or folders); return documents and skipped inputs.

    `iter_inputs` reads them; this collects what it yields and what it skips.
    """
    skipped: list[Skipped] = []

    def skip(item: Skipped) -> None:
        skipped.append(item)
        if on_skip:
            on_skip(item)

    docs = list(iter_inputs(paths, encoding=encoding, on_note=on_note, on_skip=skip, recursive=recursive,
                            progress=progress, intake=intake))
    return docs, skipped


def iter_inputs(paths: str | Path | Sequence[str | Path], *, encoding: str | None = None,
                on_note: Callable[[str], None] | None = None, on_skip: OnSkip | None = None,
                recursive: bool = True, progress: bool = False,
                intake: Intake | None = None) -> Iterator[Document]:
    """Yield the articles under `paths` (files, folders, links) one file at a time, as each is read.

    Links (http:// or https://, in `paths` or in `intake.url_lists`) and feeds are fetched
    first (`fetch.gather`) and read after the files and folders, from the pages saved in
    `intake.pages` (default `Intake()`), as an .html file is, with their link and fetch time;
    a PDF or Word file's text (`formats.extract`) is saved there too and read as a .txt file.

    Folders are read recursively (not with `recursive=False`) in the order of their paths;
    hidden article files («.name.txt») are skipped by name, hidden folders named in a note,
    other files that are not articles skipped with a reason. Ids follow `assign_ids`: a
    file's name without its extension, inside a folder its path below that folder (`2024/a`),
    told apart when two inputs would share one. `encoding` overrides detection (UTF-8, UTF-8
    with a few damaged bytes, UTF-8 BOM, UTF-16 with or without BOM, Windows-1256); an
    encoding Python does not know raises `InputError` before anything is read. `on_note`
    (default: this module's log, INFO) receives non-fatal remarks (e.g. HTML found inside a
    .txt file); `on_skip` receives each skipped input as soon as it is found: a file with the
    bytes of an earlier one, and a document with the text of an earlier one (`text_key`: in
    another encoding, line-end style or container) of the same outlet or where either names
    none. The same text under two outlets is a reprint, kept for the origins stage to judge.
    Only hashes and ids are remembered. A file is read when the previous one's documents
    have been taken, so a caller that lets each go holds one file at a time. `progress`
    shows a bar over the files on stderr (from 50 files: HTML extraction takes tens of
    milliseconds a page).
    """
    from tqdm.auto import tqdm

    if isinstance(paths, (str, Path)):
        paths = [paths]
    if encoding:
        check_encoding(encoding)
    skip = on_skip or (lambda item: None)
    note = on_note or log.info
    seen: dict[str, Path] = {}
    texts: dict[bytes, list[tuple[str | None, str]]] = {}     # text key -> (outlet, where) kept
    ids: dict[str, str] = {}
    intake = intake or Intake()
    paths, pages = fetch.gather(paths, intake, skip)
    web = {page.path: page for page in pages}
    files = _expand(paths, skip, recursive, note) + [(page.path, page.doc_id) for page in pages]
    for path, doc_id in tqdm(files, desc="reading", unit="file", leave=False,
                             disable=not progress or len(files) < 50):
        try:
            data = _read_bytes(path)
            digest = hashlib.sha256(data).hexdigest()
            if digest in seen:
                raise _Skip(f"{path}: duplicate of {seen[digest]} (same bytes)", "duplicate")
            seen[digest] = path
            if path.suffix.lower() in formats.EXTENSIONS:
                found = _parse_document(path, doc_id, data, intake.pages)
            else:
                text, used = _decode(path, data, encoding)
                del data
                found = _parse(path, doc_id, text, used, skip, note)
            if path in web:
                page = web[path]
                found = [(replace(doc, url=page.url, fetched=page.fetched), page.url) for doc, _ in found]
        except _Skip as e:
            skip(Skipped(str(path), str(e), e.kind))
            continue
        for doc, where in found:
            if doc.id in ids:
                # only a .jsonl line's id ("x-1") can still meet a file's ("x-1.txt")
                skip(Skipped(where, f"{where}: has the same id «{doc.id}» as {ids[doc.id]}; rename "
                                    "one of them", "id-clash"))
                continue
            key = text_key(doc.body)
            kept = texts.setdefault(key, []) if key is not None else []
            first = next((w for outlet, w in kept if outlet is None or doc.outlet is None
                          or outlet == doc.outlet), None)
            if first is not None:
                skip(Skipped(where, f"{where}: same text as {first} in another encoding/line-end "
                                    "style/container; read once", "duplicate"))
                continue
            kept.append((doc.outlet, where))
            ids[doc.id] = where
            yield doc


def text_key(text: str) -> bytes | None:
    """What two documents with the same text share whatever their file: a hash of the text in
    NFC with the byte-order mark dropped and every run of whitespace (line ends included) one
    space; None for a text with nothing in it."""
    folded = " ".join(unicodedata.normalize("NFC", text).replace("\ufeff", "").split())
    return hashlib.sha256(folded.encode("utf-8")).digest() if folded else None


def check_encoding(encoding: str) -> None:
    """Raise `InputError` unless `encoding` is a text encoding Python knows (e.g. cp1256)."""
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}; give one Python knows, e.g. utf-8, cp1256, "
                         "utf-16 (or leave --encoding out to detect it)") from None
    if not getattr(info, "_is_text_encoding", True):          # rot13, base64, zlib ...
        raise InputError(f"{encoding!r} is not a text encoding; give one such as utf-8, cp1256 "
                         "or utf-16") from None


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
                   recursive: bool = True, intake: Intake | None = None) -> list[Document]:
    """Like `read_inputs`, but log skipped inputs (warnings) and fail when nothing was read."""
    docs, skipped = read_inputs(paths, encoding=encoding, on_note=log.info, recursive=recursive,
                                on_skip=lambda s: log.warning("skipped %s", s.reason), intake=intake)
    if not docs:
        raise InputError(nothing_read(skipped))
    return docs


def _unsupported(path: Path) -> Skipped:
    return Skipped(str(path), f"{path}: unsupported type '{path.suffix or '(none)'}'; convert to "
                              ".txt/.html (articles are read from .txt, .md, .html, .htm, .jsonl, "
                              ".pdf, .docx, .odt)", "unsupported")


def _link_trouble(path: Path) -> Skipped | None:
    """Why a symbolic link cannot be followed (a loop, a missing target), or None when it can."""
    if not path.is_symlink():
        return None
    try:
        path.stat()
    except OSError as e:
        if e.errno == errno.ELOOP:
            return Skipped(str(path), f"{path}: a symbolic link that leads back to itself (a loop); "
                                      "remove it or point it at an article or a folder", "link-loop")
        return Skipped(str(path), f"{path}: a broken symbolic link (its target {os.readlink(path)} "
                                  "does not exist); fix the link or remove it", "missing")
    return None


def _expand(paths: Sequence[str | Path], skip: OnSkip, recursive: bool,
            note: Callable[[str], None]) -> list[tuple[Path, str]]:
    """(file, document id) for every article file under `paths`; other inputs go to `skip`."""
    units: list[tuple[Path, Path, str]] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            units.extend((f, p, rel) for f, rel in _walk(p, skip, recursive, note))
        elif (trouble := _link_trouble(p)) is not None:
            skip(trouble)
        elif not p.exists():
            skip(Skipped(str(p), f"{p}: no such file or folder; check the path", "missing"))
        elif p.suffix.lower() not in ARTICLE_EXT:
            skip(_unsupported(p))
        else:
            units.append((p, p.parent, p.name))
    return assign_ids(units, skip)


def assign_ids(units: Sequence[tuple[Path, Path, str]], skip: OnSkip | None = None) -> list[tuple[Path, str]]:
    """A unique document id for each (file, base, name below base) found under the given paths.

    `base` is the given folder, or a given file's folder. An id is the name below `base` with
    `/` and without the extension (`2024/a`); two files that would share one are told apart,
    so no article is dropped for its name:

    - in one folder, `x.txt` beside `x.html` (or `x.jsonl`) keep their extensions: `x.txt`, `x.html`;
    - across given paths (`analyze a b`, both holding `article1.txt`), every id of each
      clashing path starts with that path's folder name (`a/article1`, `b/article1`), or with
      more of its path when the names are equal (`x/news/…`, `y/news/…`). Ids of a path that
      clashes with no other stay as they are.

    The same file reached twice (given twice, a folder and a file in it, a link to a file of
    the folder) is read once; the later one goes to `skip`.
    """
    first: dict[Path, Path] = {}
    kept: list[tuple[Path, Path, str]] = []
    shown: dict[Path, Path] = {}
    for file, base, rel in units:
        try:
            real = file.resolve()
        except (OSError, RuntimeError):          # a loop further up: this path is its own
            real = file.absolute()
        if real in first:
            if skip:
                skip(Skipped(str(file), f"{file}: the same file as {first[real]}; read once", "duplicate"))
            continue
        first[real] = file
        kept.append((file, base.resolve(), rel))
        # a folder is named as it was given (`latest/`, not the folder a link points to)
        shown.setdefault(base.resolve(), Path(os.path.abspath(base)))
    stems = [PurePosixPath(rel).with_suffix("").as_posix() for _, _, rel in kept]
    per_folder = Counter((base, stem) for (_, base, _), stem in zip(kept, stems))
    ids = [rel if per_folder[(base, stem)] > 1 else stem for (_, base, rel), stem in zip(kept, stems)]
    owners: defaultdict[str, set[Path]] = defaultdict(set)
    for (_, base, _), doc_id in zip(kept, ids):
        owners[doc_id].add(base)
    clashing = sorted({b for bases in owners.values() if len(bases) > 1 for b in bases})
    if clashing:
        names = {b: shown[b].parts[1:] or (shown[b].anchor,) for b in clashing}
        depth = 1
        while len({names[b][-depth:] for b in clashing}) < len(clashing) and \
                any(len(n) > depth for n in names.values()):
            depth += 1
        prefix = {b: "/".join(names[b][-depth:]) for b in clashing}
        ids = [f"{prefix[base]}/{doc_id}" if base in prefix else doc_id
               for (_, base, _), doc_id in zip(kept, ids)]
    return [(file, doc_id) for (file, _, _), doc_id in zip(kept, ids)]


def _walk(root: Path, skip: OnSkip, recursive: bool, note: Callable[[str], None]) -> list[tuple[Path, str]]:
    """(file, its path below `root`) for the article files below `root`, ordered by path
    without extension; each folder is entered once."""
    found: list[tuple[Path, str]] = []
    others: Counter[str] = Counter()
    folders_left = 0
    hidden_folders: list[str] = []
    visited: set[tuple[int, int]] = set()
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            st = folder.stat()
            if (st.st_dev, st.st_ino) in visited:       # a link back up the tree
                if folder != root:
                    note(f"note: {folder} links to {folder.resolve()}, a folder already read; "
                         "its articles are read once")
                continue
            visited.add((st.st_dev, st.st_ino))
            entries = sorted(folder.iterdir(), key=lambda c: c.name)
        except OSError as e:
            skip(Skipped(str(folder), f"{folder}: cannot list this folder ({_why(e)}); give your "
                                      "user read access (chmod a+rx) or leave it out", "unreadable"))
            continue
        for entry in entries:
            trouble = _link_trouble(entry)
            if trouble is not None:
                skip(trouble)
                continue
            try:
                is_dir = entry.is_dir()
            except OSError as e:
                skip(Skipped(str(entry), f"{entry}: cannot be read ({_why(e)}); give your user "
                                         "read access or leave it out", "unreadable"))
                continue
            if entry.name.startswith("."):
                # .git, .DS_Store, editor files are not the user's articles; an article that is
                # hidden («.draft.txt») is named, as a folder of them is, never passed over silently
                if is_dir:
                    hidden_folders.append(entry.relative_to(root).as_posix())
                elif entry.suffix.lower() in ARTICLE_EXT:
                    skip(Skipped(str(entry), f"{entry}: hidden file (its name starts with «.»), not "
                                             "read; rename it without the dot to analyze it, or "
                                             "give it by name", "hidden"))
                continue
            if is_dir:
                if recursive:
                    pending.append(entry)
                else:
                    folders_left += 1
            elif entry.suffix.lower() in ARTICLE_EXT:
                found.append((entry, entry.relative_to(root).as_posix()))
            else:
                others[entry.suffix.lower() or "(no extension)"] += 1
                skip(_unsupported(entry))
    if hidden_folders:
        note(f"note: {root}: hidden folder(s) not read: {', '.join(sorted(hidden_folders))} "
             "(give one by name to read it)")
    if not found:
        what = ", ".join(f"{n} {ext}" for ext, n in sorted(others.items())) or "no files"
        if folders_left:
            what += f" and {folders_left} sub-folder(s), not read because of --no-recursive"
        skip(Skipped(str(root), f"{root}: no article files here{' or below' if recursive else ''} "
                                f"(found {what}); corroborate reads .txt, .md, .html, .htm, "
                                ".jsonl, .pdf, .docx and .odt files", "no-articles"))
    return sorted(found, key=lambda f: (PurePosixPath(f[1]).with_suffix("").as_posix(), f[1]))


def _why(e: OSError) -> str:
    return "permission denied" if isinstance(e, PermissionError) else (e.strerror or type(e).__name__)


def _read_bytes(path: Path) -> bytes:
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            raise _Skip(f"{path}: not a regular file (a pipe, socket or device); save the article "
                        "to a .txt or .html file", "not-file")
        if path.suffix.lower() == ".jsonl":
            if st.st_size > MAX_PILE_BYTES:
                raise _Skip(f"{path}: {st.st_size / 1e9:.1f} GB is over the {MAX_PILE_BYTES // 10**9} GB "
                            "limit for one .jsonl pile; split it into several files", "too-large")
        elif st.st_size > MAX_BYTES:
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
           on_note: Callable[[str], None] | None) -> list[tuple[Document, str]]:
    """The documents of one decoded file, each with where it is (`path`, or `path:LINE`)."""
    ext = path.suffix.lower()
    if ext == ".jsonl":
        return _parse_jsonl(path, doc_id, text, enc, skip)
    if ext in TEXT_EXT and _looks_like_html(text):
        if on_note:
            on_note(f"note: {path} holds HTML, not plain text; reading it as HTML "
                    "(rename it to .html to silence this note)")
        ext = ".html"
    if ext in HTML_EXT:
        return [(_parse_html(path, doc_id, text, enc), str(path))]
    meta = extract_metadata(text)
    return [(Document(id=doc_id, text=text, path=path, encoding=enc, **meta_fields(meta)), str(path))]


def _parse_document(path: Path, doc_id: str, data: bytes, pages: Path) -> list[tuple[Document, str]]:
    """A PDF or Word file: its text (`formats.extract`) saved in `pages`, read as a .txt file is;
    the document's `path` is the saved text, which its spans index, `source_path` the file."""
    try:
        text = formats.extract(path, data)
        saved = formats.save_text(text, pages / formats.saved_name(path, data))
    except formats.FormatError as e:
        raise _Skip(str(e), e.kind) from None
    meta = extract_metadata(text)
    return [(Document(id=doc_id, text=text, path=saved, source_path=path, encoding="utf-8",
                      **meta_fields(meta)), str(path))]


def meta_fields(meta: dict) -> dict:
    """The Document keyword arguments held in an `extract_metadata` result."""
    return {"title": meta.get("title"), "outlet": meta.get("outlet"), "published": meta.get("published"),
            "published_from": meta.get("published_from"), "dateline": meta.get("dateline"),
            "cited_sources": tuple(meta.get("cited_sources") or ())}


def _parse_jsonl(path: Path, doc_id: str, text: str, enc: str, skip: OnSkip) -> list[tuple[Document, str]]:
    docs = []
    bad = 0
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        if len(line) > MAX_BYTES:       # characters, at least as many bytes
            skip(Skipped(where, f"{where}: {len(line) / 1e6:.0f} M characters is over the "
                                f"{MAX_BYTES // 1_000_000} MB limit for one article; split it", "too-large"))
            bad += 1
            continue
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
        if "title" in hint:
            # a title field copied from a feed or a page's markup keeps its character references
            # («&#8220;»: 228 of a SaudiNewsNet week's 12,650 titles); the text stays as written
            hint["title"] = html.unescape(hint["title"])
        meta = extract_metadata(row["text"], hint=hint)
        url = row.get("url") if isinstance(row.get("url"), str) else None
        docs.append((Document(id=f"{doc_id}-{n}", text=row["text"], path=path, url=url, encoding=enc,
                              **meta_fields(meta)), where))
    if not docs and not bad:
        skip(Skipped(str(path), f"{path}: no articles in this .jsonl file", "empty"))
    return docs


def _parse_html(path: Path, doc_id: str, raw: str, enc: str) -> Document:
    import trafilatura  # slow import: only when there is HTML to read
    from trafilatura.settings import set_date_params

    # htmldate's extensive search takes any year of the body for the page's date («منذ عام 2014»
    # gave 2014-01-01): only the page's markup (meta tags, JSON-LD, <time>, the URL) dates it
    extracted = trafilatura.bare_extraction(raw, with_metadata=True, include_comments=False,
                                            include_tables=False,
                                            date_extraction_params=set_date_params(extensive=False))
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
