#!/usr/bin/env bash
# Builds iacsec.wasm into a native program: wasm2c turns it into C, gcc
# compiles that with the WASI shim and native_main.c. Needs wasm2c (Debian
# package wabt) and a C compiler.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
wasm=${1:-$root/build/iacsec.wasm}
out=$root/build/native
runtime=${WASM2C_RUNTIME:-/usr/share/wabt/wasm2c}
cc=${CC:-gcc}

command -v wasm2c >/dev/null || { echo "build-native: wasm2c not found (apt-get install wabt)" >&2; exit 3; }
command -v "$cc" >/dev/null || { echo "build-native: $cc not found" >&2; exit 3; }
[ -f "$runtime/wasm-rt-impl.c" ] || { echo "build-native: $runtime/wasm-rt-impl.c not found (apt-get install wabt)" >&2; exit 3; }

mkdir -p "$out"
wasm2c "$wasm" -n iacsec -o "$out/iacsec_wasm.c"
# wasm2c's instantiate takes the WASI instance only when the module imports from WASI.
imports=0
grep -q 'Z_wasi_snapshot_preview1_instance' "$out/iacsec_wasm.h" && imports=1
includes=(-I "$out" -I "$runtime" -I "$here")
# Generated and runtime code: compiled as wabt ships it, its warnings are not ours.
"$cc" -O2 -std=gnu11 -w "${includes[@]}" -c "$out/iacsec_wasm.c" -o "$out/iacsec_wasm.o"
"$cc" -O2 -std=gnu11 -w "${includes[@]}" -c "$runtime/wasm-rt-impl.c" -o "$out/wasm-rt-impl.o"
# Our own C: no warnings allowed.
"$cc" -O2 -std=gnu11 -Wall -Wextra -Werror -DIACSEC_IMPORTS_WASI=$imports "${includes[@]}" \
  "$here/wasi_shim.c" "$here/native_main.c" "$out/iacsec_wasm.o" "$out/wasm-rt-impl.o" \
  -lm -o "$out/iacsec-native"
echo "built $out/iacsec-native"
