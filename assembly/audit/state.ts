// The audit log's section of the sealed state (firmware/state.ts): what must
// survive a restart so that sequence numbers never repeat, the chain and the
// checkpoints continue, and the seal key keeps ratcheting. The ring itself
// is not persisted: the host drains it (acknowledged records are stored), and
// after a restart a record of type AUDIT_RESTARTED states which sequence
// numbers may be missing.
//
// Section (AUDIT_STATE_BYTES, little-endian):
//   0 u8 version (1) | 1 u8 policy | 2 u8 threshold | 3 u8 flags (bit 0 seal key set) |
//   4 u32 checkpoint interval | 8 u64 next sequence | 16 u64 last sequence |
//   24 chain head[32] | 56 u64 first unacknowledged sequence | 64 u64 checkpoint index |
//   72 u64 sequence covered by the last checkpoint | 80 previous checkpoint hash[32] |
//   112 seal key[32] | 144 u64 first sealed checkpoint | 152 u64 records lost |
//   160 u64 records refused | 168 u64 refusals not yet recorded | 176..192 zero
//
// The seal key stored is the current one (it seals only checkpoints to come);
// the sealed state encrypts it with every other section (CR 1.14).

import { AUDIT_SEQ_LEASE } from "./limits";
import {
  audit_next_seq, audit_last_seq, audit_head, audit_ack_seq, audit_policy, audit_threshold, audit_cp_every,
  audit_lost_total, audit_refused_total, audit_refused_pending, audit_log_reset, audit_log_restore,
  POLICY_REJECT, EV_AUDIT_RESTARTED,
} from "./log";
import {
  cp_last_index, cp_last_size, cp_prev_hash, cp_seal_set, cp_seal_key, cp_seal_first, cp_reset, cp_restore,
} from "./checkpoint";
import { export_forget } from "./export";
import { ev_new, ev_ab, ev_push } from "../firmware/events";
import { OK } from "../status";

export const AUDIT_STATE_BYTES: usize = 192;
const VERSION: u8 = 1;

export function audit_state_bytes(): usize { return AUDIT_STATE_BYTES; }

export function audit_state_write(p: usize): void {
  memory.fill(p, 0, AUDIT_STATE_BYTES);
  store<u8>(p, VERSION);
  store<u8>(p + 1, <u8>audit_policy());
  store<u8>(p + 2, <u8>audit_threshold());
  store<u8>(p + 3, cp_seal_set() ? 1 : 0);
  store<u32>(p + 4, audit_cp_every());
  store<u64>(p + 8, audit_next_seq());
  store<u64>(p + 16, audit_last_seq());
  memory.copy(p + 24, audit_head(), 32);
  store<u64>(p + 56, audit_ack_seq());
  store<u64>(p + 64, cp_last_index());
  store<u64>(p + 72, cp_last_size());
  memory.copy(p + 80, cp_prev_hash(), 32);
  if (cp_seal_set()) memory.copy(p + 112, cp_seal_key(), 32);
  store<u64>(p + 144, cp_seal_first());
  store<u64>(p + 152, audit_lost_total());
  store<u64>(p + 160, audit_refused_total());
  store<u64>(p + 168, audit_refused_pending());
}

function zero(p: usize, n: usize): bool {
  let acc: u32 = 0;
  for (let i: usize = 0; i < n; i++) acc |= load<u8>(p + i);
  return acc == 0;
}

/** Checks every field of a section (its tag already verified by the state blob's HMAC). */
export function audit_state_valid(p: usize): bool {
  if (load<u8>(p) != VERSION) return false;
  const policy = <u32>load<u8>(p + 1), thr = <u32>load<u8>(p + 2), flags = load<u8>(p + 3);
  const every = load<u32>(p + 4);
  const next = load<u64>(p + 8), last = load<u64>(p + 16), ack = load<u64>(p + 56);
  const cpi = load<u64>(p + 64), cps = load<u64>(p + 72), first = load<u64>(p + 144);
  if (policy > POLICY_REJECT || thr < 1 || thr > 100 || flags > 1 || every < 1 || every > 65535) return false;
  // The next number plus the lease must not wrap (u64).
  if (next == 0 || next > 0xffff_ffff_ffff_ffff - AUDIT_SEQ_LEASE || last >= next) return false;
  if (ack == 0 || ack > next) return false;
  if (last == 0 && !zero(p + 24, 32)) return false;
  if (cps > last) return false;
  if (cpi == 0 && (cps != 0 || !zero(p + 80, 32))) return false;
  if (flags == 0 && (!zero(p + 112, 32) || first != 0)) return false;
  if (flags == 1 && (first == 0 || first > cpi + 1)) return false;
  if (!zero(p + 176, AUDIT_STATE_BYTES - 176)) return false;
  return true;
}

/** Loads a valid section: the log resumes after the lease, and a record says which numbers may be missing. */
export function audit_state_read(p: usize): void {
  const next = load<u64>(p + 8) + AUDIT_SEQ_LEASE;
  const last = load<u64>(p + 16);
  export_forget();
  audit_log_restore(next, last, p + 24, <u32>load<u8>(p + 1), <u32>load<u8>(p + 2), load<u32>(p + 4),
    load<u64>(p + 152), load<u64>(p + 160), load<u64>(p + 168));
  cp_restore(load<u64>(p + 64), load<u64>(p + 72), p + 80, load<u8>(p + 3) == 1, p + 112, load<u64>(p + 144));
  ev_new(EV_AUDIT_RESTARTED, OK);
  ev_ab(load<u64>(p + 56), next);
  ev_push();
}

export function audit_state_reset(): void {
  export_forget();
  audit_log_reset();
  cp_reset();
}
