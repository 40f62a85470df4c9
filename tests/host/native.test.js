// The native build (wasm2c + gcc): the path a firmware vendor takes without
// a JavaScript engine. Skips with a notice where wasm2c or gcc is missing;
// .ci/run installs them, so CI always runs it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
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
