// Test-side makers of COSE_Sign1 messages, firmware manifests and trust
// statements (bindings/manifest.cddl), independent of the host code: cbor-x
// encodes, @noble/curves signs. Also raw-export helpers for the module.
import crypto from 'node:crypto';
import { Decoder, Encoder, Tag } from 'cbor-x';
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';

const encoder = new Encoder({ useRecords: false, mapsAsObjects: false, tagUint8Array: false, pack: false });
export const cbor = (v) => new Uint8Array(encoder.encode(v));
const decoder = new Decoder({ useRecords: false, mapsAsObjects: false });
export { Tag };

/** An unsigned integer cbor-x writes in shortest form: a number below 2^32, else a bigint. */
export const uint = (v) => (BigInt(v) < 2n ** 32n ? Number(v) : BigInt(v));

export const EDDSA = -8;
export const ES256 = -7;
export const SHA256 = -16;
export const SHA512 = -44;

/** A signing key: alg -8 (Ed25519) or -7 (P-256, SEC1 uncompressed public key, or compressed when asked). */
export function makeKey(alg, { compressed = false } = {}) {
  if (alg === EDDSA) {
    const sk = ed25519.utils.randomSecretKey();
    return { alg, sk, pk: ed25519.getPublicKey(sk), sign: (m) => ed25519.sign(m, sk) };
  }
  const sk = p256.utils.randomSecretKey();
  // noble signs SHA-256(m) (prehash), r || s, low-s.
  return { alg, sk, pk: p256.getPublicKey(sk, compressed), sign: (m) => p256.sign(m, sk) };
}

/** Sig_structure of RFC 9052 section 4.4 for COSE_Sign1. */
export const sigStructure = (prot, aad, payload) => cbor(['Signature1', prot, aad, payload]);

/**
 * A COSE_Sign1: protected header as a Map (or raw bytes), unprotected Map,
 * payload bytes, signed with key over external aad; tagged 18 unless tag is
 * false (or another tag number).
 */
export function sign1({ key, prot, protBytes, unprot = new Map(), payload, aad = new Uint8Array(0), tag = 18, signer }) {
  const p = protBytes ?? cbor(prot ?? new Map([[1, key.alg]]));
  const sig = (signer ?? key.sign)(sigStructure(p, aad, payload));
  const arr = [p, unprot, payload, sig];
  return cbor(tag === false ? arr : new Tag(arr, tag));
}

export const VENDOR = Uint8Array.from(Buffer.from('0f1e2d3c4b5a69788796a5b4c3d2e1f0', 'hex'));
export const CLASS = Uint8Array.from(Buffer.from('a1a2a3a4a5a6a7a8a9aaabacadaeafb0', 'hex'));

/** The manifest-payload Map in key order 1..8, then extra [key, value] pairs. */
export function payloadMap({ vendor = VENDOR, klass = CLASS, name = 'gateway-fw', version = '2.4.1', counter = 1,
  image, size, digestAlg = SHA256, digest, extra = [] } = {}) {
  const h = digestAlg === SHA512 ? 'sha512' : 'sha256';
  const d = digest ?? crypto.createHash(h).update(image ?? new Uint8Array(0)).digest();
  const m = new Map([[1, vendor], [2, klass], [3, name], [4, version], [5, uint(counter)],
    [6, uint(size ?? (image ? image.length : 0))], [7, digestAlg], [8, new Uint8Array(d)]]);
  for (const [k, v] of extra) m.set(k, v);
  return m;
}

/** A signed manifest (tag 18, protected {1: alg, 4: kid}). */
export function manifest(key, kid, fields = {}, opts = {}) {
  const payload = opts.payload ?? cbor(payloadMap(fields));
  const prot = opts.prot ?? new Map([[1, key.alg], [4, kid]]);
  return sign1({ key, prot, payload, unprot: opts.unprot, tag: opts.tag, signer: opts.signer, protBytes: opts.protBytes });
}

/**
 * A signed trust statement: op 1 (add owner anchor newKey under target, with
 * the granted components), 2 (revoke target) or 3 (set the counter of
 * component from `from` to `to`).
 */
export function statement(key, kid, { op, target, newKey, grants, component, from, to, vendor = VENDOR, klass = CLASS, extra = [] }) {
  const m = new Map([[1, op]]);
  if (target !== undefined) m.set(2, target);
  if (op === 1) m.set(3, newKey.pk);
  m.set(4, vendor).set(5, klass);
  if (op === 1) m.set(6, newKey.alg);
  if (grants !== undefined) m.set(7, grants);
  if (op === 3) m.set(7, component).set(8, uint(to)).set(9, uint(from));
  for (const [k, v] of extra) m.set(k, v);
  return sign1({ key, prot: new Map([[1, key.alg], [4, kid]]), payload: cbor(m) });
}

// ---- raw module access ----

/** Writes the byte arrays one after another at the start of the I/O area; returns their pointers. */
export function put(api, ...parts) {
  const heap = api.heap();
  let p = api.ioPtr;
  const ptrs = [];
  for (const b of parts) {
    heap.set(b, p);
    ptrs.push(p);
    p += (b.length + 15) & ~15;
  }
  return ptrs;
}

export const enc = (s) => new TextEncoder().encode(s);

export function deviceSet(api, vendor = VENDOR, klass = CLASS) {
  const [v, c] = put(api, vendor, klass);
  return api.raw.iacsec_device_set(v, c);
}

