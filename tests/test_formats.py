import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from corroborate.claims import split_claims
from corroborate.cli import cli
from corroborate.fetch import Intake
from corroborate.formats import FormatError, extract, logical_line, unpresent
from corroborate.ingest import read_inputs

from .desk_inputs import (
    STATEMENT,
    article_html,
    claim_texts,
    print_pdf,
    scanned_pdf,
    seed_lines,
    word_file,
)


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """The statement as a page, the PDF Chromium prints of it, a Word file of it; a seed article
    printed in two columns; a scanned page; an encrypted PDF; a broken Word file."""
    import pypdf

    folder = tmp_path_factory.mktemp("desk")
    page = article_html(STATEMENT)
    (folder / "statement.html").write_text(page, encoding="utf-8")
    print_pdf(page, folder / "statement.pdf")
    word_file(STATEMENT, folder / "statement.docx")
    print_pdf(article_html(seed_lines("001_ca7d2482d73aec03"), style="body { column-count: 2; }"),
              folder / "columns.pdf")
    scanned_pdf(page, folder / "scanned.pdf")
    writer = pypdf.PdfWriter(clone_from=folder / "statement.pdf")
    writer.encrypt("سر-المحرر")
    writer.write(folder / "locked.pdf")
    (folder / "broken.docx").write_bytes(b"PK\x03\x04" + bytes(range(200)))
    return folder


def _read(made: Path, tmp_path: Path, *names: str):
    return read_inputs([made / n for n in names], intake=Intake(pages=tmp_path / "pages"))


def test_a_chromium_arabic_pdf_reads_as_the_page_it_was_printed_from(made, tmp_path):
    [html_doc, pdf_doc], skipped = _read(made, tmp_path, "statement.html", "statement.pdf")
    assert skipped == []
    # every paragraph back in reading order: letters, not presentation forms; «(» where it was;
    # but for one mark: Chromium draws shadda-with-fatha as one glyph it maps to no character
    assert pdf_doc.text.split("\n\n") == [re.sub("\u064e\u0651|\u0651\u064e", "", line) for line in STATEMENT]
    assert claim_texts(pdf_doc, split_claims) == claim_texts(html_doc, split_claims)
    assert len(claim_texts(pdf_doc, split_claims)) >= 5


def test_a_pdf_documents_spans_index_its_saved_text_and_it_names_its_file(made, tmp_path):
    [doc], _ = _read(made, tmp_path, "statement.pdf")
    assert doc.source_path == made / "statement.pdf"
    assert doc.path.parent == tmp_path / "pages" and doc.path.name.startswith("statement-")
    with open(doc.path, encoding="utf-8-sig", newline="") as f:
        saved = f.read()
    assert saved == doc.text
    for claim in split_claims(doc):
        assert saved[claim.start:claim.end] == claim.text
    [again], _ = _read(made, tmp_path, "statement.pdf")
    assert again.path == doc.path                    # same bytes, same name: a re-run finds it


def test_two_columns_are_read_right_column_first(made):
    text = extract(made / "columns.pdf", (made / "columns.pdf").read_bytes())
    assert text.split("\n\n") == seed_lines("001_ca7d2482d73aec03")


def test_a_word_file_reads_as_the_page_it_was_written_from(made, tmp_path):
    # read apart: read together, the second is the first's text in another container (a duplicate)
    [html_doc], _ = _read(made, tmp_path, "statement.html")
    [word_doc], skipped = _read(made, tmp_path, "statement.docx")
    assert skipped == [] and word_doc.text.split("\n\n") == STATEMENT
    assert claim_texts(word_doc, split_claims) == claim_texts(html_doc, split_claims)


def test_word_tables_are_read_where_they_stand_and_odt_too(tmp_path):
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    docx = word_file(STATEMENT[:2], tmp_path / "t.docx", table=[["المحافظة", "الضحايا"], ["الأنبار", "14"]])
    assert extract(docx, docx.read_bytes()).split("\n\n") == [*STATEMENT[:2], "المحافظة", "الضحايا",
                                                              "الأنبار", "14"]
    odt = OpenDocumentText()
    odt.text.addElement(H(outlinelevel=1, text=STATEMENT[0]))
    for line in STATEMENT[1:3]:
        odt.text.addElement(P(text=line))
    odt.save(str(tmp_path / "s.odt"))
    assert extract(tmp_path / "s.odt", (tmp_path / "s.odt").read_bytes()).split("\n\n") == STATEMENT[:3]


@pytest.mark.parametrize("name,kind,says", [
    ("scanned.pdf", "no-text-layer", "no text layer: run OCR first"),
    ("locked.pdf", "encrypted", "encrypted PDF"),
    ("broken.docx", "corrupt", "not a readable Word file"),
])
def test_a_pdf_or_word_file_that_cannot_be_read_is_named_with_the_fix(made, tmp_path, name, kind, says):
    docs, [skipped] = _read(made, tmp_path, name, "statement.docx")
    assert [d.source_path.name for d in docs] == ["statement.docx"]        # the rest goes on
    assert skipped.kind == kind and skipped.reason.startswith(f"{made / name}: {says}")
    fix = {"no-text-layer": "ocrmypdf", "encrypted": "without the password", "corrupt": "save it again"}[kind]
    assert fix in skipped.reason and "\n" not in skipped.reason
    with pytest.raises(FormatError):
        extract(made / name, (made / name).read_bytes())


def test_visual_order_and_presentation_forms_are_put_right():
    # as Chromium's PDF holds «قال 14 (أ)»: letters left to right, shaped, the bracket as drawn
    visual = "(ﺃ) 14 ﻝﺎﻗ"
    assert unpresent(logical_line(visual)) == "قال 14 (أ)"
    assert unpresent("ﻹﻳﺮان") == "لإيران"                   # a lam-alef ligature is two letters
    assert logical_line("Reuters said 14 people died") == "Reuters said 14 people died"


@pytest.mark.slow
def test_analyze_on_a_folder_of_pdf_and_word_files(made, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["analyze", str(made / "statement.pdf"), str(made / "statement.docx"),
                                      str(made / "scanned.pdf"), str(made / "locked.pdf"),
                                      str(made / "broken.docx"), "--out", str(out), "--no-plots", "-q"])
    assert result.exit_code == 0, result.output
    for name in ("scanned.pdf", "locked.pdf", "broken.docx"):
        assert sum(line.startswith(f"warning: {made / name}: ") for line in result.stderr.splitlines()) == 1
    report = json.loads((out / "statement.json").read_text(encoding="utf-8"))
    sources = {d["id"]: d for d in report["documents"]}
    assert {Path(d["source_path"]).name for d in sources.values()} == {"statement.pdf", "statement.docx"}
    for claim in report["claims"]:
        path = Path(sources[claim["doc_id"]]["path"])
        assert path.resolve().parent == out / "pages"
        with open(path, encoding="utf-8-sig", newline="") as f:
            assert f.read()[claim["start"]:claim["end"]] == claim["text"]
