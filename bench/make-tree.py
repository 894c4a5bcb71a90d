#!/usr/bin/env python3
"""Write a Markdown tree for benchmarks: FILES files averaging AVG_KB KiB, with setext underlines,
tables, block quotes and HTML (marker-like bytes that are not markers), and CONFLICTS files holding
real conflict blocks. Deterministic (seeded).

LAYOUT `docs` (the default): 2,000 folders of ~25 large documentation pages. LAYOUT `pages`: the
shape of a command-reference tree such as tldr-pages: ~40 language folders of a few platform
folders each, hundreds to thousands of 0.3-1 KiB pages per folder, most of them command pages
(`# name`, a `>` description, `- example:` and a code line), some titled with a setext underline.

Usage: bench/make-tree.py DIR [FILES] [AVG_KB] [CONFLICTS] [LAYOUT]
"""
import os
import random
import sys

root = sys.argv[1]
files = int(sys.argv[2]) if len(sys.argv) > 2 else 50_000
avg_kb = float(sys.argv[3]) if len(sys.argv) > 3 else 22
conflicts = int(sys.argv[4]) if len(sys.argv) > 4 else 25
layout = sys.argv[5] if len(sys.argv) > 5 else "docs"
rng = random.Random(20261125)

# General documentation vocabulary. Postmortem words (summary, timeline, cause, ...) are left out
# on purpose: this tree models a docs repository with a few conflicts; trees of postmortems,
# where every file gets the full schema check, are bench/schema.sh's job.
words = ("merge branch commit review runbook latency cache deploy rollback service database "
         "query alert metric dashboard owner restore backup release feature config build test "
         "package module install upgrade option flag example usage").split()


def sentence():
    return " ".join(rng.choice(words) for _ in range(rng.randint(6, 16))).capitalize() + "."


pieces = []
for i in range(400):
    kind = i % 8
    if kind == 0:
        pieces.append(f"{sentence()}\n{'=' * 7}\n\n")          # setext H1, looks like a separator
    elif kind == 1:
        pieces.append(f"## {sentence()}\n\n")
    elif kind == 2:
        rows = "".join(f"| {rng.choice(words)} | {rng.randint(1, 999)} | {rng.choice(words)} |\n" for _ in range(6))
        pieces.append(f"| name | value | note |\n|---|---|---|\n{rows}\n")
    elif kind == 3:
        pieces.append("".join(f"> {sentence()}\n" for _ in range(3)) + "\n")
    elif kind == 4:
        pieces.append(f"<details><summary>{sentence()}</summary>\n\n{sentence()}\n\n</details>\n\n")
    elif kind == 5:
        pieces.append("```sh\n" + "".join(f"run --{rng.choice(words)} {rng.randint(1, 9)}\n" for _ in range(5)) + "```\n\n")
    else:
        pieces.append(" ".join(sentence() for _ in range(rng.randint(3, 8))) + "\n\n")


def command_page(n, target):
    """A tldr-style page of about `target` bytes."""
    name = f"{rng.choice(words)}-{n}"
    title = f"{name}\n{'=' * len(name)}\n\n" if n % 10 == 0 else f"# {name}\n\n"
    parts = [title, f"> {sentence()}\n> More information: <https://example.org/{name}>.\n\n"]
    size = sum(map(len, parts))
    while size < target:
        flag = rng.choice(words)
        part = f"- {sentence()}\n\n`{name} --{flag} {{{{path/to/{rng.choice(words)}}}}}`\n\n"
        parts.append(part)
        size += len(part)
    return parts


languages = ["pages"] + [f"pages.{code}" for code in range(39)]
platforms = ["common"] * 9 + ["linux"] * 6 + ["osx", "osx", "windows", "windows", "android", "sunos"]


def folder_for(n):
    if layout == "pages":
        language = languages[min(int(rng.expovariate(1 / 8)), len(languages) - 1)]
        return os.path.join(root, language, rng.choice(platforms))
    return os.path.join(root, f"d{n % 50:02d}", f"e{(n // 50) % 40:02d}")


conflict_at = set(rng.sample(range(files), conflicts))
total = 0
for n in range(files):
    folder = folder_for(n)
    os.makedirs(folder, exist_ok=True)
    if layout == "pages":
        parts = command_page(n, int(rng.uniform(0.25, 0.8) * 1024))
    else:
        target = int(rng.uniform(0.3, 1.7) * avg_kb * 1024)
        parts, size = [], 0
        while size < target:
            piece = rng.choice(pieces)
            parts.append(piece)
            size += len(piece)
    if n in conflict_at:
        parts.insert(len(parts) // 2, "<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> topic\n")
    data = "".join(parts)
    with open(os.path.join(folder, f"doc{n:05d}.md"), "w") as f:
        f.write(data)
    total += len(data)
print(f"{files} files, {total / 2**30:.2f} GiB, {conflicts} with conflicts, in {root}")
