// HMAC-SHA1, RFC 2104 section 2 (test vectors: RFC 2202 section 3). Used only
// by HOTP/TOTP (RFC 4226, RFC 6238).
import { wipe } from "../_mem";
import { sha1_init, sha1_update, sha1_final, SHA1_BLOCK_BYTES, SHA1_STATE_BYTES } from "./sha1";

// @ts-ignore: decorator
@lazy const KBLK: usize = memory.data(64, 16);
// @ts-ignore: decorator
@lazy const CTX: usize = memory.data(<i32>SHA1_STATE_BYTES, 16);
// @ts-ignore: decorator
@lazy const INNER: usize = memory.data(32, 16);

/** One-shot HMAC-SHA1 (20-byte tag). out may alias nothing else. */
export function hmac_sha1(out: usize, key: usize, keylen: usize, msg: usize, len: usize): void {
  if (keylen > SHA1_BLOCK_BYTES) {
    // RFC 2104 section 2: keys longer than B bytes are first hashed.
    sha1_init(CTX);
    sha1_update(CTX, key, keylen);
    sha1_final(CTX, KBLK);
    memory.fill(KBLK + 20, 0, 44);
  } else {
    memory.copy(KBLK, key, keylen);
    memory.fill(KBLK + keylen, 0, SHA1_BLOCK_BYTES - keylen);
  }
  for (let i: usize = 0; i < 64; i++) store<u8>(KBLK + i, load<u8>(KBLK + i) ^ 0x36);
  sha1_init(CTX);
  sha1_update(CTX, KBLK, 64);
  sha1_update(CTX, msg, len);
  sha1_final(CTX, INNER);
  for (let i: usize = 0; i < 64; i++) store<u8>(KBLK + i, load<u8>(KBLK + i) ^ (0x36 ^ 0x5c));
  sha1_init(CTX);
  sha1_update(CTX, KBLK, 64);
  sha1_update(CTX, INNER, 20);
  sha1_final(CTX, out);
  wipe(KBLK, 64);
  wipe(INNER, 32);
}
