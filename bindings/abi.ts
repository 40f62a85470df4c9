// The ABI of iacsec.wasm as data: status codes, sizes, capability bits,
// self-test ids, imports and exports. assembly/status.ts and
// bindings/c/iacsec.h state the same; tests/host/abi.test.js checks all three
// against each other and against a built module.

export const ABI_VERSION = 2;

export interface StatusInfo { readonly code: number; readonly name: string; readonly meaning: string; }

/** Every status code the module returns (the C header names them IACSEC_<name>). */
export const STATUS = {
  OK: { code: 0, name: 'OK', meaning: 'success' },
  END: { code: 1, name: 'END', meaning: 'end of data, or nothing found (not an error)' },
  ERR_INVALID: { code: -1, name: 'ERR_INVALID', meaning: 'verification failed, or an argument value is not acceptable' },
  ERR_LENGTH: { code: -2, name: 'ERR_LENGTH', meaning: 'a length is outside what the function accepts' },
  ERR_MALFORMED: { code: -3, name: 'ERR_MALFORMED', meaning: 'encoded input is malformed' },
  ERR_BUFFER_SMALL: { code: -4, name: 'ERR_BUFFER_SMALL', meaning: 'the output buffer is too small' },
  ERR_LOCKED: { code: -5, name: 'ERR_LOCKED', meaning: 'locked out or rate-limited' },
  ERR_BOUNDS: { code: -6, name: 'ERR_BOUNDS', meaning: 'a pointer and length do not lie inside the I/O area' },
  ERR_STATE: { code: -7, name: 'ERR_STATE', meaning: 'call out of order, or a stale or unknown handle' },
  ERR_NO_SLOT: { code: -8, name: 'ERR_NO_SLOT', meaning: 'every context slot of this kind is in use' },
  ERR_SELFTEST: { code: -9, name: 'ERR_SELFTEST', meaning: 'the power-on self-test has not passed: crypto is disabled' },
  ERR_UNSUPPORTED: { code: -10, name: 'ERR_UNSUPPORTED', meaning: 'unsupported algorithm, format or option' },
  ERR_UNKNOWN_KEY: { code: -11, name: 'ERR_UNKNOWN_KEY', meaning: 'no trust anchor has this key id' },
  ERR_REVOKED: { code: -12, name: 'ERR_REVOKED', meaning: 'the key id is on the revocation list' },
  ERR_ROLLBACK: { code: -13, name: 'ERR_ROLLBACK', meaning: 'the security counter is below the stored minimum (anti-rollback)' },
  ERR_WRONG_VENDOR: { code: -14, name: 'ERR_WRONG_VENDOR', meaning: 'the manifest is for another vendor' },
  ERR_WRONG_CLASS: { code: -15, name: 'ERR_WRONG_CLASS', meaning: 'the manifest is for another device class' },
  ERR_DIGEST: { code: -16, name: 'ERR_DIGEST', meaning: 'the image digest differs from the manifest' },
  ERR_SIZE: { code: -17, name: 'ERR_SIZE', meaning: 'the image is longer or shorter than the manifest declares' },
  ERR_CRITICAL: { code: -18, name: 'ERR_CRITICAL', meaning: 'an unknown critical field or header' },
  ERR_UNAUTHORIZED: { code: -19, name: 'ERR_UNAUTHORIZED', meaning: 'the change needs an authorization it does not carry' },
  ERR_FULL: { code: -20, name: 'ERR_FULL', meaning: 'a fixed-capacity table is full' },
  ERR_EXISTS: { code: -21, name: 'ERR_EXISTS', meaning: 'already present: the key id is already a trust anchor, or already revoked' },
  ERR_WRONG_COMPONENT: { code: -22, name: 'ERR_WRONG_COMPONENT', meaning: 'the manifest is for another component than the slot being checked' },
  ERR_LAST_ANCHOR: { code: -23, name: 'ERR_LAST_ANCHOR', meaning: 'the change would leave the device without an active supplier anchor' },
  ERR_KID_REVOKED: { code: -24, name: 'ERR_KID_REVOKED', meaning: 'the key id to add was revoked: a revoked key id is never trusted again' },
  ERR_FAILSECURE: { code: -25, name: 'ERR_FAILSECURE', meaning: 'the stored state failed to load: fail-secure until a recovery' },
  ERR_STALE: { code: -26, name: 'ERR_STALE', meaning: 'the statement expects another current value: stale or replayed' },
} as const satisfies Record<string, StatusInfo>;

