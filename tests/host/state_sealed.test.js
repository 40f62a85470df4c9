// The sealed state is encrypted (assembly/firmware/state.ts, version 3): the
// TOTP seeds, pre-shared peer keys and the audit seal key never reach the
// state file or a backup in clear (CR 1.5, CR 1.14, CR 4.1). An independent
// reader with node:crypto (conformance/state_reference.ts) opens what the
// module wrote and finds them; the module refuses any change and leaves no
// decrypted copy behind; a version-2 state file still loads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { randomBytes } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import { loadModule, auth, deviceAuth, audit, Firmware, openStateStore } from '../../dist/host/index.js';
import { STATUS } from '../../dist/bindings/abi.js';
import { openState, sealState, sealStateV2 } from './_state_blob.js';
import { T0 } from './_auth.js';

const ADMIN_PW = 'correct horse battery staple';

/** A module with an administrator enrolled in TOTP and an HMAC peer: the secrets a state holds. */
async function withSecrets(sealKey) {
  const api = await loadModule();
  const fw = new Firmware(api);
  fw.setSealKey(sealKey);
  fw.setDeviceSecret(new Uint8Array(randomBytes(32)));
  const clock = { now: T0 };
  const a = auth(api, { clock: () => clock.now });
  a.setProfile('', { iterations: 1000, sessionsPerUser: 8 });
  a.provision({ user: 'admin', password: ADMIN_PW });
  const s = a.login({ user: 'admin', password: ADMIN_PW, source: 'c', iface: 0 }).session;
  const e = a.enrollTotp(s, { account: 'admin' });
  const seed = Buffer.from(OTPAuth.URI.parse(e.uri).secret.bytes);
  const psk = randomBytes(32);
  deviceAuth(api, { clock: () => clock.now }).addPeer(s, 'rtu-9', { hmac: psk });
  audit(api).setSealKey(new Uint8Array(randomBytes(32)));
  return { api, fw, seed, psk };
}

const importInto = (api, blob) => {
  api.heap().set(blob, api.ioPtr);
  return api.raw.iacsec_state_import(api.ioPtr, blob.length, 0n);
};
const memoryHas = (api, secret) => Buffer.from(api.heap().buffer, 0, api.heap().byteLength).includes(secret);

test('the state file holds no secret in clear; opened with the sealing key, it holds them all', async () => {
  const dir = mkdtempSync(`${tmpdir()}/iacsec-sealed-`);
  const sealKey = new Uint8Array(randomBytes(32));
  const api = await loadModule();
  const fw = new Firmware(api);
  await openStateStore(fw, { path: `${dir}/state.bin`, sealKey });
  const clock = { now: T0 };
  const a = auth(api, { clock: () => clock.now });
  const { seed, psk } = await a.transaction((x) => {
    x.setProfile('', { iterations: 1000 });
    x.provision({ user: 'admin', password: ADMIN_PW });
    const s = x.login({ user: 'admin', password: ADMIN_PW, source: 'c', iface: 0 }).session;
    const e = x.enrollTotp(s, { account: 'admin' });
    const key = randomBytes(32);
    deviceAuth(api, { clock: () => clock.now }).addPeer(s, 'rtu-9', { hmac: key });
    return { seed: Buffer.from(OTPAuth.URI.parse(e.uri).secret.bytes), psk: key };
  });
  const file = readFileSync(`${dir}/state.bin`);
  assert.ok(!file.includes(seed), 'TOTP seed not in the file');
  assert.ok(!file.includes(psk), 'peer key not in the file');
  const { clear, ok } = openState(file, sealKey);
  assert.ok(ok);
  assert.ok(Buffer.from(clear).includes(seed) && Buffer.from(clear).includes(psk), 'both are in the state, encrypted');
  assert.ok(!openState(file, new Uint8Array(randomBytes(32))).ok, 'another key opens nothing');
});

