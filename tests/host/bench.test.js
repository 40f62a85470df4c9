// The benchmarks work: a quick smoke run of every case in the registry
// (bench/ops/) writes complete results. No time is asserted here: speed goals
// live in the benchmark itself (npm run bench), never in a test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './_helpers.js';

const run = (args) => spawnSync(process.execPath, [`${ROOT}bench/run.js`, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 240_000 });

test('--list names every case of every file in bench/ops/', () => {
  const r = run(['--list']);
  assert.equal(r.status, 0, r.stderr);
  const ids = r.stdout.trim().split('\n').map((l) => l.split(/\s+/)[0]);
  for (const want of ['sha256-64b', 'sha256-1kib', 'sha256-1mib', 'sha512-64b', 'sha512-1mib', 'hmac-sha256-64b', 'pbkdf2-10k',
    'pbkdf2-600k', 'hkdf-sha256', 'ed25519-verify', 'ed25519-sign', 'p256-verify', 'firmware-manifest', 'firmware-1mib',
    'firmware-16mib', 'login-decision', 'login-600k', 'totp-code', 'ratelimit-check', 'session-authorize', 'selftest', 'cold-start']) assert.ok(ids.includes(want), `case ${want} listed`);
  assert.equal(new Set(ids).size, ids.length, 'case ids are unique');
  const files = readdirSync(`${ROOT}bench/ops`).filter((f) => f.endsWith('.js') && !f.startsWith('_'));
  const areas = new Set(r.stdout.trim().split('\n').map((l) => l.split(/\s+/)[1]));
  assert.equal(areas.size, files.length, 'one area per file');
});

test('an unknown case is refused with its name', () => {
  const r = run(['--quick', '--no-write', '--ops', 'no-such-case']);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /no-such-case/);
});

test('quick smoke run: every case runs, answers are checked, results are written', { timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'iacsec-bench-'));
  try {
    const r = run(['--quick', '--no-native', '--out', dir]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const files = readdirSync(dir);
    const json = files.find((f) => /^\d{4}-\d{2}-\d{2}-.+\.json$/.test(f));
    assert.ok(json, `a <date>-<host>.json in ${files}`);
    assert.ok(files.includes(json.replace(/\.json$/, '.md')));
    const out = JSON.parse(readFileSync(join(dir, json), 'utf8'));
    assert.equal(out.quick, true);
    for (const k of ['cpu', 'arch', 'cores', 'node', 'v8', 'host']) assert.ok(out.machine[k], `machine.${k}`);
    assert.ok(Array.isArray(out.machine.shaExtensions) && Array.isArray(out.machine.simdExtensions));
    const list = run(['--list']).stdout.trim().split('\n').map((l) => l.split(/\s+/)[0]);
    assert.deepEqual([...out.cases.map((c) => c.id), ...out.skipped.map((s) => s.id)].sort(), [...list].sort(), 'every case ran or was skipped');
    assert.deepEqual(out.skipped, [], 'the full module has every operation');
    for (const c of out.cases) {
      assert.ok(c.results.some((x) => x.name === 'iacsec' || x.name === 'fresh process'), `${c.id}: the module is measured`);
      assert.ok(c.results.some((x) => x.name === c.reference), `${c.id}: its reference is measured`);
      for (const x of c.results) {
        for (const k of ['opsPerSec', 'p50us', 'p99us', 'ratio']) assert.ok(Number.isFinite(x[k]) && x[k] > 0, `${c.id} ${x.name} ${k}`);
        assert.ok(x.p99us >= x.p50us, `${c.id} ${x.name}: p99 >= p50`);
        assert.ok(x.calls >= 1);
      }
      for (const g of c.goals) assert.equal(typeof g.met, 'boolean', `${c.id}: ${g.goal}`);
    }
    const peers = new Set(out.cases.flatMap((c) => c.results.map((x) => x.name)));
    for (const p of ['node:crypto', 'hash-wasm', '@noble/hashes', '@noble/curves', 'libsodium-wrappers']) assert.ok(peers.has(p), `peer ${p}`);
    assert.ok(out.footprint.some((f) => f.name.includes('full') && f.memoryBytes === 16 * 65536 && f.memoryFixed));
    const md = readFileSync(join(dir, json.replace(/\.json$/, '.md')), 'utf8');
    assert.match(md, /\| SHA-256, 1 MiB \| iacsec \|/);
    assert.match(md, /## Goals/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('picking cases by area and prefix', () => {
  const dir = mkdtempSync(join(tmpdir(), 'iacsec-bench-'));
  try {
    const r = run(['--quick', '--no-native', '--out', dir, '--ops', 'sha512-*,sig']);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(readFileSync(join(dir, readdirSync(dir).find((f) => f.endsWith('.json'))), 'utf8'));
    assert.deepEqual(out.cases.map((c) => c.id), ['sha512-64b', 'sha512-1kib', 'sha512-1mib', 'ed25519-verify', 'ed25519-sign', 'p256-verify']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
