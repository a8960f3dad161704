"""Prints what a GPU model library embeds: its PTX target and the number of
kernel entries (`.entry NAME(`), and the first kernel names, for FileCheck.
Usage: embedded_ptx.py LIBRARY"""
import re
import sys

data = open(sys.argv[1], "rb").read()
target = re.search(rb"\.target (sm_[0-9a]+)", data)
entries = re.findall(rb"\.entry ([A-Za-z0-9_]+)\(", data)
print("target", target.group(1).decode() if target else "none")
print("entries", len(entries))
for name in entries[:3]:
    print("entry", name.decode())
