// The typed API over a loaded module. Inputs are Uint8Array; a call the
// module refuses throws IacsecError with the module's status code. Data goes
// through the module's I/O area; what held a secret is wiped after the call.

import { CAPS, P256_FORMAT, SIZES, STATUS } from '../bindings/abi.js';
import { IacsecError } from './errors.js';
import type { LoadedModule } from './loader.js';

const OK = STATUS.OK.code;

/** An incremental hash; call digest() once, or dispose() to give its slot back early. */
export interface Hasher {
  update(data: Uint8Array): Hasher;
  digest(): Uint8Array;
  dispose(): void;
}

export interface ModuleInfo {
  abiVersion: number;
  caps: number;
  capabilities: string[];
  ioBytes: number;
  memoryBytes: number;
  /** Bytes of linear memory the module's static data and tables take (undefined for a build without the getter). */
  staticBytes: number | undefined;
  memoryPages: { initial: number; maximum: number | undefined };
  imports: string[];
  exports: string[];
  source: string;
  size: number;
  sha256: string;
}

function bytes(name: string, value: unknown): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${name} must be a Uint8Array`);
  return value;
}

function u32(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0xffff_ffff) {
    throw new TypeError(`${name} must be an integer from 0 to 2^32 - 1`);
  }
  return value;
}

/** Places inputs and outputs in the I/O area for one call. */
class Arena {
  private used = 0;
  constructor(private readonly api: Iacsec, private readonly what: string) {}
  alloc(n: number): number {
    if (n > this.api.ioBytes - this.used) {
      throw new IacsecError(STATUS.ERR_LENGTH.code, `${this.what}: inputs and outputs exceed the ${this.api.ioBytes}-byte I/O area`);
    }
    const ptr = this.api.ioPtr + this.used;
    this.used += (n + 15) & ~15;
    return ptr;
  }
  put(data: Uint8Array): number {
    const ptr = this.alloc(data.byteLength);
    this.api.heap().set(data, ptr);
    return ptr;
  }
  read(ptr: number, n: number): Uint8Array {
    return this.api.heap().slice(ptr, ptr + n);
  }
  wipe(): void {
    this.api.heap().fill(0, this.api.ioPtr, this.api.ioPtr + this.used);
  }
}

export class Iacsec {
  readonly raw: LoadedModule['exports'];
  readonly ioPtr: number;
  readonly ioBytes: number;
  private readonly loaded: LoadedModule;
  private readonly registry = new FinalizationRegistry<() => void>((release) => release());

  constructor(loaded: LoadedModule) {
    this.loaded = loaded;
    this.raw = loaded.exports;
    this.ioPtr = this.raw.iacsec_io_ptr() >>> 0;
    this.ioBytes = this.raw.iacsec_io_bytes() >>> 0;
  }

  /** A view of the module's whole linear memory (it never grows, but a view is cheap). */
  heap(): Uint8Array {
    return new Uint8Array(this.loaded.memory.buffer);
  }

  private check(status: number, what: string): void {
    if (status !== OK) throw new IacsecError(status, what);
  }

  info(): ModuleInfo {
    const caps = this.raw.iacsec_caps() >>> 0;
    const memoryBytes = this.loaded.memory.buffer.byteLength;
    return {
      abiVersion: this.raw.iacsec_abi_version(),
      caps,
      capabilities: Object.entries(CAPS).filter(([, bit]) => (caps & bit) !== 0).map(([name]) => name),
      ioBytes: this.ioBytes,
      memoryBytes,
      staticBytes: typeof this.raw.iacsec_static_bytes === 'function' ? this.raw.iacsec_static_bytes() >>> 0 : undefined,
      memoryPages: this.loaded.memoryPages,
      imports: this.loaded.imports,
      exports: this.loaded.exportNames,
      source: this.loaded.source,
      size: this.loaded.size,
      sha256: this.loaded.sha256,
    };
  }

  /** Wipes every secret the module keeps between calls (CR 4.2), e.g. before decommissioning. */
  zeroize(): void {
    this.check(this.raw.iacsec_zeroize(), 'zeroize');
  }

  /** Runs the power-on self-test again; returns the failing test's id, or 0. */
  selftest(): number {
    return this.raw.iacsec_selftest() === OK ? 0 : this.raw.iacsec_selftest_failed();
  }

  sha256(data: Uint8Array): Uint8Array {
    bytes('data', data);
    if (data.byteLength + 32 > this.ioBytes) return this.createSha256().update(data).digest();
    const a = new Arena(this, 'sha256');
    const out = a.alloc(32);
    const msg = a.put(data);
    this.check(this.raw.iacsec_sha256(out, msg, data.byteLength), 'sha256');
    return a.read(out, 32);
  }

  sha512(data: Uint8Array): Uint8Array {
    bytes('data', data);
    if (data.byteLength + 64 > this.ioBytes) return this.createSha512().update(data).digest();
    const a = new Arena(this, 'sha512');
    const out = a.alloc(64);
    const msg = a.put(data);
    this.check(this.raw.iacsec_sha512(out, msg, data.byteLength), 'sha512');
    return a.read(out, 64);
  }

  createSha256(): Hasher {
    return this.hasher('sha256', 32, this.raw.iacsec_sha256_init, this.raw.iacsec_sha256_update,
      this.raw.iacsec_sha256_final, this.raw.iacsec_sha256_abort);
  }

  createSha512(): Hasher {
    return this.hasher('sha512', 64, this.raw.iacsec_sha512_init, this.raw.iacsec_sha512_update,
      this.raw.iacsec_sha512_final, this.raw.iacsec_sha512_abort);
  }

  private hasher(
    what: string, outLen: number,
    init: () => number, update: (h: number, p: number, n: number) => number,
    final: (h: number, out: number) => number, abort: (h: number) => number,
  ): Hasher {
    const handle = init();
    if (handle <= 0) throw new IacsecError(handle, `${what} init`);
    let live = true;
    const token = {};
    const release = () => { if (live) { live = false; abort(handle); } };
    this.registry.register(token, () => abort(handle), token);
    const api = this;
    const hasher: Hasher = {
      update(data: Uint8Array): Hasher {
        bytes('data', data);
        if (!live) throw new IacsecError(STATUS.ERR_STATE.code, `${what} update after digest`);
        const heap = api.heap();
        for (let off = 0; off < data.byteLength; off += api.ioBytes) {
          const chunk = data.subarray(off, off + api.ioBytes);
          heap.set(chunk, api.ioPtr);
          api.check(update(handle, api.ioPtr, chunk.byteLength), `${what} update`);
        }
        return hasher;
      },
      digest(): Uint8Array {
        if (!live) throw new IacsecError(STATUS.ERR_STATE.code, `${what} digest called twice`);
        live = false;
        api.registry.unregister(token);
        api.check(final(handle, api.ioPtr), `${what} final`);
        return api.heap().slice(api.ioPtr, api.ioPtr + outLen);
      },
      dispose(): void {
        api.registry.unregister(token);
        release();
      },
    };
    return hasher;
  }

  hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array {
    return this.hmac('hmacSha256', 32, this.raw.iacsec_hmac_sha256, key, data);
  }

  hmacSha512(key: Uint8Array, data: Uint8Array): Uint8Array {
    return this.hmac('hmacSha512', 64, this.raw.iacsec_hmac_sha512, key, data);
  }

  private hmac(what: string, outLen: number, fn: (...a: number[]) => number, key: Uint8Array, data: Uint8Array): Uint8Array {
    bytes('key', key);
    bytes('data', data);
    const a = new Arena(this, what);
    try {
      const out = a.alloc(outLen);
      const k = a.put(key);
      const m = a.put(data);
      this.check(fn(out, k, key.byteLength, m, data.byteLength), what);
      return a.read(out, outLen);
    } finally {
      a.wipe();
    }
  }

  pbkdf2Sha256(password: Uint8Array, salt: Uint8Array, iterations: number, length: number): Uint8Array {
    bytes('password', password);
    bytes('salt', salt);
    u32('iterations', iterations);
    u32('length', length);
    const a = new Arena(this, 'pbkdf2Sha256');
    try {
      const out = a.alloc(length);
      const p = a.put(password);
      const s = a.put(salt);
      this.check(this.raw.iacsec_pbkdf2_sha256(out, length, p, password.byteLength, s, salt.byteLength, iterations), 'pbkdf2Sha256');
      return a.read(out, length);
    } finally {
      a.wipe();
    }
  }

  hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
    bytes('ikm', ikm);
    bytes('salt', salt);
    bytes('info', info);
    u32('length', length);
    const a = new Arena(this, 'hkdfSha256');
    try {
      const out = a.alloc(length);
      const k = a.put(ikm);
      const s = a.put(salt);
      const i = a.put(info);
      this.check(this.raw.iacsec_hkdf_sha256(out, length, k, ikm.byteLength, s, salt.byteLength, i, info.byteLength), 'hkdfSha256');
      return a.read(out, length);
    } finally {
      a.wipe();
    }
  }

  ed25519PublicKey(seed: Uint8Array): Uint8Array {
    this.fixed('seed', seed, SIZES.ED25519_SEEDBYTES);
    const a = new Arena(this, 'ed25519PublicKey');
    try {
      const out = a.alloc(32);
      const s = a.put(seed);
      this.check(this.raw.iacsec_ed25519_public_key(out, s), 'ed25519PublicKey');
      return a.read(out, 32);
    } finally {
      a.wipe();
    }
  }

  ed25519Sign(seed: Uint8Array, message: Uint8Array): Uint8Array {
    this.fixed('seed', seed, SIZES.ED25519_SEEDBYTES);
    bytes('message', message);
    const a = new Arena(this, 'ed25519Sign');
    try {
      const out = a.alloc(64);
      const s = a.put(seed);
      const m = a.put(message);
      this.check(this.raw.iacsec_ed25519_sign(out, s, m, message.byteLength), 'ed25519Sign');
      return a.read(out, 64);
    } finally {
      a.wipe();
    }
  }

  /** True when the signature is valid under RFC 8032 with the strict policy in assembly/sig/ed25519.ts. */
  ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
    bytes('publicKey', publicKey);
    bytes('message', message);
    bytes('signature', signature);
    // A key or signature of the wrong length is just not valid (verify reports, never throws).
    if (publicKey.byteLength !== 32 || signature.byteLength !== 64) return false;
    const a = new Arena(this, 'ed25519Verify');
    const pk = a.put(publicKey);
    const sig = a.put(signature);
    const m = a.put(message);
    const status = this.raw.iacsec_ed25519_verify(pk, m, message.byteLength, sig);
    if (status === OK) return true;
    if (status === STATUS.ERR_INVALID.code) return false;
    throw new IacsecError(status, 'ed25519Verify');
  }

  /** True when the ECDSA P-256 / SHA-256 signature is valid; format 'raw' (r||s, default) or 'der'. */
  p256Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array, options: { format?: 'raw' | 'der' } = {}): boolean {
    bytes('publicKey', publicKey);
    bytes('message', message);
    bytes('signature', signature);
    const format = options.format ?? 'raw';
    if (!(format in P256_FORMAT)) throw new TypeError(`format must be 'raw' or 'der'`);
    if (publicKey.byteLength > SIZES.P256_PUBLICKEYBYTES_MAX || signature.byteLength > SIZES.P256_SIGBYTES_MAX) return false;
    const a = new Arena(this, 'p256Verify');
    const pk = a.put(publicKey);
    const sig = a.put(signature);
    const m = a.put(message);
    const status = this.raw.iacsec_p256_verify(pk, publicKey.byteLength, m, message.byteLength, sig, signature.byteLength, P256_FORMAT[format]);
    if (status === OK) return true;
    if (status === STATUS.ERR_INVALID.code) return false;
    throw new IacsecError(status, 'p256Verify');
  }

  private fixed(name: string, value: unknown, length: number): void {
    bytes(name, value);
    if ((value as Uint8Array).byteLength !== length) {
      throw new IacsecError(STATUS.ERR_LENGTH.code, `${name} must be ${length} bytes`);
    }
  }
}
