// Device authentication through the module (CR 1.2 RE1, CR 1.14): the
// component answers a peer's challenge with its device key, and checks
// peers against provisioned Ed25519 public keys or pre-shared HMAC keys.

import { PEER_KIND, SIZES, STATUS } from '../bindings/abi.js';
import type { Iacsec } from './api.js';
import { AuthError } from './auth.js';
import { decodeAuthEvent, isAuthEvent, type AuthEvent } from './auth_events.js';
import { moduleGate, type ModuleGate } from './module_gate.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

/** The message both sides sign or tag: domain, length byte, challenge. */
export function deviceAuthMessage(challenge: Uint8Array): Uint8Array {
  const domain = enc.encode('iacsec device authentication v1\0');
  const m = new Uint8Array(33 + challenge.byteLength);
  m.set(domain, 0);
  m[32] = challenge.byteLength;
  m.set(challenge, 33);
  return m;
}

export interface PeerInfo { name: string; kind: 'ed25519' | 'hmac'; publicKey: Uint8Array | null; }

export class DeviceAuth {
  private readonly raw: Iacsec['raw'];
  private readonly gate: ModuleGate;
  constructor(private readonly api: Iacsec, private readonly o: { clock?: () => number; onEvent?: (e: AuthEvent) => void } = {}) {
    this.raw = api.raw;
    this.gate = moduleGate(api);
    const onEvent = o.onEvent;
    if (onEvent) this.gate.subscribe((r) => { if (isAuthEvent(r[0] | (r[1] << 8))) onEvent(decodeAuthEvent(r)); });
  }

  private now(): number { return BigInt(Math.trunc((this.o.clock ?? Date.now)())) as unknown as number; }

  private run<T>(inputs: Uint8Array[], fn: (ptrs: number[]) => T): T {
    const heap = this.api.heap();
    const ptrs: number[] = [];
    let off = this.api.ioPtr + 256;
    for (const b of inputs) { heap.set(b, off); ptrs.push(off); off += (b.byteLength + 16) & ~15; }
    try {
      return fn(ptrs);
    } finally {
      this.api.heap().fill(0, this.api.ioPtr, off);
      this.gate.drain();
    }
  }

  private sid(session: string): Uint8Array {
    return /^[0-9a-f]{32}$/.test(session) ? Uint8Array.from(Buffer.from(session, 'hex')) : new Uint8Array(16);
  }

  /** The component proves itself: an Ed25519 signature over the device-authentication message of the challenge. */
  sign(challenge: Uint8Array): Uint8Array {
    return this.run([new Uint8Array(64), challenge], ([sig, ch]) => {
      const st = this.raw.iacsec_device_auth_sign(sig, ch, challenge.byteLength);
      if (st !== STATUS.OK.code) throw new AuthError(st, 'device auth sign');
      return this.api.heap().slice(sig, sig + 64);
    });
  }

  /** Provisions a peer (SECURITY_ADMIN session, or '' before the first account exists). */
  addPeer(session: string, name: string, key: { ed25519?: Uint8Array; hmac?: Uint8Array }): void {
    const kind = key.ed25519 ? PEER_KIND.ed25519 : PEER_KIND.hmac;
    const k = key.ed25519 ?? key.hmac;
    if (!k) throw new TypeError('give an ed25519 public key or an hmac key');
    const n = enc.encode(name);
    this.run([this.sid(session), n, k], ([s, np, kp]) => {
      const st = this.raw.iacsec_peer_add(s, np, n.byteLength, kind, kp, k.byteLength, this.now());
      if (st !== STATUS.OK.code) throw new AuthError(st, 'addPeer');
    });
  }

  removePeer(session: string, name: string): boolean {
    const n = enc.encode(name);
    return this.run([this.sid(session), n], ([s, np]) => {
      const st = this.raw.iacsec_peer_remove(s, np, n.byteLength, this.now());
      if (st === STATUS.END.code) return false;
      if (st !== STATUS.OK.code) throw new AuthError(st, 'removePeer');
      return true;
    });
  }

  peers(): PeerInfo[] {
    return this.run([new Uint8Array(SIZES.PEER_BYTES)], ([out]) => {
      const list: PeerInfo[] = [];
      for (let i = 0; this.raw.iacsec_peer_get(i, out) === STATUS.OK.code; i++) {
        const r = this.api.heap().slice(out, out + SIZES.PEER_BYTES);
        const kind = r[1] === PEER_KIND.ed25519 ? 'ed25519' : 'hmac';
        list.push({ name: dec.decode(r.subarray(4, 4 + r[2])), kind, publicKey: kind === 'ed25519' ? r.slice(36, 68) : null });
      }
      return list;
    });
  }

  /** A fresh single-use challenge (32 bytes, valid 60 s) to send to a peer. */
  challenge(): Uint8Array {
    return this.run([new Uint8Array(SIZES.CHALLENGE_BYTES)], ([out]) => {
      const st = this.raw.iacsec_peer_challenge(out, this.now());
      if (st !== STATUS.OK.code) throw new AuthError(st, 'challenge');
      return this.api.heap().slice(out, out + SIZES.CHALLENGE_BYTES);
    });
  }

  /** True when the named peer answered the challenge correctly; the challenge is used up either way. */
  verifyPeer(name: string, challenge: Uint8Array, proof: Uint8Array): boolean {
    const n = enc.encode(name);
    if (challenge.byteLength !== SIZES.CHALLENGE_BYTES) return false;
    return this.run([n, challenge, proof], ([np, ch, pp]) => {
      const st = this.raw.iacsec_peer_verify(np, n.byteLength, ch, pp, proof.byteLength, this.now());
      if (st === STATUS.OK.code) return true;
      if (st === STATUS.ERR_AUTH.code) return false;
      throw new AuthError(st, 'verifyPeer');
    });
  }
}

export function deviceAuth(api: Iacsec, o: { clock?: () => number; onEvent?: (e: AuthEvent) => void } = {}): DeviceAuth {
  return new DeviceAuth(api, o);
}
