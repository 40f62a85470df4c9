// The state commands of the CLI with real processes and files (CR 3.4,
// CR 7.3, CR 7.4, CR 7.6 RE1): backup and restore (verified first, never
// lowering a counter, also from fail-secure), the explicit recovery, the
// configuration report, bad state directories (a file, unwritable, a full
// disk, a garbage lock), and the high-water mark against an older state put
// back, with the file mark and with a hook standing for a hardware counter.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  mkdtempSync, rmSync, readFileSync, writeFileSync, existsSync, mkdirSync, readdirSync, utimesSync, openSync, writeSync, closeSync, unlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Firmware, loadModule, openStateStore, readSealKeyFile, StateStoreError } from '../../dist/host/index.js';
import { ROOT, seeded } from './_helpers.js';

const CLI = `${ROOT}dist/host/cli.js`;
const TMP = mkdtempSync(join(tmpdir(), 'iacsec-statecli-'));
const mounts = [];
after(() => {
  for (const m of mounts) spawnSync('umount', ['-l', m]);
  rmSync(TMP, { recursive: true, force: true });
});
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
const counterOf = (dir, c = 'firmware') => ok('counter', '--state', dir, '--component', c).out.trim().split(' ')[1];
const file = (dir, f = 'state.bin') => readFileSync(join(dir, f));
/** The security settings a state holds (config show), without its generation: a refusal is recorded, so the generation moves. */
function settings(dir) {
  const j = JSON.parse(ok('config', 'show', '--state', dir, '--json').out);
  return { provisioning: j.provisioning, device: j.device, anchors: j.anchors, revocations: j.revocations, grants: j.grants, counters: j.counters };
}

writeFileSync(at('fw.bin'), seeded(3).bytes(4096));
ok('keygen', '--alg', 'ed25519', '-o', at('sup'));
ok('keygen', '--alg', 'ed25519', '-o', at('owner'));
const OWNER_KID = JSON.parse(readFileSync(at('owner.key'), 'utf8')).kid;
for (const n of [3, 5, 7, 9, 11]) {
  ok('sign', '--key', at('sup.key'), '--image', at('fw.bin'), '--version', String(n), '--counter', String(n), '--vendor', VENDOR, '--class', CLASS, '-o', at(`m${n}.cose`));
}
ok('trust-statement', '--key', at('sup.key'), '--op', 'add-owner', '--pub', at('owner.cose_key'), '--grant', 'config', '--vendor', VENDOR, '--class', CLASS, '-o', at('add.cose'));
ok('trust-statement', '--key', at('sup.key'), '--op', 'revoke', '--kid', OWNER_KID, '--vendor', VENDOR, '--class', CLASS, '-o', at('rev.cose'));
const install = (dir, n) => run('install', '--state', dir, '--manifest', at(`m${n}.cose`), '--image', at('fw.bin'));

function device(name) {
  const dir = at(name);
  ok('provision', '--state', dir, '--vendor', VENDOR, '--class', CLASS, '--anchor', at('sup.cose_key'));
  return dir;
}

test('backup and restore: verified before anything changes, never lowers a counter, keeps later revocations', () => {
  const dir = device('b1');
  ok('apply-statement', '--state', dir, '--statement', at('add.cose'));
  ok('install', '--state', dir, '--manifest', at('m5.cose'), '--image', at('fw.bin'));
  const b = ok('state', 'backup', '--state', dir, '-o', at('b1.bak'));
  assert.match(b.out, /backup of state generation \d+ written to .*b1\.bak \(\d+ bytes, signed by device key [0-9a-f]{64}\)/);
  ok('install', '--state', dir, '--manifest', at('m9.cose'), '--image', at('fw.bin'));
  ok('apply-statement', '--state', dir, '--statement', at('rev.cose'));

  // A tampered backup, or one of another device, is refused and nothing changes.
  const before = settings(dir);
  const bad = Buffer.from(readFileSync(at('b1.bak'))); bad[100] ^= 1;
  writeFileSync(at('bad.bak'), bad);
  const r = run('state', 'restore', '--state', dir, at('bad.bak'));
  assert.equal(r.code, 1, r.out + r.err);
  assert.match(r.out, /REJECTED: .*signature or seal does not verify.*\(ERR_INVALID\); nothing changed/);
  assert.deepEqual(settings(dir), before);
  const other = device('b1-other');
  ok('state', 'backup', '--state', other, '-o', at('other.bak'));
  assert.equal(run('state', 'restore', '--state', dir, at('other.bak')).code, 1);
  assert.deepEqual(settings(dir), before);
  assert.equal(run('state', 'restore', '--state', dir, '/dev/zero').code, 2);
  assert.match(run('state', 'restore', '--state', dir).err, /missing required option: FILE/);

  const j = JSON.parse(ok('state', 'restore', '--state', dir, at('b1.bak'), '--json').out);
  assert.equal(j.decision, 'ACCEPTED');
  assert.equal(j.changes[0].event, 'STATE_RESTORED');
  assert.ok(BigInt(j.generation) > BigInt(j.generationBefore), 'the restored state lies above the live generation');
  assert.equal(counterOf(dir), '9', 'the counter stays at the live 9, not the backup\'s 5');
  assert.match(ok('anchors', '--state', dir).out, new RegExp(`owner .*kid ${OWNER_KID}\\s+REVOKED`), 'the later revocation holds');
  assert.equal(install(dir, 7).code, 1, 'counter 7 is still a rollback');
});

