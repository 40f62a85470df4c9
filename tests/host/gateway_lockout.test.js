// Lockout through the gateway (CR 1.11): the account locks after the
// configured failures, the right password then gets the same refusal, the
// lock and each failure are recorded, and the lock ends after its period
// (the module's clock is the test's).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UserTokenType } from 'node-opcua';
import { startTestGateway, newClient, outcome, readValue, OBSERVER, OBSERVER_PW, ADMIN, ADMIN_PW, GENEROUS_RATE } from './_gateway.js';

test('locked after 3 failures within the window; the right password is refused the same way; unlocked after 300 s', async () => {
  const t = await startTestGateway({ profile: { lockThreshold: 3, lockWindow: 60, lockDuration: 300 } });
  try {
    const client = await newClient(t);
    await client.connect(t.gw.endpointUrl);
    const attempt = (password) => outcome(client.createSession({ type: UserTokenType.UserName, userName: OBSERVER, password }));
    for (let i = 0; i < 3; i++) {
      assert.equal(await attempt(`wrong guess number ${i}`), 'BadUserAccessDenied');
      t.tick(1000);
    }
    const locks = t.of('ACCOUNT_LOCKED');
    assert.equal(locks.length, 1, 'the lock is recorded once');
    assert.deepEqual([locks[0].subject, locks[0].detail.lock, locks[0].outcome], [OBSERVER, 'account', 'denied']);
    assert.ok(t.authEvents.some((e) => e.type === 'ACCOUNT_LOCKED' && e.subject === OBSERVER), 'and by the module');
    // Locked: the right password gets the same answer as a wrong one.
    assert.equal(await attempt(OBSERVER_PW), 'BadUserAccessDenied');
    assert.equal(t.of('LOGIN_FAILED').at(-1).detail.reason, 'ERR_AUTH');
    assert.ok(t.authEvents.some((e) => e.type === 'LOGIN_ACCOUNT_LOCKED'));
    t.tick(300_000 - 2000);
    assert.equal(await attempt(OBSERVER_PW), 'BadUserAccessDenied', 'not before the period ends');
    t.tick(2000);
    const session = await client.createSession({ type: UserTokenType.UserName, userName: OBSERVER, password: OBSERVER_PW });
    assert.equal((await readValue(session, t.gw.nodes.temperature.nodeId.toString())).statusCode.name, 'Good');
    await session.close();
    await client.disconnect();
    assert.ok(t.authEvents.some((e) => e.type === 'ACCOUNT_LOCK_EXPIRED' && e.subject === OBSERVER));
    assert.equal(t.of('LOGIN_FAILED').length, 5);
  } finally {
    await t.stop();
  }
});

test('the lock survives a restart of the gateway: the failure count is in the sealed state', async () => {
  const t = await startTestGateway({ profile: { lockThreshold: 2, lockWindow: 60, lockDuration: 0 } });
  const { startGateway } = await import('../../dist/host/gateway/server.js');
  try {
    const client = await newClient(t);
    await client.connect(t.gw.endpointUrl);
    for (let i = 0; i < 2; i++) await outcome(client.createSession({ type: UserTokenType.UserName, userName: OBSERVER, password: 'not it at all' }));
    await client.disconnect();
    const stateDir = t.gw.stateDir;
    await t.gw.stop();
    const again = await startGateway({ host: '127.0.0.1', port: 0, stateDir, clock: () => t.clock.now, securityModes: ['None', 'Sign', 'SignAndEncrypt'] });
    try {
      await again.auth.transaction((a) => {
        const { session } = a.login({ user: ADMIN, password: ADMIN_PW, source: 'console', iface: 0 });
        again.rl.configure(session, GENEROUS_RATE);
        a.logout(session);
      });
      const c2 = await newClient({ ...t, gw: again });
      await c2.connect(again.endpointUrl);
      t.tick(10 * 86_400_000);
      assert.equal(await outcome(c2.createSession({ type: UserTokenType.UserName, userName: OBSERVER, password: OBSERVER_PW })), 'BadUserAccessDenied',
        'locked until an administrator unlocks, also after a restart and ten days');
      await c2.disconnect();
    } finally {
      await again.stop();
    }
  } finally {
    await t.stop();
  }
});
