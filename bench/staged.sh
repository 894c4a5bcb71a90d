#!/usr/bin/env bash
# Latency of the pre-commit check: `mergemark check --staged` with 5 staged files, in a repository
# of 100 tracked files and in one of 20,000, in one hyperfine run. The two should cost about the
# same: the staged scope lists index-vs-HEAD differences and reads only those blobs.
#
# Needs: hyperfine (apt), git. Usage: bench/staged.sh [BIG_FILES]
set -euo pipefail
cd "$(dirname "$0")/.."
big=${1:-20000}
work=bench/work
mkdir -p "$work"
cargo build --release --quiet
bin=$PWD/target/release/mergemark

make_repo() { # DIR FILES
  local dir=$1 files=$2
  [ -d "$dir/.git" ] && return
  rm -rf "$dir"
  python3 - "$dir" "$files" <<'PY'
import os, sys
root, count = sys.argv[1], int(sys.argv[2])
for i in range(count):
    d = os.path.join(root, f"d{i % 200:03}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"f{i:05}.md"), "w") as f:
        f.write(f"# Note {i}\n\n" + f"Line {i} of a tracked document.\n" * 40)
PY
  git -C "$dir" init -q -b main
  git -C "$dir" -c core.autocrlf=false add -A
  git -C "$dir" -c user.name=b -c user.email=b@x commit -q -m base
  # Five staged changes, one of them with conflict markers (so the check has work to do).
  for i in 0 1 2 3; do echo "edited" >> "$dir/d00$i/f0000$i.md"; done
  printf '<<<<<<< HEAD\na\n=======\nb\n>>>>>>> x\n' >> "$dir/d004/f00004.md"
  git -C "$dir" add -A
}

make_repo "$work/staged-100" 100
make_repo "$work/staged-$big" "$big"
echo "hyperfine: $(hyperfine --version); cores: $(nproc); git ls-files: $(git -C "$work/staged-$big" ls-files | wc -l)"
hyperfine --warmup 3 --runs "${RUNS:-30}" -N -i \
  --export-json "$work/staged-results.json" \
  -n "100 files" "$bin check --staged --format concise $work/staged-100" \
  -n "$big files" "$bin check --staged --format concise $work/staged-$big" \
  -n "git diff --cached, 100 files" "git -C $work/staged-100 diff --cached --name-only" \
  -n "git diff --cached, $big files" "git -C $work/staged-$big diff --cached --name-only"

python3 - "$work/staged-results.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
for a, b in ((0, 1), (2, 3)):
    small, large = r[a]["mean"], r[b]["mean"]
    print(f"{r[a]['command']}: {small*1000:.1f} ms; {r[b]['command']}: {large*1000:.1f} ms; ratio {large/small:.2f}")
PY
