// FR2 Use control. The audit log and session parts add their capability
// checks here; today this file holds the profile checks (SL-A) of the
// deployment's audit and session settings. See registry.ts.

import { outcome, type Check } from './registry.js';
import { AUDIT_FR2_CHECKS } from './_audit.js';

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
  title: 'Idle sessions lock after at most 15 minutes',
  requirements: ['CR 2.5'],
  kind: 'profile',
  remedy: 'set sessions.idleLockSeconds to 1..900',
  run: (ctx) => {
    const s = ctx.profile.sessions?.idleLockSeconds;
    return outcome(typeof s === 'number' && s >= 1 && s <= 900, `locks after ${s} s idle`, `idle lock ${s ?? 'not set'}`);
  },
};

const concurrent: Check = {
  id: 'profile.concurrent-sessions',
  title: 'The number of concurrent sessions per user is limited',
  requirements: ['CR 2.7'],
  kind: 'profile',
  remedy: 'set sessions.maxConcurrentPerUser to 1 or more',
  run: (ctx) => {
    const n = ctx.profile.sessions?.maxConcurrentPerUser;
    return outcome(typeof n === 'number' && n >= 1, `at most ${n} per user`, 'no limit set');
  },
};

export const CHECKS: readonly Check[] = [auditEnabled, auditCapacity, auditWarn, auditFailure, sessionLock, concurrent, ...AUDIT_FR2_CHECKS];
