"""Prints the code block of a Markdown file that a `<!-- file: NAME -->` line
names (the next fenced block after it), so the embedding tests build and run
exactly the examples docs/embedding.md shows.

usage: extract_doc_file.py DOC.md NAME
"""
import sys

doc, name = sys.argv[1], sys.argv[2]
lines = open(doc).read().splitlines()
marker = "<!-- file: %s -->" % name
if marker not in lines:
    sys.exit("%s: no block marked '%s'" % (doc, marker))
start = next(i for i in range(lines.index(marker) + 1, len(lines))
             if lines[i].startswith("```")) + 1
end = lines.index("```", start)
print("\n".join(lines[start:end]))
