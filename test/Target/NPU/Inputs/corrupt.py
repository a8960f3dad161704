"""Writes corrupted copies of a 3-instruction NPU binary (for sim-errors.test).

usage: corrupt.py GOOD.npubin OUTDIR
"""
import sys

good = bytearray(open(sys.argv[1], "rb").read())
out = sys.argv[2]


def write(name, data):
    with open(f"{out}/{name}.npubin", "wb") as f:
        f.write(bytes(data))


bad = bytearray(good)
bad[0x50] = 0xEE  # opcode of instruction #1
write("opcode", bad)
write("truncated", good[:80])  # header + one of three instructions
bad = bytearray(good)
bad[0x60 + 15] = 0x01  # bit 120 of the halt
write("reserved", bad)
bad = bytearray(good)
bad[4] = 7  # version
write("version", bad)
