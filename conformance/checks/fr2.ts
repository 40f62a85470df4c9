// FR2 Use control: the capability checks of authorization and sessions
// (default deny, every kind of user, roles, session lock, termination,
// concurrent sessions), then the profile checks (SL-A) of the deployment's
// audit and session settings. The audit log adds its capability checks here.
// See registry.ts.

import { SIZES } from '../../bindings/abi.js';
import type { Permission } from '../../host/auth.js';
import { outcome, type Check } from './registry.js';
import { AUDIT_FR2_CHECKS } from './_audit.js';
import { Tally } from './_firmware.js';
import { ROLE, accessBench, status, types } from './_access.js';
import { deployed, isOutcome } from './_deployment.js';

const PW = 'turbine hall north 7';

const defaultDeny: Check = {
  id: 'authz.default-deny',
  title: 'A session may do only what its role carries: every other permission, and every administrative call, is denied and recorded',
  requirements: ['CR 2.1'],
  kind: 'capability',
  part: 'access',
  remedy: 'authorize every use in the module against the session\'s role, default deny, and record denials',
  async run(ctx) {
    const t = new Tally(ctx);
    const b = await accessBench(ctx);
    b.addUser('fay', PW, ROLE.viewer);
    const s = b.a.login({ user: 'fay', password: PW, source: 's', iface: 1 }).session;
    b.take();
    t.expect('viewer: PROCESS_READ (its role)', 'OK', b.a.decide(s, 'PROCESS_READ'));
    let denied = 0;
    for (let bit = 0; bit < 32; bit++) {
      if (bit === 8) continue;
      if (b.a.decide(s, bit) === 'ERR_DENIED') denied++;
    }
    t.expect('viewer: every other permission bit 0..31 denied', '31', String(denied));
    t.expect('denials recorded', '31', String(b.take().filter((e) => e.type === 'AUTHZ_DENIED').length));
    t.expect('viewer: change a role', 'ERR_DENIED', status(() => b.a.setRole(s, ROLE.viewer, { name: 'viewer', permissions: 0xffff })));
    t.expect('viewer: list sessions', 'ERR_DENIED', status(() => b.a.listSessions(s)));
    t.expect('viewer: change the profile', 'ERR_DENIED', status(() => b.a.setProfile(s, { lockThreshold: 1000 })));
    t.expect('viewer: change the rate limits', 'ERR_DENIED', status(() => b.rl.configure(s, { sourceRate: 1000, sourceBurst: 1000, globalRate: 0, globalBurst: 0 })));
    t.expect('the profile unchanged', '5', String(b.a.profile().lockThreshold));
    return outcome(t.ok, 'only the role\'s permission allowed; 31 other bits and 4 administrative calls denied and recorded', t.describe(),
      { cases: t.cases.length, deniedBits: denied });
  },
};

const allUsers: Check = {
  id: 'authz.all-users',
  title: 'The same authorization serves people, software services and devices with accounts, on every interface; a locked or restricted session is denied',
  requirements: ['CR 2.1 RE1'],
  kind: 'capability',
  part: 'access',
  remedy: 'send every kind of user through the one authorize call, and deny sessions that are locked or restricted to a password change',
  async run(ctx) {
    const t = new Tally(ctx);
    const b = await accessBench(ctx, { profile: { idleLock: 60, idleTerminate: 3600 } });
    b.a.setRole(b.admin, 8, { name: 'opcua-client', permissions: ['PROCESS_READ', 'PROCESS_WRITE'] });
    b.a.setRole(b.admin, 9, { name: 'plc-device', permissions: ['PROCESS_OPERATE'] });
    b.addUser('gus', PW, ROLE.operator);
    b.addUser('scada-historian', 'historian service key 1', 8);
    b.addUser('plc-7', 'plc seven device key 1', 9);
    const kinds: [string, string, string, Permission, Permission][] = [
      ['a person', 'gus', PW, 'PROCESS_OPERATE', 'CONFIG_WRITE'],
      ['a software service', 'scada-historian', 'historian service key 1', 'PROCESS_WRITE', 'CONFIG_WRITE'],
      ['a device', 'plc-7', 'plc seven device key 1', 'PROCESS_OPERATE', 'PROCESS_WRITE'],
    ];
    const sessions: string[] = [];
    for (const [what, user, password, allowed, denied] of kinds) {
      for (const iface of [1, SIZES.IFACES_MAX - 1]) {
        const s = b.a.login({ user, password, source: `${user}-${iface}`, iface }).session;
        sessions.push(s);
        t.expect(`${what} on interface ${iface}: ${allowed}`, 'OK', b.a.decide(s, allowed));
        t.expect(`${what} on interface ${iface}: ${denied}`, 'ERR_DENIED', b.a.decide(s, denied));
      }
    }
    b.tick(61_000);
    t.expect('idle-locked session', 'ERR_SESSION_LOCKED', b.a.decide(sessions[2], 'PROCESS_WRITE'));
    b.a.setPassword(b.adminNow(), 'gus', 'temporary passphrase 8');
    const r = b.a.login({ user: 'gus', password: 'temporary passphrase 8', source: 's', iface: 1 }).session;
    t.expect('session restricted to a password change', 'ERR_MUST_CHANGE', b.a.decide(r, 'PROCESS_READ'));
    return outcome(t.ok, 'people, services and devices authorized by the same call on every interface; locked and restricted sessions denied', t.describe(),
      { cases: t.cases.length, kinds: kinds.length });
  },
};