test('a damaged state is fail-secure: clear errors naming restore and recover; restore from fail-secure; recover keeps the damaged file', () => {
  const dir = device('f1');
  ok('install', '--state', dir, '--manifest', at('m7.cose'), '--image', at('fw.bin'));
  ok('state', 'backup', '--state', dir, '-o', at('f1.bak'));
  const good = file(dir);
  for (const damage of [(b) => b.subarray(0, 100), (b) => { const c = Buffer.from(b); c[40] ^= 1; return c; }, () => Buffer.alloc(0)]) {
    writeFileSync(join(dir, 'state.bin'), damage(good));
    for (const args of [['install', '--manifest', at('m9.cose'), '--image', at('fw.bin')], ['apply-statement', '--statement', at('add.cose')], ['anchors'], ['state', 'backup', '-o', at('x.bak')]]) {
      const r = run(...args.slice(0, args[0] === 'state' ? 2 : 1), '--state', dir, ...args.slice(args[0] === 'state' ? 2 : 1));
      assert.equal(r.code, 3, `${args[0]}: ${r.out}${r.err}`);
      assert.match(r.err, /fail-secure until `iacsec state restore` or `iacsec state recover`/);
    }
    const rep = JSON.parse(ok('config', 'show', '--state', dir, '--json').out);
    assert.equal(rep.state.failSecure, true);
    assert.ok(rep.state.failure);
  }
  // A missing state file where a state existed (the high-water mark says so) is fail-secure too.
  rmSync(join(dir, 'state.bin'));
  assert.match(run('anchors', '--state', dir).err, /the state file is missing, but a state of generation \d+ existed/);
  writeFileSync(join(dir, 'state.bin'), good.subarray(0, 50));

  const restored = ok('state', 'restore', '--state', dir, at('f1.bak'));
  assert.match(restored.out, /the state was fail-secure and is usable again/);
  assert.equal(counterOf(dir), '7');
  ok('install', '--state', dir, '--manifest', at('m9.cose'), '--image', at('fw.bin'));

  // Recover: only a damaged state; the damaged file is kept; provision works again.
  const healthy = run('state', 'recover', '--state', dir);
  assert.equal(healthy.code, 1);
  assert.match(healthy.out, /nothing to recover/);
  const damaged = Buffer.from(file(dir)); damaged[damaged.length - 1] ^= 0x80;
  writeFileSync(join(dir, 'state.bin'), damaged);
  assert.equal(run('provision', '--state', dir, '--vendor', VENDOR, '--class', CLASS, '--anchor', at('sup.cose_key')).code, 3);
  const rec = ok('state', 'recover', '--state', dir);
  assert.match(rec.out, /the damaged state is kept as .*state\.bin\.damaged-/);
  const kept = readdirSync(dir).filter((f) => f.startsWith('state.bin.damaged-'));
  assert.equal(kept.length, 1);
  assert.deepEqual(readFileSync(join(dir, kept[0])), damaged);
  assert.equal(JSON.parse(ok('config', 'show', '--state', dir, '--json').out).provisioning, 'open');
  ok('provision', '--state', dir, '--vendor', VENDOR, '--class', CLASS, '--anchor', at('sup.cose_key'));
  assert.equal(counterOf(dir), '0', 'a recovered device starts over');
  ok('install', '--state', dir, '--manifest', at('m3.cose'), '--image', at('fw.bin'));
});

