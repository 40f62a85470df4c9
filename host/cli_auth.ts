// The access-control subcommands of the iacsec command line: accounts,
// sessions, roles, TOTP enrolment. Every command works on the sealed state in
// --state DIR: it loads the module, imports the state, logs the
// administrator in (--admin, password from IACSEC_PASSWORD or the first line
// of standard input), makes the change, logs out and saves the state.
// Exit codes: 0 done, 1 refused (the module's status is printed), 2 usage error.

import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadModule } from './index.js';
import { Firmware } from './firmware.js';
import { Auth, AuthError, type UserInfo, type SessionInfo, type RoleInfo } from './auth.js';
import { openStateStore, readSealKeyFile, statePaths, StateStoreError, type StateStore } from './state_store.js';
import { PERMISSIONS } from '../bindings/abi.js';

export const AUTH_USAGE = `access-control commands (CR 1.1 .. 1.11, CR 2.1 .. 2.7), all with --state DIR [--admin NAME] [--json]:
  user provision NAME [--factory-default]   the first administrator (once; no --admin)
  user add NAME --role ROLE                 ROLE: index or name; the password given is temporary
  user passwd NAME                          set a temporary password (the user must change it)
  user passwd --self                        change the --admin user's own password
  user disable|enable|remove NAME
  user lock|unlock NAME                     lock until unlocked / unlock and reset the failure count
  user show NAME                            includes "locked? until when?"
  user list
  session list | session kill SERIAL        the sessions of the module instance this command runs in
  role list | role set INDEX NAME --perm P[,P...] [--mfa] | role remove INDEX
  totp enroll [NAME] [--alg SHA1|SHA256|SHA512] [--digits 6..8] [--issuer TEXT]
             prints the otpauth:// URI and ten recovery codes once; without NAME, for --admin itself
  passwords: the administrator's from IACSEC_PASSWORD, a new one from IACSEC_NEW_PASSWORD, else one
  line each from standard input (administrator first); --totp CODE when the administrator needs a second factor
`;

export const AUTH_COMMANDS = new Set(['user', 'session', 'role', 'totp']);

class UsageError extends Error {}

type Values = Record<string, string | boolean | undefined>;
const OPTIONS: NonNullable<ParseArgsConfig['options']> = {
  state: { type: 'string' }, admin: { type: 'string' }, totp: { type: 'string' }, json: { type: 'boolean' },
  module: { type: 'string' }, role: { type: 'string' }, perm: { type: 'string' }, mfa: { type: 'boolean' },
  self: { type: 'boolean' }, 'factory-default': { type: 'boolean' }, alg: { type: 'string' }, digits: { type: 'string' },
  issuer: { type: 'string' }, help: { type: 'boolean', short: 'h' },
};

