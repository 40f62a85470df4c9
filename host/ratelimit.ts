// Rate limiting through the module (CR 7.1 RE1, CR 7.2; the rule is in
// assembly/ratelimit/gcra.ts and the README). check() is the hot path: one
// copy of the source into the I/O area and one call.

import { STATUS } from '../bindings/abi.js';
import type { Iacsec } from './api.js';
import { AuthError } from './auth.js';
import { decodeAuthEvent, isAuthEvent, type AuthEvent } from './auth_events.js';
import { moduleGate, type ModuleGate } from './module_gate.js';

const enc = new TextEncoder();

export interface RateLimitOptions {
  clock?: () => number;
  onEvent?: (event: AuthEvent) => void;
}

export interface RateLimitConfig { sourceRate: number; sourceBurst: number; globalRate: number; globalBurst: number; }
export interface SourceStatus { tracked: boolean; penalized: boolean; retryAfterMs: number; }

export class RateLimit {
  private readonly raw: Iacsec['raw'];
  private readonly clock: () => number;
  private readonly gate: ModuleGate;
  private readonly listening: boolean;
  private readonly src: number;
  private readonly out: number;

  constructor(private readonly api: Iacsec, options: RateLimitOptions = {}) {
    this.raw = api.raw;
    this.clock = options.clock ?? Date.now;
    this.gate = moduleGate(api);
    const onEvent = options.onEvent;
    this.listening = onEvent !== undefined;
    if (onEvent) this.gate.subscribe((r) => { if (isAuthEvent(r[0] | (r[1] << 8))) onEvent(decodeAuthEvent(r)); });
    this.src = api.ioPtr + 128;
    this.out = api.ioPtr + 64;
  }

  private put(source: string | Uint8Array): number {
    const b = typeof source === 'string' ? enc.encode(source) : source;
    if (b.byteLength > 64) throw new AuthError(STATUS.ERR_LENGTH.code, 'source is longer than 64 bytes');
    this.api.heap().set(b, this.src);
    return b.byteLength;
  }

  /** True when a request from the source may proceed now. */
  check(source: string | Uint8Array): boolean {
    const n = this.put(source);
    const st = this.raw.iacsec_ratelimit_check(this.src, n, BigInt(Math.trunc(this.clock())) as unknown as number);
    if (this.listening) this.drain();
    if (st === STATUS.OK.code) return true;
    if (st === STATUS.ERR_LOCKED.code) return false;
    throw new AuthError(st, 'ratelimit.check');
  }

  status(source: string | Uint8Array): SourceStatus {
    const n = this.put(source);
    const st = this.raw.iacsec_ratelimit_status(this.src, n, this.out, BigInt(Math.trunc(this.clock())) as unknown as number);
    if (st !== STATUS.OK.code) throw new AuthError(st, 'ratelimit.status');
    const b = this.api.heap().slice(this.out, this.out + 16);
    return { tracked: b[8] === 1, penalized: b[9] === 1, retryAfterMs: Number(new DataView(b.buffer).getBigInt64(0, true)) };
  }

  config(): RateLimitConfig {
    this.raw.iacsec_ratelimit_config_get(this.out);
    const dv = new DataView(this.api.heap().slice(this.out, this.out + 16).buffer);
    return { sourceRate: dv.getUint32(0, true), sourceBurst: dv.getUint32(4, true), globalRate: dv.getUint32(8, true), globalBurst: dv.getUint32(12, true) };
  }

  /** Sets the limits (SECURITY_ADMIN session, or '' before the first account exists). */
  configure(session: string, c: RateLimitConfig): void {
    const sid = this.api.ioPtr + 32;
    const id = /^[0-9a-f]{32}$/.test(session) ? Buffer.from(session, 'hex') : new Uint8Array(16);
    this.api.heap().set(id, sid);
    const st = this.raw.iacsec_ratelimit_config(sid, c.sourceRate, c.sourceBurst, c.globalRate, c.globalBurst,
      BigInt(Math.trunc(this.clock())) as unknown as number);
    this.api.heap().fill(0, sid, sid + 16);
    this.drain();
    if (st !== STATUS.OK.code) throw new AuthError(st, 'ratelimit.configure');
  }

  /** Records in use, or (busy) records whose source is not back to full. */
  count(busy = false): number {
    this.raw.iacsec_ratelimit_count(this.out, busy ? 1 : 0, BigInt(Math.trunc(this.clock())) as unknown as number);
    return new DataView(this.api.heap().slice(this.out, this.out + 4).buffer).getUint32(0, true);
  }

  /** Hands queued events to the gate's subscribers (module_gate.ts). */
  drain(): void {
    this.gate.drain();
  }
}

export function ratelimit(api: Iacsec, options: RateLimitOptions = {}): RateLimit {
  return new RateLimit(api, options);
}