const roleMapping: Check = {
  id: 'authz.role-mapping',
  title: 'A role administrator maps permissions to roles; the change applies at the next authorization; no one else can change it',
  requirements: ['CR 2.1 RE2'],
  kind: 'capability',
  part: 'access',
  remedy: 'keep the role-to-permission map in the module, changeable by ROLE_ADMIN only, and read it at every authorization',
  async run(ctx) {
    const t = new Tally(ctx);
    const b = await accessBench(ctx);
    b.addUser('ivo', PW, ROLE.viewer);
    b.addUser('ida', 'pump house south 12', ROLE.engineer);
    const s = b.a.login({ user: 'ivo', password: PW, source: 's', iface: 1 }).session;
    const eng = b.a.login({ user: 'ida', password: 'pump house south 12', source: 's', iface: 1 }).session;
    t.expect('viewer: FIRMWARE_UPDATE before', 'ERR_DENIED', b.a.decide(s, 'FIRMWARE_UPDATE'));
    b.take();
    b.a.setRole(b.admin, ROLE.viewer, { name: 'viewer', permissions: ['PROCESS_READ', 'FIRMWARE_UPDATE'] });
    t.expect('the change recorded', 'ROLE_CHANGED', types(b.take()));
    t.expect('viewer: FIRMWARE_UPDATE after the change', 'OK', b.a.decide(s, 'FIRMWARE_UPDATE'));
    b.a.setRole(b.admin, ROLE.viewer, { name: 'viewer', permissions: [] });
    t.expect('viewer: PROCESS_READ after removing every permission', 'ERR_DENIED', b.a.decide(s, 'PROCESS_READ'));
    t.expect('an engineer changes a role', 'ERR_DENIED', status(() => b.a.setRole(eng, ROLE.engineer, { name: 'engineer', permissions: 0xffff })));
    t.expect('engineer: USER_ADMIN still denied', 'ERR_DENIED', b.a.decide(eng, 'USER_ADMIN'));
    t.expect('an unknown role for a user', 'ERR_UNKNOWN_ROLE', status(() => b.a.modifyUser(b.admin, 'ivo', { role: 15 })));
    b.a.setRole(b.admin, ROLE.administrator, { name: 'administrator', permissions: [] });
    t.expect('the administrator role keeps every permission', 'ffffffff', b.a.roles().find((r) => r.index === 0)!.permissions.toString(16));
    return outcome(t.ok, 'permissions mapped to roles by a role administrator only, effective at once', t.describe(), { cases: t.cases.length });
  },
};

const sessionLockModule: Check = {
  id: 'session.idle-lock',
  title: 'An idle session locks at the profile\'s time; only its user\'s re-authentication unlocks it',
  requirements: ['CR 2.5'],
  kind: 'capability',
  part: 'access',
  remedy: 'lock sessions after the idle time in the module and unlock only after re-authentication of the same user',
  async run(ctx) {
    const t = new Tally(ctx);
    const b = await accessBench(ctx, { profile: { idleLock: 300, idleTerminate: 1800 } });
    b.addUser('ben', PW, ROLE.viewer);
    b.addUser('cid', 'pump house south 12', ROLE.viewer);
    const s = b.a.login({ user: 'ben', password: PW, source: 's', iface: 1 }).session;
    b.tick(299_000);
    t.expect('active before the idle time', 'OK', b.a.decide(s, 'PROCESS_READ'));
    b.tick(300_000);
    b.take();
    t.expect('idle 300 s', 'ERR_SESSION_LOCKED', b.a.decide(s, 'PROCESS_READ'));
    t.expect('the lock recorded', 'SESSION_LOCKED', types(b.take()));
    t.expect('unlock with another user\'s password', 'ERR_AUTH', status(() => b.a.unlockSession(s, 'pump house south 12')));
    t.expect('unlock with a wrong password', 'ERR_AUTH', status(() => b.a.unlockSession(s, 'not the passphrase')));
    t.expect('still locked', 'ERR_SESSION_LOCKED', b.a.decide(s, 'PROCESS_READ'));
    t.expect('unlock with the user\'s password', 'OK', status(() => b.a.unlockSession(s, PW)));
    t.expect('active again', 'OK', b.a.decide(s, 'PROCESS_READ'));
    return outcome(t.ok, 'locked after 300 s idle; unlocked only by its user\'s re-authentication', t.describe(), { cases: t.cases.length, idleLockSeconds: 300 });
  },
};

