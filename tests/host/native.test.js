// The native build (wasm2c + gcc): the path a firmware vendor takes without
// a JavaScript engine. Skips with a notice where wasm2c or gcc is missing;
// .ci/run installs them, so CI always runs it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, seeded } from './_helpers.js';

const have = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const missing = ['wasm2c', 'gcc'].filter((c) => !have(c));
if (!missing.length && !existsSync('/usr/share/wabt/wasm2c/wasm-rt-impl.c') && !process.env.WASM2C_RUNTIME) missing.push('wasm-rt-impl.c');
const skip = missing.length ? `needs ${missing.join(', ')} (Debian package wabt, gcc): apt-get install wabt gcc` : false;
// CI installs wabt and gcc (.ci/run): there a missing tool is a failure, not a skip.
if (skip && process.env.CI) throw new Error(`native build cannot run in CI: ${skip}`);
if (skip) console.log(`SKIP native build: ${skip}`);

test('wasm2c build: compiles, passes its self-test, and hashes like node:crypto', { skip, timeout: 600_000 }, () => {
  execFileSync('bash', [`${ROOT}bindings/c/build-native.sh`], { stdio: 'pipe' });
  const bin = `${ROOT}build/native/iacsec-native`;
  const st = spawnSync(bin, ['selftest'], { encoding: 'utf8' });
  assert.equal(st.status, 0, st.stdout + st.stderr);
  assert.match(st.stdout, /self-test passed/);
  const info = spawnSync(bin, ['info'], { encoding: 'utf8' });
  assert.match(info.stdout, /abi version 2/);
  for (const n of [0, 1, 64, 65535, 65536, 65537, 300_000]) {
    const data = seeded(n + 7).bytes(n);
    const r = spawnSync(bin, ['sha256'], { input: data, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), createHash('sha256').update(data).digest('hex'), `length ${n}`);
  }
});

test('native benchmark harness: built with -O2, gives every case the answer node:crypto gives, and times it', { skip, timeout: 600_000 }, () => {
  execFileSync('bash', [`${ROOT}bindings/c/build-native.sh`], { stdio: 'pipe', env: { ...process.env, CFLAGS: '-O2' } });
  const flags = JSON.parse(execFileSync(`${ROOT}build/native/iacsec-bench`, ['flags'], { encoding: 'utf8' }));
  assert.match(flags.cflags, /(^|\s)-O2(\s|$)/);
  const run = (args) => spawnSync(process.execPath, [`${ROOT}bench/run.js`, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
  const check = run(['--native-only', '--check-only']);
  assert.equal(check.status, 0, check.stdout + check.stderr);
  assert.match(check.stdout, /checked \d+ cases(; host only: [a-z0-9, -]+)?\n/);
  assert.doesNotMatch(check.stdout, /skipped/);
  // A smoke run of the timing path (no time asserted): every case gets a native row and a native/Node ratio.
  const dir = mkdtempSync(join(tmpdir(), 'iacsec-bench-native-'));
  try {
    const r = run(['--native-only', '--quick', '--out', dir, '--ops', 'sha256-64b,ed25519-verify,firmware-manifest,cold-start']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const out = JSON.parse(readFileSync(join(dir, readdirSync(dir).find((f) => f.endsWith('.json'))), 'utf8'));
    assert.equal(out.native.cflags, flags.cflags);
    assert.equal(out.cases.length, 4);
    for (const c of out.cases) {
      const n = c.results.find((x) => x.name === 'iacsec native (wasm2c)');
      assert.ok(n && Number.isFinite(n.ratio) && n.ratio > 0 && n.p99us >= n.p50us, `${c.id}: native row`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
