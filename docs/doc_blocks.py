#!/usr/bin/env python3
"""Compiles and runs the code blocks of cxm's documentation, so it cannot rot.

Which blocks, and how, is decided by the block's info string (the words after
the opening fence); docs/writing-docs.md describes the conventions:

  ```c                  a complete program: compiled and run, must exit 0
  ```c fragment         statements: wrapped in `int main(void) { ... return 0; }`
                        with the usual headers, then compiled and run
  ```c file=NAME        also written as NAME into the directory the shell
                        blocks of the same page run in (e.g. app.c)
  ```sh                 (README.md) run by `bash -euo pipefail`, in page order,
                        in one session, from the root of a scratch copy of the
                        tree, with HOME set to an empty scratch directory
  ```text output        the exact standard output of the block just above it
  skip-test=REASON      (any block) not run here; REASON is one word saying
                        why (needs-root, network, recursive, ...); a
                        `recursive` command must be a line of .ci/run

Usage:
  doc_blocks.py c  --src ROOT --lib LIBCXM.so [--cc gcc --cc clang] [--show] FILE.md...
  doc_blocks.py sh --src ROOT FILE.md...
  doc_blocks.py list FILE.md...

Pages are named on the command line or, with none, README.md and docs/*.md of
ROOT for C blocks and README.md for shell blocks: a new page or a new section
needs no change here.
"""

import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

# A fence may be indented (a block inside a list item); its body loses that indent.
FENCE = re.compile(r"^( *)(```+)\s*(\S*)\s*(.*)$")

# Headers a fragment gets; a complete program includes what it needs itself.
FRAGMENT_PRELUDE = """#include <cxm.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
"""
FRAGMENT_CODA = "\n    return 0;\n}\n"


class Block:
    def __init__(self, page, line, lang, words, text):
        self.page = page
        self.line = line
        self.lang = lang
        self.words = words
        self.text = text
        self.output = None  # expected stdout, from a following ```text output block

    def where(self):
        return "%s:%d" % (self.page, self.line)

    def has(self, word):
        return word in self.words

    def option(self, key):
        for w in self.words:
            if w.startswith(key + "="):
                return w[len(key) + 1:]
        return None

    def skip_reason(self):
        if self.has("skip-test"):
            return ""  # a skip with no reason: refused below
        return self.option("skip-test")


def parse(path, display):
    blocks = []
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence, lang, rest = len(m.group(1)), m.group(2), m.group(3), m.group(4)
        start = i + 1
        j = start
        while j < len(lines) and lines[j].strip() != fence:
            j += 1
        if j == len(lines):
            sys.exit("%s:%d: code block never closed" % (display, i + 1))
        body = "\n".join(l[indent:] if l[:indent].strip() == "" else l
                         for l in lines[start:j]) + "\n"
        words = rest.split()
        if lang == "text" and "output" in words:
            if not blocks or blocks[-1].output is not None:
                sys.exit("%s:%d: an output block must follow a code block" % (display, i + 1))
            blocks[-1].output = body
        else:
            blocks.append(Block(display, i + 1, lang, words, body))
        i = j + 1
    for b in blocks:
        if b.skip_reason() == "":
            sys.exit("%s: skip-test needs a reason: skip-test=REASON" % b.where())
    return blocks


def pages(src, names, docs=True):
    if names:
        return [os.path.abspath(n) if os.path.exists(n) else os.path.join(src, n) for n in names]
    found = [os.path.join(src, "README.md")]
    if docs:
        found += sorted(glob.glob(os.path.join(src, "docs", "*.md")))
    return [p for p in found if os.path.exists(p)]


def show_diff(expected, got):
    import difflib
    return "".join(difflib.unified_diff(expected.splitlines(True), got.splitlines(True),
                                        "documented output", "actual output"))


