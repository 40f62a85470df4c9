// Typed API over the module's firmware exports (formats: bindings/manifest.cddl;
// requirements EDR 3.10 RE1, EDR 3.12, EDR 3.13, EDR 3.14 RE1, CR 3.4 RE1/RE2):
// provisioning of the device identity and supplier anchors, trust statements,
// manifest verification with the image streamed through the I/O area, the
// anti-rollback counters, and the module's event records.

import { EVENT_TYPES, FW_PURPOSE, STATUS, statusByCode } from '../bindings/abi.js';
import { IacsecError } from './errors.js';
import type { Iacsec } from './api.js';
import { coseAlgOf, toHex, type KeyAlg, type PublicKeyInfo } from './keys.js';
import { parseUuid, type DigestAlg, type ImageSource, type ManifestFields } from './manifest.js';
import { FIRMWARE_LIMITS } from './firmware_limits.js';
import { firmwareReason, type FirmwareOperation } from './firmware_reasons.js';
import { moduleGate, type ModuleGate, type StatePersister } from './module_gate.js';

const OK = STATUS.OK.code;
const END = STATUS.END.code;

export { FIRMWARE_LIMITS, type FirmwareOperation, type StatePersister };

/** Image bytes handed to the module per iacsec_fw_update call (at most the I/O area). */
export const IMAGE_CHUNK_BYTES = 65536;

export type Purpose = 'install' | 'boot';
const PURPOSE = FW_PURPOSE;
export { EVENT_TYPES };

export interface FirmwareEvent {
  /** Name from EVENT_TYPES, or "UNKNOWN_<n>". */
  type: string;
  typeCode: number;
  /** Status name (e.g. "ERR_ROLLBACK"), "OK" for decisions that passed. */
  status: string;
  statusCode: number;
  sequence: number;
  /** Lowercase hex of the key id ("" when none). */
  kid: string;
  role: 'supplier' | 'owner' | null;
  component: string;
  a: bigint;
  b: bigint;
}

export interface AnchorRecord {
  role: 'supplier' | 'owner';
  alg: KeyAlg | 'unknown';
  coseAlg: number;
  revoked: boolean;
  kid: Uint8Array;
  kidHex: string;
  publicKey: Uint8Array;
}

export interface SupplierAnchor {
  kid: Uint8Array | string;
  publicKey: Uint8Array;
  alg: KeyAlg | -8 | -7;
}

export interface ProvisionOptions {
  /** 16 bytes, or a UUID string. */
  vendor: Uint8Array | string;
  deviceClass: Uint8Array | string;
  supplierAnchors: (SupplierAnchor | PublicKeyInfo)[];
}

export interface VerifyOptions {
  purpose?: Purpose;
  /** The slot being checked: the manifest must be for this component (for example "firmware" or "config"). */
  component: string;
}

/** The fields of a manifest as the module verified them (iacsec_fw_manifest), and who signed it. */
export interface VerifiedManifest extends ManifestFields {
  signer: { kid: Uint8Array; kidHex: string; role: 'supplier' | 'owner' };
}

export interface FirmwareOptions {
  /** Called with every event record the module queues, in order. */
  onEvent?: (event: FirmwareEvent) => void;
  /** Keep drained events in `events` (default true). */
  keepEvents?: boolean;
}

/** A firmware, trust or state decision the module refused: the module's status, its name, and why. */
export class FirmwareError extends IacsecError {
  readonly reason: string;
  readonly operation: string;
  constructor(code: number, operation: string, reason?: string, kind: FirmwareOperation = 'manifest') {
    super(code, operation);
    this.name = 'FirmwareError';
    this.operation = operation;
    const info = statusByCode(code);
    this.reason = reason ?? firmwareReason(kind, info?.name ?? '', info?.meaning ?? `status ${code}`);
    this.message = `${operation}: ${this.reason} (${this.status}, ${code})`;
  }
}

const REQUIRED_EXPORTS = [
  'iacsec_device_set', 'iacsec_anchor_add_supplier', 'iacsec_provisioning_close', 'iacsec_provisioning_is_open',
  'iacsec_trust_statement_apply', 'iacsec_anchor_count', 'iacsec_anchor_get', 'iacsec_fw_begin', 'iacsec_fw_update',
  'iacsec_fw_finish', 'iacsec_fw_abort', 'iacsec_fw_manifest', 'iacsec_counter_get', 'iacsec_event_next',
  'iacsec_state_seal_key', 'iacsec_state_export', 'iacsec_state_import', 'iacsec_state_generation',
  'iacsec_state_failsecure', 'iacsec_state_recover', 'iacsec_grant_get',
] as const;