export function addSupplier(api, kid, key, alg = key.alg) {
  const [k, p] = put(api, kid, key.pk);
  return api.raw.iacsec_anchor_add_supplier(k, kid.length, p, key.pk.length, alg);
}

/** The component a manifest names (test-side decoding), or 'gateway-fw' when it cannot be read. */
export function componentOf(m) {
  try {
    let v = decoder.decode(m);
    if (v instanceof Tag) v = v.value;
    const name = decoder.decode(v[2]).get(3);
    return typeof name === 'string' && name.length > 0 && enc(name).length <= 64 ? name : 'gateway-fw';
  } catch {
    return 'gateway-fw';
  }
}

/** fw_begin for the slot `component` (default: the component the manifest names). */
export function fwBegin(api, m, purpose = 0, component = componentOf(m)) {
  const c = enc(component);
  const [p, q] = put(api, m, c);
  return api.raw.iacsec_fw_begin(p, m.length, q, c.length, purpose);
}

/** iacsec_state_import with a high-water mark (default 0). */
export function stateImport(api, blob, minGeneration = 0n) {
  const [p] = put(api, blob);
  return api.raw.iacsec_state_import(p, blob.length, BigInt(minGeneration));
}

/** The verified-manifest record of the last successful fw_begin, decoded. */
export function fwManifest(api) {
  const st = api.raw.iacsec_fw_manifest(api.ioPtr);
  const b = Buffer.from(api.heap().slice(api.ioPtr, api.ioPtr + 256));
  return {
    st, purpose: b[1], role: b[2], digestAlg: b.readInt16LE(4), vendor: b.subarray(16, 32), klass: b.subarray(32, 48),
    counter: b.readBigUInt64LE(48), size: b.readBigUInt64LE(56), kid: b.subarray(64, 64 + b[6]),
    component: b.subarray(96, 96 + b[7]).toString('utf8'), version: b.subarray(160, 160 + b[8]).toString('utf8'),
    digest: b.subarray(192, 192 + b[9]),
  };
}

/** Streams image through fw_update in chunks; returns the first non-OK status or OK. */
export function fwFeed(api, image, chunk = 65536) {
  for (let off = 0; off < image.length; off += chunk) {
    const part = image.subarray(off, off + chunk);
    api.heap().set(part, api.ioPtr);
    const st = api.raw.iacsec_fw_update(api.ioPtr, part.length);
    if (st !== 0) return st;
  }
  return 0;
}

export function applyStatement(api, s) {
  const [p] = put(api, s);
  return api.raw.iacsec_trust_statement_apply(p, s.length);
}

export function counterGet(api, name) {
  const n = enc(name);
  const [p, out] = put(api, n, new Uint8Array(8));
  const st = api.raw.iacsec_counter_get(p, n.length, out);
  const v = Buffer.from(api.heap().slice(out, out + 8)).readBigUInt64LE();
  return { st, v };
}

/** Every queued event, oldest first, decoded. */
export function drainEvents(api) {
  const out = [];
  for (;;) {
    const st = api.raw.iacsec_event_next(api.ioPtr);
    if (st !== 0) break;
    const b = Buffer.from(api.heap().slice(api.ioPtr, api.ioPtr + 128));
    out.push({
      type: b.readUInt16LE(0), status: b.readInt16LE(2), seq: b.readUInt32LE(4),
      a: b.readBigUInt64LE(8), b: b.readBigUInt64LE(16),
      kid: b.subarray(25, 25 + b[24]).toString('hex'), role: b[57],
      component: b.subarray(59, 59 + b[58]).toString('utf8'),
      tailZero: b.subarray(123).every((x) => x === 0),
    });
  }
  return out;
}

export const EV = {
  FW_ACCEPTED: 1, FW_REJECTED: 2, COUNTER_RAISED: 3, ANCHOR_ADDED: 4, ANCHOR_REVOKED: 5, BOOT_CHECK_PASSED: 6,
  BOOT_CHECK_FAILED: 7, PROVISIONING_CLOSED: 8, STATE_IMPORTED: 9, EVENTS_DROPPED: 10, STATE_IMPORT_REJECTED: 11,
  TRUST_STATEMENT_REJECTED: 12, COUNTER_SET: 13, STATE_RECOVERED: 14, STATE_BACKUP: 15, STATE_RESTORED: 16,
  STATE_RESTORE_REJECTED: 17, FW_SESSION_REFUSED: 18,
};

export const ST = {
  OK: 0, END: 1, ERR_INVALID: -1, ERR_LENGTH: -2, ERR_MALFORMED: -3, ERR_BUFFER_SMALL: -4, ERR_BOUNDS: -6,
  ERR_STATE: -7, ERR_SELFTEST: -9, ERR_UNSUPPORTED: -10, ERR_UNKNOWN_KEY: -11, ERR_REVOKED: -12, ERR_ROLLBACK: -13,
  ERR_WRONG_VENDOR: -14, ERR_WRONG_CLASS: -15, ERR_DIGEST: -16, ERR_SIZE: -17, ERR_CRITICAL: -18,
  ERR_UNAUTHORIZED: -19, ERR_FULL: -20, ERR_EXISTS: -21, ERR_WRONG_COMPONENT: -22, ERR_LAST_ANCHOR: -23,
  ERR_KID_REVOKED: -24, ERR_FAILSECURE: -25, ERR_STALE: -26,
};
