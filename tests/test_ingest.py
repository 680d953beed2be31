import html
import json
import logging
import re

import pytest

from corroborate.claims import split_claims
from corroborate.errors import InputError
from corroborate.ingest import load_documents, read_inputs
from tests.conftest import SEEDS

ARTICLE = "قال مسؤول عراقي إن الهجوم على القاعدة أسفر عن مقتل ثلاثة جنود أميركيين.\n"


def test_seeds_load_with_ids_and_utf8(seed_docs):
    assert [d.id for d in seed_docs] == sorted(p.stem for p in SEEDS.glob("*.txt"))
    for d in seed_docs:
        assert d.encoding == "utf-8"
        assert d.text == open(d.path, encoding="utf-8-sig", newline="").read()


def test_cp1256_file_is_decoded(tmp_path):
    (tmp_path / "a.txt").write_bytes(ARTICLE.encode("cp1256"))
    [doc], skipped = read_inputs(tmp_path)
    assert doc.encoding == "cp1256" and doc.text == ARTICLE and skipped == []


def test_bom_and_crlf_offsets_match_open_with_newline_empty(tmp_path):
    path = tmp_path / "b.txt"
    path.write_bytes(b"\xef\xbb\xbf" + ARTICLE.replace("\n", "\r\n").encode() * 2)
    [doc], _ = read_inputs(path)
    assert doc.text == open(path, encoding="utf-8-sig", newline="").read()
    for c in split_claims(doc):
        assert doc.text[c.start:c.end] == c.text


def test_utf16_and_explicit_encoding(tmp_path):
    (tmp_path / "u.txt").write_bytes(ARTICLE.encode("utf-16"))
    (tmp_path / "i.txt").write_bytes(ARTICLE.encode("iso-8859-6", errors="ignore") + b" x")
    docs, _ = read_inputs(tmp_path / "u.txt")
    assert docs[0].text == ARTICLE
    docs, _ = read_inputs(tmp_path / "i.txt", encoding="iso-8859-6")
    assert docs[0].encoding == "iso-8859-6" and docs[0].text.startswith("قال")


def test_undecodable_file_is_skipped_by_name_while_others_are_read(tmp_path):
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes("été café crème brûlée à la française".encode("latin-1"))
    docs, skipped = read_inputs(tmp_path)
    assert [d.id for d in docs] == ["good"]
    [s] = skipped
    assert "bad.txt" in s.reason and "--encoding cp1256" in s.reason


def test_empty_binary_duplicate_and_unsupported(tmp_path, caplog):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02PNG" * 50)
    (tmp_path / "meta.json").write_text("{}", encoding="utf-8")
    docs, skipped = read_inputs(tmp_path)
    assert [d.id for d in docs] == ["a"]
    reasons = {s.path.rsplit("/", 1)[-1]: s.reason for s in skipped}
    assert set(reasons) == {"b.txt", "empty.txt", "bin.txt", "meta.json"}
    assert "duplicate of" in reasons["b.txt"] and "a.txt" in reasons["b.txt"]
    assert "empty" in reasons["empty.txt"] and "binary" in reasons["bin.txt"]
    assert "unsupported type '.json'; convert to .txt/.html" in reasons["meta.json"]
    _, skipped = read_inputs(tmp_path / "meta.json")
    assert "unsupported" in skipped[0].reason
    load_documents(tmp_path)
    assert caplog.text.count("skipped") == 4 and "bin.txt" in caplog.text


def test_nothing_readable_raises_input_error(tmp_path):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="No article could be read: .*empty.txt: empty file"):
        load_documents(tmp_path)


def test_huge_file_is_skipped_with_the_reason(tmp_path):
    path = tmp_path / "big.txt"
    with open(path, "wb") as f:
        f.seek(20_000_001)
        f.write(b"x")
    _, [s] = read_inputs(path)
    assert "MB" in s.reason and "big.txt" in s.reason


def test_jsonl_lines_become_documents_and_bad_lines_are_named(tmp_path):
    rows = [json.dumps({"text": ARTICLE, "url": "https://x.example/1", "outlet": "الجزيرة",
                        "published": "2024-02-01", "title": "عنوان"}, ensure_ascii=False),
            "{not json",
            json.dumps({"text": ARTICLE + " وأضاف أن التحقيق جار."}, ensure_ascii=False)]
    (tmp_path / "feed.jsonl").write_text("\n".join(rows), encoding="utf-8")
    docs, skipped = read_inputs(tmp_path / "feed.jsonl")
    assert [d.id for d in docs] == ["feed-1", "feed-3"]
    assert docs[0].url == "https://x.example/1" and docs[0].published == "2024-02-01"
    assert docs[0].outlet == "Al Jazeera"
    assert [s.path for s in skipped] == [f"{tmp_path / 'feed.jsonl'}:2"]
    for d in docs:
        for c in split_claims(d):
            assert d.text[c.start:c.end] == c.text



