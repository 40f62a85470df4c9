// Build-time sizes of the audit log. The ring's capacity is fixed when the
// module is built: edit AUDIT_RING_BYTES here (8 KiB .. 256 KiB; a build
// outside that range does not compile). Each size has a getter in
// abi/audit.ts and an IACSEC_* constant in bindings/.

/** Bytes of linear memory holding the ring of records and checkpoints (default 128 KiB). */
export const AUDIT_RING_BYTES: u32 = 131072;
/** Largest detail (bytes) of one record. */
export const AUDIT_DETAIL_MAX: u32 = 256;
/** Largest interface, peer address, or user/device id (UTF-8 bytes each). */
export const AUDIT_TEXT_MAX: u32 = 64;
/** Size of the status record written by iacsec_audit_status. */
export const AUDIT_STATUS_BYTES: u32 = 96;
/** Largest export item (a record entry or a checkpoint): iacsec_audit_export needs at least this much room. */
export const AUDIT_ITEM_MAX: u32 = 1024;

/** Records between signed checkpoints, by default (iacsec_audit_configure changes it, 1..65535). */
export const AUDIT_CHECKPOINT_EVERY: u32 = 256;
/** Share of the ring (percent) held by unacknowledged records that raises the capacity warning (CR 2.9 RE1). */
export const AUDIT_THRESHOLD_PERCENT: u32 = 80;
/** Bytes kept free for critical records (checkpoints, audit-log events) under the reject policy. */
export const AUDIT_CRITICAL_RESERVE: u32 = 4096;
/**
 * Sequence numbers reserved ahead at each state export: after a restart the
 * log resumes at the persisted next number plus this, so a number used after
 * the last export, before a crash, is never used again.
 */
export const AUDIT_SEQ_LEASE: u64 = 1 << 32;

// The capacity is checked when the module is built.
// @ts-ignore: compile-time check
if (AUDIT_RING_BYTES < 8192 || AUDIT_RING_BYTES > 262144) ERROR("AUDIT_RING_BYTES must be 8 KiB .. 256 KiB");
