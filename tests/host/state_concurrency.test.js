// Many processes of the real CLI on one --state directory at once (CR 3.4,
// CR 1.11, EDR 3.10, EDR 3.13): installs (raises and rollbacks), a
// config-slot install racing the revocation of its signer, revocations,
// set-counter statements racing each other and the installs, and failed
// logins. Real files, real locks, child processes started together.
//
// After each round the final state must be what some one-at-a-time order of
// the processes gives:
//  - every process wrote exactly once (generation rose by the number of
//    processes: a lost update would write a generation twice);
//  - the changes of the counter, ordered by the generation that saved them,
//    form one chain from the round's start to the final counter, which is
//    the highest accepted one;
//  - every acknowledged revocation holds, and a manifest by a revoked signer
//    was accepted only if it was saved before the revocation;
//  - every failed login is counted, and the lock comes with the threshold
//    (the pam_faillock lost-update bug).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKey, parseUuid, readPrivateKeyFile, signManifest, signTrustStatement } from '../../dist/host/index.js';
import { seeded } from './_helpers.js';
import { CLI, VENDOR, CLASS, ADMIN_PW, WRONG_PW, cli, provisionDir, openDir, setUpAccounts } from './_state_device.js';

const ROUNDS = 5;
const FAILED_LOGINS_PER_ROUND = 2;
const LOCK_THRESHOLD = ROUNDS * FAILED_LOGINS_PER_ROUND; // the very last failure locks

const TMP = mkdtempSync(join(tmpdir(), 'iacsec-concurrent-'));
after(() => rmSync(TMP, { recursive: true, force: true }));
const at = (f) => join(TMP, f);

/** Runs the CLI as a child process; resolves with its exit code and output. */
function start(args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('close', (code) => { clearTimeout(timer); resolve({ args, code, out, err }); });
  });
}

