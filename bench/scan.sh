#!/usr/bin/env bash
# Benchmark `mergemark check` against ripgrep 15 and pre-commit-hooks' check-merge-conflict on a
# large generated tree (default 50,000 files, ~1.1 GiB), warm cache, in one hyperfine run.
#
# Needs: hyperfine (apt), rg 15 (`cargo install ripgrep`), check-merge-conflict (`pip install
# pre-commit-hooks`). Usage: bench/scan.sh [FILES] [AVG_KB]
set -euo pipefail
cd "$(dirname "$0")/.."
files=${1:-50000}
avg_kb=${2:-22}
work=bench/work
tree=$work/tree-$files-$avg_kb
mkdir -p "$work"

cargo build --release --quiet
bin=$PWD/target/release/mergemark
if [ ! -d "$tree" ]; then
  python3 bench/make-tree.py "$tree" "$files" "$avg_kb"
  git -C "$tree" init -q   # a repository, as in real use (attributes and ignore files apply)
fi
du -sh --apparent-size "$tree"
echo "rg: $(rg --version | head -1); hyperfine: $(hyperfine --version)"
echo "cores: $(nproc)"

pattern='^(<<<<<<<|=======|>>>>>>>|\|\|\|\|\|\|\|)( |$)'
hyperfine --warmup 2 --runs "${RUNS:-10}" -i \
  --export-markdown "$work/scan-results.md" --export-json "$work/scan-results.json" \
  -n mergemark "$bin check --format concise $tree" \
  -n ripgrep "rg -c '$pattern' $tree" \
  -n check-merge-conflict "find $tree -type f -name '*.md' -print0 | xargs -0 -P $(nproc) check-merge-conflict --assume-in-merge"

python3 - "$work/scan-results.json" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
base = results["mergemark"]["mean"]
for name, r in results.items():
    print(f"{name:22} mean {r['mean']:.3f} s ± {r['stddev']:.3f}   mergemark/{name} = {base / r['mean']:.2f}")
PY

# Peak memory of one mergemark run on the same tree.
/usr/bin/time -v "$bin" check --format concise "$tree" 2>&1 >/dev/null | grep -E "Maximum resident|Elapsed" || true
