// Unsuccessful login attempts (CR 1.11): per account and per source, counted
// in the module, locked for a duration or until an administrator unlocks,
// reset by an administrator only, every lock and unlock recorded; a growing
// delay instead of a lock for accounts where a lock is a hazard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setup, status } from './_auth.js';

const login = (a, user, password, source = 'hmi-1', iface = 1) => status(() => a.login({ user, password, source, iface }));

test('five failures within the window lock the account; a right password is then refused the same way', async () => {
  const { a, admin, addUser, take, tick } = await setup({ profile: { lockThreshold: 5, lockWindow: 60, lockDuration: 300 } });
  addUser('olga', 'turbine hall north 7', 3);
  take();
  for (let i = 0; i < 4; i++) { assert.equal(login(a, 'olga', `wrong guess ${i}`), 'ERR_AUTH'); tick(1000); }
  assert.equal(a.userInfo(admin, 'olga').lockedUntil, null);
  assert.equal(a.userInfo(admin, 'olga').failures, 4);
  assert.equal(login(a, 'olga', 'wrong guess 4'), 'ERR_AUTH');
  const lockedAt = take().find((e) => e.type === 'ACCOUNT_LOCKED');
  assert.ok(lockedAt, 'the lock is recorded');
  const info = a.userInfo(admin, 'olga');
  assert.equal(typeof info.lockedUntil, 'number');
  assert.equal(info.lockedUntil, Number(lockedAt.b));
  // Locked: the right password gets the same answer, and is not even checked.
  assert.equal(login(a, 'olga', 'turbine hall north 7'), 'ERR_AUTH');
  assert.deepEqual(take().map((e) => e.type), ['LOGIN_ACCOUNT_LOCKED']);
  // The lock ends at its time, not before.
  tick(300_000 - 1);
  assert.equal(login(a, 'olga', 'turbine hall north 7'), 'ERR_AUTH');
  tick(1);
  assert.equal(login(a, 'olga', 'turbine hall north 7'), 'OK');
  assert.deepEqual(take().map((e) => e.type).filter((t) => t !== 'LOGIN_ACCOUNT_LOCKED'), ['ACCOUNT_LOCK_EXPIRED', 'LOGIN_OK']);
});

test('failures further apart than the window do not add up; a login ends the run', async () => {
  const { a, admin, addUser, tick } = await setup({ profile: { lockThreshold: 3, lockWindow: 60 } });
  addUser('pete', 'turbine hall north 7', 3);
  for (let i = 0; i < 10; i++) { assert.equal(login(a, 'pete', 'wrong one here'), 'ERR_AUTH'); tick(i % 2 ? 61_000 : 1000); }
  assert.equal(a.userInfo(admin, 'pete').lockedUntil, null);
  login(a, 'pete', 'wrong one here');
  login(a, 'pete', 'wrong one here');
  assert.equal(a.userInfo(admin, 'pete').failures, 2);
  assert.equal(login(a, 'pete', 'turbine hall north 7'), 'OK');
  assert.equal(a.userInfo(admin, 'pete').failures, 0);
});

test('duration 0: locked until an administrator unlocks; nothing else ends it (CR 1.11)', async () => {
  const { a, addUser, take, tick, adminNow } = await setup({ profile: { lockThreshold: 3, lockDuration: 0 } });
  addUser('quinn', 'turbine hall north 7', 3);
  const { session } = a.login({ user: 'quinn', password: 'turbine hall north 7', source: 'hmi-2', iface: 1 });
  for (let i = 0; i < 3; i++) login(a, 'quinn', 'wrong one here');
  assert.equal(a.userInfo(adminNow(), 'quinn').lockedUntil, 'admin');
  tick(365 * 86_400_000);
  const admin = adminNow();
  assert.equal(login(a, 'quinn', 'turbine hall north 7'), 'ERR_AUTH', 'a year later, still locked');
  // The locked user's own paths do not reset it: re-authentication and password change from a live session.
  assert.equal(status(() => a.changePassword(session, 'turbine hall north 7', 'another hall south 8')), 'ERR_SESSION', 'the session expired meanwhile');
  // A viewer cannot unlock; the administrator can, and it is recorded.
  take();
  a.unlockUser(admin, 'quinn');
  assert.deepEqual(take().map((e) => [e.type, e.actor, e.subject]), [['ACCOUNT_UNLOCKED', 'admin', 'quinn']]);
  assert.equal(a.userInfo(admin, 'quinn').lockedUntil, null);
  assert.equal(a.userInfo(admin, 'quinn').failures, 0);
  assert.equal(login(a, 'quinn', 'turbine hall north 7'), 'OK');
});

test('a success on another path never resets the count: re-authentication of a locked session', async () => {
  const { a, addUser, tick, adminNow } = await setup({ profile: { lockThreshold: 3, idleLock: 60, idleTerminate: 3600 } });
  addUser('rita', 'turbine hall north 7', 3);
  const { session } = a.login({ user: 'rita', password: 'turbine hall north 7', source: 'hmi-3', iface: 1 });
  login(a, 'rita', 'wrong one here');
  login(a, 'rita', 'wrong one here');
  tick(61_000);
  assert.equal(a.decide(session, 'PROCESS_READ'), 'ERR_SESSION_LOCKED');
  a.unlockSession(session, 'turbine hall north 7');
  assert.equal(a.userInfo(adminNow(), 'rita').failures, 2, 're-authentication did not reset the run');
  login(a, 'rita', 'wrong one here');
  assert.notEqual(a.userInfo(adminNow(), 'rita').lockedUntil, null);
  // And while locked, re-authentication is refused too.
  tick(61_000);
  assert.equal(status(() => a.unlockSession(session, 'turbine hall north 7')), 'ERR_AUTH');
});

