// Host side of signed firmware: the manifest and trust-statement payloads of
// bindings/manifest.cddl, encoded as deterministic CBOR (RFC 8949 section
// 4.2.1), and COSE_Sign1 (RFC 9052 section 4.2) built and signed here. The
// module only verifies.

import { createHash } from 'node:crypto';
import { Tag, cborDecode, cborEncode } from './cbor.js';
import { coseAlgOf, keyAlgOfCose, signBytes, type PrivateKeyInfo, type PublicKeyInfo } from './keys.js';

// cbor-x (host/cbor.ts) with Map input writes definite lengths and keys in
// insertion order; callers below insert integer keys in ascending
// deterministic order (0..23 and up, then -1, -2 ...). Numbers above
// 2^32 - 1 it would write as floats and bigints always as 8-byte uints, so
// cborInt() picks the form.
export { cborDecode, cborEncode };

const U64_MAX = (1n << 64n) - 1n;

/** An unsigned integer in its shortest CBOR form through cbor-x. */
export function cborInt(value: number | bigint, what: string): number | bigint {
  const v = typeof value === 'bigint' ? value : Number.isSafeInteger(value) ? BigInt(value) : -1n;
  if (v < 0n || v > U64_MAX) throw new RangeError(`${what} must be an integer from 0 to 2^64 - 1`);
  return v <= 0xffff_ffffn ? Number(v) : v;
}

export type DigestAlg = 'sha256' | 'sha512';
/** COSE ids of the image digest algorithms (RFC 9054): SHA-256 -16, SHA-512 -44. */
export const DIGEST_ALG = { sha256: -16, sha512: -44 } as const;
export const DIGEST_BYTES = { sha256: 32, sha512: 64 } as const;

export interface ManifestFields {
  /** 16 bytes (a UUID). */
  vendor: Uint8Array;
  /** 16 bytes (a UUID). */
  deviceClass: Uint8Array;
  component: string;
  version: string;
  securityCounter: bigint;
  imageSize: bigint;
  digestAlg: DigestAlg;
  digest: Uint8Array;
}

export interface ManifestInput extends Omit<ManifestFields, 'securityCounter' | 'imageSize'> {
  securityCounter: number | bigint;
  imageSize: number | bigint;
  /** Vendor extensions (negative keys), ignored by the module. */
  extensions?: Map<number, unknown>;
}

const utf8 = new TextEncoder();

function fixedBytes(v: unknown, n: number, what: string): Uint8Array {
  if (!(v instanceof Uint8Array) || v.byteLength !== n) throw new TypeError(`${what} must be ${n} bytes`);
  return v;
}

function text(v: unknown, min: number, max: number, what: string): string {
  if (typeof v !== 'string') throw new TypeError(`${what} must be a string`);
  const n = utf8.encode(v).byteLength;
  if (n < min || n > max) throw new RangeError(`${what} must be ${min} to ${max} bytes of UTF-8 (got ${n})`);
  return v;
}

/** A UUID as 16 bytes, from "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" or 32 hex digits. */
export function parseUuid(s: string): Uint8Array {
  const h = s.trim().replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(h) || (s.includes('-') && !/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(s.trim()))) {
    throw new Error(`'${s}' is not a UUID (8-4-4-4-12 hex digits, or 32 hex digits)`);
  }
  return new Uint8Array(Buffer.from(h, 'hex'));
}

