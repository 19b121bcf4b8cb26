"""Benchmark: analysis time of one very long sentence (no full stop), for 10,000 to 160,000 characters.

    python bench/long_sentence.py [--sizes 10000,40000,160000]

Prints seconds per size and per 10,000 characters: linear time keeps the last column flat.  The
text is a synthetic run of casualty clauses joined by commas (written here, no article text).
"""

from __future__ import annotations

import argparse
import time

from trucewatch.pipeline import Extractor

TOWNS = ["Rafah", "Khan Younis", "Deir al-Balah", "Jabalia", "Beit Lahia", "Nuseirat", "Bureij", "Maghazi"]


def sentence(chars: int) -> str:
    parts, n = [], 0
    while sum(len(p) + 6 for p in parts) < chars:
        parts.append(f"{n % 40 + 2} people were wounded in {TOWNS[n % len(TOWNS)]} according to medics")
        n += 1
    return "Long report\n\nMedics counted the wounded through the night, " + ", and ".join(parts) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,40000,160000")
    a = ap.parse_args()
    ex = Extractor()
    ex.text("Warm up\n\nTwo people were hurt.\n")
    print(f"{'chars':>9} {'seconds':>9} {'s / 10k chars':>14}")
    for size in (int(s) for s in a.sizes.split(",")):
        text = sentence(size)
        t0 = time.perf_counter()
        ex.text(text)
        secs = time.perf_counter() - t0
        print(f"{len(text):>9,} {secs:>9.2f} {secs / len(text) * 10_000:>14.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
