// Rate limiting per client address through the module's buckets (CR 7.1):
// a client flooding connections, sessions or bad logins from one address is
// refused (BadTcpServerTooBusy, BadTooManySessions, BadTooManyOperations)
// while a client on another address still connects and reads. The test's
// clock stands still during a flood, so each address gets exactly its burst:
// the counts below are exact, and no assertion depends on timing. The wall
// rates are printed, not asserted. Loops are bounded; 127.0.0.x only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect as netConnect } from 'node:net';
import { UserTokenType } from 'node-opcua';
import { startTestGateway, newClient, login, outcome, readValue, OBSERVER, OBSERVER_PW } from './_gateway.js';

const BURST = 10;
const RATE = { sourceRate: 5, sourceBurst: BURST, globalRate: 10_000, globalBurst: 10_000 };
const FLOOD = 40;

/** Whether this machine routes 127.0.0.2 to loopback (Linux does; some systems only have 127.0.0.1). */
async function secondLoopback() {
  return new Promise((resolve) => {
    const s = netConnect({ host: '127.0.0.1', port: 9, localAddress: '127.0.0.2' });
    s.once('error', (e) => resolve(e.code !== 'EADDRNOTAVAIL'));
    s.once('connect', () => { s.destroy(); resolve(true); });
  });
}

const rate = (n, ms) => `${(n / Math.max(ms, 1) * 1000).toFixed(1)}/s`;

test('a session flood from one address is throttled while a client on another address connects and reads', async (tc) => {
  if (!(await secondLoopback())) { tc.skip('127.0.0.2 is not a loopback address here'); return; }
  const t = await startTestGateway({ rateLimit: RATE });
  try {
    const SETPOINT = t.gw.nodes.setpoint.nodeId.toString();
    const flooder = await newClient(t, { localAddress: '127.0.0.2' });
    await flooder.connect(t.gw.endpointUrl); // one token: the connection
    const answers = {};
    const t0 = performance.now();
    for (let i = 0; i < FLOOD; i++) {
      const r = await outcome(flooder.createSession({ type: UserTokenType.UserName, userName: OBSERVER, password: OBSERVER_PW }).then((s) => s.close()));
      answers[r] = (answers[r] ?? 0) + 1;
    }
    const floodMs = performance.now() - t0;
    // Each session takes two tokens (CreateSession, ActivateSession) after the connection's one.
    assert.equal(answers.Good, Math.floor((BURST - 1) / 2), JSON.stringify(answers));
    assert.equal((answers.BadTooManySessions ?? 0) + (answers.BadTooManyOperations ?? 0), FLOOD - answers.Good);
    assert.ok(answers.BadTooManySessions > 0);
    // A new connection from the flooding address is refused before node-opcua sees it.
    const another = await newClient(t, { localAddress: '127.0.0.2' });
    assert.match(await outcome(another.connect(t.gw.endpointUrl)), /BadTcpServerTooBusy/);
    // Meanwhile a client on 127.0.0.1 logs in and reads.
    const { client, session } = await login(t, OBSERVER, OBSERVER_PW);
    const t1 = performance.now();
    let reads = 0;
    for (let i = 0; i < 50; i++) {
      assert.equal((await readValue(session, SETPOINT)).statusCode.name, 'Good');
      reads++;
    }
    const readMs = performance.now() - t1;
    await session.close();
    await client.disconnect();
    await flooder.disconnect();
    tc.diagnostic(`flooder (127.0.0.2): ${FLOOD} session attempts at ${rate(FLOOD, floodMs)}, ${answers.Good} served, ${FLOOD - answers.Good} refused`);
    tc.diagnostic(`other client (127.0.0.1): ${reads} reads at ${rate(reads, readMs)}, all Good`);
    // Recorded once per episode, not once per refusal.
    const limited = t.of('RATE_LIMITED').filter((d) => d.detail.source === '127.0.0.2');
    assert.equal(limited.length, 1);
    // 1 token for the connection and 2 per session: the 5th CreateSession takes the 10th, its ActivateSession is the first refused.
    assert.equal(limited[0].detail.door, 'activate_session');
    assert.ok(t.authEvents.some((e) => e.type === 'RL_SOURCE_LIMITED'), 'the module recorded the limit');
    assert.equal(t.gw.rateGuard.refused.connection, 1);
    // Time passes: the address is let through again, and the episode's end is recorded with its count.
    t.tick(10_000);
    const back = await login(t, OBSERVER, OBSERVER_PW, { localAddress: '127.0.0.2' });
    await back.session.close();
    await back.client.disconnect();
    const ended = t.of('RATE_LIMIT_ENDED').filter((d) => d.detail.source === '127.0.0.2');
    assert.equal(ended.length, 1);
    assert.equal(ended[0].detail.refused, FLOOD - answers.Good + 1);
  } finally {
    await t.stop();
  }
});

