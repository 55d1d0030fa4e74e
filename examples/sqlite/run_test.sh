#!/bin/sh
# Loads the extension into the sqlite3 shell, runs the SQL, compares the output,
# and checks that a group mixing NPS kinds is an error, not a number.
set -eu
ext=$1 dir=$2 shell=$3
out=$("$shell" -batch :memory: ".load $ext sqlite3_cxmsqlite_init" ".read $dir/test_sqlite.sql")
printf '%s\n' "$out" | diff -u "$dir/test_sqlite.expected" -
if "$shell" -batch :memory: ".load $ext sqlite3_cxmsqlite_init" \
    "SELECT nps(k, s) FROM (SELECT 'relational' AS k, 9 AS s UNION ALL SELECT 'transactional', 9);" \
    2>/dev/null; then
    echo "blending two NPS kinds must fail"; exit 1
fi
echo "sqlite aggregates ok"
