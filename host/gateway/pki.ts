// The gateway's PKI, in its state directory (never the home directory):
//   DIR/pki/       the application PKI: own certificate and key (created on
//                  the first start, self-signed), trusted/ and rejected/
//                  client certificates, issuers, CRLs
//   DIR/user-pki/  the PKI for X.509 user tokens (none are trusted by default)
// Unknown client certificates are refused and kept in pki/rejected;
// an administrator trusts one by moving it to pki/trusted/certs (or with
// GatewayPki.trust), as OPC 10000-12 describes. A CA is trusted the same
// way (GatewayPki.trustCa): the certificates it issues are then accepted
// while they are within their validity period and its CRL (in
// pki/trusted/crl, GatewayPki.addCrl) does not list them; a CA without a
// CRL gets its certificates refused (revocation status unknown, CR 1.8).
// acceptUnknownClients (commissioning only) trusts every client
// certificate on first sight.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { OPCUACertificateManager } from 'node-opcua';

export interface GatewayPki {
  /** Where the application PKI lives. */
  root: string;
  server: OPCUACertificateManager;
  user: OPCUACertificateManager;
  /** Trusts a client application's certificate (DER). */
  trust(certificateDer: Buffer): Promise<void>;
  /** Trusts a certification authority (DER): client certificates it issues are accepted, subject to its CRL. */
  trustCa(caDer: Buffer): Promise<void>;
  /** Installs a CA's certificate revocation list (DER), replacing the one it had; it applies to the next channel. */
  addCrl(crlDer: Buffer): Promise<void>;
}

export async function openPki(stateDir: string, o: { acceptUnknownClients?: boolean } = {}): Promise<GatewayPki> {
  const root = join(stateDir, 'pki');
  const userRoot = join(stateDir, 'user-pki');
  await mkdir(root, { recursive: true, mode: 0o700 });
  await mkdir(userRoot, { recursive: true, mode: 0o700 });
  const server = new OPCUACertificateManager({ rootFolder: root, automaticallyAcceptUnknownCertificate: o.acceptUnknownClients === true, name: 'pki' });
  const user = new OPCUACertificateManager({ rootFolder: userRoot, automaticallyAcceptUnknownCertificate: false, name: 'user-pki' });
  await server.initialize();
  await user.initialize();
  return {
    root, server, user,
    async trust(der: Buffer) { await server.trustCertificate(der); },
    async trustCa(der: Buffer) { await server.addIssuer(der, false, true); },
    async addCrl(der: Buffer) {
      const st = await server.addRevocationList(der, 'trusted');
      if (st !== 'Good') throw new Error(`the CRL was refused: ${st}`);
    },
  };
}
