"""The bench reports' last step: the Markdown lines to standard output and, with --out, to a file."""
import sys


def emit(lines, out_path=None):
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if out_path:
        with open(out_path, "w", encoding="utf-8") as f:
            f.write(text)