export type StatusName = keyof typeof STATUS;

/** The status with this code, if any. */
export function statusByCode(code: number): StatusInfo | undefined {
  return Object.values(STATUS).find((s) => s.code === code);
}

/** Sizes and limits: IACSEC_<name> in C; each has the getter iacsec_<lowercase name>(). */
export const SIZES = {
  IO_BYTES: 65536,
  SLOTS: 8,
  SHA256_BYTES: 32,
  SHA512_BYTES: 64,
  PBKDF2_MAX_ITERATIONS: 10_000_000,
  HKDF_SHA256_MAX_BYTES: 8160,
  ED25519_PUBLICKEYBYTES: 32,
  ED25519_SEEDBYTES: 32,
  ED25519_BYTES: 64,
  P256_PUBLICKEYBYTES_MAX: 65,
  P256_SIGBYTES_MAX: 72,
  MANIFEST_MAX_BYTES: 2048,
  ANCHORS_MAX: 8,
  REVOKED_MAX: 16,
  COUNTERS_MAX: 16,
  EVENT_BYTES: 128,
  EVENTS_MAX: 32,
  ANCHOR_RECORD_BYTES: 112,
  STATE_MAX_BYTES: 61440,
  GRANTS_MAX: 16,
  FW_INFO_BYTES: 256,
  COMPONENT_MAX_BYTES: 64,
} as const;

/** Capability bits of iacsec_caps(); a retired bit stays reserved. */
export const CAPS = {
  SHA256: 1 << 0,
  SHA512: 1 << 1,
  HMAC: 1 << 2,
  PBKDF2: 1 << 3,
  HKDF: 1 << 4,
  ED25519_VERIFY: 1 << 5,
  ED25519_SIGN: 1 << 6,
  P256_VERIFY: 1 << 7,
  COSE_SIGN1: 1 << 8,
  FIRMWARE: 1 << 9,
  DEVICE_KEY: 1 << 10,
} as const;

/** iacsec_fw_begin's purpose argument. */
export const FW_PURPOSE = { install: 0, boot: 1 } as const;

/** COSE algorithm ids on the allow-list (RFC 9053): iacsec_anchor_add_supplier's alg argument. */
export const COSE_ALG = { EdDSA: -8, ES256: -7 } as const;

/** Anchor roles in an ANCHOR record (byte 0). */
export const ANCHOR_ROLES: Readonly<Record<number, string>> = { 1: 'supplier', 2: 'owner' };

/**
 * Event record types (EVENT bytes [0, 2)). Layout of the IACSEC_EVENT_BYTES record,
 * little-endian: [0,2) u16 type, [2,4) i16 status, [4,8) u32 sequence,
 * [8,16) u64 a, [16,24) u64 b, [24] kid length, [25,57) kid, [57] role,
 * [58] component length, [59,123) component name, rest zero.
 */
export const EVENT_TYPES: Readonly<Record<number, string>> = {
  1: 'FW_ACCEPTED',
  2: 'FW_REJECTED',
  3: 'COUNTER_RAISED',
  4: 'ANCHOR_ADDED',
  5: 'ANCHOR_REVOKED',
  6: 'BOOT_CHECK_PASSED',
  7: 'BOOT_CHECK_FAILED',
  8: 'PROVISIONING_CLOSED',
  9: 'STATE_IMPORTED',
  10: 'EVENTS_DROPPED',
  11: 'STATE_IMPORT_REJECTED',
  12: 'TRUST_STATEMENT_REJECTED',
  13: 'COUNTER_SET',
  14: 'STATE_RECOVERED',
  15: 'STATE_BACKUP',
  16: 'STATE_RESTORED',
  17: 'STATE_RESTORE_REJECTED',
  18: 'FW_SESSION_REFUSED',
};

/** Signature encodings for iacsec_p256_verify's format argument. */
export const P256_FORMAT = { raw: 0, der: 1 } as const;

