#!/usr/bin/env bash
# The quota ledger's figures, side by side with PostgreSQL's own pgbench on the same cluster in the same run:
#   1. builds the CLI (Release);
#   2. starts a throwaway PostgreSQL cluster with DURABLE settings (fsync on, synchronous_commit on, full_page_writes
#      on: the defaults, unlike scripts/test.sh, which turns fsync off for speed);
#   3. runs `pgbench -i` then `pgbench -N` over TCP like the ledger (TPC-B-like without the branch/teller hot spots:
#      one UPDATE, one SELECT, one INSERT per transaction) with as many clients as the ledger has submitters;
#   4. runs `meterai bench ledger` against the same cluster: uniform over 10,000 accounts, then the hot issuer account;
#   5. runs `meterai bench ledger --db sqlite` (WAL, synchronous=FULL) in a temporary folder;
#   6. prints a summary with the ratios; always stops and removes the cluster.
# Knobs (environment): TRANSFERS (default 200000), ACCOUNTS (10000), CONCURRENCY (32), PGBENCH_SECONDS (20), ROUNDS (1).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TRANSFERS=${TRANSFERS:-200000}
ACCOUNTS=${ACCOUNTS:-10000}
CONCURRENCY=${CONCURRENCY:-32}
PGBENCH_SECONDS=${PGBENCH_SECONDS:-20}
ROUNDS=${ROUNDS:-1}

log() { printf '\033[1m[bench]\033[0m %s\n' "$*" >&2; }

# shellcheck source=../scripts/lib/throwaway-postgres.sh
. "$ROOT/scripts/lib/throwaway-postgres.sh"
PGBIN=$(pg_bin_dir)
[ -x "$PGBIN/initdb" ] && [ -x "$PGBIN/pgbench" ] || { log "PostgreSQL (initdb, pgbench) not found under /usr/lib/postgresql: apt-get install postgresql"; exit 1; }

log "building the CLI (Release)"
dotnet build "$ROOT/src/Meterai.Cli" -c Release -nologo -v quiet >&2
METERAI="$ROOT/src/Meterai.Cli/bin/Release/net10.0/meterai"

cleanup() {
  local rc=$?
  pg_throwaway_stop
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Durable: fsync, synchronous_commit and full_page_writes keep their defaults (on). Only sizes are set.
pg_throwaway_start -c max_connections=200 -c shared_buffers=256MB || { log "FAILED: PostgreSQL could not be started"; exit 1; }
PORT=$PGTMP_PORT
psql_() { "${PGRUN[@]}" "$PGBIN/psql" -h "$PGTMP" -p "$PORT" -U meterai -d postgres -Atc "$1"; }
SETTINGS="fsync=$(psql_ 'show fsync'), synchronous_commit=$(psql_ 'show synchronous_commit'), full_page_writes=$(psql_ 'show full_page_writes'), wal_sync_method=$(psql_ 'show wal_sync_method')"
log "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT: $SETTINGS"
CS="Host=127.0.0.1;Port=$PORT;Username=meterai;Maximum Pool Size=100"

pgbench_run() {
  psql_ "DROP DATABASE IF EXISTS pgbench" >/dev/null 2>&1; psql_ "CREATE DATABASE pgbench" >/dev/null
  "${PGRUN[@]}" "$PGBIN/pgbench" -h 127.0.0.1 -p "$PORT" -U meterai -i -s 10 -q pgbench >/dev/null 2>&1
  "${PGRUN[@]}" "$PGBIN/pgbench" -h 127.0.0.1 -p "$PORT" -U meterai -N -c "$CONCURRENCY" -j 2 -T "$PGBENCH_SECONDS" pgbench 2>/dev/null \
    | awk '/^latency average/ {lat=$4} /^tps/ {tps=$3} END {printf "%.0f %s\n", tps, lat}'
}

ledger_run() { # $1 = database name, rest = extra args
  local db=$1; shift
  psql_ "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1; psql_ "CREATE DATABASE $db" >/dev/null
  "$METERAI" bench ledger --db postgres --connection "$CS;Database=$db" --transfers "$TRANSFERS" --accounts "$ACCOUNTS" --concurrency "$CONCURRENCY" "$@"
}

rate() { awk '/^transfers\/s:/ {print $2}'; }
SUMMARY=()
for round in $(seq 1 "$ROUNDS"); do
  log "round $round/$ROUNDS: pgbench -N -c $CONCURRENCY -j 2 -T $PGBENCH_SECONDS (scale 10)"
  read -r PGB_TPS PGB_LAT < <(pgbench_run)
  echo "pgbench -N: $PGB_TPS tps, latency average $PGB_LAT ms ($CONCURRENCY clients)"
  log "round $round/$ROUNDS: meterai bench ledger, uniform"
  UNIFORM=$(ledger_run ledger_uniform); echo "$UNIFORM"
  log "round $round/$ROUNDS: meterai bench ledger, hot account"
  HOT=$(ledger_run ledger_hot --hot); echo "$HOT"
  log "round $round/$ROUNDS: meterai bench ledger, sqlite"
  SQLITE=$("$METERAI" bench ledger --db sqlite --transfers "$TRANSFERS" --accounts "$ACCOUNTS" --concurrency "$CONCURRENCY"); echo "$SQLITE"
  U=$(rate <<<"$UNIFORM"); H=$(rate <<<"$HOT"); S=$(rate <<<"$SQLITE")
  SUMMARY+=("round $round: pgbench -N $PGB_TPS tps | ledger uniform $U/s ($(awk -v a="$U" -v b="$PGB_TPS" 'BEGIN{printf "%.2f", a/b}')x pgbench) | hot $H/s ($(awk -v a="$H" -v b="$PGB_TPS" 'BEGIN{printf "%.2f", a/b}')x) | sqlite $S/s | load $(cut -d' ' -f1-3 /proc/loadavg)")
done

echo
echo "== summary ($(date -u +%Y-%m-%dT%H:%MZ), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; PostgreSQL $SETTINGS)"
printf '%s\n' "${SUMMARY[@]}"
