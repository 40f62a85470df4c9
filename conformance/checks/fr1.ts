// FR1 Identification and authentication control: the capability checks of
// the access-control part (accounts, identifiers, password policy and
// lifetime, factory defaults, feedback, lockout, TOTP, device and
// symmetric-key authentication), then the profile checks (SL-A) of the
// deployment's settings. CR 1.9's capability checks live with the signatures
// (fr4.ts) and the roots of trust (fr3.ts). See registry.ts for the check
// interface.

import { createHmac } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { SIZES } from '../../bindings/abi.js';
import { deviceAuth, deviceAuthMessage } from '../../host/auth_devices.js';
import { firmware } from '../../host/firmware.js';
import { audit } from '../../host/audit.js';
import { openState, STATE_HEADER_BYTES, STATE_TAG_BYTES } from '../state_reference.js';
import { outcome, type Check } from './registry.js';
import { Tally } from './_firmware.js';
import { ADMIN, ADMIN_PW, ROLE, accessBench, status, types, type AccessBench } from './_access.js';
import { deployed, isOutcome } from './_deployment.js';
import { gatewayPki, profileGatewayPki } from './_gateway_pki.js';

// ---- capability checks of the access-control part (assembly/auth/) ----

/** RFC 6238 TOTP with node:crypto as the independent reference (HMAC-SHA1, 6 digits, 30 s steps). */
function totpReference(secret: Uint8Array, unixMs: number): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(Math.floor(unixMs / 30_000)));
  const mac = createHmac('sha1', secret).update(msg).digest();
  const o = mac[19] & 0x0f;
  return String((mac.readUInt32BE(o) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

const humanLogin: Check = {
  id: 'auth.human-login',
  title: 'A person gets a session only with the right password; every other call needs a live session',
  requirements: ['CR 1.1'],
  kind: 'capability',
  part: 'access',
  remedy: 'authenticate every human user in the module before any session is given, and refuse every call without a live session',
  async run(ctx) {
    const t = new Tally(ctx);
    const b = await accessBench(ctx);
    b.addUser('olga', 'turbine hall north 7', ROLE.operator);
    t.expect('login with the right password', 'OK', status(() => b.a.login({ user: 'olga', password: 'turbine hall north 7', source: 'hmi-1', iface: 1 })));
    t.expect('login with a wrong password', 'ERR_AUTH', status(() => b.a.login({ user: 'olga', password: 'turbine hall north 8', source: 'hmi-1', iface: 1 })));
    t.expect('login with an empty password', 'ERR_LENGTH', status(() => b.a.login({ user: 'olga', password: '', source: 'hmi-1', iface: 1 })));
    for (const [what, sid] of [['no session', ''], ['all-zero id', '0'.repeat(32)], ['an id never issued', Buffer.from(ctx.rng.bytes(16)).toString('hex')]]) {
      t.expect(`authorize with ${what}`, 'ERR_SESSION', b.a.decide(sid, 'PROCESS_READ'));
      t.expect(`add a user with ${what}`, 'ERR_SESSION', status(() => b.a.addUser(sid, { user: 'mallory', password: 'a long passphrase 99', role: ROLE.administrator })));
    }
    t.expect('no account was added without a session', 'false', String(b.a.listUsers(b.admin).some((u) => u.name === 'mallory')));
    return outcome(t.ok, 'a session only after the right password; calls without a live session refused', t.describe(), { cases: t.cases.length, refused: t.rejected });
  },
};

const uniqueIdentity: Check = {
  id: 'auth.unique-identity',
  title: 'Each account has a unique name and an id never reused; a session names its own user; bad names are refused',
  requirements: ['CR 1.1 RE1', 'CR 1.4'],
  kind: 'capability',
  part: 'access',
  remedy: 'keep account names unique, give ids from a counter that only rises, and bind each session to one account',
  async run(ctx) {
    const t = new Tally(ctx);
    const b = await accessBench(ctx);
    b.addUser('ann', 'turbine hall north 7', ROLE.viewer);
    b.addUser('ben', 'pump house south 12', ROLE.viewer);
    t.expect('a second account named ann', 'ERR_NAME_TAKEN', status(() => b.a.addUser(b.admin, { user: 'ann', password: 'another passphrase 3', role: ROLE.viewer })));
    const sa = b.a.login({ user: 'ann', password: 'turbine hall north 7', source: 's', iface: 1 }).session;
    const sb = b.a.login({ user: 'ben', password: 'pump house south 12', source: 's', iface: 1 }).session;
    t.expect("ann's session names", 'ann', b.a.whoami(sa).user);
    t.expect("ben's session names", 'ben', b.a.whoami(sb).user);
    t.expect("ben's password for ann", 'ERR_AUTH', status(() => b.a.login({ user: 'ann', password: 'pump house south 12', source: 's', iface: 1 })));
    const idBefore = b.a.userInfo(b.admin, 'ann')!.id;
    b.a.removeUser(b.admin, 'ann');
    t.expect('the removed account\'s session', 'ERR_SESSION', b.a.decide(sa, 'PROCESS_READ'));
    b.addUser('ann', 'turbine hall north 9', ROLE.viewer);
    const idAfter = b.a.userInfo(b.admin, 'ann')!.id;
    const ids = b.a.listUsers(b.admin).map((u) => u.id);
    t.expect('a new account of the same name gets a new id', 'true', String(idAfter > idBefore));
    t.expect('ids unique', String(ids.length), String(new Set(ids).size));
    const bad: [string, string | Uint8Array, string][] = [
      ['a 33-byte name', 'n'.repeat(33), 'ERR_LENGTH'],
      ['an empty name', '', 'ERR_LENGTH'],
      ['invalid UTF-8', new Uint8Array([0x61, 0xc3, 0x28]), 'ERR_MALFORMED'],
      ['a control character', 'eve\u0007', 'ERR_MALFORMED'],
    ];
    const users = b.a.listUsers(b.admin).length;
    for (const [what, name, want] of bad) {
      t.expect(`add ${what}`, want, status(() => b.a.addUser(b.admin, { user: name as string, password: 'a long passphrase 42', role: ROLE.viewer })));
    }
    t.expect('no account added by the refusals', String(users), String(b.a.listUsers(b.admin).length));
    return outcome(t.ok, 'names unique, ids never reused, sessions bound to one account, bad names refused', t.describe(), { cases: t.cases.length, accounts: users });
  },
};

const multifactor: Check = {
  id: 'auth.multifactor',
  title: 'With TOTP required, a right password alone gets no session on any interface; a right code (RFC 6238) once only does',
  requirements: ['CR 1.1 RE2'],
  kind: 'capability',
  part: 'access',
  remedy: 'require the second factor per account, role and profile on every interface, and accept each TOTP code once',
  async run(ctx) {
    const t = new Tally(ctx);
    const b = await accessBench(ctx);
    const e = b.a.enrollTotp(b.admin, { account: ADMIN });
    t.expect('enrolment URI', 'otpauth://totp/', e.uri.slice(0, 15));
    b.a.confirmTotp(b.admin, totpReference(e.secret, b.clock.now));
    ctx.log('TOTP enrolled for the administrator and confirmed with a code computed by node:crypto (RFC 6238, HMAC-SHA1)');
    const login = (iface: number, code?: string) => status(() => {
      const { session } = b.a.login({ user: ADMIN, password: ADMIN_PW, totp: code, source: `if-${iface}`, iface });
      b.a.logout(session);
    });
    for (let iface = 0; iface < SIZES.IFACES_MAX; iface++) {
      b.tick(30_000);
      t.expect(`interface ${iface}: password alone`, 'ERR_MFA_REQUIRED', login(iface));
      const right = totpReference(e.secret, b.clock.now);
      const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
      t.expect(`interface ${iface}: a wrong code`, 'ERR_AUTH', login(iface, wrong));
      t.expect(`interface ${iface}: the right code`, 'OK', login(iface, right));
      t.expect(`interface ${iface}: the same code again`, 'ERR_AUTH', login(iface, right));
    }
    b.tick(30_000);
    t.expect('a code two steps old', 'ERR_AUTH', login(0, totpReference(e.secret, b.clock.now - 60_000)));
    // Per role: an operator whose role asks for a second factor and who has none enrolled.
    b.addUser('hux', 'turbine hall north 7', ROLE.operator);
    b.a.setRole(b.admin, ROLE.operator, { name: 'operator', permissions: ['PROCESS_READ', 'PROCESS_OPERATE', 'CONFIG_READ'], mfaRequired: true });
    t.expect('role with second factor required, none enrolled', 'ERR_MFA_REQUIRED',
      status(() => b.a.login({ user: 'hux', password: 'turbine hall north 7', source: 's', iface: 1 })));
    return outcome(t.ok, `second factor required on all ${SIZES.IFACES_MAX} interfaces; each code accepted once; required per role too`, t.describe(),
      { interfaces: SIZES.IFACES_MAX, cases: t.cases.length, refused: t.rejected });
  },
};

const deviceIdentity: Check = {
  id: 'auth.device-identity',
  title: 'The component proves itself with its device key; each peer device proves itself to it, a challenge once only',
  requirements: ['CR 1.2', 'CR 1.2 RE1'],
  kind: 'capability',
  part: 'access',
  remedy: 'answer challenges with the device key over a domain-separated message, and verify peers against provisioned keys with single-use challenges',
  async run(ctx) {
    const t = new Tally(ctx);
    const b = await accessBench(ctx);
    const fw = firmware(b.api);
    fw.setDeviceSecret(ctx.rng.bytes(32));
    const devicePk = fw.devicePublicKey();
    const d = deviceAuth(b.api, { clock: () => b.clock.now });
    const challenge = ctx.rng.bytes(32);
    const sig = d.sign(challenge);
    t.expect('the component\'s answer verifies under its device key (@noble/curves)', 'true', String(ed25519.verify(sig, deviceAuthMessage(challenge), devicePk)));
    t.expect('and is not a signature over the bare challenge', 'false', String(ed25519.verify(sig, challenge, devicePk)));
    const plc = ctx.key('plc-7');
    const other = ctx.key('impostor');
    d.addPeer(b.admin, 'plc-7', { ed25519: plc.publicKey });
    d.addPeer(b.admin, 'plc-8', { ed25519: ctx.key('plc-8').publicKey });
    const proof = (k: typeof plc, c: Uint8Array) => ed25519.sign(deviceAuthMessage(c), k.secretKey);
    const c1 = d.challenge();
    t.expect('plc-7 with its key', 'true', String(d.verifyPeer('plc-7', c1, proof(plc, c1))));
    t.expect('the same answer again (replay)', 'false', String(d.verifyPeer('plc-7', c1, proof(plc, c1))));
    const c2 = d.challenge();
    t.expect('plc-8 named, plc-7\'s key used', 'false', String(d.verifyPeer('plc-8', c2, proof(plc, c2))));
    const c3 = d.challenge();
    t.expect('another key', 'false', String(d.verifyPeer('plc-7', c3, proof(other, c3))));
    const c4 = d.challenge();
    t.expect('an unknown peer', 'false', String(d.verifyPeer('plc-9', c4, proof(plc, c4))));
    const forged = ctx.rng.bytes(32);
    t.expect('a challenge the module never issued', 'false', String(d.verifyPeer('plc-7', forged, proof(plc, forged))));
    const c5 = d.challenge();
    b.tick(60_001);
    t.expect('an expired challenge', 'false', String(d.verifyPeer('plc-7', c5, proof(plc, c5))));
    return outcome(t.ok, 'the component signs challenges with its device key; peers verified, replayed, foreign and expired answers refused', t.describe(),
      { cases: t.cases.length, refused: t.cases.filter((c) => c.want === 'false' && c.got === 'false').length });
  },
};

const symmetricKeys: Check = {
  id: 'auth.symmetric-keys',
  title: 'A peer with a pre-shared HMAC-SHA256 key proves itself; wrong and truncated tags are refused; the key is never listed',
  requirements: ['CR 1.14'],
  kind: 'capability',
  part: 'access',
  remedy: 'verify peers\' HMAC tags in the module, in constant time, and never return a pre-shared key',
  async run(ctx) {
    const t = new Tally(ctx);
    const b = await accessBench(ctx);
    const d = deviceAuth(b.api, { clock: () => b.clock.now });
    const psk = ctx.rng.bytes(32);
    d.addPeer(b.admin, 'rtu-2', { hmac: psk });
    const tag = (k: Uint8Array, c: Uint8Array) => new Uint8Array(createHmac('sha256', k).update(deviceAuthMessage(c)).digest());
    const c1 = d.challenge();
    t.expect('the right tag', 'true', String(d.verifyPeer('rtu-2', c1, tag(psk, c1))));
    const c2 = d.challenge();
    t.expect('a tag under another key', 'false', String(d.verifyPeer('rtu-2', c2, tag(ctx.rng.bytes(32), c2))));
    const c3 = d.challenge();
    const short = tag(psk, c3).slice(0, 16);
    t.expect('a truncated tag', 'false', String(d.verifyPeer('rtu-2', c3, short)));
    t.expect('the peer list shows no key', 'null', String(d.peers().find((p) => p.name === 'rtu-2')?.publicKey));
    return outcome(t.ok, 'HMAC peers verified in the module; wrong and truncated tags refused; the key is not listed', t.describe(), { cases: t.cases.length });
  },
};

const accountManagement: Check = {
  id: 'auth.account-management',
  title: 'Only an administrator adds, modifies, disables, enables and removes accounts; each change takes effect and is recorded',
  requirements: ['CR 1.3'],
  kind: 'capability',
  part: 'access',
  remedy: 'let only USER_ADMIN sessions manage accounts, and record every change and every refusal',
  async run(ctx) {
    const t = new Tally(ctx);
    const b = await accessBench(ctx);
    b.addUser('cleo', 'turbine hall north 7', ROLE.viewer);
    const cleo = b.a.login({ user: 'cleo', password: 'turbine hall north 7', source: 's', iface: 1 }).session;
    b.take();
    t.expect('a viewer adds an account', 'ERR_DENIED', status(() => b.a.addUser(cleo, { user: 'dave', password: 'a long passphrase 42', role: ROLE.administrator })));
    t.expect('a viewer raises her own role', 'ERR_DENIED', status(() => b.a.modifyUser(cleo, 'cleo', { role: ROLE.administrator })));
    t.expect('a viewer disables the administrator', 'ERR_DENIED', status(() => b.a.disableUser(cleo, ADMIN)));
    t.expect('refusals recorded', 'ADMIN_DENIED,ADMIN_DENIED,ADMIN_DENIED', types(b.take().filter((e) => e.type === 'ADMIN_DENIED')));
    t.expect('her role unchanged', String(ROLE.viewer), String(b.a.userInfo(b.admin, 'cleo')!.role));
    b.a.modifyUser(b.admin, 'cleo', { role: ROLE.operator });
    t.expect('modify: the role changed', 'true', String(b.a.authorize(b.a.login({ user: 'cleo', password: 'turbine hall north 7', source: 's', iface: 1 }).session, 'PROCESS_OPERATE')));
    b.a.disableUser(b.admin, 'cleo');
    t.expect('disabled: her session ended', 'ERR_SESSION', b.a.decide(cleo, 'PROCESS_READ'));
    t.expect('disabled: login refused', 'ERR_AUTH', status(() => b.a.login({ user: 'cleo', password: 'turbine hall north 7', source: 's', iface: 1 })));
    b.a.enableUser(b.admin, 'cleo');
    t.expect('enabled: login', 'OK', status(() => b.a.login({ user: 'cleo', password: 'turbine hall north 7', source: 's', iface: 1 })));
    b.a.removeUser(b.admin, 'cleo');
    t.expect('removed: login refused', 'ERR_AUTH', status(() => b.a.login({ user: 'cleo', password: 'turbine hall north 7', source: 's', iface: 1 })));
    t.expect('the last administrator cannot be removed', 'ERR_STATE', status(() => b.a.removeUser(b.admin, ADMIN)));
    const rec = b.take().filter((e) => ['USER_MODIFIED', 'USER_DISABLED', 'USER_ENABLED', 'USER_REMOVED'].includes(e.type));
    t.expect('changes recorded with the administrator', 'USER_MODIFIED,USER_DISABLED,USER_ENABLED,USER_REMOVED', types(rec));
    t.expect('actor of each change', 'admin,admin,admin,admin', rec.map((e) => e.actor).join(','));
    return outcome(t.ok, 'accounts managed by an administrator only; each change effective and recorded', t.describe(), { cases: t.cases.length, refused: t.rejected });
  },
};

const authenticators: Check = {
  id: 'auth.authenticator-management',
  title: 'A factory-default account must change its password before anything else; passwords are stored only as salted derivations',
  requirements: ['CR 1.5'],
  kind: 'capability',
  part: 'access',
  remedy: 'restrict a factory-default or administrator-set password to a change at first use, and store only salted PBKDF2 derivations',
  async run(ctx) {
    const t = new Tally(ctx);
    const b = await accessBench(ctx, { factoryDefault: true });
    const { session, mustChangePassword } = b.a.login({ user: ADMIN, password: ADMIN_PW, source: 's', iface: 0 });
    t.expect('first login of the factory default: restricted', 'true', String(mustChangePassword));
    t.expect('authorize before the change', 'ERR_MUST_CHANGE', b.a.decide(session, 'CONFIG_READ'));
    t.expect('add a user before the change', 'ERR_MUST_CHANGE', status(() => b.a.addUser(session, { user: 'bob', password: 'a very long passphrase 42', role: ROLE.viewer })));
    t.expect('keep the default as the new password', 'ERR_POLICY', status(() => b.a.changePassword(session, ADMIN_PW, ADMIN_PW)));
    const fresh = 'plant floor northeast gate 7';
    t.expect('change it', 'OK', status(() => b.a.changePassword(session, ADMIN_PW, fresh)));
    t.expect('authorize after the change', 'OK', b.a.decide(session, 'CONFIG_READ'));
    t.expect('the old default no longer logs in', 'ERR_AUTH', status(() => b.a.login({ user: ADMIN, password: ADMIN_PW, source: 's', iface: 0 })));
    // An administrator-set password is temporary in the same way.
    b.a.addUser(session, { user: 'bob', password: 'temporary passphrase 77', role: ROLE.viewer });
    const bob = b.a.login({ user: 'bob', password: 'temporary passphrase 77', source: 's', iface: 1 });
    t.expect('administrator-set password: restricted', 'true', String(bob.mustChangePassword));
    const fw = firmware(b.api);
    fw.setSealKey(ctx.rng.bytes(32));
    const sealed = fw.exportState();
    const enc = new TextEncoder();
    t.expect('passwords in clear in the sealed state or memory', 'absent',
      [fresh, 'temporary passphrase 77'].some((p) => Buffer.from(sealed).includes(Buffer.from(enc.encode(p))) || Buffer.from(b.api.heap()).includes(Buffer.from(enc.encode(p)))) ? 'present' : 'absent');
    return outcome(t.ok, 'factory-default and administrator-set passwords must be changed first; no password kept in clear', t.describe(), { cases: t.cases.length });
  },
};

const passwordStrengthModule: Check = {
  id: 'auth.password-strength',
  title: 'New passwords shorter than the policy, on the blocklist, or holding the user\'s name are refused',
  requirements: ['CR 1.7'],
  kind: 'capability',
  part: 'access',
  remedy: 'check every new password against the minimum length, the blocklist and the context words in the module',
  async run(ctx) {
    const t = new Tally(ctx);
    const b = await accessBench(ctx, { profile: { minLength: 15 } });
    const add = (user: string, password: string) => status(() => b.a.addUser(b.admin, { user, password, role: ROLE.viewer }));
    t.expect('14 characters', 'ERR_POLICY', add('ivy', 'pump hall no 7'));
    t.expect('a common password padded', 'ERR_POLICY', add('ivy', 'password1234567'));
    t.expect('a keyboard run', 'ERR_POLICY', add('ivy', 'qwertyuiopasdfgh'));
    t.expect('holding the user\'s name', 'ERR_POLICY', add('ivy', 'ivy pump hall north'));
    t.expect('one character repeated', 'ERR_POLICY', add('ivy', 'aaaaaaaaaaaaaaaa'));
    t.expect('129 bytes', 'ERR_LENGTH', add('ivy', 'p'.repeat(129)));
    t.expect('a good passphrase', 'OK', add('ivy', 'pump hall north 7'));
    return outcome(t.ok, `${t.rejected} weak passwords refused, a good one accepted`, t.describe(), { cases: t.cases.length, refused: t.rejected });
  },
};

const passwordLifetimeModule: Check = {
  id: 'auth.password-lifetime',
  title: 'Password history, minimum and maximum lifetime are enforced for every account',
  requirements: ['CR 1.7 RE1', 'CR 1.7 RE2'],
  kind: 'capability',
  part: 'access',
  remedy: 'remember the last N password derivations, refuse early changes, and restrict a session whose password has expired to a change',
  async run(ctx) {
    const t = new Tally(ctx);
    const b = await accessBench(ctx, { profile: { history: 3, minLifetime: 3600, maxLifetime: 86_400 } });
    const pw = ['turbine hall north 7', 'pump house south 12', 'control room west 3', 'switch yard east 44'];
    b.addUser('jo', pw[0], ROLE.viewer);
    const login = () => b.a.login({ user: 'jo', password: current, source: 's', iface: 1 });
    let current = pw[0];
    let s = login().session;
    t.expect('a change before the minimum lifetime', 'ERR_POLICY', status(() => b.a.changePassword(s, current, pw[1])));
    for (const next of [pw[1], pw[2]]) {
      b.tick(3_600_000);
      s = login().session;
      t.expect('a change after the minimum lifetime', 'OK', status(() => b.a.changePassword(s, current, next)));
      current = next;
    }
    b.tick(3_600_000);
    s = login().session;
    t.expect('back to a password of the history', 'ERR_POLICY', status(() => b.a.changePassword(s, current, pw[0])));
    t.expect('the current one again', 'ERR_POLICY', status(() => b.a.changePassword(s, current, current)));
    b.tick(86_400_000);
    const expired = login();
    t.expect('past the maximum lifetime: restricted to a change', 'true', String(expired.mustChangePassword));
    t.expect('authorize with an expired password', 'ERR_MUST_CHANGE', b.a.decide(expired.session, 'PROCESS_READ'));
    t.expect('change it', 'OK', status(() => b.a.changePassword(expired.session, current, pw[3])));
    t.expect('authorize after the change', 'OK', b.a.decide(expired.session, 'PROCESS_READ'));
    return outcome(t.ok, 'history, minimum lifetime (1 h) and maximum lifetime (1 day) enforced', t.describe(), { cases: t.cases.length, refused: t.rejected });
  },
};

/** The bytes of section `id` in a blob in clear (assembly/firmware/state.ts), or an empty array. */
function sectionOf(clear: Uint8Array, id: number): Uint8Array {
  const dv = new DataView(clear.buffer, clear.byteOffset, clear.byteLength);
  for (let p = STATE_HEADER_BYTES, i = 0; i < dv.getUint16(6, true) && p + 8 <= clear.length - STATE_TAG_BYTES; i++) {
    const n = dv.getUint32(p + 4, true);
    if (dv.getUint16(p, true) === id) return clear.subarray(p + 8, p + 8 + n);
    p += 8 + n;
  }
  return new Uint8Array(0);
}

const storedSecrets: Check = {
  id: 'auth.stored-secrets',
  title: 'Stored authenticators and keys (TOTP seeds, pre-shared peer keys, the audit seal key) do not leave the module in clear, not even in the sealed state the host stores or a backup',
  requirements: ['CR 1.5', 'CR 1.14', 'CR 4.1'],
  kind: 'capability',
  part: 'access',
  remedy: 'encrypt the sections of the sealed state (TOTP seeds, recovery-code keys, pre-shared keys, the audit seal key) under a key derived from the sealing key before the state leaves the module, or keep them in a secure element',
  async run(ctx) {
    const t = new Tally(ctx);
    const b = await accessBench(ctx);
    const fw = firmware(b.api);
    const sealKey = ctx.rng.bytes(32);
    fw.setSealKey(sealKey);
    fw.setDeviceSecret(ctx.rng.bytes(32));
    const e = b.a.enrollTotp(b.admin, { account: ADMIN });
    b.a.confirmTotp(b.admin, totpReference(e.secret, b.clock.now));
    const psk = ctx.rng.bytes(32);
    deviceAuth(b.api, { clock: () => b.clock.now }).addPeer(b.admin, 'rtu-2', { hmac: psk });
    const auditKey = ctx.rng.bytes(32);
    const hasAudit = b.api.raw.iacsec_audit_seal_key_set !== undefined;
    if (hasAudit) audit(b.api).setSealKey(auditKey);
    const sealed = Buffer.from(fw.exportState());
    const backup = Buffer.from(await fw.backup());
    ctx.log(`sealed state exported: ${sealed.byteLength} bytes (the blob the host writes to its state file); backup: ${backup.byteLength} bytes`);
    // Positive control: opened with the sealing key by an independent reader (node:crypto), the state
    // does hold each secret, so their absence from the stored bytes is not an accident of where we look.
    const { clear, ok } = openState(sealed, sealKey);
    const inClear = Buffer.from(clear);
    t.expect('the stored state opened with the sealing key (node:crypto: HKDF-Expand, ChaCha20, HMAC-SHA256)', 'tag verifies', ok ? 'tag verifies' : 'tag does not verify');
    const storedAuditKey = Buffer.from(sectionOf(clear, 3).subarray(112, 144));
    const secrets: [string, Buffer][] = [['the TOTP seed', Buffer.from(e.secret)], ['the pre-shared peer key', Buffer.from(psk)]];
    if (hasAudit) secrets.push(['the audit seal key (its current ratchet step)', storedAuditKey]);
    for (const [name, secret] of secrets) {
      t.expect(`${name} in the state opened with the sealing key`, 'present', secret.length >= 16 && inClear.includes(secret) ? 'present' : 'absent');
      t.expect(`${name} in clear in the sealed state`, 'absent', sealed.includes(secret) ? 'present' : 'absent');
      t.expect(`${name} in clear in the signed backup`, 'absent', backup.includes(secret) ? 'present' : 'absent');
    }
    return outcome(t.ok, 'no stored authenticator or key in clear outside the module', t.describe(), { cases: t.cases.length, sealedBytes: sealed.byteLength });
  },
};

/**
 * Median times of failed logins of two names, in ns, taken in turn so that
 * a busy machine slows both alike (only compared, never reported).
 */
function loginCosts(b: AccessBench, names: [string, string], password: string): [number, number] {
  const times: [number[], number[]] = [[], []];
  for (let i = 0; i < 14; i++) {
    const k = i & 1;
    const s = process.hrtime.bigint();
    status(() => b.a.login({ user: names[k], password, source: `cost-${i}`, iface: 1 }));
    times[k].push(Number(process.hrtime.bigint() - s));
  }
  const med = (xs: number[]) => xs.sort((x, y) => x - y)[xs.length >> 1];
  return [med(times[0]), med(times[1])];
}

const feedback: Check = {
  id: 'auth.feedback',
  title: 'An unknown user, a wrong password, a disabled and a locked account, a wrong code sent with the password: one answer, no session, the same key derivation',
  requirements: ['CR 1.10'],
  kind: 'capability',
  part: 'access',
  remedy: 'answer every failed login with one status, after the same derivation, whatever the cause',
  async run(ctx) {
    const t = new Tally(ctx);
    const b = await accessBench(ctx, { profile: { iterations: 20_000, lockThreshold: 1000, sourceThreshold: 100_000 } });
    b.addUser('kim', 'turbine hall north 7', ROLE.viewer);
    b.addUser('lea', 'pump house south 12', ROLE.viewer);
    b.addUser('max', 'control room west 3', ROLE.viewer);
    b.a.disableUser(b.admin, 'lea');
    b.a.lockUser(b.admin, 'max');
    const answers: [string, string, string][] = [
      ['an unknown user', 'nobody-here', 'whatever passphrase'],
      ['a wrong password', 'kim', 'turbine hall north 8'],
      ['a disabled account, right password', 'lea', 'pump house south 12'],
      ['an account locked by an administrator, right password', 'max', 'control room west 3'],
    ];
    for (const [what, user, password] of answers) {
      t.expect(what, 'ERR_AUTH', status(() => b.a.login({ user, password, source: 'y', iface: 1 })));
    }
    // With a second factor sent in the same step, a wrong password and a wrong code answer alike.
    const e = b.a.enrollTotp(b.admin, { account: ADMIN });
    b.a.confirmTotp(b.admin, totpReference(e.secret, b.clock.now));
    b.tick(30_000);
    const code = totpReference(e.secret, b.clock.now);
    const wrongCode = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    t.expect('second factor required: a wrong password with the right code', 'ERR_AUTH', status(() => b.a.login({ user: ADMIN, password: 'not the passphrase', totp: code, source: 'y', iface: 1 })));
    t.expect('second factor required: the right password with a wrong code', 'ERR_AUTH', status(() => b.a.login({ user: ADMIN, password: ADMIN_PW, totp: wrongCode, source: 'y', iface: 1 })));
    // Equal cost: without the stand-in derivation an unknown name would answer over 100 times sooner.
    const [known, unknown] = loginCosts(b, ['kim', 'nobody-here'], 'wrong passphrase 1');
    const ratio = unknown / known;
    ctx.log('cost of an unknown user against a known one, median of 7 logins each, taken in turn, at 20,000 iterations: compared with the bounds 0.5..2');
    t.expect('unknown user costs as a known one (within 0.5..2)', 'true', String(ratio > 0.5 && ratio < 2));
    return outcome(t.ok, 'one answer (ERR_AUTH) and one derivation for every failed login', t.describe(), { cases: t.cases.length, sameCost: ratio > 0.5 && ratio < 2 });
  },
};

const lockoutModule: Check = {
  id: 'auth.lockout',
  title: 'Failed logins lock the account at the threshold; counts and the lock survive a reload of the sealed state; only an administrator ends it',
  requirements: ['CR 1.11'],
  kind: 'capability',
  part: 'access',
  remedy: 'count failures in the module, lock at the threshold, keep counts and locks in the sealed state, and let only an administrator reset them',
  async run(ctx) {
    const t = new Tally(ctx);
    const seal = ctx.rng.bytes(32);
    const b = await accessBench(ctx, { profile: { lockThreshold: 5, lockWindow: 900, lockDuration: 0 } });
    firmware(b.api).setSealKey(seal);
    b.addUser('nia', 'turbine hall north 7', ROLE.operator);
    const login = (x: AccessBench, password: string) => status(() => x.a.login({ user: 'nia', password, source: 'hmi-1', iface: 1 }));
    for (let i = 0; i < 4; i++) login(b, `wrong guess ${i}`);
    t.expect('failures counted', '4', String(b.a.userInfo(b.admin, 'nia')!.failures));
    /** The sealed state of `from` loaded into a fresh module, as after a power cut, `laterMs` later. */
    const reload = async (from: AccessBench, name: string, laterMs: number) => {
      const sealed = firmware(from.api).exportState();
      const fresh = await accessBench(ctx, { provision: false });
      const ffw = firmware(fresh.api);
      ffw.setSealKey(seal);
      ffw.importState(sealed);
      fresh.clock.now = from.clock.now + laterMs;
      // Not kept as evidence: it holds the module's random salts and keys, so no two runs give the same bytes.
      ctx.log(`sealed state (${sealed.byteLength} bytes) loaded into a fresh module: ${name}`);
      return fresh;
    };
    const r1 = await reload(b, 'after-4-failures', 1000);
    t.expect('after the reload: failures still counted', '4', String(r1.a.userInfo(r1.adminNow(), 'nia')!.failures));
    r1.take();
    t.expect('the 5th failure', 'ERR_AUTH', login(r1, 'wrong guess 4'));
    t.expect('recorded as a lock', 'true', String(r1.take().some((e) => e.type === 'ACCOUNT_LOCKED')));
    t.expect('lock query: until an administrator unlocks', 'admin', String(r1.a.userInfo(r1.adminNow(), 'nia')!.lockedUntil));
    t.expect('locked: the right password', 'ERR_AUTH', login(r1, 'turbine hall north 7'));
    const r2 = await reload(r1, 'locked-a-year-later', 365 * 86_400_000);
    t.expect('reloaded a year later: the right password', 'ERR_AUTH', login(r2, 'turbine hall north 7'));
    const admin = r2.adminNow();
    t.expect('still locked', 'admin', String(r2.a.userInfo(admin, 'nia')!.lockedUntil));
    r2.admin = admin;
    r2.addUser('oli', 'pump house south 12', ROLE.viewer);
    const viewer = r2.a.login({ user: 'oli', password: 'pump house south 12', source: 's', iface: 1 }).session;
    t.expect('a viewer unlocks the account', 'ERR_DENIED', status(() => r2.a.unlockUser(viewer, 'nia')));
    r2.take();
    r2.a.unlockUser(admin, 'nia');
    t.expect('the unlock recorded', 'ACCOUNT_UNLOCKED', types(r2.take()));
    t.expect('after the administrator\'s unlock', 'OK', login(r2, 'turbine hall north 7'));
    t.expect('count reset', '0', String(r2.a.userInfo(admin, 'nia')!.failures));
    return outcome(t.ok, 'locked at 5 failures; counts and the lock survive reloads of the sealed state; only an administrator unlocks', t.describe(),
      { cases: t.cases.length, threshold: 5, reloads: 2 });
  },
};

// ---- profile checks (SL-A) ----

const lockout: Check = {
  id: 'profile.lockout',
  title: 'The deployment locks an account after at most 10 unsuccessful attempts, for at least 60 s, and the module so configured does',
  requirements: ['CR 1.11'],
  kind: 'profile',
  remedy: 'set lockout.enabled to true, lockout.maxAttempts to 1..10 and lockout.lockSeconds to 60 or more',
  async run(ctx) {
    const l = ctx.profile.lockout;
    const ok = l?.enabled === true && typeof l.maxAttempts === 'number' && l.maxAttempts >= 1 && l.maxAttempts <= 10
      && typeof l.lockSeconds === 'number' && l.lockSeconds >= 60;
    if (!ok) return outcome(false, '', `lockout ${l?.enabled === true ? 'too weak' : 'off'}`);
    const b = await deployed(ctx);
    if (isOutcome(b)) return b;
    const t = new Tally(ctx);
    b.addUser('pia', 'turbine hall north 7', ROLE.operator);
    const login = (password: string) => status(() => b.a.login({ user: 'pia', password, source: 'hmi', iface: 1 }));
    for (let i = 0; i < l!.maxAttempts! - 1; i++) login(`wrong guess ${i}`);
    t.expect(`${l!.maxAttempts! - 1} failures: not locked yet`, 'null', String(b.a.userInfo(b.admin, 'pia')!.lockedUntil));
    login('wrong guess last');
    t.expect(`failure ${l!.maxAttempts}: locked for ${l!.lockSeconds} s`, String(b.clock.now + l!.lockSeconds! * 1000), String(b.a.userInfo(b.admin, 'pia')!.lockedUntil));
    b.tick(l!.lockSeconds! * 1000 - 1);
    t.expect('the right password just before the end', 'ERR_AUTH', login('turbine hall north 7'));
    return outcome(t.ok, `locks after ${l!.maxAttempts} attempts for ${l!.lockSeconds} s, enforced by the module so configured`, t.describe());
  },
};

const mfa: Check = {
  id: 'profile.mfa-all-roles',
  title: 'The deployment requires multifactor authentication for every human role, administrators included',
  requirements: ['CR 1.1 RE2'],
  kind: 'profile',
  remedy: 'set mfa.roles.<role> to true for every role',
  async run(ctx) {
    const roles = Object.entries(ctx.profile.mfa?.roles ?? {});
    const off = roles.filter(([, on]) => on !== true).map(([r]) => r);
    const admin = ctx.profile.mfa?.roles?.administrator === true;
    if (!(roles.length > 0 && off.length === 0 && admin)) return outcome(false, '', `no MFA for ${off.length ? off.join(', ') : 'administrator'}`);
    const b = await deployed(ctx);
    if (isOutcome(b)) return b;
    // Each role of the profile gets the module's "second factor" flag; a user of it then needs a code.
    const t = new Tally(ctx);
    const moduleRoles = b.a.roles();
    for (const [name] of roles) {
      const r = moduleRoles.find((x) => x.name === name);
      if (!r) { t.expect(`role ${name} in the module`, 'present', 'absent'); continue; }
      if (r.index !== ROLE.administrator) b.addUser(`user-${name}`, 'turbine hall north 7', r.index);
    }
    for (const [name] of roles) {
      const r = moduleRoles.find((x) => x.name === name);
      if (r) b.a.setRole(b.admin, r.index, { name: r.name, permissions: r.permissions, mfaRequired: true });
    }
    for (const [name] of roles) {
      const r = moduleRoles.find((x) => x.name === name);
      if (!r) continue;
      const [user, password] = r.index === ROLE.administrator ? [ADMIN, ADMIN_PW] : [`user-${name}`, 'turbine hall north 7'];
      t.expect(`${name}: password alone`, 'ERR_MFA_REQUIRED', status(() => b.a.login({ user, password, source: 's', iface: 1 })));
    }
    return outcome(t.ok, `MFA for ${roles.map(([r]) => r).join(', ')}, enforced by the module so configured`, t.describe());
  },
};

const defaultPassword: Check = {
  id: 'profile.default-password-changed',
  title: 'The deployment replaces the factory default password before use',
  requirements: ['CR 1.5'],
  kind: 'profile',
  remedy: 'set accounts.defaultPasswordKept to false (force a change of the initial password at first login)',
  run: (ctx) => outcome(ctx.profile.accounts?.defaultPasswordKept === false, 'default password replaced before use', 'the factory default password is kept'),
};

const passwordStrength: Check = {
  id: 'profile.password-strength',
  title: 'The deployment\'s password policy asks for at least 8 characters, and the module so configured refuses a shorter one',
  requirements: ['CR 1.7'],
  kind: 'profile',
  remedy: 'set passwordPolicy.minLength to 8 or more',
  async run(ctx) {
    const n = ctx.profile.passwordPolicy?.minLength;
    if (!(typeof n === 'number' && n >= 8)) return outcome(false, '', `minimum length ${n ?? 'not set'}`);
    const b = await deployed(ctx);
    if (isOutcome(b)) return b;
    const t = new Tally(ctx);
    const phrase = 'plant floor northeast gate seven turbine hall north pump house south control room west'.repeat(2);
    const add = (user: string, len: number) => status(() => b.a.addUser(b.admin, { user, password: phrase.slice(0, len), role: ROLE.viewer }));
    t.expect(`${n - 1} characters`, 'ERR_POLICY', add('short', n - 1));
    t.expect(`${n} characters`, 'OK', add('long', n));
    return outcome(t.ok, `minimum length ${n}, enforced by the module so configured`, t.describe());
  },
};

const passwordLifetime: Check = {
  id: 'profile.password-lifetime',
  title: 'The password policy sets character classes, a maximum age and a history',
  requirements: ['CR 1.7 RE1'],
  kind: 'profile',
  remedy: 'set passwordPolicy.requireClasses (3 or more), maxAgeDays (1..365) and history (1 or more)',
  run: (ctx) => {
    const p = ctx.profile.passwordPolicy;
    const ok = (p?.requireClasses ?? 0) >= 3 && typeof p?.maxAgeDays === 'number' && p.maxAgeDays >= 1 && p.maxAgeDays <= 365 && (p.history ?? 0) >= 1;
    return outcome(ok, 'classes, maximum age and history set', 'classes, maximum age or history missing');
  },
};

export const CHECKS: readonly Check[] = [
  humanLogin, uniqueIdentity, multifactor, deviceIdentity, accountManagement, authenticators, passwordStrengthModule,
  passwordLifetimeModule, feedback, gatewayPki, lockoutModule, symmetricKeys, storedSecrets,
  profileGatewayPki, lockout, mfa, defaultPassword, passwordStrength, passwordLifetime,
];
