// The gateway's decisions into the module's audit log (CR 2.8): each
// decision becomes one record (category, type 1024..1035, outcome,
// interface "opcua", peer, subject, detail as JSON), appended inside the
// module, where it joins the hash chain and the signed checkpoints, and from
// there the export and syslog forwarding (CR 6.2). Appends run through the
// module's one gate, in order, each as a transaction of the sealed state.
// A refused append (the log full under the reject policy, ERR_AUDIT_FULL) is
// counted and handed to onFailure: the gateway keeps answering, and the
// module itself records the loss.

import { moduleGate } from '../module_gate.js';
import type { Iacsec } from '../api.js';
import { detailText, type DecisionSink } from './decisions.js';

/** What the sink needs of host/audit.ts. */
export interface AuditAppender {
  tryAppend(r: {
    category: string; type: number; outcome: string; iface?: string; peer?: string; subject?: string; detail?: string;
  }): bigint | number;
}

export const AUDIT_IFACE = 'opcua';

export function auditSink(api: Iacsec, audit: AuditAppender, onFailure: (status: number | Error) => void = () => {}): DecisionSink {
  const gate = moduleGate(api);
  return (d) => {
    const record = {
      category: d.category, type: d.type, outcome: d.outcome, iface: AUDIT_IFACE,
      peer: d.peer, subject: d.subject, detail: detailText(d.detail),
    };
    gate.run(async () => {
      const r = audit.tryAppend(record);
      if (typeof r === 'number') onFailure(r);
      return { value: r, changed: true };
    }).catch((e: unknown) => onFailure(e instanceof Error ? e : new Error(String(e))));
  };
}
