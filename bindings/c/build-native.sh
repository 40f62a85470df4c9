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
"$cc" -O2 -std=gnu11 -Wall -Wno-unused-function \
  -I "$out" -I "$runtime" -I "$here" \
  "$out/iacsec_wasm.c" "$runtime/wasm-rt-impl.c" "$here/wasi_shim.c" "$here/native_main.c" \
  -lm -o "$out/iacsec-native"
echo "built $out/iacsec-native"
