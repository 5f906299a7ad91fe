"""Train the shipped text models from ../shared/datasets (scikit-learn, dev extra).

    .venv/bin/python scripts/train_classifiers.py [--datasets ../shared/datasets] [--quick]
        [--only sentiment|complaint|language] [--seeds 0 1 2]

Writes engagement/classifiers/models/{sentiment,complaint,language}.json.gz (format 2:
occurrence-count tf-idf, see engagement.classifiers._linear) and complaint_words.npz, and
prints the validation figures as one JSON object. Validation splits are only scored, never
trained on; hyper-parameters (C, thresholds) are chosen by cross-validation on the train splits.

Models (logistic regression over the features of engagement.classifiers._features):
- sentiment: English + French train splits, tf-idf n-grams + 3 lexicon features
  (VADER's English lexicon, MIT, plus French and emoji cues below), balanced classes.
- complaint: scripts/complaint_model.py (n-gram NB-LR heads and MiniLM word-vector heads;
  the word vectors come from scripts/word_vectors.py, train extra). Figures: nested 5-fold
  CV per split seed (``--seeds``), see COMPLAINT_PROTOCOL (the test split is held out by the
  dataset's authors).
- language: en/fr/de/es/it/pt from the sentiment train splits (Arabic/Devanagari by script).
"""

from __future__ import annotations

import argparse
import json
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from _common import DENSE_SCALE, ROOT, SEED, export, fit_lr, read, vectorizer
from complaint_model import train_complaint
from scipy.sparse import csr_matrix, hstack
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from engagement.classifiers._features import Polarity, analyze, strip_leading_mentions
from engagement.eval import multiclass_scores


def _words(text: str) -> list[str]:
    return text.split()


# French polarity cues and emoji (hand-written; VADER covers English words and emoticons).
FRENCH_CUES: dict[str, float] = {
    **dict.fromkeys(
        _words(
            "super génial genial excellent excellente parfait parfaite bravo merci top magnifique "
            "formidable adore aime j'adore j'aime géniale superbe incroyable félicitations chapeau "
            "heureux heureuse ravi ravie content contente cool efficace rapide bien beau belle "
            "meilleur meilleure merveilleux fantastique sympa agréable réussi réussite gagné "
            "plaisir fier fière fiers magique impeccable top classe"
        ),
        2.0,
    ),
    **dict.fromkeys(
        _words(
            "nul nulle nuls honte honteux honteuse scandale scandaleux arnaque inadmissible "
            "inacceptable déçu déçue déception décevant décevante horrible catastrophe "
            "catastrophique pire mauvais mauvaise lamentable ridicule énervé énervée marre "
            "problème problèmes panne bug bugs cassé cassée lent lente triste colère furieux "
            "furieuse inquiet inquiète peur mort morts attentat crise chômage grève retard "
            "annulé annulée perdu perdue jamais dégoûté dégoûtée pitoyable escroquerie "
            "malheureusement hélas dommage galère merde putain"
        ),
        -2.0,
    ),
}
EMOJI_CUES: dict[str, float] = {
    **dict.fromkeys(list("😀😃😄😁😆😊😍🥰😘😎🤩👍👏🙏❤💕💖💯🔥🎉✨🙌💪😂🤣☺😇🥳💙💚💛💜🧡"), 2.0),
    **dict.fromkeys(list("😡😠🤬😢😭😞😔😤👎💔😒🙄😩😫😱😰😥😓🤮😖😣"), -2.0),
}
SENTIMENT_LANGS = ("english", "french")
LANGUAGES = {
    "english": "en",
    "french": "fr",
    "german": "de",
    "spanish": "es",
    "italian": "it",
    "portuguese": "pt",
}


def vader_lexicon() -> dict[str, float]:
    text = resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_text("utf-8")
    lexicon: dict[str, float] = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and " " not in parts[0]:
            lexicon[parts[0].lower()] = float(parts[1])
    return lexicon


def dense(texts: list[str], lexicon: dict[str, float]) -> csr_matrix:
    polarity = Polarity(lexicon)
    rows = [polarity.scores(analyze(t)[1]) for t in texts]
    return csr_matrix(np.asarray(rows, dtype=float) * DENSE_SCALE)


