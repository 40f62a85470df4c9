/*
 * iacsec.h - the ABI of iacsec.wasm for C firmware.
 *
 * The module is used through wasm2c (see bindings/c/README.md and
 * `npm run build:native`): every export below becomes a C function
 * w2c_iacsec_<name>(w2c_iacsec *instance, ...). Pointers are offsets into the
 * module's linear memory and must lie inside the I/O area
 * [iacsec_io_ptr(), iacsec_io_ptr() + IACSEC_IO_BYTES); outputs come first,
 * then inputs; variable-length data is a (ptr, len) pair. Every function
 * returns one of the status codes below. bindings/abi.ts holds the same
 * table; tests/host/abi.test.js checks that they agree.
 */
#ifndef IACSEC_H
#define IACSEC_H

#include <stdint.h>

#define IACSEC_ABI_VERSION 2

/* Status codes */
#define IACSEC_OK                0  /* success */
#define IACSEC_END               1  /* end of data, or nothing found (not an error) */
#define IACSEC_ERR_INVALID      -1  /* verification failed, or an argument value is not acceptable */
#define IACSEC_ERR_LENGTH       -2  /* a length is outside what the function accepts */
#define IACSEC_ERR_MALFORMED    -3  /* encoded input is malformed */
#define IACSEC_ERR_BUFFER_SMALL -4  /* the output buffer is too small */
#define IACSEC_ERR_LOCKED       -5  /* locked out or rate-limited */
#define IACSEC_ERR_BOUNDS       -6  /* a pointer and length do not lie inside the I/O area */
#define IACSEC_ERR_STATE        -7  /* call out of order, or a stale or unknown handle */
#define IACSEC_ERR_NO_SLOT      -8  /* every context slot of this kind is in use */
#define IACSEC_ERR_SELFTEST     -9  /* the power-on self-test has not passed: crypto is disabled */
#define IACSEC_ERR_UNSUPPORTED -10  /* unsupported algorithm, format or option */
#define IACSEC_ERR_UNKNOWN_KEY  -11  /* no trust anchor has this key id */
#define IACSEC_ERR_REVOKED      -12  /* the key id is on the revocation list */
#define IACSEC_ERR_ROLLBACK     -13  /* the security counter is below the stored minimum (anti-rollback) */
#define IACSEC_ERR_WRONG_VENDOR -14  /* the manifest is for another vendor */
#define IACSEC_ERR_WRONG_CLASS  -15  /* the manifest is for another device class */
#define IACSEC_ERR_DIGEST       -16  /* the image digest differs from the manifest */
#define IACSEC_ERR_SIZE         -17  /* the image is longer or shorter than the manifest declares */
#define IACSEC_ERR_CRITICAL     -18  /* an unknown critical field or header */
#define IACSEC_ERR_UNAUTHORIZED -19  /* the change needs an authorization it does not carry */
#define IACSEC_ERR_FULL         -20  /* a fixed-capacity table is full */
#define IACSEC_ERR_AUDIT_FULL   -30  /* the audit ring is full of unacknowledged records: record refused (reject policy) */
#define IACSEC_ERR_AUDIT_STALE  -31  /* the audit cursor names records already acknowledged or overwritten */
#define IACSEC_ERR_AUDIT_CURSOR -32  /* the audit cursor is past the next sequence number */
#define IACSEC_ERR_EXISTS       -21  /* already present: the key id is already a trust anchor, or already revoked */
#define IACSEC_ERR_WRONG_COMPONENT -22  /* the manifest is for another component than the slot being checked */
#define IACSEC_ERR_LAST_ANCHOR  -23  /* the change would leave the device without an active supplier anchor */
#define IACSEC_ERR_KID_REVOKED  -24  /* the key id to add was revoked: a revoked key id is never trusted again */
#define IACSEC_ERR_FAILSECURE   -25  /* the stored state failed to load: fail-secure until a recovery */
#define IACSEC_ERR_STALE        -26  /* the statement expects another current value: stale or replayed */
#define IACSEC_ERR_AUTH          -35  /* authentication failed (one answer for every reason, CR 1.10) */
#define IACSEC_ERR_POLICY        -36  /* the new password does not meet the password policy */
#define IACSEC_ERR_MUST_CHANGE   -37  /* the account must change its password first */
#define IACSEC_ERR_DENIED        -38  /* the session's role does not carry the permission */
#define IACSEC_ERR_SESSION       -39  /* unknown, expired, terminated or forged session id */
#define IACSEC_ERR_SESSION_LOCKED -40 /* the session is locked after inactivity: re-authenticate */
#define IACSEC_ERR_SESSION_LIMIT -41  /* the concurrent session limit is reached */
#define IACSEC_ERR_UNKNOWN_ROLE  -42  /* no role with this index */
#define IACSEC_ERR_MFA_REQUIRED  -43  /* the password was right, no second factor was sent (see CR 1.10 in the README) */
#define IACSEC_ERR_NAME_TAKEN    -44  /* the name is already taken */

