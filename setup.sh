#!/bin/bash
# Set up and build emu on Debian 12: install the Debian packages that are
# missing (with apt-get, as root or through sudo), configure with CMake,
# build, and link ./emu to the build. Safe to run again: when everything
# is installed it installs nothing, and the build is incremental.
#
#   ./setup.sh              RelWithDebInfo build in build/, ./emu -> build/emu
#   ./setup.sh --sanitize   ASan+UBSan build in build-asan/ (for the suite)
#   ./setup.sh --debug      Debug build in build-debug/
#   ./setup.sh --deps-only  only install the packages
#   ./setup.sh --no-deps    only configure and build
set -euo pipefail
cd "$(dirname "$0")"

# What the build and the test suite use. gcc builds emu and the static
# guest programs (libc6-dev holds libc.a); strace and setarch (util-linux)
# are the oracle of the strace tests; capstone, SDL2 and check are found
# with pkg-config.
PACKAGES=(cmake make gcc libc6-dev pkg-config libcapstone-dev libsdl2-dev
  check strace util-linux diffutils coreutils mawk
  # the host programs the issue-3 tests run under emu (tests/programs/),
  # and python3 for bench/
  gawk sed grep tar gzip bzip2 xz-utils sqlite3 lua5.4 perl python3
  # the thread tests' Go program (program.go_goroutines), busybox's sh,
  # ripgrep -j4 and the JVM (program.ripgrep_j4, program.java_*)
  golang-go busybox ripgrep openjdk-17-jdk-headless
  # bench/: GNU time for peak RSS, qemu-user for the emu/qemu column
  time qemu-user
  # the style check (tests/scripts/check_format.sh)
  clang-format
  # the display tests: Debian's fbset under emu, a virtual X server for
  # the SDL2 window and xwd to capture its screen
  fbset xvfb x11-apps)

build_dir=build
build_type=RelWithDebInfo
cmake_args=()
link_emu=1
do_deps=1
do_build=1

usage() {
  sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
  case $1 in
  --sanitize)
    build_dir=build-asan
    cmake_args+=(-DEMU_SANITIZE=ON)
    link_emu=0 ;;
  --debug)
    build_dir=build-debug
    build_type=Debug
    link_emu=0 ;;
  --deps-only) do_build=0 ;;
  --no-deps) do_deps=0 ;;
  -h | --help) usage; exit 0 ;;
  *) echo "setup.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

say() { echo "setup: $*"; }

install_missing_packages() {
  if ! command -v dpkg-query >/dev/null; then
    say "not a Debian system (no dpkg-query): install these yourself:" \
      "${PACKAGES[*]}"
    return 0
  fi
  local missing=() p
  for p in "${PACKAGES[@]}"; do
    if [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" != \
      installed ]; then
      missing+=("$p")
    fi
  done
  if [ ${#missing[@]} = 0 ]; then
    say "all required packages are installed"
    return 0
  fi
  local sudo=()
  if [ "$(id -u)" != 0 ]; then
    if ! command -v sudo >/dev/null; then
      say "missing packages: ${missing[*]}; run as root or install sudo" >&2
      exit 1
    fi
    sudo=(sudo)
  fi
  say "installing missing packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
}

build() {
  say "configuring $build_dir ($build_type${cmake_args:+, ${cmake_args[*]}})"
  cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE="$build_type" \
    "${cmake_args[@]}" >/dev/null
  say "building in $build_dir with $(nproc) jobs"
  cmake --build "$build_dir" -j"$(nproc)"
  if [ $link_emu = 1 ]; then
    ln -sfn "$build_dir/emu" emu
    say "./emu -> $build_dir/emu"
  fi
  say "done; run the tests with: ctest --test-dir $build_dir --output-on-failure -j2"
}

[ $do_deps = 1 ] && install_missing_packages
[ $do_build = 1 ] && build
exit 0
