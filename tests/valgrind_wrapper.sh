#!/bin/sh
# The exe_wrapper of `meson test --setup valgrind`: runs the test under
# valgrind, or says what is missing and how to get it (without this, meson
# dies in a Python traceback when valgrind is not installed).
if ! command -v valgrind >/dev/null 2>&1; then
    echo "meson test --setup valgrind: needs 'valgrind' (Debian package valgrind), not on PATH." >&2
    echo "  Install everything the CI gates need with: bash .ci/deps.sh --ci" >&2
    exit 1
fi
exec valgrind "$@"
