#!/usr/bin/env python3
"""The committed sample is what its generator writes, byte for byte.

    check_regen.py GEN_SAMPLE.py SAMPLE_DIR
"""
import filecmp
import subprocess
import sys
import tempfile


def main(gen, sample):
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, gen, tmp], check=True)
        for name in ("tickets.csv", "survey.csv"):
            if not filecmp.cmp(f"{tmp}/{name}", f"{sample}/{name}", shallow=False):
                print(f"{name}: the committed file differs from the generator's output; "
                      f"regenerate with: python3 {gen} {sample}")
                return 1
    print("the sample is its generator's output")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
