// Access control in the one sealed, locked state (state v2, section 2):
// accounts, failure counts and locks survive a restart (CR 1.11), so do
// roles, profile, TOTP enrolments with their last step, and peer keys;
// sessions do not. Each decision is saved before its answer is returned.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { randomBytes } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import { loadModule, auth, deviceAuth, Firmware, openStateStore } from '../../dist/host/index.js';
import { status, T0 } from './_auth.js';

const ADMIN_PW = 'correct horse battery staple';
const PW = 'turbine hall north 7';

async function boot(path, sealKey, clock) {
  const api = await loadModule();
  const fw = new Firmware(api);
  await openStateStore(fw, { path, sealKey });
  return { api, a: auth(api, { clock: () => clock.now }) };
}

test('a lock and its failure count survive a restart; only an administrator clears them', async () => {
  const path = `${mkdtempSync(`${tmpdir()}/iacsec-authstate-`)}/state.bin`;
  const sealKey = new Uint8Array(randomBytes(32));
  const clock = { now: T0 };
  let { a } = await boot(path, sealKey, clock);
  await a.transaction((x) => {
    x.setProfile('', { iterations: 1000, minLifetime: 0, lockThreshold: 3, lockDuration: 0 });
    x.provision({ user: 'admin', password: ADMIN_PW });
    const s = x.login({ user: 'admin', password: ADMIN_PW, source: 'c', iface: 0 }).session;
    x.addUser(s, { user: 'olga', password: 'temporary setup passphrase 1', role: 3 });
    x.setRole(s, 9, { name: 'maintenance', permissions: ['FIRMWARE_UPDATE'] });
  });
  const first = await a.transaction((x) => x.login({ user: 'olga', password: 'temporary setup passphrase 1', source: 'h', iface: 1 }).session);
  await a.transaction((x) => x.changePassword(first, 'temporary setup passphrase 1', PW));
  // Two failures, then a "power cut": a new module on the same file.
  for (let i = 0; i < 2; i++) assert.equal(await a.transaction((x) => status(() => x.login({ user: 'olga', password: 'wrong guess here', source: 'h', iface: 1 }))), 'ERR_AUTH');
  ({ a } = await boot(path, sealKey, clock));
  assert.equal(a.decide(first, 'PROCESS_READ'), 'ERR_SESSION', 'sessions end with a restart');
  assert.equal(await a.transaction((x) => status(() => x.login({ user: 'olga', password: 'wrong guess here', source: 'h', iface: 1 }))), 'ERR_AUTH');
  // Third failure: locked until an administrator unlocks. Restart again.
  ({ a } = await boot(path, sealKey, clock));
  assert.equal(await a.transaction((x) => status(() => x.login({ user: 'olga', password: PW, source: 'h', iface: 1 }))), 'ERR_AUTH', 'still locked after a restart');
  const info = await a.transaction((x) => {
    const s = x.login({ user: 'admin', password: ADMIN_PW, source: 'c', iface: 0 }).session;
    return [x.userInfo(s, 'olga'), x.roles().find((r) => r.index === 9)?.name, x.profile().lockThreshold];
  });
  assert.equal(info[0].lockedUntil, 'admin');
  assert.equal(info[0].failures, 3);
  assert.equal(info[1], 'maintenance');
  assert.equal(info[2], 3);
  await a.transaction((x) => {
    const s = x.login({ user: 'admin', password: ADMIN_PW, source: 'c', iface: 0 }).session;
    x.unlockUser(s, 'olga');
  });
  ({ a } = await boot(path, sealKey, clock));
  assert.equal(await a.transaction((x) => status(() => x.login({ user: 'olga', password: PW, source: 'h', iface: 1 }))), 'OK');
});

test('TOTP enrolments keep their last accepted step across a restart: a code is never accepted twice', async () => {
  const path = `${mkdtempSync(`${tmpdir()}/iacsec-authstate-`)}/state.bin`;
  const sealKey = new Uint8Array(randomBytes(32));
  const clock = { now: T0 };
  let { a, api } = await boot(path, sealKey, clock);
  const e = await a.transaction((x) => {
    x.setProfile('', { iterations: 1000, sessionsPerUser: 8 });
    x.provision({ user: 'admin', password: ADMIN_PW });
    const s = x.login({ user: 'admin', password: ADMIN_PW, source: 'c', iface: 0 }).session;
    return x.enrollTotp(s, { account: 'admin' });
  });
  const totp = OTPAuth.URI.parse(e.uri);
  const code = totp.generate({ timestamp: clock.now });
  assert.equal(await a.transaction((x) => status(() => x.login({ user: 'admin', password: ADMIN_PW, totp: code, source: 'c', iface: 0 }))), 'OK');
  // Peers too.
  const d = deviceAuth(api, { clock: () => clock.now });
  const peerKey = new Uint8Array(32).fill(7);
  await a.transaction(() => {
    const s = a.login({ user: 'admin', password: ADMIN_PW, totp: e.recoveryCodes[0], source: 'c', iface: 0 }).session;
    d.addPeer(s, 'rtu-9', { hmac: peerKey });
  });
  ({ a, api } = await boot(path, sealKey, clock));
  assert.equal(await a.transaction((x) => status(() => x.login({ user: 'admin', password: ADMIN_PW, totp: code, source: 'c', iface: 0 }))), 'ERR_AUTH', 'replay after a restart');
  assert.equal(await a.transaction((x) => status(() => x.login({ user: 'admin', password: ADMIN_PW, totp: e.recoveryCodes[0], source: 'c', iface: 0 }))), 'ERR_AUTH', 'a used recovery code stays used');
  assert.equal(await a.transaction((x) => status(() => x.login({ user: 'admin', password: ADMIN_PW, source: 'c', iface: 0 }))), 'ERR_MFA_REQUIRED');
  assert.deepEqual(deviceAuth(api).peers().map((p) => [p.name, p.kind]), [['rtu-9', 'hmac']]);
});

test('two module instances on one state file see each other\'s changes (one locked state)', async () => {
  const path = `${mkdtempSync(`${tmpdir()}/iacsec-authstate-`)}/state.bin`;
  const sealKey = new Uint8Array(randomBytes(32));
  const clock = { now: T0 };
  const one = await boot(path, sealKey, clock);
  await one.a.transaction((x) => {
    x.setProfile('', { iterations: 1000, lockThreshold: 4 });
    x.provision({ user: 'admin', password: ADMIN_PW });
  });
  const two = await boot(path, sealKey, clock);
  // Failures alternate between the two instances: every one is counted.
  for (let i = 0; i < 4; i++) {
    const inst = i % 2 ? two : one;
    await inst.a.transaction((x) => status(() => x.login({ user: 'admin', password: 'wrong guess here', source: `s${i}`, iface: 0 })));
  }
  assert.equal(await one.a.transaction((x) => status(() => x.login({ user: 'admin', password: ADMIN_PW, source: 'c', iface: 0 }))), 'ERR_AUTH', 'the fourth failure, made by the other instance, locked it');
});
