// Access control through the module: provisioning, login, authorization,
// sessions, account and role administration, TOTP enrolment. Every decision
// is the module's; this class moves bytes, passes the time (ms since the
// Unix epoch, from `clock`), and hands the module's event records to
// `onEvent` after each call. A refused call throws AuthError with the
// module's status; authorize() answers true or false.

import { ACCOUNT_FLAGS, OTP_ALG, PERMISSIONS, PROFILE_FIELDS, SIZES, STATUS, statusByCode, type StatusName } from '../bindings/abi.js';
import { IacsecError } from './errors.js';
import type { Iacsec } from './api.js';
import { decodeAuthEvent, isAuthEvent, type AuthEvent } from './auth_events.js';
import { moduleGate, type ModuleGate } from './module_gate.js';
import { otpauthUri, base32Encode } from './auth_totp.js';

const OK = STATUS.OK.code;
const END = STATUS.END.code;
const enc = new TextEncoder();
const dec = new TextDecoder();

export type Permission = keyof typeof PERMISSIONS | number;
export type Session = string;
export type OtpAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';

/** A call the module refused; `status` names the reason (e.g. 'ERR_AUTH', 'ERR_POLICY'). */
export class AuthError extends IacsecError {
  constructor(code: number, what: string) {
    super(code, what);
    this.name = 'AuthError';
  }
}

export interface AuthOptions {
  /** Current time in ms since the Unix epoch (default Date.now). */
  clock?: () => number;
  /** Receives every access-control event record the module queued. */
  onEvent?: (event: AuthEvent) => void;
}

export interface LoginRequest {
  user: string;
  password: string | Uint8Array;
  /** TOTP code (6..8 digits) or a recovery code (10 digits). */
  totp?: string;
  /** The client's address (text or bytes); keyed and hashed in the module. */
  source: string | Uint8Array;
  /** Interface index 0..IFACES_MAX-1 (the product names them: console, web, OPC UA, ...). */
  iface: number;
}

export interface LoginResult {
  session: Session;
  /** The session may only change its password (factory default, temporary or expired password). */
  mustChangePassword: boolean;
}

export interface UserInfo {
  id: number;
  name: string;
  role: number;
  flags: string[];
  failures: number;
  /** null: not locked; 'admin': until an administrator unlocks; else the time (ms) it ends. */
  lockedUntil: number | 'admin' | null;
  passwordSetAt: number;
  lastLogin: number;
  created: number;
  iterations: number;
  totp: { digits: number; algorithm: OtpAlgorithm; recoveryCodesLeft: number } | null;
}

export interface SessionInfo {
  serial: number;
  accountId: number;
  user: string;
  role: number;
  iface: number;
  state: 'active' | 'locked';
  mustChangePassword: boolean;
  created: number;
  lastActivity: number;
}

export interface RoleInfo {
  index: number;
  name: string;
  permissions: number;
  permissionNames: string[];
  mfaRequired: boolean;
}

export type Profile = Record<keyof typeof PROFILE_FIELDS, number>;

export interface TotpEnrolment {
  secret: Uint8Array;
  secretBase32: string;
  uri: string;
  recoveryCodes: string[];
  algorithm: OtpAlgorithm;
  digits: number;
  period: number;
}

function text(name: string, v: unknown): Uint8Array {
  if (typeof v === 'string') return enc.encode(v);
  if (v instanceof Uint8Array) return v;
  throw new TypeError(`${name} must be a string or Uint8Array`);
}

export function permissionBit(p: Permission): number {
  if (typeof p === 'number') {
    if (!Number.isInteger(p) || p < 0 || p > 31) throw new TypeError('permission must be 0..31');
    return p;
  }
  const bit = (PERMISSIONS as Record<string, number>)[p];
  if (bit === undefined) throw new TypeError(`unknown permission ${p}`);
  return bit;
}

export function permissionNames(mask: number): string[] {
  const names: string[] = [];
  for (let bit = 0; bit < 32; bit++) {
    if (((mask >>> bit) & 1) === 0) continue;
    const name = Object.entries(PERMISSIONS).find(([, b]) => b === bit)?.[0];
    names.push(name ?? `BIT_${bit}`);
  }
  return names;
}

