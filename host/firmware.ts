// Typed API over the module's firmware exports (formats: bindings/manifest.cddl;
// requirements EDR 3.10 RE1, EDR 3.12, EDR 3.13, EDR 3.14 RE1, CR 3.4 RE1/RE2):
// provisioning of the device identity and supplier anchors, trust statements,
// manifest verification with the image streamed through the I/O area, the
// anti-rollback counters, and the module's event records.

import { EVENT_TYPES, FW_PURPOSE, STATUS, statusByCode } from '../bindings/abi.js';
import { IacsecError } from './errors.js';
import type { Iacsec } from './api.js';
import { coseAlgOf, toHex, type KeyAlg, type PublicKeyInfo } from './keys.js';
import { decodeCoseSign1, decodeManifestPayload, parseUuid, type ImageSource, type ManifestFields } from './manifest.js';

const OK = STATUS.OK.code;
const END = STATUS.END.code;

/** Sizes of the module's firmware records and tables (IACSEC_* in the C header). */
export const FIRMWARE_LIMITS = {
  ANCHOR_RECORD_BYTES: 112,
  EVENT_BYTES: 128,
  MANIFEST_MAX_BYTES: 2048,
} as const;

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
}

export interface FirmwareOptions {
  /** Called with every event record the module queues, in order. */
  onEvent?: (event: FirmwareEvent) => void;
  /** Keep drained events in `events` (default true). */
  keepEvents?: boolean;
}

/** Something that persists the module's state after a change (state_store.ts). */
export interface StatePersister {
  save(): Promise<void>;
}

const REASONS: Readonly<Record<string, string>> = {
  ERR_MALFORMED: 'the message is not well formed (COSE_Sign1 tag 18 with a payload as in bindings/manifest.cddl)',
  ERR_UNSUPPORTED: 'the signature algorithm is not allowed (EdDSA -8 or ES256 -7 in the protected header)',
  ERR_CRITICAL: 'an unknown critical header or field',
  ERR_UNKNOWN_KEY: 'no trust anchor has the signer\'s key id',
  ERR_REVOKED: 'the signer\'s key id is revoked',
  ERR_INVALID: 'the signature does not verify with the anchor\'s key',
  ERR_WRONG_VENDOR: 'the manifest is for another vendor',
  ERR_WRONG_CLASS: 'the manifest is for another device class',
  ERR_ROLLBACK: 'rollback: the security counter is below the stored counter for this component',
  ERR_DIGEST: 'the image digest differs from the manifest (image modified or not the signed one)',
  ERR_SIZE: 'the image is longer or shorter than the manifest declares',
  ERR_STATE: 'the module is not in the state this needs (provisioning must be closed for verification; open for provisioning)',
  ERR_LENGTH: `a length is out of range (manifest at most ${FIRMWARE_LIMITS.MANIFEST_MAX_BYTES} bytes, kid 1..32 bytes)`,
  ERR_FULL: 'a fixed-capacity table of the module is full',
  ERR_UNAUTHORIZED: 'not authorized (provisioning closed, or signed by a key that may not make this change)',
  ERR_SELFTEST: 'the module\'s self-test has not passed',
  ERR_BOUNDS: 'an argument lies outside the I/O area',
};

/** A firmware, trust or state decision the module refused: the module's status, its name, and why. */
export class FirmwareError extends IacsecError {
  readonly reason: string;
  readonly operation: string;
  constructor(code: number, operation: string, reason?: string) {
    super(code, operation);
    this.name = 'FirmwareError';
    this.operation = operation;
    this.reason = reason ?? REASONS[statusByCode(code)?.name ?? ''] ?? statusByCode(code)?.meaning ?? `status ${code}`;
    this.message = `${operation}: ${this.reason} (${this.status}, ${code})`;
  }
}

const REQUIRED_EXPORTS = [
  'iacsec_device_set', 'iacsec_anchor_add_supplier', 'iacsec_provisioning_close', 'iacsec_provisioning_is_open',
  'iacsec_trust_statement_apply', 'iacsec_anchor_count', 'iacsec_anchor_get', 'iacsec_fw_begin', 'iacsec_fw_update',
  'iacsec_fw_finish', 'iacsec_fw_abort', 'iacsec_counter_get', 'iacsec_event_next', 'iacsec_state_seal_key',
  'iacsec_state_export', 'iacsec_state_import',
] as const;

const dec = new TextDecoder('utf-8', { fatal: false });
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

/**
 * The firmware side of one module instance. Every method drains the module's
 * event queue afterwards (to `events` and `onEvent`); with a persister
 * attached (openStateStore), the sealed state is saved after every operation
 * that changed the module's state or queued events.
 */
