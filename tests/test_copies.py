import json

import pytest

from corroborate.claims import repeated_lines, split_claims
from corroborate.metadata import extract_metadata
from corroborate.model import Claim, Document
from corroborate.neighbours import near_copies
from corroborate.text.datelines import parse_dateline
from corroborate.text.normalize import normalize_text

# An SPA dispatch and two papers that print it: one word for word, one with its own opening
# sentence and the dispatch after it; a third paper tells the same event in its own words.
DATELINE = "جدة 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م واس"
WIRE = ["أعلنت وزارة الصحة السعودية تسجيل 12 إصابة جديدة بفيروس كورونا في الرياض خلال الأيام الثلاثة الماضية.",
        "وأوضحت الوزارة في بيان أن المصابين نقلوا إلى مستشفى الملك فهد للعلاج وأن حالتهم مستقرة.",
        "ودعت الوزارة المواطنين إلى مراجعة أقرب مركز صحي عند ظهور أعراض الحمى والسعال."]
OPENING = "تواصل الجهات الصحية في المملكة متابعة انتشار الفيروس منذ مطلع الصيف الجاري في عدة مناطق."
OWN = "قال مسؤول في مستشفى الملك فهد بالرياض لمراسلنا إن المستشفى استقبل اثنتي عشرة حالة كورونا هذا الأسبوع."


def _spa() -> Document:
    text = DATELINE + "\n" + "\n".join(WIRE) + "\n"
    return Document(id="spa", text=text, **_meta(text, "SPA"))


def _meta(text: str, outlet: str) -> dict:
    meta = extract_metadata(text, hint={"outlet": outlet, "published": "2015-08-10"})
    return {k: meta[k] for k in ("title", "outlet", "published", "dateline", "cited_sources")} | \
        {"cited_sources": tuple(meta["cited_sources"])}


def test_a_saudi_press_agency_dateline_is_place_date_and_agency():
    found = parse_dateline(DATELINE)
    assert (found.place, found.date, found.agency) == ("جدة", "2015-08-10", "SPA")
    assert parse_dateline("القاهرة (رويترز) -").agency == "Reuters"
    assert parse_dateline("الرياض - واس").place == "الرياض"


@pytest.mark.parametrize("line", [
    "عين اليوم – جدة",                      # a paper's name and a place: no agency, no date
    "وقع الهجوم في 10 اغسطس 2015",          # a short sentence with a date
    "وقالت رويترز إن الهجوم وقع صباح اليوم في العاصمة",
])
def test_a_sentence_or_a_byline_is_no_dateline(line):
    assert parse_dateline(line) is None


def test_a_dateline_is_metadata_and_never_a_claim():
    doc = _spa()
    assert doc.dateline.agency == "SPA" and doc.published == "2015-08-10"
    claims = split_claims(doc)
    assert claims and not any("شوال" in c.text for c in claims)


def test_a_line_an_outlet_repeats_across_its_articles_is_furniture():
    footer = "للاشتراك في خدمة الرسائل تبدأ بالرمز ({}) ثم مسافة ثم نص الرسالة"
    claims, outlets = [], {}
    for n, story in enumerate(["افتتح أمير المنطقة مشروع الطريق الدائري الجديد بتكلفة كبيرة",
                               "أعلنت الجامعة بدء التسجيل للفصل الدراسي المقبل عبر البوابة",
                               "حذر الدفاع المدني من السيول المتوقعة في المرتفعات الجنوبية"]):
        doc_id = f"madina-{n}"
        outlets[doc_id] = "Al Madina"
        claims += [Claim(f"c-{doc_id}:0", doc_id, 0, len(story), story),
                   Claim(f"c-{doc_id}:99", doc_id, 99, 150, footer.format(47 + n))]
    # another outlet printing the same footer once is no evidence against it
    outlets["okaz-1"] = "Okaz"
    claims.append(Claim("c-okaz-1:0", "okaz-1", 0, 40, footer.format(88)))
    dropped = repeated_lines(claims, outlets, repeats=3)
    assert dropped == {f"c-madina-{n}:99" for n in range(3)}
    assert repeated_lines(claims, outlets, repeats=4) == set()


