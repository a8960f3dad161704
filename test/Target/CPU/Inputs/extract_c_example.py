"""Prints the first ```c code block of a Markdown file (docs/cpu.md), so the
C-ABI test builds exactly the example the documentation shows."""
import sys

lines = open(sys.argv[1]).read().splitlines()
start = lines.index("```c") + 1
end = lines.index("```", start)
print("\n".join(lines[start:end]))
