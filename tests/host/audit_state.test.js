// The audit log of a device state: every command that changes the state
// (CLI processes, each a restart of the module) drains the module's audit
// ring into DIR/audit.cbor before it saves, so one log covers every process,
// continues one chain, never reuses a sequence number, and verifies with
// the device key (`iacsec audit verify --state DIR`). In one process,
// several module instances on one state share that log the same way, and a
// restore of a backup never moves the audit log back.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import crypto from 'node:crypto';
import { loadModule, Firmware, openStateStore, audit, verifyLog, exportItems, decodeRecord } from '../../dist/host/index.js';
import { ROOT, seeded } from './_helpers.js';

const CLI = `${ROOT}dist/host/cli.js`;
const TMP = mkdtempSync(join(tmpdir(), 'iacsec-auditstate-'));
after(() => rmSync(TMP, { recursive: true, force: true }));
const at = (name) => join(TMP, name);

const VENDOR = '00112233-4455-6677-8899-aabbccddeeff';
const CLASS = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';

function run(...args) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
function ok(...args) {
  const r = run(...args);
  assert.equal(r.code, 0, `${args.join(' ')}\n${r.out}\n${r.err}`);
  return r;
}

function records(bytes) {
  return [...exportItems(bytes)].filter((i) => i.kind === 'record').map((i) => decodeRecord(i.record));
}

writeFileSync(at('fw.bin'), seeded(7).bytes(10_000));
ok('keygen', '--alg', 'ed25519', '-o', at('sup'));

test('CLI: every process that changes the state adds to one audit log that verifies with the device key', () => {
  const dir = at('dev');
  ok('provision', '--state', dir, '--vendor', VENDOR, '--class', CLASS, '--anchor', at('sup.cose_key'));
  for (const counter of [1, 2, 3]) {
    ok('sign', '--key', at('sup.key'), '--image', at('fw.bin'), '--version', `1.${counter}`, '--counter', String(counter),
      '--vendor', VENDOR, '--class', CLASS, '-o', at(`m${counter}.cose`));
    ok('install', '--state', dir, '--manifest', at(`m${counter}.cose`), '--image', at('fw.bin'));
  }
  // A refused install is recorded too.
  assert.equal(run('install', '--state', dir, '--manifest', at('m1.cose'), '--image', at('fw.bin')).code, 1);

  const v = ok('audit', 'verify', '--state', dir);
  assert.match(v.out, /VERIFIED/);
  assert.match(v.out, /proven through record \d+/);
  const bytes = readFileSync(join(dir, 'audit.cbor'));
  const rs = records(bytes);
  const names = rs.map((r) => r.typeName);
  assert.equal(names.filter((n) => n === 'FW_ACCEPTED').length, 3, names.join(' '));
  assert.equal(names.filter((n) => n === 'FW_REJECTED').length, 1);
  assert.ok(names.includes('ANCHOR_ADDED') && names.includes('PROVISIONING_CLOSED'), names.join(' '));
  const rejectedRec = rs.find((r) => r.typeName === 'FW_REJECTED');
  assert.equal(rejectedRec.outcome, 'failure');
  // Sequence numbers only rise, across processes.
  for (let i = 1; i < rs.length; i++) assert.ok(rs[i].seq > rs[i - 1].seq, `seq ${rs[i].seq} after ${rs[i - 1].seq}`);
  // Each later process says where it resumed.
  assert.ok(names.filter((n) => n === 'AUDIT_RESTARTED').length >= 4);

  const shown = ok('audit', 'show', '--state', dir, '--json').out.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(shown.length, rs.length);
  const pub = ok('audit', 'pubkey', '--state', dir).out.trim();
  assert.match(pub, /^[0-9a-f]{64}$/);
  assert.equal(verifyLog(new Uint8Array(bytes), { publicKey: new Uint8Array(Buffer.from(pub, 'hex')) }).ok, true);

  // Across the restarts, deleting any one record (restart records too) or checkpoint is found. A later
  // start item only repeats the chain head the log already proves, so it alone may go.
  const key = new Uint8Array(Buffer.from(pub, 'hex'));
  const items = [...exportItems(new Uint8Array(bytes))];
  for (const it of items) {
    if (it.kind === 'start' && it.item > 0) continue;
    const cut = Buffer.concat([bytes.subarray(0, it.offset), bytes.subarray(it.end)]);
    const res = verifyLog(new Uint8Array(cut), { publicKey: key });
    assert.equal(res.ok, false, `deleting item ${it.item} (${it.kind}) is found`);
  }
  // One changed byte anywhere in a record fails verification, naming the item.
  const bad = Buffer.from(bytes);
  bad[Math.floor(bad.length / 2)] ^= 0x01;
  writeFileSync(join(dir, 'audit.cbor'), bad);
  const f = run('audit', 'verify', '--state', dir);
  assert.equal(f.code, 1);
  assert.match(f.out, /FAILED at item \d+/);
  assert.match(f.out, /NOT VERIFIED/);
  writeFileSync(join(dir, 'audit.cbor'), bytes);
});