/* Sizes and limits; each equals its getter iacsec_<lowercase name>() */
#define IACSEC_IO_BYTES               65536
#define IACSEC_SLOTS                  8
#define IACSEC_SHA256_BYTES           32
#define IACSEC_SHA512_BYTES           64
#define IACSEC_PBKDF2_MAX_ITERATIONS  10000000
#define IACSEC_HKDF_SHA256_MAX_BYTES  8160
#define IACSEC_ED25519_PUBLICKEYBYTES 32
#define IACSEC_ED25519_SEEDBYTES      32
#define IACSEC_ED25519_BYTES          64
#define IACSEC_P256_PUBLICKEYBYTES_MAX 65
#define IACSEC_P256_SIGBYTES_MAX      72
#define IACSEC_MANIFEST_MAX_BYTES     2048
#define IACSEC_ANCHORS_MAX            8
#define IACSEC_REVOKED_MAX            16
#define IACSEC_COUNTERS_MAX           16
#define IACSEC_EVENT_BYTES            128
#define IACSEC_EVENTS_MAX             32
#define IACSEC_ANCHOR_RECORD_BYTES    112
#define IACSEC_AUDIT_RING_BYTES       131072  /* linear memory of the ring (build time) */
#define IACSEC_AUDIT_DETAIL_MAX       256
#define IACSEC_AUDIT_TEXT_MAX         64
#define IACSEC_AUDIT_STATUS_BYTES     96
#define IACSEC_AUDIT_EXPORT_MIN_BYTES 2048
#define IACSEC_AUDIT_STATE_BYTES      192
#define IACSEC_STATE_MAX_BYTES        61440
#define IACSEC_FW_STATE_BYTES         2752    /* firmware section, iacsec_fw_state_read */
#define IACSEC_GRANTS_MAX             16
#define IACSEC_FW_INFO_BYTES          256
#define IACSEC_COMPONENT_MAX_BYTES    64
#define IACSEC_ACCOUNTS_MAX           64
#define IACSEC_NAME_MAX_BYTES         32
#define IACSEC_PASSWORD_MAX_BYTES     128
#define IACSEC_HISTORY_MAX            8
#define IACSEC_ROLES_MAX              16
#define IACSEC_ROLE_NAME_MAX_BYTES    24
#define IACSEC_SESSIONS_MAX           32
#define IACSEC_SESSION_ID_BYTES       16
#define IACSEC_IFACES_MAX             8
#define IACSEC_SOURCE_MAX_BYTES       64
#define IACSEC_SOURCES_MAX            256
#define IACSEC_PROFILE_BYTES          80
#define IACSEC_USER_INFO_BYTES        96
#define IACSEC_SESSION_INFO_BYTES     64
#define IACSEC_ROLE_BYTES             32
#define IACSEC_TOTP_SECRET_MAX_BYTES  64
#define IACSEC_RECOVERY_CODES         10
#define IACSEC_CONTEXT_WORDS_MAX      8
#define IACSEC_CONTEXT_WORD_MAX_BYTES 32
#define IACSEC_RL_SOURCES_MAX         10240
#define IACSEC_RL_SETS                1280
#define IACSEC_RL_WAYS                8
#define IACSEC_PEERS_MAX              16
#define IACSEC_PEER_BYTES             112
#define IACSEC_CHALLENGE_BYTES        32

