#!/usr/bin/env bash
# Benchmark `mergemark check` against ripgrep 15 (and pre-commit-hooks' check-merge-conflict) on two
# generated trees, warm cache, in one hyperfine run:
#   small: 40,000 pages of 0.3-1 KiB shaped like a command-reference tree (tldr-pages), 10 conflicts;
#   large: 50,000 documentation files, 1.06 GiB, 25 conflicts.
# Both have setext underlines and other marker-like lines. Then the median ratio of interleaved
# runs per tree (bench/ratio.py), which a noisy machine disturbs less than two separate means.
#
# Needs: hyperfine (apt), rg 15 (`cargo install ripgrep`), check-merge-conflict (`pip install
# pre-commit-hooks`). Usage: bench/scan.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
work=bench/work
small=$work/pages-40000
large=$work/tree-50000-22
mkdir -p "$work"

cargo build --release --quiet
bin=$PWD/target/release/mergemark
make_tree() { # DIR FILES AVG_KB CONFLICTS LAYOUT
  [ -d "$1" ] && return
  python3 bench/make-tree.py "$@"
  git -C "$1" init -q   # a repository, as in real use (attributes and ignore files apply)
}
make_tree "$small" 40000 0.65 10 pages
make_tree "$large" 50000 22 25 docs
for tree in "$small" "$large"; do
  echo "$tree: $(find "$tree" -type f -not -path '*/.git/*' | wc -l) files, $(du -sh --apparent-size --exclude=.git "$tree" | cut -f1)"
done
# A pyenv shim (a shell script on PATH) would add ~45 ms to each start: time the script itself.
check_merge_conflict=$(pyenv which check-merge-conflict 2>/dev/null || command -v check-merge-conflict)
echo "rg: $(rg --version | head -1); hyperfine: $(hyperfine --version); cores: $(nproc)"

pattern='^(<<<<<<<|=======|>>>>>>>|\|\|\|\|\|\|\|)( |$)'
hyperfine --warmup 2 --runs "${1:-10}" -i \
  --export-markdown "$work/scan-results.md" --export-json "$work/scan-results.json" \
  -n "mergemark, small" "$bin check --format concise $small" \
  -n "ripgrep, small" "rg -c '$pattern' $small" \
  -n "mergemark, large" "$bin check --format concise $large" \
  -n "ripgrep, large" "rg -c '$pattern' $large" \
  -n "check-merge-conflict, large" "find $large -type f -name '*.md' -print0 | xargs -0 -P $(nproc) $check_merge_conflict --assume-in-merge"

python3 - "$work/scan-results.json" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
for name, r in results.items():
    tree = name.split(", ")[1]
    ours = results[f"mergemark, {tree}"]["mean"]
    print(f"{name:30} mean {r['mean']:.3f} s ± {r['stddev']:.3f}   mergemark/peer = {ours / r['mean']:.2f}")
PY
python3 bench/ratio.py "$bin" 20 "$small" "$large"

# Peak memory of one mergemark run on each tree.
for tree in "$small" "$large"; do
  /usr/bin/time -f "$tree: %M KB peak RSS" "$bin" check --format concise "$tree" >/dev/null || true
done
