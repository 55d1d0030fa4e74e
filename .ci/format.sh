#!/usr/bin/env bash
# Fails when a C source is not formatted with the checked-in .clang-format
# (Debian 12's clang-format 14). Fix with: clang-format -i $(git ls-files '*.c' '*.h' '*.cpp')
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh
need --ci clang-format clang-format
need git git "to list the sources"
if ! git ls-files -z '*.c' '*.h' '*.cpp' | xargs -0 clang-format --dry-run --Werror; then
    echo "$ci_name: FAILED: the files above are not formatted; fix with" >&2
    echo "  clang-format -i \$(git ls-files '*.c' '*.h' '*.cpp')" >&2
    exit 1
fi
echo "formatting: clean"
