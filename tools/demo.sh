#!/usr/bin/env bash
# The demo command: installs what is missing (Debian packages only), builds winipc
# and its samples, and runs the hello writer/reader pair: two processes sharing a
# named file mapping, written only against the Win32 API.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
"$top/tools/setup-debian.sh" --linux
cmake -S "$top" -B "$top/build/demo" -DWINIPC_BUILD_TESTS=OFF >/dev/null
cmake --build "$top/build/demo" -j 2 --target hello_writer hello_reader >/dev/null

samples="$top/build/demo/samples"
"$samples/hello_writer" &
writer=$!
"$samples/hello_reader"
wait "$writer"
