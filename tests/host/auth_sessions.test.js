// Sessions and authorization (CR 2.1 RE1/RE2, 2.5, 2.6, 2.7, 3.8).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { abi } from '../../dist/host/index.js';
import { setup, status, ADMIN } from './_auth.js';

const PW = 'turbine hall north 7';

test('session ids: 128 random bits, never reused; logged-out, forged and malformed ids are rejected and recorded (CR 3.8)', async () => {
  const { a, addUser, take } = await setup();
  addUser('ann', PW, 3);
  const seen = new Set();
  for (let i = 0; i < 300; i++) {
    const { session } = a.login({ user: 'ann', password: PW, source: 's', iface: 1 });
    assert.match(session, /^[0-9a-f]{32}$/);
    assert.ok(!seen.has(session), 'fresh id');
    seen.add(session);
    assert.equal(a.authorize(session, 'PROCESS_READ'), true);
    a.logout(session);
    assert.equal(a.decide(session, 'PROCESS_READ'), 'ERR_SESSION', 'a terminated id is dead');
  }
  // Bits are spread: every hex digit position takes many values.
  const ids = [...seen];
  for (let pos = 0; pos < 32; pos++) assert.ok(new Set(ids.map((s) => s[pos])).size >= 12, `position ${pos}`);
  const { session } = a.login({ user: 'ann', password: PW, source: 's', iface: 1 });
  const forged = session.slice(0, 31) + (session[31] === '0' ? '1' : '0');
  take();
  assert.equal(a.decide(forged, 'PROCESS_READ'), 'ERR_SESSION');
  assert.equal(a.decide('not-a-session', 'PROCESS_READ'), 'ERR_SESSION');
  assert.equal(a.decide('0'.repeat(32), 'PROCESS_READ'), 'ERR_SESSION');
  assert.deepEqual(take().map((e) => e.type), ['SESSION_REJECTED', 'SESSION_REJECTED', 'SESSION_REJECTED']);
  assert.equal(a.authorize(session, 'PROCESS_READ'), true, 'the real one still works');
});

test('idle lock with re-authentication (CR 2.5), idle termination and maximum lifetime (CR 2.6)', async () => {
  const { a, addUser, take, tick } = await setup({ profile: { idleLock: 300, idleTerminate: 1800, sessionMax: 7200 } });
  addUser('ben', PW, 3);
  const { session } = a.login({ user: 'ben', password: PW, source: 's', iface: 1 });
  tick(299_000);
  assert.equal(a.authorize(session, 'PROCESS_READ'), true, 'activity keeps it open');
  tick(300_000);
  take();
  assert.equal(a.decide(session, 'PROCESS_READ'), 'ERR_SESSION_LOCKED');
  assert.equal(a.decide(session, 'PROCESS_READ'), 'ERR_SESSION_LOCKED');
  assert.deepEqual(take().map((e) => e.type), ['SESSION_LOCKED'], 'the lock is recorded once');
  assert.equal(a.whoami(session).state, 'locked');
  assert.equal(status(() => a.unlockSession(session, 'not the passphrase')), 'ERR_AUTH');
  a.unlockSession(session, PW);
  assert.equal(a.authorize(session, 'PROCESS_READ'), true);
  assert.deepEqual(take().map((e) => e.type), ['LOGIN_FAILED', 'SESSION_UNLOCKED']);
  tick(1_800_000);
  assert.equal(a.decide(session, 'PROCESS_READ'), 'ERR_SESSION', 'idle past termination: gone');
  assert.deepEqual(take().map((e) => e.type), ['SESSION_EXPIRED']);
  // Maximum lifetime, however active.
  const s2 = a.login({ user: 'ben', password: PW, source: 's', iface: 1 }).session;
  for (let t = 0; t < 7200; t += 200) { tick(200_000); if (t + 200 < 7200) assert.equal(a.authorize(s2, 'PROCESS_READ'), true, `at ${t + 200} s`); }
  assert.equal(a.decide(s2, 'PROCESS_READ'), 'ERR_SESSION');
});

test('administrators list and terminate sessions (CR 2.6); the terminated id is rejected', async () => {
  const { a, admin, addUser, take } = await setup();
  addUser('cleo', PW, 3);
  const s1 = a.login({ user: 'cleo', password: PW, source: 'a', iface: 2 }).session;
  const list = a.listSessions(admin);
  const mine = list.find((s) => s.user === 'cleo');
  assert.equal(mine.iface, 2);
  assert.equal(mine.state, 'active');
  assert.ok(list.find((s) => s.user === ADMIN));
  assert.equal(JSON.stringify(list).includes(s1), false, 'the list never shows a session id');
  take();
  assert.equal(a.killSession(admin, mine.serial), true);
  assert.deepEqual(take().map((e) => [e.type, e.actor, e.subject, e.b]), [['SESSION_TERMINATED', ADMIN, 'cleo', BigInt(mine.serial)]]);
  assert.equal(a.decide(s1, 'PROCESS_READ'), 'ERR_SESSION');
  assert.equal(a.killSession(admin, mine.serial), false);
  // A viewer can do neither.
  const s2 = a.login({ user: 'cleo', password: PW, source: 'a', iface: 2 }).session;
  assert.equal(status(() => a.listSessions(s2)), 'ERR_DENIED');
  assert.equal(status(() => a.killSession(s2, 1)), 'ERR_DENIED');
});