function sessionBytes(s: Session): Uint8Array {
  if (typeof s !== 'string' || !/^[0-9a-f]{32}$/.test(s)) {
    // A malformed id is still sent, as zeros: the module answers ERR_SESSION and records it.
    return new Uint8Array(SIZES.SESSION_ID_BYTES);
  }
  return Uint8Array.from(Buffer.from(s, 'hex'));
}

class Io {
  private used = 0;
  constructor(private readonly api: Iacsec) {}
  alloc(n: number): number {
    if (n > this.api.ioBytes - 256 - this.used) throw new AuthError(STATUS.ERR_LENGTH.code, 'inputs exceed the I/O area');
    const p = this.api.ioPtr + 256 + this.used;
    this.used += (n + 15) & ~15;
    return p;
  }
  put(b: Uint8Array): [number, number] {
    const p = this.alloc(Math.max(b.byteLength, 1));
    this.api.heap().set(b, p);
    return [p, b.byteLength];
  }
  read(p: number, n: number): Uint8Array { return this.api.heap().slice(p, p + n); }
  wipe(): void { this.api.heap().fill(0, this.api.ioPtr, this.api.ioPtr + 256 + this.used); }
}

export class Auth {
  readonly api: Iacsec;
  private readonly raw: Iacsec['raw'];
  private readonly clock: () => number;
  private readonly gate: ModuleGate;
  private inTransaction = false;

  constructor(api: Iacsec, options: AuthOptions = {}) {
    this.api = api;
    this.raw = api.raw;
    this.clock = options.clock ?? Date.now;
    this.gate = moduleGate(api);
    const onEvent = options.onEvent;
    if (onEvent) {
      this.gate.subscribe((r) => {
        if (isAuthEvent(r[0] | (r[1] << 8))) onEvent(decodeAuthEvent(r));
      });
    }
  }

  /**
   * Runs fn alone on the module (module_gate.ts). With a state store attached
   * (openStateStore), that is one transaction of the sealed, locked state:
   * the newest stored state is loaded first, and every call that queued an
   * event (each login, failure, lock, change) is saved before the answer is
   * returned, so a restart, crash or power cut never loses a failure count.
   */
  async transaction<T>(fn: (auth: Auth) => T): Promise<T> {
    type Outcome = { ok: true; value: T } | { ok: false; error: unknown };
    const o = await this.gate.run<Outcome>(async () => {
      // Events drained inside fn (by another wrapper over the same module) still mark a change,
      // and a refusal is saved like a success (a failed login counts, CR 1.11).
      let seen = 0;
      const unsubscribe = this.gate.subscribe(() => { seen++; });
      this.inTransaction = true;
      let out: Outcome;
      try {
        out = { ok: true, value: fn(this) };
      } catch (error) {
        out = { ok: false, error };
      } finally {
        this.inTransaction = false;
        unsubscribe();
      }
      return { value: out, changed: seen > 0 };
    });
    if (!o.ok) throw o.error;
    return o.value;
  }

  private now(): bigint { return BigInt(Math.trunc(this.clock())); }

  /**
   * A call that checks a secret counts its failure in the module's state
   * (CR 1.11). With a state store attached, outside a transaction that count
   * would not be saved before the answer, and the next transaction would
   * load another process's newer state over it: the failure lost, the lock
   * never reached. So such a call runs only inside transaction().
   */
  private requireTransaction(what: string): void {
    if (!this.inTransaction && this.gate.hasPersister()) {
      throw new Error(`${what}: with a state store attached, call it inside auth.transaction(), which saves its failure count before answering (CR 1.11)`);
    }
  }

  /** Runs fn with a fresh I/O arena, wipes it, drains events. */
  private call<T>(fn: (io: Io) => T): T {
    const io = new Io(this.api);
    try {
      return fn(io);
    } finally {
      io.wipe();
      this.drain();
    }
  }

  /** Hands every queued event to the gate's subscribers (inside a transaction, the gate does it and saves). */
  drain(): void {
    if (!this.inTransaction) this.gate.drain();
  }

  private check(st: number, what: string): void {
    if (st !== OK) throw new AuthError(st, what);
  }

  /** Creates the first administrator (once, while no account exists). */
  provision(o: { user: string; password: string | Uint8Array; factoryDefault?: boolean }): void {
    this.call((io) => {
      const [n, nl] = io.put(text('user', o.user));
      const [p, pl] = io.put(text('password', o.password));
      this.check(this.raw.iacsec_auth_provision(n, nl, p, pl, o.factoryDefault ? 1 : 0, this.now() as unknown as number), 'provision');
    });
  }

