"""Compares the tensors an execution test prints with numpy references.

Usage: <program output> | check_numpy.py TEST_FILE

The program prints tensors with MLIR's printMemref{F32,I32,I64} (one
"Unranked Memref ... sizes = [...] ... data = [...]" block each). TEST_FILE
holds the reference, computed independently with numpy, as comment lines:

    // NUMPY: x = np.arange(6, dtype=np.float32).reshape(2, 3)
    // EXPECT: x + 1

`NUMPY:` lines are Python statements run in order (numpy is `np`);
each `EXPECT:` line is an expression whose value is the next printed tensor.
Shapes must match exactly and values within rtol/atol (the runner prints 6
significant digits); NaNs match NaNs. Exits non-zero with a report on the
first mismatch.
"""

import re
import sys

import numpy as np

RTOL = 2e-5
ATOL = 1e-6

HEADER = re.compile(r"Unranked Memref base@ = \S+ rank = (\d+) offset = \d+ "
                    r"sizes = \[([^\]]*)\] strides = \[[^\]]*\] data =")
NUMBER = re.compile(r"-?(?:nan|inf|\d+(?:\.\d*)?(?:e[-+]?\d+)?)")


def parse_output(text):
    """Returns the printed tensors as (shape, flat values) pairs."""
    tensors = []
    for match in HEADER.finditer(text):
        sizes = [int(s) for s in match.group(2).split(",") if s.strip()]
        # The data is the bracketed block that follows the header.
        start = text.index("[", match.end())
        depth = 0
        for end in range(start, len(text)):
            depth += {"[": 1, "]": -1}.get(text[end], 0)
            if depth == 0:
                break
        values = [float(v) for v in NUMBER.findall(text[start:end + 1])]
        if 0 in sizes:
            values = []  # the printer shows one element even for empty memrefs
        tensors.append((sizes, values))
    return tensors


def parse_reference(path):
    """Runs the NUMPY: lines of `path` and returns the EXPECT: values."""
    scope = {"np": np}
    np.seterr(all="ignore")  # inf and NaN results are checked, not warned about
    expected = []
    with open(path) as f:
        for number, line in enumerate(f, 1):
            stripped = line.strip()
            for tag in ("// NUMPY:", "// EXPECT:"):
                if stripped.startswith(tag):
                    code = stripped[len(tag):].strip()
                    try:
                        if tag == "// NUMPY:":
                            exec(code, scope)
                        else:
                            expected.append(
                                (number, code, np.asarray(eval(code, scope))))
                    except Exception as error:  # report which line failed
                        sys.exit("%s:%d: %s: %s" % (path, number, code, error))
    return expected


def main():
    path = sys.argv[1]
    expected = parse_reference(path)
    output = sys.stdin.read()
    actual = parse_output(output)
    if len(actual) != len(expected):
        sys.exit("expected %d printed tensors (EXPECT: lines), got %d\n%s"
                 % (len(expected), len(actual), output))
    for index, ((line, code, reference), (sizes, values)) in enumerate(
            zip(expected, actual)):
        where = "%s:%d (output %d, %s)" % (path, line, index, code)
        if list(reference.shape) != sizes:
            sys.exit("%s: shape %s, numpy says %s"
                     % (where, sizes, list(reference.shape)))
        got = np.array(values, dtype=np.float64).reshape(reference.shape)
        want = reference.astype(np.float64)
        close = np.isclose(got, want, rtol=RTOL, atol=ATOL, equal_nan=True)
        if not close.all():
            first = tuple(int(i) for i in np.argwhere(~close)[0])
            sys.exit("%s: %d mismatches, first at %s: got %r, numpy says %r\n"
                     "got:\n%s\nnumpy:\n%s"
                     % (where, int((~close).sum()), first, got[first],
                        want[first], got, want))
    print("PASS: %d tensors match numpy" % len(expected))


if __name__ == "__main__":
    main()
