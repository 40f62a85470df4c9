// The gateway's decisions into the module's audit log (CR 2.8): each
// decision becomes one record (category, type 1024..1035, outcome,
// interface "opcua", peer, subject, detail as JSON), appended inside the
// module, where it joins the hash chain and the signed checkpoints. Appends
// run through the module's one gate (Audit.record), in order, each a
// transaction of the sealed state, which drains the ring into the state
// directory's audit files (DIR/audit.cbor, host/state_audit.ts) before it
// saves: `iacsec audit verify --state DIR` checks them, syslog forwarding
// sends them on (CR 6.2).
// A refused append (the log full under the reject policy: ERR_AUDIT_FULL) or
// a failed save is counted and handed to onFailure; the module records the
// loss itself.

import { Audit } from '../audit.js';
import type { Iacsec } from '../api.js';
import { detailText, type DecisionSink } from './decisions.js';

export const AUDIT_IFACE = 'opcua';

export interface AuditSink {
  sink: DecisionSink;
  /** Resolves when every record handed so far is appended (or has failed). */
  flush(): Promise<void>;
  /** Appends that failed. */
  readonly failures: number;
}

export function auditSink(api: Iacsec, onFailure: (e: unknown) => void = () => {}): AuditSink {
  const audit = new Audit(api);
  let last: Promise<unknown> = Promise.resolve();
  let failures = 0;
  const sink: DecisionSink = (d) => {
    last = audit.record({
      category: d.category, type: d.type, outcome: d.outcome, iface: AUDIT_IFACE,
      peer: d.peer, subject: d.subject, detail: detailText(d.detail),
    }).catch((e: unknown) => { failures++; onFailure(e); });
  };
  return {
    sink,
    async flush() { await last; },
    get failures() { return failures; },
  };
}

/** True when this build of the module has an audit log. */
export function hasAuditLog(api: Iacsec): boolean {
  return typeof api.raw.iacsec_audit_append === 'function';
}
