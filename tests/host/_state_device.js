// Shared by the multi-process and crash tests of the state store: a device
// state directory made by the real CLI, its keys, and accounts set up
// through the host API on the same sealed state.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Auth, Firmware, loadModule, openStateStore, readSealKeyFile, statePaths } from '../../dist/host/index.js';
import { ROOT } from './_helpers.js';

export const CLI = `${ROOT}dist/host/cli.js`;
export const VENDOR = '00112233-4455-6677-8899-aabbccddeeff';
export const CLASS = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
export const ADMIN_PW = 'correct horse battery staple';
export const OLGA_PW = 'temporary setup passphrase 1';
export const WRONG_PW = 'wrong guess here';

/** Runs the CLI to the end; throws with its output when the exit code is not 0. */
export function cli(...args) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`iacsec ${args.join(' ')}: exit ${r.status}\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** Provisions DIR with the CLI (supplier anchor from SUP.cose_key). */
export function provisionDir(dir, supCoseKey) {
  cli('provision', '--state', dir, '--vendor', VENDOR, '--class', CLASS, '--anchor', supCoseKey);
}

/** A module with DIR's state attached, as the CLI opens it. */
export async function openDir(dir, options = {}) {
  const api = await loadModule();
  const fw = new Firmware(api);
  const p = statePaths(dir);
  const store = await openStateStore(fw, {
    path: p.state, sealKey: await readSealKeyFile(p.sealKey), deviceSecret: await readSealKeyFile(p.deviceSecret), ...options,
  });
  return { api, fw, store, auth: new Auth(api), paths: p };
}

/**
 * Adds the administrator `admin` and the user `olga` to DIR's state, with a
 * fast profile (PBKDF2 at 1,000 iterations) and the given account lockout
 * (lockDuration 0: locked until an administrator unlocks).
 */
export async function setUpAccounts(dir, { lockThreshold }) {
  const { auth } = await openDir(dir);
  await auth.transaction((x) => {
    x.setProfile('', { iterations: 1000, minLifetime: 0, lockThreshold, lockDuration: 0 });
    x.provision({ user: 'admin', password: ADMIN_PW });
    const s = x.login({ user: 'admin', password: ADMIN_PW, source: 'setup', iface: 0 }).session;
    x.addUser(s, { user: 'olga', password: OLGA_PW, role: 3 });
    x.logout(s);
  });
}

export const stateFile = (dir) => join(dir, 'state.bin');

/**
 * What one change of the crash worker does to the model of the state
 * (counter, owner anchors, olga's failure count and lock).
 */
export function applyChange(m, c, lockThreshold) {
  switch (c.op) {
    case 'install': case 'set-counter': m.counter = BigInt(c.to); break;
    case 'add-owner': m.owners[c.kid] = 'active'; break;
    case 'revoke': m.owners[c.kid] = 'revoked'; break;
    case 'fail': m.failures += 1; m.locked = m.failures >= lockThreshold; break;
    case 'unlock': m.failures = 0; m.locked = false; break;
    case 'rollback': break; // refused: nothing changes but the record of the refusal
    default: throw new Error(`unknown change ${c.op}`);
  }
}
