// Signing keys on the host: generation, key files, COSE_Key (RFC 9052
// section 7) and SPKI PEM. The module never signs manifests; suppliers and
// asset owners do, with these keys, on their own machines.
//
// Files written by `iacsec keygen -o NAME`:
//   NAME.key       private key, mode 0600: a JSON Web Key (RFC 7517) with its
//                  private part: {"kty":"OKP","crv":"Ed25519","d","x"} (RFC 8037)
//                  or {"kty":"EC","crv":"P-256","d","x","y"} (RFC 7518 6.2),
//                  values base64url without padding, plus "alg" ("EdDSA" or
//                  "ES256") and "kid" (the COSE key id, lowercase hex).
//   NAME.pub.pem   public key, SubjectPublicKeyInfo PEM (RFC 5280 / RFC 8410).
//   NAME.cose_key  public key as a COSE_Key map (deterministic CBOR):
//                  {1: kty (1 OKP / 2 EC2), 2: kid, 3: alg (-8 / -7),
//                   -1: crv (6 Ed25519 / 1 P-256), -2: x, -3: y (EC2 only)}.
// Default kid: the first 8 bytes of SHA-256 over the raw public key (Ed25519:
// the 32-byte encoding; P-256: the 65-byte uncompressed SEC1 point 04||x||y).

import { createHash, createPublicKey } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { cborDecode, cborEncode } from './cbor.js';

export type KeyAlg = 'ed25519' | 'p256';

/** COSE algorithm ids (RFC 9053): EdDSA -8, ES256 -7. */
export const COSE_ALG = { ed25519: -8, p256: -7 } as const;
export type CoseAlg = (typeof COSE_ALG)[KeyAlg];

export interface PublicKeyInfo {
  alg: KeyAlg;
  /** Ed25519: 32 bytes; P-256: 65-byte uncompressed SEC1 point. */
  publicKey: Uint8Array;
  kid: Uint8Array;
}

export interface PrivateKeyInfo extends PublicKeyInfo {
  /** Ed25519: the 32-byte seed (RFC 8032); P-256: the 32-byte scalar. */
  secretKey: Uint8Array;
}

const b64u = (b: Uint8Array) => Buffer.from(b).toString('base64url');
const unb64u = (s: unknown, what: string): Uint8Array => {
  if (typeof s !== 'string' || !/^[A-Za-z0-9_-]*$/.test(s)) throw new Error(`${what}: not base64url`);
  return new Uint8Array(Buffer.from(s, 'base64url'));
};
export const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');
export function fromHex(s: string, what: string): Uint8Array {
  if (!/^([0-9a-fA-F]{2})*$/.test(s)) throw new Error(`${what}: not an even-length hex string`);
  return new Uint8Array(Buffer.from(s, 'hex'));
}

export function coseAlgOf(alg: KeyAlg): CoseAlg {
  return COSE_ALG[alg];
}

export function keyAlgOfCose(alg: number): KeyAlg {
  if (alg === -8) return 'ed25519';
  if (alg === -7) return 'p256';
  throw new Error(`COSE algorithm ${alg} is not supported (EdDSA -8 or ES256 -7)`);
}

/** The default key id: first 8 bytes of SHA-256 over the raw public key. */
export function defaultKid(publicKey: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(publicKey).digest().subarray(0, 8));
}

/** A P-256 public key in uncompressed SEC1 form (accepts compressed or uncompressed). */
function p256Uncompressed(pk: Uint8Array): Uint8Array {
  return p256.Point.fromBytes(pk).toBytes(false);
}

function checkKid(kid: Uint8Array): Uint8Array {
  if (kid.byteLength < 1 || kid.byteLength > 32) throw new Error(`kid must be 1 to 32 bytes (got ${kid.byteLength})`);
  return kid;
}

export function generateKey(alg: KeyAlg, kid?: Uint8Array): PrivateKeyInfo {
  if (alg === 'ed25519') {
    const secretKey = ed25519.utils.randomSecretKey();
    const publicKey = ed25519.getPublicKey(secretKey);
    return { alg, secretKey, publicKey, kid: checkKid(kid ?? defaultKid(publicKey)) };
  }
  if (alg === 'p256') {
    const secretKey = p256.utils.randomSecretKey();
    const publicKey = p256.getPublicKey(secretKey, false);
    return { alg, secretKey, publicKey, kid: checkKid(kid ?? defaultKid(publicKey)) };
  }
  throw new Error(`unknown key algorithm '${String(alg)}' (ed25519 or p256)`);
}