export function formatUuid(b: Uint8Array): string {
  const h = Buffer.from(b).toString('hex');
  return h.length !== 32 ? h : `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The manifest-payload map, deterministic CBOR. */
export function encodeManifestPayload(f: ManifestInput): Uint8Array {
  const alg = DIGEST_ALG[f.digestAlg];
  if (alg === undefined) throw new Error(`digest algorithm must be sha256 or sha512`);
  fixedBytes(f.digest, DIGEST_BYTES[f.digestAlg], `digest (${f.digestAlg})`);
  const m = new Map<number, unknown>([
    [1, fixedBytes(f.vendor, 16, 'vendor')],
    [2, fixedBytes(f.deviceClass, 16, 'deviceClass')],
    [3, text(f.component, 1, 64, 'component')],
    [4, text(f.version, 1, 32, 'version')],
    [5, cborInt(f.securityCounter, 'securityCounter')],
    [6, cborInt(f.imageSize, 'imageSize')],
    [7, alg],
    [8, f.digest],
  ]);
  // Deterministic order of negative keys: -1, -2, ... (shorter encodings first, then bytewise).
  const ext = [...(f.extensions ?? new Map()).entries()].sort(([a], [b]) => b - a);
  for (const [k, v] of ext) {
    if (!Number.isSafeInteger(k) || k >= 0) throw new RangeError('manifest extensions must have negative integer keys');
    m.set(k, v);
  }
  return cborEncode(m);
}

function toBigInt(v: unknown, what: string): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  throw new Error(`manifest: ${what} is not an unsigned integer`);
}

function asBytes(v: unknown, what: string): Uint8Array {
  if (!(v instanceof Uint8Array)) throw new Error(`manifest: ${what} is not a byte string`);
  return new Uint8Array(v);
}

/**
 * Reads a manifest payload's fields, for display before a manifest is
 * verified (the signing tool's summary). Not a verification: only the module
 * decides whether a manifest is acceptable, and Firmware.verifyFirmware
 * reports the fields the module verified, never these.
 */
export function decodeManifestPayload(payload: Uint8Array): ManifestFields {
  const m = cborDecode(payload);
  if (!(m instanceof Map)) throw new Error('manifest: the payload is not a CBOR map');
  const digestAlg = m.get(7) === -16 ? 'sha256' : m.get(7) === -44 ? 'sha512' : undefined;
  if (!digestAlg) throw new Error(`manifest: unknown digest algorithm ${String(m.get(7))}`);
  const component = m.get(3);
  const version = m.get(4);
  if (typeof component !== 'string' || typeof version !== 'string') throw new Error('manifest: component or version is not text');
  return {
    vendor: asBytes(m.get(1), 'vendor'),
    deviceClass: asBytes(m.get(2), 'device class'),
    component,
    version,
    securityCounter: toBigInt(m.get(5), 'security counter'),
    imageSize: toBigInt(m.get(6), 'image size'),
    digestAlg,
    digest: asBytes(m.get(8), 'digest'),
  };
}

export type TrustOperation = 'add-owner' | 'revoke' | 'set-counter';

export interface TrustStatementInput {
  operation: TrustOperation;
  /** add-owner and revoke: the key id the operation applies to (1..32 bytes). */
  kid?: Uint8Array;
  /** add-owner only: the new anchor's public key and algorithm. */
  publicKey?: PublicKeyInfo;
  /** add-owner only: the components (1..8 names) the new anchor may sign; none when absent. */
  components?: string[];
  /** set-counter only: the component, its stored counter now, and the value to set. */
  component?: string;
  expectedCounter?: number | bigint;
  newCounter?: number | bigint;
  vendor: Uint8Array;
  deviceClass: Uint8Array;
}

function kidBytes(kid: Uint8Array | undefined): Uint8Array {
  if (!(kid instanceof Uint8Array) || kid.byteLength < 1 || kid.byteLength > 32) throw new RangeError('kid must be 1 to 32 bytes');
  return kid;
}

/** The trust-statement map of bindings/manifest.cddl, deterministic CBOR (keys ascending). */
export function encodeTrustStatement(s: TrustStatementInput): Uint8Array {
  const m = new Map<number, unknown>();
  const vendor = fixedBytes(s.vendor, 16, 'vendor');
  const deviceClass = fixedBytes(s.deviceClass, 16, 'deviceClass');
  if (s.operation === 'add-owner') {
    if (!s.publicKey) throw new Error('add-owner needs the new anchor\'s public key');
    m.set(1, 1).set(2, kidBytes(s.kid)).set(3, s.publicKey.publicKey).set(4, vendor).set(5, deviceClass);
    m.set(6, coseAlgOf(s.publicKey.alg));
    if (s.components !== undefined) {
      if (!Array.isArray(s.components) || s.components.length < 1 || s.components.length > 8) {
        throw new RangeError('components: 1 to 8 component names');
      }
      m.set(7, s.components.map((c) => text(c, 1, 64, 'component')));
    }
  } else if (s.operation === 'revoke') {
    if (s.publicKey || s.components) throw new Error('revoke carries only the key id');
    m.set(1, 2).set(2, kidBytes(s.kid)).set(4, vendor).set(5, deviceClass);
  } else if (s.operation === 'set-counter') {
    if (s.kid || s.publicKey || s.components) throw new Error('set-counter carries the component and the two counter values only');
    m.set(1, 3).set(4, vendor).set(5, deviceClass).set(7, text(s.component, 1, 64, 'component'));
    m.set(8, cborInt(s.newCounter ?? -1, 'newCounter')).set(9, cborInt(s.expectedCounter ?? -1, 'expectedCounter'));
  } else {
    throw new Error(`operation must be add-owner, revoke or set-counter`);
  }
  return cborEncode(m);
}

/** The protected header {1: alg, 4: kid} as the bytes that go into the bstr. */
export function encodeProtectedHeader(alg: number, kid: Uint8Array): Uint8Array {
  return cborEncode(new Map<number, unknown>([[1, alg], [4, kid]]));
}

const EMPTY = new Uint8Array(0);

/** Sig_structure for COSE_Sign1 (RFC 9052 section 4.4): ["Signature1", protected, external_aad, payload]. */
export function sigStructure(protectedBytes: Uint8Array, payload: Uint8Array, externalAad: Uint8Array = EMPTY): Uint8Array {
  return cborEncode(['Signature1', protectedBytes, externalAad, payload]);
}

export interface CoseSign1 {
  tagged: boolean;
  protectedBytes: Uint8Array;
  protected: Map<unknown, unknown>;
  unprotected: Map<unknown, unknown>;
  payload: Uint8Array;
  signature: Uint8Array;
}

/** A COSE_Sign1 tagged 18, signed with the key's algorithm, empty unprotected header. */
export function signCoseSign1(key: PrivateKeyInfo, payload: Uint8Array, externalAad: Uint8Array = EMPTY): Uint8Array {
  const protectedBytes = encodeProtectedHeader(coseAlgOf(key.alg), key.kid);
  const signature = signBytes(key, sigStructure(protectedBytes, payload, externalAad));
  return cborEncode(new Tag([protectedBytes, new Map(), payload, signature], 18));
}

/** Splits a COSE_Sign1 into its parts (structure only; no signature check). */
export function decodeCoseSign1(bytes: Uint8Array): CoseSign1 {
  let v = cborDecode(bytes);
  let tagged = false;
  if (v instanceof Tag) {
    if (v.tag !== 18) throw new Error(`COSE: tag ${v.tag} is not COSE_Sign1 (18)`);
    tagged = true;
    v = v.value;
  }
  if (!Array.isArray(v) || v.length !== 4) throw new Error('COSE_Sign1: not an array of four');
  const [p, u, payload, signature] = v as unknown[];
  if (!(p instanceof Uint8Array) || !(u instanceof Map) || !(payload instanceof Uint8Array) || !(signature instanceof Uint8Array)) {
    throw new Error('COSE_Sign1: wrong member types');
  }
  const prot = p.byteLength === 0 ? new Map() : cborDecode(p);
  if (!(prot instanceof Map)) throw new Error('COSE_Sign1: protected header is not a map');
  return {
    tagged,
    protectedBytes: new Uint8Array(p),
    protected: prot,
    unprotected: u,
    payload: new Uint8Array(payload),
    signature: new Uint8Array(signature),
  };
}

/** The signer's alg and kid from a COSE_Sign1's protected header (for display). */
export function coseSigner(msg: CoseSign1): { alg: string; kid: Uint8Array | undefined } {
  const alg = msg.protected.get(1);
  const kid = msg.protected.get(4);
  let name = String(alg);
  try { name = keyAlgOfCose(alg as number); } catch { /* shown as the number */ }
  return { alg: name, kid: kid instanceof Uint8Array ? new Uint8Array(kid) : undefined };
}

export type ImageSource = Uint8Array | AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

export interface ImageHasher { update(data: Uint8Array): unknown; digest(): Uint8Array }

/** Digest and size of an image; `hasher` (e.g. the module's createSha256()) replaces node:crypto. */
export async function digestImage(image: ImageSource, alg: DigestAlg, hasher?: ImageHasher): Promise<{ digest: Uint8Array; size: bigint }> {
  if (!(alg in DIGEST_BYTES)) throw new Error('digest algorithm must be sha256 or sha512');
  const h: ImageHasher = hasher ?? (() => {
    const n = createHash(alg);
    return { update: (d: Uint8Array) => n.update(d), digest: () => new Uint8Array(n.digest()) };
  })();
  let size = 0n;
  if (image instanceof Uint8Array) {
    h.update(image);
    size = BigInt(image.byteLength);
  } else {
    for await (const chunk of image as AsyncIterable<Uint8Array>) {
      h.update(chunk);
      size += BigInt(chunk.byteLength);
    }
  }
  return { digest: h.digest(), size };
}

export interface SignManifestOptions {
  key: PrivateKeyInfo;
  image: ImageSource;
  vendor: Uint8Array;
  deviceClass: Uint8Array;
  component?: string;
  version: string;
  securityCounter: number | bigint;
  digestAlg?: DigestAlg;
  extensions?: Map<number, unknown>;
  hasher?: ImageHasher;
}

/** Hashes the image and returns the signed manifest (COSE_Sign1, tag 18). Default component: "firmware". */
export async function signManifest(o: SignManifestOptions): Promise<Uint8Array> {
  const digestAlg = o.digestAlg ?? 'sha256';
  const { digest, size } = await digestImage(o.image, digestAlg, o.hasher);
  const payload = encodeManifestPayload({
    vendor: o.vendor,
    deviceClass: o.deviceClass,
    component: o.component ?? 'firmware',
    version: o.version,
    securityCounter: o.securityCounter,
    imageSize: size,
    digestAlg,
    digest,
    extensions: o.extensions,
  });
  return signCoseSign1(o.key, payload);
}

/** A signed trust statement (COSE_Sign1, tag 18) for the module's iacsec_trust_statement_apply. */
export function signTrustStatement(supplierKey: PrivateKeyInfo, statement: TrustStatementInput): Uint8Array {
  return signCoseSign1(supplierKey, encodeTrustStatement(statement));
}
