#!/usr/bin/env bash
# Builds iacsec.wasm into native programs: wasm2c turns it into C, gcc
# compiles that with the WASI shim into
#   iacsec-native   native_main.c: self-test, info, SHA-256 of standard input
#   iacsec-bench    bench_main.c: the native benchmark harness (npm run bench:native)
# Needs wasm2c (Debian package wabt) and a C compiler.
#
#   build-native.sh [--target native|aarch64|armhf] [MODULE.wasm]
#
# --target aarch64 uses Debian's cross compiler aarch64-linux-gnu-gcc
# (gcc-aarch64-linux-gnu), armhf arm-linux-gnueabihf-gcc (gcc-arm-linux-gnueabihf);
# the output goes to build/native-<target>/. CC and CFLAGS override the
# compiler and the optimisation flags (default -O2).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

target=native
wasm=$root/build/iacsec.wasm
while [ $# -gt 0 ]; do
  case "$1" in
    --target) target=${2:?--target needs native, aarch64 or armhf}; shift 2 ;;
    --target=*) target=${1#--target=}; shift ;;
    -*) echo "build-native: unknown option $1" >&2; exit 2 ;;
    *) wasm=$1; shift ;;
  esac
done

case "$target" in
  native) cc_default=gcc; out=$root/build/native ;;
  aarch64) cc_default=aarch64-linux-gnu-gcc; out=$root/build/native-aarch64 ;;
  armhf) cc_default=arm-linux-gnueabihf-gcc; out=$root/build/native-armhf ;;
  *) echo "build-native: unknown target $target (native, aarch64 or armhf)" >&2; exit 2 ;;
esac
cc=${CC:-$cc_default}
cflags=${CFLAGS:--O2}
runtime=${WASM2C_RUNTIME:-/usr/share/wabt/wasm2c}

command -v wasm2c >/dev/null || { echo "build-native: wasm2c not found (apt-get install wabt)" >&2; exit 3; }
command -v "$cc" >/dev/null || { echo "build-native: $cc not found" >&2; exit 3; }
[ -f "$runtime/wasm-rt-impl.c" ] || { echo "build-native: $runtime/wasm-rt-impl.c not found (apt-get install wabt)" >&2; exit 3; }

mkdir -p "$out"
wasm2c "$wasm" -n iacsec -o "$out/iacsec_wasm.c"
# wasm2c's instantiate takes the WASI instance only when the module imports from WASI.
imports=0
grep -q 'Z_wasi_snapshot_preview1_instance' "$out/iacsec_wasm.h" && imports=1
includes=(-I "$out" -I "$runtime" -I "$here")
# shellcheck disable=SC2206
flags=($cflags -std=gnu11)
# Generated and runtime code: compiled as wabt ships it, its warnings are not ours.
"$cc" "${flags[@]}" -w "${includes[@]}" -c "$out/iacsec_wasm.c" -o "$out/iacsec_wasm.o"
"$cc" "${flags[@]}" -w "${includes[@]}" -c "$runtime/wasm-rt-impl.c" -o "$out/wasm-rt-impl.o"
# Our own C: no warnings allowed.
ours=("${flags[@]}" -Wall -Wextra -Werror -DIACSEC_IMPORTS_WASI=$imports "${includes[@]}")
"$cc" "${ours[@]}" "$here/wasi_shim.c" "$here/native_main.c" "$out/iacsec_wasm.o" "$out/wasm-rt-impl.o" \
  -lm -o "$out/iacsec-native"
"$cc" "${ours[@]}" -DIACSEC_BENCH_CC="\"$cc\"" -DIACSEC_BENCH_CFLAGS="\"${flags[*]}\"" \
  "$here/wasi_shim.c" "$here/bench_main.c" "$out/iacsec_wasm.o" "$out/wasm-rt-impl.o" \
  -lm -o "$out/iacsec-bench"
echo "built $out/iacsec-native and $out/iacsec-bench ($target: $cc ${flags[*]})"
