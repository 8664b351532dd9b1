"""Train kg's reference tagger (kg/load/reference-tagger.crfsuite) on AnyStyle's labelled data.

    python benchmarks/train_reference_tagger.py [SHARED]   # ../shared beside the repo

Trains on core.xml, good.xml, bad.xml and ugly.xml (BSD-2-Clause, see
``SHARED/corpora/reference-strings/anystyle/SOURCE.md``) less every string that gold.xml also
holds (core.xml shares 204 with it), or that begins as one of its strings does (the first 50
characters, case aside: 232 near-copies, the same reference with another ending), so that
gold.xml stays a fair test
(``benchmarks/references.py``). L-BFGS with fixed settings: the same data gives the same file
(checked: two runs, one sha256; about 2-4 minutes on two shared cores).
"""

from __future__ import annotations

import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pycrfsuite

from kg.load.reference_tagger import LABELS, MODEL, word_features

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ("core", "good", "bad", "ugly")


def labelled(path: Path) -> list[tuple[list[str], list[str]]]:
    """An AnyStyle dataset as (words, field of each word) per string."""
    out = []
    for sequence in ET.parse(path).getroot():
        words, labels = [], []
        for child in sequence:
            for word in (child.text or "").split():
                words.append(word)
                labels.append(LABELS.get(child.tag, "other"))
        if words:
            out.append((words, labels))
    return out


def _start(words: list[str]) -> str:
    return " ".join(words)[:50].casefold()


def main(shared: Path) -> None:
    folder = shared / "corpora" / "reference-strings" / "anystyle" / "parser"
    held = {_start(words) for words, _ in labelled(folder / "gold.xml")}
    trainer = pycrfsuite.Trainer(verbose=False)
    count = dropped = 0
    for name in TRAIN:
        for words, labels in labelled(folder / f"{name}.xml"):
            if _start(words) in held:
                dropped += 1
                continue
            trainer.append(word_features(words), labels)
            count += 1
    trainer.set_params({"c1": 0.1, "c2": 0.01, "max_iterations": 150,
                        "feature.possible_transitions": True})  # fmt: skip
    start = time.perf_counter()
    trainer.train(str(MODEL))
    seconds = time.perf_counter() - start
    print(f"trained on {count} strings ({dropped} also in gold.xml, or near copies, left out)"
          f" in {seconds:.0f} s: {MODEL} ({MODEL.stat().st_size:,} bytes)")  # fmt: skip


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared")