def test_a_jsonl_title_is_read_with_its_character_references_decoded(tmp_path):
    row = {"text": ARTICLE, "title": "توزيع &#8220;موسوعة خطب الجمعة&#8221; على الخطباء &amp; الأئمة"}
    (tmp_path / "feed.jsonl").write_text(json.dumps(row, ensure_ascii=False), encoding="utf-8")
    docs, _ = read_inputs(tmp_path / "feed.jsonl")
    assert docs[0].title == "توزيع “موسوعة خطب الجمعة” على الخطباء & الأئمة"
    assert docs[0].text == ARTICLE


def test_a_jsonl_pile_may_be_larger_than_one_article_but_not_a_line(tmp_path):
    from corroborate.ingest import MAX_BYTES

    # a week of a country's press is one 45 MB pile: the article limit holds per line
    rows = [json.dumps({"text": ARTICLE}, ensure_ascii=False),
            json.dumps({"text": "و" * (MAX_BYTES + 10)}, ensure_ascii=False),
            json.dumps({"text": ARTICLE + " وأضاف أن التحقيق جار."}, ensure_ascii=False)]
    pile = tmp_path / "week.jsonl"
    pile.write_text("\n".join(rows), encoding="utf-8")
    assert pile.stat().st_size > MAX_BYTES
    docs, skipped = read_inputs(pile)
    assert [d.id for d in docs] == ["week-1", "week-3"]
    assert [(s.path, s.kind) for s in skipped] == [(f"{pile}:2", "too-large")]
    assert "limit for one article" in skipped[0].reason

PAGE = """<!DOCTYPE html><html><head><title>هجوم على قاعدة</title>
<meta property="og:site_name" content="Al Jazeera"><script>var x = "قال";</script></head>
<body><nav><a href="/">الصفحة الرئيسية</a> | <a href="/news">أخبار</a></nav>
<article><h1>الفصائل تصعد هجماتها ضد القوات الأميركية</h1>
<p>قال مسؤولون &quot;أميركيون&quot; إن <b>ثلاثة جنود</b> قتلوا في هجوم بطائرة مسيرة على موقع البرج 22 قرب الحدود الأردنية السورية.</p>
<p>وأضاف المسؤولون أن ما لا يقل عن 40 من أفراد الخدمة أصيبوا في الهجوم &amp; أن التحقيقات جارية &#1575;لآن.</p>
<p>وذكرت وكالة رويترز أن الحكومة العراقية استنكرت التصعيد المستمر وطالبت بضبط النفس في المنطقة.</p>
</article><footer>جميع الحقوق محفوظة</footer></body></html>"""


