# Throwaway PostgreSQL clusters for the extension's tests and benchmark.
# Source it as root with `bin` set to PostgreSQL's bin directory; it makes a
# temp dir owned by postgres and a trap that stops every cluster started
# with `start` and removes the dir, on success or failure alike.
#   start NAME PORT [server options]   a cluster in $tmp/NAME, Unix socket $tmp only
#   psql_at PORT [psql args]           psql as postgres on that cluster
tmp=$(mktemp -d /tmp/cxm-pg.XXXXXX)
chmod 755 "$tmp"
chown postgres "$tmp"
clusters=()
cleanup() {
    for c in "${clusters[@]}"; do
        runuser -u postgres -- "$bin/pg_ctl" -D "$tmp/$c" -m immediate stop >/dev/null 2>&1 || true
    done
    rm -rf "$tmp"
}
trap cleanup EXIT

as_pg() { runuser -u postgres -- "$@"; }
start() {
    local name=$1 port=$2
    shift 2
    as_pg "$bin/initdb" -D "$tmp/$name" -A trust --no-sync >/dev/null
    clusters+=("$name")
    as_pg "$bin/pg_ctl" -D "$tmp/$name" -l "$tmp/$name.log" -w \
        -o "-p $port -k $tmp -c listen_addresses='' -c fsync=off $*" start >/dev/null || {
        cat "$tmp/$name.log"
        echo "cluster $name did not start" >&2
        exit 1
    }
}
psql_at() {
    local port=$1
    shift
    as_pg "$bin/psql" -X -q -h "$tmp" -p "$port" -v ON_ERROR_STOP=1 "$@"
}
# The PGXS build and install as root: warnings are failures.
build_install() {
    local ext=$1
    make -C "$ext" -s PG_CONFIG="$bin/pg_config" clean >/dev/null
    if make -C "$ext" -s PG_CONFIG="$bin/pg_config" 2>&1 | grep -E 'warning|error'; then
        echo "the extension does not build cleanly" >&2
        exit 1
    fi
    make -C "$ext" -s PG_CONFIG="$bin/pg_config" install >/dev/null
}
