// The audit trail of a state store: inside every state transaction that
// saves, the module's audit ring is drained into the store's append-only
// audit files (audit_drain.ts) before the sealed state is written. So the
// state saved always says which records have left the module (their
// acknowledgement), and a process that loads the state next continues the
// same chain: one log per device state, whichever process wrote it
// (CR 2.8, CR 3.9, CR 6.1).
//
// Order inside the transaction: export, append to the file and fsync, ack,
// then the store writes the sealed state. A crash after the file write and
// before the state write leaves records in the file that the state does not
// count as acknowledged: the next start resumes numbering past its lease
// (assembly/audit/state.ts) and records AUDIT_RESTARTED, so no sequence
// number is used twice.

import { AuditDrain, type DrainResult } from './audit_drain.js';
import { Audit } from './audit.js';
import type { Iacsec } from './api.js';

export interface StoreAuditOptions {
  /** Directory of the audit files (audit.cbor, audit.cbor.1, ...). */
  dir: string;
  /** Called with each complete export after it is stored (e.g. a syslog forwarder's send). */
  onExport?: (bytes: Uint8Array) => void;
  maxFileBytes?: number;
  keepFiles?: number;
}

/** Drains the audit ring of the module behind a state store; a build without an audit log drains nothing. */
export class StoreAudit {
  private readonly drainer: AuditDrain | undefined;
  private readonly audit: Audit | undefined;

  constructor(api: Iacsec, options: StoreAuditOptions) {
    if (typeof api.raw.iacsec_audit_export !== 'function') return;
    this.audit = new Audit(api);
    this.drainer = new AuditDrain(this.audit, {
      dir: options.dir, onExport: options.onExport, maxFileBytes: options.maxFileBytes, keepFiles: options.keepFiles,
    });
  }

  /** The audit file written last (the current one). */
  get path(): string | undefined { return this.drainer?.path; }

  /**
   * Drains when the module can sign the export's checkpoint (the device key
   * is set); otherwise the records stay in the ring for a later drain.
   */
  async drain(): Promise<DrainResult | undefined> {
    if (!this.drainer || !this.audit || !this.audit.status().deviceKeyReady) return undefined;
    return this.drainer.drain();
  }
}
