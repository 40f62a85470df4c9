// The OPC UA gateway end to end with node-opcua's client: logins over None
// and SignAndEncrypt through the module, the same refusal for an unknown
// user and a wrong password (CR 1.10), the observer's write denied and the
// operator's write done, both recorded with old and new values (CR 2.1,
// CR 2.8), an untrusted client certificate refused (CR 3.1), a second factor
// appended to the password (CR 1.1 RE2), and a temporary password that must
// be changed first (CR 1.5).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { UserTokenType } from 'node-opcua';
import {
  startTestGateway, newClient, login, outcome, readValue, writeDouble, MessageSecurityMode, SecurityPolicy,
  ADMIN, ADMIN_PW, OPERATOR, OPERATOR_PW, OBSERVER, OBSERVER_PW,
} from './_gateway.js';

let t;
let SETPOINT;
let TEMPERATURE;
before(async () => {
  t = await startTestGateway();
  SETPOINT = t.gw.nodes.setpoint.nodeId.toString();
  TEMPERATURE = t.gw.nodes.temperature.nodeId.toString();
});
after(async () => { await t.stop(); });

const SECURE = { mode: MessageSecurityMode.SignAndEncrypt, policy: SecurityPolicy.Basic256Sha256 };

test('the endpoints offer None and Basic256Sha256 Sign / SignAndEncrypt only, and user-name tokens only (no anonymous access)', async () => {
  const client = await newClient(t);
  await client.connect(t.gw.endpointUrl);
  const endpoints = await client.getEndpoints();
  await client.disconnect();
  const offered = endpoints.map((e) => `${e.securityPolicyUri.split('#')[1]}/${MessageSecurityMode[e.securityMode]}`).sort();
  assert.deepEqual(offered, ['Basic256Sha256/Sign', 'Basic256Sha256/SignAndEncrypt', 'None/None']);
  for (const e of endpoints) {
    for (const tok of e.userIdentityTokens) {
      assert.equal(tok.tokenType, UserTokenType.UserName, 'no anonymous and no certificate user tokens');
      assert.ok(!tok.securityPolicyUri || tok.securityPolicyUri.endsWith('#Basic256Sha256'), `token policy ${tok.securityPolicyUri}`);
    }
  }
});

test('a good login reads over None and over SignAndEncrypt', async () => {
  for (const options of [{}, SECURE]) {
    const { client, session } = await login(t, OBSERVER, OBSERVER_PW, options);
    const dv = await readValue(session, TEMPERATURE);
    assert.equal(dv.statusCode.name, 'Good');
    assert.equal(typeof dv.value.value, 'number');
    await session.close();
    await client.disconnect();
  }
  const activated = t.of('SESSION_ACTIVATED').filter((d) => d.subject === OBSERVER);
  assert.deepEqual(activated.map((d) => d.detail.securityMode), ['None', 'SignAndEncrypt']);
  const closed = t.of('SESSION_CLOSED').filter((d) => d.subject === OBSERVER);
  assert.equal(closed.length, 2);
  assert.ok(closed.every((d) => d.detail.module === 'logged out'), 'each OPC UA session close ends its module session');
});

test('a wrong password and an unknown user get the same answer (CR 1.10); both are recorded', async () => {
  const answers = [];
  for (const [user, pw] of [[OBSERVER, 'not the password at all'], ['nobody-here', OBSERVER_PW]]) {
    const client = await newClient(t);
    await client.connect(t.gw.endpointUrl);
    answers.push(await outcome(client.createSession({ type: UserTokenType.UserName, userName: user, password: pw })));
    await client.disconnect();
  }
  assert.equal(answers[0], 'BadUserAccessDenied');
  assert.equal(answers[1], answers[0]);
  const failed = t.of('LOGIN_FAILED').slice(-2);
  assert.deepEqual(failed.map((d) => [d.subject, d.detail.reason]), [[OBSERVER, 'ERR_AUTH'], ['nobody-here', 'ERR_AUTH']]);
  assert.ok(failed.every((d) => /^127\.0\.0\.1:\d+$/.test(d.peer)), 'the peer address is recorded');
});

