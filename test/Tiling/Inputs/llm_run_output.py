"""The one step the tiling numerics scripts share: run llm-run, stop with its
output on failure, and return its single result checked against the
reference's shape."""
import os
import subprocess
import sys

import numpy as np


def run_single_output(cmd, out_dir, ref_shape, label):
    """Runs `cmd` (an llm-run command writing to `out_dir`) and returns the
    one output array; exits with a message naming `label` on failure or a
    shape other than `ref_shape`."""
    proc = subprocess.run(cmd, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, universal_newlines=True)
    if proc.returncode != 0:
        sys.exit("llm-run failed (%s):\n%s" % (" ".join(cmd), proc.stdout))
    got = np.load(os.path.join(out_dir, os.listdir(out_dir)[0]))
    if got.shape != tuple(ref_shape):
        sys.exit("%s: shape %s, expected %s" % (label, got.shape,
                                                tuple(ref_shape)))
    return got
