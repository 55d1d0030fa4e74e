#!/usr/bin/env python3
"""Builds the API reference and fails on any undocumented public declaration.

    check_reference.py DOXYGEN DOXYFILE XML_DIR

Runs doxygen (warnings are errors there: undocumented functions, macros,
types and struct members), then reads its XML output for what doxygen does
not warn about: an enumerator without a comment (every enumerator is a value
a caller or a binding passes or reads, so it needs its meaning written down),
and a header that is not a documented @file (doxygen does not check the
functions and macros of such a header at all).
"""
import glob
import os
import subprocess
import sys
import xml.etree.ElementTree as ET


def described(node):
    for tag in ("briefdescription", "detaileddescription"):
        d = node.find(tag)
        if d is not None and "".join(d.itertext()).strip():
            return True
    return False


def main():
    doxygen, doxyfile, xml_dir = sys.argv[1:4]
    if subprocess.run([doxygen, doxyfile]).returncode != 0:
        print("doxygen failed: document the declarations named above", file=sys.stderr)
        return 1
    files = sorted(glob.glob(os.path.join(xml_dir, "*.xml")))
    if not files:
        print("no XML in %s: is GENERATE_XML on?" % xml_dir, file=sys.stderr)
        return 1
    missing = []
    checked = 0
    for path in files:
        root = ET.parse(path).getroot()
        for comp in root.iter("compounddef"):
            # A header that is not a documented @file hides its functions and
            # macros from doxygen's own "not documented" warnings.
            if comp.get("kind") == "file" and not described(comp):
                missing.append("%s: not a documented @file (start it with /** @file ...), so "
                               "its declarations go unchecked" % comp.findtext("compoundname"))
        for enum in root.iter("memberdef"):
            if enum.get("kind") != "enum":
                continue
            loc = enum.find("location")
            where = "%s:%s" % (loc.get("file"), loc.get("line")) if loc is not None else path
            for value in enum.iter("enumvalue"):
                checked += 1
                if not described(value):
                    missing.append("%s: enumerator %s of %s is not documented"
                                   % (where, value.findtext("name"), enum.findtext("name")))
    for m in sorted(set(missing)):
        print(m, file=sys.stderr)
    if missing:
        return 1
    if checked == 0:
        print("no enumerator found in %s: the check read nothing" % xml_dir, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
