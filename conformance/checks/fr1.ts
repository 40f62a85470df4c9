// FR1 Identification and authentication control. The module's authentication
// part (users, password policy, lockout, MFA) adds its capability checks
// here; today this file holds the profile checks (SL-A) of the deployment's
// settings. CR 1.9's capability checks live with the signatures (fr4.ts) and
// the roots of trust (fr3.ts). See registry.ts for the check interface.

import { outcome, type Check } from './registry.js';

const lockout: Check = {
  id: 'profile.lockout',
  title: 'The deployment locks an account after at most 10 unsuccessful attempts, for at least 60 s',
  requirements: ['CR 1.11'],
  kind: 'profile',
  remedy: 'set lockout.enabled to true, lockout.maxAttempts to 1..10 and lockout.lockSeconds to 60 or more',
  run: (ctx) => {
    const l = ctx.profile.lockout;
    const ok = l?.enabled === true && typeof l.maxAttempts === 'number' && l.maxAttempts >= 1 && l.maxAttempts <= 10
      && typeof l.lockSeconds === 'number' && l.lockSeconds >= 60;
    return outcome(ok, `locks after ${l?.maxAttempts} attempts for ${l?.lockSeconds} s`, `lockout ${l?.enabled === true ? 'too weak' : 'off'}`);
  },
};

const mfa: Check = {
  id: 'profile.mfa-all-roles',
  title: 'The deployment requires multifactor authentication for every human role, administrators included',
  requirements: ['CR 1.1 RE2'],
  kind: 'profile',
  remedy: 'set mfa.roles.<role> to true for every role',
  run: (ctx) => {
    const roles = Object.entries(ctx.profile.mfa?.roles ?? {});
    const off = roles.filter(([, on]) => on !== true).map(([r]) => r);
    const admin = ctx.profile.mfa?.roles?.administrator === true;
    return outcome(roles.length > 0 && off.length === 0 && admin, `MFA for ${roles.map(([r]) => r).join(', ')}`,
      `no MFA for ${off.length ? off.join(', ') : 'administrator'}`);
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
  title: 'The deployment\'s password policy asks for at least 8 characters',
  requirements: ['CR 1.7'],
  kind: 'profile',
  remedy: 'set passwordPolicy.minLength to 8 or more',
  run: (ctx) => {
    const n = ctx.profile.passwordPolicy?.minLength;
    return outcome(typeof n === 'number' && n >= 8, `minimum length ${n}`, `minimum length ${n ?? 'not set'}`);
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

export const CHECKS: readonly Check[] = [lockout, mfa, defaultPassword, passwordStrength, passwordLifetime];