test('CLI: a torn last item (a process killed while it appended) is moved aside, and the log goes on whole', () => {
  const dir = at('torn');
  ok('provision', '--state', dir, '--vendor', VENDOR, '--class', CLASS, '--anchor', at('sup.cose_key'));
  ok('sign', '--key', at('sup.key'), '--image', at('fw.bin'), '--version', '2.1', '--counter', '1',
    '--vendor', VENDOR, '--class', CLASS, '-o', at('t1.cose'));
  const file = join(dir, 'audit.cbor');
  const whole = readFileSync(file);
  // An export cut inside its first record: a whole start item, then part of a record.
  const torn = whole.subarray(0, 60);
  writeFileSync(file, Buffer.concat([whole, torn]));
  assert.equal(run('audit', 'verify', '--state', dir).code, 1, 'the torn tail fails verification');
  ok('install', '--state', dir, '--manifest', at('t1.cose'), '--image', at('fw.bin'));
  assert.match(ok('audit', 'verify', '--state', dir).out, /VERIFIED/);
  assert.deepEqual(readFileSync(join(dir, 'audit.cbor.torn')), torn, 'the torn bytes are kept aside');
  assert.ok(records(readFileSync(file)).some((r) => r.typeName === 'FW_ACCEPTED'));
});

test('CLI: audit commands name what is missing', () => {
  const empty = at('empty');
  ok('provision', '--state', empty, '--vendor', VENDOR, '--class', CLASS, '--anchor', at('sup.cose_key'));
  const r = run('audit', 'verify');
  assert.equal(r.code, 2);
  assert.match(r.err, /needs a FILE or --state DIR/);
  const both = run('audit', 'show', join(empty, 'audit.cbor'), '--state', empty);
  assert.equal(both.code, 2);
  assert.match(both.err, /not both/);
  const none = run('audit', 'verify', '--state', at('nothing-here'));
  assert.equal(none.code, 1);
  assert.match(none.err, /no audit files/);
});

async function instance(path, sealKey, deviceSecret) {
  const fw = new Firmware(await loadModule());
  const store = await openStateStore(fw, { path, sealKey, deviceSecret, audit: { dir: TMP + '/shared-audit' } });
  return { fw, store, log: audit(fw.api) };
}

test('API: several module instances on one state append to one chain; a restore does not move the log back', async () => {
  const path = at('shared.bin');
  const sealKey = new Uint8Array(crypto.randomBytes(32));
  const deviceSecret = new Uint8Array(crypto.randomBytes(32));
  const a = await instance(path, sealKey, deviceSecret);
  const b = await instance(path, sealKey, deviceSecret);
  const seqs = [];
  for (let i = 0; i < 6; i++) {
    const who = i % 2 === 0 ? a : b;
    seqs.push(await who.log.record({ category: 'configuration_change', type: 200 + i, outcome: 'success', subject: `op${i}` }));
  }
  for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i] > seqs[i - 1], 'never a number twice');
  const file = join(TMP, 'shared-audit', 'audit.cbor');
  const pub = a.log.devicePublicKey();
  let bytes = new Uint8Array(readFileSync(file));
  const r = verifyLog(bytes, { publicKey: pub });
  assert.equal(r.ok, true, String(r.problem?.kind + ": " + r.problem?.message));
  const mine = records(bytes).filter((x) => x.type >= 200 && x.type < 210).map((x) => x.type);
  assert.deepEqual(mine, [200, 201, 202, 203, 204, 205], 'every record once, in order');

  // Backup, more records, restore: the audit numbering goes on from the live log.
  const backup = await a.fw.backup();
  const before = await a.log.record({ category: 'backup_restore', type: 300, outcome: 'success' });
  await a.fw.restore(backup);
  const afterRestore = await a.log.record({ category: 'backup_restore', type: 301, outcome: 'success' });
  assert.ok(afterRestore > before, `after the restore ${afterRestore} > ${before}`);
  bytes = new Uint8Array(readFileSync(file));
  const again = verifyLog(bytes, { publicKey: pub });
  assert.equal(again.ok, true, String(again.problem?.kind + ": " + again.problem?.message));
  assert.ok(readdirSync(join(TMP, 'shared-audit')).includes('audit.cbor'));
});
