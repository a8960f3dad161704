"""Writes the seed corpus of llm-import-fuzzer as binary .onnx files.

Usage: make_corpus.py DIR [--max-node-tests N]

Seeds: every model of the importer's lit tests (test/Import/*.onnxtxt, split
at '# -----' lines; models that do not parse as text protobuf, i.e. the
syntax-error cases, are left out) converted to the binary format, and the
smallest model.onnx files of the ONNX backend node tests
(/usr/share/libonnx-testdata, --max-node-tests of them, default 300), so
that the fuzzer starts from both supported and unsupported ops.
"""
import argparse
import glob
import os
import re

import onnx
from google.protobuf import text_format

HERE = os.path.dirname(os.path.abspath(__file__))
IMPORT_TESTS = os.path.join(HERE, "..", "..", "Import")
NODE_TESTS = "/usr/share/libonnx-testdata/data/node"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dir")
    parser.add_argument("--max-node-tests", type=int, default=300)
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    count = 0
    for path in sorted(glob.glob(os.path.join(IMPORT_TESTS, "*.onnxtxt"))):
        with open(path) as f:
            text = f.read()
        for i, part in enumerate(re.split(r"^# -----\s*$", text, flags=re.M)):
            model = onnx.ModelProto()
            try:
                text_format.Parse(part, model)
            except text_format.ParseError:
                continue
            name = "%s-%d.onnx" % (os.path.basename(path)[:-len(".onnxtxt")], i)
            with open(os.path.join(args.dir, name), "wb") as f:
                f.write(model.SerializeToString())
            count += 1
    models = glob.glob(os.path.join(NODE_TESTS, "*", "model.onnx"))
    models.sort(key=lambda p: (os.path.getsize(p), p))
    for path in models[:args.max_node_tests]:
        name = "node-%s.onnx" % os.path.basename(os.path.dirname(path))
        with open(path, "rb") as src, open(os.path.join(args.dir, name),
                                           "wb") as dst:
            dst.write(src.read())
        count += 1
    print("seed corpus: %d models in %s" % (count, args.dir))


if __name__ == "__main__":
    main()