test('an untrusted client certificate is refused on SignAndEncrypt and kept for the administrator', async () => {
  const other = await startTestGateway();
  try {
    const client = await newClient(other, { ...SECURE, trusted: false });
    const r = await outcome(client.connect(other.gw.endpointUrl));
    assert.notEqual(r, 'Good');
    await client.disconnect();
    assert.equal(await other.gw.pki.server.isCertificateTrusted(client.getCertificate()), 'BadCertificateUntrusted');
    const refusal = other.of('CHANNEL_REFUSED').at(-1);
    assert.deepEqual([refusal?.detail.kind, refusal?.detail.reason], ['client certificate', 'BadCertificateUntrusted'], 'the refusal is recorded');
    assert.equal(refusal.detail.thumbprint, createHash('sha1').update(client.getCertificate()).digest('hex'));
    const rejected = await readdir(join(other.gw.pki.root, 'rejected'));
    assert.equal(rejected.length, 1, 'the refused certificate waits in pki/rejected');
    // Trusted by the administrator, the same client connects.
    await other.gw.pki.trust(client.getCertificate());
    await client.connect(other.gw.endpointUrl);
    await client.disconnect();
  } finally {
    await other.stop();
  }
});

test("an observer's write of the setpoint is denied with BadUserAccessDenied and recorded", async () => {
  const { client, session } = await login(t, OBSERVER, OBSERVER_PW, SECURE);
  const before = (await readValue(session, SETPOINT)).value.value;
  const st = await writeDouble(session, SETPOINT, before + 5);
  assert.equal(st.name, 'BadUserAccessDenied');
  assert.equal((await readValue(session, SETPOINT)).value.value, before, 'nothing changed');
  await session.close();
  await client.disconnect();
  const w = t.of('WRITE').at(-1);
  assert.equal(w.subject, OBSERVER);
  assert.equal(w.outcome, 'denied');
  assert.deepEqual([w.detail.node, w.detail.name, w.detail.old, w.detail.new, w.detail.result, w.detail.module],
    [SETPOINT, 'Setpoint', before, before + 5, 'BadUserAccessDenied', 'ERR_DENIED']);
  assert.ok(t.authEvents.some((e) => e.type === 'AUTHZ_DENIED' && e.actor === OBSERVER), 'the module recorded the denial');
});

test("an operator's write succeeds and is recorded with the old and new value; out of range is refused", async () => {
  const { client, session } = await login(t, OPERATOR, OPERATOR_PW, SECURE);
  const before = (await readValue(session, SETPOINT)).value.value;
  assert.equal((await writeDouble(session, SETPOINT, 72.5)).name, 'Good');
  assert.equal((await readValue(session, SETPOINT)).value.value, 72.5);
  assert.equal((await writeDouble(session, SETPOINT, 500)).name, 'BadOutOfRange');
  assert.equal((await writeDouble(session, TEMPERATURE, 1)).name, 'BadUserAccessDenied', 'no role may write a process value');
  await session.close();
  await client.disconnect();
  const [ok, range, ro] = t.of('WRITE').slice(-3);
  assert.deepEqual([ok.subject, ok.outcome, ok.detail.old, ok.detail.new, ok.detail.result], [OPERATOR, 'success', before, 72.5, 'Good']);
  assert.deepEqual([range.outcome, range.detail.old, range.detail.new, range.detail.result], ['failure', 72.5, 500, 'BadOutOfRange']);
  assert.equal(ro.detail.name, 'Temperature');
  assert.notEqual(ro.outcome, 'success');
});

