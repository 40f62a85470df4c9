// The gateway's PKI (CR 1.8): a CA trusted as an operator installs it (its
// certificate in DIR/pki/trusted/certs, its CRL in DIR/pki/trusted/crl) or
// through GatewayPki at run time; client certificates it issues are accepted
// within their validity period and refused once revoked, expired, not yet
// valid, or when the CA publishes no CRL; each refusal is recorded with its
// reason. Real certificates (RSA-2048, node-opcua-crypto), real client.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testCa } from '../../dist/conformance/checks/_x509.js';
import {
  startTestGateway, login, newClient, outcome, readValue, OPERATOR, OPERATOR_PW, MessageSecurityMode, SecurityPolicy,
} from './_gateway.js';

const SECURE = { mode: MessageSecurityMode.SignAndEncrypt, policy: SecurityPolicy.Basic256Sha256 };

/** Opens a session with this client certificate; 'Good' once the setpoint reads, or the refusal. */
async function tryCertificate(t, certificate) {
  const before = t.of('CHANNEL_REFUSED').length;
  const got = await outcome((async () => {
    const { session } = await login(t, OPERATOR, OPERATOR_PW, { ...SECURE, certificate });
    const dv = await readValue(session, t.gw.nodes.setpoint.nodeId);
    assert.equal(dv.statusCode.name, 'Good');
  })());
  const recorded = t.of('CHANNEL_REFUSED').slice(before).filter((d) => d.detail.kind === 'client certificate').map((d) => d.detail.reason);
  return { got, recorded };
}

test('a CA trusted through the state directory: its certificates are accepted until its CRL revokes them', async () => {
  const work = await mkdtemp(join(tmpdir(), 'iacsec-pki-test-'));
  const ca = await testCa('operator CA', work);
  const valid = await ca.issue('line-3-hmi', { fromDays: -1, toDays: 30 });
  const revoked = await ca.issue('stolen-laptop', { fromDays: -1, toDays: 30 });
  const t = await startTestGateway({
    gateway: { securityModes: ['SignAndEncrypt'] },
    async beforeStart(stateDir) {
      await mkdir(join(stateDir, 'pki', 'trusted', 'certs'), { recursive: true });
      await mkdir(join(stateDir, 'pki', 'trusted', 'crl'), { recursive: true });
      await writeFile(join(stateDir, 'pki', 'trusted', 'certs', 'operator-ca.der'), ca.der);
      await writeFile(join(stateDir, 'pki', 'trusted', 'crl', 'operator-ca.crl'), await ca.crl([revoked.serial]));
    },
  });
  try {
    assert.deepEqual(await tryCertificate(t, valid), { got: 'Good', recorded: [] });
    const r = await tryCertificate(t, revoked);
    assert.notEqual(r.got, 'Good');
    assert.deepEqual(r.recorded, ['BadCertificateRevoked']);
  } finally {
    await t.stop();
    await rm(work, { recursive: true, force: true });
  }
});

test('trust and revocation at run time: validity periods, a revocation applies to the next channel, a CA without a CRL is refused', async () => {
  const work = await mkdtemp(join(tmpdir(), 'iacsec-pki-test-'));
  const t = await startTestGateway({ gateway: { securityModes: ['SignAndEncrypt'] } });
  try {
    const ca = await testCa('site CA', work);
    const silent = await testCa('CA without a CRL', work);
    const certs = {
      valid: await ca.issue('scada', { fromDays: -1, toDays: 30 }),
      expired: await ca.issue('old-hmi', { fromDays: -30, toDays: -1 }),
      pending: await ca.issue('new-hmi', { fromDays: 2, toDays: 30 }),
      noCrl: await silent.issue('vendor-tool', { fromDays: -1, toDays: 30 }),
    };
    // Before its CA is trusted, a CA-issued certificate has no chain to a trust anchor.
    assert.deepEqual((await tryCertificate(t, certs.valid)).recorded, ['BadCertificateChainIncomplete']);
    await t.gw.pki.trustCa(ca.der);
    await t.gw.pki.trustCa(silent.der);
    await t.gw.pki.addCrl(await ca.crl([]));
    assert.equal((await tryCertificate(t, certs.valid)).got, 'Good');
    assert.deepEqual((await tryCertificate(t, certs.expired)).recorded, ['BadCertificateTimeInvalid']);
    assert.deepEqual((await tryCertificate(t, certs.pending)).recorded, ['BadCertificateTimeInvalid']);
    assert.deepEqual((await tryCertificate(t, certs.noCrl)).recorded, ['BadCertificateRevocationUnknown']);
    await t.gw.pki.addCrl(await ca.crl([certs.valid.serial]));
    const after = await tryCertificate(t, certs.valid);
    assert.notEqual(after.got, 'Good');
    assert.deepEqual(after.recorded, ['BadCertificateRevoked']);
    // A CRL is parsed before it is installed.
    await assert.rejects(t.gw.pki.addCrl(Buffer.from('not a CRL')));
  } finally {
    await t.stop();
    await rm(work, { recursive: true, force: true });
  }
});