let stdinLines: string[] | null = null;
async function readLine(what: string): Promise<string> {
  if (stdinLines === null) {
    if (process.stdin.isTTY) {
      const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
      const line = await new Promise<string>((resolve) => {
        process.stderr.write(`${what}: `);
        (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => {};
        rl.question('', resolve);
      });
      rl.close();
      process.stderr.write('\n');
      return line;
    }
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    stdinLines = Buffer.concat(chunks).toString('utf8').split(/\r?\n/);
  }
  const line = stdinLines.shift();
  if (line === undefined || line === '') throw new UsageError(`${what}: no password given (environment or standard input)`);
  return line;
}

async function adminPassword(): Promise<string> { return process.env.IACSEC_PASSWORD || readLine('administrator password'); }
async function newPassword(): Promise<string> { return process.env.IACSEC_NEW_PASSWORD || readLine('new password'); }

interface Opened { auth: Auth; store: StateStore; }

/** Loads the module with DIR's state attached: every operation then runs as one locked transaction of it. */
async function open(v: Values, create: boolean): Promise<Opened> {
  const dir = v.state;
  if (typeof dir !== 'string' || dir === '') throw new UsageError('--state DIR is required');
  const p = statePaths(dir);
  if (!create) {
    try { await stat(p.state); } catch { throw new StateStoreError(p.state, 'no state here: run `iacsec user provision NAME --state DIR` first'); }
  }
  const api = await loadModule({ path: v.module as string | undefined });
  const fw = new Firmware(api);
  const sealKey = await readSealKeyFile(p.sealKey, create);
  // The device key signs the audit log's checkpoints: every save drains the ring into DIR/audit.cbor.
  const deviceSecret = await readSealKeyFile(p.deviceSecret, true);
  const store = await openStateStore(fw, { path: p.state, sealKey, deviceSecret, audit: { dir } });
  return { auth: new Auth(api), store };
}

/**
 * Logs the administrator in, runs fn, logs out: one transaction, saved
 * whatever the outcome (a failed login counts too, CR 1.11).
 */
async function asAdmin<T>(v: Values, fn: (a: Auth, session: string) => T): Promise<T> {
  const { auth } = await open(v, false);
  const user = (v.admin as string | undefined) ?? 'admin';
  const password = await adminPassword();
  return auth.transaction((a) => {
    const { session } = a.login({ user, password, totp: v.totp as string | undefined, source: 'cli', iface: 0 });
    try {
      return fn(a, session);
    } finally {
      try { a.logout(session); } catch { /* ended already */ }
    }
  });
}

function roleIndex(a: Auth, s: string): number {
  if (/^\d+$/.test(s)) return Number(s);
  const r = a.roles().find((x) => x.name === s);
  if (!r) throw new UsageError(`no role named ${s}`);
  return r.index;
}

function printUser(u: UserInfo, roles: RoleInfo[]): void {
  const role = roles.find((r) => r.index === u.role)?.name ?? String(u.role);
  const lock = u.lockedUntil === null ? 'no' : u.lockedUntil === 'admin' ? 'until an administrator unlocks' : `until ${new Date(u.lockedUntil).toISOString()}`;
  console.log(`${u.name.padEnd(20)} id ${String(u.id).padStart(4)}  role ${role.padEnd(14)} locked ${lock}  failures ${u.failures}  ${u.flags.join(',') || '-'}${u.totp ? `  totp ${u.totp.algorithm}/${u.totp.digits} (${u.totp.recoveryCodesLeft} recovery codes left)` : ''}`);
}

function out(v: Values, json: unknown, text: () => void): void {
  if (v.json) console.log(JSON.stringify(json, null, 2));
  else text();
}

async function user(args: string[], v: Values): Promise<number> {
  const [sub, name] = args;
  const need = () => { if (!name) throw new UsageError(`user ${sub} NAME`); return name; };
  switch (sub) {
    case 'provision': {
      const n = need();
      const pw = await newPassword();
      const { auth } = await open(v, true);
      await auth.transaction((a) => a.provision({ user: n, password: pw, factoryDefault: v['factory-default'] === true }));
      out(v, { provisioned: name, factoryDefault: v['factory-default'] === true }, () => console.log(`provisioned administrator ${name}`));
      return 0;
    }
    case 'add': {
      const n = need();
      if (typeof v.role !== 'string') throw new UsageError('user add NAME --role ROLE');
      const pw = await adminPassword();
      const np = await newPassword();
      process.env.IACSEC_PASSWORD = pw;
      await asAdmin(v, (a, s) => a.addUser(s, { user: n, password: np, role: roleIndex(a, v.role as string) }));
      out(v, { added: n }, () => console.log(`added ${n} (temporary password: the user must change it at first login)`));
      return 0;
    }
    case 'passwd': {
      if (v.self) {
        const pw = await adminPassword();
        const np = await newPassword();
        process.env.IACSEC_PASSWORD = pw;
        await asAdmin(v, (a, s) => a.changePassword(s, pw, np));
        out(v, { changed: v.admin ?? 'admin' }, () => console.log('password changed'));
        return 0;
      }
      const n = need();
      const pw = await adminPassword();
      const np = await newPassword();
      process.env.IACSEC_PASSWORD = pw;
      await asAdmin(v, (a, s) => a.setPassword(s, n, np));
      out(v, { set: n }, () => console.log(`temporary password set for ${n}`));
      return 0;
    }
    case 'disable': case 'enable': case 'remove': case 'lock': case 'unlock': {
      const n = need();
      await asAdmin(v, (a, s) => {
        if (sub === 'disable') a.disableUser(s, n);
        else if (sub === 'enable') a.enableUser(s, n);
        else if (sub === 'remove') a.removeUser(s, n);
        else if (sub === 'lock') a.lockUser(s, n);
        else a.unlockUser(s, n);
      });
      out(v, { [sub]: n }, () => console.log(`${sub}: ${n}`));
      return 0;
    }
    case 'show': {
      const n = need();
      const [u, roles] = await asAdmin(v, (a, s) => [a.userInfo(s, n), a.roles()] as const);
      if (!u) { console.error(`iacsec user show: no user ${n}`); return 1; }
      out(v, u, () => printUser(u, roles));
      return 0;
    }
    case 'list': {
      const [users, roles] = await asAdmin(v, (a, s) => [a.listUsers(s), a.roles()] as const);
      out(v, users, () => users.forEach((u) => printUser(u, roles)));
      return 0;
    }
    default: throw new UsageError(`unknown: user ${sub ?? ''}`);
  }
}

async function session(args: string[], v: Values): Promise<number> {
  const [sub, serial] = args;
  if (sub === 'list') {
    const list: SessionInfo[] = await asAdmin(v, (a, s) => a.listSessions(s));
    out(v, list, () => list.forEach((x) => console.log(`${String(x.serial).padStart(6)}  ${x.user.padEnd(20)} iface ${x.iface}  ${x.state}  since ${new Date(x.created).toISOString()}`)));
    return 0;
  }
  if (sub === 'kill') {
    if (!serial || !/^\d+$/.test(serial)) throw new UsageError('session kill SERIAL');
    const done = await asAdmin(v, (a, s) => a.killSession(s, Number(serial)));
    out(v, { killed: done }, () => console.log(done ? `terminated session ${serial}` : `no session ${serial}`));
    return done ? 0 : 1;
  }
  throw new UsageError(`unknown: session ${sub ?? ''}`);
}

async function role(args: string[], v: Values): Promise<number> {
  const [sub, index, name] = args;
  if (sub === 'list') {
    const { auth } = await open(v, false);
    const roles = await auth.transaction((a) => a.roles());
    out(v, roles, () => roles.forEach((r) => console.log(`${String(r.index).padStart(2)}  ${r.name.padEnd(16)} ${r.mfaRequired ? 'mfa ' : ''}${r.permissionNames.join(' ')}`)));
    return 0;
  }
  if (sub === 'set') {
    if (!index || !name || typeof v.perm !== 'string') throw new UsageError('role set INDEX NAME --perm P[,P...]');
    const perms = v.perm.split(',').filter(Boolean).map((p) => (/^\d+$/.test(p) ? Number(p) : p.toUpperCase()));
    for (const p of perms) if (typeof p === 'string' && !(p in PERMISSIONS)) throw new UsageError(`unknown permission ${p}`);
    await asAdmin(v, (a, s) => a.setRole(s, Number(index), { name, permissions: perms as (keyof typeof PERMISSIONS | number)[], mfaRequired: v.mfa === true }));
    out(v, { role: Number(index), name, permissions: perms }, () => console.log(`role ${index} ${name}: ${perms.join(' ')}`));
    return 0;
  }
  if (sub === 'remove') {
    if (!index) throw new UsageError('role remove INDEX');
    await asAdmin(v, (a, s) => a.removeRole(s, Number(index)));
    out(v, { removed: Number(index) }, () => console.log(`removed role ${index}`));
    return 0;
  }
  throw new UsageError(`unknown: role ${sub ?? ''}`);
}

async function totp(args: string[], v: Values): Promise<number> {
  const [sub, name] = args;
  if (sub !== 'enroll') throw new UsageError(`unknown: totp ${sub ?? ''}`);
  const alg = ((v.alg as string | undefined) ?? 'SHA1').toUpperCase();
  if (alg !== 'SHA1' && alg !== 'SHA256' && alg !== 'SHA512') throw new UsageError('--alg SHA1|SHA256|SHA512');
  const digits = Number(v.digits ?? 6);
  const e = await asAdmin(v, (a, s) => a.enrollTotp(s, {
    user: name, account: name ?? (v.admin as string | undefined) ?? 'admin', algorithm: alg, digits, issuer: v.issuer as string | undefined,
  }));
  out(v, { uri: e.uri, secret: e.secretBase32, recoveryCodes: e.recoveryCodes, algorithm: e.algorithm, digits: e.digits, period: e.period },
    () => {
      console.log(e.uri);
      console.log('recovery codes (each works once; shown only now):');
      for (const c of e.recoveryCodes) console.log(`  ${c}`);
      console.log('pending until the first code: confirm by logging in with a code');
    });
  return 0;
}

/** Runs one access-control command; returns the exit code. */
export async function runAuthCommand(command: string, argv: string[]): Promise<number> {
  let v: Values;
  let positionals: string[];
  try {
    const parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
    v = parsed.values as Values;
    positionals = parsed.positionals;
  } catch (e) {
    process.stderr.write(`iacsec ${command}: ${(e as Error).message}\n\n${AUTH_USAGE}`);
    return 2;
  }
  if (v.help) { process.stdout.write(AUTH_USAGE); return 0; }
  try {
    if (command === 'user') return await user(positionals, v);
    if (command === 'session') return await session(positionals, v);
    if (command === 'role') return await role(positionals, v);
    return await totp(positionals, v);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`iacsec ${command}: ${e.message}\n\n${AUTH_USAGE}`);
      return 2;
    }
    if (e instanceof AuthError) {
      if (v.json) console.log(JSON.stringify({ error: e.status, code: e.code }));
      process.stderr.write(`iacsec ${command}: REFUSED: ${e.message}\n`);
      return 1;
    }
    process.stderr.write(`iacsec ${command}: ERROR: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