/** Signs message bytes: Ed25519 (RFC 8032), or ECDSA P-256 over SHA-256(message) as raw r||s (64 bytes). */
export function signBytes(key: PrivateKeyInfo, message: Uint8Array): Uint8Array {
  if (key.alg === 'ed25519') return ed25519.sign(message, key.secretKey);
  return p256.sign(message, key.secretKey, { prehash: true, format: 'compact' });
}

function jwkOf(key: PublicKeyInfo | PrivateKeyInfo, withPrivate: boolean): Record<string, string> {
  const d: Record<string, string> = withPrivate && 'secretKey' in key ? { d: b64u(key.secretKey) } : {};
  if (key.alg === 'ed25519') return { kty: 'OKP', crv: 'Ed25519', ...d, x: b64u(key.publicKey) };
  const pk = p256Uncompressed(key.publicKey);
  return { kty: 'EC', crv: 'P-256', ...d, x: b64u(pk.subarray(1, 33)), y: b64u(pk.subarray(33, 65)) };
}

/** The private key file (JSON, see the header of this file). */
export function privateKeyJson(key: PrivateKeyInfo): string {
  const jwk = { ...jwkOf(key, true), alg: key.alg === 'ed25519' ? 'EdDSA' : 'ES256', kid: toHex(key.kid) };
  return `${JSON.stringify(jwk, null, 2)}\n`;
}

