// The power-on self-test (CR 3.3) passes on the release build, and fails,
// naming the test, on a build whose known answer was changed; the loader
// then refuses the module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { loadModule, IacsecSelfTestError } from '../../dist/host/index.js';
import { MODULE_PATH, ROOT, hex } from './_helpers.js';

const CLI = `${ROOT}dist/host/cli.js`;
const wasm = new Uint8Array(readFileSync(MODULE_PATH));

/** The module with one bit of the given known answer flipped, where it sits in the data segment. */
function corrupt(answerHex) {
  const answer = hex(answerHex);
  const at = Buffer.from(wasm).indexOf(Buffer.from(answer));
  assert.ok(at > 0, 'known answer found in the module');
  assert.equal(Buffer.from(wasm).indexOf(Buffer.from(answer), at + 1), -1, 'known answer is in the module once');
  const bad = wasm.slice();
  bad[at + 7] ^= 0x04;
  return bad;
}

test('the release module passes its self-test', async () => {
  const api = await loadModule();
  assert.equal(api.selftest(), 0);
});

test('a changed SHA-256 known answer fails the self-test at test 1, and the loader refuses the module', async () => {
  const bad = corrupt('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  await assert.rejects(loadModule({ bytes: bad }), (e) => e instanceof IacsecSelfTestError && e.failedTest === 1);
});

test('a changed Ed25519 signature known answer fails at test 9', async () => {
  const bad = corrupt('e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b');
  await assert.rejects(loadModule({ bytes: bad }), (e) => e instanceof IacsecSelfTestError && e.failedTest === 9);
});

test('iacsec selftest: exit 0 on the release module, exit 1 naming the failed test on a changed one', async () => {
  const out = execFileSync(process.execPath, [CLI, 'selftest'], { encoding: 'utf8' });
  assert.match(out, /self-test passed \(14 known-answer tests\)/);
  const { writeFileSync, mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const path = `${mkdtempSync(`${tmpdir()}/iacsec-`)}/bad.wasm`;
  writeFileSync(path, corrupt('55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783'));
  const r = spawnSync(process.execPath, [CLI, 'selftest', '--module', path], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stdout, /FAIL\s+6\s+PBKDF2/);
  assert.match(r.stdout, /self-test FAILED at test 6/);
});