test('a bad-login flood from one address is throttled: few passwords reach the module; another address logs in', async (tc) => {
  if (!(await secondLoopback())) { tc.skip('127.0.0.2 is not a loopback address here'); return; }
  const t = await startTestGateway({ rateLimit: RATE });
  try {
    const flooder = await newClient(t, { localAddress: '127.0.0.3' });
    await flooder.connect(t.gw.endpointUrl);
    const answers = {};
    const t0 = performance.now();
    for (let i = 0; i < FLOOD; i++) {
      const r = await outcome(flooder.createSession({ type: UserTokenType.UserName, userName: OBSERVER, password: `guess ${i} of many` }));
      answers[r] = (answers[r] ?? 0) + 1;
    }
    const floodMs = performance.now() - t0;
    await flooder.disconnect();
    const checked = t.of('LOGIN_FAILED').filter((d) => d.peer.startsWith('127.0.0.3:')).length;
    assert.equal(checked, Math.floor((BURST - 1) / 2), 'only the logins inside the burst reached the module');
    assert.equal(answers.BadUserAccessDenied, checked);
    tc.diagnostic(`flooder (127.0.0.3): ${FLOOD} bad logins at ${rate(FLOOD, floodMs)}, ${checked} checked by the module, ${FLOOD - checked} refused by the rate limit`);
    const { client, session } = await login(t, OBSERVER, OBSERVER_PW);
    assert.equal((await readValue(session, t.gw.nodes.temperature.nodeId.toString())).statusCode.name, 'Good');
    await session.close();
    await client.disconnect();
  } finally {
    await t.stop();
  }
});

test("a connection flood is refused by the module before node-opcua's own limit closes anyone's channel", async (tc) => {
  if (!(await secondLoopback())) { tc.skip('127.0.0.2 is not a loopback address here'); return; }
  // node-opcua's limit (6) is above what one address may take (burst 4): it never has to close the honest channel.
  const t = await startTestGateway({ rateLimit: { ...RATE, sourceBurst: 4 }, gateway: { maxConnections: 6 } });
  try {
    // An honest client first: connected, no session yet (the kind node-opcua closes first at its limit).
    const honest = await newClient(t);
    await honest.connect(t.gw.endpointUrl);
    const flood = [];
    let refused = 0;
    for (let i = 0; i < 30; i++) {
      const c = await newClient(t, { localAddress: '127.0.0.4' });
      const r = await outcome(c.connect(t.gw.endpointUrl));
      if (r === 'Good') flood.push(c);
      else { assert.match(r, /BadTcpServerTooBusy/); refused++; }
    }
    assert.equal(flood.length, 4);
    assert.equal(refused, 26);
    tc.diagnostic(`connection flood (127.0.0.4): 30 attempts, ${flood.length} accepted, ${refused} refused with BadTcpServerTooBusy`);
    const session = await honest.createSession({ type: UserTokenType.UserName, userName: OBSERVER, password: OBSERVER_PW });
    assert.equal((await readValue(session, t.gw.nodes.temperature.nodeId.toString())).statusCode.name, 'Good');
    await session.close();
    await honest.disconnect();
    for (const c of flood) await c.disconnect();
  } finally {
    await t.stop();
  }
});

test('a slow flood (within the rate) is held to the open connections one address may have', async (tc) => {
  if (!(await secondLoopback())) { tc.skip('127.0.0.2 is not a loopback address here'); return; }
  const t = await startTestGateway({ gateway: { maxConnections: 6, maxConnectionsPerSource: 3 } });
  try {
    const honest = await newClient(t);
    await honest.connect(t.gw.endpointUrl);
    const held = [];
    let refused = 0;
    for (let i = 0; i < 12; i++) {
      const c = await newClient(t, { localAddress: '127.0.0.5' });
      const r = await outcome(c.connect(t.gw.endpointUrl));
      if (r === 'Good') held.push(c);
      else { assert.match(r, /BadTcpServerTooBusy/); refused++; }
    }
    assert.equal(held.length, 3);
    assert.equal(t.gw.rateGuard.openConnections('127.0.0.5'), 3);
    const limited = t.of('RATE_LIMITED').filter((d) => d.detail.source === '127.0.0.5');
    assert.deepEqual(limited.map((d) => d.detail.reason), ['open connections']);
    const session = await honest.createSession({ type: UserTokenType.UserName, userName: OBSERVER, password: OBSERVER_PW });
    assert.equal((await readValue(session, t.gw.nodes.temperature.nodeId.toString())).statusCode.name, 'Good', 'the honest channel was not closed');
    await session.close();
    await honest.disconnect();
    // Closing one lets the address open one more.
    await held.pop().disconnect();
    const again = await newClient(t, { localAddress: '127.0.0.5' });
    for (let i = 0; i < 50 && t.gw.rateGuard.openConnections('127.0.0.5') > 2; i++) await new Promise((r) => setTimeout(r, 20));
    await again.connect(t.gw.endpointUrl);
    held.push(again);
    for (const c of held) await c.disconnect();
    tc.diagnostic(`slow flood (127.0.0.5): 12 connections, 3 held, ${refused} refused`);
  } finally {
    await t.stop();
  }
});
