#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test suite.
#
#   scripts/pg-test-server.sh start DIR   # prints the database URL on the last line
#   scripts/pg-test-server.sh stop DIR
#
# Uses Debian's postgresql package (installed with apt-get when missing and we are root).
# The cluster lives in DIR, listens only on a Unix socket in DIR (no TCP), runs as the
# 'postgres' user when started by root, and trusts local connections. Exit status is
# non-zero with a one-line reason on stderr when it cannot start; tests then skip.
set -euo pipefail

cmd=${1:-}
dir=${2:-}
if [[ -z "$cmd" || -z "$dir" ]]; then
  echo "usage: $0 start|stop DIR" >&2
  exit 2
fi

find_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    if [[ -x "$d/initdb" && -x "$d/pg_ctl" ]]; then
      echo "$d"
      return 0
    fi
  done
  return 1
}

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

bin=$(find_bin || true)

case "$cmd" in
  stop)
    if [[ -n "$bin" && -f "$dir/data/postmaster.pid" ]]; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    exit 0
    ;;
  start) ;;
  *)
    echo "unknown command $cmd" >&2
    exit 2
    ;;
esac

if [[ -z "$bin" ]]; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "installing Debian's postgresql package" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >&2 \
      || { echo "apt-get install postgresql failed" >&2; exit 1; }
    bin=$(find_bin || true)
  fi
fi
if [[ -z "$bin" ]]; then
  echo "no PostgreSQL server binaries (apt-get install postgresql)" >&2
  exit 1
fi
if [[ $(id -u) -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
  echo "no 'postgres' user to run the server as" >&2
  exit 1
fi

mkdir -p "$dir"
if [[ $(id -u) -eq 0 ]]; then
  chown postgres "$dir"
  chmod 700 "$dir"
fi
as_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres --no-sync -E UTF8 >"$dir/initdb.log" 2>&1 \
  || { echo "initdb failed: $(tail -n 1 "$dir/initdb.log")" >&2; exit 1; }
port=$((20000 + RANDOM % 20000))
as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-p $port -k $dir -c listen_addresses='' -c fsync=off -c full_page_writes=off -c max_connections=50" \
  start >/dev/null 2>&1 \
  || { echo "pg_ctl start failed: $(tail -n 2 "$dir/server.log" 2>/dev/null | tr '\n' ' ')" >&2; exit 1; }
as_owner "$bin/createdb" -h "$dir" -p "$port" -U postgres sitrep_test \
  || { echo "createdb failed" >&2; exit 1; }
echo "postgresql://postgres@/sitrep_test?host=$dir&port=$port"
