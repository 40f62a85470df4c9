// The state store through the host API (CR 3.4, CR 7.3, CR 7.4): one writer
// at a time across module instances, each working on the newest stored
// state; locks left by dead processes; fail-secure load; backup and restore.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, utimesSync, existsSync } from 'node:fs';
import { tmpdir, hostname } from 'node:os';
import { join } from 'node:path';
import {
  Firmware, FirmwareError, loadModule, anchorOf, generateKey, signManifest, signTrustStatement, openStateStore,
  StateStoreError, parseUuid,
} from '../../dist/host/index.js';

const TMP = mkdtempSync(join(tmpdir(), 'iacsec-store-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

const VENDOR = parseUuid('00112233-4455-6677-8899-aabbccddeeff');
const CLASS = parseUuid('0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0');
const sup = generateKey('ed25519');
const image = new Uint8Array(512).fill(7);
const FW = { component: 'firmware' };
const manifestAt = (securityCounter) => signManifest({ key: sup, image, vendor: VENDOR, deviceClass: CLASS, version: String(securityCounter), securityCounter });

async function open(path, sealKey, opts = {}) {
  const fw = new Firmware(await loadModule());
  const store = await openStateStore(fw, { path, sealKey, ...opts });
  return { fw, store };
}

async function provisionedDir(opts = {}) {
  const dir = mkdtempSync(join(TMP, 'd-'));
  const path = join(dir, 'state.bin');
  const sealKey = new Uint8Array(crypto.randomBytes(32));
  const deviceSecret = new Uint8Array(crypto.randomBytes(32));
  const { fw } = await open(path, sealKey, { deviceSecret, ...opts });
  await fw.provision({ vendor: VENDOR, deviceClass: CLASS, supplierAnchors: [anchorOf(sup)] });
  return { dir, path, sealKey, deviceSecret };
}

test('several module instances on one state: each change works on the newest state, none is lost', async () => {
  const { path, sealKey } = await provisionedDir();
  const a = await open(path, sealKey), b = await open(path, sealKey), c = await open(path, sealKey);
  await a.fw.verifyFirmware(await manifestAt(5), image, FW);
  // b was opened before a's install: it reloads first, so 4 is a rollback.
  await assert.rejects(b.fw.verifyFirmware(await manifestAt(4), image, FW), (e) => e instanceof FirmwareError && e.status === 'ERR_ROLLBACK');
  // Many at once, from three instances: the stored counter ends at the highest accepted one.
  const counters = [12, 7, 30, 9, 21, 30, 15, 8, 29, 11];
  const results = await Promise.allSettled(counters.map(async (n, i) => {
    const m = await manifestAt(n);
    return [a, b, c][i % 3].fw.verifyFirmware(m, image, FW);
  }));
  const accepted = counters.filter((_, i) => results[i].status === 'fulfilled');
  for (const r of results) {
    if (r.status === 'rejected') assert.equal(r.reason.status, 'ERR_ROLLBACK', String(r.reason));
  }
  assert.ok(accepted.includes(30), 'the highest counter is accepted whatever the order');
  const d = await open(path, sealKey);
  assert.equal(d.fw.securityCounter('firmware'), BigInt(Math.max(5, ...accepted)));
  // A revocation acknowledged by one instance holds for the others.
  const owner = generateKey('ed25519');
  await a.fw.applyTrustStatement(signTrustStatement(sup, { operation: 'add-owner', kid: owner.kid, publicKey: owner, components: ['config'], vendor: VENDOR, deviceClass: CLASS }));
  await b.fw.applyTrustStatement(signTrustStatement(sup, { operation: 'revoke', kid: owner.kid, vendor: VENDOR, deviceClass: CLASS }));
  const byOwner = await signManifest({ key: owner, image, vendor: VENDOR, deviceClass: CLASS, component: 'config', version: '1', securityCounter: 1 });
  await assert.rejects(c.fw.verifyFirmware(byOwner, image, { component: 'config' }), (e) => e.status === 'ERR_REVOKED');
  const e = await open(path, sealKey);
  assert.equal(e.fw.anchors().find((x) => x.kidHex === owner.kid.reduce((s, v) => s + v.toString(16).padStart(2, '0'), '')).revoked, true);
  assert.equal(existsSync(`${path}.lock`), false, 'no lock left behind');
});

test('a lock left by a dead process is broken at once; a live holder is waited for, then named', async () => {
  const { path, sealKey } = await provisionedDir();
  // A process that has exited: its pid names no live process.
  const deadPid = Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']));
  writeFileSync(`${path}.lock`, JSON.stringify({ pid: deadPid, start: '1', host: hostname(), nonce: 'x', since: 'then' }));
  const t0 = Date.now();
  const { fw } = await open(path, sealKey);
  await fw.verifyFirmware(await manifestAt(3), image, FW);
  assert.ok(Date.now() - t0 < 5000);
  // Garbage in the lock file, old enough not to be a lock being written: broken too.
  writeFileSync(`${path}.lock`, 'garbage\u0000');
  utimesSync(`${path}.lock`, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
  await fw.verifyFirmware(await manifestAt(4), image, FW);
  // A live holder (this very process, under another nonce): the wait is bounded and the message names it.
  const start = readFileSync(`/proc/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ')[19];
  writeFileSync(`${path}.lock`, JSON.stringify({ pid: process.pid, start, host: hostname(), nonce: 'other', since: 'now' }));
  await assert.rejects(openStateStore(new Firmware(await loadModule()), { path, sealKey, lockTimeoutMs: 300 }),
    (e) => e instanceof StateStoreError && new RegExp(`locked by process ${process.pid}.*gave up after 300 ms`).test(e.message));
  rmSync(`${path}.lock`);
  assert.equal((await open(path, sealKey)).fw.securityCounter('firmware'), 4n);
});

test('a damaged or older state is refused and the module is fail-secure; restore and recover are the ways out', async () => {
  const { dir, path, sealKey, deviceSecret } = await provisionedDir();
  const { fw } = await open(path, sealKey, { deviceSecret });
  await fw.verifyFirmware(await manifestAt(10), image, FW);
  const backup = await fw.backup();
  const older = readFileSync(path);
  await fw.verifyFirmware(await manifestAt(11), image, FW);
  // An older, validly sealed copy put back: a rollback of state.
  writeFileSync(path, older);
  await assert.rejects(open(path, sealKey), (e) => e instanceof StateStoreError && e.failSecure && /rollback of state/.test(e.message));
  // Deleted: also refused, the high-water mark says a state existed.
  rmSync(path);
  await assert.rejects(open(path, sealKey), (e) => e instanceof StateStoreError && e.failSecure && /missing/.test(e.message));
  // Corrupted: refused, never replaced by a fresh state.
  const bad = Buffer.from(older); bad[100] ^= 1;
  writeFileSync(path, bad);
  await assert.rejects(open(path, sealKey), (e) => e instanceof StateStoreError && e.failSecure && /seal does not verify/.test(e.message));
  const r = await open(path, sealKey, { deviceSecret, allowFailSecure: true });
  assert.equal(r.fw.failSecure(), true);
  assert.equal(r.store.failure.status, 'ERR_INVALID');
  await assert.rejects(r.fw.provision({ vendor: VENDOR, deviceClass: CLASS, supplierAnchors: [anchorOf(sup)] }), (e) => e.status === 'ERR_FAILSECURE');
  await assert.rejects(r.fw.verifyFirmware(await manifestAt(12), image, FW), (e) => e.status === 'ERR_FAILSECURE' && /fail-secure/.test(e.reason));
  assert.deepEqual(readFileSync(path), bad, 'the damaged file is kept as it was');
  // Restore the signed backup: its state, saved above the high-water mark.
  await r.fw.restore(backup);
  assert.equal(r.fw.failSecure(), false);
  assert.equal(r.fw.securityCounter('firmware'), 10n);
  const again = await open(path, sealKey, { deviceSecret });
  assert.equal(again.fw.securityCounter('firmware'), 10n);
  // A backup altered by one byte is refused before anything changes.
  const altered = backup.slice(); altered[200] ^= 1;
  await assert.rejects(again.fw.restore(altered), (e) => e.status === 'ERR_INVALID');
  // Recover: discard and provision again, explicitly.
  writeFileSync(path, bad);
  const s = await open(path, sealKey, { allowFailSecure: true });
  await s.fw.recover();
  assert.equal(s.fw.provisioningOpen(), true);
  await s.fw.provision({ vendor: VENDOR, deviceClass: CLASS, supplierAnchors: [anchorOf(sup)] });
  assert.equal((await open(path, sealKey)).fw.securityCounter('firmware'), 0n);
  void dir;
});

test('the high-water mark: a hook outside the directory stops an older pair of files; the default file mark does not', async () => {
  // A hook standing for a hardware monotonic counter: software here cannot move it back.
  let hw = 0n;
  const hook = { describe: 'test monotonic counter', hardware: true, read: async () => hw, advance: async (g) => { if (g > hw) hw = g; } };
  for (const withHook of [true, false]) {
    const { path, sealKey } = await provisionedDir(withHook ? { highWater: hook } : {});
    const opts = withHook ? { highWater: hook } : {};
    const { fw } = await open(path, sealKey, opts);
    await fw.verifyFirmware(await manifestAt(3), image, FW);
    const oldState = readFileSync(path), oldMark = existsSync(`${path}.hwm`) ? readFileSync(`${path}.hwm`) : undefined;
    await fw.verifyFirmware(await manifestAt(8), image, FW);
    writeFileSync(path, oldState);
    if (oldMark) writeFileSync(`${path}.hwm`, oldMark);
    if (withHook) {
      await assert.rejects(open(path, sealKey, opts), (e) => e instanceof StateStoreError && e.failSecure && /rollback of state/.test(e.message));
    } else {
      // The documented limit of a software-only mark: the older pair loads, counter 3.
      assert.equal((await open(path, sealKey, opts)).fw.securityCounter('firmware'), 3n);
    }
  }
});
