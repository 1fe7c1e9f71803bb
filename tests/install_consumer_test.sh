#!/usr/bin/env bash
# What a C++ developer does (issue #25): install neardup under a prefix of their choosing, then
# build the consumer project against it, once through CMake (find_package) and once through
# pkg-config alone, and run both. The prefix is a temporary directory, not the one the build
# was configured with, so both routes must be relocatable.
# usage: install_consumer_test.sh BUILD_DIR SOURCE_DIR CMAKE_GENERATOR BUILD_TYPE
set -euo pipefail
source "$(dirname "$0")/test_lib.sh"
build=$(realpath "$1")
begin_test /bin/true "$2"
generator=$3
build_type=${4:-Release}
seed="$src/seeds/000_3664230153151b7b.txt"

cmake --install "$build" --prefix "$work/prefix" > install.log || fail "cmake --install: $(tail -5 install.log)"
pc=$(find "$work/prefix" -name neardup.pc)
[ -n "$pc" ] || fail "no neardup.pc installed under the prefix"
grep -q '^prefix=${pcfiledir}/' "$pc" || fail "neardup.pc names a fixed prefix: $(head -5 "$pc")"

# CMake: find_package(neardup) through CMAKE_PREFIX_PATH.
cmake -S "$src/tests/install_consumer" -B cmake_consumer -G "$generator" -DCMAKE_BUILD_TYPE="$build_type" \
  -DCMAKE_PREFIX_PATH="$work/prefix" > cmake.log 2>&1 || fail "configuring the consumer: $(tail -20 cmake.log)"
grep -q "neardup_DIR" cmake_consumer/CMakeCache.txt && grep "^neardup_DIR" cmake_consumer/CMakeCache.txt | grep -q "$work/prefix" ||
  fail "the consumer did not find neardup under the prefix: $(grep neardup_DIR cmake_consumer/CMakeCache.txt)"
cmake --build cmake_consumer > build.log 2>&1 || fail "building the consumer with CMake: $(tail -20 build.log)"
expect_exit 0 cmake_consumer/consumer "$seed"
grep -q "indexed 1 document" out.txt || fail "consumer (CMake): $(cat out.txt err.txt)"

# pkg-config: the flags alone, as a Makefile would use them.
flags=$(PKG_CONFIG_PATH="$(dirname "$pc")" pkg-config --cflags --libs neardup) || fail "pkg-config --cflags --libs neardup failed"
case "$flags" in *"$work/prefix"*|*"pkgconfig/../"*) ;; *) fail "pkg-config flags do not point into the prefix: $flags" ;; esac
# shellcheck disable=SC2086
c++ -o pc_consumer "$src/tests/install_consumer/main.cc" $flags > cc.log 2>&1 ||
  fail "building the consumer with pkg-config's flags ($flags): $(tail -20 cc.log)"
expect_exit 0 ./pc_consumer "$seed"
grep -q "indexed 1 document" out.txt || fail "consumer (pkg-config): $(cat out.txt err.txt)"
echo "install_consumer_test: CMake and pkg-config consumers built and ran against $work/prefix"