test('a role that needs a second factor: the code appended to the password after "#"; without it, the same refusal', async () => {
  await t.gw.auth.transaction((a) => a.setRole(t.admin, 5, { name: 'remote-operator', permissions: ['PROCESS_READ', 'PROCESS_OPERATE'], mfaRequired: true }));
  const PW = 'control room east 4';
  await t.addUser('mara', PW, 2);
  // The administrator gives mara the role and enrols her TOTP; her first login with a code confirms it.
  const e = await t.gw.auth.transaction((a) => {
    a.modifyUser(t.admin, 'mara', { role: 5 });
    return a.enrollTotp(t.admin, { user: 'mara' });
  });
  const code = (offset = 0) => t.gw.auth.totpCode(e.secret, { time: Math.floor(t.clock.now / 1000) + offset });
  const client = await newClient(t, SECURE);
  await client.connect(t.gw.endpointUrl);
  assert.equal(await outcome(client.createSession({ type: UserTokenType.UserName, userName: 'mara', password: PW })), 'BadUserAccessDenied');
  assert.equal(t.of('LOGIN_FAILED').at(-1).detail.reason, 'ERR_MFA_REQUIRED');
  const wrong = String((Number(code()) + 1) % 1_000_000).padStart(6, '0');
  assert.equal(await outcome(client.createSession({ type: UserTokenType.UserName, userName: 'mara', password: `${PW}#${wrong}` })), 'BadUserAccessDenied');
  assert.equal(t.of('LOGIN_FAILED').at(-1).detail.reason, 'ERR_AUTH', 'a wrong code counts as a failure');
  const session = await client.createSession({ type: UserTokenType.UserName, userName: 'mara', password: `${PW}#${code()}` });
  assert.equal((await writeDouble(session, SETPOINT, 66)).name, 'Good');
  await session.close();
  // The same code twice is refused (RFC 6238 section 5.2: each code once).
  assert.equal(await outcome(client.createSession({ type: UserTokenType.UserName, userName: 'mara', password: `${PW}#${code()}` })), 'BadUserAccessDenied');
  await client.disconnect();
});

test('a temporary password: the session may only call ChangePassword (CR 1.5), then it works', async () => {
  const TEMP = 'temporary given passphrase 2';
  const NEW = 'boiler room west 3';
  await t.gw.auth.transaction((a) => a.addUser(t.admin, { user: 'tess', password: TEMP, role: 2 }));
  const { client, session } = await login(t, 'tess', TEMP, SECURE);
  assert.equal(t.of('SESSION_ACTIVATED').at(-1).detail.mustChangePassword, true);
  assert.equal((await readValue(session, TEMPERATURE)).statusCode.name, 'BadUserAccessDenied');
  assert.equal((await writeDouble(session, SETPOINT, 60)).name, 'BadUserAccessDenied');
  const call = (oldPw, newPw) => session.call({
    objectId: 'ns=2;s=Gateway', methodId: 'ns=2;s=Gateway.ChangePassword',
    inputArguments: [{ dataType: 'String', value: oldPw }, { dataType: 'String', value: newPw }],
  });
  assert.equal((await call(TEMP, 'password')).statusCode.name, 'BadInvalidArgument', 'the policy refuses a weak one');
  assert.equal((await call(TEMP, NEW)).statusCode.name, 'Good');
  assert.equal((await readValue(session, TEMPERATURE)).statusCode.name, 'Good');
  assert.equal((await writeDouble(session, SETPOINT, 61)).name, 'Good');
  await session.close();
  await client.disconnect();
  const changes = t.of('PASSWORD_CHANGED').filter((d) => d.subject === 'tess');
  assert.deepEqual(changes.map((d) => d.detail.result), ['BadInvalidArgument', 'Good']);
  // The new password works from a fresh connection; the temporary one no longer does.
  const again = await login(t, 'tess', NEW);
  await again.session.close();
  await again.client.disconnect();
});

test('the administrator role maps to every OPC UA role it has permissions for', async () => {
  const { client, session } = await login(t, ADMIN, ADMIN_PW);
  await session.close();
  await client.disconnect();
  const roles = t.of('SESSION_ACTIVATED').at(-1).detail.roles.split(' ');
  for (const id of ['ns=0;i=15680', 'ns=0;i=15668', 'ns=0;i=16036', 'ns=0;i=15704', 'ns=0;i=15716']) assert.ok(roles.includes(id), id);
});

test("the module session's idle lock holds (CR 2.5): reads refused until the client activates the session again", async () => {
  const { client, session } = await login(t, OBSERVER, OBSERVER_PW);
  assert.equal((await readValue(session, TEMPERATURE)).statusCode.name, 'Good');
  t.tick(901_000); // past the profile's idleLock (900 s)
  assert.equal((await readValue(session, TEMPERATURE)).statusCode.name, 'BadUserAccessDenied');
  assert.ok(t.authEvents.some((e) => e.type === 'SESSION_LOCKED' && e.subject === OBSERVER), 'the module locked the idle session');
  // ActivateSession again on the same OPC UA session: a new login, a new module session.
  await client.changeSessionIdentity(session, { type: UserTokenType.UserName, userName: OBSERVER, password: OBSERVER_PW });
  assert.equal((await readValue(session, TEMPERATURE)).statusCode.name, 'Good');
  await session.close();
  await client.disconnect();
});
