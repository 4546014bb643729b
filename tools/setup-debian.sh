#!/usr/bin/env bash
# Installs what winipc's builds and tests need on Debian 12, from Debian's packages
# only, and fetches Debian's CUnit source package for the Windows build. Idempotent:
# apt runs only when something is missing. Run as root (or with sudo available).
#
#   tools/setup-debian.sh          everything (Linux, clang, mingw-w64, Wine)
#   tools/setup-debian.sh --linux  only what the Linux build and demo need
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
linux_packages=(build-essential cmake pkg-config libcunit1-dev)
all_packages=("${linux_packages[@]}" clang clang-format libclang-rt-dev mingw-w64 wine wine64 dpkg-dev)
packages=("${all_packages[@]}")
[ "${1:-}" = "--linux" ] && packages=("${linux_packages[@]}")

sudo_=""
[ "$(id -u)" -eq 0 ] || sudo_="sudo"
export DEBIAN_FRONTEND=noninteractive

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
updated=no
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $sudo_ apt-get update -qq
  updated=yes
  $sudo_ apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
[ "${1:-}" = "--linux" ] && exit 0

# The cross-user tests run helper roles as two unprivileged users (root only).
if [ "$(id -u)" -eq 0 ]; then
  for user in winipc-test-a winipc-test-b; do
    id "$user" >/dev/null 2>&1 ||
      useradd --system --no-create-home --shell /usr/sbin/nologin "$user"
  done
fi

# CUnit for the mingw build: Debian's source package, unpacked in the build tree.
deps="$top/build/deps"
if [ ! -f "$deps/cunit/CUnit/Sources/Framework/TestDB.c" ]; then
  if ! grep -rqsE '^Types:.*deb-src|^deb-src ' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    . /etc/os-release
    keyring=$(grep -hs '^Signed-By:' /etc/apt/sources.list.d/debian.sources | head -n 1 || true)
    echo "setup: adding a deb-src entry for ${VERSION_CODENAME}"
    printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: %s\nComponents: main\n%s\n' \
      "$VERSION_CODENAME" "$keyring" | $sudo_ tee /etc/apt/sources.list.d/winipc-deb-src.sources >/dev/null
    updated=no
  fi
  [ "$updated" = yes ] || $sudo_ apt-get update -qq
  rm -rf "$deps/cunit-src" && mkdir -p "$deps/cunit-src"
  (cd "$deps/cunit-src" && apt-get source -qq cunit >/dev/null 2>&1)
  src=$(find "$deps/cunit-src" -maxdepth 1 -mindepth 1 -type d -name 'cunit-*' | head -n 1)
  [ -n "$src" ] || { echo "setup: apt-get source cunit failed" >&2; exit 1; }
  rm -rf "$deps/cunit" && mv "$src" "$deps/cunit" && rm -rf "$deps/cunit-src"
fi
