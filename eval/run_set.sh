#!/bin/sh
# eval/run_set.sh SET [OUTDIR]: extract one development-kit set and score it (development aid)
set -e
S=$1; O=${2:-out/eval}; mkdir -p "$O"
.venv/bin/trucewatch extract --meta eval/data/dev/$S/texts/meta.jsonl --format jsonl > "$O/$S.jsonl"
python3 ../shared/eval/score.py eval/data/dev/$S/gold "$O/$S.jsonl" ${VERBOSE:+--verbose}
