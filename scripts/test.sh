#!/usr/bin/env bash
# Runs every test of the solution, the way CI does:
#   1. installs the Debian packages the tests need when they are missing (apt-get);
#   2. starts a throwaway PostgreSQL cluster (initdb + pg_ctl, temp dir, free loopback port);
#   3. runs `dotnet test` over the whole solution with its connection string in METERAI_TEST_PG;
#   4. always stops and removes the cluster; exits non-zero on any failure.
# PostgreSQL is required: if it cannot start, the run fails. A developer who knowingly wants the SQLite half
# only may set METERAI_SKIP_PG=1 (never in CI).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

log() { printf '\033[1m[test]\033[0m %s\n' "$*" >&2; }

# shellcheck source=lib/throwaway-postgres.sh
. "$ROOT/scripts/lib/throwaway-postgres.sh"

# ---- 1. packages -----------------------------------------------------------------------------------------------
missing=()
[ -x "$(pg_bin_dir)/initdb" ] || missing+=(postgresql)
command -v pdfsig >/dev/null 2>&1 || missing+=(poppler-utils)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
command -v qpdf >/dev/null 2>&1 || missing+=(qpdf)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v certutil >/dev/null 2>&1 || missing+=(libnss3-tools)  # an NSS database trusting the dev root, for pdfsig
command -v zbarimg >/dev/null 2>&1 || missing+=(zbar-tools)      # reads the stamp's QR code back
command -v fc-query >/dev/null 2>&1 || missing+=(fontconfig)     # checks the stamp font's subset
/usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1 || missing+=(python3-aiosmtpd)  # the real SMTP server the mail sender is tested against
# ../shared/tools/pades-check (pyHanko) cross-checks the verifier's difference analysis; its dependencies are Debian's.
/usr/bin/python3 -c 'import asn1crypto, cryptography, tzlocal, qrcode, yaml, requests, click, lxml, uritools, oscrypto, aiohttp, platformdirs' >/dev/null 2>&1 \
  || missing+=(python3-asn1crypto python3-cryptography python3-tzlocal python3-qrcode python3-yaml python3-requests python3-click \
               python3-lxml python3-uritools python3-oscrypto python3-aiohttp python3-platformdirs)
if ((${#missing[@]})); then
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  log "installing: ${missing[*]}"
  SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get install -y --no-install-recommends "${missing[@]}" >&2 \
    || { $SUDO apt-get update >&2 && $SUDO apt-get install -y --no-install-recommends "${missing[@]}" >&2; }
fi
command -v dotnet >/dev/null 2>&1 || { log "dotnet is not on PATH: install the .NET 10 SDK (global.json names the version)"; exit 1; }

# ---- 2. throwaway PostgreSQL -----------------------------------------------------------------------------------
cleanup() {
  local rc=$?
  pg_throwaway_stop
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_postgres() {
  # fsync off: this cluster lives for one test run; durability is measured by the benchmarks, not here.
  pg_throwaway_start -c max_connections=400 -c fsync=off -c full_page_writes=off -c shared_buffers=256MB || return 1
  export METERAI_TEST_PG="Host=127.0.0.1;Port=$PGTMP_PORT;Username=meterai;Database=postgres;Maximum Pool Size=60;Timeout=30;Command Timeout=120"
  export METERAI_REQUIRE_PG=1
  log "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PGTMP_PORT ($PGTMP)"
}

if [ "${METERAI_SKIP_PG:-0}" = 1 ] && [ -z "${CI:-}" ] && [ -z "${METERAI_CI:-}" ]; then
  log "METERAI_SKIP_PG=1: PostgreSQL tests will be skipped"
else
  start_postgres || { log "FAILED: PostgreSQL could not be started"; exit 1; }
fi

# The shared corpus is required whenever it is present or CI runs us.
if [ -d "$ROOT/../shared/corpus/public" ] || [ -n "${CI:-}" ] || [ -n "${METERAI_CI:-}" ]; then
  export METERAI_REQUIRE_CORPUS=1
fi

# ---- 3. dotnet test ---------------------------------------------------------------------------------------------
RESULTS=$(mktemp -d /tmp/meterai-results.XXXXXX)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
set +e
dotnet test "$ROOT/Meterai.slnx" -c Release --logger "trx" --logger "console;verbosity=minimal" \
  --results-directory "$RESULTS" --blame-hang-timeout 10m "$@"
rc=$?
set -e

# ---- 4. summary: show that the PostgreSQL half really ran -------------------------------------------------------
passed=0; failed=0; skipped=0; pg_passed=0; pg_skipped=0
shopt -s nullglob
for trx in "$RESULTS"/*.trx; do
  while IFS= read -r line; do
    case "$line" in *'outcome="Passed"'*) passed=$((passed+1));; *'outcome="Failed"'*) failed=$((failed+1));; *'outcome="NotExecuted"'*) skipped=$((skipped+1));; esac
    if [[ "$line" =~ testName=\"[^\"]*[Pp]ostgre ]]; then
      case "$line" in *'outcome="Passed"'*) pg_passed=$((pg_passed+1));; *'outcome="NotExecuted"'*) pg_skipped=$((pg_skipped+1));; esac
    fi
  done < <(grep -o '<UnitTestResult [^>]*>' "$trx")
done
rm -rf "$RESULTS"
log "tests: $passed passed, $failed failed, $skipped skipped; PostgreSQL tests: $pg_passed passed, $pg_skipped skipped"
if [ -n "${METERAI_TEST_PG:-}" ] && [ "$pg_passed" = 0 ] && [ $rc = 0 ]; then
  log "FAILED: PostgreSQL was started but no PostgreSQL test passed"; rc=1
fi
exit $rc