def _visible(raw: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", raw)).split())


@pytest.mark.parametrize("name", ["page.html", "page.txt"])
def test_html_offsets_round_trip_into_raw_html(tmp_path, name, caplog):
    caplog.set_level(logging.INFO, logger="corroborate")
    (tmp_path / name).write_text(PAGE, encoding="utf-8")
    [doc] = load_documents(tmp_path / name)
    assert doc.text == PAGE and doc.view is not None
    assert doc.outlet == "Al Jazeera" and doc.title in ("هجوم على قاعدة", "الفصائل تصعد هجماتها ضد القوات الأميركية")
    assert "الصفحة الرئيسية" not in doc.view.text and "var x" not in doc.view.text
    claims = split_claims(doc)
    assert len(claims) >= 3
    for c in claims:
        assert _visible(doc.text[c.start:c.end]) == " ".join(c.text.split())
    assert ("holds HTML" in caplog.text) == name.endswith(".txt")


def test_a_large_folder_shows_reading_progress_only_when_asked(tmp_path, capsys):
    for n in range(60):
        (tmp_path / f"a{n:02d}.txt").write_text(f"قال الوزير إن الاجتماع رقم {n} انتهى باتفاق.\n", encoding="utf-8")
    docs, skipped = read_inputs(tmp_path, progress=True)
    assert len(docs) == 60 and not skipped
    assert "reading" in capsys.readouterr().err
    read_inputs(tmp_path)
    assert "reading" not in capsys.readouterr().err


def test_files_are_read_one_at_a_time_as_documents_are_taken(tmp_path):
    from corroborate.ingest import iter_inputs

    (tmp_path / "a.txt").write_text("قال الوزير إن الاجتماع انتهى باتفاق بين الطرفين.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("نص أول كتب قبل أن تقرأ المقالة الأولى.\n", encoding="utf-8")
    stream = iter_inputs(tmp_path)
    assert next(stream).id == "a"
    # b.txt is read only now: what it holds at this point is what comes out
    (tmp_path / "b.txt").write_text("نص ثان كتب بعد أن قرئت المقالة الأولى.\n", encoding="utf-8")
    assert next(stream).text.startswith("نص ثان")
    assert next(stream, None) is None


def test_view_offsets_behave_as_a_sequence_of_ints():
    import bisect

    from corroborate.model import Offsets, TextView

    view = TextView("abc", Offsets([10, 11, 15, 16]))
    assert view.offsets == (10, 11, 15, 16) and list(view.offsets[1:3]) == [11, 15]
    assert view.to_original(1, 3) == (11, 16)
    assert bisect.bisect_left(view.offsets, 14) == 2
    assert hash(view) == hash(TextView("abc", Offsets((10, 11, 15, 16))))


# --- ids that never drop an article, copies read once (issue 23 item 1, issue 20) -----------

OTHER = "وأعلنت وزارة الدفاع أن التحقيق في الهجوم على القاعدة ما زال جاريا حتى الآن.\n"


def _write(folder, files):
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content) if isinstance(content, bytes) else path.write_text(content, encoding="utf-8")
    return folder


def test_two_given_folders_with_the_same_file_name_give_two_documents(tmp_path):
    a = _write(tmp_path / "a", {"article1.txt": ARTICLE, "only_a.txt": ARTICLE + "1"})
    b = _write(tmp_path / "b", {"article1.txt": OTHER})
    docs, skipped = read_inputs([a, b])
    assert [d.id for d in docs] == ["a/article1", "a/only_a", "b/article1"] and skipped == []
    assert docs[2].text == OTHER
    # one folder, or folders whose names do not meet: the ids stay as they always were
    assert [d.id for d in read_inputs(a)[0]] == ["article1", "only_a"]
    c = _write(tmp_path / "c", {"other.txt": OTHER + "2"})
    assert [d.id for d in read_inputs([a, c])[0]] == ["article1", "only_a", "other"]


def test_folders_of_the_same_name_are_told_apart_by_more_of_their_path(tmp_path):
    x = _write(tmp_path / "x" / "news", {"a.txt": ARTICLE})
    y = _write(tmp_path / "y" / "news", {"a.txt": OTHER})
    docs, _ = read_inputs([x, y])
    assert [d.id for d in docs] == ["x/news/a", "y/news/a"]


def test_files_given_by_name_from_two_folders_keep_both(tmp_path):
    _write(tmp_path, {"a/article1.txt": ARTICLE, "b/article1.txt": OTHER})
    docs, _ = read_inputs([tmp_path / "a" / "article1.txt", tmp_path / "b" / "article1.txt"])
    assert [d.id for d in docs] == ["a/article1", "b/article1"]


def test_a_txt_beside_an_html_of_the_same_name_is_read_with_its_extension(tmp_path):
    _write(tmp_path, {"x.txt": ARTICLE, "x.html": f"<html><body><p>{OTHER}</p></body></html>",
                      "y.txt": ARTICLE + "1"})
    docs, skipped = read_inputs(tmp_path)
    assert [d.id for d in docs] == ["x.html", "x.txt", "y"] and skipped == []
    assert OTHER.strip() in docs[0].body


def test_a_byte_identical_copy_in_another_folder_is_a_duplicate_not_an_id_clash(tmp_path):
    a = _write(tmp_path / "a", {"article1.txt": ARTICLE})
    b = _write(tmp_path / "b", {"article1.txt": ARTICLE})
    docs, [s] = read_inputs([a, b])
    assert [d.id for d in docs] == ["a/article1"]
    assert s.kind == "duplicate" and "same bytes" in s.reason and "same id" not in s.reason
    assert str(a / "article1.txt") in s.reason


def test_the_same_file_given_twice_is_read_once(tmp_path):
    _write(tmp_path, {"a.txt": ARTICLE})
    docs, [s] = read_inputs([tmp_path, tmp_path / "a.txt"])
    assert [d.id for d in docs] == ["a"] and s.kind == "duplicate" and "same file" in s.reason


@pytest.mark.parametrize("variant,name", [
    (lambda t: t.replace("\n", "\r\n").encode("utf-8"), "crlf.txt"),
    (lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"), "bom.txt"),
    (lambda t: t.encode("utf-16"), "utf16.txt"),
    (lambda t: t.encode("cp1256"), "windows.txt"),
    (lambda t: "".join(f"<p>{line}</p>\n" for line in t.splitlines()).join(
        ["<!DOCTYPE html><html><body><article>", "</article></body></html>"]).encode(), "page.html"),
    (lambda t: (json.dumps({"text": t}, ensure_ascii=False) + "\n").encode(), "feed.jsonl"),
])
def test_the_same_text_in_another_encoding_line_end_or_container_is_one_document(tmp_path, variant, name):
    text = ARTICLE + OTHER + "وقال شهود إن دوي الانفجار سمع في أرجاء المدينة كلها.\n"
    _write(tmp_path, {"a.txt": text, name: variant(text)})
    docs, [s] = read_inputs(tmp_path)
    assert [d.id for d in docs] == ["a"]
    where = str(tmp_path / name) + (":1" if name.endswith(".jsonl") else "")
    assert s.kind == "duplicate" and s.path == where
    assert s.reason == (f"{where}: same text as {tmp_path / 'a.txt'} in another encoding/line-end "
                        "style/container; read once")


def test_one_text_under_three_outlets_is_kept_three_times_for_the_origins_stage(tmp_path):
    rows = [{"text": ARTICLE, "outlet": outlet} for outlet in ("الجزيرة", "العربية", "الشرق الأوسط")]
    rows.append({"text": ARTICLE.replace("\n", "\r\n"), "outlet": "الجزيرة"})     # Al Jazeera twice
    rows.append({"text": ARTICLE})                                                  # no outlet named
    _write(tmp_path, {"day.jsonl": "\n".join(json.dumps(r, ensure_ascii=False) for r in rows)})
    docs, skipped = read_inputs(tmp_path / "day.jsonl")
    assert [d.id for d in docs] == ["day-1", "day-2", "day-3"]
    assert [(s.path.rsplit(":", 1)[-1], s.kind) for s in skipped] == [("4", "duplicate"), ("5", "duplicate")]
    assert all(f"same text as {tmp_path / 'day.jsonl'}:1 " in s.reason for s in skipped)


def test_a_hidden_article_file_is_named_not_passed_over(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="corroborate")
    _write(tmp_path, {"a.txt": ARTICLE, ".draft.txt": OTHER, ".DS_Store": b"\x00\x01",
                      ".git/HEAD.txt": "ref: refs/heads/main"})
    docs, [s] = read_inputs(tmp_path)
    assert [d.id for d in docs] == ["a"]
    assert s.kind == "hidden" and ".draft.txt" in s.reason and "rename it without the dot" in s.reason
    assert "hidden folder(s) not read: .git" in caplog.text
    [doc], _ = read_inputs(tmp_path / ".draft.txt")              # given by name, it is read
    assert doc.text == OTHER


def test_a_symbolic_link_loop_is_called_a_loop(tmp_path):
    _write(tmp_path, {"a.txt": ARTICLE})
    (tmp_path / "self").symlink_to("self")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (tmp_path / "up").symlink_to(".")                              # a link back up: read once
    docs, skipped = read_inputs(tmp_path)
    assert [d.id for d in docs] == ["a"]
    reasons = {s.path.rsplit("/", 1)[-1]: (s.kind, s.reason) for s in skipped}
    assert set(reasons) == {"self", "gone.txt"}
    assert reasons["self"][0] == "link-loop" and "leads back to itself (a loop)" in reasons["self"][1]
    assert "unsupported" not in reasons["self"][1]
    assert reasons["gone.txt"][0] == "missing" and "broken symbolic link" in reasons["gone.txt"][1]
    _, [s] = read_inputs(tmp_path / "self")
    assert s.kind == "link-loop"


def test_an_unknown_encoding_is_refused_before_anything_is_read(tmp_path):
    _write(tmp_path, {"a.txt": ARTICLE})
    with pytest.raises(InputError, match="unknown encoding 'klingon'"):
        next(iter(read_inputs(tmp_path, encoding="klingon")))
    with pytest.raises(InputError, match="not a text encoding"):
        read_inputs(tmp_path, encoding="rot13")


def test_a_linked_folder_is_named_as_it_was_given(tmp_path):
    _write(tmp_path / "2024-02-19", {"article1.txt": ARTICLE})
    _write(tmp_path / "b", {"article1.txt": OTHER})
    (tmp_path / "latest").symlink_to(tmp_path / "2024-02-19")
    docs, _ = read_inputs([tmp_path / "latest", tmp_path / "b"])
    assert [d.id for d in docs] == ["latest/article1", "b/article1"]