/** Known-answer tests of iacsec_selftest(), by the id iacsec_selftest_failed() reports. */
export const SELFTEST_IDS: Readonly<Record<number, string>> = {
  1: 'SHA-256 ("abc", FIPS 180-4)',
  2: 'SHA-256 streaming ("abc" split 1+2)',
  3: 'SHA-512 ("abc", FIPS 180-4)',
  4: 'HMAC-SHA256 (RFC 4231 test case 2)',
  5: 'HMAC-SHA512 (RFC 4231 test case 2)',
  6: 'PBKDF2-HMAC-SHA256 (RFC 7914 section 11)',
  7: 'HKDF-SHA256 (RFC 5869 A.1)',
  8: 'Ed25519 public key (RFC 8032 7.1 TEST 1)',
  9: 'Ed25519 sign (RFC 8032 7.1 TEST 1)',
  10: 'Ed25519 verify (accept RFC 8032 TEST 1, refuse a changed bit)',
  11: 'ECDSA P-256 verify (accept Wycheproof tcId 1, refuse a changed bit)',
};

/**
 * The WASI preview 1 functions a build of the module may import, and the host
 * provides: a clock, entropy, and fd_write/proc_exit for an abort message.
 * Hosts refuse a module that imports anything else.
 */
export const ALLOWED_IMPORTS = [
  'wasi_snapshot_preview1.clock_time_get',
  'wasi_snapshot_preview1.random_get',
  'wasi_snapshot_preview1.fd_write',
  'wasi_snapshot_preview1.proc_exit',
] as const;

/** What the release module imports today: nothing (no code path aborts, reads the clock or draws entropy yet). */
export const IMPORTS: readonly (typeof ALLOWED_IMPORTS)[number][] = [];

type Sig = readonly ('i32' | 'i64')[];
export interface ExportInfo { readonly params: Sig; readonly results: Sig; readonly doc: string; }

const i32 = 'i32' as const;

