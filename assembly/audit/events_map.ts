// Every event queued with ev_push (firmware/events.ts) also becomes an audit
// record: its category and outcome follow from its type and status, and its
// fields go into the record's detail as a CBOR map (bindings/audit.cddl,
// event-detail): 1 event sequence number, 2 status, 3 a, 4 b, 5 key id,
// 6 anchor role, 7 component name.

import { OK, ERR_LOCKED, ERR_UNAUTHORIZED } from "../status";
import { cbor_put_head, cbor_put_int, cbor_put_str } from "./_cbor_out";
import { utf8_valid } from "../cbor/reader";
import {
  audit_append_internal, CAT_ACCESS_CONTROL, CAT_AUDIT_LOG, CAT_BACKUP_RESTORE, CAT_CONFIGURATION, CAT_INTEGRITY,
  CAT_REQUEST_ERROR, OUTCOME_SUCCESS, OUTCOME_FAILURE, OUTCOME_DENIED,
} from "./log";

// @ts-ignore: decorator
@lazy const DETAIL: usize = memory.data(160, 8);

/** The category of an event type (bindings/abi.ts EVENT_TYPES). */
export function event_category(t: u32): u32 {
  if (t == 9 || t == 11) return CAT_BACKUP_RESTORE;            // state imported / import rejected
  if (t == 3 || t == 4 || t == 5 || t == 8 || t == 12) return CAT_CONFIGURATION; // counters, anchors, provisioning, trust statements
  if (t >= 1 && t <= 31) return CAT_INTEGRITY;                  // firmware and boot checks, and the rest of 1..31
  if (t >= 32 && t <= 47) return t == 36 || t == 37 || t == 38 ? CAT_CONFIGURATION : CAT_AUDIT_LOG;
  if (t >= 48 && t <= 95) return CAT_ACCESS_CONTROL;
  return CAT_REQUEST_ERROR;
}

/** The outcome of an event: success for a non-negative status; an access-control refusal is "denied". */
export function event_outcome(t: u32, status: i32): u32 {
  if (status >= OK) return t == 2 || t == 7 || t == 11 || t == 12 ? OUTCOME_FAILURE : OUTCOME_SUCCESS;
  if ((t >= 48 && t <= 95) || status == ERR_LOCKED || status == ERR_UNAUTHORIZED) return OUTCOME_DENIED;
  return OUTCOME_FAILURE;
}

/** Appends the audit record of the event record at ev (IACSEC_EVENT_BYTES layout). */
export function audit_on_event(ev: usize): void {
  const t = <u32>load<u16>(ev);
  const status = <i32>load<i16>(ev + 2);
  const kid_len = <usize>load<u8>(ev + 24);
  const role = load<u8>(ev + 57);
  const comp_len = <usize>load<u8>(ev + 58);
  const a = load<u64>(ev + 8), b = load<u64>(ev + 16);
  let fields: u64 = 4;
  if (kid_len) fields++;
  if (role) fields++;
  if (comp_len) fields++;
  let p = DETAIL;
  p += cbor_put_head(p, 5, fields);
  p += cbor_put_head(p, 0, 1); p += cbor_put_head(p, 0, <u64>load<u32>(ev + 4));
  p += cbor_put_head(p, 0, 2); p += cbor_put_int(p, <i64>status);
  p += cbor_put_head(p, 0, 3); p += cbor_put_head(p, 0, a);
  p += cbor_put_head(p, 0, 4); p += cbor_put_head(p, 0, b);
  if (kid_len) { p += cbor_put_head(p, 0, 5); p += cbor_put_str(p, 2, ev + 25, kid_len > 32 ? 32 : kid_len); }
  if (role) { p += cbor_put_head(p, 0, 6); p += cbor_put_head(p, 0, <u64>role); }
  if (comp_len) { p += cbor_put_head(p, 0, 7); p += cbor_put_str(p, 2, ev + 59, comp_len > 64 ? 64 : comp_len); }
  // An access-control record names its subject account as the record's subject (CR 2.8, CR 2.12);
  // the acting account stays in the detail (key id). Names are UTF-8 by the accounts' own checks,
  // and a name that is not (a refused login's input) stays in the detail only.
  const comp = comp_len > 64 ? 64 : comp_len;
  const subject = t >= 48 && t <= 95 && comp > 0 && utf8_valid(ev + 59, comp) ? ev + 59 : 0;
  // The record is refused only under the reject policy, and then counted and reported.
  audit_append_internal(event_category(t), t, event_outcome(t, status), 0, 0, 0, 0, subject, subject ? comp : 0, DETAIL, p - DETAIL);
}

export { CAT_AUDIT_LOG };
