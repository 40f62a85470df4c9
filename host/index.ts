// iacsec host shim: load the module, run its self-test, use it.

import { instantiate, requireSelfTest, type LoadOptions } from './loader.js';
import { Iacsec } from './api.js';

export { Iacsec, type Hasher, type ModuleInfo } from './api.js';
export { IacsecError, IacsecSelfTestError } from './errors.js';
export { WasiExit } from './wasi.js';
export { DEFAULT_MODULE_PATH, type LoadOptions } from './loader.js';
export * as abi from '../bindings/abi.js';
export {
  Firmware, FirmwareError, firmware, anchorOf, decodeEvent, decodeAnchor, decodeVerifiedManifest, EVENT_TYPES, FIRMWARE_LIMITS,
  IMAGE_CHUNK_BYTES, type FirmwareEvent, type AnchorRecord, type SupplierAnchor, type ProvisionOptions, type VerifyOptions,
  type FirmwareOptions, type Purpose, type StatePersister, type VerifiedManifest, type GrantRecord, type FirmwareOperation,
} from './firmware.js';
export { firmwareReason } from './firmware_reasons.js';
export { moduleGate, ModuleGate, type EventListener } from './module_gate.js';
export { CborError } from './cbor.js';
export { FileHighWaterMark, type HighWaterMark } from './high_water.js';
export { acquireLock, StateLockError, type HeldLock, type LockOptions } from './state_lock.js';
export { readFileBounded, FileTooLargeError } from './atomic_file.js';
export {
  cborEncode, cborDecode, encodeManifestPayload, decodeManifestPayload, encodeTrustStatement, encodeProtectedHeader,
  sigStructure, signCoseSign1, decodeCoseSign1, signManifest, signTrustStatement, digestImage, parseUuid, formatUuid,
  DIGEST_ALG, type ManifestFields, type ManifestInput, type TrustStatementInput, type TrustOperation, type CoseSign1, type DigestAlg,
  type ImageSource,
} from './manifest.js';
export {
  generateKey, signBytes, defaultKid, coseKeyEncode, coseKeyDecode, privateKeyJson, publicKeyPem, parsePrivateKey,
  parsePublicKey, readPrivateKeyFile, readPublicKeyFile, writeKeyFiles, COSE_ALG,
  type KeyAlg, type PublicKeyInfo, type PrivateKeyInfo,
} from './keys.js';
export { openStateStore, readSealKeyFile, statePaths, writeFileAtomic, StateStoreError, type StateStore, type StateStoreOptions } from './state_store.js';

/**
 * Loads a build of the module (the bundled release build by default), runs
 * its power-on self-test, and returns the typed API. A module that fails the
 * self-test is refused with IacsecSelfTestError (CR 3.3).
 */
export async function loadModule(options: LoadOptions = {}): Promise<Iacsec> {
  const loaded = await instantiate(options);
  requireSelfTest(loaded);
  return new Iacsec(loaded);
}
export {
  Audit, AuditError, audit, AUDIT_POLICIES, AUDIT_LIMITS, CATEGORIES, OUTCOMES, CLOCK_SYNC,
  type AppendInput, type AuditStatus, type ExportChunk, type AuditPolicy, type Category, type Outcome, type ClockSync,
} from './audit.js';
export { decodeRecord, recordToJson, type AuditRecord } from './audit_record.js';
export { verifyLog, LogVerifier, exportItems, chainStep, type VerifyResult, type VerifyProblem, type VerifyOptions as AuditVerifyOptions, type ExportItem } from './audit_verify.js';
export { parseCheckpoint, checkSignature, originOf, keyIdOf, SealKeys, type Checkpoint } from './audit_note.js';
export { AuditDrain, drainFiles, type DrainOptions, type DrainResult } from './audit_drain.js';
export { SyslogForwarder, type SyslogOptions } from './syslog.js';
export { formatItem, frame, parseMessage, rebuildExport, sdId, type ParsedMessage, type SyslogFormatOptions } from './syslog_format.js';
export {
  Auth, AuthError, auth, permissionBit, permissionNames,
  type AuthOptions, type LoginRequest, type LoginResult, type UserInfo, type SessionInfo, type RoleInfo, type Profile,
  type TotpEnrolment, type Permission, type Session, type OtpAlgorithm,
} from './auth.js';
export { decodeAuthEvent, type AuthEvent } from './auth_events.js';
export { otpauthUri, base32Encode, base32Decode } from './auth_totp.js';
export { RateLimit, ratelimit, type RateLimitConfig, type SourceStatus, type RateLimitOptions } from './ratelimit.js';
export { DeviceAuth, deviceAuth, deviceAuthMessage, type PeerInfo } from './auth_devices.js';