def test_a_folder_without_outlets_learns_no_furniture():
    line = "للاشتراك في خدمة الرسائل تبدأ بالرمز (47) ثم مسافة ثم نص الرسالة"
    claims = [Claim(f"c-{d}:0", d, 0, len(line), line) for d in "abcd"]
    assert repeated_lines(claims, {d: None for d in "abcd"}, repeats=3) == set()


@pytest.fixture(scope="module")
def wire_day(tmp_path_factory, models):
    from corroborate.pipeline import analyze

    folder = tmp_path_factory.mktemp("day")
    rows = [{"text": _spa().text, "outlet": "SPA", "published": "2015-08-10"},
            # word for word, with the dateline and without saying whose text it is
            {"text": _spa().text, "outlet": "Okaz", "published": "2015-08-10"},
            # its own opening, then the dispatch without its dateline, one word changed
            {"text": OPENING + "\n" + "\n".join(WIRE).replace("أقرب مركز", "أقرب المراكز") + "\n",
             "outlet": "Al Madina", "published": "2015-08-10"},
            {"text": OWN + "\n", "outlet": "Al Riyadh", "published": "2015-08-10"}]
    pile = folder / "day.jsonl"
    pile.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return analyze(pile, models=models)


def test_a_wire_reprinted_by_two_papers_is_one_origin(wire_day):
    docs = {d.outlet: d for d in wire_day.documents}
    claims = {c.id: c for c in wire_day.claims}
    first = next(k for k in wire_day.clusters if any(WIRE[1][:30] in claims[i].text for i in k.claim_ids))
    assert {docs_outlet for docs_outlet in first.outlets} == {"SPA", "Okaz", "Al Madina"}
    assert first.origins == ("SPA",) and first.independent_sources == 1 and first.status == "relayed"
    assert any(note.how == "copies" and note.origin == "SPA" for note in first.origin_notes)
    # the reprints name the claim whose words they copy, in SPA's own dispatch
    copied = [c for c in wire_day.claims if c.copy_of]
    assert copied and all(claims[c.copy_of].doc_id == docs["SPA"].id for c in copied)
    assert docs["Al Madina"].reprint_of == docs["SPA"].id
    # the paper's own opening sentence is its own, but the paper reprints SPA: one origin
    opening = next(c for c in wire_day.claims if c.text.startswith(OPENING[:20]))
    assert opening.origin == "SPA"


def test_a_text_told_in_its_own_words_stays_an_independent_origin(wire_day):
    own = next(c for c in wire_day.claims if c.doc_id.endswith("-4"))
    assert own.origin == "Al Riyadh" and own.copy_of is None


def test_near_copies_join_a_wire_sentence_with_one_word_changed():
    texts = [normalize_text(WIRE[2]), normalize_text(WIRE[2].replace("أقرب مركز", "أقرب المراكز")),
             normalize_text(OWN)]
    copies = near_copies(texts, fuzzy=88)
    assert copies(0, 1) and not copies(0, 2)


def test_a_wire_sentence_reworded_around_its_core_is_a_copy_by_its_run_of_words():
    from corroborate.copies import copy_components

    # a site prints the wire's core sentence inside its own wording (rapidfuzz ratio and partial
    # ratio both under 88); a third site reports the same statement in its own words
    wire = ("وأضاف المتحدث باسم الوزارة في مؤتمر صحفي أن كل الأسلحة التي استخدمت لمحاربة المتشددين "
            "ينبغي أن تصبح تحت سيطرة الحكومة")
    reworded = ("وفي رسالة ألقاها أحد مساعديه خلال خطبة الجمعة في كربلاء قال المرجع إن كل الأسلحة التي "
                "استخدمت لمحاربة المتشددين ينبغي أن تصبح تحت سيطرة الحكومة العراقية وحدها")
    own = "دعا السيستاني في خطبة الجمعة في كربلاء إلى حصر السلاح الذي قاتل به المتطوعون تنظيم داعش بيد الدولة"
    texts = [normalize_text(t) for t in (wire, reworded, own)]
    copies = near_copies(texts, fuzzy=88)
    assert not copies(0, 1)
    assert len(set(copy_components(copies, texts, [[0, 1, 2]], run=0).tolist())) == 3
    component = copy_components(copies, texts, [[0, 1, 2]], run=8).tolist()
    assert component[0] == component[1] != component[2]
    # a shorter run of shared words («خطبة الجمعة في كربلاء») is no copy
    apart = copy_components(copies, texts, [[1, 2]], run=8).tolist()
    assert apart[1] != apart[2]


