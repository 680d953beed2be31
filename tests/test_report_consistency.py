import dataclasses
import re
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from corroborate.analysis import Analysis
from corroborate.conflicts import find_conflicts
from corroborate.cues import conflict_cues
from corroborate.encode import CachedEncoder
from corroborate.ingest import read_inputs
from corroborate.model import (
    Claim,
    Cluster,
    Conflict,
    Document,
    Settings,
    Skipped,
    Story,
)
from corroborate.pipeline import Models, analyze
from corroborate.report.files import write_report
from corroborate.report.markdown import to_markdown
from corroborate.report.plots import outlets_figure, timeline_figure
from corroborate.report.sections import timeline_rows
from corroborate.text import lexicon

ROOT = Path(__file__).resolve().parent.parent
BALY = ROOT.parent / "shared" / "data" / "baly2018_unifiedfc" / "pairs_fold1.csv"

CLAIMS = re.compile(r"^- Claims: (\d+) in (\d+) clusters — (\d+) corroborated, (\d+) conflicted, "
                    r"(\d+) relayed, (\d+) single-source$", re.M)
CONFLICTS = re.compile(r"^- Conflicts: (\d+) — (\d+) updates over time, (\d+) contradictions in the "
                       r"same period, (\d+) with unknown timing$", re.M)
DOCUMENTS = re.compile(r"^- Documents: (\d+)", re.M)
SECTION_STATUS = {"Corroborated": "corroborated", "Conflicted": "conflicted", "Relayed": "relayed",
                  "Single-source claims": "single-source"}


def _sections(text: str) -> dict[str, str]:
    """'## Heading' -> its body (up to the next '## ')."""
    parts = re.split(r"^## (.+)$", text, flags=re.M)
    return {head.split(":")[0]: body for head, body in zip(parts[1::2], parts[2::2])}


CUT = re.compile(r"^(\d+) of (\d+) shown; the JSON lists all", re.M)


def check_counts(text: str, analysis: Analysis) -> None:
    """Every count the summary states equals the number of items its section lists, or, where
    a long section stops (no --full), the number it says it shows plus the number it leaves."""
    sections = _sections(text)
    n_claims, n_clusters, *by_status = map(int, CLAIMS.search(text).groups())
    listed = {}
    claim_lines = 0
    cut_any = False
    status = {c.id: c.status for c in analysis.clusters}
    for head, expected in SECTION_STATUS.items():
        body = sections[head]
        if expected == "single-source":
            shown = len(re.findall(r"^- \*\*", body, re.M))       # top-level bullets
        else:
            ids = re.findall(r"^### \d+\. `(k-[0-9a-f]+)`", body, re.M)
            assert all(status[i] == expected for i in ids), head             # listed where its status says
            shown = len(ids)
        cut = CUT.search(body)
        if cut:
            assert int(cut.group(1)) == shown, head
            cut_any = True
        listed[expected] = int(cut.group(2)) if cut else shown
        claim_lines += len(re.findall(r"· \[\d+:\d+\] — «", body))
    assert by_status == [listed[s] for s in ("corroborated", "conflicted", "relayed", "single-source")]
    assert n_clusters == sum(listed.values()) == len(analysis.clusters)
    assert n_claims == len(analysis.claims) and (cut_any or claim_lines == n_claims)
    total, *by_time = map(int, CONFLICTS.search(text).groups())
    body = sections["Conflicts"]
    per_time = [len(re.findall(r"^\*\*#\d+\*\* ", part, re.M))
                for part in re.split(r"^### ", body, flags=re.M)[1:]]
    assert sorted(by_time) == sorted(per_time + [0] * (3 - len(per_time)))
    assert total == sum(per_time) == len(analysis.conflicts)
    table = [line for line in sections["Documents"].splitlines() if line.startswith("| ")]
    if "counted per outlet here" in sections["Documents"]:     # a large pile: one row per outlet
        counted = sum(int(row.split(" | ")[1]) for row in table[1:])
        assert int(DOCUMENTS.search(text).group(1)) == counted == len(analysis.documents)
    else:
        assert int(DOCUMENTS.search(text).group(1)) == len(table) - 1 == len(analysis.documents)


