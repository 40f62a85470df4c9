// The native (wasm2c) self-test of the module under test, where wasm2c and gcc
// are present: bindings/c/build-native.sh, run in a copy of bindings/c so that
// any build can be compiled without touching the project's build/native.
// Results are cached by the module's SHA-256.

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CACHE = join(ROOT, 'build', 'conformance-cache', 'native');

const have = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

export interface NativeResult { status: 'pass' | 'fail' | 'skipped'; detail: string }

export async function nativeSelfTest(bytes: Uint8Array, sha256: string): Promise<NativeResult> {
  const runtime = process.env.WASM2C_RUNTIME ?? '/usr/share/wabt/wasm2c';
  const missing = ['wasm2c', 'gcc'].filter((c) => !have(c));
  if (!missing.length && !existsSync(join(runtime, 'wasm-rt-impl.c'))) missing.push('wasm-rt-impl.c');
  if (missing.length) return { status: 'skipped', detail: `needs ${missing.join(', ')} (Debian packages wabt, gcc)` };
  const cached = join(CACHE, `${sha256}.json`);
  if (existsSync(cached)) return JSON.parse(readFileSync(cached, 'utf8')) as NativeResult;
  const dir = mkdtempSync(join(tmpdir(), 'iacsec-native-'));
  let result: NativeResult;
  try {
    cpSync(join(ROOT, 'bindings', 'c'), join(dir, 'bindings', 'c'), { recursive: true });
    writeFileSync(join(dir, 'module.wasm'), bytes);
    const build = spawnSync('bash', [join(dir, 'bindings', 'c', 'build-native.sh'), join(dir, 'module.wasm')], { encoding: 'utf8', timeout: 600_000 });
    if (build.status !== 0) {
      result = { status: 'fail', detail: `native build failed: ${(build.stderr || build.stdout).trim().split('\n').slice(-3).join(' | ')}` };
    } else {
      const st = spawnSync(join(dir, 'build', 'native', 'iacsec-native'), ['selftest'], { encoding: 'utf8', timeout: 60_000 });
      const line = st.stdout.trim().split('\n').pop() ?? '';
      result = st.status === 0 ? { status: 'pass', detail: `wasm2c + gcc build: ${line}` } : { status: 'fail', detail: `wasm2c + gcc build: exit ${st.status}: ${line}` };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(cached, JSON.stringify(result));
  return result;
}
