#!/usr/bin/env bash
# The consumer test: install winipc from BUILD_DIR into a fresh prefix, then build
# and run a program against it with find_package(winipc) and with pkg-config.
set -euo pipefail
build=$1 src=$(cd "$(dirname "$0")" && pwd)
work="$build/consumer-test"
rm -rf "$work" && mkdir -p "$work"
cmake --install "$build" --prefix "$work/prefix" >/dev/null
libdir=$(find "$work/prefix" -name winipc.pc -printf '%h\n' | head -n 1)

cmake -S "$src" -B "$work/cmake" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/cmake" >/dev/null
LD_LIBRARY_PATH="$libdir/.." "$work/cmake/consumer"

export PKG_CONFIG_PATH="$libdir"
# shellcheck disable=SC2046
cc -std=c11 -Wall -Wextra -o "$work/consumer-pc" "$src/main.c" $(pkg-config --cflags --libs winipc)
LD_LIBRARY_PATH="$libdir/.." "$work/consumer-pc"
# Issue 11's check: a project that defines _WIN32 itself (as MSVC project files do)
# and spells the header as Windows code does, against the installed headers.
# shellcheck disable=SC2046
printf '#include <Windows.h>\n#include <TChar.h>\nint f(void) { return (int)MAXLONG; }\n' |
  cc -D_WIN32 -DWIN32 -x c -c -o "$work/win32.o" - $(pkg-config --cflags winipc)
echo "consumer test: find_package and pkg-config both work"
