# Sourced, not run: a PostgreSQL cluster that lives for one script run, in a temporary folder, on a free loopback port,
# with trust authentication for the user `meterai`. Used by scripts/test.sh (fsync off: speed) and bench/*.sh
# (durable defaults). After pg_throwaway_start: PGBIN (binaries), PGTMP (folder, also the Unix socket directory),
# PGTMP_PORT (TCP port on 127.0.0.1), PGRUN (prefix that runs a PostgreSQL binary as the cluster's owner).
# The caller traps EXIT and calls pg_throwaway_stop.

pg_bin_dir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

pg_free_port() {
  local p
  for _ in $(seq 1 200); do
    # Below Linux's ephemeral range (32768–60999): a port there may be held by an outgoing connection (or its
    # TIME_WAIT) that a connect test cannot see, and then binding it fails.
    p=$(( 20000 + RANDOM % 12000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  return 1
}

PGTMP=
PGBIN=
PGTMP_PORT=
PGRUN=()

# pg_throwaway_start [server settings…], e.g. pg_throwaway_start -c fsync=off -c shared_buffers=256MB
pg_throwaway_start() {
  PGBIN=$(pg_bin_dir)
  [ -x "$PGBIN/initdb" ] || { echo "PostgreSQL binaries not found under /usr/lib/postgresql" >&2; return 1; }
  PGTMP=$(mktemp -d /tmp/meterai-pg.XXXXXX)
  chmod 755 "$PGTMP"
  if [ "$(id -u)" = 0 ]; then
    # initdb refuses to run as root: the cluster belongs to the postgres user the Debian package creates.
    chown postgres: "$PGTMP"
    PGRUN=(runuser -u postgres --)
  fi
  PGTMP_PORT=$(pg_free_port) || { echo "no free port for PostgreSQL" >&2; return 1; }
  "${PGRUN[@]}" "$PGBIN/initdb" -D "$PGTMP/data" -U meterai --auth=trust -E UTF8 --no-locale >"$PGTMP/initdb.log" 2>&1 \
    || { cat "$PGTMP/initdb.log" >&2; return 1; }
  "${PGRUN[@]}" "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w -t 60 start \
    -o "-c port=$PGTMP_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$PGTMP $*" \
    >/dev/null 2>&1 || { cat "$PGTMP/server.log" >&2 2>/dev/null; return 1; }
}

# Stops the cluster (if it runs) and removes its folder. Safe to call more than once.
pg_throwaway_stop() {
  if [ -n "$PGTMP" ] && [ -d "$PGTMP" ]; then
    if [ -f "$PGTMP/data/postmaster.pid" ]; then
      "${PGRUN[@]}" "$PGBIN/pg_ctl" -D "$PGTMP/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$PGTMP"
  fi
}
