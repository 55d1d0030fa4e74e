"""Gives the package the C library's version (the rest is in pyproject.toml)."""
import os
import re
import shutil
import subprocess

from setuptools import setup

HERE = os.path.dirname(os.path.abspath(__file__))


def library_version():
    # In the cxm source tree: the version the headers beside us belong to.
    meson = os.path.join(HERE, "..", "..", "meson.build")
    if os.path.exists(meson):
        with open(meson) as f:
            m = re.search(r"project\(.*?version:\s*'([^']+)'", f.read(), re.S)
        if m:
            return m.group(1)
    # Elsewhere: the installed library's.
    exe = shutil.which("pkg-config")
    if exe:
        out = subprocess.run([exe, "--modversion", "cxm"], capture_output=True, text=True)
        if out.returncode == 0 and out.stdout.strip():
            return out.stdout.strip()
    raise SystemExit("cxm: cannot tell the library version: no ../../meson.build and "
                     "`pkg-config --modversion cxm` failed (install libcxm or set "
                     "PKG_CONFIG_PATH)")


setup(version=library_version())