  login(req: LoginRequest): LoginResult {
    if (!Number.isInteger(req.iface)) throw new TypeError('iface must be an integer');
    this.requireTransaction('login');
    return this.call((io) => {
      const out = io.alloc(16);
      const [u, ul] = io.put(text('user', req.user));
      const [p, pl] = io.put(text('password', req.password));
      const [c, cl] = io.put(enc.encode(req.totp ?? ''));
      const [s, sl] = io.put(text('source', req.source));
      const st = this.raw.iacsec_auth_login(out, u, ul, p, pl, c, cl, s, sl, req.iface, this.now() as unknown as number);
      this.check(st, 'login');
      const session = Buffer.from(io.read(out, 16)).toString('hex');
      return { session, mustChangePassword: this.sessionMustChange(session) };
    });
  }

  private sessionMustChange(session: Session): boolean {
    return this.whoami(session).mustChangePassword;
  }

  private decodeSession(b: Uint8Array): SessionInfo {
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    return {
      serial: dv.getUint32(0, true), accountId: dv.getUint32(4, true), iface: b[8], role: b[11],
      state: b[9] === 2 ? 'locked' : 'active', mustChangePassword: (b[10] & 1) !== 0,
      created: Number(dv.getBigInt64(16, true)), lastActivity: Number(dv.getBigInt64(24, true)),
      user: dec.decode(b.subarray(33, 33 + b[32])),
    };
  }

  /** The caller's own session: user, role, state, whether it may only change its password. */
  whoami(session: Session): SessionInfo {
    return this.call((io) => {
      const [sid] = io.put(sessionBytes(session));
      const out = io.alloc(SIZES.SESSION_INFO_BYTES);
      this.check(this.raw.iacsec_auth_session_info(sid, out, this.now() as unknown as number), 'whoami');
      return this.decodeSession(io.read(out, SIZES.SESSION_INFO_BYTES));
    });
  }

  /** True only when the session is live and its role holds the permission (default deny). */
  authorize(session: Session, permission: Permission): boolean {
    return this.decide(session, permission) === 'OK';
  }

  /** authorize's answer with its reason: 'OK', 'ERR_DENIED', 'ERR_SESSION', 'ERR_SESSION_LOCKED', 'ERR_MUST_CHANGE'. */
  decide(session: Session, permission: Permission): StatusName | 'UNKNOWN' {
    const bit = permissionBit(permission);
    return this.call((io) => {
      const [sid] = io.put(sessionBytes(session));
      const st = this.raw.iacsec_auth_authorize(sid, bit, this.now() as unknown as number);
      return (statusByCode(st)?.name as StatusName | undefined) ?? 'UNKNOWN';
    });
  }

  logout(session: Session): void {
    this.call((io) => {
      const [sid] = io.put(sessionBytes(session));
      this.check(this.raw.iacsec_auth_logout(sid, this.now() as unknown as number), 'logout');
    });
  }

  /** Re-authentication after an idle lock (CR 2.5). */
  unlockSession(session: Session, password: string | Uint8Array, totp?: string): void {
    this.requireTransaction('unlockSession');
    this.call((io) => {
      const [sid] = io.put(sessionBytes(session));
      const [p, pl] = io.put(text('password', password));
      const [c, cl] = io.put(enc.encode(totp ?? ''));
      this.check(this.raw.iacsec_auth_session_unlock(sid, p, pl, c, cl, this.now() as unknown as number), 'unlockSession');
    });
  }

  /** The session's user changes their own password. */
  changePassword(session: Session, oldPassword: string | Uint8Array, newPassword: string | Uint8Array): void {
    this.requireTransaction('changePassword');
    this.call((io) => {
      const [sid] = io.put(sessionBytes(session));
      const [o, ol] = io.put(text('oldPassword', oldPassword));
      const [p, pl] = io.put(text('newPassword', newPassword));
      this.check(this.raw.iacsec_auth_passwd(sid, o, ol, p, pl, this.now() as unknown as number), 'changePassword');
    });
  }

  // ---- administration (the session must hold the permission) ----

