// The access-control CLI end to end on a state directory: provisioning,
// accounts, roles, lock and unlock, TOTP enrolment, --json, exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as OTPAuth from 'otpauth';
import { ROOT } from './_helpers.js';

const CLI = `${ROOT}dist/host/cli.js`;
const ADMIN_PW = 'correct horse battery staple';

function run(args, { input = '', env = {} } = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8', env: { ...process.env, IACSEC_PASSWORD: '', IACSEC_NEW_PASSWORD: '', ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const env = (extra = {}) => ({ env: { IACSEC_PASSWORD: ADMIN_PW, ...extra } });

test('iacsec user/role/session/totp: provision, add, show, lock, unlock, remove, with --json', () => {
  const dir = mkdtempSync(`${tmpdir()}/iacsec-auth-`);
  const S = ['--state', dir];
  assert.equal(run(['user', 'add', 'x', '--role', '3', ...S], env({ IACSEC_NEW_PASSWORD: 'x' })).code, 1, 'no state yet');
  let r = run(['user', 'provision', 'admin', ...S], { input: `${ADMIN_PW}\n` });
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /provisioned administrator admin/);
  assert.equal(run(['user', 'provision', 'admin', ...S], { input: `${ADMIN_PW}\n` }).code, 1, 'once only');
  r = run(['user', 'add', 'op1', '--role', 'operator', ...S], { input: `${ADMIN_PW}\nturbine hall north 7\n` });
  assert.equal(r.code, 0, r.err);
  r = run(['user', 'list', '--json', ...S], env());
  assert.equal(r.code, 0, r.err);
  const users = JSON.parse(r.out);
  assert.deepEqual(users.map((u) => [u.name, u.role]), [['admin', 0], ['op1', 2]]);
  assert.ok(users[1].flags.includes('MUST_CHANGE'));
  r = run(['user', 'add', 'op2', '--role', 'nosuchrole', ...S], env({ IACSEC_NEW_PASSWORD: 'another long passphrase' }));
  assert.equal(r.code, 2);
  r = run(['user', 'add', 'op2', '--role', '3', ...S], env({ IACSEC_NEW_PASSWORD: 'short' }));
  assert.equal(r.code, 1);
  assert.match(r.err, /ERR_POLICY/);
  assert.equal(run(['user', 'lock', 'op1', ...S], env()).code, 0);
  r = run(['user', 'show', 'op1', '--json', ...S], env());
  assert.equal(JSON.parse(r.out).lockedUntil, 'admin');
  assert.equal(run(['user', 'unlock', 'op1', ...S], env()).code, 0);
  assert.equal(JSON.parse(run(['user', 'show', 'op1', '--json', ...S], env()).out).lockedUntil, null);
  // Wrong administrator password: refused, and the failure is kept in the state.
  r = run(['user', 'list', ...S], env({ IACSEC_PASSWORD: 'not the password at all' }));
  assert.equal(r.code, 1);
  assert.match(r.err, /ERR_AUTH/);
  assert.equal(JSON.parse(run(['user', 'show', 'admin', '--json', ...S], env()).out).failures, 0, 'a login ends the run');
  // Roles.
  r = run(['role', 'set', '7', 'maintenance', '--perm', 'FIRMWARE_UPDATE,CONFIG_READ', ...S], env());
  assert.equal(r.code, 0, r.err);
  const roles = JSON.parse(run(['role', 'list', '--json', ...S]).out);
  assert.deepEqual(roles.find((x) => x.index === 7).permissionNames, ['FIRMWARE_UPDATE', 'CONFIG_READ']);
  assert.equal(run(['role', 'set', '7', 'x', '--perm', 'FLY', ...S], env()).code, 2);
  // TOTP enrolment for op1, by the administrator.
  r = run(['totp', 'enroll', 'op1', '--json', ...S], env());
  assert.equal(r.code, 0, r.err);
  const e = JSON.parse(r.out);
  assert.ok(OTPAuth.URI.parse(e.uri) instanceof OTPAuth.TOTP);
  assert.equal(e.recoveryCodes.length, 10);
  // Sessions of this instance: the CLI's own administrator session.
  r = run(['session', 'list', '--json', ...S], env());
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(JSON.parse(r.out).map((s) => s.user), ['admin']);
  assert.equal(run(['user', 'remove', 'op1', ...S], env()).code, 0);
  assert.equal(run(['user', 'remove', 'admin', ...S], env()).code, 1, 'the last administrator stays');
  assert.equal(run(['user', 'frobnicate', ...S], env()).code, 2);
  assert.match(run(['--help']).out, /user provision NAME/);
});
