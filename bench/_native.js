// The native (wasm2c) build as a contender: bindings/c/bench_main.c, linked
// with the same module turned into C, times the same operation on the same
// inputs. Each batch is one run of the harness, so native batches interleave
// with the Node ones round by round; a batch's clock covers only the calls.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, statSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const NATIVE_NAME = 'iacsec native (wasm2c)';

/** Writes one case's inputs and answer for bench_main.c into directory d (created); returns d. */
export function writeFixture(d, { kind, param, inputs, expect }) {
  mkdirSync(d, { recursive: true });
  writeFileSync(`${d}/meta.txt`, `${kind} ${param} ${inputs.length}\n`);
  inputs.forEach((b, i) => writeFileSync(`${d}/in${i}.bin`, b));
  writeFileSync(`${d}/expect.bin`, expect);
  return d;
}

/** The script that runs every exported case on a target: sh run.sh PATH/TO/iacsec-bench [MS]. */
export function targetScript(ids) {
  return `#!/bin/sh
# The iacsec native benchmark on a target without Node: copy this directory
# and a build of iacsec-bench for the target (npm run build:native -- --target
# aarch64), then run:  sh run.sh ./iacsec-bench [milliseconds per case]
# Each case is checked against the answer node:crypto gave, then timed; one
# JSON line per case: calls, seconds, p50us, p99us.
set -u
bin=\${1:?usage: sh run.sh PATH/TO/iacsec-bench [ms per case]}
ms=\${2:-1000}
here=$(cd "$(dirname "$0")" && pwd)
"$bin" flags
for id in ${ids.join(' ')}; do
  printf '%s ' "$id"
  "$bin" time "$here/$id" "$ms" 100 || echo '{"failed":true}'
done
`;
}

/**
 * Builds build/native/iacsec-bench from the module at modulePath with the
 * given optimisation flags (default -O2), unless it is so built already. Returns { bin, flags } or { reason } when
 * the toolchain is missing. runner: a command prefix (e.g. qemu-aarch64 -L ...).
 */
export function nativeHarness({ modulePath, bin, runner = [], build = true, cflags = '-O2' } = {}) {
  const target = bin ?? `${ROOT}build/native/iacsec-bench`;
  const builtFrom = existsSync(`${target}.module`) ? readFileSync(`${target}.module`, 'utf8') : undefined;
  if (build && !bin) {
    const builtWith = () => {
      const r = spawnSync(target, ['flags'], { encoding: 'utf8' });
      return r.status === 0 ? JSON.parse(r.stdout).cflags : undefined;
    };
    // Rebuilt when older than the module, or built with other flags (or from another module).
    const stale = !existsSync(target) || statSync(target).mtimeMs < statSync(modulePath).mtimeMs
      || builtWith() !== `${cflags} -std=gnu11` || builtFrom !== modulePath;
    if (stale) {
      const r = spawnSync('bash', [`${ROOT}bindings/c/build-native.sh`, modulePath], { encoding: 'utf8', env: { ...process.env, CFLAGS: cflags } });
      if (r.status === 3) return { reason: r.stderr.trim() };
      if (r.status !== 0) throw new Error(`native build failed:\n${r.stdout}${r.stderr}`);
      writeFileSync(`${target}.module`, modulePath);
    }
  }
  if (!existsSync(target)) return { reason: `${target} not built (npm run build:native)` };
  const exec = (args) => {
    const [cmd, ...pre] = runner.length ? runner : [target];
    return spawnSync(cmd, runner.length ? [...pre, target, ...args] : args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  };
  const f = exec(['flags']);
  if (f.status !== 0) return { reason: `${target} flags: ${f.stderr}` };
  const dir = mkdtempSync(`${os.tmpdir()}/iacsec-bench-`);
  let n = 0;
  return {
    bin: target,
    flags: JSON.parse(f.stdout),
    /** Writes a case's fixture; returns its directory. */
    fixture(f) {
      return writeFixture(`${dir}/${n++}`, f);
    },
    /** Runs the case once natively and checks its answer; throws when wrong. */
    check(d) {
      const r = exec(['check', d]);
      if (r.status !== 0) throw new Error(`native check failed: ${r.stderr.trim()}`);
    },
    contender(d) {
      return {
        name: NATIVE_NAME,
        batch: (ms) => {
          const r = exec(['time', d, String(ms), String(Math.min(ms, 50))]);
          if (r.status !== 0) throw new Error(`native harness failed: ${r.stderr.trim()}`);
          return JSON.parse(r.stdout.trim());
        },
      };
    },
    dispose() { rmSync(dir, { recursive: true, force: true }); },
  };
}