test('config show reports provisioning, identity, anchors, revocations, grants, counters, module, generation, high-water mark', () => {
  const dir = device('c1');
  ok('apply-statement', '--state', dir, '--statement', at('add.cose'));
  ok('install', '--state', dir, '--manifest', at('m11.cose'), '--image', at('fw.bin'));
  ok('trust-statement', '--key', at('sup.key'), '--op', 'revoke', '--kid', 'c0ffee', '--vendor', VENDOR, '--class', CLASS, '-o', at('rev-other.cose'));
  ok('apply-statement', '--state', dir, '--statement', at('rev-other.cose'));
  const j = JSON.parse(ok('config', 'show', '--state', dir, '--json', '--component', 'bootloader').out);
  const info = JSON.parse(ok('info', '--json').out);
  assert.equal(j.module.sha256, info.sha256);
  assert.equal(j.module.abiVersion, info.abiVersion);
  assert.equal(j.provisioning, 'closed');
  assert.deepEqual(j.device, { vendor: VENDOR, deviceClass: CLASS });
  assert.deepEqual(j.anchors.map((a) => [a.role, a.revoked]), [['supplier', false], ['owner', false]]);
  assert.deepEqual(j.revocations, ['c0ffee']);
  assert.deepEqual(j.grants.map((g) => [g.kid, g.component]), [[OWNER_KID, 'config']]);
  assert.deepEqual(j.counters.map((c) => [c.component, c.counter]), [['firmware', '11'], ['config', '0'], ['bootloader', '0']]);
  assert.equal(j.state.failSecure, false);
  assert.equal(j.state.highWater.hardwareBacked, false);
  assert.equal(j.state.highWater.mark, j.state.generation);
  assert.match(j.state.highWater.location, /state\.bin\.hwm/);
  const text = ok('config', 'show', '--state', dir).out;
  for (const m of [/provisioning\s+closed/, /fail-secure\s+no/, /hardware-backed: no/, /firmware\s+11/, /owner kid [0-9a-f]+ may sign config/, new RegExp(`sha256\\s+${info.sha256}`)]) assert.match(text, m);
});

