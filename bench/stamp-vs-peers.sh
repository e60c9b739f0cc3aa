#!/usr/bin/env bash
# The stamping engine against its peers, side by side in one run (the machine is shared: compare ratios, not times):
#   1. ../shared/bench-peers/limit.sh <size>   one SHA-256 pass over the file + one RSA-2048 signature (the floor)
#   2. the PDFBox peer, one thread              (copied to a temporary folder: its run.sh writes next to itself)
#   3. meterai bench stamp --threads 1 and --threads 2
# then prints the ratios the issue asks for.
#
# usage: bench/stamp-vs-peers.sh FILE.pdf      env: SECONDS_PER_RUN=10 PDFBOX_N=200
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
FILE=$(readlink -f "${1:?usage: bench/stamp-vs-peers.sh FILE.pdf}")
SHARED=$(readlink -f "$ROOT/../shared/bench-peers")
SECS=${SECONDS_PER_RUN:-10}
N=${PDFBOX_N:-200}
SIZE=$(stat -c %s "$FILE")
WORK=$(mktemp -d /tmp/meterai-peers.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

log() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

log "limit: sha256 of $SIZE bytes + one RSA-2048 signature"
"$SHARED/limit.sh" "$SIZE" | tee "$WORK/limit.txt"
LIMIT_OUT=$(tail -n 1 "$WORK/limit.txt")

log "pdfbox peer, one thread (running from a copy in $WORK)"
cp -r "$SHARED/pdfbox" "$WORK/pdfbox"
chmod -R u+w "$WORK/pdfbox"
"$WORK/pdfbox/run.sh" "$FILE" "$N" "$WORK/pdfbox-out" | tee "$WORK/pdfbox.txt"
PDFBOX_OUT=$(tail -n 1 "$WORK/pdfbox.txt")

log "meterai, one thread"
(cd "$ROOT" && ./meterai bench stamp --file "$FILE" --threads 1 --seconds "$SECS") | tee "$WORK/m1.txt"
log "meterai, two threads"
(cd "$ROOT" && ./meterai bench stamp --file "$FILE" --threads 2 --seconds "$SECS") | tee "$WORK/m2.txt"

limit_us=$(sed -E 's/^limit: ([0-9.]+) us\/stamp.*/\1/' <<<"$LIMIT_OUT")
pdfbox_ms=$(sed -E 's/^pdfbox: [0-9]+ docs, ([0-9.]+) ms\/doc.*/\1/' <<<"$PDFBOX_OUT")
m1_median=$(sed -nE 's/^latency: median ([0-9.]+) ms.*/\1/p' "$WORK/m1.txt")
m1_rate=$(sed -nE 's/^meterai: [0-9]+ docs, ([0-9.]+) stamps\/s.*/\1/p' "$WORK/m1.txt")
m2_rate=$(sed -nE 's/^meterai: [0-9]+ docs, ([0-9.]+) stamps\/s.*/\1/p' "$WORK/m2.txt")
m1_alloc=$(sed -nE 's/^meterai: .* ([0-9]+) allocated bytes\/doc$/\1/p' "$WORK/m1.txt")

log "ratios ($(basename "$FILE"), $SIZE bytes, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ))"
awk -v limit="$limit_us" -v pdfbox="$pdfbox_ms" -v med="$m1_median" -v r1="$m1_rate" -v r2="$m2_rate" -v alloc="$m1_alloc" 'BEGIN {
  printf "limit (sha256 + RSA-2048):     %8.1f us/stamp\n", limit
  printf "pdfbox, 1 thread, median:      %8.3f ms/doc\n", pdfbox
  printf "meterai, 1 thread, median:     %8.3f ms/doc  (%.0f stamps/s, %d allocated bytes/doc)\n", med, r1, alloc
  printf "meterai, 2 threads:            %8.0f stamps/s (target >= 1500)\n", r2
  printf "meterai vs pdfbox (1 thread):  %8.1fx faster per document (target >= 10x)\n", pdfbox / med
  printf "meterai vs the limit:          %8.2fx the floor (aim <= 1.5x)\n", med * 1000 / limit
}'