const dec = new TextDecoder('utf-8', { fatal: false });
const strict = new TextDecoder('utf-8', { fatal: true });
const enc = new TextEncoder();

function idBytes(v: Uint8Array | string, what: string): Uint8Array {
  const b = typeof v === 'string' ? parseUuid(v) : v;
  if (!(b instanceof Uint8Array) || b.byteLength !== 16) throw new TypeError(`${what} must be 16 bytes or a UUID string`);
  return b;
}

function coseAlgNumber(alg: KeyAlg | number): number {
  return typeof alg === 'number' ? alg : coseAlgOf(alg);
}

function readU64(b: Uint8Array, off: number): bigint {
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getBigUint64(off, true);
}

/** Decodes one 128-byte EVENT record. */
export function decodeEvent(r: Uint8Array): FirmwareEvent {
  const dv = new DataView(r.buffer, r.byteOffset, r.byteLength);
  const typeCode = dv.getUint16(0, true);
  const statusCode = dv.getInt16(2, true);
  const kidLen = Math.min(r[24], 32);
  const compLen = Math.min(r[58], 64);
  return {
    type: EVENT_TYPES[typeCode] ?? `UNKNOWN_${typeCode}`,
    typeCode,
    status: statusByCode(statusCode)?.name ?? `STATUS_${statusCode}`,
    statusCode,
    sequence: dv.getUint32(4, true),
    a: readU64(r, 8),
    b: readU64(r, 16),
    kid: toHex(r.subarray(25, 25 + kidLen)),
    role: r[57] === 1 ? 'supplier' : r[57] === 2 ? 'owner' : null,
    component: dec.decode(r.subarray(59, 59 + compLen)),
  };
}

/** Decodes one 112-byte ANCHOR record. */
export function decodeAnchor(r: Uint8Array): AnchorRecord {
  const coseAlg = (r[1] << 24) >> 24;
  const kid = r.slice(4, 4 + Math.min(r[3], 32));
  return {
    role: r[0] === 1 ? 'supplier' : 'owner',
    alg: coseAlg === -8 ? 'ed25519' : coseAlg === -7 ? 'p256' : 'unknown',
    coseAlg,
    revoked: r[2] !== 0,
    kid,
    kidHex: toHex(kid),
    publicKey: r.slice(37, 37 + Math.min(r[36], 65)),
  };
}

function isAsyncIterable(x: unknown): x is AsyncIterable<Uint8Array> {
  return typeof x === 'object' && x !== null && Symbol.asyncIterator in x;
}

/** Decodes one FW_INFO record (iacsec_fw_manifest). */
export function decodeVerifiedManifest(r: Uint8Array): VerifiedManifest {
  const dv = new DataView(r.buffer, r.byteOffset, r.byteLength);
  const alg = dv.getInt16(4, true);
  const digestAlg: DigestAlg = alg === -44 ? 'sha512' : 'sha256';
  const kid = r.slice(64, 64 + Math.min(r[6], 32));
  return {
    vendor: r.slice(16, 32),
    deviceClass: r.slice(32, 48),
    securityCounter: readU64(r, 48),
    imageSize: readU64(r, 56),
    component: strict.decode(r.subarray(96, 96 + Math.min(r[7], 64))),
    version: strict.decode(r.subarray(160, 160 + Math.min(r[8], 32))),
    digestAlg,
    digest: r.slice(192, 192 + Math.min(r[9], 64)),
    signer: { kid, kidHex: toHex(kid), role: r[2] === 2 ? 'owner' : 'supplier' },
  };
}

export interface GrantRecord {
  /** Index of the asset-owner anchor (as in anchors()). */
  anchor: number;
  /** SHA-256 of the granted component name, hex. */
  componentHash: string;
}

/**
 * The firmware side of one module instance. Every method drains the module's
 * event queue afterwards (to `events` and `onEvent`); with a persister
 * attached (openStateStore), every operation runs under the state lock on the
 * newest stored state, and the sealed state is saved after every operation
 * that changed the module's state or queued events.
 */