const sessionTermination: Check = {
  id: 'session.termination',
  title: 'An administrator terminates a session by its serial; idle and over-age sessions end; a terminated id is refused',
  requirements: ['CR 2.6'],
  kind: 'capability',
  part: 'access',
  remedy: 'let SESSION_ADMIN end any session by serial, end idle and over-age sessions, and forget ended ids at once',
  async run(ctx) {
    const t = new Tally(ctx);
    const b = await accessBench(ctx, { profile: { idleLock: 300, idleTerminate: 1800, sessionMax: 7200 } });
    b.addUser('cleo', PW, ROLE.viewer);
    const s1 = b.a.login({ user: 'cleo', password: PW, source: 'remote', iface: 2 }).session;
    const mine = b.a.listSessions(b.admin).find((x) => x.user === 'cleo')!;
    t.expect('the session list shows no id', 'false', String(JSON.stringify(b.a.listSessions(b.admin)).includes(s1)));
    t.expect('the user terminates another session', 'ERR_DENIED', status(() => b.a.killSession(s1, mine.serial)));
    b.take();
    t.expect('the administrator terminates it', 'true', String(b.a.killSession(b.admin, mine.serial)));
    t.expect('recorded with actor and subject', 'SESSION_TERMINATED admin cleo', b.take().map((e) => `${e.type} ${e.actor} ${e.subject}`).join(';'));
    t.expect('the terminated id', 'ERR_SESSION', b.a.decide(s1, 'PROCESS_READ'));
    const s2 = b.a.login({ user: 'cleo', password: PW, source: 'remote', iface: 2 }).session;
    b.tick(1_800_000);
    t.expect('idle past 1800 s', 'ERR_SESSION', b.a.decide(s2, 'PROCESS_READ'));
    const s3 = b.a.login({ user: 'cleo', password: PW, source: 'remote', iface: 2 }).session;
    for (let i = 0; i < 37; i++) { b.tick(200_000); b.a.decide(s3, 'PROCESS_READ'); }
    t.expect('active but older than 7200 s', 'ERR_SESSION', b.a.decide(s3, 'PROCESS_READ'));
    return outcome(t.ok, 'terminated by an administrator, on idle (1800 s) and on age (7200 s); ended ids refused', t.describe(), { cases: t.cases.length });
  },
};

const concurrentModule: Check = {
  id: 'session.concurrent',
  title: 'Concurrent sessions are limited per user and per interface; a closed session frees its place',
  requirements: ['CR 2.7'],
  kind: 'capability',
  part: 'access',
  remedy: 'count live sessions per account and per interface at login, and refuse one over the profile\'s limit',
  async run(ctx) {
    const t = new Tally(ctx);
    const b = await accessBench(ctx, { profile: { sessionsPerUser: 2, sessionsPerInterface: 3 } });
    b.addUser('dan', PW, ROLE.viewer);
    b.addUser('eve', 'pump house south 12', ROLE.viewer);
    const login = (user: string, password: string, iface: number) => b.a.login({ user, password, source: 's', iface }).session;
    const d1 = login('dan', PW, 4);
    login('dan', PW, 4);
    b.take();
    t.expect('a 3rd session of one user (limit 2)', 'ERR_SESSION_LIMIT', status(() => login('dan', PW, 5)));
    t.expect('recorded', 'SESSION_LIMIT', types(b.take().filter((e) => e.type === 'SESSION_LIMIT')));
    login('eve', 'pump house south 12', 4);
    t.expect('a 4th session on interface 4 (limit 3)', 'ERR_SESSION_LIMIT', status(() => login('eve', 'pump house south 12', 4)));
    t.expect('on another interface', 'OK', status(() => login('eve', 'pump house south 12', 5)));
    b.a.logout(d1);
    t.expect('after a logout, a place is free', 'OK', status(() => login('dan', PW, 4)));
    return outcome(t.ok, 'at most 2 sessions per user and 3 per interface enforced', t.describe(), { cases: t.cases.length, perUser: 2, perInterface: 3 });
  },
};

/** Audit event categories a deployment must record (CR 2.8). */
export const AUDIT_CATEGORIES = ['access-control', 'request-errors', 'control-system-events', 'backup-restore', 'configuration-changes', 'audit-log-events'];

