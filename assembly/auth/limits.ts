// Sizes of the access-control tables. Each has a getter in abi/auth.ts and an
// IACSEC_* constant in bindings/; a test checks that they agree.

/** Accounts held (IACSEC_ACCOUNTS_MAX). */
export const ACCOUNTS_MAX: u32 = 64;
/** Longest user name, in UTF-8 bytes. */
export const NAME_MAX_BYTES: u32 = 32;
/** Longest password, in UTF-8 bytes (NIST SP 800-63B 5.1.1.2: at least 64 must be accepted). */
export const PASSWORD_MAX_BYTES: u32 = 128;
/** Previous passwords remembered per account (the profile's history is at most this). */
export const HISTORY_MAX: u32 = 8;
/** Roles held; role 0 is the administrator role, whose permissions are fixed. */
export const ROLES_MAX: u32 = 16;
/** Longest role name, in bytes. */
export const ROLE_NAME_MAX_BYTES: u32 = 24;
/** Live sessions held (all users, all interfaces). */
export const SESSIONS_MAX: u32 = 32;
/** Session id length: 128 bits from the host's CSPRNG (CR 3.8). */
export const SESSION_ID_BYTES: u32 = 16;
/** Interfaces a session may come from (0 .. IFACES_MAX - 1; the host names them). */
export const IFACES_MAX: u32 = 8;
/** Longest source address (any bytes: text or binary). */
export const SOURCE_MAX_BYTES: u32 = 64;
/** Sources whose failed logins are counted (CR 1.11 per source). */
export const SOURCES_MAX: u32 = 256;
/** Size of the security profile record (iacsec_auth_profile_get/set). */
export const PROFILE_BYTES: u32 = 80;
/** Size of an account information record (iacsec_user_info). No secret is in it. */
export const USER_INFO_BYTES: u32 = 96;
/** Size of a session information record (iacsec_session_info). The session id is not in it. */
export const SESSION_INFO_BYTES: u32 = 64;
/** Size of a role record (iacsec_role_get). */
export const ROLE_BYTES: u32 = 32;
/** Longest TOTP secret (64 bytes: the SHA-512 seed of RFC 6238 appendix B). */
export const TOTP_SECRET_MAX_BYTES: u32 = 64;
/** Recovery codes per enrolment (HOTP, 10 digits, each accepted once). */
export const RECOVERY_CODES: u32 = 10;
/** Context words (vendor, product, site names) that no password may contain. */
export const CONTEXT_WORDS_MAX: u32 = 8;
/** Longest context word. */
export const CONTEXT_WORD_MAX_BYTES: u32 = 32;
/** Peer devices with a provisioned key (CR 1.2, CR 1.14). */
export const PEERS_MAX: u32 = 16;
/** Outstanding challenges for peer device authentication. */
export const CHALLENGES_MAX: u32 = 8;
/** Challenge length, both directions. */
export const CHALLENGE_BYTES: u32 = 32;
/** Size of a peer record (iacsec_peer_get). */
export const PEER_BYTES: u32 = 112;
