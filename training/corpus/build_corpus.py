"""Build the training corpus (passages-NN.jsonl) from its authoring files (src/*.txt).

The authoring format keeps one passage per block, separated by blank lines:

    # 2024-06-12
    The passage text, on one line (" ¶ " stands for a line break, after a headline).
    E type.subtype | actor | target | modality | asserted_by | evidence [| other mention ...]
    C kind | speaker | cue | content
    K status count[-count_max] qualifier | who | perpetrator | asserted_by | modality | evidence [| other mention ...]

"-" is null, "." in the modality field is "asserted" and in the asserted_by field is "author".
Several actors, targets or perpetrators are separated by " ; ". A substring that is meant at its
k-th occurrence in the text ends in " @k". Lines starting with "//" are comments.

Usage: python3 training/corpus/build_corpus.py   (writes passages-NN.jsonl next to this file,
100 passages a file, ids tc-0001... in the order of the src files). check_corpus.py validates the
result; the JSONL files are what the project reads.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PER_FILE = 100
OCC = re.compile(r"^(?P<s>.*?)\s+@(?P<k>\d+)$")


class SourceError(Exception):
    pass


def _null(v: str):
    v = v.strip()
    if v == "-":
        return None
    if " ; " in v:
        return [p.strip() for p in v.split(" ; ")]
    return v


def _span(v: str) -> tuple[str, int]:
    v = v.strip()
    m = OCC.match(v)
    if m:
        return m.group("s"), int(m.group("k"))
    return v, 1


def _put_span(d: dict, key: str, v: str) -> None:
    s, k = _span(v)
    d[key] = s
    if k != 1:
        d["occurrence"] = k


def _mentions(fields: list[str]) -> list:
    out = []
    for f in fields:
        s, k = _span(f)
        out.append(s if k == 1 else {"text": s, "occurrence": k})
    return out


def parse_block(lines: list[str], where: str) -> dict:
    head = lines[0]
    if not head.startswith("# "):
        raise SourceError(f"{where}: a passage starts with '# <published date>'")
    published = head[2:].strip()
    if len(lines) < 2:
        raise SourceError(f"{where}: no text")
    text = lines[1].strip().replace(" ¶ ", "\n")
    rec = {"id": None, "published": published, "outlet": None, "text": text,
           "events": [], "claims": [], "casualties": []}
    for ln in lines[2:]:
        tag, _, rest = ln.partition(" ")
        f = [x.strip() for x in rest.split(" | ")]
        if tag == "E":
            if len(f) < 6:
                raise SourceError(f"{where}: event needs 6 fields: {ln}")
            typ, _, sub = f[0].partition(".")
            ev = {"type": typ, "subtype": sub, "actor": _null(f[1]), "target": _null(f[2]),
                  "modality": "asserted" if f[3] == "." else f[3],
                  "asserted_by": "author" if f[4] == "." else f[4]}
            _put_span(ev, "evidence_text", f[5])
            if len(f) > 6:
                ev["other_mentions"] = _mentions(f[6:])
            rec["events"].append(ev)
        elif tag == "C":
            if len(f) != 4:
                raise SourceError(f"{where}: claim needs 4 fields: {ln}")
            cl = {"speaker": f[1], "cue": f[2], "kind": f[0]}
            _put_span(cl, "content", f[3])
            rec["claims"].append(cl)
        elif tag == "K":
            if len(f) < 6:
                raise SourceError(f"{where}: casualty needs 6 fields: {ln}")
            parts = f[0].split()
            if len(parts) != 3:
                raise SourceError(f"{where}: 'status count qualifier' expected: {ln}")
            status, num, qual = parts
            lo, _, hi = num.partition("-")
            ca = {"status": status, "count": int(lo), "count_max": int(hi) if hi else None,
                  "qualifier": qual, "who": f[1], "perpetrator": _null(f[2]),
                  "asserted_by": "author" if f[3] == "." else f[3],
                  "modality": "asserted" if f[4] == "." else f[4]}
            _put_span(ca, "evidence_text", f[5])
            if len(f) > 6:
                ca["other_mentions"] = _mentions(f[6:])
            rec["casualties"].append(ca)
        else:
            raise SourceError(f"{where}: unknown line tag {tag!r}: {ln}")
    return rec


def read_sources(src: Path) -> list[dict]:
    records = []
    for path in sorted(src.glob("*.txt")):
        block: list[str] = []
        start = 0
        lines = path.read_text(encoding="utf-8").splitlines() + [""]
        for i, ln in enumerate(lines, 1):
            if ln.startswith("//"):
                continue
            if ln.strip():
                if not block:
                    start = i
                block.append(ln.rstrip())
            elif block:
                records.append(parse_block(block, f"{path.name}:{start}"))
                block = []
    for n, rec in enumerate(records, 1):
        rec["id"] = f"tc-{n:04d}"
    return records


def main() -> int:
    try:
        records = read_sources(HERE / "src")
    except SourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for old in HERE.glob("passages-*.jsonl"):
        old.unlink()
    for i in range(0, len(records), PER_FILE):
        out = HERE / f"passages-{i // PER_FILE + 1:02d}.jsonl"
        with out.open("w", encoding="utf-8") as fh:
            for rec in records[i:i + PER_FILE]:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"{len(records)} passages written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
