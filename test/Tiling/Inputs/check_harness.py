"""What the tiling numerics scripts (check_*.py) share: their common command
line, running llm-run on a model they wrote, and comparing its output with
numpy's reference or with another run.

A script builds its parser with `parser()` (LLM_RUN WORKDIR first, then
`--threads`), adds its own arguments (`add_shape()` for M N K, `--batch`,
`--dynamic-m`), calls `parse()` (which creates WORKDIR), saves its inputs
with `save_inputs()` and runs the model with `run()`. Every failure exits
with a message (exit status 1); the scripts print one OK line on success,
which the lit tests check.
"""
import argparse
import os
import subprocess
import sys

import numpy as np


def parser():
    """An argument parser with the positional LLM_RUN and WORKDIR and
    `--threads T` (0: no threaded run)."""
    p = argparse.ArgumentParser()
    p.add_argument("llm_run")
    p.add_argument("workdir")
    p.add_argument("--threads", type=int, default=0)
    return p


def add_shape(p, batch=True, dynamic_m=True):
    """Adds the positional M N K and, as asked, `--batch B` (0: none) and
    `--dynamic-m`."""
    for dim in ("m", "n", "k"):
        p.add_argument(dim, type=int)
    if batch:
        p.add_argument("--batch", type=int, default=0)
    if dynamic_m:
        p.add_argument("--dynamic-m", action="store_true")


def parse(p):
    """Parses the command line and creates WORKDIR."""
    args = p.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    return args


def save_inputs(workdir, inputs):
    """Saves each (argument name, array) of `inputs` as WORKDIR/NAME.npy and
    returns the llm-run arguments passing them (`--input NAME=PATH`...).
    NAME is the model's input: `argI` for a .mlir function, the input's name
    for ONNX."""
    cmd = []
    for name, value in inputs:
        path = os.path.join(workdir, name + ".npy")
        np.save(path, value)
        cmd += ["--input", "%s=%s" % (name, path)]
    return cmd


def split_all(options):
    """`options` plus parallel-min-cycles=0: every parallel loop split over
    the threads, however little work it has."""
    return (options + " parallel-min-cycles=0").strip()


def run(llm_run, model, args, out_dir, ref_shape, label):
    """Runs `llm_run model args... --output-dir out_dir` and returns its one
    output array; exits with a message naming `label` on failure or a shape
    other than `ref_shape`."""
    cmd = [llm_run, model] + list(args) + ["--output-dir", out_dir]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, universal_newlines=True)
    if proc.returncode != 0:
        sys.exit("llm-run failed (%s):\n%s" % (" ".join(cmd), proc.stdout))
    got = np.load(os.path.join(out_dir, os.listdir(out_dir)[0]))
    if got.shape != tuple(ref_shape):
        sys.exit("%s: shape %s, expected %s" % (label, got.shape,
                                                tuple(ref_shape)))
    return got


def check_close(label, got, ref, tol, what="numpy"):
    """Exits naming the worst element unless |got - ref| <= tol everywhere
    (`what`: the name of the reference in the message)."""
    err = np.abs(got - ref)
    if not np.all(err <= tol):
        idx = np.unravel_index(np.argmax(err), err.shape)
        sys.exit("%s: mismatch at %s: got %r, %s %r (tol %g)"
                 % (label, idx, got[idx], what, ref[idx], tol))


def check_equal(label, got, ref, what):
    """Exits naming the number of differing elements and the first one
    unless `got` equals `ref` element for element (`what`: the name of the
    reference in the message)."""
    if not np.array_equal(got, ref):
        differ = got != ref
        idx = np.unravel_index(np.argmax(differ), differ.shape)
        sys.exit("%s: %d of %d elements differ from %s, first at %s: got "
                 "%r, %s %r" % (label, int(differ.sum()), differ.size, what,
                                idx, got[idx], what, ref[idx]))
