// The audit log (CR 2.8, CR 3.9, CR 6.1): an append from the host (encoding,
// UTF-8 checks, the chain hash, and every 256th record a checkpoint signed
// with the device key), a drain of 1,000 records (append, export with its
// signed closing checkpoint, acknowledgement), and the host verifier over a
// log of 1,000,000 records. node:crypto hashing the same record bytes into
// a chain is the reference: the least any chained log pays per record.
import crypto from 'node:crypto';
import { audit, verifyLog } from '../../dist/host/index.js';
import { seeded } from './_data.js';

const RECORD = {
  category: 'access_control', type: 200, outcome: 'success',
  iface: 'opcua', peer: '192.0.2.7:4840', subject: 'operator1', detail: 'write ns=1;s=Setpoint 41.5 -> 42.0',
};

// One device secret per module instance (the checkpoint signing key is derived from it once).
const logs = new WeakMap();
function logOf(api) {
  if (!logs.has(api)) {
    const log = audit(api);
    log.setDeviceSecret(seeded(4242).bytes(32));
    logs.set(api, log);
  }
  return logs.get(api);
}

/** A chain step over the CBOR of one record, in node:crypto (the reference cost). */
function nodeChain() {
  let head = Buffer.alloc(32);
  const prefix = Buffer.from([0]);
  // About the size of the record the module encodes for RECORD.
  const record = Buffer.from(seeded(77).bytes(110));
  return () => {
    head = crypto.createHash('sha256').update(prefix).update(head).update(record).digest();
    return true;
  };
}

const appendCase = {
  id: 'audit-append',
  title: 'Audit append from the host, one record (about 110 bytes of CBOR): records per second',
  needs: ['iacsec_audit_append'],
  reference: 'node:crypto chain step',
  goals: [{ text: 'audit append: at least 1,000,000 records per second (p50 under 1 us)', p50Of: 'iacsec', below: 1 }],
  async setup({ api }) {
    const log = logOf(api);
    log.configure({ policy: 'overwrite' });
    // A drained log: the host acknowledges as it stores (every 1,024 records here), so an
    // append never overwrites an unacknowledged record (which costs one more hash).
    let n = 0;
    const append = () => {
      const seq = log.append(RECORD);
      if ((++n & 1023) === 0) log.ack(seq + 1n);
      return true;
    };
    const enc = (v) => new TextEncoder().encode(v);
    return {
      contenders: [
        { name: 'iacsec', fn: append },
        { name: 'node:crypto chain step', fn: nodeChain() },
      ],
      expect: true,
      fixture: {
        kind: 'audit_append', param: 0,
        inputs: [seeded(4242).bytes(32), enc(RECORD.iface), enc(RECORD.peer), enc(RECORD.subject), enc(RECORD.detail)],
        expect: new Uint8Array(0),
      },
    };
  },
};

const drainCase = {
  id: 'audit-drain-1k',
  title: 'Audit drain: 1,000 records appended, exported with a signed checkpoint, acknowledged (ops/s x 1,000 = records/s)',
  needs: ['iacsec_audit_export', 'iacsec_audit_ack'],
  reference: 'iacsec',
  goals: [],
  async setup({ api }) {
    const log = logOf(api);
    const drain1k = () => {
      for (let i = 0; i < 1000; i++) log.append(RECORD);
      const { bytes, next } = log.exportAll();
      log.ack(next);
      return bytes.length > 0;
    };
    return { contenders: [{ name: 'iacsec', fn: drain1k }], expect: true };
  },
};

/** A drained log of n records: exports of at most 1,000 records each, acknowledged as they go. */
function drainedLog(log, n) {
  const parts = [];
  let left = n;
  while (left > 0) {
    const k = Math.min(1000, left);
    for (let i = 0; i < k; i++) log.append(RECORD);
    left -= k;
    const { bytes, next } = log.exportAll();
    parts.push(bytes);
    log.ack(next);
  }
  return new Uint8Array(Buffer.concat(parts));
}

const verifyCase = {
  id: 'audit-verify-1m',
  title: 'Audit verify (host verifyLog): a drained log of 1,000,000 records with its checkpoints',
  needs: ['iacsec_audit_export', 'iacsec_audit_ack'],
  reference: 'iacsec',
  timing: { rounds: 3, batchMs: 1, warmupMs: 0 },
  goals: [],
  async setup({ api, modulePath, quick }) {
    // A fresh instance: the log starts at record 1, so the verifier proves it from its first item.
    // The smoke run (--quick) checks the case on 10,000 records.
    const { loadModule } = await import('../../dist/host/index.js');
    const fresh = await loadModule({ path: modulePath });
    const log = audit(fresh);
    log.setDeviceSecret(seeded(4343).bytes(32));
    const bytes = drainedLog(log, quick ? 10_000 : 1_000_000);
    const publicKey = log.devicePublicKey();
    void api;
    verifyCase.bytes = bytes.length;   // MB/s of the log verified
    return {
      contenders: [{ name: 'iacsec', fn: () => verifyLog(bytes, { publicKey }).ok }],
      expect: true,
    };
  },
};

export const area = 'audit';
export const cases = [appendCase, drainCase, verifyCase];