export function publicKeyPem(key: PublicKeyInfo): string {
  return createPublicKey({ key: jwkOf(key, false), format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
}

/** COSE_Key (RFC 9052 section 7, RFC 9053 sections 7.1 and 7.2), deterministic CBOR. */
export function coseKeyEncode(key: PublicKeyInfo): Uint8Array {
  const m = new Map<number, unknown>();
  if (key.alg === 'ed25519') {
    m.set(1, 1).set(2, key.kid).set(3, -8).set(-1, 6).set(-2, key.publicKey);
  } else {
    const pk = p256Uncompressed(key.publicKey);
    m.set(1, 2).set(2, key.kid).set(3, -7).set(-1, 1).set(-2, pk.slice(1, 33)).set(-3, pk.slice(33, 65));
  }
  return cborEncode(m);
}

function bstrField(m: Map<unknown, unknown>, label: number, what: string): Uint8Array {
  const v = m.get(label);
  if (!(v instanceof Uint8Array)) throw new Error(`COSE_Key: ${what} (label ${label}) missing or not a byte string`);
  return new Uint8Array(v);
}

export function coseKeyDecode(bytes: Uint8Array): PublicKeyInfo {
  const m = cborDecode(bytes);
  if (!(m instanceof Map)) throw new Error('COSE_Key: not a CBOR map');
  const kty = m.get(1);
  const crv = m.get(-1);
  const alg = m.get(3);
  const x = bstrField(m, -2, 'x');
  const kidValue = m.get(2);
  if (kty === 1 && crv === 6) {
    if (alg !== undefined && alg !== -8) throw new Error(`COSE_Key: OKP Ed25519 key with alg ${String(alg)}`);
    if (x.byteLength !== 32) throw new Error('COSE_Key: Ed25519 x must be 32 bytes');
    ed25519.Point.fromBytes(x);
    const kid = kidValue instanceof Uint8Array ? new Uint8Array(kidValue) : defaultKid(x);
    return { alg: 'ed25519', publicKey: x, kid: checkKid(kid) };
  }
  if (kty === 2 && crv === 1) {
    if (alg !== undefined && alg !== -7) throw new Error(`COSE_Key: EC2 P-256 key with alg ${String(alg)}`);
    const y = bstrField(m, -3, 'y');
    if (x.byteLength !== 32 || y.byteLength !== 32) throw new Error('COSE_Key: P-256 x and y must be 32 bytes');
    const pk = new Uint8Array(65);
    pk[0] = 4; pk.set(x, 1); pk.set(y, 33);
    p256.Point.fromBytes(pk);
    const kid = kidValue instanceof Uint8Array ? new Uint8Array(kidValue) : defaultKid(pk);
    return { alg: 'p256', publicKey: pk, kid: checkKid(kid) };
  }
  throw new Error(`COSE_Key: unsupported key type (kty ${String(kty)}, crv ${String(crv)}); OKP/Ed25519 or EC2/P-256`);
}

function fromJwk(jwk: Record<string, unknown>, wantPrivate: boolean): PrivateKeyInfo | PublicKeyInfo {
  let alg: KeyAlg;
  let publicKey: Uint8Array;
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') {
    alg = 'ed25519';
    publicKey = unb64u(jwk.x, 'x');
    if (publicKey.byteLength !== 32) throw new Error('Ed25519 key: x must be 32 bytes');
  } else if (jwk.kty === 'EC' && jwk.crv === 'P-256') {
    alg = 'p256';
    const x = unb64u(jwk.x, 'x');
    const y = unb64u(jwk.y, 'y');
    if (x.byteLength !== 32 || y.byteLength !== 32) throw new Error('P-256 key: x and y must be 32 bytes');
    publicKey = new Uint8Array(65);
    publicKey[0] = 4; publicKey.set(x, 1); publicKey.set(y, 33);
  } else {
    throw new Error(`key file: unsupported key type (kty ${String(jwk.kty)}, crv ${String(jwk.crv)})`);
  }
  const kid = typeof jwk.kid === 'string' ? fromHex(jwk.kid, 'kid') : defaultKid(publicKey);
  checkKid(kid);
  if (!wantPrivate) return { alg, publicKey, kid };
  const secretKey = unb64u(jwk.d, 'd');
  if (secretKey.byteLength !== 32) throw new Error('key file: d must be 32 bytes');
  const derived = alg === 'ed25519' ? ed25519.getPublicKey(secretKey) : p256.getPublicKey(secretKey, false);
  if (toHex(derived) !== toHex(publicKey)) throw new Error('key file: the public key does not match the private key');
  return { alg, publicKey, kid, secretKey };
}

export function parsePrivateKey(text: string): PrivateKeyInfo {
  let jwk: unknown;
  try { jwk = JSON.parse(text); } catch { throw new Error('private key file: not JSON (expected the JWK written by iacsec keygen)'); }
  if (typeof jwk !== 'object' || jwk === null || typeof (jwk as Record<string, unknown>).d !== 'string') {
    throw new Error('private key file: not a private JWK (no "d")');
  }
  return fromJwk(jwk as Record<string, unknown>, true) as PrivateKeyInfo;
}

/**
 * A public key from any of the files keygen writes: COSE_Key (CBOR), SPKI PEM,
 * or the JSON key file (its public part). A PEM carries no kid: the default
 * kid is derived, unless `kid` is given.
 */
export function parsePublicKey(data: Uint8Array, kid?: Uint8Array): PublicKeyInfo {
  const text = Buffer.from(data).toString('utf8').trimStart();
  let info: PublicKeyInfo;
  if (text.startsWith('-----BEGIN')) {
    const jwk = createPublicKey(text).export({ format: 'jwk' }) as Record<string, unknown>;
    info = fromJwk(jwk, false);
  } else if (text.startsWith('{')) {
    info = fromJwk(JSON.parse(text) as Record<string, unknown>, false);
  } else {
    info = coseKeyDecode(data);
  }
  if (info.alg === 'p256') p256.Point.fromBytes(info.publicKey);
  else ed25519.Point.fromBytes(info.publicKey);
  return kid ? { ...info, kid: checkKid(kid) } : info;
}

export async function readPrivateKeyFile(path: string): Promise<PrivateKeyInfo> {
  return parsePrivateKey(await readFile(path, 'utf8'));
}

export async function readPublicKeyFile(path: string, kid?: Uint8Array): Promise<PublicKeyInfo> {
  return parsePublicKey(new Uint8Array(await readFile(path)), kid);
}

/** Writes NAME.key (0600), NAME.pub.pem and NAME.cose_key; refuses to overwrite an existing NAME.key. */
export async function writeKeyFiles(name: string, key: PrivateKeyInfo): Promise<{ key: string; pem: string; coseKey: string }> {
  const paths = { key: `${name}.key`, pem: `${name}.pub.pem`, coseKey: `${name}.cose_key` };
  await writeFile(paths.key, privateKeyJson(key), { mode: 0o600, flag: 'wx' });
  await chmod(paths.key, 0o600);
  await writeFile(paths.pem, publicKeyPem(key), { mode: 0o644 });
  await writeFile(paths.coseKey, coseKeyEncode(key), { mode: 0o644 });
  return paths;
}

