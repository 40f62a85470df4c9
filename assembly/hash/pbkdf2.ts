// PBKDF2 with HMAC-SHA256, RFC 8018 section 5.2.
import { wipe } from "../_mem";
import { hmac_sha256_init, HMAC_SHA256_STATE_BYTES } from "./hmac";
import {
  sha256_update, sha256_pad, sha256_compress, sha256_store_digest,
  SHA256_DIGEST_BYTES, SHA256_BLOCK_BYTES,
} from "./sha256";
import { sha256_pbkdf2_iterate } from "./_sha256_block";

// The password-keyed HMAC state: [0, 32) chaining value after K ^ ipad,
// [32, 48) its length fields, [128, 160) chaining value after K ^ opad.
// @ts-ignore: decorator
@lazy const KEYED: usize = memory.data(<i32>HMAC_SHA256_STATE_BYTES, 16);
// Working area: a SHA-256 context [0, 128) whose block buffer [64, 128) then
// holds U_j || padding, and INT(i) [128, 132).
// @ts-ignore: decorator
@lazy const WORK: usize = memory.data(144, 16);

// @ts-ignore: decorator
@inline const OUTER: usize = 128;
// @ts-ignore: decorator
@inline const BLK: usize = 64;
// @ts-ignore: decorator
@inline const CTR: usize = 128;

/**
 * One HMAC half over a single 32-byte message: the chaining value at `iv`
 * (after the key block) compresses the block at `blk`, which holds the message
 * big-endian and its padding (FIPS 180-4 section 5.1.1); the digest replaces
 * the message in `blk`. `st` is 32 bytes of scratch.
 */
function prf_half(st: usize, iv: usize, blk: usize): void {
  store<u64>(st, load<u64>(iv, 0), 0);
  store<u64>(st, load<u64>(iv, 8), 8);
  store<u64>(st, load<u64>(iv, 16), 16);
  store<u64>(st, load<u64>(iv, 24), 24);
  sha256_compress(st, blk, 1);
  sha256_store_digest(st, blk);
}

/**
 * DK = PBKDF2(P, S, c, dkLen) with PRF = HMAC-SHA256 (RFC 8018 section 5.2),
 * written to out (outlen bytes). The caller checks iterations >= 1.
 * Each iteration is two compressions (inner and outer hash of U_{j-1}) from
 * chaining values computed once from the password.
 */
export function pbkdf2_sha256(
  out: usize, outlen: usize, password: usize, pwlen: usize, salt: usize, saltlen: usize, iterations: u32,
): void {
  const keyed = KEYED, ctx = WORK, blk = WORK + BLK;
  hmac_sha256_init(keyed, password, pwlen);
  let i: u32 = 1;
  while (outlen) {
    // U_1 = PRF(P, S || INT(i)); the salt is streamed, never copied whole.
    memory.copy(ctx, keyed, 48);
    sha256_update(ctx, salt, saltlen);
    store<u32>(WORK + CTR, bswap<u32>(i));
    sha256_update(ctx, WORK + CTR, 4);
    sha256_pad(ctx); // leaves the block buffer zeroed
    // From here on every message is one digest after the key block.
    sha256_store_digest(ctx, blk);
    store<u8>(blk, 0x80, SHA256_DIGEST_BYTES);
    store<u32>(blk, bswap<u32>(<u32>(SHA256_BLOCK_BYTES + SHA256_DIGEST_BYTES) << 3), 60);
    prf_half(ctx, keyed + OUTER, blk);
    // U_j = PRF(P, U_{j-1}); T_i = U_1 ^ ... ^ U_c. U is the chaining value's
    // eight native-endian words at ctx, T beside it at ctx + 32 (over the
    // length fields, no longer needed; XOR does not care for byte order); each
    // HMAC half is one compression (sha256_pbkdf2_iterate); T is written out
    // big-endian at the end.
    const u = ctx;
    memory.copy(u + 32, u, 32);
    sha256_pbkdf2_iterate(u, keyed, iterations - 1);
    sha256_store_digest(u + 32, blk);
    const n = outlen < SHA256_DIGEST_BYTES ? outlen : SHA256_DIGEST_BYTES;
    memory.copy(out, blk, n);
    out += n;
    outlen -= n;
    i++;
  }
  wipe(keyed, HMAC_SHA256_STATE_BYTES);
  wipe(WORK, 144);
}
