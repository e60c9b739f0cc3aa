#!/usr/bin/env bash
# The HTTP service's stamping figure: `meterai loadtest stamp` against the real server (Release) on a durable
# throwaway PostgreSQL, load generator on the same machine:
#   1. builds the server and the CLI (Release);
#   2. starts a throwaway PostgreSQL cluster with DURABLE settings (fsync, synchronous_commit, full_page_writes on);
#   3. creates an issuer admin with `meterai operator add` (the load test sets up its own channel and quota with it);
#   4. starts the server against it on a free loopback port, data (keys, files) in a temporary folder;
#   5. runs `meterai loadtest stamp` (warm-up, then the measured phase; its runtime tuned to spend little CPU) and prints the figures with the CPU time the
#      server and PostgreSQL used; always stops the server and removes the cluster.
# Knobs (environment): RATE (500), DURATION (60), WARMUP (30), CONNECTIONS (256), FILES (default: four corpus files),
# SERVER_ENV (extra KEY=VALUE settings for the server, space-separated), KEEP_SERVER_LOG (copy the server's log there), PG_SETTINGS (extra "-c name=value" for PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RATE=${RATE:-500}
DURATION=${DURATION:-60}
WARMUP=${WARMUP:-30}
CONNECTIONS=${CONNECTIONS:-256}

log() { printf '\033[1m[loadtest]\033[0m %s\n' "$*" >&2; }

# shellcheck source=../scripts/lib/throwaway-postgres.sh
. "$ROOT/scripts/lib/throwaway-postgres.sh"

log "building the server and the CLI (Release)"
dotnet build "$ROOT/src/Meterai.Server" -c Release -nologo -v quiet >&2
dotnet build "$ROOT/src/Meterai.Cli" -c Release -nologo -v quiet >&2
METERAI="$ROOT/src/Meterai.Cli/bin/Release/net10.0/meterai"
SERVER_DLL="$ROOT/src/Meterai.Server/bin/Release/net10.0/Meterai.Server.dll"

WORK=$(mktemp -d /tmp/meterai-loadtest.XXXXXX)
SERVER_PID=
cleanup() {
  local rc=$?
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; fi
  pg_throwaway_stop
  [ -n "${KEEP_SERVER_LOG:-}" ] && cp "$WORK/server.log" "$KEEP_SERVER_LOG" 2>/dev/null
  rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck disable=SC2086
pg_throwaway_start -c max_connections=200 -c shared_buffers=256MB ${PG_SETTINGS:-} || { log "FAILED: PostgreSQL could not be started"; exit 1; }
psql_() { "${PGRUN[@]}" "$PGBIN/psql" -h "$PGTMP" -p "$PGTMP_PORT" -U meterai -d postgres -Atc "$1"; }
psql_ "CREATE DATABASE meterai" >/dev/null
SETTINGS="fsync=$(psql_ 'show fsync'), synchronous_commit=$(psql_ 'show synchronous_commit'), full_page_writes=$(psql_ 'show full_page_writes')"
CS="Host=127.0.0.1;Port=$PGTMP_PORT;Username=meterai;Database=meterai;Maximum Pool Size=100"
log "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PGTMP_PORT ($SETTINGS)"

EMAIL="loadtest@meterai.id"
PASSWORD=$("$METERAI" operator add --db postgres --connection "$CS" --email "$EMAIL" --role issuer_admin | awk '/^password: / {print $2}')
[ -n "$PASSWORD" ] || { log "FAILED: could not create the operator"; exit 1; }

PORT=$(pg_free_port)
log "starting the server on 127.0.0.1:$PORT"
env ASPNETCORE_ENVIRONMENT=Development METERAI_Secrets__KeyEncryptionKeyFile="$WORK/secrets/key-encryption.keys" METERAI_Database__Provider=postgres METERAI_Database__ConnectionString="$CS" METERAI_Database__DataDirectory="$WORK/data" \
    ${SERVER_ENV:-} dotnet "$SERVER_DLL" --urls "http://127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 300); do
  curl -fs "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; log "FAILED: the server exited"; exit 1; }
  sleep 0.2
done

cpu_of() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
pg_cpu() { local t=0; for p in $(pgrep -u postgres postgres 2>/dev/null || pgrep postgres); do t=$((t + $(cpu_of "$p"))); done; echo $t; }
TICKS=$(getconf CLK_TCK)
S0=$(cpu_of "$SERVER_PID"); P0=$(pg_cpu); T0=$(date +%s.%N)
ARGS=(--url "http://127.0.0.1:$PORT" --rate "$RATE" --duration "$DURATION" --warmup "$WARMUP" --connections "$CONNECTIONS"
      --operator-email "$EMAIL" --operator-password "$PASSWORD")
# shellcheck disable=SC2206
[ -n "${FILES:-}" ] && ARGS+=(--files $FILES)
# The generator's runtime without thread-pool spin-waiting and without profile-guided re-compilation: on these two
# cores both are generator CPU taken from the server (together about 40 % of the generator's at 100/s), and neither
# changes what it sends or what it measures.
GENERATOR_ENV=(DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 DOTNET_TieredPGO=0)
set +e
env "${GENERATOR_ENV[@]}" "$METERAI" loadtest stamp "${ARGS[@]}"
rc=$?
set -e
S1=$(cpu_of "$SERVER_PID"); P1=$(pg_cpu); T1=$(date +%s.%N)
if [ -n "${PG_TOP_STATEMENTS:-}" ]; then
  # Needs PG_SETTINGS="-c shared_preload_libraries=pg_stat_statements": where PostgreSQL's time went, by statement.
  "${PGRUN[@]}" "$PGBIN/psql" -h "$PGTMP" -p "$PGTMP_PORT" -U meterai -d meterai -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
  "${PGRUN[@]}" "$PGBIN/psql" -h "$PGTMP" -p "$PGTMP_PORT" -U meterai -d meterai -P pager=off -c \
    "SELECT calls, round(total_exec_time::numeric, 0) AS total_ms, round(mean_exec_time::numeric, 3) AS mean_ms, rows, left(regexp_replace(query, '\s+', ' ', 'g'), 110) AS query
     FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT ${PG_TOP_STATEMENTS}"
fi
awk -v s=$((S1 - S0)) -v p=$((P1 - P0)) -v t0="$T0" -v t1="$T1" -v hz="$TICKS" 'BEGIN {
  w = t1 - t0; printf "cpu over the whole run (%.0f s, set-up included): server %.0f%% of one core, postgres %.0f%%\n", w, 100 * s / hz / w, 100 * p / hz / w }'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%dT%H:%MZ)"
grep -c '"LogLevel":"Error"\|"LogLevel":"Critical"' "$WORK/server.log" | xargs -I{} echo "server errors logged: {}" || true
# With SERVER_ENV="METERAI_Stamping__LogTimings=true": where each stamp's time went, per 10 s interval.
grep -o 'stamp step averages: [^"]*' "$WORK/server.log" | tail -n 12 || true
exit $rc