def test_summary_counts_equal_what_the_sections_list_on_the_seeds(seed_analysis):
    check_counts(to_markdown(seed_analysis, name="seeds"), seed_analysis)


def test_arabic_summary_states_the_same_counts(seed_analysis):
    def numbers(text: str) -> list[str]:
        summary = re.split(r"^## ", text, flags=re.M)[2]
        return re.findall(r"\d+", summary)

    english = numbers(to_markdown(seed_analysis))
    assert english and numbers(to_markdown(seed_analysis, language="ar")) == english


def _two_outlets(conflicted: bool) -> Analysis:
    docs = (Document(id="a", text="القوات ستعلق هجماتها على القواعد الأميركية في العراق.", outlet="Al Jazeera",
                     published="2024-02-02"),
            Document(id="b", text="القوات لم تعلق هجماتها على القواعد الأميركية في العراق.", outlet="Reuters",
                     published="2024-02-03"))
    claims = tuple(Claim(f"c-{d.id}:0", d.id, 0, len(d.text) - 1, d.text[:-1], time=d.published,
                         time_basis="published", origin=d.outlet) for d in docs)
    cluster = Cluster("k-000000000001", tuple(c.id for c in claims), ("a", "b"), ("Al Jazeera", "Reuters"),
                      ("Al Jazeera", "Reuters"), 2, "conflicted" if conflicted else "corroborated")
    conflict = Conflict(claims[0].id, claims[1].id, 0.8, "same-period", "negation: لم only in b",
                        ("negation: لم only in b",), "cluster")
    return Analysis(documents=docs, claims=claims, clusters=(cluster,),
                    conflicts=(conflict,) if conflicted else ())


def test_a_conflicted_cluster_is_listed_once_under_conflicted_even_with_two_origins():
    analysis = _two_outlets(conflicted=True)
    text = to_markdown(analysis)
    check_counts(text, analysis)
    assert text.count("`k-000000000001`") == 1
    assert "`k-000000000001`" in _sections(text)["Conflicted"]
    assert "0 corroborated, 1 conflicted" in text
    assert "2 independent origin(s)" in _sections(text)["Conflicted"]        # its origins still shown


def test_a_story_lists_a_fact_in_a_conflict_apart_from_its_confirmed_facts():
    for conflicted in (True, False):
        analysis = _two_outlets(conflicted)
        cluster = dataclasses.replace(analysis.clusters[0], story="s-1")
        story = Story("s-1", (cluster.id,), ("a", "b"), "القوات ستعلق هجماتها", ("Al Jazeera", "Reuters"),
                      ("Al Jazeera", "Reuters"))
        text = to_markdown(dataclasses.replace(analysis, clusters=(cluster,), stories=(story,)))
        stories = _sections(text)["The stories"]
        assert ("Confirmed by independent origins" in stories) is not conflicted
        assert ("**Told by independent origins, but in a conflict** (1)" in stories) is conflicted
        assert ("in conflict #1" in stories) is conflicted


def test_a_conflict_is_one_sentence_with_original_spelling_and_the_cue_in_brackets():
    a_text = "قالت مصادر إن زيارة قاآني إلى بغداد أدّت إلى توقّف الهجمات على القوات الأميركية"
    b_text = "يرى محللون أن زيارة قاآني إلى بغداد كانت غير ناجحة"
    cues = tuple(f"{c.kind}: {c.detail}" for c in conflict_cues(a_text, b_text))
    assert any(c.startswith("outcome:") for c in cues)
    docs = (Document(id="000_8481a1811b930b3f", text=a_text, title="زيارة قاآني أوقفت الهجمات على القوات",
                     published="2024-02-02"),
            Document(id="002_c5a38aa2998afd50", text=b_text, outlet="Hafryat", published="2021-08-04"))
    claims = tuple(Claim(f"c-{d.id}:0", d.id, 0, len(d.text), d.text, time=d.published,
                         time_basis="published") for d in docs)
    conflict = Conflict(claims[0].id, claims[1].id, 0.75, "different-period", "; ".join(cues), cues,
                        "neighbours")
    clusters = tuple(Cluster(f"k-00000000000{n}", (c.id,), (c.doc_id,), status="conflicted")
                     for n, c in enumerate(claims))
    text = to_markdown(Analysis(documents=docs, claims=claims, clusters=clusters, conflicts=(conflict,)))
    [sentence] = [line for line in text.splitlines() if line.startswith("**#1**")]
    assert "«زيارة قاآني أوقفت الهجمات على…» (2024-02-02) says «" in sentence
    assert "Hafryat, 2 years earlier (2021-08-04), says «" in sentence
    assert "[opposed outcome: «توقّف»]" in sentence                # as spelt, shadda and all
    assert "opposed outcome: «غير ناجحة»" in sentence and "ناجحه" not in sentence
    assert "score" not in sentence and text.count("**Score of a conflict**") == 1
    # a document without an outlet is shown by its title; its id appears once, in the table
    assert text.count("000_8481a1811b930b3f") == 1


