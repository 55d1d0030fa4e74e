# Sourced by every .ci script (not run on its own). A gate that cannot run
# says what it needs and how to get it; a gate that fails says what failed
# and shows the real error, never exits silently.
#   need [--ci] TOOL PACKAGE [WHAT FOR]   exit 1 unless TOOL is on PATH
#   quiet LOG CMD...                      run CMD into LOG; on failure show
#                                         LOG's end and exit with CMD's status
ci_name=.ci/$(basename "$0")
set -E
# Any other failing command: which one, where, with which status.
trap 'ci_rc=$?; echo "$ci_name: FAILED (exit $ci_rc) at line $LINENO: $BASH_COMMAND" >&2' ERR

need() {
    local deps="bash .ci/deps.sh"
    if [ "$1" = "--ci" ]; then
        deps="bash .ci/deps.sh --ci"
        shift
    fi
    command -v "$1" >/dev/null 2>&1 && return 0
    {
        echo "$ci_name: needs '$1'${3:+ ($3)}, which is not on PATH."
        echo "  It comes from the Debian package $2. Install everything this gate needs with:"
        echo "    $deps"
    } >&2
    exit 1
}

quiet() {
    local log=$1 rc=0
    shift
    mkdir -p "$(dirname "$log")"
    "$@" >"$log" 2>&1 || rc=$?
    [ "$rc" -eq 0 ] && return 0
    tail -n 60 "$log" >&2
    echo "$ci_name: FAILED (exit $rc): $* (whole output: $log)" >&2
    exit "$rc"
}
