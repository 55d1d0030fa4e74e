#!/usr/bin/env python3
"""The export macro, the version script and the shared library agree.

Every function declared with CXM_EXPORT in include/ must be named in
lib/cxm.map and exported by the library; the library must export nothing
else (only cxm_* symbols, and only those the map names).
"""
import re
import subprocess
import sys
from pathlib import Path

root, lib, nm = Path(sys.argv[1]), sys.argv[2], sys.argv[3]

header_syms = set()
for h in sorted((root / "include").rglob("*.h")):
    text = re.sub(r"/\*.*?\*/", "", h.read_text(), flags=re.S)
    text = re.sub(r"^#.*$", "", text, flags=re.M)  # the macro's own definition
    for decl in re.findall(r"CXM_EXPORT\b(.*?);", text, flags=re.S):
        m = re.search(r"(\w+)\s*\(", decl)
        if m:
            header_syms.add(m.group(1))

map_text = re.sub(r"/\*.*?\*/", "", (root / "lib" / "cxm.map").read_text(), flags=re.S)
map_syms = set(re.findall(r"^\s*(cxm_\w+)\s*;", map_text, flags=re.M))

out = subprocess.run([nm, "-D", "--defined-only", lib], check=True,
                     capture_output=True, text=True).stdout
exported = set()
for line in out.splitlines():
    parts = line.split()
    if len(parts) >= 3 and parts[1] in "TDBRVW":
        exported.add(parts[2].split("@")[0])

errors = []
def diff(a, an, b, bn):
    for s in sorted(a - b):
        errors.append(f"{s}: in {an} but not in {bn}")

diff(header_syms, "the headers", map_syms, "lib/cxm.map")
diff(map_syms, "lib/cxm.map", header_syms, "the headers")
diff(header_syms, "the headers", exported, "the library's exports")
diff(exported, "the library's exports", header_syms, "the headers")
for s in sorted(exported):
    if not s.startswith("cxm_"):
        errors.append(f"{s}: exported without the cxm_ prefix")

if errors:
    print("\n".join(errors))
    sys.exit(1)
print(f"{len(header_syms)} exported symbols: headers, map and library agree")
