#!/usr/bin/env bash
# The payments chaos bench (issue 5), at full size, on a throwaway PostgreSQL with durable settings:
#   1. builds the CLI and the server (Release);
#   2. starts a throwaway PostgreSQL cluster (scripts/lib/throwaway-postgres.sh; fsync and synchronous_commit on);
#   3. starts the sandbox provider as its own process (`meterai paysim`, its own SQLite folder);
#   4. runs `meterai bench payments`: it starts the server as a child process on that database, creates the buyers
#      (sales channels) through the admin API, sets the sandbox's faults (10 % duplicated, 10 % reordered, 5 % dropped,
#      5 % delayed past the order's expiry), lets the buyers order and pay while it SIGKILLs and restarts the server,
#      waits for reconciliation and prints the counts;
#   5. runs `meterai audit` on the database as an independent check;
#   6. always stops the sandbox and removes the cluster.
# Knobs (environment): BUYERS (10000), CONCURRENCY (64), KILLS (5), KILL_EVERY (15 s), ARRIVAL (120 s), EXPIRY (60 s), SEED (7).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUYERS=${BUYERS:-10000}
CONCURRENCY=${CONCURRENCY:-64}
KILLS=${KILLS:-5}
KILL_EVERY=${KILL_EVERY:-15}
ARRIVAL=${ARRIVAL:-120}
EXPIRY=${EXPIRY:-60}
SEED=${SEED:-7}
KEY=bench-paysim-key

log() { printf '\033[1m[bench]\033[0m %s\n' "$*" >&2; }

# shellcheck source=../scripts/lib/throwaway-postgres.sh
. "$ROOT/scripts/lib/throwaway-postgres.sh"
[ -x "$(pg_bin_dir)/initdb" ] || { log "PostgreSQL (initdb) not found under /usr/lib/postgresql: apt-get install postgresql"; exit 1; }

log "building the CLI and the server (Release)"
dotnet build "$ROOT/src/Meterai.Cli" -c Release -nologo -v quiet >&2
dotnet build "$ROOT/src/Meterai.Server" -c Release -nologo -v quiet >&2
METERAI="$ROOT/src/Meterai.Cli/bin/Release/net10.0/meterai"
SERVER_DLL="$ROOT/src/Meterai.Server/bin/Release/net10.0/Meterai.Server.dll"

PAYSIM_PID=
PAYSIM_DIR=$(mktemp -d /tmp/meterai-paysim.XXXXXX)
cleanup() {
  local rc=$?
  if [ -n "$PAYSIM_PID" ]; then kill "$PAYSIM_PID" 2>/dev/null || true; wait "$PAYSIM_PID" 2>/dev/null || true; fi
  rm -rf "$PAYSIM_DIR"
  pg_throwaway_stop
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Durable: fsync, synchronous_commit and full_page_writes keep their defaults (on). Only sizes are set.
pg_throwaway_start -c max_connections=300 -c shared_buffers=256MB || { log "FAILED: PostgreSQL could not be started"; exit 1; }
CS="Host=127.0.0.1;Port=$PGTMP_PORT;Username=meterai;Database=postgres;Maximum Pool Size=100"
log "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PGTMP_PORT"

"$METERAI" paysim --port 0 --data "$PAYSIM_DIR" --server-key "$KEY" --seed "$SEED" --retry-base 0.5 --retry-cap 5 >"$PAYSIM_DIR/paysim.log" 2>&1 &
PAYSIM_PID=$!
SANDBOX=
for _ in $(seq 1 300); do
  SANDBOX=$(sed -n 's/^PaySim listening on \(http[^ ]*\).*/\1/p' "$PAYSIM_DIR/paysim.log" | head -n 1)
  [ -n "$SANDBOX" ] && break
  kill -0 "$PAYSIM_PID" 2>/dev/null || { cat "$PAYSIM_DIR/paysim.log" >&2; log "FAILED: the sandbox exited"; exit 1; }
  sleep 0.1
done
[ -n "$SANDBOX" ] || { log "FAILED: the sandbox did not start"; exit 1; }
log "sandbox (meterai paysim, pid $PAYSIM_PID) on $SANDBOX"

set +e
"$METERAI" bench payments --db postgres --connection "$CS" --server "$SERVER_DLL" --sandbox "$SANDBOX" --server-key "$KEY" \
  --buyers "$BUYERS" --concurrency "$CONCURRENCY" --kills "$KILLS" --kill-every "$KILL_EVERY" --arrival-seconds "$ARRIVAL" \
  --expiry-seconds "$EXPIRY" --seed "$SEED"
rc=$?
set -e
log "meterai audit (independent check of the same database)"
"$METERAI" audit --db postgres --connection "$CS" || rc=1
echo "load: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%dT%H:%MZ)"
exit $rc
