// Shared by the access-control tests: a module with a fast profile (PBKDF2
// at 1,000 iterations instead of 600,000, so a login costs about a
// millisecond), a clock the test moves, and every event collected.
import { loadModule, auth, ratelimit } from '../../dist/host/index.js';

export const ADMIN = 'admin';
export const ADMIN_PW = 'correct horse battery staple';
export const T0 = Date.UTC(2026, 11, 3, 9, 0, 0);

export async function setup({ profile = {}, provision = true, factoryDefault = false } = {}) {
  const api = await loadModule();
  const clock = { now: T0 };
  const events = [];
  const a = auth(api, { clock: () => clock.now, onEvent: (e) => events.push(e) });
  // Its events reach the subscriber above through the module's one gate (module_gate.ts); onEvent makes it drain after each check.
  const rl = ratelimit(api, { clock: () => clock.now, onEvent: () => {} });
  a.setProfile('', { iterations: 1000, minLifetime: 0, sessionsPerUser: 8, ...profile });
  let admin = null;
  if (provision) {
    a.provision({ user: ADMIN, password: ADMIN_PW, factoryDefault });
    if (!factoryDefault) admin = a.login({ user: ADMIN, password: ADMIN_PW, source: 'console', iface: 0 }).session;
  }
  const tick = (ms) => { clock.now += ms; };
  const take = () => events.splice(0, events.length);
  const types = () => take().map((e) => e.type);
  /** Adds a user and gives them their own password (the administrator's one is temporary). */
  const addUser = (user, password, role) => {
    const temp = 'temporary setup passphrase 1';
    a.addUser(admin, { user, password: temp, role });
    const { session } = a.login({ user, password: temp, source: 'setup', iface: 0 });
    a.changePassword(session, temp, password);
    a.logout(session);
  };
  /** A fresh administrator session (the first one may have expired while the test moved the clock). */
  const adminNow = () => a.login({ user: ADMIN, password: ADMIN_PW, source: 'console', iface: 0 }).session;
  return { api, a, rl, clock, events, admin, tick, take, types, addUser, adminNow };
}

export function status(fn) {
  try {
    fn();
    return 'OK';
  } catch (e) {
    if (e.status) return e.status;
    throw e;
  }
}
