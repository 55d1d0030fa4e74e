"""The package's documentation runs as written: the examples in its
docstrings (doctest) and every Python block of bindings/python/README.md that
shows its output (the ```text block right after it), run from the
repository root. A `...` line in the shown output stands for lines left out."""
import contextlib
import doctest
import importlib
import io
import os
import pkgutil
import re
import unittest
import warnings

import cxm

HERE = os.path.dirname(os.path.abspath(__file__))
# The repository: CXM_SOURCE_ROOT when the tests run from a copy (.ci/python.sh runs them against
# the installed package, away from the sources), else the tree these tests sit in.
ROOT = os.environ.get("CXM_SOURCE_ROOT") or os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
PACKAGE = os.path.join(ROOT, "bindings", "python")
FENCE = re.compile(r"^```(\w*)\s*$")


def readme_examples(path):
    """(line, code, shown output) of each ```python block followed by a ```text block."""
    blocks, lang, start, body = [], None, 0, []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            m = FENCE.match(line)
            if m and lang is None:
                lang, start, body = m.group(1), n, []
            elif m:
                blocks.append((lang, start, "".join(body)))
                lang = None
            elif lang is not None:
                body.append(line)
            elif line.strip() and blocks:
                blocks.append(("prose", n, line))
    return [(start, code, out) for (lang, start, code), (nxt, _, out) in zip(blocks, blocks[1:])
            if lang == "python" and nxt == "text"]


class Docstrings(unittest.TestCase):
    def test_doctests(self):
        for info in pkgutil.iter_modules(cxm.__path__):
            module = importlib.import_module(f"cxm.{info.name}")
            with self.subTest(module.__name__):
                result = doctest.testmod(module, report=False, verbose=False)
                self.assertEqual(result.failed, 0, f"{module.__name__}: doctest failures")
        self.assertEqual(doctest.testmod(cxm, report=False, verbose=False).failed, 0, "cxm: doctest failures")


class ReadmeExamples(unittest.TestCase):
    def test_python_blocks_print_what_the_readme_shows(self):
        examples = readme_examples(os.path.join(PACKAGE, "README.md"))
        self.assertGreaterEqual(len(examples), 3, "the README's examples with their output")
        cwd = os.getcwd()
        try:
            os.chdir(ROOT)
            for line, code, shown in examples:
                with self.subTest(f"README.md line {line}"):
                    out = io.StringIO()
                    # a notebook-style example may leave its files to the collector
                    with contextlib.redirect_stdout(out), warnings.catch_warnings():
                        warnings.simplefilter("ignore", ResourceWarning)
                        exec(compile(code, f"README.md:{line}", "exec"), {})
                    got, want = out.getvalue().splitlines(), shown.splitlines()
                    if "..." in want:  # the lines shown appear, in order
                        it = iter(got)
                        missing = [w for w in want if w != "..." and w not in it]
                        self.assertEqual(missing, [], f"README.md line {line}: output\n"
                                         + "\n".join(got))
                    else:
                        self.assertEqual(got, want, f"README.md line {line}")
        finally:
            os.chdir(cwd)


if __name__ == "__main__":
    unittest.main()