const auditEnabled: Check = {
  id: 'profile.audit-enabled',
  title: 'The deployment records auditable events',
  requirements: ['CR 2.8'],
  kind: 'profile',
  remedy: 'set audit.enabled to true',
  run: (ctx) => outcome(ctx.profile.audit?.enabled === true, 'audit on', 'audit off'),
};

const auditCapacity: Check = {
  id: 'profile.audit-capacity',
  title: 'The audit store holds at least 1024 records',
  requirements: ['CR 2.9'],
  kind: 'profile',
  remedy: 'set audit.enabled to true and audit.capacityRecords to 1024 or more',
  run: (ctx) => {
    const n = ctx.profile.audit?.capacityRecords;
    return outcome(ctx.profile.audit?.enabled === true && typeof n === 'number' && n >= 1024, `${n} records`, `capacity ${n ?? 'not set'} (or audit off)`);
  },
};

const auditWarn: Check = {
  id: 'profile.audit-warn-threshold',
  title: 'A warning is raised when the audit store reaches a set share of its capacity',
  requirements: ['CR 2.9 RE1'],
  kind: 'profile',
  remedy: 'set audit.warnThresholdPercent to 1..99',
  run: (ctx) => {
    const w = ctx.profile.audit?.warnThresholdPercent;
    return outcome(ctx.profile.audit?.enabled === true && typeof w === 'number' && w >= 1 && w <= 99, `warns at ${w} %`, 'no capacity warning');
  },
};

const auditFailure: Check = {
  id: 'profile.audit-failure-response',
  title: 'An audit processing failure raises an alarm and recording goes on',
  requirements: ['CR 2.10'],
  kind: 'profile',
  remedy: 'set audit.onFailure to "alarm-and-overwrite-oldest" or "alarm-and-stop-oldest-kept"',
  run: (ctx) => {
    const f = ctx.profile.audit?.onFailure;
    return outcome(ctx.profile.audit?.enabled === true && (f === 'alarm-and-overwrite-oldest' || f === 'alarm-and-stop-oldest-kept'),
      `on failure: ${f}`, `on failure: ${f ?? 'not set'} (or audit off)`);
  },
};

const sessionLock: Check = {
  id: 'profile.session-lock',
  title: 'Idle sessions lock after at most 15 minutes, and do in the module so configured',
  requirements: ['CR 2.5'],
  kind: 'profile',
  remedy: 'set sessions.idleLockSeconds to 1..900',
  async run(ctx) {
    const s = ctx.profile.sessions?.idleLockSeconds;
    if (!(typeof s === 'number' && s >= 1 && s <= 900)) return outcome(false, '', `idle lock ${s ?? 'not set'}`);
    const b = await deployed(ctx);
    if (isOutcome(b)) return b;
    const t = new Tally(ctx);
    b.tick(s * 1000 - 1);
    t.expect(`idle ${s} s less 1 ms`, 'OK', b.a.decide(b.admin, 'CONFIG_READ'));
    b.tick(s * 1000);
    t.expect(`idle ${s} s`, 'ERR_SESSION_LOCKED', b.a.decide(b.admin, 'CONFIG_READ'));
    return outcome(t.ok, `locks after ${s} s idle, enforced by the module so configured`, t.describe());
  },
};

const concurrent: Check = {
  id: 'profile.concurrent-sessions',
  title: 'The number of concurrent sessions per user is limited, and the module so configured enforces it',
  requirements: ['CR 2.7'],
  kind: 'profile',
  remedy: 'set sessions.maxConcurrentPerUser to 1 or more',
  async run(ctx) {
    const n = ctx.profile.sessions?.maxConcurrentPerUser;
    if (!(typeof n === 'number' && n >= 1)) return outcome(false, '', 'no limit set');
    const b = await deployed(ctx);
    if (isOutcome(b)) return b;
    const t = new Tally(ctx);
    b.addUser('sam', PW, ROLE.viewer);
    const login = () => status(() => b.a.login({ user: 'sam', password: PW, source: 's', iface: 1 }));
    let opened = 0;
    while (opened < n && login() === 'OK') opened++;
    t.expect('sessions opened up to the limit', String(n), String(opened));
    t.expect('one more', 'ERR_SESSION_LIMIT', login());
    return outcome(t.ok, `at most ${n} per user, enforced by the module so configured`, t.describe());
  },
};

export const CHECKS: readonly Check[] = [
  defaultDeny, allUsers, roleMapping, sessionLockModule, sessionTermination, concurrentModule,
  auditEnabled, auditCapacity, auditWarn, auditFailure, sessionLock, concurrent, ...AUDIT_FR2_CHECKS,
];
