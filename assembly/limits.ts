// Sizes and limits of the module, shared by the ABI layer (assembly/abi/)
// and the domain code below it. Each has a getter and an IACSEC_* constant
// in bindings/; a test checks that they agree.

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
/** Largest firmware manifest accepted by iacsec_fw_begin (a COSE_Sign1). */
export const MANIFEST_MAX_BYTES: u32 = 2048;
/** Trust anchors held (supplier and asset-owner, revoked ones included). */
export const ANCHORS_MAX: u32 = 8;
/** Revoked key ids held. */
export const REVOKED_MAX: u32 = 16;
/** Components with a stored security counter. */
export const COUNTERS_MAX: u32 = 16;
/** Size of one event record (iacsec_event_next). */
export const EVENT_BYTES: u32 = 128;
/** Events the queue holds before it counts them as dropped. */
export const EVENTS_MAX: u32 = 32;
/** Size of one anchor record (iacsec_anchor_get). */
export const ANCHOR_RECORD_BYTES: u32 = 112;
/** Components granted to asset-owner anchors, in all (a grant: anchor, component). */
export const GRANTS_MAX: u32 = 16;
/** Components one add-owner statement may grant. */
export const GRANTS_PER_STATEMENT_MAX: u32 = 8;
/** Size of the verified-manifest record (iacsec_fw_manifest). */
export const FW_INFO_BYTES: u32 = 256;
/** Longest component name (manifest key 3, and the slot named to iacsec_fw_begin). */
export const COMPONENT_MAX_BYTES: u32 = 64;
/**
 * Largest sealed state blob any build writes (iacsec_state_export); a backup
 * (iacsec_state_backup) adds a 64-byte signature, and both fit the I/O area.
 */
export const STATE_MAX_BYTES: u32 = 61440;