/* Capability bits of iacsec_caps(); a retired bit stays reserved */
#define IACSEC_CAP_SHA256         (1 << 0)
#define IACSEC_CAP_SHA512         (1 << 1)
#define IACSEC_CAP_HMAC           (1 << 2)
#define IACSEC_CAP_PBKDF2         (1 << 3)
#define IACSEC_CAP_HKDF           (1 << 4)
#define IACSEC_CAP_ED25519_VERIFY (1 << 5)
#define IACSEC_CAP_ED25519_SIGN   (1 << 6)
#define IACSEC_CAP_P256_VERIFY    (1 << 7)
#define IACSEC_CAP_COSE_SIGN1     (1 << 8)
#define IACSEC_CAP_FIRMWARE       (1 << 9)
#define IACSEC_CAP_DEVICE_KEY     (1 << 10)
#define IACSEC_CAP_AUDIT_LOG      (1 << 13)
#define IACSEC_CAP_AUDIT_CHECKPOINT (1 << 14)
#define IACSEC_CAP_AUDIT_SEAL     (1 << 15)
#define IACSEC_CAP_AUTH           (1 << 16)
#define IACSEC_CAP_TOTP           (1 << 17)
#define IACSEC_CAP_RATELIMIT      (1 << 18)
#define IACSEC_CAP_DEVICE_AUTH    (1 << 19)
#define IACSEC_CAP_SHA1           (1 << 20)

/* Signature encodings for iacsec_p256_verify's format argument */
#define IACSEC_P256_FORMAT_RAW 0  /* r || s, 32 bytes each (COSE) */
#define IACSEC_P256_FORMAT_DER 1  /* ASN.1 DER SEQUENCE { INTEGER r, INTEGER s } */

/* iacsec_fw_begin's purpose argument */
#define IACSEC_FW_INSTALL 0  /* on success, raise the component's security counter */
#define IACSEC_FW_BOOT    1  /* boot check (EDR 3.14 RE1): no state change */

/* COSE algorithms on the allow-list (iacsec_anchor_add_supplier's alg) */
#define IACSEC_COSE_ALG_EDDSA -8
#define IACSEC_COSE_ALG_ES256 -7

/* Anchor roles (ANCHOR record byte 0) */
#define IACSEC_ROLE_SUPPLIER 1
#define IACSEC_ROLE_OWNER    2

/*
 * ANCHOR record (IACSEC_ANCHOR_RECORD_BYTES): [0] role, [1] alg (int8),
 * [2] revoked (0/1), [3] kid length, [4,36) kid, [36] public key length,
 * [37,102) public key, rest zero.
 *
 * EVENT record (IACSEC_EVENT_BYTES), little-endian: [0,2) u16 type,
 * [2,4) i16 status, [4,8) u32 sequence, [8,16) u64 a, [16,24) u64 b,
 * [24] kid length, [25,57) kid, [57] role, [58] component length,
 * [59,123) component name, rest zero.
 */
#define IACSEC_EV_FW_ACCEPTED               1   /* a = security counter, b = image size */
#define IACSEC_EV_FW_REJECTED               2   /* status = the reason */
#define IACSEC_EV_COUNTER_RAISED            3   /* a = old, b = new */
#define IACSEC_EV_ANCHOR_ADDED              4
#define IACSEC_EV_ANCHOR_REVOKED            5
#define IACSEC_EV_BOOT_CHECK_PASSED         6
#define IACSEC_EV_BOOT_CHECK_FAILED         7
#define IACSEC_EV_PROVISIONING_CLOSED       8
#define IACSEC_EV_STATE_IMPORTED            9
#define IACSEC_EV_EVENTS_DROPPED           10   /* a = how many were dropped */
#define IACSEC_EV_STATE_IMPORT_REJECTED    11
#define IACSEC_EV_TRUST_STATEMENT_REJECTED 12
#define IACSEC_EV_AUDIT_RECORDS_LOST       32   /* a = first lost sequence number, b = last */
#define IACSEC_EV_AUDIT_THRESHOLD          33   /* a = percent of the ring unacknowledged, b = threshold */
#define IACSEC_EV_AUDIT_RECORDS_REFUSED    34   /* a = records refused (reject policy) */
#define IACSEC_EV_AUDIT_RESTARTED          35   /* a = first sequence number that may be missing, b = resumed at */
#define IACSEC_EV_AUDIT_CONFIGURED         36   /* a = policy | threshold << 8, b = checkpoint interval */
#define IACSEC_EV_AUDIT_CLOCK_SYNC         37   /* a = old sync state, b = new */
#define IACSEC_EV_AUDIT_SEAL_KEY_SET       38   /* a = index of the first sealed checkpoint */

/*
 * Audit log (bindings/audit.cddl). Categories: 1 access control, 2 request
 * error, 3 control system event, 4 backup and restore, 5 configuration
 * change, 6 potential reconnaissance, 7 audit log event, 8 integrity event.
 * Outcomes: 0 success, 1 failure, 2 denied. Policies: 0 overwrite oldest
 * unacknowledged (default), 1 reject non-critical records while full.
 */