def test_a_verdict_conflict_names_both_verdicts_as_spelt(models):
    texts = ("ووصف مسؤول كبير زيارة الوزير بأنها كانت ناجحة", "يرى محلل أن زيارة الوزير غير ناجحة")
    docs = tuple(Document(id=f"d{n}", text=t, outlet=o, published=p)
                 for n, (t, o, p) in enumerate(zip(texts, ("Reuters", "Hafryat"), ("2024-02-02", "2021-08-04"))))
    claims = tuple(Claim(f"c-{d.id}:0", d.id, 0, len(d.text), d.text, time=d.published,
                         time_basis="published", origin=d.outlet) for d in docs)
    clusters = tuple(Cluster(f"k-{c.id}", (c.id,), (c.doc_id,)) for c in claims)
    vectors = models.encoder.encode(list(texts))
    [conflict] = find_conflicts(claims, clusters, vectors, models.scorer, Settings(), same_fact=models.same_fact)
    assert conflict.cues[0].startswith("verdict: ")
    text = to_markdown(Analysis(documents=docs, claims=claims, clusters=clusters, conflicts=(conflict,)))
    [sentence] = [line for line in text.splitlines() if line.startswith("**#1**")]
    assert "[opposed verdict: «ناجحة»]" in sentence and "[opposed verdict: «غير ناجحة»]" in sentence


def _strip_allowed(text: str, analysis: Analysis) -> str:
    """The Arabic report without what may stay in Latin script: quoted article text, code
    spans (ids, paths, settings), link targets, HTML tags, outlet and agency names."""
    text = re.sub(r"«[^»]*»", " ", text)
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"<[^>]+>|https?://\S+", " ", text)
    names = {n for s in lexicon.sources() for n in (s.name, *s.aliases)}
    names |= {d.outlet for d in analysis.documents if d.outlet}
    names |= {n for d in analysis.documents for n in d.cited_sources}
    names |= {n for c in analysis.claims for n in c.attributed_to}
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, " ")
    return text


def test_arabic_report_has_no_english_outside_quotes_ids_and_names(seed_analysis, tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"%PDF")
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.txt").write_bytes(b"\x00\x01" * 40)
    _, skipped = read_inputs(tmp_path)
    undated = next((d for d in seed_analysis.documents if d.published is None), seed_analysis.documents[0])
    documents = tuple(dataclasses.replace(d, outlet=None, title=None) if d.id == undated.id else d
                      for d in seed_analysis.documents)
    analysis = dataclasses.replace(seed_analysis, documents=documents,
                                   skipped=(*skipped, Skipped("x.txt", "x.txt: no claims found", "no-claims")))
    text = to_markdown(analysis, name="seeds", language="ar", figures={"outlets": "o.png", "timeline": "t.png"})
    latin = re.findall(r"[A-Za-z]+", _strip_allowed(text, analysis))
    assert latin == []
    assert "n.d." not in text and "(published)" not in text


def test_outlets_picture_writes_white_digits_on_dark_cells(seed_analysis):
    fig = outlets_figure(seed_analysis)
    ax = fig.axes[0]
    grid = ax.images[0].get_array()
    top = grid.max()
    assert ax.texts
    for t in ax.texts:
        x, y = t.get_position()
        dark = grid[int(round(y)), int(round(x))] > 0.5 * top
        assert t.get_color() == ("white" if dark else "black")
    plt.close(fig)