function olgaInfo(dir) {
  const r = spawnSync(process.execPath, [CLI, 'user', 'show', 'olga', '--state', dir, '--admin', 'admin', '--json'],
    { encoding: 'utf8', env: { ...process.env, IACSEC_PASSWORD: ADMIN_PW }, timeout: 60_000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  return JSON.parse(r.stdout);
}

test('concurrent CLI processes on one state: no lost update, every acknowledged change holds', async (t) => {
  cli('keygen', '--alg', 'ed25519', '-o', at('sup'));
  const sup = await readPrivateKeyFile(at('sup.key'));
  const vendor = parseUuid(VENDOR), deviceClass = parseUuid(CLASS);
  const image = seeded(11).bytes(2048);
  writeFileSync(at('fw.bin'), image);
  const manifestFile = async (name, key, counter, component = 'firmware') => {
    const f = at(`${name}.cose`);
    writeFileSync(f, await signManifest({ key, image, vendor, deviceClass, component, version: String(counter), securityCounter: counter }));
    return f;
  };
  const statementFile = (name, s) => {
    const f = at(`${name}.cose`);
    writeFileSync(f, signTrustStatement(sup, { vendor, deviceClass, ...s }));
    return f;
  };

  const dir = at('dev');
  provisionDir(dir, at('sup.cose_key'));
  await setUpAccounts(dir, { lockThreshold: LOCK_THRESHOLD });
  // One asset-owner anchor per round, granted the config slot; each round revokes its own while its manifest is installed.
  const owners = Array.from({ length: ROUNDS }, () => generateKey('ed25519'));
  for (const [i, o] of owners.entries()) {
    cli('apply-statement', '--state', dir, '--statement', statementFile(`add${i}`, { operation: 'add-owner', kid: o.kid, publicKey: o, components: ['config'] }));
  }
  const hex = (b) => Buffer.from(b).toString('hex');

  const rnd = seeded(0xc0ffee);
  let counter = 0n;
  let failedLogins = 0;
  const totals = { processes: 0, accepted: 0, refused: 0, counterChanges: 0, revocations: 0 };
  const acknowledgedRevocations = new Set();
  for (let round = 0; round < ROUNDS; round++) {
    const base = Number(counter);
    // What this round runs, each a child process: [kind, args, env].
    const jobs = [];
    for (let i = 0; i < 5; i++) {
      const n = Math.max(1, base - 3 + rnd.below(16)); // some below the stored counter: rollbacks
      jobs.push(['install', ['install', '--state', dir, '--manifest', await manifestFile(`r${round}-i${i}`, sup, n), '--image', at('fw.bin'), '--json'], {}, n]);
    }
    const owner = owners[round];
    jobs.push(['config', ['install', '--state', dir, '--component', 'config', '--manifest', await manifestFile(`r${round}-cfg`, owner, round + 1, 'config'), '--image', at('fw.bin'), '--json'], {}]);
    jobs.push(['revoke', ['apply-statement', '--state', dir, '--json', '--statement', statementFile(`r${round}-rev-owner`, { operation: 'revoke', kid: owner.kid })], {}, hex(owner.kid)]);
    const plainKid = Uint8Array.of(0xc0, 0xff, 0xee, round);
    jobs.push(['revoke', ['apply-statement', '--state', dir, '--json', '--statement', statementFile(`r${round}-rev-kid`, { operation: 'revoke', kid: plainKid })], {}, hex(plainKid)]);
    for (const k of [7, 9]) {
      // Both expect the round's starting counter: at most one applies, and only before any raise.
      jobs.push(['set-counter', ['apply-statement', '--state', dir, '--json', '--statement', statementFile(`r${round}-set${k}`, { operation: 'set-counter', component: 'firmware', expectedCounter: base, newCounter: base + k })], {}, base + k]);
    }
    for (let i = 0; i < FAILED_LOGINS_PER_ROUND; i++) {
      jobs.push(['login', ['user', 'show', 'olga', '--state', dir, '--admin', 'olga', '--json'], { IACSEC_PASSWORD: WRONG_PW }]);
    }

    const before = await openDir(dir);
    const g0 = before.fw.generation();
    const results = await Promise.all(jobs.map(([, args, env]) => start(args, env)));

    const expected = { install: ['ERR_ROLLBACK'], config: ['ERR_REVOKED'], revoke: [], 'set-counter': ['ERR_STALE'], login: ['ERR_AUTH'] };
    const saved = []; // [generation, kind, json]
    for (const [i, r] of results.entries()) {
      const [kind, , , arg] = jobs[i];
      assert.ok(r.code === 0 || r.code === 1, `${kind} (${r.args.join(' ')}): exit ${r.code}\n${r.out}${r.err}`);
      const j = JSON.parse(r.out);
      if (r.code === 1) {
        assert.ok(expected[kind].includes(j.status ?? j.error), `${kind}: refused with ${j.status ?? j.error}: ${r.out}${r.err}`);
        totals.refused++;
        continue;
      }
      assert.equal(j.decision, 'ACCEPTED');
      totals.accepted++;
      saved.push([BigInt(j.generation), kind, j, arg]);
    }
    totals.processes += results.length;
    failedLogins += FAILED_LOGINS_PER_ROUND;

    // Every process saved once, each its own generation.
    const afterRound = await openDir(dir);
    const g1 = afterRound.fw.generation();
    assert.equal(g1 - g0, BigInt(jobs.length), `round ${round}: ${jobs.length} processes, generation ${g0} -> ${g1}`);
    const gens = saved.map(([g]) => g);
    assert.equal(new Set(gens).size, gens.length, 'no two processes saved the same generation');
    for (const g of gens) assert.ok(g > g0 && g <= g1);
    saved.sort((x, y) => (x[0] < y[0] ? -1 : 1));

    // The counter: one chain of changes, ending at the highest accepted value.
    let c = counter;
    let highest = counter;
    for (const [, kind, j, arg] of saved) {
      if (kind === 'install' || kind === 'set-counter') highest = BigInt(arg) > highest ? BigInt(arg) : highest;
      for (const ch of j.changes ?? []) {
        if (ch.event !== 'COUNTER_RAISED' && ch.event !== 'COUNTER_SET') continue;
        if (ch.component !== 'firmware') continue;
        assert.equal(BigInt(ch.from), c, `round ${round}: a change from ${ch.from} saved while the counter was ${c} (lost update)`);
        c = BigInt(ch.to);
        totals.counterChanges++;
      }
    }
    const final = afterRound.fw.securityCounter('firmware');
    assert.equal(final, c, 'the chain of changes ends at the stored counter');
    assert.equal(final, highest, 'the stored counter is the highest accepted one');
    counter = final;

    // Revocations: every acknowledged one holds; the owner's manifest only before its revocation.
    const revokedAt = new Map(saved.filter(([, k]) => k === 'revoke').map(([g, , , kid]) => [kid, g]));
    for (const kid of revokedAt.keys()) acknowledgedRevocations.add(kid);
    assert.equal(revokedAt.size, 2, 'both revocations were acknowledged');
    const anchors = afterRound.fw.anchors();
    for (const kid of acknowledgedRevocations) {
      const a = anchors.find((x) => x.kidHex === kid);
      if (a) assert.equal(a.revoked, true, `owner ${kid} revoked`);
    }
    const configSaved = saved.find(([, k]) => k === 'config');
    if (configSaved) assert.ok(configSaved[0] < revokedAt.get(hex(owner.kid)), 'a manifest by the revoked owner was accepted after its revocation');
    totals.revocations += revokedAt.size;

    // Failed logins: all counted; the lock comes with the threshold.
    const olga = olgaInfo(dir);
    assert.equal(olga.failures, failedLogins, `round ${round}: ${failedLogins} failed logins, ${olga.failures} counted`);
    assert.equal(olga.lockedUntil, failedLogins >= LOCK_THRESHOLD ? 'admin' : null);
    assert.deepEqual(readdirSync(dir).filter((f) => !/^(state\.bin|state\.bin\.hwm|seal\.key|device\.key|audit\.cbor)$/.test(f)), [], 'no lock or temporary file left');
  }

  // The plain-kid revocations too, as the configuration report lists them.
  const report = JSON.parse(cli('config', 'show', '--state', dir, '--json'));
  for (const kid of acknowledgedRevocations) assert.ok(report.revocations.includes(kid), `revocation of ${kid} in the configuration report`);
  const locked = spawnSync(process.execPath, [CLI, 'user', 'show', 'olga', '--state', dir, '--admin', 'olga', '--json'],
    { encoding: 'utf8', env: { ...process.env, IACSEC_PASSWORD: 'temporary setup passphrase 1' } });
  assert.equal(locked.status, 1, 'the right password does not end the lock');
  // One audit log for every process: it verifies with the device key, no sequence number twice,
  // and every failed login is in it.
  const verified = spawnSync(process.execPath, [CLI, 'audit', 'verify', '--state', dir], { encoding: 'utf8' });
  assert.equal(verified.status, 0, verified.stdout + verified.stderr);
  const shown = cli('audit', 'show', '--state', dir, '--json').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(new Set(shown.map((r) => r.seq)).size, shown.length, 'no sequence number twice');
  assert.equal(shown.filter((r) => r.typeName === 'LOGIN_FAILED').length, failedLogins, 'every failed login is audited');
  t.diagnostic(`rounds ${ROUNDS}, processes ${totals.processes} (${totals.accepted} accepted, ${totals.refused} refused as expected), counter changes ${totals.counterChanges}, revocations ${totals.revocations}, failed logins ${failedLogins}, final counter ${counter}`);
});
