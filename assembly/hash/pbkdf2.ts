// PBKDF2 with HMAC-SHA256, RFC 8018 section 5.2.
import { wipe } from "../_mem";
import { hmac_sha256_init, HMAC_SHA256_STATE_BYTES } from "./hmac";
import { sha256_update, sha256_pad, sha256_compress_digest, SHA256_DIGEST_BYTES } from "./sha256";

// The password-keyed HMAC state: [0, 32) chaining value after K ^ ipad,
// [32, 48) its length fields, [128, 160) chaining value after K ^ opad.
// @ts-ignore: decorator
@lazy const KEYED: usize = memory.data(<i32>HMAC_SHA256_STATE_BYTES, 16);
// Working area: a SHA-256 context [0, 128), U_j [128, 160), INT(i) [160, 164).
// @ts-ignore: decorator
@lazy const WORK: usize = memory.data(176, 16);

// @ts-ignore: decorator
@inline const OUTER: usize = 128;
// @ts-ignore: decorator
@inline const U: usize = 128;
// @ts-ignore: decorator
@inline const CTR: usize = 160;

/**
 * DK = PBKDF2(P, S, c, dkLen) with PRF = HMAC-SHA256 (RFC 8018 section 5.2),
 * written to out (outlen bytes). The caller checks iterations >= 1.
 * Each iteration is two compressions (inner and outer hash of U_{j-1}) from
 * chaining values computed once from the password.
 */
export function pbkdf2_sha256(
  out: usize, outlen: usize, password: usize, pwlen: usize, salt: usize, saltlen: usize, iterations: u32,
): void {
  const keyed = KEYED, ctx = WORK, u = WORK + U;
  hmac_sha256_init(keyed, password, pwlen);
  let i: u32 = 1;
  while (outlen) {
    // U_1 = PRF(P, S || INT(i)); the salt is streamed, never copied whole.
    memory.copy(ctx, keyed, 48);
    sha256_update(ctx, salt, saltlen);
    store<u32>(WORK + CTR, bswap<u32>(i));
    sha256_update(ctx, WORK + CTR, 4);
    sha256_pad(ctx);
    sha256_compress_digest(u, keyed + OUTER, ctx);
    let t0 = load<u64>(u, 0), t1 = load<u64>(u, 8), t2 = load<u64>(u, 16), t3 = load<u64>(u, 24);
    // U_j = PRF(P, U_{j-1}); T_i = U_1 ^ ... ^ U_c.
    for (let j: u32 = 1; j < iterations; j++) {
      sha256_compress_digest(u, keyed, u);
      sha256_compress_digest(u, keyed + OUTER, u);
      t0 ^= load<u64>(u, 0);
      t1 ^= load<u64>(u, 8);
      t2 ^= load<u64>(u, 16);
      t3 ^= load<u64>(u, 24);
    }
    // T_i as bytes: each u32 word big-endian.
    store<u64>(u, rotr<u64>(bswap<u64>(t0), 32), 0);
    store<u64>(u, rotr<u64>(bswap<u64>(t1), 32), 8);
    store<u64>(u, rotr<u64>(bswap<u64>(t2), 32), 16);
    store<u64>(u, rotr<u64>(bswap<u64>(t3), 32), 24);
    const n = outlen < SHA256_DIGEST_BYTES ? outlen : SHA256_DIGEST_BYTES;
    memory.copy(out, u, n);
    out += n;
    outlen -= n;
    i++;
  }
  wipe(keyed, HMAC_SHA256_STATE_BYTES);
  wipe(WORK, 176);
}