  addUser(session: Session, o: { user: string; password: string | Uint8Array; role: number }): void {
    this.call((io) => {
      const [sid] = io.put(sessionBytes(session));
      const [n, nl] = io.put(text('user', o.user));
      const [p, pl] = io.put(text('password', o.password));
      this.check(this.raw.iacsec_user_add(sid, n, nl, p, pl, o.role, this.now() as unknown as number), 'addUser');
    });
  }

  setPassword(session: Session, user: string, password: string | Uint8Array): void {
    this.call((io) => {
      const [sid] = io.put(sessionBytes(session));
      const [n, nl] = io.put(text('user', user));
      const [p, pl] = io.put(text('password', password));
      this.check(this.raw.iacsec_user_passwd(sid, n, nl, p, pl, this.now() as unknown as number), 'setPassword');
    });
  }

  /** Changes role and/or the flags DELAY (delay instead of lock) and MFA (second factor required). */
  modifyUser(session: Session, user: string, o: { role?: number; delayInsteadOfLock?: boolean; mfa?: boolean }): void {
    let flags = -1;
    if (o.delayInsteadOfLock !== undefined || o.mfa !== undefined) {
      const cur = this.userInfo(session, user);
      if (!cur) throw new AuthError(END, 'modifyUser: no such user');
      const delay = o.delayInsteadOfLock ?? cur.flags.includes('DELAY');
      const mfa = o.mfa ?? cur.flags.includes('MFA');
      flags = (delay ? ACCOUNT_FLAGS.DELAY : 0) | (mfa ? ACCOUNT_FLAGS.MFA : 0);
    }
    this.call((io) => {
      const [sid] = io.put(sessionBytes(session));
      const [n, nl] = io.put(text('user', user));
      this.check(this.raw.iacsec_user_modify(sid, n, nl, o.role ?? -1, flags, this.now() as unknown as number), 'modifyUser');
    });
  }

  private userCall(what: string, fn: string, session: Session, user: string, arg?: number): void {
    this.call((io) => {
      const [sid] = io.put(sessionBytes(session));
      const [n, nl] = io.put(text('user', user));
      const args = arg === undefined ? [sid, n, nl] : [sid, n, nl, arg];
      this.check((this.raw[fn] as (...a: unknown[]) => number)(...args, this.now()), what);
    });
  }

  disableUser(session: Session, user: string): void { this.userCall('disableUser', 'iacsec_user_enable', session, user, 0); }
  enableUser(session: Session, user: string): void { this.userCall('enableUser', 'iacsec_user_enable', session, user, 1); }
  removeUser(session: Session, user: string): void { this.userCall('removeUser', 'iacsec_user_remove', session, user); }
  lockUser(session: Session, user: string): void { this.userCall('lockUser', 'iacsec_user_lock', session, user, 1); }
  /** Unlocks and resets the failure count (CR 1.11: an administrator only). */
  unlockUser(session: Session, user: string): void { this.userCall('unlockUser', 'iacsec_user_lock', session, user, 0); }

  unlockSource(session: Session, source: string | Uint8Array): boolean {
    return this.call((io) => {
      const [sid] = io.put(sessionBytes(session));
      const [s, sl] = io.put(text('source', source));
      const st = this.raw.iacsec_source_unlock(sid, s, sl, this.now() as unknown as number);
      if (st === END) return false;
      this.check(st, 'unlockSource');
      return true;
    });
  }

  private decodeUser(b: Uint8Array): UserInfo {
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const flagsByte = b[5];
    const locked = dv.getBigInt64(8, true);
    return {
      id: dv.getUint32(0, true),
      name: dec.decode(b.subarray(49, 49 + b[48])),
      role: b[4],
      flags: Object.entries(ACCOUNT_FLAGS).filter(([, bit]) => (flagsByte & bit) !== 0).map(([n]) => n),
      failures: dv.getUint16(6, true),
      lockedUntil: locked === 0n ? null : locked === -1n ? 'admin' : Number(locked),
      passwordSetAt: Number(dv.getBigInt64(16, true)),
      lastLogin: Number(dv.getBigInt64(24, true)),
      created: Number(dv.getBigInt64(32, true)),
      iterations: dv.getUint32(40, true),
      totp: b[44] === 0 ? null : {
        digits: b[44],
        algorithm: (Object.entries(OTP_ALG).find(([, v]) => v === b[45])?.[0] ?? 'SHA1') as OtpAlgorithm,
        recoveryCodesLeft: dv.getUint16(46, true),
      },
    };
  }

