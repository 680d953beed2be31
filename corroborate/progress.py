"""Progress bars on stderr for the long stages (tqdm), silent unless asked for."""

from __future__ import annotations

from collections.abc import Iterable


def bar(show: bool, desc: str, unit: str, total: int | None = None, iterable: Iterable | None = None, *,
        at_least: int = 0):
    """A tqdm bar for `iterable` (or to `update` by hand); silent unless `show` and `total`
    reaches `at_least` (short work gets no bar)."""
    from tqdm.auto import tqdm

    total = total if total is not None else (len(iterable) if hasattr(iterable, "__len__") else None)
    return tqdm(iterable, desc=desc, unit=unit, total=total, leave=False,
                disable=not show or (total is not None and total < at_least))
