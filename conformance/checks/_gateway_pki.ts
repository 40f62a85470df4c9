// CR 1.8 (public key infrastructure certificates), shown where the product
// uses a PKI: the OPC UA gateway's application certificates. Against the
// real gateway guarded by the module under test (_gateway.ts), a CA made for
// this run (_x509.ts) is trusted and its CRL installed; then node-opcua's
// client connects with SignAndEncrypt presenting certificates that
// commonly accepted practice (RFC 5280 section 6, OPC 10000-4 section 6.1.3)
// accepts or refuses: within its validity period and not revoked (accepted),
// expired, not yet valid, revoked by the CRL, issued by an unknown CA,
// issued by a trusted CA that publishes no CRL, and one naming the trusted
// CA but signed by another key (each refused, and recorded in the audit
// log with its reason). A revocation published while the gateway runs
// applies to the next channel. The gateway's own certificate must carry an
// RSA key of at least 2048 bits, a SHA-256 signature and a current validity
// period, and its private key must be readable by the gateway's user alone.

import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SecurityModeName } from '../../host/gateway/server.js';
import { outcome, type Check, type CheckContext } from './registry.js';
import { answer, readSetpoint, type GatewayBench } from './_gateway.js';
import { strongestMode, withBench, withDeployedGateway } from './_gateway_checks.js';
import { testCa, type IssuedCertificate } from './_x509.js';

interface Attempt {
  case: string;
  /** What the client saw: 'Good' (a session that read the setpoint) or the refusal. */
  client: string;
  /** The reason of the CHANNEL_REFUSED record (client certificate) the gateway wrote, or ''. */
  recorded: string;
}

/** Connects with SignAndEncrypt presenting cert; reads the setpoint when a session opens. */
async function attempt(ctx: CheckContext, b: GatewayBench, name: string, cert: IssuedCertificate, mode: SecurityModeName = 'SignAndEncrypt'): Promise<Attempt> {
  const before = b.decisions('CHANNEL_REFUSED').length;
  const s = await b.session({ mode, certificate: cert });
  let client = s.refused ?? 'Good';
  if (s.session) {
    const r = await readSetpoint(b, s.session);
    client = r.status === 'Good' && r.value === 65 ? 'Good' : `read ${r.status}`;
  }
  await answer(s.client.disconnect());
  const recorded = b.decisions('CHANNEL_REFUSED').slice(before)
    .filter((d) => d.detail.kind === 'client certificate').map((d) => String(d.detail.reason));
  ctx.log(`client certificate ${name}: ${client === 'Good' ? 'session opened, setpoint read' : `refused (${client})`}`
    + `; CHANNEL_REFUSED recorded: ${recorded.length === 0 ? 'none' : recorded.join(', ')}`);
  return { case: name, client, recorded: recorded[0] ?? '' };
}

/** The gateway's own certificate and key: what CR 1.8 asks of a certificate a product presents. */
async function ownCertificate(ctx: CheckContext, b: GatewayBench) {
  const { exploreCertificate } = await import('node-opcua-crypto');
  const info = exploreCertificate(b.gw.server.getCertificate()).tbsCertificate;
  const keyBits = info.subjectPublicKeyInfo.keyLength * 8;
  const signature = String(exploreCertificate(b.gw.server.getCertificate()).signatureAlgorithm.identifier);
  const now = Date.now();
  const current = info.validity.notBefore.getTime() <= now && now < info.validity.notAfter.getTime();
  const mode = (await stat(join(b.gw.pki.root, 'own', 'private', 'private_key.pem'))).mode & 0o777;
  ctx.log(`gateway certificate: RSA ${keyBits} bits, signature ${signature}, within its validity period: ${current ? 'yes' : 'no'}; `
    + `private key file readable by others: ${(mode & 0o077) === 0 ? 'no' : 'YES'}`);
  return { keyBits, signature, current, keyPrivate: (mode & 0o077) === 0 };
}

