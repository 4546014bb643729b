#!/usr/bin/env bash
# The package test: cpack -G DEB in BUILD_DIR makes libwinipc0 and libwinipc-dev; they
# are checked (names, version, dependencies, what goes where), unpacked into an empty
# root with dpkg -x (no container, nothing installed on the machine), and the consumer
# program is built against that root with pkg-config and with find_package(winipc),
# and run. The packaged winipc command and man pages are checked too.
set -euo pipefail
build=$1 src=$(cd "$(dirname "$0")" && pwd)
work="$build/deb-test"
rm -rf "$work" && mkdir -p "$work/pkg" "$work/root"
fail() { echo "deb test: $*" >&2; exit 1; }

(cd "$build" && cpack -G DEB -B "$work/pkg" >"$work/cpack.log" 2>&1) ||
  { cat "$work/cpack.log" >&2; fail "cpack failed"; }
version=$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$build/CPackConfig.cmake")
[ -n "$version" ] || fail "no version in CPackConfig.cmake"
runtime=$(ls "$work/pkg"/libwinipc0_"$version"-*.deb) || fail "no libwinipc0 package"
dev=$(ls "$work/pkg"/libwinipc-dev_"$version"-*.deb) || fail "no libwinipc-dev package"

field() { dpkg-deb -f "$1" "$2"; }
[ "$(field "$runtime" Package)" = libwinipc0 ] || fail "runtime package name"
[ "$(field "$dev" Package)" = libwinipc-dev ] || fail "dev package name"
case "$(field "$runtime" Version)" in "$version"-*) ;; *) fail "runtime version" ;; esac
field "$runtime" Depends | grep -q 'libc6' || fail "libwinipc0 does not depend on libc6"
field "$dev" Depends | grep -qx "libwinipc0 (= $(field "$runtime" Version))" ||
  fail "libwinipc-dev does not depend on its libwinipc0: $(field "$dev" Depends)"

contents() { dpkg-deb -c "$1" | awk '{print $6}'; }
contents "$runtime" >"$work/runtime.txt"
contents "$dev" >"$work/dev.txt"
for f in usr/bin/winipc 'usr/lib/.*libwinipc\.so\.0$' usr/share/man/man1/winipc.1 \
  usr/share/man/man7/winipc.7; do
  grep -q "^\./$f" "$work/runtime.txt" || fail "libwinipc0 lacks $f"
done
for f in usr/include/winipc.h usr/include/winipc/compat/windows.h 'usr/lib/.*libwinipc\.a$' \
  'usr/lib/.*libwinipc\.so$' 'usr/lib/.*pkgconfig/winipc\.pc$' \
  'usr/lib/.*cmake/winipc/winipcConfig\.cmake$'; do
  grep -q "^\./$f" "$work/dev.txt" || fail "libwinipc-dev lacks $f"
done
grep -q include "$work/runtime.txt" && fail "headers in libwinipc0"
grep -q 'usr/bin' "$work/dev.txt" && fail "programs in libwinipc-dev"

root="$work/root"
dpkg -x "$runtime" "$root"
dpkg -x "$dev" "$root"
libdir=$(dirname "$(find "$root" -name 'libwinipc.so.0' | head -n 1)")
pcdir=$(dirname "$(find "$root" -name winipc.pc | head -n 1)")

# pkg-config: the .pc file finds its prefix from where it is (${pcfiledir}), so
# PKG_CONFIG_PATH into the unpacked root is enough (a sysroot would be added twice).
export PKG_CONFIG_PATH="$pcdir" PKG_CONFIG_LIBDIR="$pcdir"
cflags=$(pkg-config --cflags winipc)
case "$cflags" in *"$root"*) ;; *) fail "pkg-config flags do not point into the root: $cflags" ;; esac
# shellcheck disable=SC2046
cc -std=c11 -Wall -Wextra -o "$work/consumer-pc" "$src/main.c" $(pkg-config --cflags --libs winipc)
LD_LIBRARY_PATH="$libdir" "$work/consumer-pc"
# shellcheck disable=SC2046
cc -std=c11 -o "$work/consumer-static" "$src/main.c" $(pkg-config --cflags winipc) \
  "$libdir/libwinipc.a" $(pkg-config --libs-only-other --static winipc)
"$work/consumer-static"

# find_package, with nothing but the unpacked root on the prefix path.
cmake -S "$src" -B "$work/cmake" -DCMAKE_PREFIX_PATH="$root/usr" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
  -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF >/dev/null
grep -q "winipc_DIR:PATH=$root" "$work/cmake/CMakeCache.txt" || fail "find_package found another winipc"
cmake --build "$work/cmake" >/dev/null
LD_LIBRARY_PATH="$libdir" "$work/cmake/consumer"

# The command and its manual.
"$root/usr/bin/winipc" --version | grep -qx "winipc $version" || fail "winipc --version"
"$root/usr/bin/winipc" ls --json | python3 -c 'import json,sys; json.load(sys.stdin)' ||
  fail "winipc ls --json"
for page in man1/winipc.1 man7/winipc.7; do
  zcat "$root/usr/share/man/$page.gz" | grep -q '^\.TH WINIPC' || fail "$page"
done
echo "deb test: libwinipc0 and libwinipc-dev $version unpack and build the consumer with pkg-config and find_package"