test('concurrent sessions: limits per user and per interface (CR 2.7)', async () => {
  const { a, addUser, take } = await setup({ profile: { sessionsPerUser: 2, sessionsPerInterface: 3 } });
  addUser('dan', PW, 3);
  addUser('eve', PW, 3);
  const d1 = a.login({ user: 'dan', password: PW, source: 's', iface: 4 }).session;
  a.login({ user: 'dan', password: PW, source: 's', iface: 4 });
  take();
  assert.equal(status(() => a.login({ user: 'dan', password: PW, source: 's', iface: 5 })), 'ERR_SESSION_LIMIT');
  assert.deepEqual(take().map((e) => [e.type, e.b]), [['SESSION_LIMIT', 1n]]);
  a.login({ user: 'eve', password: PW, source: 's', iface: 4 });
  assert.equal(status(() => a.login({ user: 'eve', password: PW, source: 's', iface: 4 })), 'ERR_SESSION_LIMIT');
  assert.equal(take().find((e) => e.type === 'SESSION_LIMIT').b, 2n);
  a.logout(d1);
  a.login({ user: 'eve', password: PW, source: 's', iface: 4 });
});

test('roles: default deny, permissions per role configurable by an administrator (CR 2.1 RE2), denials recorded', async () => {
  const { a, admin, addUser, take } = await setup();
  addUser('fay', PW, 3);
  const s = a.login({ user: 'fay', password: PW, source: 's', iface: 1 }).session;
  const roles = a.roles();
  assert.deepEqual(roles.map((r) => r.name), ['administrator', 'engineer', 'operator', 'viewer', 'auditor']);
  assert.deepEqual(roles[3].permissionNames, ['PROCESS_READ']);
  take();
  const answers = Object.keys(abi.PERMISSIONS).map((p) => [p, a.authorize(s, p)]);
  assert.deepEqual(answers.filter(([, ok]) => ok).map(([p]) => p), ['PROCESS_READ']);
  assert.equal(a.authorize(s, 20), false, 'a product bit nobody was given');
  const denied = take();
  assert.equal(denied.length, Object.keys(abi.PERMISSIONS).length);
  assert.ok(denied.every((e) => e.type === 'AUTHZ_DENIED' && e.subject === 'fay'));
  // The administrator gives the viewer role another permission: effective at once.
  a.setRole(admin, 3, { name: 'viewer', permissions: ['PROCESS_READ', 'AUDIT_READ', 20] });
  assert.equal(a.authorize(s, 'AUDIT_READ'), true);
  assert.equal(a.authorize(s, 20), true);
  assert.deepEqual(take().map((e) => [e.type, e.actor, e.subject]), [['ROLE_CHANGED', ADMIN, 'viewer']]);
  // A new role, used, then not removable while in use.
  a.setRole(admin, 7, { name: 'maintenance', permissions: ['FIRMWARE_UPDATE'], mfaRequired: false });
  a.modifyUser(admin, 'fay', { role: 7 });
  assert.equal(a.authorize(s, 'FIRMWARE_UPDATE'), true);
  assert.equal(a.authorize(s, 'PROCESS_READ'), false);
  assert.equal(status(() => a.removeRole(admin, 7)), 'ERR_STATE');
  a.modifyUser(admin, 'fay', { role: 3 });
  a.removeRole(admin, 7);
  assert.equal(status(() => a.modifyUser(admin, 'fay', { role: 7 })), 'ERR_UNKNOWN_ROLE');
  assert.equal(status(() => a.removeRole(admin, 0)), 'ERR_STATE', 'the administrator role stays');
  // Role 0 keeps every permission whatever is asked.
  a.setRole(admin, 0, { name: 'administrator', permissions: [] });
  assert.equal(a.roles()[0].permissions >>> 0, 0xffffffff);
  assert.equal(a.authorize(admin, 'USER_ADMIN'), true);
  // Only a role administrator may change roles.
  assert.equal(status(() => a.setRole(s, 3, { name: 'viewer', permissions: 0xffff })), 'ERR_DENIED');
  assert.equal(status(() => a.setRole(admin, 16, { name: 'x', permissions: 0 })), 'ERR_UNKNOWN_ROLE');
  assert.equal(status(() => a.setRole(admin, 5, { name: 'n'.repeat(25), permissions: 0 })), 'ERR_LENGTH');
});

test('authorize answers for every kind of user alike: humans, software and devices through the same call (CR 2.1 RE1)', async () => {
  const { a, admin, addUser } = await setup();
  a.setRole(admin, 8, { name: 'opcua-client', permissions: ['PROCESS_READ', 'PROCESS_WRITE'] });
  addUser('scada-historian', 'historian service key 1', 8);
  const s = a.login({ user: 'scada-historian', password: 'historian service key 1', source: '10.1.1.5', iface: 2 }).session;
  assert.equal(a.authorize(s, 'PROCESS_WRITE'), true);
  assert.equal(a.authorize(s, 'CONFIG_WRITE'), false);
  assert.throws(() => a.decide(s, 40), TypeError);
  assert.equal(a.decide(s, 31), 'ERR_DENIED');
});
