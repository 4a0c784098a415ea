#!/usr/bin/env python3
"""Generate each addon's README.rst from its OCA-style ``readme/`` fragments.

Usage: ``python3 tools/gen_addon_readme.py [--check] [ADDON_DIR ...]``.
Fragments are DESCRIPTION.md, CONFIGURE.md, SECURITY.md, USAGE.md,
ROADMAP.md and CONTRIBUTORS.md, written in the small Markdown subset that is
also valid reStructuredText (paragraphs, ``-`` lists, ``**bold**``, ``code``
in double backquotes), plus Markdown pipe tables, which become RST list
tables. ``--check`` fails when a README.rst is out of date.
"""

import ast
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SECTIONS = [
    ("DESCRIPTION.md", None),
    ("CONFIGURE.md", "Configuration"),
    ("SECURITY.md", "Who may do what"),
    ("USAGE.md", "Usage"),
    ("ROADMAP.md", "Known issues / Roadmap"),
    ("CONTRIBUTORS.md", "Contributors"),
]


def render(addon_dir):
    manifest = ast.literal_eval((addon_dir / "__manifest__.py").read_text())
    title = manifest["name"]
    out = [
        "=" * len(title),
        title,
        "=" * len(title),
        "",
        f"*{manifest['summary']}*",
        "",
        (
            f"| Version: {manifest['version']} | License: {manifest['license']} "
            f"| Depends on: {', '.join(manifest['depends'])}"
        ),
        "",
        ".. contents::",
        "   :local:",
        "",
    ]
    for filename, heading in SECTIONS:
        fragment = addon_dir / "readme" / filename
        if not fragment.exists():
            continue
        if heading:
            out += [heading, "=" * len(heading), ""]
        out += [convert_tables(fragment.read_text().strip()), ""]
    return "\n".join(out)


def _cells(line):
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def convert_tables(text):
    """Turn Markdown pipe tables (header, ``---`` rule, rows) into list tables."""
    out, table = [], []

    def flush():
        if not table:
            return
        header, rows = table[0], table[2:]
        out.extend([".. list-table::", "   :header-rows: 1", ""])
        for row in [header, *rows]:
            first, *rest = _cells(row)
            out.append(f"   * - {first}")
            out.extend(f"     - {cell}" for cell in rest)
        table.clear()

    for line in text.splitlines():
        if line.lstrip().startswith("|"):
            table.append(line)
            continue
        flush()
        out.append(line)
    flush()
    return "\n".join(out)


def main(argv):
    check = "--check" in argv
    dirs = [pathlib.Path(a) for a in argv if not a.startswith("--")] or sorted(
        p.parent for p in ROOT.glob("*/__manifest__.py")
    )
    stale = []
    for addon_dir in dirs:
        target = addon_dir / "README.rst"
        text = render(addon_dir)
        if check:
            if not target.exists() or target.read_text() != text:
                stale.append(str(target))
        else:
            target.write_text(text)
    if stale:
        print("Out of date (run tools/gen_addon_readme.py):", *stale, sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