def test_five_words_of_a_wire_sentence_in_a_row_make_a_copy_four_do_not():
    from corroborate.copies import copy_components
    from corroborate.model import Settings

    # a site keeps the wire's core («على إجراء عملية تتسم بالشفافية») inside its own sentence; another
    # tells the summit in its own words and shares only «في ختام القمة الثلاثية» with the copy
    wire = "وقال الرئيس التركي إن الدول الثلاث اتفقت على إجراء عملية تتسم بالشفافية من أجل حل سياسي"
    reworded = "من جهته أكد أردوغان في ختام القمة الثلاثية أنهم اتفقوا على إجراء عملية تتسم بالشفافية"
    own = "وأعلن الرؤساء في ختام القمة الثلاثية مسارا جديدا للتسوية يبدأ بمؤتمر للحوار الوطني"
    texts = [normalize_text(t) for t in (wire, reworded, own)]
    copies = near_copies(texts, fuzzy=88)
    component = copy_components(copies, texts, [[0, 1, 2]], run=Settings().copy_run).tolist()
    assert component[0] == component[1] != component[2]


def test_a_persons_name_in_common_is_no_copied_text():
    from corroborate.copies import copy_components
    from corroborate.model import Settings

    # two papers tell one condolence visit in their own words; both print the prince's full name
    visit = "قام الأمير اللواء تركي بن عبدالله آل سعود أمس بزيارة لمقر العزاء في محافظة الدوادمي"
    own = "قدم تركي بن عبدالله آل سعود واجب العزاء لأسرة الشهيد ونقل إليهم تعازي القيادة"
    texts = [normalize_text(t) for t in (visit, own)]
    component = copy_components(near_copies(texts, fuzzy=88), texts, [[0, 1]], run=Settings().copy_run).tolist()
    assert component[0] != component[1]


def test_a_title_that_runs_through_many_facts_is_no_copied_text():
    from corroborate.copies import FORMULA_CLUSTERS, copy_components

    # two papers report one audience in their own words; both print the governor's full title,
    # which the day's other facts print too: a formula, not a copied sentence
    title = "صاحب السمو الملكي الأمير خالد الفيصل مستشار خادم الحرمين الشريفين أمير منطقة مكة المكرمة"
    facts = [title + " يستقبل وفد الغرفة التجارية في جدة ويبحث معه مشاريع الميناء الجديد",
             "التقى " + title + " أعضاء وفد غرفة جدة في ديوان الإمارة واستمع إلى خططهم للميناء",
             *(f"رعى {title} حفل التخرج رقم {n} في الجامعة" for n in range(FORMULA_CLUSTERS))]
    texts = [normalize_text(t) for t in facts]
    copies = near_copies(texts, fuzzy=88)
    clusters = [[0, 1]] + [[2 + n] for n in range(FORMULA_CLUSTERS)]
    component = copy_components(copies, texts, clusters, run=8).tolist()
    assert component[0] != component[1]
    # seen in fewer clusters, the same run is a copy
    component = copy_components(copies, texts, clusters[:FORMULA_CLUSTERS - 1], run=8).tolist()
    assert component[0] == component[1]


def _passages(*docs: tuple[str, list[str]]) -> list[Claim]:
    """Claims of each (doc id, sentences), in reading order."""
    out = []
    for doc, sentences in docs:
        pos = 0
        for text in sentences:
            out.append(Claim(f"c-{doc}:{pos}", doc, pos, pos + len(text), text))
            pos += len(text) + 1
    return out


