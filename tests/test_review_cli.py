import csv
import http.client
import io
import json
from pathlib import Path
from urllib.parse import urlparse

import click
import pytest
from click.testing import CliRunner

from corroborate.cli import cli
from corroborate.review.commands import (
    db_group,
    export_group,
    review_group,
    serve_command,
)
from corroborate.review.store import ReviewStore

from .test_review_support import (
    ARTICLES,
    build_analysis,
    claim_ref,
    start_serve,
    stop_serve,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "review.db"
    with ReviewStore(path) as store:
        store.record_run(build_analysis())
    return path


def run(*args, env=None):
    return CliRunner().invoke(cli, [str(a) for a in args], env={"CORROBORATE_REVIEWER": "huda", **(env or {})})


def cluster_with(db, claim_id):
    result = run("review", "list", "--db", db, "--json")
    for line in result.output.splitlines():
        row = json.loads(line)
        shown = run("review", "show", row["id"], "--db", db).output
        if claim_id in shown:
            return row["id"]
    raise AssertionError(f"{claim_id} not found")


def test_every_review_command_has_help_with_an_example():
    def walk(command, path):
        yield path, command
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                yield from walk(sub, f"{path} {name}")
    for group in (review_group, db_group, export_group, serve_command):
        for path, command in walk(group, group.name):
            result = CliRunner().invoke(cli, [*path.split(), "--help"])
            assert result.exit_code == 0, path
            assert "Example" in result.output, path


def test_list_filters_by_status_outlet_text_and_review_state(db):
    everything = run("review", "list", "--db", db)
    assert everything.exit_code == 0 and "5 of 5 clusters" in everything.output
    conflicted = run("review", "list", "--db", db, "--status", "conflicted", "--json").output.splitlines()
    assert {json.loads(x)["status"] for x in conflicted} == {"conflicted"} and len(conflicted) == 2
    assert len(run("review", "list", "--db", db, "--outlet", "jazeera", "--json").output.splitlines()) == 3
    [row] = run("review", "list", "--db", db, "--text", "Biden", "--json").output.splitlines()
    assert "Associated Press" in json.loads(row)["first_claim"]
    assert run("review", "list", "--db", db, "--reviewed", "--json").output == ""
    assert len(run("review", "list", "--db", db, "--multi", "--json").output.splitlines()) == 3


def test_a_scripted_review_session_shows_in_list_show_and_log(db):
    analysis = build_analysis()
    docs = {d.id: d for d in analysis.documents}
    big = analysis.clusters[0].id
    out = run("review", "verdict", big, "false", "--db", db, "--note", "نفت الوزارة ذلك")
    assert out.exit_code == 0 and "Recorded #1 verdict" in out.output
    rejected = claim_ref(docs, "c_asharq", 0)
    out = run("review", "reject", rejected, "--db", db, "--note", "خبر آخر")
    assert out.exit_code == 0 and f"{rejected} is now in k-" in out.output
    out = run("review", "merge", analysis.clusters[1].id, analysis.clusters[2].id, "--db", db)
    assert out.exit_code == 0, out.output
    x = analysis.conflicts[0]
    assert run("review", "conflict", x.claim_a, x.claim_b, "--not-real", "--db", db).exit_code == 0
    assert run("review", "confirm", claim_ref(docs, "a_reuters", 0), "--db", db).exit_code == 0
    reviewed = [json.loads(x) for x in run("review", "list", "--db", db, "--reviewed", "--json").output.splitlines()]
    assert {r["verdict"] for r in reviewed} >= {"false"}
    home = cluster_with(db, claim_ref(docs, "a_reuters", 0))
    shown = run("review", "show", home, "--db", db).output
    assert "verdict: False by huda" in shown and "نفت الوزارة ذلك" in shown
    log = run("review", "log", "--db", db).output.splitlines()
    assert len(log) == 5 and all("applied" in line for line in log)
    out = run("review", "undo", "--db", db)
    assert out.exit_code == 0 and "undo #5" in out.output
    assert "undone by #6" in run("review", "log", "--db", db).output


def test_split_moves_the_named_claims_out(db):
    analysis = build_analysis()
    cluster = analysis.clusters[0]
    out = run("review", "split", cluster.id, cluster.claim_ids[2], "--db", db)
    assert out.exit_code == 0, out.output
    moved_to = out.output.strip().split()[-1]
    shown = run("review", "show", moved_to, "--db", db).output
    assert cluster.claim_ids[2] in shown and cluster.claim_ids[0] not in shown


def test_user_errors_name_the_file_or_id_and_the_fix_without_a_traceback(db, tmp_path):
    missing = run("review", "list", "--db", tmp_path / "nowhere.db")
    assert missing.exit_code == 1
    assert "nowhere.db: no review store here" in missing.output and "--db" in missing.output
    assert "Traceback" not in missing.output
    unknown = run("review", "verdict", "k-000000000000", "false", "--db", db)
    assert unknown.exit_code == 1 and "No cluster k-000000000000" in unknown.output
    assert "review list" in unknown.output
    bad = run("review", "show", "k-nope", "--db", db)
    assert bad.exit_code == 1 and "review list" in bad.output
    (tmp_path / "junk.json").write_text("{not json", encoding="utf-8")
    junk = run("db", "import", tmp_path / "junk.json", "--db", tmp_path / "new.db")
    assert junk.exit_code == 1 and "junk.json: not JSON" in junk.output


def test_db_export_and_import_round_trip(db, tmp_path):
    big = build_analysis().clusters[0].id
    run("review", "verdict", big, "mixed", "--db", db)
    backup = tmp_path / "backup.json"
    assert run("db", "export", "--db", db, "--out", backup).exit_code == 0
    restored = tmp_path / "restored.db"
    out = run("db", "import", backup, "--db", restored)
    assert out.exit_code == 0 and "1 decisions" in out.output
    assert run("review", "log", "--db", restored).output == run("review", "log", "--db", db).output
    again = run("db", "import", backup, "--db", restored)
    assert again.exit_code == 1 and "new file" in again.output


def test_export_pairs_writes_the_shared_data_layout(db, tmp_path):
    analysis = build_analysis()
    run("review", "merge", analysis.clusters[1].id, analysis.clusters[2].id, "--db", db)
    x = analysis.conflicts[0]
    run("review", "conflict", x.claim_a, x.claim_b, "--real", "--db", db)
    out = tmp_path / "pairs.csv"
    assert run("review", "export-pairs", "--db", db, "--out", out).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("s1,s2,label,")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["label"] for r in rows} == {"agree", "disagree"}
    texts = {c.text for c in analysis.claims}
    assert all(r["s1"] in texts and r["s2"] in texts for r in rows)