/** Every function export of the release module, with its wasm signature. */
export const EXPORTS = {
  _initialize: { params: [], results: [], doc: 'WASI reactor start: sets up static data; call once after instantiation' },
  iacsec_abi_version: { params: [], results: [i32], doc: 'ABI version' },
  iacsec_caps: { params: [], results: [i32], doc: 'capability bitmask (CAPS)' },
  iacsec_io_ptr: { params: [], results: [i32], doc: 'address of the I/O area' },
  iacsec_io_bytes: { params: [], results: [i32], doc: 'size of the I/O area' },
  iacsec_static_bytes: { params: [], results: [i32], doc: 'bytes of linear memory taken by static data and tables' },
  iacsec_selftest: { params: [], results: [i32], doc: 'run the power-on self-test: OK or ERR_SELFTEST' },
  iacsec_selftest_failed: { params: [], results: [i32], doc: 'id of the known-answer test that failed (0: none)' },
  iacsec_zeroize: { params: [], results: [i32], doc: 'wipe every secret the module keeps between calls (CR 4.2)' },
  iacsec_slots: { params: [], results: [i32], doc: 'IACSEC_SLOTS' },
  iacsec_sha256_bytes: { params: [], results: [i32], doc: 'IACSEC_SHA256_BYTES' },
  iacsec_sha512_bytes: { params: [], results: [i32], doc: 'IACSEC_SHA512_BYTES' },
  iacsec_pbkdf2_max_iterations: { params: [], results: [i32], doc: 'IACSEC_PBKDF2_MAX_ITERATIONS' },
  iacsec_hkdf_sha256_max_bytes: { params: [], results: [i32], doc: 'IACSEC_HKDF_SHA256_MAX_BYTES' },
  iacsec_ed25519_publickeybytes: { params: [], results: [i32], doc: 'IACSEC_ED25519_PUBLICKEYBYTES' },
  iacsec_ed25519_seedbytes: { params: [], results: [i32], doc: 'IACSEC_ED25519_SEEDBYTES' },
  iacsec_ed25519_bytes: { params: [], results: [i32], doc: 'IACSEC_ED25519_BYTES' },
  iacsec_p256_publickeybytes_max: { params: [], results: [i32], doc: 'IACSEC_P256_PUBLICKEYBYTES_MAX' },
  iacsec_p256_sigbytes_max: { params: [], results: [i32], doc: 'IACSEC_P256_SIGBYTES_MAX' },
  iacsec_sha256: { params: [i32, i32, i32], results: [i32], doc: '(out[32], msg, msg_len)' },
  iacsec_sha512: { params: [i32, i32, i32], results: [i32], doc: '(out[64], msg, msg_len)' },
  iacsec_sha256_init: { params: [], results: [i32], doc: '() -> handle > 0, or ERR_NO_SLOT' },
  iacsec_sha256_update: { params: [i32, i32, i32], results: [i32], doc: '(handle, msg, msg_len)' },
  iacsec_sha256_final: { params: [i32, i32], results: [i32], doc: '(handle, out[32]); frees the handle' },
  iacsec_sha256_abort: { params: [i32], results: [i32], doc: '(handle); frees the handle' },
  iacsec_sha512_init: { params: [], results: [i32], doc: '() -> handle > 0, or ERR_NO_SLOT' },
  iacsec_sha512_update: { params: [i32, i32, i32], results: [i32], doc: '(handle, msg, msg_len)' },
  iacsec_sha512_final: { params: [i32, i32], results: [i32], doc: '(handle, out[64]); frees the handle' },
  iacsec_sha512_abort: { params: [i32], results: [i32], doc: '(handle); frees the handle' },
  iacsec_hmac_sha256: { params: [i32, i32, i32, i32, i32], results: [i32], doc: '(out[32], key, key_len, msg, msg_len)' },
  iacsec_hmac_sha512: { params: [i32, i32, i32, i32, i32], results: [i32], doc: '(out[64], key, key_len, msg, msg_len)' },
  iacsec_pbkdf2_sha256: { params: [i32, i32, i32, i32, i32, i32, i32], results: [i32], doc: '(out, out_len, password, password_len, salt, salt_len, iterations)' },
  iacsec_hkdf_sha256: { params: [i32, i32, i32, i32, i32, i32, i32, i32], results: [i32], doc: '(out, out_len, ikm, ikm_len, salt, salt_len, info, info_len)' },
  iacsec_ed25519_verify: { params: [i32, i32, i32, i32], results: [i32], doc: '(pk[32], msg, msg_len, sig[64]) -> OK or ERR_INVALID' },
  iacsec_ed25519_public_key: { params: [i32, i32], results: [i32], doc: '(pk_out[32], seed[32])' },
  iacsec_ed25519_sign: { params: [i32, i32, i32, i32], results: [i32], doc: '(sig_out[64], seed[32], msg, msg_len)' },
  iacsec_p256_verify: { params: [i32, i32, i32, i32, i32, i32, i32], results: [i32], doc: '(pk, pk_len, msg, msg_len, sig, sig_len, format) -> OK or ERR_INVALID' },
  iacsec_cose_sign1_verify: { params: [i32, i32, i32, i32, i32, i32], results: [i32], doc: '(msg, msg_len, aad, aad_len, pk, pk_len): COSE_Sign1 with EdDSA or ES256' },
  iacsec_device_set: { params: [i32, i32], results: [i32], doc: '(vendor[16], class_id[16]); only while provisioning is open (EDR 3.12)' },
  iacsec_anchor_add_supplier: { params: [i32, i32, i32, i32, i32], results: [i32], doc: '(kid, kid_len, pk, pk_len, alg); only while provisioning is open (EDR 3.12)' },
  iacsec_provisioning_close: { params: [], results: [i32], doc: 'close provisioning for good: needs the device ids and one supplier anchor' },
  iacsec_provisioning_is_open: { params: [], results: [i32], doc: '1 while provisioning is open, else 0' },
  iacsec_trust_statement_apply: { params: [i32, i32], results: [i32], doc: '(stmt, stmt_len): supplier-signed add-owner or revoke (EDR 3.13)' },
  iacsec_anchor_count: { params: [], results: [i32], doc: 'number of trust anchors' },
  iacsec_anchor_get: { params: [i32, i32], results: [i32], doc: '(index, out[ANCHOR_RECORD_BYTES]) -> OK or END' },
  iacsec_grant_get: { params: [i32, i32], results: [i32], doc: '(index, out[40]): u8 owner anchor index, 7 zero, SHA-256 of a granted component -> OK or END' },
  iacsec_fw_begin: { params: [i32, i32, i32, i32, i32], results: [i32], doc: '(manifest, manifest_len, component, component_len, purpose): verify the manifest for this slot, open the image session' },
  iacsec_fw_manifest: { params: [i32], results: [i32], doc: '(out[FW_INFO_BYTES]): the fields of the manifest the last begin verified' },
  iacsec_fw_update: { params: [i32, i32], results: [i32], doc: '(chunk, len): stream image bytes into the digest' },
  iacsec_fw_finish: { params: [], results: [i32], doc: 'compare size and digest; on install raise the security counter' },
  iacsec_fw_abort: { params: [], results: [i32], doc: 'close the image session' },
  iacsec_counter_get: { params: [i32, i32, i32], results: [i32], doc: '(name, name_len, out[8] u64 LE) -> OK or END (none stored)' },
  iacsec_event_next: { params: [i32], results: [i32], doc: '(out[EVENT_BYTES]) -> OK or END' },
  iacsec_state_seal_key: { params: [i32], results: [i32], doc: '(key[32]): the HMAC-SHA256 key sealing exported state' },
  iacsec_state_export: { params: [i32, i32], results: [i32], doc: '(out, out_cap) -> blob length, or an error' },
  iacsec_state_import: { params: [i32, i32, 'i64'], results: [i32], doc: '(blob, len, min_generation): into a fresh module, or a newer blob over the current state; all or nothing; a refusal enters fail-secure mode' },
  iacsec_state_generation: { params: [], results: ['i64'], doc: 'generation of the state held (raised by every export)' },
  iacsec_state_failsecure: { params: [], results: [i32], doc: '1 while fail-secure (stored state failed to load), else 0' },
  iacsec_state_recover: { params: [], results: [i32], doc: 'leave fail-secure mode by discarding the damaged state (factory-fresh, provisioning open)' },
  iacsec_state_backup: { params: [i32, i32], results: [i32], doc: '(out, out_cap) -> length of the sealed blob signed by the device key, or an error' },
  iacsec_state_restore: { params: [i32, i32], results: [i32], doc: '(backup, len): verify and restore; never lowers a counter, keeps live revocations' },
  iacsec_device_key_set: { params: [i32], results: [i32], doc: '(secret[32]): derive the device Ed25519 key, once per instance' },
  iacsec_device_public_key: { params: [i32], results: [i32], doc: '(out[32]): the device public key, or ERR_STATE before iacsec_device_key_set' },
  iacsec_manifest_max_bytes: { params: [], results: [i32], doc: 'IACSEC_MANIFEST_MAX_BYTES' },
  iacsec_anchors_max: { params: [], results: [i32], doc: 'IACSEC_ANCHORS_MAX' },
  iacsec_revoked_max: { params: [], results: [i32], doc: 'IACSEC_REVOKED_MAX' },
  iacsec_counters_max: { params: [], results: [i32], doc: 'IACSEC_COUNTERS_MAX' },
  iacsec_event_bytes: { params: [], results: [i32], doc: 'IACSEC_EVENT_BYTES' },
  iacsec_events_max: { params: [], results: [i32], doc: 'IACSEC_EVENTS_MAX' },
  iacsec_anchor_record_bytes: { params: [], results: [i32], doc: 'IACSEC_ANCHOR_RECORD_BYTES' },
  iacsec_state_max_bytes: { params: [], results: [i32], doc: 'IACSEC_STATE_MAX_BYTES' },
  iacsec_grants_max: { params: [], results: [i32], doc: 'IACSEC_GRANTS_MAX' },
  iacsec_fw_info_bytes: { params: [], results: [i32], doc: 'IACSEC_FW_INFO_BYTES' },
  iacsec_component_max_bytes: { params: [], results: [i32], doc: 'IACSEC_COMPONENT_MAX_BYTES' },
} as const satisfies Record<string, ExportInfo>;

export type ExportName = keyof typeof EXPORTS;
