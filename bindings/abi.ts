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
  ERR_AUTH: { code: -35, name: 'ERR_AUTH', meaning: 'authentication failed (unknown user, wrong password or code, disabled or locked account: one answer)' },
  ERR_POLICY: { code: -36, name: 'ERR_POLICY', meaning: 'the new password does not meet the password policy' },
  ERR_MUST_CHANGE: { code: -37, name: 'ERR_MUST_CHANGE', meaning: 'the account must change its password first' },
  ERR_DENIED: { code: -38, name: 'ERR_DENIED', meaning: "the session's role does not carry the permission" },
  ERR_SESSION: { code: -39, name: 'ERR_SESSION', meaning: 'unknown, expired, terminated or forged session id' },
  ERR_SESSION_LOCKED: { code: -40, name: 'ERR_SESSION_LOCKED', meaning: 'the session is locked after inactivity: re-authenticate' },
  ERR_SESSION_LIMIT: { code: -41, name: 'ERR_SESSION_LIMIT', meaning: 'the concurrent session limit is reached' },
  ERR_UNKNOWN_ROLE: { code: -42, name: 'ERR_UNKNOWN_ROLE', meaning: 'no role with this index' },
  ERR_MFA_REQUIRED: { code: -43, name: 'ERR_MFA_REQUIRED', meaning: 'the password was right but the account needs a second factor and none was sent (send the code with the password: any wrong part then answers ERR_AUTH)' },
  ERR_NAME_TAKEN: { code: -44, name: 'ERR_NAME_TAKEN', meaning: 'the name is already taken' },
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
  ACCOUNTS_MAX: 64,
  NAME_MAX_BYTES: 32,
  PASSWORD_MAX_BYTES: 128,
  HISTORY_MAX: 8,
  ROLES_MAX: 16,
  ROLE_NAME_MAX_BYTES: 24,
  SESSIONS_MAX: 32,
  SESSION_ID_BYTES: 16,
  IFACES_MAX: 8,
  SOURCE_MAX_BYTES: 64,
  SOURCES_MAX: 256,
  PROFILE_BYTES: 80,
  USER_INFO_BYTES: 96,
  SESSION_INFO_BYTES: 64,
  ROLE_BYTES: 32,
  TOTP_SECRET_MAX_BYTES: 64,
  RECOVERY_CODES: 10,
  CONTEXT_WORDS_MAX: 8,
  CONTEXT_WORD_MAX_BYTES: 32,
  RL_SOURCES_MAX: 10240,
  RL_SETS: 1280,
  RL_WAYS: 8,
  PEERS_MAX: 16,
  PEER_BYTES: 112,
  CHALLENGE_BYTES: 32,
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
  AUTH: 1 << 16,
  TOTP: 1 << 17,
  RATELIMIT: 1 << 18,
  DEVICE_AUTH: 1 << 19,
  SHA1: 1 << 20,
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
  48: 'LOGIN_OK',
  49: 'LOGIN_FAILED',
  50: 'LOGIN_BAD_INPUT',
  51: 'LOGIN_ACCOUNT_LOCKED',
  52: 'LOGIN_SOURCE_LOCKED',
  53: 'ACCOUNT_LOCKED',
  54: 'ACCOUNT_UNLOCKED',
  55: 'ACCOUNT_LOCK_EXPIRED',
  56: 'SOURCE_LOCKED',
  57: 'SOURCE_UNLOCKED',
  58: 'USER_ADDED',
  59: 'USER_MODIFIED',
  60: 'USER_DISABLED',
  61: 'USER_ENABLED',
  62: 'USER_REMOVED',
  63: 'PASSWORD_CHANGED',
  64: 'PASSWORD_REJECTED',
  65: 'ADMIN_DENIED',
  66: 'AUTHZ_DENIED',
  67: 'SESSION_LOCKED',
  68: 'SESSION_UNLOCKED',
  69: 'SESSION_EXPIRED',
  70: 'SESSION_TERMINATED',
  71: 'SESSION_LIMIT',
  72: 'SESSION_REJECTED',
  73: 'ROLE_CHANGED',
  74: 'ROLE_REMOVED',
  75: 'PROFILE_CHANGED',
  76: 'PROVISIONED',
  77: 'TOTP_ENROLLED',
  78: 'TOTP_CONFIRMED',
  79: 'TOTP_REJECTED',
  80: 'TOTP_REPLAYED',
  81: 'RECOVERY_CODE_USED',
  82: 'MFA_REQUIRED',
  83: 'ACCOUNT_LOCKED_BY_ADMIN',
  84: 'LOGIN_DELAYED',
  85: 'RL_SOURCE_LIMITED',
  86: 'RL_GLOBAL_LIMITED',
  87: 'RL_TABLE_FULL',
  88: 'RL_CONFIG_CHANGED',
  89: 'PEER_ADDED',
  90: 'PEER_REMOVED',
  91: 'PEER_AUTH_OK',
  92: 'PEER_AUTH_FAILED',
  93: 'DEVICE_AUTH_SIGNED',
  94: 'CONTEXT_CHANGED',
  95: 'SOURCE_TABLE_FULL',
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
  12: 'SHA-1 ("abc", FIPS 180-4)',
  13: 'HMAC-SHA1 (RFC 2202 test case 2)',
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

