// Why the module refused a firmware, trust or state operation, in words an
// operator can act on. One status code can have different causes in
// different operations (ERR_REVOKED is the signer's key for a manifest, but
// the statement's signer for a trust change), so the sentence depends on the
// operation as well as on the status.

import { FIRMWARE_LIMITS_TEXT } from './firmware_limits.js';

export type FirmwareOperation = 'manifest' | 'boot' | 'statement' | 'provisioning' | 'state' | 'backup' | 'restore';

const COMMON: Readonly<Record<string, string>> = {
  ERR_SELFTEST: 'the module\'s self-test has not passed',
  ERR_BOUNDS: 'an argument lies outside the I/O area',
  ERR_FAILSECURE: 'the stored state failed to load, so the module is fail-secure: restore a backup (`iacsec state restore`) or recover (`iacsec state recover`)',
  ERR_FULL: 'a fixed-capacity table of the module is full',
};

const SIGNED: Readonly<Record<string, string>> = {
  ERR_MALFORMED: 'the message is not well formed (COSE_Sign1 tag 18 with a payload as in bindings/manifest.cddl)',
  ERR_UNSUPPORTED: 'the signature algorithm is not allowed (EdDSA -8 or ES256 -7 in the protected header)',
  ERR_CRITICAL: 'an unknown critical header or field',
  ERR_UNKNOWN_KEY: 'no trust anchor has the signer\'s key id',
  ERR_REVOKED: 'the signer\'s key id is revoked',
  ERR_INVALID: 'the signature does not verify with the anchor\'s key',
  ERR_WRONG_VENDOR: 'it is for another vendor',
  ERR_WRONG_CLASS: 'it is for another device class',
};

const BY_OPERATION: Readonly<Record<FirmwareOperation, Readonly<Record<string, string>>>> = {
  manifest: {
    ...SIGNED,
    ERR_WRONG_VENDOR: 'the manifest is for another vendor',
    ERR_WRONG_CLASS: 'the manifest is for another device class',
    ERR_WRONG_COMPONENT: 'the manifest is for another component than the slot being checked (sign it with --component for that slot)',
    ERR_UNAUTHORIZED: 'the signer is an asset-owner anchor that was not granted this component',
    ERR_ROLLBACK: 'rollback: the security counter is below the stored counter for this component',
    ERR_DIGEST: 'the image digest differs from the manifest (image modified or not the signed one)',
    ERR_SIZE: 'the image is longer or shorter than the manifest declares',
    ERR_STATE: 'the module is not ready to verify: provisioning is not closed, or another firmware session is open',
    ERR_LENGTH: `a length is out of range (manifest at most ${FIRMWARE_LIMITS_TEXT.manifest}, component 1..64 bytes)`,
    ERR_FULL: 'the module\'s table of security counters is full: no new component can be installed',
  },
  boot: {},
  statement: {
    ...SIGNED,
    ERR_WRONG_VENDOR: 'the trust statement is for another vendor',
    ERR_WRONG_CLASS: 'the trust statement is for another device class',
    ERR_REVOKED: 'the statement\'s signer key id is revoked',
    ERR_UNAUTHORIZED: 'the statement is signed by an asset-owner anchor; only a supplier anchor may change the roots of trust',
    ERR_EXISTS: 'nothing to do: the key id is already a trust anchor, or already revoked',
    ERR_KID_REVOKED: 'the key id to add was revoked, and a revoked key id is never trusted again',
    ERR_LAST_ANCHOR: 'the statement would revoke the last active supplier anchor, leaving the device without a root of trust',
    ERR_STALE: 'the statement expects another current counter value: it is stale or replayed',
    ERR_STATE: 'the module is not ready for trust changes: provisioning is not closed, or a firmware session is open',
    ERR_FULL: 'a table of the module is full (anchors, revocations, grants or counters)',
  },
  provisioning: {
    ERR_UNAUTHORIZED: 'provisioning is closed: the device identity and supplier anchors can no longer change',
    ERR_EXISTS: 'the same supplier anchor (key id) is given twice',
    ERR_KID_REVOKED: 'the key id was revoked',
    ERR_INVALID: 'the public key is not usable (not a valid point, or of small order)',
    ERR_UNSUPPORTED: 'the key algorithm is not allowed (Ed25519 or P-256)',
    ERR_LENGTH: 'a key id must be 1 to 32 bytes, an Ed25519 key 32 bytes, a P-256 key 33 or 65 bytes',
    ERR_STATE: 'provisioning needs the device identity and at least one supplier anchor',
    ERR_FULL: 'the module\'s anchor table is full',
  },
  state: {
    ERR_INVALID: 'the state\'s seal does not verify (modified, or sealed with another key)',
    ERR_MALFORMED: 'the state is malformed or truncated (wrong magic, version, length or fields)',
    ERR_ROLLBACK: 'rollback of state: the stored state is older than the high-water mark, or missing although a state existed',
    ERR_STATE: 'the state cannot be loaded now (no sealing key, a firmware session open, or not newer than the state held)',
  },
  backup: {
    ERR_STATE: 'a backup needs the sealing key and the device key, and no firmware session open',
    ERR_BUFFER_SMALL: 'the output buffer is too small for the backup',
  },
  restore: {
    ERR_INVALID: 'the backup\'s signature or seal does not verify (modified, from another device, or another sealing key)',
    ERR_MALFORMED: 'the backup is malformed or from another build',
    ERR_LENGTH: 'the backup has the wrong length for this build',
    ERR_STATE: 'a restore needs the sealing key and the device key, and no firmware session open',
    ERR_FULL: 'the backup cannot be merged with the live state (tables full, or it would leave no active supplier anchor)',
  },
};

/** The sentence for a refusal with this status name in this operation. */
export function firmwareReason(operation: FirmwareOperation, status: string, meaning: string): string {
  const table = operation === 'boot' ? BY_OPERATION.manifest : BY_OPERATION[operation];
  return table[status] ?? COMMON[status] ?? meaning;
}
