#!/usr/bin/env bash
# The benchmark command: builds winipc in Release and runs bench/winipc-bench, which
# measures the Win32 workloads on winipc against raw POSIX baselines in the same run
# and prints the ratios. Results: build/bench/results.{md,json}. When Wine and
# mingw-w64 are installed, the same Win32 workloads are then built for Windows and
# run under Wine (fewer iterations), as the comparison a porting user would make:
# build/bench-wine/results.{md,json}.
#
# --backend portable runs the same benchmark against the portable backend
# (-DWINIPC_BACKEND=portable) instead: build/bench-portable/results.{md,json}, and, when
# build/bench/results.json holds a run of the default (futex) backend, a table of the
# two side by side (build/bench-portable/compare.md). --backend both runs the futex
# backend, then the portable one, then compares. Wine runs only with the default.
# --only TEXT runs just the rows whose "workload: mechanism" contains TEXT (and skips
# the Wine run).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
backend=linux
only=()
while [ $# -gt 0 ]; do
  case "$1" in
  --backend)
    backend=${2:-}
    shift 2
    ;;
  --only)
    only=(--only "${2:-}")
    shift 2
    ;;
  *)
    echo "usage: $0 [--backend linux|portable|both] [--only TEXT]" >&2
    exit 2
    ;;
  esac
done
case "$backend" in linux | portable | both) ;; *)
  echo "bench.sh: --backend must be linux, portable or both" >&2
  exit 2
  ;;
esac
"$top/tools/setup-debian.sh" --linux

# run_bench BUILD_DIR [cmake arguments...]: builds winipc-bench there and runs it.
run_bench() {
  local dir=$1
  shift
  cmake -S "$top" -B "$dir" -DCMAKE_BUILD_TYPE=Release -DWINIPC_BUILD_TESTS=OFF \
    -DWINIPC_BUILD_SAMPLES=OFF "$@" >/dev/null
  cmake --build "$dir" -j 2 --target winipc-bench >/dev/null
  echo "machine: $(nproc) cores, $(uname -sr), $(date -u +%Y-%m-%d)"
  "$dir/bench/winipc-bench" --output "$dir/results" "${only[@]}"
}

if [ "$backend" != linux ]; then
  if [ "$backend" = both ]; then
    echo "=== the futex backend (default)"
    run_bench "$top/build/bench" -DWINIPC_BACKEND=linux
    echo
  fi
  echo "=== the portable backend (named semaphores and flock)"
  run_bench "$top/build/bench-portable" -DWINIPC_BACKEND=portable
  if [ -f "$top/build/bench/results.json" ]; then
    echo
    echo "=== portable backend beside the futex backend (build/bench/results.json)"
    python3 - "$top/build/bench/results.json" "$top/build/bench-portable/results.json" \
      "$top/build/bench-portable/compare.md" <<'PY'
import json, sys

def rows(path):
    with open(path) as f:
        return json.load(f)["results"]

def ratio(r, results):
    # winipc's median over the best baseline of its workload, as winipc-bench prints it
    base = [b for b in results if b["workload"] == r["workload"] and b["unit"] == r["unit"]
            and not b["winipc"]]
    if not base:
        return None
    best = (max if r["higher_is_better"] else min)(b["median"] for b in base)
    return r["median"] / best if best else None

futex, portable = rows(sys.argv[1]), rows(sys.argv[2])
out = ["| workload | mechanism | unit | futex | portable | portable cost | "
       "futex / baseline | portable / baseline |",
       "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |"]
for p in portable:
    if not p["winipc"]:
        continue
    f = next((x for x in futex if x["winipc"] and x["workload"] == p["workload"]
              and x["mechanism"] == p["mechanism"] and x["unit"] == p["unit"]), None)
    if not f or not f["median"] or not p["median"]:
        continue
    # how many times the portable backend's cost: time over time, or rate under rate
    cost = f["median"] / p["median"] if p["higher_is_better"] else p["median"] / f["median"]
    rf, rp = ratio(f, futex), ratio(p, portable)
    out.append("| %s | %s | %s | %.1f | %.1f | %.2fx | %s | %s |" % (
        p["workload"], p["mechanism"], p["unit"], f["median"], p["median"], cost,
        "%.2fx" % rf if rf else "", "%.2fx" % rp if rp else ""))
text = "\n".join(out) + "\n"
print(text, end="")
with open(sys.argv[3], "w") as f:
    f.write(text)
PY
  fi
  exit 0
fi

run_bench "$top/build/bench"

if [ ${#only[@]} -eq 0 ] && command -v wine >/dev/null && command -v x86_64-w64-mingw32-gcc >/dev/null; then
  echo
  echo "=== the same Win32 workloads under Wine $(wine --version 2>/dev/null | sed 's/wine-//')"
  cmake -S "$top" -B "$top/build/bench-wine" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_TOOLCHAIN_FILE="$top/cmake/toolchain-mingw-w64.cmake" -DWINIPC_BUILD_TESTS=OFF \
    -DWINIPC_BUILD_SAMPLES=OFF >/dev/null
  cmake --build "$top/build/bench-wine" -j 2 --target winipc-bench >/dev/null
  (cd "$top/build/bench-wine/bin" && WINIPC_BENCH_SCALE=100 WINEDEBUG=-all \
    WINEPREFIX="$top/build/bench-wine/wineprefix" wine winipc-bench.exe --output results)
  mv "$top/build/bench-wine/bin/results."* "$top/build/bench-wine/"
fi
