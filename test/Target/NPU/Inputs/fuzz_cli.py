"""Runs npu-sim on random bytes and randomly corrupted binaries.

usage: fuzz_cli.py NPU_SIM GOOD.npubin WORKDIR
Every run must exit 0 or 1 (a result or a clean error); a signal (crash,
abort) or any other status fails. Prints "fuzz: N runs, no crashes".
"""
import os
import random
import subprocess
import sys

sim, good_path, work = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(work, exist_ok=True)
good = open(good_path, "rb").read()
rng = random.Random(1234)
runs = 0
for trial in range(200):
    if trial % 4 == 0:
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(200)))
    elif trial % 4 == 1:
        data = b"LNPU" + bytes(rng.randrange(256) for _ in range(rng.randrange(300)))
    else:
        data = bytearray(good)
        for _ in range(rng.randrange(1, 6)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        if trial % 4 == 3:
            data = data[: rng.randrange(len(data) + 1)]
    path = os.path.join(work, f"f{trial}.npubin")
    with open(path, "wb") as f:
        f.write(bytes(data))
    for args in ([path, "--dram-limit", "1048576"], ["--disassemble", path]):
        proc = subprocess.run([sim] + args, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
        runs += 1
        if proc.returncode not in (0, 1):
            print(f"fuzz: {args}: exit status {proc.returncode}\n{proc.stderr.decode(errors='replace')}")
            sys.exit(1)
        if proc.returncode == 1 and b"error:" not in proc.stderr:
            print(f"fuzz: {args}: exit 1 without an error message")
            sys.exit(1)
print(f"fuzz: {runs // 2} runs, no crashes")
