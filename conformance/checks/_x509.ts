// A certification authority made for one check run (CR 1.8): an RSA-2048 CA
// certificate, application certificates it issues with the validity period a
// case needs, and certificate revocation lists (RFC 5280 section 5), all
// built with node-opcua-crypto, the X.509 code node-opcua itself verifies
// with. Keys are new on every run; the checks' evidence never names a key,
// a serial or a date, only what each certificate is and how it was answered.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

type Crypto = typeof import('node-opcua-crypto');
type X509Certificate = Awaited<ReturnType<Crypto['createSelfSignedCertificate']>>['der'];

const DAY_MS = 86_400_000;
const SIGNING = { name: 'RSASSA-PKCS1-v1_5', hash: { name: 'SHA-256' } } as const;

export interface IssuedCertificate {
  /** The certificate, DER. */
  der: Buffer;
  /** Paths of the PEM certificate and PKCS #8 private key, for an OPC UA client. */
  certificateFile: string;
  privateKeyFile: string;
  applicationUri: string;
  serial: string;
}

export interface IssueOptions {
  /** Days from now (negative: in the past) of notBefore and notAfter. */
  fromDays: number;
  toDays: number;
  /** Sign with this CA's key while naming another issuer (a forged certificate). */
  signedBy?: TestCa;
}

export interface TestCa {
  name: string;
  der: Buffer;
  cert: X509Certificate;
  key: CryptoKey;
  /** A certificate of an application of that name, issued by this CA (or forged, see signedBy). */
  issue(app: string, o: IssueOptions): Promise<IssuedCertificate>;
  /** A CRL of this CA listing these serials, DER (crlNumber raised at each call). */
  crl(revokedSerials: readonly string[]): Promise<Buffer>;
}

let serials = 0x1000;

/** A self-signed CA; certificates and keys go to files under dir. */
export async function testCa(name: string, dir: string, crypto?: Crypto): Promise<TestCa> {
  const c = crypto ?? await import('node-opcua-crypto');
  const now = Date.now();
  const keys = await c.generateKeyPair(2048);
  const self = await c.createSelfSignedCertificate({
    privateKey: keys.privateKey, subject: `/CN=${name}/O=iacsec conformance`,
    purpose: c.CertificatePurpose.ForCertificateAuthority, notBefore: new Date(now - DAY_MS), validity: 30,
  });
  let crlNumber = 0;
  const ca: TestCa = {
    name, der: Buffer.from(self.der.rawData), cert: self.der, key: keys.privateKey,
    async issue(app, o) {
      const leaf = await c.generateKeyPair(2048);
      const applicationUri = `urn:iacsec:conformance:${app}`;
      const csr = await c.createCertificateSigningRequest({
        privateKey: leaf.privateKey, subject: `/CN=${app}/O=iacsec conformance`, applicationUri, dns: ['localhost'],
        purpose: c.CertificatePurpose.ForApplication,
      });
      const serial = (serials++).toString(16);
      const signer = o.signedBy ?? ca;
      const cert = await c.createCertificateFromCsr({
        csr: csr.csr, issuerName: ca.cert.subjectName, issuerPublicKey: ca.cert.publicKey,
        signingKey: signer.key, signingAlgorithm: SIGNING, serialNumber: serial,
        notBefore: new Date(now + o.fromDays * DAY_MS), notAfter: new Date(now + o.toDays * DAY_MS),
        purpose: c.CertificatePurpose.ForApplication, applicationUri, dns: ['localhost'],
      });
      const der = Buffer.from(cert.der);
      const certificateFile = join(dir, `${app}.pem`);
      const privateKeyFile = join(dir, `${app}.key.pem`);
      await writeFile(certificateFile, c.toPem(der, 'CERTIFICATE'));
      await writeFile(privateKeyFile, (await c.privateKeyToPEM(leaf.privateKey)).privPem, { mode: 0o600 });
      return { der, certificateFile, privateKeyFile, applicationUri, serial };
    },
    async crl(revokedSerials) {
      const out = await c.createCrl({
        issuerName: ca.cert.subjectName, issuerPublicKey: ca.cert.publicKey, signingKey: keys.privateKey,
        signingAlgorithm: SIGNING, crlNumber: ++crlNumber, thisUpdate: new Date(Date.now() - 60_000),
        entries: revokedSerials.map((serialNumber) => ({ serialNumber })),
      });
      return Buffer.from(out.der);
    },
  };
  return ca;
}
