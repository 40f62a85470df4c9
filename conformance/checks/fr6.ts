// FR6 Timely response to events. The audit part adds its capability checks
// (log access, programmatic access) here; today: the profile check of
// forwarding to a monitoring system. See registry.ts.

import { outcome, type Check } from './registry.js';
import { AUDIT_FR6_CHECKS } from './_audit.js';

const forwarding: Check = {
  id: 'profile.audit-forwarding',
  title: 'Audit records are forwarded to a monitoring system (syslog)',
  requirements: ['CR 6.2'],
  kind: 'profile',
  remedy: 'set audit.enabled to true and audit.forward.syslog to the collector (udp://, tcp:// or tls:// URL)',
  run: (ctx) => {
    const s = ctx.profile.audit?.forward?.syslog;
    return outcome(ctx.profile.audit?.enabled === true && typeof s === 'string' && /^(udp|tcp|tls):\/\/\S+$/.test(s),
      `forwarded to ${s}`, 'no forwarding (or audit off)');
  },
};

export const CHECKS: readonly Check[] = [forwarding, ...AUDIT_FR6_CHECKS];