export class Firmware {
  readonly api: Iacsec;
  readonly events: FirmwareEvent[] = [];
  private readonly onEvent?: (event: FirmwareEvent) => void;
  private readonly keepEvents: boolean;
  private readonly gate: ModuleGate;
  /** Firmware events delivered since the last drainEvents(). */
  private fresh: FirmwareEvent[] = [];

  constructor(api: Iacsec, options: FirmwareOptions = {}) {
    const missing = REQUIRED_EXPORTS.filter((n) => typeof api.raw[n] !== 'function');
    if (missing.length > 0) throw new Error(`this build of the module has no firmware exports (missing ${missing.join(', ')})`);
    this.api = api;
    this.onEvent = options.onEvent;
    this.keepEvents = options.keepEvents ?? true;
    this.gate = moduleGate(api);
    // Firmware and state events (types 1..31); other parts' records go to their own subscribers.
    this.gate.subscribe((r) => {
      const type = r[0] | (r[1] << 8);
      if (type < 1 || type > 31) return;
      const e = decodeEvent(r);
      this.fresh.push(e);
      if (this.keepEvents) this.events.push(e);
      this.onEvent?.(e);
    });
  }

  /** Attaches (or detaches, with undefined) what keeps the state, for every wrapper of this module instance. */
  setPersister(p: StatePersister | undefined): void {
    this.gate.setPersister(p);
  }

  private get raw() { return this.api.raw; }

  /** Refuses an operation the loaded build leaves out (the verify-only profile has no device key, no backups). */
  private needs(name: string, what: string): void {
    if (typeof this.raw[name] !== 'function') throw new Error(`this build of the module has no ${what} (no ${name})`);
  }

  private put(data: Uint8Array, offset = 0): number {
    if (offset + data.byteLength > this.api.ioBytes) {
      throw new FirmwareError(STATUS.ERR_LENGTH.code, 'input', `inputs exceed the ${this.api.ioBytes}-byte I/O area`);
    }
    this.api.heap().set(data, this.api.ioPtr + offset);
    return this.api.ioPtr + offset;
  }

  private wipeIo(n: number): void {
    this.api.heap().fill(0, this.api.ioPtr, this.api.ioPtr + Math.min(n, this.api.ioBytes));
  }

  /** Reads every queued event record from the module (also done after every operation); returns the firmware ones. */
  drainEvents(): FirmwareEvent[] {
    this.gate.drain();
    const out = this.fresh;
    this.fresh = [];
    return out;
  }

  /** Runs fn alone on this module instance, inside the state transaction when a store is attached (module_gate.ts). */
  private exclusive<T>(fn: () => Promise<{ value: T; changed: boolean }>): Promise<T> {
    return this.gate.run(fn);
  }

  provisioningOpen(): boolean {
    return this.raw.iacsec_provisioning_is_open() === 1;
  }

  /** True while the module is fail-secure: the stored state failed to load (ERR_FAILSECURE for every change). */
  failSecure(): boolean {
    return this.raw.iacsec_state_failsecure() === 1;
  }

  /** Generation of the state the module holds (raised by every save). */
  generation(): bigint {
    return BigInt.asUintN(64, (this.raw.iacsec_state_generation as unknown as () => bigint)());
  }

  /** Sets vendor and device class, adds the supplier anchors, closes provisioning (EDR 3.12). */
  async provision(o: ProvisionOptions): Promise<void> {
    const vendor = idBytes(o.vendor, 'vendor');
    const deviceClass = idBytes(o.deviceClass, 'deviceClass');
    if (!Array.isArray(o.supplierAnchors) || o.supplierAnchors.length === 0) {
      throw new TypeError('provision needs at least one supplier anchor');
    }
    await this.exclusive(async () => {
      const s = this.raw.iacsec_device_set(this.put(vendor, 0), this.put(deviceClass, 16));
      if (s !== OK) throw new FirmwareError(s, 'device_set', undefined, 'provisioning');
      for (const a of o.supplierAnchors) {
        const kid = typeof a.kid === 'string' ? new Uint8Array(Buffer.from(a.kid, 'hex')) : a.kid;
        const pkOffset = (kid.byteLength + 15) & ~15;
        const st = this.raw.iacsec_anchor_add_supplier(this.put(kid, 0), kid.byteLength,
          this.put(a.publicKey, pkOffset), a.publicKey.byteLength, coseAlgNumber(a.alg));
        if (st !== OK) throw new FirmwareError(st, `anchor_add_supplier (kid ${toHex(kid)})`, undefined, 'provisioning');
      }
      const c = this.raw.iacsec_provisioning_close();
      if (c !== OK) throw new FirmwareError(c, 'provisioning_close', undefined, 'provisioning');
      return { value: undefined, changed: true };
    });
  }