test('backups are encrypted too; every new state gets a new nonce (its synthetic IV)', async () => {
  const sealKey = new Uint8Array(randomBytes(32));
  const { fw, seed, psk } = await withSecrets(sealKey);
  fw.exportState();
  const backup = Buffer.from(await fw.backup());
  assert.ok(!backup.includes(seed) && !backup.includes(psk));
  const blob = backup.subarray(0, backup.length - 64);
  const { clear, ok } = openState(blob, sealKey);
  assert.ok(ok && Buffer.from(clear).includes(seed));
  const next = Buffer.from(fw.exportState());
  // Another state (generation, audit chain), so another synthetic IV: no keystream is reused. Equal
  // bytes at the same place in the two ciphertexts then occur by chance only (about 1 in 256).
  assert.notDeepEqual(next.subarray(-32), blob.subarray(-32));
  let same = 0;
  for (let i = 24; i < blob.length - 32; i++) if (blob[i] === next[i]) same++;
  assert.ok(same < (blob.length - 56) / 128, `${same} equal ciphertext bytes`);
});

test('a refused state leaves no decrypted copy in module memory: bad tag, bad field, wrong key', async () => {
  const sealKey = new Uint8Array(randomBytes(32));
  const { fw, seed } = await withSecrets(sealKey);
  const blob = fw.exportState();
  const { clear } = openState(blob, sealKey);
  const fresh = async (key = sealKey) => { const api = await loadModule(); new Firmware(api).setSealKey(key); return api; };
  // A flipped ciphertext bit decrypts to the clear state with one bit changed: the tag refuses it.
  const flipped = Uint8Array.from(blob); flipped[40] ^= 1;
  let api = await fresh();
  assert.equal(importInto(api, flipped), STATUS.ERR_INVALID.code);
  assert.ok(!memoryHas(api, seed), 'no clear copy after a bad tag');
  // A correctly sealed state with an invalid field: decrypted, refused, wiped.
  const bad = Uint8Array.from(clear); bad[24 + 8] = 0x7;           // firmware flags: unknown bits
  api = await fresh();
  assert.equal(importInto(api, sealState(bad, sealKey)), STATUS.ERR_MALFORMED.code);
  assert.ok(!memoryHas(api, seed), 'no clear copy after a bad field');
  api = await fresh(new Uint8Array(randomBytes(32)));
  assert.equal(importInto(api, blob), STATUS.ERR_INVALID.code);
  // Positive control: the good blob loads, and the seed is then in the module's tables.
  api = await fresh();
  assert.equal(importInto(api, blob), STATUS.OK.code);
  assert.ok(memoryHas(api, seed));
});

test('a version-2 state (sections in clear, HMAC under the sealing key) still loads; the next export is version 3', async () => {
  const sealKey = new Uint8Array(randomBytes(32));
  const { fw, seed } = await withSecrets(sealKey);
  const { clear } = openState(fw.exportState(), sealKey);
  const v2 = sealStateV2(clear, sealKey);
  assert.ok(Buffer.from(v2).includes(seed), 'a version-2 file held the seed in clear');
  const api = await loadModule();
  const b = new Firmware(api);
  b.setSealKey(sealKey);
  assert.equal(importInto(api, v2), STATUS.OK.code);
  assert.equal(api.raw.iacsec_state_generation(), 1n);
  const v3 = b.exportState();
  assert.equal(Buffer.from(v3).readUInt16LE(4), 3);
  assert.ok(!Buffer.from(v3).includes(seed));
  assert.ok(openState(v3, sealKey).ok);
  // A version-2 blob is checked with the sealing key itself: the version-3 keys do not open it, nor a changed byte.
  const changed = Uint8Array.from(v2); changed[100] ^= 1;
  const c = await loadModule(); new Firmware(c).setSealKey(sealKey);
  assert.equal(importInto(c, changed), STATUS.ERR_INVALID.code);
});

test('the configuration report reads the firmware section from the module, never a secret section', async () => {
  const sealKey = new Uint8Array(randomBytes(32));
  const { api, fw } = await withSecrets(sealKey);
  const { clear } = openState(fw.exportState(), sealKey);
  const n = api.raw.iacsec_fw_state_read(api.ioPtr, api.ioBytes);
  assert.equal(n, 2752);
  assert.equal(api.raw.iacsec_fw_state_read(api.ioPtr, 100), STATUS.ERR_BUFFER_SMALL.code);
  assert.equal(api.raw.iacsec_fw_state_read(api.ioPtr + api.ioBytes - 8, 100), STATUS.ERR_BOUNDS.code);
  const section = api.heap().slice(api.ioPtr, api.ioPtr + n);
  assert.deepEqual(section, clear.subarray(32, 32 + n), 'the same bytes as section 1 of the state');
});