test('an administrator can lock an account at once; its sessions end', async () => {
  const { a, admin, addUser, take } = await setup();
  addUser('sam', 'turbine hall north 7', 3);
  const { session } = a.login({ user: 'sam', password: 'turbine hall north 7', source: 'hmi', iface: 1 });
  take();
  a.lockUser(admin, 'sam');
  assert.deepEqual(take().map((e) => e.type), ['ACCOUNT_LOCKED_BY_ADMIN']);
  assert.equal(a.decide(session, 'PROCESS_READ'), 'ERR_SESSION');
  assert.equal(a.userInfo(admin, 'sam').lockedUntil, 'admin');
  assert.equal(login(a, 'sam', 'turbine hall north 7'), 'ERR_AUTH');
});

test('per source: failures from one address across accounts lock that address only', async () => {
  const { a, admin, addUser, take } = await setup({ profile: { sourceThreshold: 10, lockThreshold: 1000 } });
  addUser('tom', 'turbine hall north 7', 3);
  for (let i = 0; i < 10; i++) login(a, i % 2 ? 'tom' : `guess${i}`, 'wrong one here', '203.0.113.9');
  assert.ok(take().some((e) => e.type === 'SOURCE_LOCKED'));
  assert.equal(login(a, 'tom', 'turbine hall north 7', '203.0.113.9'), 'ERR_LOCKED');
  assert.deepEqual(take().map((e) => e.type), ['LOGIN_SOURCE_LOCKED']);
  assert.equal(login(a, 'tom', 'turbine hall north 7', '198.51.100.1'), 'OK', 'another source is not affected');
  assert.equal(a.unlockSource(admin, '203.0.113.9'), true);
  assert.deepEqual(take().map((e) => e.type).filter((t) => t === 'SOURCE_UNLOCKED'), ['SOURCE_UNLOCKED']);
  assert.equal(login(a, 'tom', 'turbine hall north 7', '203.0.113.9'), 'OK');
  assert.equal(a.unlockSource(admin, '192.0.2.200'), false);
});

test('a flood of failing new sources never pushes a locked source out of the table (fail closed)', async () => {
  const { a, admin, addUser, take, api } = await setup({ profile: { sourceThreshold: 2, lockThreshold: 1000 } });
  addUser('uma', 'turbine hall north 7', 3);
  const max = api.raw.iacsec_sources_max();
  // Lock every record of the table, the attacker's first.
  for (let i = 0; i < max; i++) for (let k = 0; k < 2; k++) login(a, 'nobody', 'wrong one here', `10.0.${i >> 8}.${i & 255}`);
  take();
  for (let i = 0; i < 50; i++) assert.equal(login(a, 'nobody', 'wrong one here', `172.16.0.${i}`), 'ERR_AUTH');
  assert.ok(take().some((e) => e.type === 'SOURCE_TABLE_FULL'));
  assert.equal(login(a, 'uma', 'turbine hall north 7', '10.0.0.0'), 'ERR_LOCKED', 'the first locked source is still locked');
  assert.ok(admin);
});

test('accounts where a lock is a hazard get a growing delay instead', async () => {
  const { a, admin, addUser, take, tick, clock } = await setup({ profile: { lockThreshold: 3, delayBase: 1000, delayMax: 8000 } });
  addUser('vera', 'turbine hall north 7', 2);
  a.modifyUser(admin, 'vera', { delayInsteadOfLock: true });
  take();
  const delays = [];
  for (let i = 0; i < 7; i++) {
    assert.equal(login(a, 'vera', 'wrong one here'), 'ERR_AUTH');
    const u = a.userInfo(admin, 'vera').lockedUntil;
    delays.push(u === null ? 0 : u - clock.now);
    tick(u === null ? 100 : u - clock.now);
  }
  assert.deepEqual(delays, [0, 0, 1000, 2000, 4000, 8000, 8000]);
  const ev = take();
  assert.equal(ev.filter((e) => e.type === 'LOGIN_DELAYED').length, 5);
  assert.equal(ev.filter((e) => e.type === 'ACCOUNT_LOCKED').length, 0, 'never locked');
  // During a delay even the right password waits; after it, the right password is in.
  assert.equal(login(a, 'vera', 'wrong one here'), 'ERR_AUTH');
  assert.equal(login(a, 'vera', 'turbine hall north 7'), 'ERR_AUTH');
  tick(8000);
  assert.equal(login(a, 'vera', 'turbine hall north 7'), 'OK');
  assert.equal(a.userInfo(admin, 'vera').failures, 0);
});

test('failures are counted one for one, with nothing lost between calls', async () => {
  const { a, admin, addUser } = await setup({ profile: { lockThreshold: 1000, sourceThreshold: 100_000 } });
  addUser('walt', 'turbine hall north 7', 3);
  for (let i = 0; i < 257; i++) login(a, 'walt', `wrong ${i} guess`, `s${i % 7}`);
  assert.equal(a.userInfo(admin, 'walt').failures, 257);
});