  /** Applies a signed trust statement: add an asset-owner anchor, revoke a key id, or set a counter (EDR 3.13). */
  async applyTrustStatement(statement: Uint8Array): Promise<void> {
    if (!(statement instanceof Uint8Array)) throw new TypeError('statement must be a Uint8Array');
    if (statement.byteLength > this.api.ioBytes) {
      throw new FirmwareError(STATUS.ERR_LENGTH.code, 'trust_statement_apply', 'the statement is larger than the I/O area', 'statement');
    }
    await this.exclusive(async () => {
      const status = this.raw.iacsec_trust_statement_apply(this.put(statement), statement.byteLength);
      if (status !== OK) throw new FirmwareError(status, 'trust_statement_apply', undefined, 'statement');
      return { value: undefined, changed: true };
    });
  }

  /** Every anchor the module holds (supplier and owner, revoked ones flagged). */
  anchors(): AnchorRecord[] {
    const out: AnchorRecord[] = [];
    const ptr = this.api.ioPtr;
    for (let i = 0; ; i++) {
      const s = this.raw.iacsec_anchor_get(i, ptr);
      if (s === END) break;
      if (s !== OK) throw new FirmwareError(s, 'anchor_get');
      out.push(decodeAnchor(this.api.heap().slice(ptr, ptr + FIRMWARE_LIMITS.ANCHOR_RECORD_BYTES)));
    }
    return out;
  }

  /** The components granted to asset-owner anchors. */
  grants(): GrantRecord[] {
    const out: GrantRecord[] = [];
    const ptr = this.api.ioPtr;
    for (let i = 0; ; i++) {
      const s = this.raw.iacsec_grant_get(i, ptr);
      if (s === END) break;
      if (s !== OK) throw new FirmwareError(s, 'grant_get');
      const r = this.api.heap().slice(ptr, ptr + FIRMWARE_LIMITS.GRANT_BYTES);
      out.push({ anchor: r[0], componentHash: toHex(r.subarray(8, 40)) });
    }
    return out;
  }

  /** The stored anti-rollback counter of a component (0n when none is stored). */
  securityCounter(component: string): bigint {
    const name = enc.encode(component);
    const out = this.api.ioPtr;
    const p = this.put(name, 16);
    const s = this.raw.iacsec_counter_get(p, name.byteLength, out);
    if (s === END) return 0n;
    if (s !== OK) throw new FirmwareError(s, 'counter_get');
    return readU64(this.api.heap(), out);
  }