test('bad state directories: a file, unwritable, a full disk, a garbage lock: a clear error and the previous state intact', (t) => {
  // A file where the directory should be.
  const r = run('install', '--state', at('fw.bin'), '--manifest', at('m5.cose'), '--image', at('fw.bin'));
  assert.equal(r.code, 2);
  assert.match(r.err, /--state .*fw\.bin: is a file, not a state directory/);

  // A garbage lock file (as left by a crash while it was written) is noted and broken; a directory in its place stops.
  const dir = device('g1');
  ok('install', '--state', dir, '--manifest', at('m3.cose'), '--image', at('fw.bin'));
  writeFileSync(join(dir, 'state.bin.lock'), 'garbage \x00\x01');
  utimesSync(join(dir, 'state.bin.lock'), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
  const g = install(dir, 5);
  assert.equal(g.code, 0, g.out + g.err);
  assert.match(g.err, /state\.bin\.lock names no lock owner \(garbage.*treated as stale and replaced/);
  assert.equal(existsSync(join(dir, 'state.bin.lock')), false);
  assert.equal(counterOf(dir), '5');
  mkdirSync(join(dir, 'state.bin.lock'));
  const before = file(dir);
  const d = install(dir, 7);
  assert.equal(d.code, 3, d.out + d.err);
  assert.match(d.err, /state\.bin\.lock: is a directory, not a lock file: remove it if no iacsec process is running/);
  assert.deepEqual(file(dir), before);
  rmSync(join(dir, 'state.bin.lock'), { recursive: true });
  assert.equal(counterOf(dir), '5');

  const canMount = process.getuid?.() === 0 && spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', (mkdirSync(at('mnt'), { recursive: true }), at('mnt'))]).status === 0;
  if (!canMount) {
    t.diagnostic('SKIP full disk and read-only directory: needs root and mount -t tmpfs (root ignores permissions, so a read-only mount stands for an unwritable directory)');
    if (process.getuid?.() !== 0) {
      const u = device('u1');
      spawnSync('chmod', ['0500', u]);
      const w = install(u, 5);
      spawnSync('chmod', ['0700', u]);
      assert.equal(w.code, 3);
      assert.match(w.err, /the state directory is not writable, so the state cannot be saved; nothing was changed/);
    }
    return;
  }
  mounts.push(at('mnt'));
  const full = join(at('mnt'), 'dev');
  ok('provision', '--state', full, '--vendor', VENDOR, '--class', CLASS, '--anchor', at('sup.cose_key'));
  ok('install', '--state', full, '--manifest', at('m3.cose'), '--image', at('fw.bin'));
  const intact = file(full);
  // Fill the file system in 4 KiB pieces, then free one: the lock fits, the state's temporary file does not.
  const pieces = [];
  for (let i = 0; ; i++) {
    const p = join(at('mnt'), `fill-${i}`);
    try {
      const fd = openSync(p, 'wx');
      try { writeSync(fd, Buffer.alloc(4096)); } finally { closeSync(fd); }
      pieces.push(p);
    } catch { if (existsSync(p) && readFileSync(p).length < 4096) unlinkSync(p); break; }
  }
  unlinkSync(pieces.pop());
  const f = install(full, 9);
  assert.equal(f.code, 3, f.out + f.err);
  assert.match(f.err, /no space|ENOSPC/i);
  assert.match(f.err, /could not save the state .*the previous state file is intact|cannot create the lock file/);
  assert.equal(f.out, '', 'no success reported');
  for (const p of pieces) unlinkSync(p);
  assert.deepEqual(file(full), intact, 'the previous state is intact');
  assert.equal(counterOf(full), '3');
  assert.equal(install(full, 9).code, 0, 'works again once there is room');
  assert.equal(counterOf(full), '9');

  // Read-only: root ignores permission bits, but not a read-only mount.
  assert.equal(spawnSync('mount', ['-o', 'remount,ro', at('mnt')]).status, 0);
  const ro = file(full);
  const w = install(full, 11);
  assert.equal(w.code, 3, w.out + w.err);
  assert.match(w.err, /the state directory is not writable, so the state cannot be saved; nothing was changed/);
  assert.deepEqual(file(full), ro);
  spawnSync('umount', [at('mnt')]);
  mounts.pop();
});

class TestHardwareCounter {
  // Stands for a TPM NV counter or a secure element: kept outside the state directory, never lowered.
  constructor(path) { this.path = path; this.hardware = true; }
  get describe() { return `test monotonic counter ${this.path}`; }
  async read() { return existsSync(this.path) ? BigInt(readFileSync(this.path, 'utf8')) : 0n; }
  async advance(g) { if (g > await this.read()) writeFileSync(this.path, String(g)); }
}

async function openWith(dir, highWater) {
  const fw = new Firmware(await loadModule());
  const sealKey = await readSealKeyFile(join(dir, 'state.bin').replace(/state\.bin$/, 'seal.key'));
  await openStateStore(fw, { path: join(dir, 'state.bin'), sealKey, highWater });
  return fw;
}

test('high-water mark: an older state.bin is refused with the file mark; an older pair of files only with a hardware hook', async () => {
  const dir = device('h1');
  ok('install', '--state', dir, '--manifest', at('m3.cose'), '--image', at('fw.bin'));
  const oldState = file(dir);
  const oldMark = file(dir, 'state.bin.hwm');
  ok('install', '--state', dir, '--manifest', at('m9.cose'), '--image', at('fw.bin'));
  const newState = file(dir);
  const newMark = file(dir, 'state.bin.hwm');

  // The older state file alone: the default file mark refuses it (fail-secure, rollback of state).
  writeFileSync(join(dir, 'state.bin'), oldState);
  const r = install(dir, 5);
  assert.equal(r.code, 3, r.out + r.err);
  assert.match(r.err, /rollback of state.*\(ERR_ROLLBACK\).*fail-secure/);
  assert.deepEqual(file(dir), oldState, 'the refused file is left as evidence');

  // Both files put back: the file mark cannot tell (the documented limit of a software mark).
  writeFileSync(join(dir, 'state.bin.hwm'), oldMark);
  assert.equal(counterOf(dir), '3', 'without a hardware hook the older pair loads: counter back at 3');

  // With a hook outside the directory, the older pair is still refused.
  const hwDir = mkdtempSync(join(TMP, 'hw-'));
  const hook = new TestHardwareCounter(join(hwDir, 'counter'));
  writeFileSync(join(dir, 'state.bin'), newState);
  writeFileSync(join(dir, 'state.bin.hwm'), newMark);
  const fw = await openWith(dir, hook);
  assert.equal(fw.securityCounter('firmware'), 9n);
  await fw.verifyFirmware(readFileSync(at('m11.cose')), readFileSync(at('fw.bin')), { component: 'firmware' });
  assert.ok(await hook.read() > 0n, 'the hook follows every save');
  const afterHook = file(dir);
  writeFileSync(join(dir, 'state.bin'), newState);
  writeFileSync(join(dir, 'state.bin.hwm'), newMark);
  await assert.rejects(openWith(dir, hook), (e) => e instanceof StateStoreError && e.failSecure && /ERR_ROLLBACK/.test(e.message));
  writeFileSync(join(dir, 'state.bin'), oldState);
  writeFileSync(join(dir, 'state.bin.hwm'), oldMark);
  await assert.rejects(openWith(dir, hook), (e) => e instanceof StateStoreError && e.failSecure);
  writeFileSync(join(dir, 'state.bin'), afterHook);
  assert.equal((await openWith(dir, hook)).securityCounter('firmware'), 11n);
});
