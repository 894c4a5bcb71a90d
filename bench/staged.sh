#!/usr/bin/env bash
# Latency of the pre-commit check: `mergemark check --staged` with 5 staged files, and `mergemark
# check FILE FILE` (the pre-commit framework's call), in repositories of 100, 20,000 and 100,000
# tracked files, beside `git diff --cached --name-only` on each, in one hyperfine run. The cost
# should follow the staged change, not the repository. Then 2,000 files named at once (what
# `pre-commit run --all-files` passes), beside ripgrep on the same files.
#
# Needs: hyperfine (apt), git, ripgrep. Usage: bench/staged.sh
set -euo pipefail
cd "$(dirname "$0")/.."
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
    d = os.path.join(root, f"d{i % 200:03}", f"e{i // 200 % 25:02}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"f{i:06}.md"), "w") as f:
        f.write(f"# Note {i}\n\n" + f"Line {i} of a tracked document.\n" * 40)
PY
  git -C "$dir" init -q -b main
  git -C "$dir" -c core.autocrlf=false add -A
  git -C "$dir" -c user.name=b -c user.email=b@x commit -q -m base
  # Five staged changes, one of them with conflict markers (so the check has work to do).
  for i in 0 1 2 3; do echo "edited" >> "$dir/d00$i/e00/f00000$i.md"; done
  printf '<<<<<<< HEAD\na\n=======\nb\n>>>>>>> x\n' >> "$dir/d004/e00/f000004.md"
  git -C "$dir" add -A
}

sizes=(100 20000 100000)
commands=()
for n in "${sizes[@]}"; do
  make_repo "$work/staged-$n" "$n"
  commands+=(-n "mergemark, $n files" "$bin check --staged --format concise $work/staged-$n")
  # The pre-commit framework's call: the staged files named on the command line.
  commands+=(-n "mergemark FILES, $n files" "$bin check --format concise $work/staged-$n/d004/e00/f000004.md $work/staged-$n/d000/e00/f000000.md")
  commands+=(-n "git diff --cached, $n files" "git -C $work/staged-$n diff --cached --name-only")
done
# `pre-commit run --all-files` names every file: 2,000 files named at once, beside ripgrep given
# the same files and the marker pattern.
named=$(git -C "$work/staged-20000" ls-files | sed -n "1,2000s|^|$work/staged-20000/|p" | tr '\n' ' ')
commands+=(-n "mergemark 2000 FILES" "$bin check --format concise $named")
commands+=(-n "rg 2000 FILES" "rg -c '^(<{7}|={7}|>{7}|\|{7})( |\$)' $named")
echo "hyperfine: $(hyperfine --version); git: $(git --version); cores: $(nproc)"
for n in "${sizes[@]}"; do
  echo "staged-$n: $(git -C "$work/staged-$n" ls-files | wc -l) tracked, index $(stat -c %s "$work/staged-$n/.git/index") bytes"
done
hyperfine --warmup 3 --runs "${RUNS:-30}" -N -i --export-json "$work/staged-results.json" "${commands[@]}"

python3 - "$work/staged-results.json" <<'PY'
import json, sys
r = {x["command"]: x["mean"] for x in json.load(open(sys.argv[1]))["results"]}
for n in (100, 20000, 100000):
    ours, git = r[f"mergemark, {n} files"], r[f"git diff --cached, {n} files"]
    files = r[f"mergemark FILES, {n} files"]
    print(f"{n:>6} files: mergemark --staged {ours*1000:.1f} ms, git diff --cached {git*1000:.1f} ms, "
          f"ratio {ours/git:.2f}; mergemark FILE FILE {files*1000:.1f} ms, ratio {files/git:.2f}")
ours, rg = r["mergemark 2000 FILES"], r["rg 2000 FILES"]
print(f"2,000 files named: mergemark {ours*1000:.1f} ms, ripgrep {rg*1000:.1f} ms, ratio {ours/rg:.2f}")
PY