/** What the release module imports: entropy only (salts, session ids, TOTP secrets, challenges); time comes as an argument. */
export const IMPORTS: readonly (typeof ALLOWED_IMPORTS)[number][] = ['wasi_snapshot_preview1.random_get'];

type Sig = readonly ('i32' | 'i64')[];

/** Permission bits of iacsec_auth_authorize and role records (16..31 are the product's own). */
export const PERMISSIONS = {
  USER_ADMIN: 0,
  ROLE_ADMIN: 1,
  SESSION_ADMIN: 2,
  SECURITY_ADMIN: 3,
  AUDIT_READ: 4,
  FIRMWARE_UPDATE: 5,
  CONFIG_READ: 6,
  CONFIG_WRITE: 7,
  PROCESS_READ: 8,
  PROCESS_WRITE: 9,
  PROCESS_OPERATE: 10,
} as const;

/** Account flags (USER_INFO byte 5). DELAY and MFA are set by iacsec_user_modify. */
export const ACCOUNT_FLAGS = { DISABLED: 1, MUST_CHANGE: 2, TOTP: 4, TOTP_PENDING: 8, DELAY: 16, MFA: 32 } as const;

/** Peer device key kinds (iacsec_peer_add). */
export const PEER_KIND = { ed25519: 1, hmac: 2 } as const;

/** TOTP/HOTP algorithms. */
export const OTP_ALG = { SHA1: 1, SHA256: 2, SHA512: 3 } as const;

/** Security profile record (PROFILE_BYTES): u32 fields, little-endian, at these offsets. */
export const PROFILE_FIELDS = {
  iterations: 0, minLength: 4, history: 8, minLifetime: 12, maxLifetime: 16, lockThreshold: 20, lockWindow: 24,
  lockDuration: 28, sourceThreshold: 32, sourceWindow: 36, sourceDuration: 40, idleLock: 44, idleTerminate: 48,
  sessionMax: 52, sessionsPerUser: 56, sessionsPerInterface: 60, flags: 64, delayBase: 68, delayMax: 72,
} as const;
export interface ExportInfo { readonly params: Sig; readonly results: Sig; readonly doc: string; }