#define IACSEC_AUDIT_POLICY_OVERWRITE 0
#define IACSEC_AUDIT_POLICY_REJECT    1
/*
 * AUDIT STATUS (IACSEC_AUDIT_STATUS_BYTES), little-endian: [0,8) next sequence,
 * [8,16) last sequence, [16,24) first unacknowledged, [24,32) records lost,
 * [32,40) records refused, [40,48) last checkpoint index, [48,56) sequence it
 * covers, [56,60) ring bytes, [60,64) bytes used, [64,68) bytes unacknowledged,
 * [68,72) checkpoint interval, [72] policy, [73] threshold percent,
 * [74] above threshold, [75] clock sync state, [76] device key ready,
 * [77] seal key set, [80,88) first sealed checkpoint, [88,96) losses not yet recorded.
 * Export cursor (16 bytes): [0,8) u64 cursor in/out, [8,12) bytes written, [12,16) flags (bit 0: more).
 */
#define IACSEC_EV_COUNTER_SET              13   /* a = old, b = new (supplier set-counter statement) */
#define IACSEC_EV_STATE_RECOVERED          14   /* a = generation, b = high-water mark */
#define IACSEC_EV_STATE_BACKUP             15   /* a = generation */
#define IACSEC_EV_STATE_RESTORED           16   /* a = backup generation, b = generation */
#define IACSEC_EV_STATE_RESTORE_REJECTED   17
#define IACSEC_EV_FW_SESSION_REFUSED       18   /* a begin while a session is open */

/*
 * Access-control events (48..95). a = subject account id | acting account id << 32;
 * kid = the acting user's name; role byte = interface + 1 (0: none);
 * component = the subject's name. b as noted.
 */
#define IACSEC_EV_LOGIN_OK                48   /* b = source key */
#define IACSEC_EV_LOGIN_FAILED            49   /* b = source key */
#define IACSEC_EV_LOGIN_BAD_INPUT         50   /* status = the reason */
#define IACSEC_EV_LOGIN_ACCOUNT_LOCKED    51   /* b = locked until (ms) */
#define IACSEC_EV_LOGIN_SOURCE_LOCKED     52   /* b = source key */
#define IACSEC_EV_ACCOUNT_LOCKED          53   /* b = locked until (ms; all ones: until unlocked) */
#define IACSEC_EV_ACCOUNT_UNLOCKED        54
#define IACSEC_EV_ACCOUNT_LOCK_EXPIRED    55
#define IACSEC_EV_SOURCE_LOCKED           56   /* b = source key */
#define IACSEC_EV_SOURCE_UNLOCKED         57   /* b = source key */
#define IACSEC_EV_USER_ADDED              58   /* b = role */
#define IACSEC_EV_USER_MODIFIED           59   /* b = role | flags << 8 */
#define IACSEC_EV_USER_DISABLED           60
#define IACSEC_EV_USER_ENABLED            61
#define IACSEC_EV_USER_REMOVED            62
#define IACSEC_EV_PASSWORD_CHANGED        63   /* b = 1 when set by an administrator */
#define IACSEC_EV_PASSWORD_REJECTED       64   /* status = the reason */
#define IACSEC_EV_ADMIN_DENIED            65   /* b = the permission needed */
#define IACSEC_EV_AUTHZ_DENIED            66   /* b = the permission */
#define IACSEC_EV_SESSION_LOCKED          67   /* b = session serial */
#define IACSEC_EV_SESSION_UNLOCKED        68
#define IACSEC_EV_SESSION_EXPIRED         69
#define IACSEC_EV_SESSION_TERMINATED      70
#define IACSEC_EV_SESSION_LIMIT           71   /* b = 1 per user, 2 per interface, 3 table full */
#define IACSEC_EV_SESSION_REJECTED        72
#define IACSEC_EV_ROLE_CHANGED            73   /* a = role index; b = permissions | flags << 32 */
#define IACSEC_EV_ROLE_REMOVED            74
#define IACSEC_EV_PROFILE_CHANGED         75   /* b = iterations */
#define IACSEC_EV_PROVISIONED             76   /* b = 1 factory default */
#define IACSEC_EV_TOTP_ENROLLED           77   /* b = alg | digits << 8 */
#define IACSEC_EV_TOTP_CONFIRMED          78
#define IACSEC_EV_TOTP_REJECTED           79
#define IACSEC_EV_TOTP_REPLAYED           80   /* b = the time step */
#define IACSEC_EV_RECOVERY_CODE_USED      81   /* b = index */
#define IACSEC_EV_MFA_REQUIRED            82
#define IACSEC_EV_ACCOUNT_LOCKED_BY_ADMIN 83
#define IACSEC_EV_LOGIN_DELAYED           84   /* b = retry at (ms) */
#define IACSEC_EV_RL_SOURCE_LIMITED       85   /* b = source key */
#define IACSEC_EV_RL_GLOBAL_LIMITED       86
#define IACSEC_EV_RL_TABLE_FULL           87
#define IACSEC_EV_RL_CONFIG_CHANGED       88
#define IACSEC_EV_PEER_ADDED              89
#define IACSEC_EV_PEER_REMOVED            90
#define IACSEC_EV_PEER_AUTH_OK            91
#define IACSEC_EV_PEER_AUTH_FAILED        92
#define IACSEC_EV_DEVICE_AUTH_SIGNED      93
#define IACSEC_EV_CONTEXT_CHANGED         94
#define IACSEC_EV_SOURCE_TABLE_FULL       95

