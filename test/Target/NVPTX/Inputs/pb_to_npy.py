"""Converts the ONNX TensorProto files (*.pb) of a test-data directory to
.npy files next to them (input_0.pb -> input_0.npy), for llm-run-cuda,
which reads .npy only. Usage: pb_to_npy.py DIR..."""
import glob
import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper

for directory in sys.argv[1:]:
    for path in sorted(glob.glob(os.path.join(directory, "*.pb"))):
        tensor = onnx.TensorProto()
        with open(path, "rb") as f:
            tensor.ParseFromString(f.read())
        np.save(path[:-3] + ".npy", np.ascontiguousarray(numpy_helper.to_array(tensor)))