const i32 = 'i32' as const;
const i64 = 'i64' as const;

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
  iacsec_sha1: { params: [i32, i32, i32], results: [i32], doc: '(out[20], msg, msg_len)' },
  iacsec_hmac_sha1: { params: [i32, i32, i32, i32, i32], results: [i32], doc: '(out[20], key, key_len, msg, msg_len)' },
  iacsec_auth_provision: { params: [i32, i32, i32, i32, i32, i64], results: [i32], doc: '(name, name_len, pw, pw_len, factory_default, now): first administrator, once' },
  iacsec_auth_login: { params: [i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i64], results: [i32], doc: '(out_sid[16], user, user_len, pw, pw_len, code, code_len, src, src_len, iface, now)' },
  iacsec_auth_logout: { params: [i32, i64], results: [i32], doc: '(sid[16], now)' },
  iacsec_auth_authorize: { params: [i32, i32, i64], results: [i32], doc: '(sid[16], permission, now) -> OK or the reason of the denial' },
  iacsec_auth_session_unlock: { params: [i32, i32, i32, i32, i32, i64], results: [i32], doc: '(sid[16], pw, pw_len, code, code_len, now): re-authenticate after an idle lock' },
  iacsec_auth_passwd: { params: [i32, i32, i32, i32, i32, i64], results: [i32], doc: '(sid[16], old, old_len, new, new_len, now): change own password' },
  iacsec_user_add: { params: [i32, i32, i32, i32, i32, i32, i64], results: [i32], doc: '(sid[16], name, name_len, pw, pw_len, role, now)' },
  iacsec_user_passwd: { params: [i32, i32, i32, i32, i32, i64], results: [i32], doc: '(sid[16], name, name_len, pw, pw_len, now): set a temporary password' },
  iacsec_user_modify: { params: [i32, i32, i32, i32, i32, i64], results: [i32], doc: '(sid[16], name, name_len, role or -1, flags or -1, now)' },
  iacsec_user_enable: { params: [i32, i32, i32, i32, i64], results: [i32], doc: '(sid[16], name, name_len, enable 0/1, now)' },
  iacsec_user_remove: { params: [i32, i32, i32, i64], results: [i32], doc: '(sid[16], name, name_len, now)' },
  iacsec_user_lock: { params: [i32, i32, i32, i32, i64], results: [i32], doc: '(sid[16], name, name_len, lock 1 / unlock 0, now)' },
  iacsec_user_info: { params: [i32, i32, i32, i32, i64], results: [i32], doc: '(sid[16], name, name_len, out[USER_INFO_BYTES], now) -> OK or END' },
  iacsec_user_info_at: { params: [i32, i32, i32, i64], results: [i32], doc: '(sid[16], index, out[USER_INFO_BYTES], now) -> OK or END' },
  iacsec_source_unlock: { params: [i32, i32, i32, i64], results: [i32], doc: '(sid[16], src, src_len, now) -> OK or END' },
  iacsec_role_set: { params: [i32, i32, i32, i32, i32, i32, i64], results: [i32], doc: '(sid[16], index, name, name_len, permissions, flags, now)' },
  iacsec_role_remove: { params: [i32, i32, i64], results: [i32], doc: '(sid[16], index, now)' },
  iacsec_role_get: { params: [i32, i32], results: [i32], doc: '(index, out[ROLE_BYTES]) -> OK, END (free) or ERR_UNKNOWN_ROLE' },
  iacsec_auth_profile_set: { params: [i32, i32, i64], results: [i32], doc: '(sid[16], profile[PROFILE_BYTES], now)' },
  iacsec_auth_profile_get: { params: [i32], results: [i32], doc: '(out[PROFILE_BYTES])' },
  iacsec_auth_context_set: { params: [i32, i32, i32, i64], results: [i32], doc: '(sid[16], words, words_len, now): newline-separated context words' },
  iacsec_session_info_at: { params: [i32, i32, i32, i64], results: [i32], doc: '(sid[16], index, out[SESSION_INFO_BYTES], now) -> OK or END' },
  iacsec_auth_session_info: { params: [i32, i32, i64], results: [i32], doc: "(sid[16], out[SESSION_INFO_BYTES], now): the caller's own session" },
  iacsec_session_kill: { params: [i32, i32, i64], results: [i32], doc: '(sid[16], serial, now) -> OK or END' },
  iacsec_totp_enroll: { params: [i32, i32, i32, i32, i32, i32, i32, i64], results: [i32], doc: '(sid[16], name, name_len, alg, digits, secret_len, out[TOTP_SECRET_MAX_BYTES + 4 * RECOVERY_CODES], now)' },
  iacsec_totp_confirm: { params: [i32, i32, i32, i64], results: [i32], doc: '(sid[16], code, code_len, now)' },
  iacsec_totp_generate: { params: [i32, i32, i32, i32, i32, i32, i64], results: [i32], doc: '(out[4], key, key_len, alg, digits, period, unix_seconds)' },
  iacsec_ratelimit_check: { params: [i32, i32, i64], results: [i32], doc: '(src, src_len, now) -> OK or ERR_LOCKED' },
  iacsec_ratelimit_status: { params: [i32, i32, i32, i64], results: [i32], doc: '(src, src_len, out[16], now)' },
  iacsec_ratelimit_config: { params: [i32, i32, i32, i32, i32, i64], results: [i32], doc: '(sid[16], src_rate, src_burst, global_rate, global_burst, now)' },
  iacsec_ratelimit_config_get: { params: [i32], results: [i32], doc: '(out[16])' },
  iacsec_ratelimit_count: { params: [i32, i32, i64], results: [i32], doc: '(out[4], busy, now)' },
  iacsec_device_auth_sign: { params: [i32, i32, i32], results: [i32], doc: "(sig_out[64], challenge, challenge_len): the device key over the device-authentication message" },
  iacsec_peer_add: { params: [i32, i32, i32, i32, i32, i32, i64], results: [i32], doc: '(sid[16], name, name_len, kind, key, key_len, now): 1 Ed25519 public key, 2 HMAC-SHA256 key' },
  iacsec_peer_remove: { params: [i32, i32, i32, i64], results: [i32], doc: '(sid[16], name, name_len, now) -> OK or END' },
  iacsec_peer_get: { params: [i32, i32], results: [i32], doc: '(index, out[PEER_BYTES]) -> OK or END; never an HMAC key' },
  iacsec_peer_challenge: { params: [i32, i64], results: [i32], doc: '(out[CHALLENGE_BYTES], now): single use, 60 s' },
  iacsec_peer_verify: { params: [i32, i32, i32, i32, i32, i64], results: [i32], doc: '(name, name_len, challenge[32], proof, proof_len, now) -> OK or ERR_AUTH' },
  iacsec_peers_max: { params: [], results: [i32], doc: 'IACSEC_PEERS_MAX' },
  iacsec_peer_bytes: { params: [], results: [i32], doc: 'IACSEC_PEER_BYTES' },
  iacsec_challenge_bytes: { params: [], results: [i32], doc: 'IACSEC_CHALLENGE_BYTES' },
  iacsec_accounts_max: { params: [], results: [i32], doc: 'IACSEC_ACCOUNTS_MAX' },
  iacsec_name_max_bytes: { params: [], results: [i32], doc: 'IACSEC_NAME_MAX_BYTES' },
  iacsec_password_max_bytes: { params: [], results: [i32], doc: 'IACSEC_PASSWORD_MAX_BYTES' },
  iacsec_history_max: { params: [], results: [i32], doc: 'IACSEC_HISTORY_MAX' },
  iacsec_roles_max: { params: [], results: [i32], doc: 'IACSEC_ROLES_MAX' },
  iacsec_role_name_max_bytes: { params: [], results: [i32], doc: 'IACSEC_ROLE_NAME_MAX_BYTES' },
  iacsec_sessions_max: { params: [], results: [i32], doc: 'IACSEC_SESSIONS_MAX' },
  iacsec_session_id_bytes: { params: [], results: [i32], doc: 'IACSEC_SESSION_ID_BYTES' },
  iacsec_ifaces_max: { params: [], results: [i32], doc: 'IACSEC_IFACES_MAX' },
  iacsec_source_max_bytes: { params: [], results: [i32], doc: 'IACSEC_SOURCE_MAX_BYTES' },
  iacsec_sources_max: { params: [], results: [i32], doc: 'IACSEC_SOURCES_MAX' },
  iacsec_profile_bytes: { params: [], results: [i32], doc: 'IACSEC_PROFILE_BYTES' },
  iacsec_user_info_bytes: { params: [], results: [i32], doc: 'IACSEC_USER_INFO_BYTES' },
  iacsec_session_info_bytes: { params: [], results: [i32], doc: 'IACSEC_SESSION_INFO_BYTES' },
  iacsec_role_bytes: { params: [], results: [i32], doc: 'IACSEC_ROLE_BYTES' },
  iacsec_totp_secret_max_bytes: { params: [], results: [i32], doc: 'IACSEC_TOTP_SECRET_MAX_BYTES' },
  iacsec_recovery_codes: { params: [], results: [i32], doc: 'IACSEC_RECOVERY_CODES' },
  iacsec_context_words_max: { params: [], results: [i32], doc: 'IACSEC_CONTEXT_WORDS_MAX' },
  iacsec_context_word_max_bytes: { params: [], results: [i32], doc: 'IACSEC_CONTEXT_WORD_MAX_BYTES' },
  iacsec_rl_sources_max: { params: [], results: [i32], doc: 'IACSEC_RL_SOURCES_MAX' },
  iacsec_rl_sets: { params: [], results: [i32], doc: 'IACSEC_RL_SETS' },
  iacsec_rl_ways: { params: [], results: [i32], doc: 'IACSEC_RL_WAYS' },
} as const satisfies Record<string, ExportInfo>;

export type ExportName = keyof typeof EXPORTS;
