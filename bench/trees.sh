#!/usr/bin/env bash
# mergemark against ripgrep 15 on documentation-shaped and real trees: the median ratio of
# interleaved runs (bench/ratio.py) per tree.
#   - a tree generated in the shape of a product documentation site (MicrosoftDocs/PowerShell-Docs:
#     3,176 pages averaging 14 KiB);
#   - the trees named on the command line (default: the crates.io sources cargo unpacked for this
#     project, and the Python packages pip installed; real public files, READMEs and changelogs
#     among them, that any machine with the toolchain has).
#
# Needs: rg 15. Usage: bench/trees.sh [DIR...]
set -euo pipefail
cd "$(dirname "$0")/.."
work=bench/work
shaped=$work/docs-3176-14
mkdir -p "$work"
cargo build --release --quiet
bin=$PWD/target/release/mergemark
if [ ! -d "$shaped" ]; then
  python3 bench/make-tree.py "$shaped" 3176 14 5 docs
  git -C "$shaped" init -q
fi
if [ $# -eq 0 ]; then
  set -- "${CARGO_HOME:-$HOME/.cargo}/registry/src" "$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
fi
for tree in "$shaped" "$@"; do
  echo "$tree: $(find "$tree" -type f | wc -l) files ($(find "$tree" -type f -name '*.md' | wc -l) Markdown), $(du -sh --apparent-size "$tree" | cut -f1)"
done
echo "rg: $(rg --version | head -1); cores: $(nproc)"
python3 bench/ratio.py "$bin" "${RUNS:-20}" "$shaped" "$@"