  /**
   * Verifies a manifest and its image for one component slot (EDR 3.10 RE1
   * with purpose 'install', which raises the stored counter on success;
   * EDR 3.14 RE1 with 'boot'). The image is streamed through the I/O area in
   * chunks of at most 64 KiB. Returns the manifest's fields as the module
   * verified them; throws FirmwareError with the module's status and reason
   * otherwise.
   */
  async verifyFirmware(manifest: Uint8Array, image: ImageSource, options: VerifyOptions): Promise<VerifiedManifest> {
    const purpose = options?.purpose ?? 'install';
    if (!(purpose in PURPOSE)) throw new TypeError(`purpose must be 'install' or 'boot'`);
    if (!(manifest instanceof Uint8Array)) throw new TypeError('manifest must be a Uint8Array');
    if (typeof options?.component !== 'string') throw new TypeError('verifyFirmware needs the component (slot) being checked');
    const slot = enc.encode(options.component);
    if (slot.byteLength < 1 || slot.byteLength > FIRMWARE_LIMITS.COMPONENT_MAX_BYTES) {
      throw new TypeError(`component must be 1 to ${FIRMWARE_LIMITS.COMPONENT_MAX_BYTES} bytes of UTF-8`);
    }
    const kind: FirmwareOperation = purpose === 'boot' ? 'boot' : 'manifest';
    return this.exclusive(async () => {
      try {
        if (manifest.byteLength + 16 + slot.byteLength > this.api.ioBytes) {
          throw new FirmwareError(STATUS.ERR_LENGTH.code, 'fw_begin',
            `the manifest is ${manifest.byteLength} bytes; at most ${FIRMWARE_LIMITS.MANIFEST_MAX_BYTES}`, kind);
        }
        const slotOffset = (manifest.byteLength + 15) & ~15;
        const b = this.raw.iacsec_fw_begin(this.put(manifest), manifest.byteLength, this.put(slot, slotOffset),
          slot.byteLength, PURPOSE[purpose]);
        if (b !== OK) {
          throw new FirmwareError(b, 'fw_begin', b === STATUS.ERR_LENGTH.code
            ? `the manifest is ${manifest.byteLength} bytes; at most ${FIRMWARE_LIMITS.MANIFEST_MAX_BYTES}` : undefined, kind);
        }
        let finished = false;
        let fields: VerifiedManifest;
        try {
          // The fields come from the module, as it verified them: the host never re-decodes the message.
          const info = this.raw.iacsec_fw_manifest(this.api.ioPtr);
          if (info !== OK) throw new FirmwareError(info, 'fw_manifest', undefined, kind);
          fields = decodeVerifiedManifest(this.api.heap().slice(this.api.ioPtr, this.api.ioPtr + FIRMWARE_LIMITS.FW_INFO_BYTES));
          const declared = fields.imageSize;
          let total = 0n;
          const feed = (data: Uint8Array) => {
            for (let off = 0; off < data.byteLength; off += IMAGE_CHUNK_BYTES) {
              const chunk = data.subarray(off, off + Math.min(IMAGE_CHUNK_BYTES, this.api.ioBytes));
              total += BigInt(chunk.byteLength);
              const s = this.raw.iacsec_fw_update(this.put(chunk), chunk.byteLength);
              if (s !== OK) {
                throw new FirmwareError(s, 'fw_update', s === STATUS.ERR_SIZE.code
                  ? `the image is longer than the ${declared} bytes the manifest declares` : undefined, kind);
              }
            }
          };
          if (image instanceof Uint8Array) feed(image);
          else if (isAsyncIterable(image)) for await (const c of image) feed(asBytes(c));
          else for (const c of image as Iterable<Uint8Array>) feed(asBytes(c));
          finished = true;
          const f = this.raw.iacsec_fw_finish();
          if (f !== OK) {
            throw new FirmwareError(f, 'fw_finish', f === STATUS.ERR_SIZE.code
              ? `the image is ${total} bytes, shorter than the ${declared} bytes the manifest declares` : undefined, kind);
          }
        } finally {
          // Whatever failed on the host side (reading the image), the session must not stay open.
          if (!finished) this.raw.iacsec_fw_abort();
        }
        return { value: fields, changed: purpose === 'install' };
      } finally {
        this.wipeIo(IMAGE_CHUNK_BYTES);
      }
    });
  }

  /** Sets the 32-byte sealing key of the state blob (HMAC-SHA256). */
  setSealKey(key: Uint8Array): void {
    if (!(key instanceof Uint8Array) || key.byteLength !== 32) throw new TypeError('the sealing key must be 32 bytes');
    try {
      const s = this.raw.iacsec_state_seal_key(this.put(key));
      if (s !== OK) throw new FirmwareError(s, 'state_seal_key', undefined, 'state');
    } finally {
      this.wipeIo(32);
    }
  }

  /** Sets the 32-byte device secret from which the module derives its own Ed25519 key (once per instance). */
  setDeviceSecret(secret: Uint8Array): void {
    if (!(secret instanceof Uint8Array) || secret.byteLength !== 32) throw new TypeError('the device secret must be 32 bytes');
    this.needs('iacsec_device_key_set', 'a device key');
    try {
      const s = this.raw.iacsec_device_key_set(this.put(secret));
      if (s !== OK) throw new FirmwareError(s, 'device_key_set', 'a device secret is already set on this module instance', 'state');
    } finally {
      this.wipeIo(32);
    }
  }

