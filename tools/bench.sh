#!/usr/bin/env bash
# The benchmark command: builds winipc in Release and runs bench/winipc-bench, which
# measures the Win32 workloads on winipc against raw POSIX baselines in the same run
# and prints the ratios. Results: build/bench/results.{md,json}. When Wine and
# mingw-w64 are installed, the same Win32 workloads are then built for Windows and
# run under Wine (fewer iterations), as the comparison a porting user would make:
# build/bench-wine/results.{md,json}.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
"$top/tools/setup-debian.sh" --linux
cmake -S "$top" -B "$top/build/bench" -DCMAKE_BUILD_TYPE=Release -DWINIPC_BUILD_TESTS=OFF \
  -DWINIPC_BUILD_SAMPLES=OFF >/dev/null
cmake --build "$top/build/bench" -j 2 --target winipc-bench >/dev/null
echo "machine: $(nproc) cores, $(uname -sr), $(date -u +%Y-%m-%d)"
"$top/build/bench/bench/winipc-bench" --output "$top/build/bench/results"

if command -v wine >/dev/null && command -v x86_64-w64-mingw32-gcc >/dev/null; then
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
