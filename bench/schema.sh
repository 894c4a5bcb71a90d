#!/usr/bin/env bash
# Benchmark the document checks: `mergemark check` over 10,000 varied postmortems (every file gets
# an outline and a full schema check) against markdownlint-cli2 0.22 with only MD043 and rumdl with
# only MD043 (no config file, no cache), the same required-headings list for both, in one hyperfine
# run with a warm cache.
#
# Then the median ratio of interleaved mergemark/rumdl pairs.
#
# Needs: hyperfine (apt), markdownlint-cli2@0.22 (npm), rumdl (pip). Usage: bench/schema.sh [FILES]
set -euo pipefail
cd "$(dirname "$0")/.."
files=${1:-10000}
work=$PWD/bench/work
tree=$work/postmortems-$files
mkdir -p "$work"
cargo build --release --quiet
bin=$PWD/target/release/mergemark
if [ ! -d "$tree" ]; then
  python3 bench/make-postmortems.py "$tree" "$files"
  git -C "$tree" init -q
fi
headings='["*", "## Issue Summary", "*", "## Timeline", "*", "## Root Cause and Resolution", "*", "## Corrective and Preventative Measures", "*"]'
cat > "$tree/.markdownlint-cli2.jsonc" <<JSON
{ "config": { "default": false, "MD043": { "headings": $headings } } }
JSON
# pip under pyenv puts a shell-script shim on PATH that spends ~45 ms finding the Python version
# before it starts rumdl: time rumdl's own binary, not the shim.
rumdl=$(pyenv which rumdl 2>/dev/null || command -v rumdl)
echo "markdownlint-cli2: $(markdownlint-cli2 --help 2>&1 | head -1); rumdl: $("$rumdl" --version) ($rumdl); cores: $(nproc)"
echo "mergemark findings: $("$bin" check --format concise "$tree" | wc -l)"

hyperfine --warmup 1 --runs "${RUNS:-5}" -i \
  --export-markdown "$work/schema-results.md" --export-json "$work/schema-results.json" \
  -n mergemark "$bin check --format concise $tree" \
  -n rumdl "$rumdl check --no-config --no-cache --enable MD043 --config 'MD043.headings = $headings' --output-format concise $tree" \
  -n markdownlint-cli2 "cd $tree && markdownlint-cli2 '**/*.md'"

python3 - "$work/schema-results.json" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
base = results["mergemark"]["mean"]
for name, r in results.items():
    print(f"{name:20} mean {r['mean']:.3f} s ± {r['stddev']:.3f}   mergemark/{name} = {base / r['mean']:.3f}")
PY

# A noisy machine moves both sides of one run differently: the median of the ratios of
# interleaved pairs (mergemark, then rumdl) says the same with less noise.
python3 - "$bin" "$tree" "$headings" "${PAIRS:-15}" "$rumdl" <<'PY'
import statistics, subprocess, sys, time
binary, tree, headings, pairs, rumdl_binary = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
mergemark = [binary, "check", "--format", "concise", tree]
rumdl = [rumdl_binary, "check", "--no-config", "--no-cache", "--enable", "MD043", "--config",
         f"MD043.headings = {headings}", "--output-format", "concise", tree]
def seconds(command):
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start
seconds(mergemark), seconds(rumdl)
runs = [(seconds(mergemark), seconds(rumdl)) for _ in range(pairs)]
ratios = [r / m for m, r in runs]
print(f"interleaved: rumdl/mergemark median {statistics.median(ratios):.2f} over {pairs} pairs "
      f"(min {min(ratios):.2f}, max {max(ratios):.2f}); medians "
      f"{statistics.median(m for m, _ in runs) * 1000:.0f} ms vs {statistics.median(r for _, r in runs) * 1000:.0f} ms")
PY