/* Permissions (bits of a role's permission mask); 16..31 are the product's own */
#define IACSEC_PERM_USER_ADMIN      0
#define IACSEC_PERM_ROLE_ADMIN      1
#define IACSEC_PERM_SESSION_ADMIN   2
#define IACSEC_PERM_SECURITY_ADMIN  3
#define IACSEC_PERM_AUDIT_READ      4
#define IACSEC_PERM_FIRMWARE_UPDATE 5
#define IACSEC_PERM_CONFIG_READ     6
#define IACSEC_PERM_CONFIG_WRITE    7
#define IACSEC_PERM_PROCESS_READ    8
#define IACSEC_PERM_PROCESS_WRITE   9
#define IACSEC_PERM_PROCESS_OPERATE 10

/* TOTP/HOTP algorithms */
#define IACSEC_OTP_SHA1   1
#define IACSEC_OTP_SHA256 2
#define IACSEC_OTP_SHA512 3

/*
 * PROFILE record (IACSEC_PROFILE_BYTES), u32 little-endian at byte offsets:
 * 0 PBKDF2 iterations (>= 1000), 4 minimum password length (characters, >= 8),
 * 8 history, 12 minimum lifetime (s), 16 maximum lifetime (s, 0 none),
 * 20 lockout threshold, 24 window (s), 28 duration (s, 0 until unlocked),
 * 32/36/40 the same per source, 44 idle lock (s), 48 idle termination (s),
 * 52 session lifetime (s), 56 sessions per user, 60 sessions per interface,
 * 64 flags (1: second factor for every account), 68 first delay (ms),
 * 72 longest delay (ms), 76 zero.
 *
 * USER_INFO record (IACSEC_USER_INFO_BYTES): [0,4) id, [4] role, [5] flags
 * (1 disabled, 2 must change, 4 TOTP, 8 TOTP pending, 16 delay instead of lock,
 * 32 second factor required), [6,8) consecutive failures, [8,16) locked until
 * (ms; 0 not locked; -1 until unlocked), [16,24) password set at, [24,32) last
 * login, [32,40) created, [40,44) iterations, [44] TOTP digits, [45] TOTP
 * algorithm, [46,48) recovery codes left, [48] name length, [49,81) name.
 *
 * SESSION_INFO record (IACSEC_SESSION_INFO_BYTES): [0,4) serial, [4,8) account
 * id, [8] interface, [9] state (1 active, 2 locked), [10] flags (1 must change
 * password), [11] role, [16,24) created, [24,32) last activity, [32] name length, [33,65) name.
 *
 * ROLE record (IACSEC_ROLE_BYTES): [0] used, [1] name length, [2] flags
 * (1: second factor required), [4,8) permissions, [8,32) name.
 *
 * PEER record (IACSEC_PEER_BYTES): [0] used, [1] kind (1 Ed25519, 2 HMAC-SHA256),
 * [2] name length, [3] key length, [4,36) name, [36,68) the Ed25519 public key
 * (zero for an HMAC key, which never leaves the module).
 *
 * Rate-limit status (16 bytes): [0,8) ms until the next request is allowed,
 * [8] 1 when the source has a record, [9] 1 when it is penalized.
 */