  /** The account (no secret), or null; includes the lock query (CR 1.11: locked? until when?). */
  userInfo(session: Session, user: string): UserInfo | null {
    return this.call((io) => {
      const [sid] = io.put(sessionBytes(session));
      const [n, nl] = io.put(text('user', user));
      const out = io.alloc(SIZES.USER_INFO_BYTES);
      const st = this.raw.iacsec_user_info(sid, n, nl, out, this.now() as unknown as number);
      if (st === END) return null;
      this.check(st, 'userInfo');
      return this.decodeUser(io.read(out, SIZES.USER_INFO_BYTES));
    });
  }

  listUsers(session: Session): UserInfo[] {
    return this.call((io) => {
      const [sid] = io.put(sessionBytes(session));
      const out = io.alloc(SIZES.USER_INFO_BYTES);
      const users: UserInfo[] = [];
      for (let i = 0; ; i++) {
        const st = this.raw.iacsec_user_info_at(sid, i, out, this.now() as unknown as number);
        if (st === END) break;
        this.check(st, 'listUsers');
        users.push(this.decodeUser(io.read(out, SIZES.USER_INFO_BYTES)));
      }
      return users;
    });
  }

  listSessions(session: Session): SessionInfo[] {
    return this.call((io) => {
      const [sid] = io.put(sessionBytes(session));
      const out = io.alloc(SIZES.SESSION_INFO_BYTES);
      const list: SessionInfo[] = [];
      for (let i = 0; ; i++) {
        const st = this.raw.iacsec_session_info_at(sid, i, out, this.now() as unknown as number);
        if (st === END) break;
        this.check(st, 'listSessions');
        list.push(this.decodeSession(io.read(out, SIZES.SESSION_INFO_BYTES)));
      }
      return list;
    });
  }

  /** Terminates the session with this serial (CR 2.6); false when none has it. */
  killSession(session: Session, serial: number): boolean {
    return this.call((io) => {
      const [sid] = io.put(sessionBytes(session));
      const st = this.raw.iacsec_session_kill(sid, serial | 0, this.now() as unknown as number);
      if (st === END) return false;
      this.check(st, 'killSession');
      return true;
    });
  }

  roles(): RoleInfo[] {
    return this.call((io) => {
      const out = io.alloc(SIZES.ROLE_BYTES);
      const list: RoleInfo[] = [];
      for (let i = 0; i < SIZES.ROLES_MAX; i++) {
        const st = this.raw.iacsec_role_get(i, out);
        if (st === END) continue;
        this.check(st, 'roles');
        const b = io.read(out, SIZES.ROLE_BYTES);
        const perms = new DataView(b.buffer).getUint32(4, true);
        list.push({ index: i, name: dec.decode(b.subarray(8, 8 + b[1])), permissions: perms, permissionNames: permissionNames(perms), mfaRequired: (b[2] & 1) !== 0 });
      }
      return list;
    });
  }

  setRole(session: Session, index: number, o: { name: string; permissions: Permission[] | number; mfaRequired?: boolean }): void {
    const mask = typeof o.permissions === 'number' ? o.permissions : o.permissions.reduce<number>((m, p) => m | (1 << permissionBit(p)), 0);
    this.call((io) => {
      const [sid] = io.put(sessionBytes(session));
      const [n, nl] = io.put(text('name', o.name));
      this.check(this.raw.iacsec_role_set(sid, index, n, nl, mask | 0, o.mfaRequired ? 1 : 0, this.now() as unknown as number), 'setRole');
    });
  }

  removeRole(session: Session, index: number): void {
    this.call((io) => {
      const [sid] = io.put(sessionBytes(session));
      this.check(this.raw.iacsec_role_remove(sid, index, this.now() as unknown as number), 'removeRole');
    });
  }

  profile(): Profile {
    return this.call((io) => {
      const out = io.alloc(SIZES.PROFILE_BYTES);
      this.check(this.raw.iacsec_auth_profile_get(out), 'profile');
      const dv = new DataView(io.read(out, SIZES.PROFILE_BYTES).buffer);
      return Object.fromEntries(Object.entries(PROFILE_FIELDS).map(([k, off]) => [k, dv.getUint32(off, true)])) as Profile;
    });
  }

