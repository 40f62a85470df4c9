#!/bin/sh
# Builds the release module (build/iacsec.wasm) and the host (dist/).
# Called by the npm scripts directly, not through a nested `npm run`: the
# test tool's dependencies put an old npm in node_modules/.bin.
set -e
cd "$(dirname "$0")/.."
asc --config asconfig.json --target release
# The verify-only profile (hashes, signature verification, firmware check): build/iacsec-verify.wasm.
asc --config asconfig.verify.json --target release
tsc -p tsconfig.json
chmod +x dist/host/cli.js
