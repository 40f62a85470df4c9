// The evidence package: a manifest of SHA-256 digests over every file,
// signed as COSE_Sign1 with the vendor's key; `iacsec conformance verify`
// checks digests and signature (inside the module) and refuses any change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, readJson, tempDir } from './_conformance.js';
import { ROOT } from './_helpers.js';

const iacsec = (args, cwd = ROOT) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd, timeout: 300_000 });

function keypair(dir, name, alg = 'ed25519') {
  const r = iacsec(['keygen', '--alg', alg, '-o', join(dir, name)]);
  assert.equal(r.status, 0, r.stderr);
  return { key: join(dir, `${name}.key`), pub: join(dir, `${name}.cose_key`) };
}

function signedRun(alg = 'ed25519') {
  const dir = tempDir('conf-evidence');
  const keys = keypair(dir, 'vendor', alg);
  const out = join(dir, 'report');
  const r = iacsec(['conformance', '--out', out, '--no-native', '--sign-key', keys.key]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /evidence manifest signed by kid [0-9a-f]{16}/);
  return { dir, out, keys };
}

test('every evidence and report file is in the manifest with its SHA-256; the package verifies with the pinned key', () => {
  const { out, keys } = signedRun();
  const manifest = readJson(join(out, 'manifest.json'));
  const paths = manifest.files.map((f) => f.path);
  for (const p of ['report.json', 'report.html', 'oscal-poam.json', 'evidence/fw.anti-rollback/log.txt', 'evidence/native-selftest.txt']) assert.ok(paths.includes(p), p);
  const report = readJson(join(out, 'report.json'));
  for (const c of report.checks) for (const e of c.evidence) assert.ok(paths.includes(e), e);
  const v = iacsec(['conformance', 'verify', out, '--key', keys.pub]);
  assert.equal(v.status, 0, v.stdout);
  assert.match(v.stdout, /^INTACT\s+\d+ files match the manifest; signed by kid/m);
  const unpinned = iacsec(['conformance', 'verify', out]);
  assert.equal(unpinned.status, 0);
  assert.match(unpinned.stdout, /pass --key to pin it/);
});

test('a P-256 vendor key works too', () => {
  const { out, keys } = signedRun('p256');
  assert.equal(iacsec(['conformance', 'verify', out, '--key', keys.pub]).status, 0);
});

test('verify refuses a changed, a missing and an unlisted file, another signer, a changed manifest, and a missing signature', () => {
  const { dir, out, keys } = signedRun();
  const refuse = (what, pattern, args = []) => {
    const v = iacsec(['conformance', 'verify', out, ...args]);
    assert.equal(v.status, 1, `${what}: ${v.stdout}`);
    assert.match(v.stdout, pattern, what);
  };
  const log = join(out, 'evidence/fw.anti-rollback/log.txt');
  const original = readFileSync(log);
  appendFileSync(log, 'result: pass\n');
  refuse('changed log', /fw\.anti-rollback\/log\.txt: changed/);
  writeFileSync(log, original);
  rmSync(join(out, 'oscal-poam.json'));
  refuse('missing file', /oscal-poam\.json: missing/);
  iacsec(['conformance', '--out', out, '--no-native', '--sign-key', keys.key]);
  writeFileSync(join(out, 'evidence', 'extra.txt'), 'slipped in');
  refuse('unlisted file', /evidence\/extra\.txt: not listed/);
  rmSync(join(out, 'evidence', 'extra.txt'));
  const other = keypair(dir, 'other');
  refuse('pinned to another key', /signature does not verify/, ['--key', other.pub]);
  // A manifest rewritten to match a changed file: digests agree, the signature does not.
  appendFileSync(log, 'forged\n');
  const m = readJson(join(out, 'manifest.json'));
  const entry = m.files.find((f) => f.path === 'evidence/fw.anti-rollback/log.txt');
  const bytes = readFileSync(log);
  entry.sha256 = createHash('sha256').update(bytes).digest('hex');
  entry.bytes = bytes.byteLength;
  writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(m, null, 2)}\n`);
  refuse('manifest rewritten', /manifest\.cose: signs another manifest\.json/, ['--key', keys.pub]);
  rmSync(join(out, 'manifest.cose'));
  refuse('signature removed, key pinned', /manifest\.cose is missing/, ['--key', keys.pub]);
});
