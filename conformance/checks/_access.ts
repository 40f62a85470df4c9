// Shared by the access-control checks (FR1, FR2, CR 3.8, FR7): a fresh
// module with a provisioned administrator, a clock the check moves, every
// event record collected, and the status a call answered. Everything goes
// through the host API (host/auth.ts, host/ratelimit.ts, host/auth_devices.ts).

import { auth, type Auth } from '../../host/auth.js';
import type { AuthEvent } from '../../host/auth_events.js';
import { ratelimit, type RateLimit } from '../../host/ratelimit.js';
import type { Iacsec } from '../../host/api.js';
import type { CheckContext } from './registry.js';

export const ADMIN = 'admin';
export const ADMIN_PW = 'correct horse battery staple';
/** 2026-12-03 09:00 UTC: the checks' clock starts here, so that every run gives the same records. */
export const T0 = Date.UTC(2026, 11, 3, 9, 0, 0);
/** Factory roles (assembly/auth/roles.ts). */
export const ROLE = { administrator: 0, engineer: 1, operator: 2, viewer: 3, auditor: 4 } as const;

export interface AccessBench {
  api: Iacsec;
  a: Auth;
  rl: RateLimit;
  clock: { now: number };
  events: AuthEvent[];
  /** The administrator's session ('' when not provisioned; addUser acts with it). */
  admin: string;
  tick(ms: number): void;
  /** The events since the last take(). */
  take(): AuthEvent[];
  /** Adds a user with a temporary password and gives them their own (as a new user would). */
  addUser(user: string, password: string, role: number): void;
  /** A fresh administrator session. */
  adminNow(): string;
}

export interface BenchOptions {
  /** Module profile fields (host/auth.ts Profile); PBKDF2 at 1,000 iterations keeps a login near 1 ms. */
  profile?: Record<string, number>;
  provision?: boolean;
  factoryDefault?: boolean;
}

/** A fresh instance of the module under test, set up for access-control checks. */
export async function accessBench(ctx: CheckContext, o: BenchOptions = {}): Promise<AccessBench> {
  const api = await ctx.load();
  const clock = { now: T0 };
  const events: AuthEvent[] = [];
  const a = auth(api, { clock: () => clock.now, onEvent: (e) => events.push(e) });
  const rl = ratelimit(api, { clock: () => clock.now, onEvent: () => {} });
  const profile = { iterations: 1000, minLifetime: 0, sessionsPerUser: 8, ...o.profile };
  a.setProfile('', profile);
  ctx.log(`module profile set before provisioning: ${Object.entries(profile).map(([k, v]) => `${k}=${v}`).join(', ')}`);
  let admin = '';
  if (o.provision !== false) {
    a.provision({ user: ADMIN, password: ADMIN_PW, factoryDefault: o.factoryDefault === true });
    ctx.log(`provisioned the first administrator '${ADMIN}'${o.factoryDefault ? ' as a factory-default account' : ''}`);
    if (!o.factoryDefault) admin = a.login({ user: ADMIN, password: ADMIN_PW, source: 'console', iface: 0 }).session;
  }
  const take = () => events.splice(0, events.length);
  const addUser = (user: string, password: string, role: number) => {
    const temp = 'temporary setup passphrase 1';
    a.addUser(bench.admin, { user, password: temp, role });
    const { session } = a.login({ user, password: temp, source: 'setup', iface: 0 });
    a.changePassword(session, temp, password);
    a.logout(session);
    ctx.log(`added user '${user}' (role ${role}); the user replaced the temporary password`);
  };
  const adminNow = () => a.login({ user: ADMIN, password: ADMIN_PW, source: 'console', iface: 0 }).session;
  const bench: AccessBench = { api, a, rl, clock, events, admin, tick: (ms) => { clock.now += ms; }, take, addUser, adminNow };
  return bench;
}

/** The status name a call answered: 'OK', or the refusal's ('ERR_AUTH', ...). Other errors propagate. */
export function status(fn: () => unknown): string {
  try {
    fn();
    return 'OK';
  } catch (e) {
    const s = (e as { status?: unknown }).status;
    if (typeof s === 'string') return s;
    throw e;
  }
}

/** Event type names, in order. */
export const types = (events: AuthEvent[]): string => events.map((e) => e.type).join(',');