def test_claimreview_and_csv_exports(db, tmp_path):
    big = build_analysis().clusters[0].id
    run("review", "verdict", big, "mostly-false", "--db", db, "--note", "بحسب Reuters")
    out = run("export", "claimreview", "--db", db, "--publisher", "Desk",
              "--url-template", "https://desk.example/{cluster_id}")
    [item] = json.loads(out.output)
    assert item["url"] == f"https://desk.example/{big}" and item["reviewRating"]["ratingValue"] == 2
    assert run("export", "claimreview", "--db", db, "--url-template", "https://x").exit_code == 1
    assert run("export", "csv", "--db", db, "--out", tmp_path / "csv", "--excel").exit_code == 0
    clusters = list(csv.DictReader(io.StringIO((tmp_path / "csv/clusters.csv").read_text(encoding="utf-8-sig"))))
    claims = list(csv.DictReader(io.StringIO((tmp_path / "csv/claims.csv").read_text(encoding="utf-8-sig"))))
    assert [r["verdict"] for r in clusters if r["cluster_id"] == big] == ["mostly-false"]
    assert len(claims) == len(build_analysis().claims)
    assert (tmp_path / "csv/claims.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_analyze_with_db_records_runs_and_reports_verdicts(tmp_path):
    news = tmp_path / "news"
    news.mkdir()
    for doc_id, (outlet, _date, sentences) in list(ARTICLES.items())[:2]:
        (news / f"{doc_id}.txt").write_text("\n\n".join(sentences) + "\n", encoding="utf-8")
    db, out = tmp_path / "review.db", tmp_path / "reports"
    first = run("analyze", news, "--out", out, "--db", db, "--no-plots", "-q")
    assert first.exit_code == 0, first.output
    with ReviewStore(db) as store:
        biggest = store.load_analysis().clusters[0].id
    assert run("review", "verdict", biggest, "unproven", "--db", db, "--note", "لا مصدر مستقل").exit_code == 0
    second = run("analyze", news, "--out", out, "--db", db, "--no-plots", "-q")
    assert second.exit_code == 0 and "run 2, 1 decisions applied" in second.output
    report = (out / "news.md").read_text(encoding="utf-8")
    assert "## Reviewers' verdicts" in report and "**Unproven**" in report and "لا مصدر مستقل" in report
    data = json.loads((out / "news.json").read_text(encoding="utf-8"))
    assert data["review"]["verdicts"][0]["note"] == "لا مصدر مستقل"
    assert {c["id"] for c in data["clusters"]} >= {data["review"]["verdicts"][0]["cluster_id"]}


def test_serve_warns_when_not_on_loopback_and_prints_its_address(db):
    child, said, url = start_serve(db, "--host", "0.0.0.0", "--port", "0")
    stop_serve(child)
    assert "warning: serving on 0.0.0.0, not loopback" in said
    assert url.startswith("http://0.0.0.0:")


@pytest.mark.parametrize("host", ["127.0.0.2", "::1"])
def test_any_loopback_address_serves_without_a_warning_and_refuses_a_foreign_host(db, host):
    child, said, url = start_serve(db, "--host", host, "--port", "0")
    try:
        assert "warning" not in said
        parts = urlparse(url)
        assert url.startswith(f"http://[{host}]:" if ":" in host else f"http://{host}:")
        own = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        own.request("GET", "/")                      # the printed URL answers (the Host is the URL's)
        assert own.getresponse().status == 200
        foreign = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        foreign.request("GET", "/", headers={"Host": "attacker.example"})
        assert foreign.getresponse().status == 400
    finally:
        stop_serve(child)


def test_serve_refuses_a_missing_or_empty_store_with_the_fix(tmp_path):
    out = run("serve", "--db", tmp_path / "none.db")
    assert out.exit_code == 1 and "none.db: no review store here" in out.output
    ReviewStore(tmp_path / "empty.db").close()
    out = run("serve", "--db", tmp_path / "empty.db")
    assert out.exit_code == 1 and "no run recorded yet" in out.output and "analyze" in out.output


def test_review_list_matches_arabic_spellings_outlets_in_arabic_and_ids(db):
    analysis = build_analysis()
    docs = {d.id: d for d in analysis.documents}
    qaani = cluster_with(db, claim_ref(docs, "b_jazeera", 0))
    out = run("review", "list", "--db", db, "--text", "قااني", "--json")          # the text says «قاآني»
    assert [json.loads(line)["id"] for line in out.output.splitlines()] == [qaani]
    out = run("review", "list", "--db", db, "--outlet", "الجزيرة", "--json")     # "Al Jazeera" in the store
    jazeera = {json.loads(line)["id"] for line in out.output.splitlines()}
    assert qaani in jazeera and len(jazeera) == 3
    assert run("review", "list", "--db", db, "--text", qaani, "--json").output.count('"id"') == 1
    out = run("review", "list", "--db", db, "--sort", "conflicts", "--json")
    first = json.loads(out.output.splitlines()[0])
    assert first["status"] == "conflicted"