def test_timeline_names_the_conflicts_it_leaves_out(seed_analysis):
    rows = timeline_rows(seed_analysis)
    left_out = [n for n in range(1, len(seed_analysis.conflicts) + 1) if n not in rows.shown]
    text = to_markdown(seed_analysis, figures={"timeline": "t.png"})
    fig = timeline_figure(seed_analysis)
    if fig is None:
        pytest.skip("no seed conflict has times for both claims")
    drawn = " ".join(t.get_text() for t in fig.axes[0].get_yticklabels())
    notes = " ".join(t.get_text() for t in fig.texts)
    note = next((line for line in text.splitlines() if line.startswith("Not on the timeline")), "")
    for n in left_out:
        assert f"#{n} " not in drawn + " "
        assert _named(n, notes) and _named(n, note)
    for n in rows.shown:
        assert f"#{n} " in drawn + " "
    plt.close(fig)


def _named(n: int, text: str) -> bool:
    """Whether conflict #n is named in `text`, alone or inside a range "#3–#5"."""
    if re.search(rf"#{n}(?!\d)", text):
        return True
    return any(int(a) <= n <= int(b) for a, b in re.findall(r"#(\d+)–#(\d+)", text))


# --- a 200-document corpus -----------------------------------------------------------------

def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


@pytest.fixture(scope="module")
def corpus_200(tmp_path_factory):
    if not BALY.is_file():
        pytest.skip(f"{BALY} is missing (../shared/data)")
    folder = tmp_path_factory.mktemp("baly200")
    rows = pd.read_csv(BALY).drop_duplicates("s2").head(200)
    # the first 6 lines of each article keep the test to minutes; half of the articles come
    # with their site as outlet (JSONL), half as bare files in sub-folders (labelled by name)
    lines = []
    for n, row in enumerate(rows.itertuples()):
        text = "\n".join(row.s2.splitlines()[:6])
        if n % 2:
            lines.append(pd.Series({"text": text, "outlet": row.source, "url": row.url}).to_json(force_ascii=False))
        else:
            sub = folder / f"claim-{row.claim_id}"
            sub.mkdir(exist_ok=True)
            (sub / f"{row.article_idx}.txt").write_text(text, encoding="utf-8")
    (folder / "sites.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.mark.slow
def test_report_on_200_documents_counts_what_it_lists_and_pictures_stay_legible(corpus_200, models, tmp_path):
    # vectors cached on disk by the library's CachedEncoder: the first run encodes, later runs read
    cached = CachedEncoder(models.encoder, ROOT / ".cache" / "test-report-200")
    analysis = analyze(corpus_200, models=Models(encoder=cached, same_fact=models.same_fact,
                                                 scorer=models.scorer))
    cached.save()
    assert len(analysis.documents) + sum(s.kind == "no-claims" for s in analysis.skipped) == 200
    written = write_report(analysis, name="baly200", markdown_path=tmp_path / "r.md")
    text = (tmp_path / "r.md").read_text(encoding="utf-8")
    check_counts(text, analysis)
    full = to_markdown(analysis, name="baly200", full=True)
    check_counts(full, analysis)
    assert not CUT.search(full) and len(full) > len(text)
    for key in ("outlets", "timeline"):
        if key in written:
            width, height = _png_size(written[key])
            assert width <= 2000 and height <= 2000, (key, width, height)
    multi = sum(len(c.doc_ids) > 1 for c in analysis.clusters)
    if multi > 30:
        assert f"clusters spanning most documents of the {multi} that span several" in text
    rows = timeline_rows(analysis)
    if "timeline" in written and (rows.untimed or rows.beyond):   # no picture, nothing left out of it
        assert "Not on the timeline:" in text
    for doc in analysis.documents:
        if not doc.outlet:
            assert full.count(f"`{doc.id}`") == 1                          # once, in the table
    ar = to_markdown(analysis, language="ar")
    assert re.findall(r"[A-Za-z]+", _strip_allowed(ar, analysis)) == []
