#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image (Ubuntu).
# The autograder zip holds this file, run_autograder, a `kata` file naming the kata (e.g. "conv2d"),
# and prep itself: either a wheel (prep-*.whl) or the repository as a folder named `prep`.
set -euo pipefail

apt-get update
apt-get install -y --no-install-recommends python3 python3-venv bubblewrap

python3 -m venv /autograder/venv
source=/autograder/source
if compgen -G "$source/prep-*.whl" > /dev/null; then
    /autograder/venv/bin/pip install "$source"/prep-*.whl
else
    /autograder/venv/bin/pip install "$source/prep"
fi
/autograder/venv/bin/prep kata --json > /dev/null  # fails the build now if the install is broken