export class Firmware {
  readonly api: Iacsec;
  readonly events: FirmwareEvent[] = [];
  private readonly onEvent?: (event: FirmwareEvent) => void;
  private readonly keepEvents: boolean;
  private persister?: StatePersister;
  private busy = false;

  constructor(api: Iacsec, options: FirmwareOptions = {}) {
    const missing = REQUIRED_EXPORTS.filter((n) => typeof api.raw[n] !== 'function');
    if (missing.length > 0) throw new Error(`this build of the module has no firmware exports (missing ${missing.join(', ')})`);
    this.api = api;
    this.onEvent = options.onEvent;
    this.keepEvents = options.keepEvents ?? true;
  }

  /** Attaches (or detaches, with undefined) what saves the state after each change. */
  setPersister(p: StatePersister | undefined): void {
    this.persister = p;
  }

  private get raw() { return this.api.raw; }

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

  /** Reads every queued event record from the module (also done after every operation). */
  drainEvents(): FirmwareEvent[] {
    const out: FirmwareEvent[] = [];
    const ptr = this.api.ioPtr;
    for (;;) {
      const s = this.raw.iacsec_event_next(ptr);
      if (s === END) break;
      if (s !== OK) throw new FirmwareError(s, 'event_next');
      out.push(decodeEvent(this.api.heap().slice(ptr, ptr + FIRMWARE_LIMITS.EVENT_BYTES)));
    }
    for (const e of out) {
      if (this.keepEvents) this.events.push(e);
      this.onEvent?.(e);
    }
    return out;
  }

  private async settle(changed: boolean, saveOnEvents = true): Promise<void> {
    const events = this.drainEvents();
    if (this.persister && (changed || (saveOnEvents && events.length > 0))) await this.persister.save();
  }

  private async exclusive<T>(what: string, fn: () => Promise<T>): Promise<T> {
    if (this.busy) throw new FirmwareError(STATUS.ERR_STATE.code, what, 'another firmware operation is in progress on this module');
    this.busy = true;
    try {
      return await fn();
    } finally {
      this.busy = false;
    }
  }

  provisioningOpen(): boolean {
    return this.raw.iacsec_provisioning_is_open() === 1;
  }

  /** Sets vendor and device class, adds the supplier anchors, closes provisioning (EDR 3.12). */
  async provision(o: ProvisionOptions): Promise<void> {
    await this.exclusive('provision', async () => {
      const vendor = idBytes(o.vendor, 'vendor');
      const deviceClass = idBytes(o.deviceClass, 'deviceClass');
      if (!Array.isArray(o.supplierAnchors) || o.supplierAnchors.length === 0) {
        throw new TypeError('provision needs at least one supplier anchor');
      }
      let done = false;
      try {
        const s = this.raw.iacsec_device_set(this.put(vendor, 0), this.put(deviceClass, 16));
        if (s !== OK) throw new FirmwareError(s, 'device_set');
        for (const a of o.supplierAnchors) {
          const kid = typeof a.kid === 'string' ? new Uint8Array(Buffer.from(a.kid, 'hex')) : a.kid;
          const pkOffset = (kid.byteLength + 15) & ~15;
          const st = this.raw.iacsec_anchor_add_supplier(this.put(kid, 0), kid.byteLength,
            this.put(a.publicKey, pkOffset), a.publicKey.byteLength, coseAlgNumber(a.alg));
          if (st !== OK) throw new FirmwareError(st, `anchor_add_supplier (kid ${toHex(kid)})`);
        }
        const c = this.raw.iacsec_provisioning_close();
        if (c !== OK) throw new FirmwareError(c, 'provisioning_close');
        done = true;
      } finally {
        // Saved only once provisioning is complete: a half-provisioned state is never written.
        await this.settle(done, false);
      }
    });
  }

