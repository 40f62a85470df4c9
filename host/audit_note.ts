// Checkpoints of the audit log: C2SP signed notes (c2sp.org/signed-note,
// c2sp.org/tlog-checkpoint) as assembly/audit/checkpoint.ts writes them,
// checked with the device's Ed25519 public key, and the HMAC seal ratchet.

import { createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { createPublicKey, verify as nodeVerify, type KeyObject } from 'node:crypto';

export interface Checkpoint {
  /** The signed text (every line before the blank line, each ending in a newline). */
  body: string;
  origin: string;
  /** Sequence number of the last record covered. */
  size: bigint;
  /** Chain head after that record. */
  root: Uint8Array;
  index: bigint;
  /** SHA-256 of the previous checkpoint's body (zeros for the first). */
  prev: Uint8Array;
  /** True on the checkpoint that closes an export. */
  export: boolean;
  /** True when the module sealed it (its signed "sealed" line): the seal field holds an HMAC, else 32 zero bytes. */
  sealed: boolean;
  signatures: { name: string; keyId: Uint8Array; signature: Uint8Array }[];
}

const B64 = /^[A-Za-z0-9+/]+={0,2}$/;
function b64(s: string, n?: number): Uint8Array | undefined {
  if (!B64.test(s) || s.length % 4 !== 0) return undefined;
  const b = new Uint8Array(Buffer.from(s, 'base64'));
  if (Buffer.from(b).toString('base64') !== s) return undefined;
  return n === undefined || b.length === n ? b : undefined;
}

/** Parses a checkpoint note; throws Error saying which line is not as the format says. */
export function parseCheckpoint(note: string): Checkpoint {
  const split = note.indexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) throw new Error('a note is a body, a blank line and signature lines');
  const body = note.slice(0, split + 1);
  const lines = body.slice(0, -1).split('\n');
  if (lines.length < 4 || lines.length > 6) throw new Error('a checkpoint body has 4 to 6 lines');
  const [origin, sizeLine, rootLine, cpLine, ...extra] = lines;
  if (!/^iacsec\.audit\/[0-9a-f]{16}$/.test(origin)) throw new Error('origin line');
  if (!/^(0|[1-9][0-9]{0,19})$/.test(sizeLine)) throw new Error('size line');
  const root = b64(rootLine, 32);
  if (!root) throw new Error('root hash line');
  const m = /^cp (0|[1-9][0-9]{0,19}) (\S+)$/.exec(cpLine);
  const prev = m ? b64(m[2], 32) : undefined;
  if (!m || !prev) throw new Error('checkpoint index line');
  // Extension lines, in this order: "sealed", "export".
  const ext = extra.join('\n');
  if (!['', 'sealed', 'export', 'sealed\nexport'].includes(ext)) throw new Error('unknown extension line');
  const signatures: Checkpoint['signatures'] = [];
  const sigLines = note.slice(split + 2, -1).split('\n');
  for (const l of sigLines) {
    const s = /^\u2014 (\S+) (\S+)$/.exec(l);
    const raw = s ? b64(s[2]) : undefined;
    if (!s || !raw || raw.length < 5) throw new Error('signature line');
    signatures.push({ name: s[1], keyId: raw.subarray(0, 4), signature: raw.subarray(4) });
  }
  if (signatures.length === 0) throw new Error('no signature line');
  const size = BigInt(sizeLine), index = BigInt(m[1]);
  if (size >= 1n << 64n || index >= 1n << 64n) throw new Error('number out of range');
  return { body, origin, size, root, index, prev, export: extra.includes('export'), sealed: extra[0] === 'sealed', signatures };
}

/** The origin (and key name) of a device's checkpoints. */
export function originOf(publicKey: Uint8Array): string {
  return `iacsec.audit/${Buffer.from(publicKey.subarray(0, 8)).toString('hex')}`;
}

/** The signed-note key id: SHA-256(name || "\n" || 0x01 || public key)[0..4]. */
export function keyIdOf(name: string, publicKey: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(name).update(Uint8Array.of(10, 1)).update(publicKey).digest().subarray(0, 4));
}

const verified = new Map<string, boolean>();

/**
 * 'ok', 'foreign' (no signature by this key: another device's checkpoint),
 * or 'invalid' (this key's signature does not verify).
 */
// node:crypto (OpenSSL, RFC 8032 verification) checks the signatures: about
// 30 times faster than a JavaScript implementation, which matters for logs
// of millions of records with a checkpoint every few hundred.
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');
const keyObjects = new Map<string, KeyObject>();
function ed25519Key(publicKey: Uint8Array): KeyObject {
  const hex = Buffer.from(publicKey).toString('hex');
  let k = keyObjects.get(hex);
  if (!k) {
    k = createPublicKey({ key: Buffer.concat([SPKI_ED25519, publicKey]), format: 'der', type: 'spki' });
    if (keyObjects.size > 64) keyObjects.clear();
    keyObjects.set(hex, k);
  }
  return k;
}

export function checkSignature(cp: Checkpoint, publicKey: Uint8Array): 'ok' | 'foreign' | 'invalid' {
  const name = originOf(publicKey);
  const id = keyIdOf(name, publicKey);
  const sig = cp.signatures.find((s) => s.name === name && Buffer.compare(Buffer.from(s.keyId), Buffer.from(id)) === 0);
  if (cp.origin !== name || !sig) return 'foreign';
  if (sig.signature.length !== 64) return 'invalid';
  const key = `${Buffer.from(publicKey).toString('hex')}|${Buffer.from(sig.signature).toString('hex')}|${cp.body}`;
  let ok = verified.get(key);
  if (ok === undefined) {
    try { ok = nodeVerify(null, Buffer.from(cp.body, 'utf8'), ed25519Key(publicKey), sig.signature); } catch { ok = false; }
    if (verified.size > 100_000) verified.clear();
    verified.set(key, ok);
  }
  return ok ? 'ok' : 'invalid';
}

/** The seal key for checkpoint `index`, from the key set before checkpoint `first` (HKDF ratchet). */
export class SealKeys {
  private keys: Uint8Array[];
  constructor(readonly key: Uint8Array, readonly first: bigint) {
    if (key.length !== 32) throw new TypeError('a seal key is 32 bytes');
    this.keys = [key];
  }
  at(index: bigint): Uint8Array | undefined {
    if (index < this.first) return undefined;
    const n = Number(index - this.first);
    while (this.keys.length <= n) {
      const k = this.keys[this.keys.length - 1];
      this.keys.push(new Uint8Array(hkdfSync('sha256', k, 'iacsec', 'audit seal ratchet v1', 32)));
    }
    return this.keys[n];
  }
  check(cp: Checkpoint, seal: Uint8Array): boolean | undefined {
    const k = this.at(cp.index);
    if (!k) return undefined;
    const mac = createHmac('sha256', k).update(cp.body).digest();
    return seal.length === 32 && timingSafeEqual(mac, seal);
  }
}

export function sha256(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}
