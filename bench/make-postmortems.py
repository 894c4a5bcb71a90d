#!/usr/bin/env python3
"""Write FILES varied incident postmortems for the schema benchmark: canonical, decorated and
variant section names, bold pseudo-headings, HTML headings, missing sections, long and short
timelines, task lists, a few conflicts and mojibake. Deterministic (seeded).

Usage: bench/make-postmortems.py DIR [FILES]
"""
import os
import random
import sys

root = sys.argv[1]
files = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
rng = random.Random(4242)

services = ["checkout API", "search index", "login service", "payment queue", "image CDN", "billing job"]
causes = ["a full disk", "an expired certificate", "a bad config push", "a database deadlock",
          "a cache stampede", "a runaway cron job", "a DNS change", "a memory leak"]
fixes = ["rolled back the deploy", "restarted the workers", "renewed the certificate",
         "freed disk space", "killed the blocked queries", "warmed the cache by hand"]
zones = ["UTC", "PST", "CET", "WAT", "EST", "GMT"]
words = ("engineers looked at dashboards logs metrics alerts and traces while customers waited "
         "for answers and support answered tickets about slow pages and failed payments").split()


def prose(n):
    return " ".join(rng.choice(words) for _ in range(n)).capitalize() + "."


def heading(level, name, style):
    if style == "bold":
        return f"**{name}:**"
    if style == "html":
        return f"<h{level}>{name}</h{level}>"
    return f"{'#' * level} {name}"


names = {
    "IS": ["Issue Summary", "Issue Summary (For the Execs)", "Summary", "1. Issue Summary", "Incident Summary"],
    "TL": ["Timeline", "Timeline (UTC)", "Timeline of Events", "2. Timeline:", "Chronology"],
    "RCR": ["Root Cause and Resolution", "Root Cause & Resolution", "Root Cause Analysis", "Cause and Fix"],
    "CPM": ["Corrective and Preventative Measures", "Corrective and Preventive Measures", "Action Items",
            "Corrective Actions"],
}

total = 0
for n in range(files):
    level = rng.choice([2, 2, 2, 3])
    style = rng.choices(["md", "bold", "html"], [90, 7, 3])[0]
    zone = rng.choice(zones)
    start_h, start_m = rng.randint(0, 20), rng.choice([0, 5, 15, 30, 45])
    minutes = rng.randint(20, 240)
    end_total = start_h * 60 + start_m + minutes
    stated = minutes if rng.random() > 0.05 else minutes + 30
    service, cause, fix = rng.choice(services), rng.choice(causes), rng.choice(fixes)
    parts = [f"# Postmortem: {service} outage #{n}\n\n"]
    missing = rng.choice(["IS", "TL", "RCR", "CPM"]) if rng.random() < 0.08 else None
    if missing != "IS":
        parts.append(heading(level, rng.choice(names["IS"]), style) + "\n")
        parts.append(f"- Duration: {stated // 60} hours {stated % 60} minutes\n"
                     f"- Start Time: 2025-05-{n % 28 + 1:02d} {start_h:02d}:{start_m:02d} {zone}\n"
                     f"- End Time: 2025-05-{n % 28 + 1:02d} {end_total // 60 % 24:02d}:{end_total % 60:02d} {zone}\n"
                     f"- Impact: the {service} failed for {rng.randint(1, 90)}% of users. {prose(20)}\n"
                     f"- Root Cause: {cause}\n\n{prose(rng.randint(30, 120))}\n\n")
    if missing != "TL":
        parts.append(heading(level, rng.choice(names["TL"]), style) + "\n")
        t = start_h * 60 + start_m
        for _ in range(rng.randint(3, 14)):
            parts.append(f"- {t // 60 % 24:02d}:{t % 60:02d} {zone}: {prose(rng.randint(6, 18))}\n")
            t += rng.randint(3, 25)
        parts.append("\n")
    if missing != "RCR":
        parts.append(heading(level, rng.choice(names["RCR"]), style) + "\n")
        parts.append(f"The outage was caused by {cause}. {prose(rng.randint(40, 160))} "
                     f"We resolved it when we {fix}.\n\n")
    if missing != "CPM":
        parts.append(heading(level, rng.choice(names["CPM"]), style) + "\n")
        parts.append(f"{prose(20)}\n\n")
        for _ in range(rng.randint(1, 8)):
            parts.append(f"- [ ] {prose(rng.randint(4, 10))}\n")
    if rng.random() < 0.02:
        parts.append("\nThanks team \u00f0\u0178\u2019\u00aa\n")
    text = "".join(parts)
    if rng.random() < 0.01:
        text = f"<<<<<<< HEAD\n{text}=======\n## {n}-postmortem\n>>>>>>> {'%040x' % rng.getrandbits(160)}\n"
    folder = os.path.join(root, "postmortems", f"team{n % 40:02d}")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, f"incident-{n:05d}.md"), "w", encoding="utf-8") as f:
        f.write(text)
    total += len(text.encode())
print(f"{files} postmortems, {total / 2**20:.1f} MiB, in {root}")