  /** Applies a signed trust statement: add an asset-owner anchor, or revoke a key id (EDR 3.13). */
  async applyTrustStatement(statement: Uint8Array): Promise<void> {
    await this.exclusive('trust_statement_apply', async () => {
      if (statement.byteLength > this.api.ioBytes) {
        throw new FirmwareError(STATUS.ERR_LENGTH.code, 'trust_statement_apply', 'the statement is larger than the I/O area');
      }
      let status: number = OK;
      try {
        status = this.raw.iacsec_trust_statement_apply(this.put(statement), statement.byteLength);
      } finally {
        await this.settle(status === OK);
      }
      if (status !== OK) throw new FirmwareError(status, 'trust_statement_apply');
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
   * Verifies a manifest and its image (EDR 3.10 RE1 with purpose 'install',
   * which raises the stored counter on success; EDR 3.14 RE1 with 'boot').
   * The image is streamed through the I/O area in chunks of at most 64 KiB.
   * Returns the manifest's fields; throws FirmwareError with the module's
   * status and reason otherwise.
   */
  async verifyFirmware(manifest: Uint8Array, image: ImageSource, options: VerifyOptions = {}): Promise<ManifestFields> {
    const purpose = options.purpose ?? 'install';
    if (!(purpose in PURPOSE)) throw new TypeError(`purpose must be 'install' or 'boot'`);
    if (!(manifest instanceof Uint8Array)) throw new TypeError('manifest must be a Uint8Array');
    return this.exclusive('verifyFirmware', async () => {
      let changed = false;
      try {
        if (manifest.byteLength > this.api.ioBytes) {
          throw new FirmwareError(STATUS.ERR_LENGTH.code, 'fw_begin',
            `the manifest is ${manifest.byteLength} bytes; at most ${FIRMWARE_LIMITS.MANIFEST_MAX_BYTES}`);
        }
        const b = this.raw.iacsec_fw_begin(this.put(manifest), manifest.byteLength, PURPOSE[purpose]);
        if (b !== OK) {
          throw new FirmwareError(b, 'fw_begin', b === STATUS.ERR_LENGTH.code
            ? `the manifest is ${manifest.byteLength} bytes; at most ${FIRMWARE_LIMITS.MANIFEST_MAX_BYTES}` : undefined);
        }
        let finished = false;
        let fields: ManifestFields;
        try {
          // The module accepted the signed manifest; its fields are authentic from here on.
          fields = decodeManifestPayload(decodeCoseSign1(manifest).payload);
          const declared = fields.imageSize;
          let total = 0n;
          const feed = (data: Uint8Array) => {
            for (let off = 0; off < data.byteLength; off += IMAGE_CHUNK_BYTES) {
              const chunk = data.subarray(off, off + Math.min(IMAGE_CHUNK_BYTES, this.api.ioBytes));
              total += BigInt(chunk.byteLength);
              const s = this.raw.iacsec_fw_update(this.put(chunk), chunk.byteLength);
              if (s !== OK) {
                throw new FirmwareError(s, 'fw_update', s === STATUS.ERR_SIZE.code
                  ? `the image is longer than the ${declared} bytes the manifest declares` : undefined);
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
              ? `the image is ${total} bytes, shorter than the ${declared} bytes the manifest declares` : undefined);
          }
        } finally {
          // Whatever failed on the host side (reading the image), the session must not stay open.
          if (!finished) this.raw.iacsec_fw_abort();
        }
        changed = purpose === 'install';
        return fields;
      } finally {
        this.wipeIo(IMAGE_CHUNK_BYTES);
        await this.settle(changed);
      }
    });
  }

  /** Sets the 32-byte sealing key of the state blob (HMAC-SHA256). */
  setSealKey(key: Uint8Array): void {
    if (!(key instanceof Uint8Array) || key.byteLength !== 32) throw new TypeError('the sealing key must be 32 bytes');
    try {
      const s = this.raw.iacsec_state_seal_key(this.put(key));
      if (s !== OK) throw new FirmwareError(s, 'state_seal_key');
    } finally {
      this.wipeIo(32);
    }
  }

  /** The sealed state blob (needs the sealing key). */
  exportState(): Uint8Array {
    const ptr = this.api.ioPtr;
    const n = this.raw.iacsec_state_export(ptr, this.api.ioBytes);
    if (n <= 1) throw new FirmwareError(n, 'state_export', n === STATUS.ERR_STATE.code ? 'no sealing key is set' : undefined);
    const blob = this.api.heap().slice(ptr, ptr + n);
    this.wipeIo(n);
    return blob;
  }

  /** Restores a sealed blob into a fresh module; a corrupted or wrongly keyed blob is refused (all or nothing). */
  importState(blob: Uint8Array): void {
    if (blob.byteLength > this.api.ioBytes) {
      throw new FirmwareError(STATUS.ERR_LENGTH.code, 'state_import', 'the state blob is larger than the I/O area');
    }
    let s: number = OK;
    try {
      s = this.raw.iacsec_state_import(this.put(blob), blob.byteLength);
    } finally {
      this.wipeIo(blob.byteLength);
      this.drainEvents();
    }
    if (s !== OK) {
      const why: Record<number, string> = {
        [STATUS.ERR_INVALID.code]: 'the state blob\'s seal does not verify (modified, or sealed with another key)',
        [STATUS.ERR_MALFORMED.code]: 'the state blob is malformed or truncated (wrong magic, version or fields)',
        [STATUS.ERR_STATE.code]: 'state can only be imported into a fresh module',
      };
      throw new FirmwareError(s, 'state_import', why[s]);
    }
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
