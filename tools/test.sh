#!/usr/bin/env bash
# The one test command: installs what is missing (Debian packages only), then builds
# winipc every way it ships and runs every test of each build:
#   linux   gcc, -Werror: compat tests, sample smoke tests, consumer test
#   asan    gcc, AddressSanitizer + UndefinedBehaviorSanitizer, same tests
#   tsan    gcc, ThreadSanitizer: the suites where threads share a process
#   clang   clang, -Werror, same tests, and the libFuzzer target for a bounded time
#   mingw   mingw-w64 Windows build: compat tests and samples under Wine
#   portable  the portable backend (-DWINIPC_BACKEND=portable: named semaphores and
#           flock, what macOS and FreeBSD have): every test, then under ASan + UBSan
#           the compat suites and samples (portable-asan)
# then checks that the samples and the porting programs printed the same in the Linux
# and Windows builds, and last runs selected functions of Wine's own kernel32 tests
# against winipc (tools/wine-tests/run.sh; skipped with a message when Debian's wine
# source package cannot be fetched, and with WINIPC_SKIP_WINE_TESTS=1).
# Builds go to build/<name>. Exits non-zero if anything fails.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
"$top/tools/setup-debian.sh"

status=0
echo "=== format"
"$top/tools/format.sh" --check || status=1

# step NAME [ctest -R regex] -- cmake arguments...
step() {
  local name=$1 only=""
  shift
  [ "$1" = "-R" ] && { only=$2; shift 2; }
  echo "=== $name"
  cmake -S "$top" -B "$top/build/$name" -DWINIPC_WERROR=ON "$@" >/dev/null
  cmake --build "$top/build/$name" -j 2 >/dev/null
  # Serial: the timing tests check lateness in milliseconds.
  ctest --test-dir "$top/build/$name" --output-on-failure ${only:+-R "$only"} || status=1
}

step linux -DCMAKE_BUILD_TYPE=RelWithDebInfo
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  step asan -DCMAKE_BUILD_TYPE=Debug -DWINIPC_SANITIZE=address,undefined
# detect_deadlocks=0: TSan's detector tracks at most 64 held locks per thread, and a
# wait-all over 64 handles holds 64 guards (taken in one global order: posix/wait.c).
TSAN_OPTIONS="suppressions=$top/tools/tsan.supp:halt_on_error=1:detect_deadlocks=0" \
  step tsan -R 'compat\.(handles|thread|timer|mutex|event|semaphore|wait|workloads|lifetime|process)' \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWINIPC_SANITIZE=thread -DWINIPC_BUILD_SAMPLES=OFF
CC=clang CXX=clang++ step clang -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWINIPC_FUZZ=ON
step mingw -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_TOOLCHAIN_FILE="$top/cmake/toolchain-mingw-w64.cmake"
step portable -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWINIPC_BACKEND=portable
# The suites once each (not again through the timer thread) and the samples, to keep
# the sanitized build's time small.
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  step portable-asan -R '^(compat\.[a-z_]+|sample\..*)$' \
  -DCMAKE_BUILD_TYPE=Debug -DWINIPC_BACKEND=portable -DWINIPC_SANITIZE=address,undefined

# The samples print the same on Linux and Windows (and, per build, in ANSI and UNICODE).
echo "=== samples: Linux and Windows outputs"
if diff -r "$top/build/linux/samples/output" "$top/build/mingw/samples/output"; then
  echo "identical in all four builds"
else
  status=1
fi
# So do the porting programs (real Windows code built unchanged: compat-tests/porting).
echo "=== porting programs: Linux and Windows outputs"
if diff -r "$top/build/linux/compat-tests/porting/output" "$top/build/mingw/compat-tests/porting/output"; then
  echo "identical on Linux and Windows"
else
  status=1
fi

# Wine's conformance tests, as far as winipc's API goes; fails only on a crash, a
# hang, or more failed checks than tools/wine-tests/baseline.txt allows.
echo "=== wine-tests: Wine's kernel32 tests against winipc"
if [ "${WINIPC_SKIP_WINE_TESTS:-0}" = 1 ]; then
  echo "wine-tests: SKIPPED (WINIPC_SKIP_WINE_TESTS=1)"
else
  "$top/tools/wine-tests/run.sh" || status=1
fi

if [ "$status" -eq 0 ]; then
  echo "=== all builds passed"
else
  echo "=== some tests FAILED" >&2
fi
exit "$status"
