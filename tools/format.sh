#!/usr/bin/env bash
# Formats winipc's C sources with the committed .clang-format, or with --check only
# reports the files that differ from it (the test command runs the check).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
mapfile -t files < <(git ls-files -co --exclude-standard -- '*.c' '*.h' | grep -v '^build/')
if [ "${1:-}" = "--check" ]; then
  bad=0
  for f in "${files[@]}"; do
    [ -f "$f" ] || continue
    if ! clang-format --style=file "$f" | cmp -s - "$f"; then
      echo "format: $f differs from .clang-format (run tools/format.sh)" >&2
      bad=1
    fi
  done
  exit "$bad"
fi
for f in "${files[@]}"; do
  [ -f "$f" ] && clang-format --style=file -i "$f"
done