def run_c(args):
    libdir = os.path.dirname(os.path.abspath(args.lib))
    compilers = args.cc or ["cc"]
    failures = 0
    checked = 0
    work = tempfile.mkdtemp(prefix="cxm-doc-c-")
    try:
        for page in pages(args.src, args.pages):
            rel = os.path.relpath(page, args.src)
            for n, b in enumerate(parse(page, rel)):
                if b.lang != "c":
                    continue
                reason = b.skip_reason()
                if reason:
                    print("SKIP %s (%s)" % (b.where(), reason))
                    continue
                code = b.text
                if b.has("fragment"):
                    body = "".join("    " + l if l else l for l in code.splitlines(True))
                    code = FRAGMENT_PRELUDE + body + FRAGMENT_CODA
                name = re.sub(r"[^A-Za-z0-9]+", "_", rel) + "_%d" % b.line
                src_file = os.path.join(work, name + ".c")
                with open(src_file, "w", encoding="utf-8") as f:
                    f.write('#line 1 "%s:%d"\n' % (rel, b.line + 1) if not b.has("fragment")
                            else "")
                    f.write(code)
                for cc in compilers:
                    exe = os.path.join(work, "%s_%s" % (name, os.path.basename(cc)))
                    cmd = [cc, "-std=c11", "-Wall", "-Wextra", "-Werror",
                           "-I", os.path.join(args.src, "include"), src_file, "-o", exe,
                           "-L", libdir, "-Wl,-rpath," + libdir, "-lcxm", "-lm"]
                    p = subprocess.run(cmd, capture_output=True, text=True)
                    checked += 1
                    if p.returncode != 0:
                        failures += 1
                        print("FAIL %s: does not compile with %s:\n%s" % (b.where(), cc, p.stderr))
                        print("---- the program as compiled (%s) ----\n%s" % (src_file, code))
                        continue
                    r = subprocess.run([exe], capture_output=True, text=True, timeout=60)
                    if r.returncode != 0:
                        failures += 1
                        print("FAIL %s (%s): exit status %d\n%s%s" % (b.where(), cc, r.returncode,
                                                                     r.stdout, r.stderr))
                        continue
                    if b.output is not None and r.stdout != b.output:
                        failures += 1
                        print("FAIL %s (%s): output differs from the page\n%s" %
                              (b.where(), cc, show_diff(b.output, r.stdout)))
                        continue
                    print("ok   %s (%s%s)" % (b.where(), os.path.basename(cc),
                                             ", output as documented" if b.output else ""))
                    if args.show:
                        sys.stdout.write(r.stdout)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("%d C block compilations, %d failed" % (checked, failures))
    if checked == 0:
        print("no C block found: the page list is wrong")
        return 1
    return 1 if failures else 0


def copy_tree(src, dst):
    # The documented directory is the repository root; a scratch copy keeps the
    # commands from touching the developer's tree and its build directories.
    def ignore(d, names):
        if os.path.abspath(d) == os.path.abspath(src):
            return [n for n in names if n.startswith(("build", "_build", ".git"))]
        return [n for n in names if n == "__pycache__"]
    shutil.copytree(src, dst, ignore=ignore, symlinks=True)


def in_ci_run(src, block):
    # A command skipped because it runs this very test (the test suite) must
    # still be run by CI: each of its lines must be a line of .ci/run.
    try:
        with open(os.path.join(src, ".ci", "run"), encoding="utf-8") as f:
            ci = {l.strip() for l in f}
    except OSError:
        return False
    return all(l.strip() in ci for l in block.text.splitlines() if l.strip())