export const gatewayPki: Check = {
  id: 'gateway.pki',
  title: 'The OPC UA gateway operates its PKI as commonly accepted: CA trust, validity periods and revocation lists are enforced, refusals are recorded, its own key is kept private',
  requirements: ['CR 1.8'],
  kind: 'capability',
  part: 'gateway',
  remedy: 'validate client certificates against the trust list with their validity period and the issuer\'s CRL, and keep the gateway\'s private key readable by its user alone (host/gateway/pki.ts)',
  run: (ctx) => withBench(ctx, { securityModes: ['SignAndEncrypt'] }, async (b) => {
    const dir = await mkdtemp(join(tmpdir(), 'iacsec-conformance-pki-'));
    try {
      const own = await ownCertificate(ctx, b);
      const ca = await testCa('iacsec conformance CA', dir);
      const noCrlCa = await testCa('CA without a CRL', dir);
      const unknownCa = await testCa('CA nobody trusts', dir);
      const certs = {
        valid: await ca.issue('valid', { fromDays: -1, toDays: 10 }),
        expired: await ca.issue('expired', { fromDays: -10, toDays: -1 }),
        future: await ca.issue('not-yet-valid', { fromDays: 1, toDays: 10 }),
        revoked: await ca.issue('revoked', { fromDays: -1, toDays: 10 }),
        later: await ca.issue('revoked-while-running', { fromDays: -1, toDays: 10 }),
        unknownIssuer: await unknownCa.issue('unknown-issuer', { fromDays: -1, toDays: 10 }),
        noCrl: await noCrlCa.issue('issuer-without-crl', { fromDays: -1, toDays: 10 }),
        forged: await ca.issue('forged', { fromDays: -1, toDays: 10, signedBy: unknownCa }),
      };
      await b.gw.pki.trustCa(ca.der);
      await b.gw.pki.trustCa(noCrlCa.der);
      await b.gw.pki.addCrl(await ca.crl([certs.revoked.serial]));
      ctx.log(`trusted: '${ca.name}' with a CRL listing the 'revoked' certificate, and '${noCrlCa.name}' with no CRL; '${unknownCa.name}' is not trusted`);
      const runs: Attempt[] = [];
      runs.push(await attempt(ctx, b, 'valid, issued by the trusted CA', certs.valid));
      runs.push(await attempt(ctx, b, 'valid, to be revoked later', certs.later));
      runs.push(await attempt(ctx, b, 'expired', certs.expired));
      runs.push(await attempt(ctx, b, 'not yet valid', certs.future));
      runs.push(await attempt(ctx, b, 'revoked by the CRL', certs.revoked));
      runs.push(await attempt(ctx, b, 'issued by an unknown CA', certs.unknownIssuer));
      runs.push(await attempt(ctx, b, 'issued by a trusted CA that publishes no CRL', certs.noCrl));
      runs.push(await attempt(ctx, b, 'naming the trusted CA, signed by another key', certs.forged));
      await b.gw.pki.addCrl(await ca.crl([certs.revoked.serial, certs.later.serial]));
      ctx.log(`a new CRL of '${ca.name}' revokes 'valid, to be revoked later' while the gateway runs`);
      runs.push(await attempt(ctx, b, 'revoked while the gateway runs', certs.later));
      runs.push(await attempt(ctx, b, 'valid, after the new CRL', certs.valid));

      const expected: Record<string, string> = {
        'valid, issued by the trusted CA': 'Good',
        'valid, to be revoked later': 'Good',
        expired: 'BadCertificateTimeInvalid',
        'not yet valid': 'BadCertificateTimeInvalid',
        'revoked by the CRL': 'BadCertificateRevoked',
        'issued by an unknown CA': 'BadCertificateChainIncomplete',
        'issued by a trusted CA that publishes no CRL': 'BadCertificateRevocationUnknown',
        'naming the trusted CA, signed by another key': 'BadSecurityChecksFailed',
        'revoked while the gateway runs': 'BadCertificateRevoked',
        'valid, after the new CRL': 'Good',
      };
      const wrong = runs.filter((r) => expected[r.case] === 'Good'
        ? r.client !== 'Good' || r.recorded !== ''
        : r.client === 'Good' || r.recorded !== expected[r.case]);
      for (const w of wrong) ctx.log(`UNEXPECTED: ${w.case}: client ${w.client}, recorded '${w.recorded}', expected ${expected[w.case]}`);
      const ownOk = own.keyBits >= 2048 && /sha256/i.test(own.signature) && own.current && own.keyPrivate;
      const refused = runs.filter((r) => r.client !== 'Good').length;
      return outcome(wrong.length === 0 && ownOk,
        `${runs.length - refused} certificates within their validity period, issued by the trusted CA and not revoked, accepted; ${refused} refused with the expected reason and recorded; the gateway's own certificate and key meet the practice`,
        `${wrong.length} of ${runs.length} certificates answered otherwise than expected${ownOk ? '' : '; the gateway\'s own certificate or key falls short'}`,
        {
          attempts: runs.length, accepted: runs.length - refused, refused, unexpected: wrong.length,
          answers: runs.map((r) => `${r.case}: ${r.client === 'Good' ? 'accepted' : r.recorded || r.client}`).join('; '),
          ownKeyBits: own.keyBits, ownCertificateCurrent: own.current, ownPrivateKeyPrivate: own.keyPrivate,
        });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }),
};

export const profileGatewayPki: Check = {
  id: 'profile.gateway-pki',
  title: 'The deployed gateway trusts no certificate on first sight: one from a CA it does not know, or from a trusted CA whose revocation status it cannot learn, is refused',
  requirements: ['CR 1.8'],
  kind: 'profile',
  remedy: 'set gateway.acceptUnknownClients to false: trust each client certificate or its CA explicitly, with the CA\'s CRL (host/gateway/pki.ts)',
  run: (ctx) => withDeployedGateway(ctx, async (b, g) => {
    const mode = strongestMode(g.securityModes);
    if (mode === 'None') {
      return outcome(false, '', 'the deployment offers mode None only: no channel checks a certificate', { mode });
    }
    const dir = await mkdtemp(join(tmpdir(), 'iacsec-conformance-pki-'));
    try {
      const noCrlCa = await testCa('CA without a CRL', dir);
      const unknownCa = await testCa('CA nobody trusts', dir);
      await b.gw.pki.trustCa(noCrlCa.der);
      ctx.log(`trusted: '${noCrlCa.name}', which publishes no CRL; '${unknownCa.name}' is not trusted; channels of mode ${mode}`);
      const noCrl = await attempt(ctx, b, 'issued by a trusted CA that publishes no CRL', await noCrlCa.issue('issuer-without-crl', { fromDays: -1, toDays: 10 }), mode);
      const unknown = await attempt(ctx, b, 'issued by an unknown CA', await unknownCa.issue('unknown-issuer', { fromDays: -1, toDays: 10 }), mode);
      const ok = noCrl.client !== 'Good' && unknown.client !== 'Good';
      return outcome(ok, 'both refused: the deployment trusts certificates only through its trust list and CRLs',
        `accepted on first sight: ${[noCrl, unknown].filter((r) => r.client === 'Good').map((r) => r.case).join(', ')}`,
        { noCrl: noCrl.client === 'Good' ? 'accepted' : noCrl.recorded || noCrl.client, unknownIssuer: unknown.client === 'Good' ? 'accepted' : unknown.recorded || unknown.client });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }),
};
