// An independent reading of the module's sealed state (assembly/firmware/
// state.ts, version 3) with node:crypto, for checks and tests: HKDF-Expand
// of the sealing key into the ChaCha20 and HMAC-SHA256 keys, and the
// synthetic IV that is both the tag and the nonce. It opens a blob the
// module wrote (to show that a secret is in it, only encrypted) and seals a
// changed one again (to show that each field is checked).

import { createCipheriv, createHmac, timingSafeEqual } from 'node:crypto';

export const STATE_HEADER_BYTES = 24;
export const STATE_TAG_BYTES = 32;

/** HKDF-Expand (RFC 5869 section 2.3), one block, with the sealing key as PRK. */
const expand = (key: Uint8Array, info: string) => createHmac('sha256', key).update(Buffer.concat([Buffer.from(info), Buffer.from([1])])).digest();

export function stateKeys(sealKey: Uint8Array): { enc: Buffer; mac: Buffer } {
  return { enc: expand(sealKey, 'iacsec state v3 enc'), mac: expand(sealKey, 'iacsec state v3 mac') };
}

/** ChaCha20 (RFC 8439) from block 0: node's IV is the 32-bit counter (little-endian), then the 96-bit nonce. */
function chacha20(key: Uint8Array, nonce: Uint8Array, data: Uint8Array): Buffer {
  const iv = Buffer.concat([Buffer.alloc(4), Buffer.from(nonce.subarray(0, 12))]);
  return createCipheriv('chacha20', key, iv).update(data);
}

/** The blob in clear (header and sections, then the tag as stored), and whether its tag verifies. */
export function openState(blob: Uint8Array, sealKey: Uint8Array): { clear: Uint8Array; ok: boolean } {
  const { enc, mac } = stateKeys(sealKey);
  const tagAt = blob.length - STATE_TAG_BYTES;
  const tag = blob.subarray(tagAt);
  const clear = Buffer.concat([Buffer.from(blob.subarray(0, STATE_HEADER_BYTES)), chacha20(enc, tag, blob.subarray(STATE_HEADER_BYTES, tagAt)), Buffer.from(tag)]);
  const want = createHmac('sha256', mac).update(clear.subarray(0, tagAt)).digest();
  return { clear: new Uint8Array(clear), ok: timingSafeEqual(want, tag) };
}

/** Seals a blob in clear (its tag bytes are ignored) as the module does. */
export function sealState(clear: Uint8Array, sealKey: Uint8Array): Uint8Array {
  const { enc, mac } = stateKeys(sealKey);
  const tagAt = clear.length - STATE_TAG_BYTES;
  const tag = createHmac('sha256', mac).update(clear.subarray(0, tagAt)).digest();
  return new Uint8Array(Buffer.concat([Buffer.from(clear.subarray(0, STATE_HEADER_BYTES)), chacha20(enc, tag, clear.subarray(STATE_HEADER_BYTES, tagAt)), tag]));
}

/** The version-2 form of a blob in clear: version 2, sections in clear, HMAC-SHA256 under the sealing key itself. */
export function sealStateV2(clear: Uint8Array, sealKey: Uint8Array): Uint8Array {
  const b = Uint8Array.from(clear);
  new DataView(b.buffer).setUint16(4, 2, true);
  const tagAt = b.length - STATE_TAG_BYTES;
  b.set(createHmac('sha256', sealKey).update(b.subarray(0, tagAt)).digest(), tagAt);
  return b;
}