def train_sentiment(base: Path, lexicon: dict[str, float], cs: list[float]) -> dict[str, Any]:
    texts: list[str] = []
    labels: list[int] = []
    langs: list[str] = []
    for lang in SENTIMENT_LANGS:
        t = [strip_leading_mentions(v) for v in read(base / "sentiment" / lang / "train_text.txt")]
        texts += t
        labels += [int(v) for v in read(base / "sentiment" / lang / "train_labels.txt")]
        langs += [lang] * len(t)
    y = np.asarray(labels)
    lang_arr = np.asarray(langs)
    d_all = dense(texts, lexicon)
    strata = np.asarray([f"{lg}{lb}" for lg, lb in zip(langs, labels, strict=True)])
    folds = list(StratifiedKFold(5, shuffle=True, random_state=SEED).split(texts, strata))
    cv: dict[str, float] = {}
    for c in cs:
        preds = np.zeros(len(y), dtype=int)
        for tr, te in folds:
            vec = vectorizer(2)
            xtr = hstack([vec.fit_transform([texts[i] for i in tr]), d_all[tr]]).tocsr()
            xte = hstack([vec.transform([texts[i] for i in te]), d_all[te]]).tocsr()
            preds[te] = fit_lr(xtr, y[tr], c).predict(xte)
        per = [
            multiclass_scores(list(y[lang_arr == lg]), list(preds[lang_arr == lg])).macro_f1
            for lg in SENTIMENT_LANGS
        ]
        cv[str(c)] = round(float(min(per)), 4)
        print(f"sentiment C={c} cv macro-F1 en/fr={per}", file=sys.stderr)
    best_c = float(max(cv, key=lambda k: cv[k]))
    vec = vectorizer(2)
    x = hstack([vec.fit_transform(texts), d_all]).tocsr()
    model = fit_lr(x, y, best_c)
    val: dict[str, Any] = {}
    for lang in (*SENTIMENT_LANGS, "tweeteval"):
        vt = [strip_leading_mentions(v) for v in read(base / "sentiment" / lang / "val_text.txt")]
        vy = [int(v) for v in read(base / "sentiment" / lang / "val_labels.txt")]
        xv = hstack([vec.transform(vt), dense(vt, lexicon)]).tocsr()
        val[lang] = multiclass_scores(vy, [int(p) for p in model.predict(xv)]).to_dict()
    meta = {"C": best_c, "cv_min_macro_f1": cv, "train": list(SENTIMENT_LANGS), "val": val}
    path = export(
        "sentiment",
        vec,
        model.coef_,
        model.intercept_,
        ["negative", "neutral", "positive"],
        "softmax",
        3,
        {"lexicon": lexicon, "meta": meta},
    )
    return {**meta, "file": path.name, "features": len(vec.idf_)}


def train_language(base: Path) -> dict[str, Any]:
    texts: list[str] = []
    labels: list[int] = []
    codes = list(LANGUAGES.values())
    for folder, code in LANGUAGES.items():
        t = read(base / "sentiment" / folder / "train_text.txt")
        texts += t
        labels += [codes.index(code)] * len(t)
    y = np.asarray(labels)
    vec = vectorizer(8)
    model = LogisticRegression(C=10.0, max_iter=5000).fit(vec.fit_transform(texts), y)
    val_texts: list[str] = []
    val_y: list[int] = []
    for folder, code in LANGUAGES.items():
        t = read(base / "sentiment" / folder / "val_text.txt")
        val_texts += t
        val_y += [codes.index(code)] * len(t)
    pred = [int(p) for p in model.predict(vec.transform(val_texts))]
    acc = sum(int(a == b) for a, b in zip(val_y, pred, strict=True)) / len(val_y)
    meta = {"val_accuracy": round(acc, 4), "n_val": len(val_y)}
    path = export(
        "language",
        vec,
        model.coef_,
        model.intercept_,
        codes,
        "softmax",
        0,
        {"meta": meta},
    )
    return {**meta, "file": path.name, "features": len(vec.idf_)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=ROOT / ".." / "shared" / "datasets")
    parser.add_argument("--quick", action="store_true", help="one C per model (smoke run)")
    parser.add_argument("--only", choices=["sentiment", "complaint", "language"])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0], help="complaint CV splits")
    args = parser.parse_args()
    base: Path = args.datasets.resolve()
    if not (base / "sentiment").is_dir():
        print(f"datasets not found at {base}", file=sys.stderr)
        return 2
    lexicon = {**vader_lexicon(), **FRENCH_CUES, **EMOJI_CUES}
    report: dict[str, Any] = {}
    if args.only in (None, "language"):
        report["language"] = train_language(base)
    if args.only in (None, "sentiment"):
        cs = [2.0] if args.quick else [0.5, 1.0, 2.0, 4.0]
        report["sentiment"] = train_sentiment(base, lexicon, cs)
    if args.only in (None, "complaint"):  # after sentiment: its rule path reads that model
        report["complaint"] = train_complaint(base, args.seeds)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