  /** Changes profile fields (SECURITY_ADMIN; before provisioning, no session is needed: pass ''). */
  setProfile(session: Session, changes: Partial<Profile>): void {
    const next = { ...this.profile(), ...changes };
    this.call((io) => {
      const [sid] = io.put(sessionBytes(session));
      const buf = new Uint8Array(SIZES.PROFILE_BYTES);
      const dv = new DataView(buf.buffer);
      for (const [k, off] of Object.entries(PROFILE_FIELDS)) dv.setUint32(off, next[k as keyof Profile] >>> 0, true);
      const [p] = io.put(buf);
      this.check(this.raw.iacsec_auth_profile_set(sid, p, this.now() as unknown as number), 'setProfile');
    });
  }

  /** Vendor, product and site names no password may contain. */
  setContextWords(session: Session, words: string[]): void {
    this.call((io) => {
      const [sid] = io.put(sessionBytes(session));
      const [w, wl] = io.put(enc.encode(words.join('\n')));
      this.check(this.raw.iacsec_auth_context_set(sid, w, wl, this.now() as unknown as number), 'setContextWords');
    });
  }

  /**
   * Enrols TOTP for the session's own account (user omitted) or, with
   * SECURITY_ADMIN, another's. Pending until confirmTotp() with a first code.
   */
  enrollTotp(session: Session, o: { user?: string; account?: string; algorithm?: OtpAlgorithm; digits?: number; issuer?: string; secretBytes?: number } = {}): TotpEnrolment {
    const algorithm = o.algorithm ?? 'SHA1';
    const digits = o.digits ?? 6;
    const secretBytes = o.secretBytes ?? (algorithm === 'SHA1' ? 20 : algorithm === 'SHA256' ? 32 : 64);
    return this.call((io) => {
      const [sid] = io.put(sessionBytes(session));
      const [n, nl] = io.put(text('user', o.user ?? ''));
      const outLen = SIZES.TOTP_SECRET_MAX_BYTES + 4 * SIZES.RECOVERY_CODES;
      const out = io.alloc(outLen);
      this.check(this.raw.iacsec_totp_enroll(sid, n, nl, OTP_ALG[algorithm], digits, secretBytes, out, this.now() as unknown as number), 'enrollTotp');
      const b = io.read(out, outLen);
      const secret = b.slice(0, secretBytes);
      const dv = new DataView(b.buffer);
      const recoveryCodes = Array.from({ length: SIZES.RECOVERY_CODES }, (_, i) => String(dv.getUint32(secretBytes + 4 * i, true)).padStart(10, '0'));
      b.fill(0);
      const account = o.account ?? o.user ?? 'user';
      return {
        secret, secretBase32: base32Encode(secret), recoveryCodes, algorithm, digits, period: 30,
        uri: otpauthUri({ issuer: o.issuer ?? 'iacsec', account, secret, algorithm, digits, period: 30 }),
      };
    });
  }

  confirmTotp(session: Session, code: string): void {
    this.call((io) => {
      const [sid] = io.put(sessionBytes(session));
      const [c, cl] = io.put(enc.encode(code));
      this.check(this.raw.iacsec_totp_confirm(sid, c, cl, this.now() as unknown as number), 'confirmTotp');
    });
  }

  /** TOTP value of a key at a Unix time in seconds (RFC 6238), computed in the module. */
  totpCode(key: Uint8Array, o: { algorithm?: OtpAlgorithm; digits?: number; period?: number; time: number | bigint }): string {
    const digits = o.digits ?? 6;
    return this.call((io) => {
      const out = io.alloc(4);
      const [k, kl] = io.put(key);
      this.check(this.raw.iacsec_totp_generate(out, k, kl, OTP_ALG[o.algorithm ?? 'SHA1'], digits, o.period ?? 30, BigInt(o.time) as unknown as number), 'totpCode');
      return String(new DataView(io.read(out, 4).buffer).getUint32(0, true)).padStart(digits, '0');
    });
  }
}

/** Access control over a loaded module. */
export function auth(api: Iacsec, options: AuthOptions = {}): Auth {
  return new Auth(api, options);
}
