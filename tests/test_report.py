import re

from corroborate.model import STATUSES, TEMPORAL
from corroborate.report.files import write_report
from corroborate.report.markdown import to_markdown
from corroborate.report.sections import doc_labels

ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def check_contract(data):
    """Every field ../shared/CONTRACT.md promises, with its type and meaning."""
    assert data["schema"] == "corroborate/1"
    docs = {d["id"]: d for d in data["documents"]}
    for d in data["documents"]:
        assert {"id", "path", "title", "outlet", "published", "cited_sources"} <= set(d)
        assert d["published"] is None or ISO.match(d["published"])
        assert all(isinstance(s, str) for s in d["cited_sources"])
    claims = {c["id"]: c for c in data["claims"]}
    for c in data["claims"]:
        assert c["id"].startswith("c-") and c["doc_id"] in docs
        assert isinstance(c["start"], int) and isinstance(c["end"], int) and c["start"] < c["end"]
        assert isinstance(c["text"], str) and c["text"]
        assert isinstance(c["attributed_to"], list)
        assert c["time"] is None or ISO.match(c["time"])
    members = []
    for k in data["clusters"]:
        assert k["id"].startswith("k-")
        assert k["status"] in STATUSES
        assert isinstance(k["independent_sources"], int) and k["independent_sources"] >= 1
        assert set(k["doc_ids"]) == {claims[i]["doc_id"] for i in k["claim_ids"]}
        members += k["claim_ids"]
    assert sorted(members) == sorted(claims)
    for x in data["conflicts"]:
        assert x["claim_a"] in claims and x["claim_b"] in claims
        assert 0.0 <= x["score"] <= 1.0 and x["temporal"] in TEMPORAL
        assert isinstance(x["explanation"], str) and x["explanation"]


def test_json_report_follows_the_contract(seed_json):
    check_contract(seed_json)


def test_json_paths_are_relative_to_the_working_directory(seed_json):
    for doc in seed_json["documents"]:
        assert doc["path"] == f"seeds/{doc['id']}.txt" or doc["path"].endswith(f"seeds/{doc['id']}.txt")


def test_markdown_quotes_claims_with_outlet_and_lists_settings(seed_analysis):
    text = to_markdown(seed_analysis, name="seeds")
    assert text.startswith("# Corroboration report: seeds")
    assert "## Corroborated" in text and "## Conflicts" in text and "## Method" in text
    assert f"| `similarity` | `{seed_analysis.settings.similarity}` |" in text
    shared = next(c for c in seed_analysis.clusters if len(c.doc_ids) > 1)
    first = next(c for c in seed_analysis.claims if c.id == shared.claim_ids[0])
    label = doc_labels(seed_analysis.documents)[first.doc_id]
    assert f"- **{label}** · " in text and f"· [{first.start}:{first.end}] — «" in text


def test_arabic_report_reads_right_to_left(seed_analysis):
    text = to_markdown(seed_analysis, name="seeds", language="ar")
    assert text.startswith('<div dir="rtl"') and "التعارضات" in text


def test_write_report_writes_markdown_json_and_pictures(seed_analysis, tmp_path):
    written = write_report(seed_analysis, name="seeds", markdown_path=tmp_path / "seeds.md",
                           json_path=tmp_path / "seeds.json")
    assert written["outlets"].read_bytes()[:4] == b"\x89PNG"
    assert "seeds-outlets.png" in (tmp_path / "seeds.md").read_text(encoding="utf-8")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".") or p.suffix == ".tmp"]
