// Sizes and limits of the ABI. Each has a getter in index.ts and an
// IACSEC_* constant in bindings/; a test checks that they agree.

/** Largest PBKDF2 iteration count accepted (IACSEC_PBKDF2_MAX_ITERATIONS). */
export const PBKDF2_MAX_ITERATIONS: u32 = 10_000_000;
/** Largest HKDF-SHA256 output (RFC 5869 section 2.3: 255 * HashLen). */
export const HKDF_SHA256_MAX_BYTES: u32 = 255 * 32;
export const SHA256_BYTES: u32 = 32;
export const SHA512_BYTES: u32 = 64;
export const ED25519_PUBLICKEYBYTES: u32 = 32;
export const ED25519_SEEDBYTES: u32 = 32;
export const ED25519_BYTES: u32 = 64;
/** Longest SEC1 public key accepted by iacsec_p256_verify (uncompressed form). */
export const P256_PUBLICKEYBYTES_MAX: u32 = 65;
/** Longest signature accepted by iacsec_p256_verify (DER: SEQUENCE of two 33-byte INTEGERs). */
export const P256_SIGBYTES_MAX: u32 = 72;