def run_sh(args):
    failures = 0
    ran = 0
    # The README is the page a newcomer follows line by line; the reference
    # pages in docs/ show maintainers' commands, which need a build to exist.
    for page in pages(args.src, args.pages, docs=False):
        rel = os.path.relpath(page, args.src)
        blocks = parse(page, rel)
        runnable = [b for b in blocks if b.lang in ("sh", "bash", "shell") and not b.skip_reason()]
        for b in blocks:
            if b.lang in ("sh", "bash", "shell") and b.skip_reason():
                print("SKIP %s (%s): %s" % (b.where(), b.skip_reason(), b.text.strip()))
                if b.skip_reason() == "recursive" and not in_ci_run(args.src, b):
                    failures += 1
                    print("FAIL %s: skip-test=recursive, but .ci/run does not run it" % b.where())
        if not runnable:
            continue
        scratch = tempfile.mkdtemp(prefix="cxm-doc-sh-")
        try:
            root = os.path.join(scratch, "cxm")
            copy_tree(args.src, root)
            home = os.path.join(scratch, "home")
            os.mkdir(home)
            for b in blocks:
                name = b.option("file")
                if name and not b.skip_reason():
                    with open(os.path.join(root, name), "w", encoding="utf-8") as f:
                        f.write(b.text)
            # One session per page, so variables and the working directory carry
            # over from block to block as they do for a reader typing them.
            script = ["set -euo pipefail"]
            for n, b in enumerate(runnable):
                script.append("printf '\\n@@cxm-doc-block %d@@\\n'" % n)
                script.append(b.text)
            script.append("printf '\\n@@cxm-doc-block end@@\\n'")
            env = dict(os.environ)
            env["HOME"] = home
            for v in ("PKG_CONFIG_PATH", "LD_LIBRARY_PATH", "MESON_BUILD_ROOT",
                      "MESON_SOURCE_ROOT", "MESONINTROSPECT"):
                env.pop(v, None)
            p = subprocess.run(["bash", "-c", "\n".join(script)], cwd=root, env=env,
                               capture_output=True, text=True, timeout=args.timeout)
            parts = re.split(r"\n@@cxm-doc-block (\d+|end)@@\n", "\n" + p.stdout)
            outputs = {}
            for k in range(1, len(parts) - 1, 2):
                outputs[parts[k]] = parts[k + 1]
            reached = [k for k in outputs if k != "end"]
            for n, b in enumerate(runnable):
                ran += 1
                got = outputs.get(str(n))
                if got is None:
                    print("FAIL %s: not reached" % b.where())
                    failures += 1
                    continue
                last = str(n) == max(reached, key=int) and "end" not in outputs
                if last:
                    failures += 1
                    print("FAIL %s: exit status %d\n$ %s\n%s\n%s" % (b.where(), p.returncode,
                          b.text.strip(), got, p.stderr[-4000:]))
                    continue
                if b.output is not None and got != b.output:
                    failures += 1
                    print("FAIL %s: output differs from the page\n%s" %
                          (b.where(), show_diff(b.output, got)))
                    continue
                print("ok   %s%s: %s" % (b.where(), " (output as documented)" if b.output else "",
                                         b.text.strip().splitlines()[0]))
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    print("%d shell blocks run, %d failed" % (ran, failures))
    return 1 if failures else 0


def run_list(args):
    for page in pages(args.src, args.pages):
        rel = os.path.relpath(page, args.src)
        for b in parse(page, rel):
            print("%s %s %s%s" % (b.where(), b.lang or "-", " ".join(b.words),
                                  " +output" if b.output is not None else ""))
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", choices=["c", "sh", "list"])
    ap.add_argument("pages", nargs="*")
    ap.add_argument("--src", default=os.path.join(os.path.dirname(__file__), ".."))
    ap.add_argument("--lib", help="the built libcxm.so (c mode)")
    ap.add_argument("--cc", action="append", help="a compiler to try (repeatable)")
    ap.add_argument("--show", action="store_true", help="print what each C block printed")
    ap.add_argument("--timeout", type=int, default=1500, help="seconds for a page's shell blocks")
    args = ap.parse_intermixed_args()
    args.src = os.path.abspath(args.src)
    if args.mode == "c":
        if not args.lib:
            ap.error("c mode needs --lib")
        return run_c(args)
    if args.mode == "sh":
        return run_sh(args)
    return run_list(args)


if __name__ == "__main__":
    sys.exit(main())