def test_a_sentence_reworded_inside_a_passage_two_pages_copied_is_one_text():
    import numpy as np

    from corroborate.copies import drawn_on_one_text

    # page b prints an agency's passage (page a) with its middle sentence reworded; page c, a
    # round-up, quotes the same agency once at its top and reports the last fact itself, further down
    claims = _passages(
        ("a", ["قالت وزارة الداخلية إن انفجارا استهدف دورية للشرطة في قرية العكر مساء الأحد",
               "وأوضحت الوزارة أن الانفجار لم يسفر عن إصابات بين أفراد الدورية",
               "وأضافت أن فرق الأدلة الجنائية باشرت عملها في موقع الانفجار",
               "وأعلنت الوزارة لاحقا توقيف مشتبه به في التفجير"]),
        ("b", ["قالت وزارة الداخلية إن انفجارا استهدف دورية للشرطة في قرية العكر مساء الأحد",
               "ولم يصب أي من رجال الدورية بأذى بحسب الوزارة",
               "وأضافت أن فرق الأدلة الجنائية باشرت عملها في موقع الانفجار"]),
        ("c", ["قالت وزارة الداخلية إن انفجارا استهدف دورية للشرطة في قرية العكر مساء الأحد",
               "وفي شأن آخر افتتح وزير الصحة مستشفى جديدا في المحرق",
               "ويضم المستشفى مئتي سرير وعشر غرف عمليات",
               "كما بحث مجلس الوزراء خطة الإسكان للعام المقبل",
               "وقال مصدر أمني لمراسلنا إن الشرطة أوقفت شابا يشتبه في تورطه بالتفجير"]))
    # sets of copies as `copy_components` gives them: the first sentence in all three pages,
    # the third in a and b; every other claim its own
    component = np.array([0, 1, 2, 3, 0, 5, 2, 0, 8, 9, 10, 11])
    no_injuries, reworded = 1, 5
    arrest, own_arrest = 3, 11
    joined = drawn_on_one_text(claims, component, [[no_injuries, reworded], [arrest, own_arrest]],
                               least=2, around=3)
    assert joined[no_injuries] == joined[reworded]
    # the round-up's copied line is five claims away from its own report of the arrest
    assert joined[arrest] != joined[own_arrest]
    # two copied texts in common are not three; 0 leaves the copies as they were
    once = drawn_on_one_text(claims, component, [[no_injuries, reworded]], least=3, around=3)
    assert once[no_injuries] != once[reworded]
    assert drawn_on_one_text(claims, component, [[no_injuries, reworded]], least=0).tolist() == component.tolist()


def test_the_copy_that_names_its_agency_is_the_source_of_an_unattributed_copy():
    import numpy as np

    from corroborate.copies import assign_copy_origins, find_reprints

    quote = 'وأضاف: "بفضل جهود روسيا وإيران وتركيا تمكنا من تفادي انهيار سوريا"'
    docs = {"a": Document(id="a", text="", outlet="Asharq Al-Awsat"), "b": Document(id="b", text="", outlet="Arabi21")}
    claims = [Claim("c-a:0", "a", 0, len(quote), quote, origin="Asharq Al-Awsat"),
              Claim("c-b:0", "b", 0, len(quote), quote, attributed_to=("Anadolu",), origin="Anadolu")]
    found = find_reprints(claims, docs, np.zeros(2, dtype=np.int64), share=0.5)
    traced = assign_copy_origins(claims, docs, found)
    assert [c.origin for c in traced] == ["Anadolu", "Anadolu"] and traced[0].copy_of == "c-b:0"


def test_the_same_words_are_one_origin_though_one_copy_names_a_source():
    import numpy as np

    from corroborate.copies import assign_copy_origins, find_reprints

    # one site's sentence sits under «بحسب روسيا اليوم», two sites print it without a word of where
    line = "وينتهي تفويض اللجنة المشتركة بين الأمم المتحدة ومنظمة حظر الأسلحة الكيميائية بحلول منتصف ليل الخميس"
    docs = {d: Document(id=d, text="", outlet=o) for d, o in (("a", "218tv"), ("b", "Deutsche Welle"),
                                                              ("c", "Al Arabiya"))}
    claims = [Claim("c-a:0", "a", 0, len(line), line, origin="218tv"),
              Claim("c-b:0", "b", 0, len(line), line, origin="RT"),
              Claim("c-c:0", "c", 0, len(line), line, origin="Al Arabiya")]
    traced = assign_copy_origins(claims, docs, find_reprints(claims, docs, np.zeros(3, dtype=np.int64), share=0.5))
    assert [c.origin for c in traced] == ["RT"] * 3
    assert [c.copy_of for c in traced] == ["c-b:0", None, "c-b:0"]