/*
 * Exports (wasm signatures; every pointer is a uint32_t offset):
 *
 *   int32_t iacsec_abi_version(void);
 *   int32_t iacsec_caps(void);
 *   int32_t iacsec_io_ptr(void);
 *   int32_t iacsec_io_bytes(void);
 *   int32_t iacsec_static_bytes(void);                bytes of memory taken by static data and tables
 *   int32_t iacsec_selftest(void);                    IACSEC_OK or IACSEC_ERR_SELFTEST (CR 3.3)
 *   int32_t iacsec_selftest_failed(void);             id of the failing known-answer test, 0 if none
 *   int32_t iacsec_zeroize(void);                     wipe every secret kept between calls (CR 4.2)
 *   int32_t iacsec_sha256(out[32], msg, msg_len);
 *   int32_t iacsec_sha512(out[64], msg, msg_len);
 *   int32_t iacsec_sha256_init(void);                 handle > 0, or IACSEC_ERR_NO_SLOT
 *   int32_t iacsec_sha256_update(handle, msg, msg_len);
 *   int32_t iacsec_sha256_final(handle, out[32]);     frees the handle
 *   int32_t iacsec_sha256_abort(handle);              frees the handle
 *   int32_t iacsec_sha512_init(void);
 *   int32_t iacsec_sha512_update(handle, msg, msg_len);
 *   int32_t iacsec_sha512_final(handle, out[64]);
 *   int32_t iacsec_sha512_abort(handle);
 *   int32_t iacsec_hmac_sha256(out[32], key, key_len, msg, msg_len);
 *   int32_t iacsec_hmac_sha512(out[64], key, key_len, msg, msg_len);
 *   int32_t iacsec_pbkdf2_sha256(out, out_len, password, password_len, salt, salt_len, iterations);
 *   int32_t iacsec_hkdf_sha256(out, out_len, ikm, ikm_len, salt, salt_len, info, info_len);
 *   int32_t iacsec_ed25519_verify(pk[32], msg, msg_len, sig[64]);       IACSEC_OK or IACSEC_ERR_INVALID
 *   int32_t iacsec_ed25519_public_key(pk_out[32], seed[32]);
 *   int32_t iacsec_ed25519_sign(sig_out[64], seed[32], msg, msg_len);
 *   int32_t iacsec_p256_verify(pk, pk_len, msg, msg_len, sig, sig_len, format);  IACSEC_OK or IACSEC_ERR_INVALID
 *
 * Signed firmware and roots of trust (bindings/manifest.cddl):
 *   int32_t iacsec_cose_sign1_verify(msg, msg_len, aad, aad_len, pk, pk_len);
 *   int32_t iacsec_device_set(vendor[16], class_id[16]);          while provisioning is open
 *   int32_t iacsec_anchor_add_supplier(kid, kid_len, pk, pk_len, alg);   while provisioning is open
 *   int32_t iacsec_provisioning_close(void);
 *   int32_t iacsec_provisioning_is_open(void);                    1 or 0
 *   int32_t iacsec_trust_statement_apply(stmt, stmt_len);          supplier-signed add-owner / revoke
 *   int32_t iacsec_anchor_count(void);
 *   int32_t iacsec_anchor_get(index, out[IACSEC_ANCHOR_RECORD_BYTES]);   IACSEC_OK or IACSEC_END
 *   int32_t iacsec_grant_get(index, out[40]);                     IACSEC_OK or IACSEC_END
 *   int32_t iacsec_fw_begin(manifest, manifest_len, component, component_len, purpose);
 *   int32_t iacsec_fw_manifest(out[IACSEC_FW_INFO_BYTES]);       fields of the manifest begin verified
 *   int32_t iacsec_fw_update(chunk, len);
 *   int32_t iacsec_fw_finish(void);
 *   int32_t iacsec_fw_abort(void);
 *   int32_t iacsec_counter_get(name, name_len, out[8]);           IACSEC_OK or IACSEC_END
 *   int32_t iacsec_event_next(out[IACSEC_EVENT_BYTES]);           IACSEC_OK or IACSEC_END
 *   int32_t iacsec_state_seal_key(key[32]);
 *   int32_t iacsec_state_export(out, out_cap);                    blob length, or an error
 *   int32_t iacsec_state_import(blob, len, uint64_t min_generation);   a refusal enters fail-secure mode
 *   uint64_t iacsec_state_generation(void);
 *   int32_t iacsec_fw_state_read(out, out_cap);                   firmware section (public fields), its length
 *   int32_t iacsec_state_failsecure(void);                        1 or 0
 *   int32_t iacsec_state_recover(void);                           discard a damaged state
 *   int32_t iacsec_state_backup(out, out_cap);                    blob + device signature, or an error
 *   int32_t iacsec_state_restore(backup, len);
 *
 * Audit log (CR 2.8..2.11, 3.9, 6.1):
 *   int32_t iacsec_audit_append(seq_out[8], category, type, outcome, iface, iface_len,
 *                               peer, peer_len, subject, subject_len, detail, detail_len);   type 96..65535
 *   int32_t iacsec_audit_export(out, out_cap, cursor[16]);       IACSEC_OK, IACSEC_END, or an error
 *   int32_t iacsec_audit_ack(cursor[8]);
 *   int32_t iacsec_audit_status(out[IACSEC_AUDIT_STATUS_BYTES]);
 *   int32_t iacsec_audit_configure(policy, threshold_percent, checkpoint_every);
 *   int32_t iacsec_audit_clock_sync(state);                       0 unknown, 1 free-running, 2 synchronized
 *   int32_t iacsec_audit_seal_key_set(first_out[8], key[32]);     once
 *   int32_t iacsec_audit_checkpoint(void);                        IACSEC_OK, IACSEC_END, IACSEC_ERR_STATE
 *
 * The device's own key (derived inside the module; it never leaves it):
 *   int32_t iacsec_device_key_set(secret[32]);                    once per instance
 *   int32_t iacsec_device_public_key(out[32]);                    IACSEC_ERR_STATE before a secret is set
 *
 * Access control (time `now`: int64 milliseconds since the Unix epoch, from the host;
 * sid: an IACSEC_SESSION_ID_BYTES session id):
 *   int32_t iacsec_sha1(out[20], msg, msg_len);
 *   int32_t iacsec_hmac_sha1(out[20], key, key_len, msg, msg_len);
 *   int32_t iacsec_auth_provision(name, name_len, pw, pw_len, factory_default, int64_t now);
 *   int32_t iacsec_auth_login(out_sid[16], user, user_len, pw, pw_len, code, code_len, src, src_len, iface, int64_t now);
 *   int32_t iacsec_auth_logout(sid, int64_t now);
 *   int32_t iacsec_auth_authorize(sid, permission, int64_t now);
 *   int32_t iacsec_auth_session_unlock(sid, pw, pw_len, code, code_len, int64_t now);
 *   int32_t iacsec_auth_passwd(sid, old, old_len, pw, pw_len, int64_t now);
 *   int32_t iacsec_user_add(sid, name, name_len, pw, pw_len, role, int64_t now);
 *   int32_t iacsec_user_passwd(sid, name, name_len, pw, pw_len, int64_t now);
 *   int32_t iacsec_user_modify(sid, name, name_len, role, flags, int64_t now);
 *   int32_t iacsec_user_enable(sid, name, name_len, enable, int64_t now);
 *   int32_t iacsec_user_remove(sid, name, name_len, int64_t now);
 *   int32_t iacsec_user_lock(sid, name, name_len, lock, int64_t now);
 *   int32_t iacsec_user_info(sid, name, name_len, out[IACSEC_USER_INFO_BYTES], int64_t now);
 *   int32_t iacsec_user_info_at(sid, index, out[IACSEC_USER_INFO_BYTES], int64_t now);
 *   int32_t iacsec_source_unlock(sid, src, src_len, int64_t now);
 *   int32_t iacsec_role_set(sid, index, name, name_len, permissions, flags, int64_t now);
 *   int32_t iacsec_role_remove(sid, index, int64_t now);
 *   int32_t iacsec_role_get(index, out[IACSEC_ROLE_BYTES]);
 *   int32_t iacsec_auth_profile_set(sid, profile[IACSEC_PROFILE_BYTES], int64_t now);
 *   int32_t iacsec_auth_profile_get(out[IACSEC_PROFILE_BYTES]);
 *   int32_t iacsec_auth_context_set(sid, words, words_len, int64_t now);
 *   int32_t iacsec_session_info_at(sid, index, out[IACSEC_SESSION_INFO_BYTES], int64_t now);
 *   int32_t iacsec_auth_session_info(sid, out[IACSEC_SESSION_INFO_BYTES], int64_t now);   the caller's own session
 *   int32_t iacsec_session_kill(sid, serial, int64_t now);
 *   int32_t iacsec_totp_enroll(sid, name, name_len, alg, digits, secret_len, out[64 + 4 * IACSEC_RECOVERY_CODES], int64_t now);
 *   int32_t iacsec_totp_confirm(sid, code, code_len, int64_t now);
 *   int32_t iacsec_totp_generate(out[4], key, key_len, alg, digits, period, int64_t unix_seconds);
 *
 * Device authentication (message: "iacsec device authentication v1" NUL || u8 len || challenge):
 *   int32_t iacsec_device_auth_sign(sig_out[64], challenge, challenge_len);   16..64 bytes
 *   int32_t iacsec_peer_add(sid, name, name_len, kind, key, key_len, int64_t now);   kind 1 Ed25519, 2 HMAC-SHA256
 *   int32_t iacsec_peer_remove(sid, name, name_len, int64_t now);
 *   int32_t iacsec_peer_get(index, out[IACSEC_PEER_BYTES]);    never an HMAC key
 *   int32_t iacsec_peer_challenge(out[IACSEC_CHALLENGE_BYTES], int64_t now);
 *   int32_t iacsec_peer_verify(name, name_len, challenge[32], proof, proof_len, int64_t now);   IACSEC_OK or IACSEC_ERR_AUTH
 *
 * Rate limiting:
 *   int32_t iacsec_ratelimit_check(src, src_len, int64_t now);            IACSEC_OK or IACSEC_ERR_LOCKED
 *   int32_t iacsec_ratelimit_status(src, src_len, out[16], int64_t now);
 *   int32_t iacsec_ratelimit_config(sid, src_rate, src_burst, global_rate, global_burst, int64_t now);
 *   int32_t iacsec_ratelimit_config_get(out[16]);
 *   int32_t iacsec_ratelimit_count(out[4], busy, int64_t now);
 *
 * Getters, one per size constant above (each returns IACSEC_<NAME>):
 *   iacsec_slots, iacsec_sha256_bytes, iacsec_sha512_bytes,
 *   iacsec_pbkdf2_max_iterations, iacsec_hkdf_sha256_max_bytes,
 *   iacsec_ed25519_publickeybytes, iacsec_ed25519_seedbytes, iacsec_ed25519_bytes,
 *   iacsec_p256_publickeybytes_max, iacsec_p256_sigbytes_max,
 *   iacsec_manifest_max_bytes, iacsec_anchors_max, iacsec_revoked_max,
 *   iacsec_counters_max, iacsec_event_bytes, iacsec_events_max,
 *   iacsec_anchor_record_bytes, iacsec_state_max_bytes, iacsec_audit_ring_bytes,
 *   iacsec_audit_detail_max, iacsec_audit_text_max, iacsec_audit_status_bytes,
 *   iacsec_audit_export_min_bytes, iacsec_audit_state_bytes
 * (iacsec_io_bytes above returns IACSEC_IO_BYTES).
 *
 * Imports: the release build imports wasi_snapshot_preview1.clock_time_get
 * (audit record timestamps). A build may import only these
 *   iacsec_anchor_record_bytes, iacsec_state_max_bytes, iacsec_fw_state_bytes, iacsec_grants_max,
 *   iacsec_fw_info_bytes, iacsec_component_max_bytes
 *   iacsec_anchor_record_bytes, iacsec_state_max_bytes,
 *   iacsec_accounts_max, iacsec_name_max_bytes, iacsec_password_max_bytes,
 *   iacsec_history_max, iacsec_roles_max, iacsec_role_name_max_bytes,
 *   iacsec_sessions_max, iacsec_session_id_bytes, iacsec_ifaces_max,
 *   iacsec_source_max_bytes, iacsec_sources_max, iacsec_profile_bytes,
 *   iacsec_user_info_bytes, iacsec_session_info_bytes, iacsec_role_bytes,
 *   iacsec_totp_secret_max_bytes, iacsec_recovery_codes,
 *   iacsec_context_words_max, iacsec_context_word_max_bytes,
 *   iacsec_rl_sources_max, iacsec_rl_sets, iacsec_rl_ways,
 *   iacsec_peers_max, iacsec_peer_bytes, iacsec_challenge_bytes
 * (iacsec_io_bytes above returns IACSEC_IO_BYTES).
 *
 * Imports: the release build imports wasi_snapshot_preview1.random_get only
 * (salts, session ids, TOTP secrets, challenges). A build may import only these
 * WASI preview 1 functions, which every host (and bindings/c/wasi_shim.c)
 * provides: wasi_snapshot_preview1.clock_time_get,
 * wasi_snapshot_preview1.random_get, wasi_snapshot_preview1.fd_write,
 * wasi_snapshot_preview1.proc_exit.
 */

#endif /* IACSEC_H */
