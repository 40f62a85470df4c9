// HKDF with HMAC-SHA256, RFC 5869.
import { ERR_LENGTH, OK } from "../status";
import { wipe } from "../_mem";
import { hmac_sha256, hmac_sha256_init, hmac_sha256_update, hmac_sha256_final, HMAC_SHA256_STATE_BYTES } from "./hmac";
import { SHA256_DIGEST_BYTES } from "./sha256";

/** Largest output of HKDF-Expand: 255 * HashLen (RFC 5869 section 2.3). */
export const HKDF_SHA256_MAX_OUT: usize = 255 * 32;

// @ts-ignore: decorator
@lazy const KEYED: usize = memory.data(<i32>HMAC_SHA256_STATE_BYTES, 16);
// @ts-ignore: decorator
@lazy const ST: usize = memory.data(<i32>HMAC_SHA256_STATE_BYTES, 16);
// T(i) [0, 32), the counter byte [32].
// @ts-ignore: decorator
@lazy const T: usize = memory.data(48, 16);
// @ts-ignore: decorator
@lazy const PRK: usize = memory.data(32, 16);

/**
 * PRK = HMAC-SHA256(salt, IKM), RFC 5869 section 2.2. An empty salt stands
 * for HashLen zero bytes; as an HMAC key both give the same all-zero block
 * (RFC 2104 pads short keys with zeros), so it needs no special case.
 */
export function hkdf_sha256_extract(prk_out: usize, salt: usize, saltlen: usize, ikm: usize, ikmlen: usize): void {
  hmac_sha256(prk_out, salt, saltlen, ikm, ikmlen);
}

/**
 * OKM = T(1) || T(2) || ... truncated to outlen, T(i) = HMAC(PRK, T(i-1) || info || i),
 * RFC 5869 section 2.3. Returns ERR_LENGTH when outlen > 255 * 32.
 */
export function hkdf_sha256_expand(out: usize, outlen: usize, prk: usize, prklen: usize, info: usize, infolen: usize): i32 {
  if (outlen > HKDF_SHA256_MAX_OUT) return ERR_LENGTH; // RFC 5869 section 2.3: L <= 255*HashLen
  hmac_sha256_init(KEYED, prk, prklen);
  let i: u32 = 1;
  while (outlen) {
    memory.copy(ST, KEYED, HMAC_SHA256_STATE_BYTES);
    if (i > 1) hmac_sha256_update(ST, T, SHA256_DIGEST_BYTES);
    hmac_sha256_update(ST, info, infolen);
    store<u8>(T, <u8>i, 32);
    hmac_sha256_update(ST, T + 32, 1);
    hmac_sha256_final(ST, T);
    const n = outlen < SHA256_DIGEST_BYTES ? outlen : SHA256_DIGEST_BYTES;
    memory.copy(out, T, n);
    out += n;
    outlen -= n;
    i++;
  }
  wipe(KEYED, HMAC_SHA256_STATE_BYTES);
  wipe(T, 48);
  return OK;
}

/** HKDF-Extract then HKDF-Expand (RFC 5869 section 2). */
export function hkdf_sha256(
  out: usize, outlen: usize, ikm: usize, ikmlen: usize, salt: usize, saltlen: usize, info: usize, infolen: usize,
): i32 {
  if (outlen > HKDF_SHA256_MAX_OUT) return ERR_LENGTH;
  hkdf_sha256_extract(PRK, salt, saltlen, ikm, ikmlen);
  const r = hkdf_sha256_expand(out, outlen, PRK, SHA256_DIGEST_BYTES, info, infolen);
  wipe(PRK, 32);
  return r;
}
