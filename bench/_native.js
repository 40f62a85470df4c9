// The native (wasm2c) build as a contender: bindings/c/bench_main.c, linked
// with the same module turned into C, times the same operation on the same
// inputs. Each batch is one run of the harness, so native batches interleave
// with the Node ones round by round; a batch's clock covers only the calls.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, statSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const NATIVE_NAME = 'iacsec native (wasm2c)';

/**
 * Builds build/native/iacsec-bench from the module at modulePath unless it
 * is newer than the module already. Returns { bin, flags } or { reason } when
 * the toolchain is missing. runner: a command prefix (e.g. qemu-aarch64 -L ...).
 */
export function nativeHarness({ modulePath, bin, runner = [], build = true } = {}) {
  const target = bin ?? `${ROOT}build/native/iacsec-bench`;
  if (build && !bin) {
    const stale = !existsSync(target) || statSync(target).mtimeMs < statSync(modulePath).mtimeMs;
    if (stale) {
      const r = spawnSync('bash', [`${ROOT}bindings/c/build-native.sh`, modulePath], { encoding: 'utf8' });
      if (r.status === 3) return { reason: r.stderr.trim() };
      if (r.status !== 0) throw new Error(`native build failed:\n${r.stdout}${r.stderr}`);
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
    fixture({ kind, param, inputs, expect }) {
      const d = `${dir}/${n++}`;
      mkdirSync(d);
      writeFileSync(`${d}/meta.txt`, `${kind} ${param} ${inputs.length}\n`);
      inputs.forEach((b, i) => writeFileSync(`${d}/in${i}.bin`, b));
      writeFileSync(`${d}/expect.bin`, expect);
      return d;
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
