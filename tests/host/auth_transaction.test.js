// With a state store attached, a call that checks a secret (login,
// unlockSession, changePassword) runs only inside auth.transaction() (CR
// 1.11). Outside one, its failure would be counted in memory only: a kill
// loses it, and the next transaction loads another process's newer state
// over it, so the lock is never reached (the pam_faillock lost update).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { randomBytes } from 'node:crypto';
import { loadModule, auth, Firmware, openStateStore } from '../../dist/host/index.js';
import { status } from './_auth.js';

const ADMIN_PW = 'correct horse battery staple';
const WRONG = 'wrong guess here';

test('with a store attached, login outside a transaction is refused before the module is asked; failures from two instances add up to the lock', async () => {
  const path = `${mkdtempSync(`${tmpdir()}/iacsec-authtx-`)}/state.bin`;
  const sealKey = new Uint8Array(randomBytes(32));
  const boot = async () => {
    const api = await loadModule();
    await openStateStore(new Firmware(api), { path, sealKey });
    return auth(api);
  };
  const a = await boot();
  await a.transaction((x) => {
    x.setProfile('', { iterations: 1000, lockThreshold: 3, lockDuration: 0 });
    x.provision({ user: 'admin', password: ADMIN_PW });
  });
  const b = await boot();
  const session = await a.transaction((x) => x.login({ user: 'admin', password: ADMIN_PW, source: 'c', iface: 0 }).session);
  for (const call of [
    () => a.login({ user: 'admin', password: WRONG, source: 's', iface: 0 }),
    () => a.unlockSession(session, WRONG),
    () => a.changePassword(session, WRONG, 'a new long passphrase 9'),
  ]) {
    assert.throws(call, (e) => !e.status && /inside auth\.transaction\(\).*CR 1\.11/.test(e.message));
  }
  // Failures alternate between the instances, each saved before its answer; another instance's save in between loses none.
  assert.equal(await a.transaction((x) => status(() => x.login({ user: 'admin', password: WRONG, source: 's', iface: 0 }))), 'ERR_AUTH');
  await b.transaction((x) => status(() => x.login({ user: 'nobody', password: WRONG, source: 't', iface: 0 })));
  assert.equal(await a.transaction((x) => status(() => x.login({ user: 'admin', password: WRONG, source: 's', iface: 0 }))), 'ERR_AUTH');
  assert.equal(await b.transaction((x) => status(() => x.login({ user: 'admin', password: WRONG, source: 's', iface: 0 }))), 'ERR_AUTH');
  const c = await boot();
  assert.equal(await c.transaction((x) => status(() => x.login({ user: 'admin', password: ADMIN_PW, source: 'c', iface: 0 }))), 'ERR_AUTH', 'locked after three failures');
  // Without a store, the calls work on the module's memory alone, as before.
  const memory = auth(await loadModule());
  memory.setProfile('', { iterations: 1000 });
  memory.provision({ user: 'admin', password: ADMIN_PW });
  assert.equal(status(() => memory.login({ user: 'admin', password: ADMIN_PW, source: 'c', iface: 0 })), 'OK');
});
