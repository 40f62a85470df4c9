// After a run, the exported audit log (DIR/audit.cbor, drained from the
// module at every save) verifies with the device key and holds every gateway
// event with its fields (CR 2.8, CR 3.9): sessions created, activated and
// closed, failed logins, the lockout, each write with user, node, old and
// new value and result, the rate-limit denial; beside the module's own
// access-control records.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { UserTokenType } from 'node-opcua';
import { verifyLog, exportItems, decodeRecord, audit } from '../../dist/host/index.js';
import { GATEWAY_EVENTS } from '../../dist/host/gateway/decisions.js';
import {
  startTestGateway, newClient, login, outcome, readValue, writeDouble, OPERATOR, OPERATOR_PW, OBSERVER, OBSERVER_PW, MessageSecurityMode, SecurityPolicy,
} from './_gateway.js';

const SECURE = { mode: MessageSecurityMode.SignAndEncrypt, policy: SecurityPolicy.Basic256Sha256 };
const dec = new TextDecoder();

test('the audit log verifies and holds every gateway event with the right fields', async (tc) => {
  const t = await startTestGateway({
    profile: { lockThreshold: 3, lockWindow: 60, lockDuration: 300 },
    rateLimit: { sourceRate: 5, sourceBurst: 10, globalRate: 10_000, globalBurst: 10_000 },
  });
  const SETPOINT = t.gw.nodes.setpoint.nodeId.toString();
  let publicKey;
  try {
    publicKey = audit(t.gw.api).devicePublicKey();
    // Writes: denied for the observer, done for the operator.
    const obs = await login(t, OBSERVER, OBSERVER_PW, SECURE);
    assert.equal((await writeDouble(obs.session, SETPOINT, 80)).name, 'BadUserAccessDenied');
    await obs.session.close();
    await obs.client.disconnect();
    t.tick(10_000);
    const op = await login(t, OPERATOR, OPERATOR_PW, SECURE);
    const old = (await readValue(op.session, SETPOINT)).value.value;
    assert.equal((await writeDouble(op.session, SETPOINT, 71.25)).name, 'Good');
    await op.session.close();
    await op.client.disconnect();
    t.tick(10_000);
    // Failed logins up to the lock.
    const c = await newClient(t);
    await c.connect(t.gw.endpointUrl);
    for (let i = 0; i < 3; i++) await outcome(c.createSession({ type: UserTokenType.UserName, userName: OBSERVER, password: `wrong ${i} again` }));
    // A flood of sessions until the rate limit refuses one (bounded).
    let refused = false;
    for (let i = 0; i < 20 && !refused; i++) {
      refused = /BadTooMany/.test(await outcome(c.createSession({ type: UserTokenType.UserName, userName: OPERATOR, password: OPERATOR_PW }).then((s) => s.close())));
    }
    assert.ok(refused, 'the rate limit refused a session');
    await c.disconnect();

    const seen = new Set(t.decisions.map((d) => d.event));
    for (const e of ['SESSION_CREATED', 'SESSION_ACTIVATED', 'SESSION_CLOSED', 'LOGIN_FAILED', 'ACCOUNT_LOCKED', 'WRITE', 'RATE_LIMITED']) assert.ok(seen.has(e), e);
    await t.gw.stop();
    assert.equal(t.gw.audit.failures, 0);

    const file = join(t.gw.stateDir, 'audit.cbor');
    const bytes = new Uint8Array(readFileSync(file));
    const v = verifyLog(bytes, { publicKey });
    assert.equal(v.ok, true, JSON.stringify(v.problem));
    assert.equal(v.provenThrough, v.lastSeq, 'every record is proven by a signed checkpoint');
    const cli = execFileSync(process.execPath, ['dist/host/cli.js', 'audit', 'verify', '--state', t.gw.stateDir], { encoding: 'utf8' });
    assert.match(cli, /VERIFIED/);

    const records = [...exportItems(bytes)].filter((i) => i.kind === 'record').map((i) => decodeRecord(i.record));
    const gateway = records.filter((r) => r.type >= 1024 && r.type <= 1035).map((r) => ({ ...r, d: JSON.parse(dec.decode(r.detail)) }));
    const byType = (name) => gateway.filter((r) => r.type === GATEWAY_EVENTS[name]);
    // Every decision reached the log, in order (the test subscribed after GATEWAY_STARTED).
    assert.equal(gateway[0].type, GATEWAY_EVENTS.GATEWAY_STARTED);
    assert.deepEqual(gateway.slice(1).map((r) => r.type), t.decisions.map((d) => GATEWAY_EVENTS[d.event]));
    for (const r of gateway) assert.equal(r.iface, 'opcua');

    const [denied, done] = byType('WRITE');
    assert.deepEqual([denied.subject, denied.outcome, denied.category, denied.d.node, denied.d.old, denied.d.new, denied.d.result],
      [OBSERVER, 'denied', 'control_system_event', SETPOINT, old, 80, 'BadUserAccessDenied']);
    assert.deepEqual([done.subject, done.outcome, done.d.old, done.d.new, done.d.result], [OPERATOR, 'success', old, 71.25, 'Good']);
    assert.match(done.peer, /^127\.0\.0\.1:\d+$/);

    const activated = byType('SESSION_ACTIVATED');
    assert.deepEqual(activated.slice(0, 2).map((r) => [r.subject, r.d.securityMode]), [[OBSERVER, 'SignAndEncrypt'], [OPERATOR, 'SignAndEncrypt']]);
    assert.ok(byType('SESSION_CREATED').length >= activated.length);
    assert.ok(byType('SESSION_CLOSED').some((r) => r.subject === OPERATOR && r.d.module === 'logged out'));
    const failed = byType('LOGIN_FAILED');
    assert.deepEqual(failed.slice(0, 3).map((r) => [r.subject, r.outcome, r.d.reason]), Array(3).fill([OBSERVER, 'denied', 'ERR_AUTH']));
    assert.deepEqual(byType('ACCOUNT_LOCKED').map((r) => [r.subject, r.d.lock]), [[OBSERVER, 'account']]);
    const limited = byType('RATE_LIMITED');
    assert.equal(limited.length, 1);
    assert.equal(limited[0].category, 'potential_reconnaissance');
    assert.equal(limited[0].d.source, '127.0.0.1');
    assert.deepEqual(byType('GATEWAY_STOPPED').length, 1);
    // The module's own records sit in the same chain.
    const moduleNames = new Set(records.map((r) => r.typeName).filter(Boolean));
    for (const n of ['LOGIN_OK', 'LOGIN_FAILED', 'ACCOUNT_LOCKED', 'AUTHZ_DENIED', 'RL_SOURCE_LIMITED']) assert.ok(moduleNames.has(n), n);
    tc.diagnostic(`${records.length} records, ${gateway.length} from the gateway, proven through ${v.provenThrough}`);
  } finally {
    await t.stop();
  }
});