  /** The device's Ed25519 public key (after setDeviceSecret). */
  devicePublicKey(): Uint8Array {
    this.needs('iacsec_device_public_key', 'a device key');
    const s = this.raw.iacsec_device_public_key(this.api.ioPtr);
    if (s !== OK) throw new FirmwareError(s, 'device_public_key', 'no device secret is set', 'state');
    return this.api.heap().slice(this.api.ioPtr, this.api.ioPtr + 32);
  }

  /** The sealed state blob with the next generation (needs the sealing key). */
  exportState(): Uint8Array {
    const ptr = this.api.ioPtr;
    const n = this.raw.iacsec_state_export(ptr, this.api.ioBytes);
    if (n <= 1) throw new FirmwareError(n, 'state_export', n === STATUS.ERR_STATE.code ? 'no sealing key is set, or a firmware session is open' : undefined, 'state');
    const blob = this.api.heap().slice(ptr, ptr + n);
    this.wipeIo(n);
    return blob;
  }

  /**
   * Loads a sealed blob: into a fresh module, or over the current state when
   * the blob is newer. `minGeneration` is the platform's high-water mark; an
   * empty blob says that no state is stored. A refusal puts the module in
   * fail-secure mode (except ERR_STATE) and throws FirmwareError.
   */
  importState(blob: Uint8Array, minGeneration = 0n): void {
    if (blob.byteLength > this.api.ioBytes) {
      throw new FirmwareError(STATUS.ERR_LENGTH.code, 'state_import', 'the state blob is larger than the I/O area', 'state');
    }
    let s: number = OK;
    try {
      s = (this.raw.iacsec_state_import as unknown as (p: number, n: number, g: bigint) => number)(
        this.put(blob), blob.byteLength, BigInt.asUintN(64, minGeneration));
    } finally {
      this.wipeIo(blob.byteLength);
      this.drainEvents();
    }
    if (s !== OK) throw new FirmwareError(s, 'state_import', undefined, 'state');
  }

  /** Leaves fail-secure mode by discarding the damaged state: the module is factory-fresh (provisioning open). */
  async recover(): Promise<void> {
    await this.exclusive(async () => {
      const s = this.raw.iacsec_state_recover();
      if (s !== OK) throw new FirmwareError(s, 'state_recover', 'the module is not fail-secure: there is nothing to recover', 'state');
      return { value: undefined, changed: true };
    });
  }

  /** A backup of the current state: the sealed blob signed by the device key (CR 7.3). */
  async backup(): Promise<Uint8Array> {
    this.needs('iacsec_state_backup', 'signed state backups');
    return this.exclusive(async () => {
      const ptr = this.api.ioPtr;
      const n = this.raw.iacsec_state_backup(ptr, this.api.ioBytes);
      if (n <= 1) throw new FirmwareError(n, 'state_backup', undefined, 'backup');
      const out = this.api.heap().slice(ptr, ptr + n);
      this.wipeIo(n);
      return { value: out, changed: false };
    });
  }

  /** Verifies a backup of this device, then restores it; never lowers a counter, keeps live revocations (CR 7.3 RE1, CR 7.4). */
  async restore(backup: Uint8Array): Promise<void> {
    this.needs('iacsec_state_restore', 'signed state backups');
    if (!(backup instanceof Uint8Array)) throw new TypeError('backup must be a Uint8Array');
    if (backup.byteLength > this.api.ioBytes) {
      throw new FirmwareError(STATUS.ERR_LENGTH.code, 'state_restore', 'the backup is larger than the I/O area', 'restore');
    }
    await this.exclusive(async () => {
      let s: number = OK;
      try {
        s = this.raw.iacsec_state_restore(this.put(backup), backup.byteLength);
      } finally {
        this.wipeIo(backup.byteLength);
      }
      if (s !== OK) throw new FirmwareError(s, 'state_restore', undefined, 'restore');
      return { value: undefined, changed: true };
    });
  }
}

function asBytes(c: unknown): Uint8Array {
  if (c instanceof Uint8Array) return c;
  throw new TypeError('image chunks must be Uint8Array');
}

/** The firmware API over a loaded module (see class Firmware). */
export function firmware(api: Iacsec, options: FirmwareOptions = {}): Firmware {
  return new Firmware(api, options);
}

/** A supplier anchor from a public key read by keys.ts (kid, key, alg). */
export function anchorOf(key: PublicKeyInfo): SupplierAnchor {
  return { kid: key.kid, publicKey: key.publicKey, alg: key.alg };
}
