"""Synthetic news-sentence pairs that teach the relation models what a relay and a contradiction look like.

ANS and ArNLI are headline and caption pairs: there, two near-identical texts are usually a
minimal edit that flips the meaning, so a model trained on them alone calls two relays of
one Reuters sentence ("منذ الرابع من فبراير" / "منذ الرابع من الشهر الجاري") a disagreement,
and any two sentences of one story a contradiction. These pairs come from sentences of the
Baly et al. articles (training folds only) and cover the three cases a news desk sees:

- agree: the same sentence relayed with the edits relaying outlets make (spelling variants,
  digits spelled out, attribution added or dropped, a trailing clause cut);
- disagree: the same sentence with one meaning-flipping edit (a negator inserted or
  removed, a predicate replaced by its antonym, a number changed);
- other: two different sentences of one article (same story, different facts).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

_SENT_END = re.compile(r"(?<=[.!?؟])\s+|\n+")
_ARABIC = re.compile(r"[\u0621-\u064a]")
_LATIN = re.compile(r"[A-Za-z]")
_JUNK = re.compile(r"[{}|<>@#]|https?:|www\.")

_SPELLING = [("أمريكي", "أميركي"), ("إيران", "ايران"), ("إلى", "الى"), ("أن ", "ان "),
             ("إن ", "ان "), ("ة ", "ه "), ("ى ", "ي "), ("الأمم المتحدة", "الامم المتحدة")]
_NUMBER_WORDS = {"2": "اثنين", "3": "ثلاثة", "4": "أربعة", "5": "خمسة", "6": "ستة", "7": "سبعة",
                 "8": "ثمانية", "9": "تسعة", "10": "عشرة"}
_ATTRIBUTIONS = ("وقالت مصادر إن ", "وذكرت وكالة رويترز أن ", "وأفادت تقارير إعلامية بأن ",
                 "وقال مسؤول طلب عدم نشر اسمه إن ", "وأشار المصدر إلى أن ")
_LEADING_ATTRIBUTION = re.compile(r"^(و?(قال|قالت|ذكر|ذكرت|أضاف|أضافت|أكد|أكدت|أوضح|أوضحت)\s+[^،,]{2,60}?\s+(إن|أن)\s+)")
# surface antonyms (each side as it is written in running text; either direction is used)
_ANTONYM_WORDS = [("ارتفع", "انخفض"), ("ارتفاع", "انخفاض"), ("ارتفعت", "انخفضت"), ("نجح", "فشل"),
                  ("نجحت", "فشلت"), ("نجاح", "فشل"), ("وافق", "رفض"), ("وافقت", "رفضت"),
                  ("الموافقة", "الرفض"), ("زيادة", "تراجع"), ("فاز", "خسر"), ("فوز", "خسارة"),
                  ("أكد", "نفى"), ("أكدت", "نفت"), ("يؤكد", "ينفي"), ("تؤكد", "تنفي"),
                  ("السماح", "منع"), ("فتح", "إغلاق"), ("الإفراج", "اعتقال"), ("استمرار", "توقف"),
                  ("يواصل", "يوقف"), ("تواصل", "توقف"), ("أعلى", "أدنى"), ("أكبر", "أصغر"),
                  ("علنية", "سرية"), ("انسحاب", "بقاء"), ("قبل", "بعد"), ("دعم", "عارض"),
                  ("يدعم", "يعارض"), ("تدعم", "تعارض"), ("الحرب", "السلام"), ("التصعيد", "التهدئة")]
_NEGATORS = ("لم", "لا", "لن", "ليس")
_STOP_VERBS = {"تم", "يتم", "تعد", "يعد", "يكون", "تكون", "يمكن", "تمكن", "نحو"}


def _looks_imperfect(word: str) -> bool:
    # يـ/تـ verbs; nouns in تـ mostly end in a feminine or plural ending
    if len(word) < 4 or word[0] not in "يت":
        return False
    return word[0] == "ي" or not word.endswith(("ة", "ات", "ية", "يا", "ي"))


def article_sentences(text: str, *, min_chars: int = 50, max_chars: int = 220) -> list[str]:
    """Clean, mostly-Arabic sentences of a scraped article, in order."""
    out = []
    for part in _SENT_END.split(text):
        s = " ".join(part.split()).strip(" .")
        if not (min_chars <= len(s) <= max_chars) or _JUNK.search(s):
            continue
        letters = len(_ARABIC.findall(s)) + len(_LATIN.findall(s))
        if letters == 0 or len(_ARABIC.findall(s)) / letters < 0.9 or len(s.split()) < 8:
            continue
        out.append(s)
    return list(dict.fromkeys(out))


def relay(sentence: str, rng: np.random.Generator) -> str:
    """The sentence as another outlet relaying it might print it: same fact, other surface."""
    s = sentence
    edits = rng.permutation(5)[: rng.integers(1, 4)]
    for e in edits:
        if e == 0:
            for a, b in _SPELLING:
                if rng.random() < 0.5:
                    s = s.replace(a, b) if a in s else s.replace(b, a)
        elif e == 1:
            nums = [m for m in re.finditer(r"(?<!\d)([2-9]|10)(?!\d)", s)]
            if nums:
                m = nums[rng.integers(len(nums))]
                s = s[:m.start()] + _NUMBER_WORDS[m.group(1)] + s[m.end():]
        elif e == 2:
            lead = _LEADING_ATTRIBUTION.match(s)
            if lead:
                s = s[lead.end():]
            else:  # the attribution takes over the sentence's leading «و»
                s = _ATTRIBUTIONS[rng.integers(len(_ATTRIBUTIONS))] + (s[1:] if s.startswith("و") else s)
        elif e == 3:
            cut = s.rfind("،")
            if cut >= 0.6 * len(s):
                s = s[:cut]
        else:
            s = s.replace("،", "", 1) if "،" in s else s
    return s


def flip(sentence: str, rng: np.random.Generator) -> str | None:
    """The sentence with one edit that makes it say the opposite, or None when none applies."""
    words = sentence.split()
    options = []
    for i, w in enumerate(words):
        bare = w.lstrip("و")
        if w in _NEGATORS or (w.startswith("و") and bare in _NEGATORS and len(w) <= 4):
            if i + 1 < len(words):
                options.append(("drop", i))
        for a, b in _ANTONYM_WORDS:
            for x, y in ((a, b), (b, a)):
                for pre in ("", "و", "ب", "ل", "ال", "وال", "بال"):
                    if w == pre + x:
                        options.append(("swap", i, pre + y))
        if (i < 10 and _looks_imperfect(bare) and bare not in _STOP_VERBS
                and (i == 0 or words[i - 1] not in _NEGATORS)):
            options.append(("negate", i))
        if re.fullmatch(r"\d{1,4}", w):
            options.append(("number", i))
    if not options:
        return None
    op = options[rng.integers(len(options))]
    out = list(words)
    if op[0] == "drop":
        out[op[1]] = "و" if out[op[1]].startswith("و") else ""
        if out[op[1]] == "و":
            out[op[1] + 1] = "و" + out[op[1] + 1]
            out[op[1]] = ""
    elif op[0] == "swap":
        out[op[1]] = op[2]
    elif op[0] == "negate":
        w = out[op[1]]
        prefix = "و" if w.startswith("و") and w[1:2] in ("ي", "ت") else ""
        out[op[1]] = f"{prefix}لا {w[len(prefix):]}"
    else:
        n = int(out[op[1]])
        out[op[1]] = str(n + int(rng.integers(1, 4)) if n < 1900 else n - int(rng.integers(1, 6)))
    return " ".join(w for w in out if w)


def synthetic_pairs(data_dir: Path | str, folds=(1, 2), *, n_per_label: int = 900, seed: int = 42):
    """`n_per_label` agree, disagree and other pairs from the articles of the given Baly folds."""
    import pandas as pd

    from .datasets import load_baly

    rng = np.random.default_rng(seed)
    articles = load_baly(data_dir, folds).drop_duplicates("s2").s2.tolist()
    per_article = [article_sentences(a) for a in articles]
    per_article = [s for s in per_article if len(s) >= 2]
    sentences = [s for sents in per_article for s in sents]
    sentences = list(dict.fromkeys(sentences))
    rows = []
    for i in rng.permutation(len(sentences)):
        if sum(r[2] == "agree" for r in rows) >= n_per_label:
            break
        s = sentences[i]
        r = relay(s, rng)
        if r != s:
            rows.append((s, r, "agree") if rng.random() < 0.5 else (r, s, "agree"))
    flipped = 0
    for i in rng.permutation(len(sentences)):
        if flipped >= n_per_label:
            break
        s = sentences[i]
        f = flip(s, rng)
        if f is None or f == s:
            continue
        if rng.random() < 0.3:
            f = relay(f, rng)
        rows.append((s, f, "disagree") if rng.random() < 0.5 else (f, s, "disagree"))
        flipped += 1
    for k in range(n_per_label):
        sents = per_article[rng.integers(len(per_article))]
        a, b = rng.choice(len(sents), size=2, replace=False)
        rows.append((sents[a], sents[b], "other"))
    return pd.DataFrame(rows, columns=["s1", "s2", "label"])