def test_words_every_page_credits_to_one_agency_are_that_agencys():
    import numpy as np

    from corroborate.copies import assign_copy_origins, find_reprints

    # Sputnik's headline over a story it credits to Reuters, copied by a site that credits
    # Reuters too: the words are Reuters', not a second origin beside it
    line = "دي ميستورا يؤكد أهمية تقييم خطة روسيا لمؤتمر الحوار السوري من مختلف النواحي"
    docs = {"a": Document(id="a", text="", outlet="Sputnik", cited_sources=("Reuters", "Associated Press")),
            "b": Document(id="b", text="", outlet="jpnews-sy.com", cited_sources=("Reuters",))}
    claims = [Claim("c-a:0", "a", 0, len(line), line, origin="Sputnik"),
              Claim("c-b:0", "b", 0, len(line), line, origin="jpnews-sy.com")]
    traced = assign_copy_origins(claims, docs, find_reprints(claims, docs, np.zeros(2, dtype=np.int64), share=0.5))
    assert [c.origin for c in traced] == ["Reuters", "Reuters"]
    # a page that names no agency, or two agencies named by every page, leave the words where they were
    for other in (Document(id="b", text="", outlet="Al Yaum"),
                  Document(id="b", text="", outlet="Al Yaum", cited_sources=("Reuters", "Associated Press"))):
        docs["b"] = other
        traced = assign_copy_origins(claims, docs, find_reprints(claims, docs, np.zeros(2, dtype=np.int64), share=0.5))
        assert [c.origin for c in traced] == ["Sputnik", "Sputnik"]
    # a copy set whose source names its own source keeps it, whatever the pages credit
    docs["b"] = Document(id="b", text="", outlet="jpnews-sy.com", cited_sources=("Reuters",))
    named = [claims[0], Claim("c-b:0", "b", 0, len(line), line, attributed_to=("Sputnik",), origin="Sputnik")]
    traced = assign_copy_origins(named, docs, find_reprints(named, docs, np.zeros(2, dtype=np.int64), share=0.5))
    assert [c.origin for c in traced] == ["Sputnik", "Sputnik"]


def test_a_chain_of_reprints_ends_at_the_agency():
    from corroborate.copies import Reprints, assign_copy_origins

    # Al Watan reprints Al Jazirah's article, which reprints SPA's dispatch; Okaz copies one of
    # Al Watan's sentences word for word: every one of them is SPA's report
    docs = {d: Document(id=d, text="", outlet=o) for d, o in
            (("spa", "SPA"), ("jaz", "Al Jazirah"), ("wat", "Al Watan"), ("okaz", "Okaz"))}
    line = "وأكد المدير الإقليمي للحملة الوطنية أن البرنامج الإيوائي من أبرز المشاريع الإغاثية للحملة"
    claims = [Claim(f"c-{d}:0", d, 0, len(line), line, origin=docs[d].outlet) for d in docs]
    reprints = Reprints(claim_source={"c-okaz:0": "c-wat:0"}, doc_source={"jaz": "spa", "wat": "jaz"})
    traced = assign_copy_origins(claims, docs, reprints)
    assert [c.origin for c in traced] == ["SPA"] * 4
    assert [c.copy_of for c in traced] == [None, None, None, "c-wat:0"]
    # a loop of reprints (two papers each counted the other's source) ends, at one of them
    looped = Reprints(claim_source={}, doc_source={"jaz": "wat", "wat": "jaz"})
    assert {c.origin for c in assign_copy_origins(claims[1:3], docs, looped)} <= {"Al Jazirah", "Al Watan"}


def test_an_outlets_web_address_names_the_outlet():
    from corroborate.text.sources import lookup

    assert lookup("arabic.sputniknews.com") == "Sputnik"
    assert lookup("mubasher.aljazeera.net") == "Al Jazeera"
    assert lookup("smartnews-agency.com") is None
