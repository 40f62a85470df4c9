import {
  audit_append_internal, audit_next_seq, audit_last_seq, audit_head, audit_ack_seq, audit_configure, audit_unacked,
  audit_lost_total, chain_step, CAT_ACCESS_CONTROL, CAT_INTEGRITY, CAT_AUDIT_LOG, OUTCOME_SUCCESS, OUTCOME_DENIED,
  POLICY_REJECT, POLICY_OVERWRITE,
} from "../../assembly/audit/log";
import { audit_state_bytes, audit_state_write, audit_state_valid, audit_state_read, audit_state_reset } from "../../assembly/audit/state";
import { audit_export, audit_export_ack } from "../../assembly/audit/export";
import { event_category, event_outcome } from "../../assembly/audit/events_map";
import { ring_used } from "../../assembly/audit/_ring";
import { AUDIT_RING_BYTES, AUDIT_SEQ_LEASE } from "../../assembly/audit/limits";
import { put_b64, put_dec } from "../../assembly/audit/_text";
import { cbor_put_head } from "../../assembly/audit/_cbor_out";
import { device_key_set, device_key_wipe } from "../../assembly/device/key";
import { OK, END, ERR_INVALID, ERR_LENGTH, ERR_MALFORMED, ERR_AUDIT_FULL, ERR_AUDIT_CURSOR, ERR_AUDIT_STALE } from "../../assembly/status";

const A: usize = memory.data(512, 16);
const S1: usize = memory.data(256, 16);
const S2: usize = memory.data(256, 16);
const OUT: usize = memory.data(65536, 16);
const CUR: usize = memory.data(16, 8);
const H: usize = memory.data(32, 8);

function add(n: i32, detail: usize = 20): void {
  for (let i = 0; i < n; i++) {
    expect(audit_append_internal(CAT_ACCESS_CONTROL, 100, OUTCOME_SUCCESS, A, 0, A, 0, A, 0, A, detail)).toBe(OK);
  }
}

describe("text helpers", () => {
  it("base64 pads as RFC 4648 section 10 says", () => {
    memory.copy(A, changetype<usize>(String.UTF8.encode("foobar")), 6);
    expect(put_b64(S1, A, 0)).toBe(0);
    expect(put_b64(S1, A, 1)).toBe(4);
    expect(String.UTF8.decodeUnsafe(S1, 4)).toBe("Zg==");
    put_b64(S1, A, 2); expect(String.UTF8.decodeUnsafe(S1, 4)).toBe("Zm8=");
    put_b64(S1, A, 6); expect(String.UTF8.decodeUnsafe(S1, 8)).toBe("Zm9vYmFy");
  });
  it("decimal of 0 and of 2^64 - 1", () => {
    expect(put_dec(S1, 0)).toBe(1);
    const n = put_dec(S1, 0xffff_ffff_ffff_ffff);
    expect(String.UTF8.decodeUnsafe(S1, n)).toBe("18446744073709551615");
  });
  it("CBOR heads in the shortest form", () => {
    expect(cbor_put_head(S1, 0, 23)).toBe(1);
    expect(cbor_put_head(S1, 0, 24)).toBe(2);
    expect(cbor_put_head(S1, 0, 255)).toBe(2);
    expect(cbor_put_head(S1, 0, 256)).toBe(3);
    expect(cbor_put_head(S1, 0, 65536)).toBe(5);
    expect(cbor_put_head(S1, 0, 0x1_0000_0000)).toBe(9);
  });
});

describe("records and chain", () => {
  it("checks every field before anything changes", () => {
    audit_state_reset();
    expect(audit_append_internal(0, 100, 0, A, 0, A, 0, A, 0, A, 0)).toBe(ERR_INVALID);
    expect(audit_append_internal(9, 100, 0, A, 0, A, 0, A, 0, A, 0)).toBe(ERR_INVALID);
    expect(audit_append_internal(1, 100, 3, A, 0, A, 0, A, 0, A, 0)).toBe(ERR_INVALID);
    expect(audit_append_internal(1, 100, 0, A, 65, A, 0, A, 0, A, 0)).toBe(ERR_LENGTH);
    expect(audit_append_internal(1, 100, 0, A, 0, A, 0, A, 0, A, 257)).toBe(ERR_LENGTH);
    store<u8>(A, 0xff);
    expect(audit_append_internal(1, 100, 0, A, 1, A, 0, A, 0, A, 0)).toBe(ERR_MALFORMED);
    expect(audit_next_seq()).toBe(1);
    expect(ring_used()).toBe(0);
  });
  it("numbers records from 1 and moves the chain head on each", () => {
    audit_state_reset();
    memory.fill(H, 0, 32);
    add(1);
    expect(audit_last_seq()).toBe(1);
    expect(audit_next_seq()).toBe(2);
    expect(memory.compare(H, audit_head(), 32)).not.toBe(0);
  });
  it("keeps working across many wraps of the ring", () => {
    audit_state_reset();
    add(<i32>(AUDIT_RING_BYTES / 10), 200);
    expect(ring_used() <= <u64>AUDIT_RING_BYTES).toBe(true);
    expect(audit_lost_total() > 0).toBe(true);
    expect(audit_last_seq() > <u64>(AUDIT_RING_BYTES / 10)).toBe(true);
  });
  it("reject policy refuses non-critical records once full, never critical ones", () => {
    audit_state_reset();
    expect(audit_configure(POLICY_REJECT, 80, 256)).toBe(OK);
    let st = OK;
    for (let i = 0; i < 100000 && st == OK; i++) st = audit_append_internal(CAT_ACCESS_CONTROL, 100, 0, A, 0, A, 0, A, 0, A, 100);
    expect(st).toBe(ERR_AUDIT_FULL);
    expect(audit_append_internal(CAT_INTEGRITY, 100, 0, A, 0, A, 0, A, 0, A, 100)).toBe(OK);
    expect(audit_append_internal(CAT_AUDIT_LOG, 100, 0, A, 0, A, 0, A, 0, A, 100)).toBe(OK);
    expect(audit_lost_total()).toBe(0);
    expect(audit_configure(POLICY_OVERWRITE, 80, 256)).toBe(OK);
  });
  it("refuses a configuration out of range", () => {
    expect(audit_configure(2, 80, 256)).toBe(ERR_INVALID);
    expect(audit_configure(0, 0, 256)).toBe(ERR_INVALID);
    expect(audit_configure(0, 101, 256)).toBe(ERR_INVALID);
    expect(audit_configure(0, 80, 0)).toBe(ERR_INVALID);
    expect(audit_configure(0, 80, 65536)).toBe(ERR_INVALID);
  });
});

describe("events map to categories and outcomes", () => {
  it("firmware, state, audit and access-control types", () => {
    expect(event_category(1)).toBe(CAT_INTEGRITY);
    expect(event_category(9)).toBe(4);
    expect(event_category(4)).toBe(5);
    expect(event_category(32)).toBe(CAT_AUDIT_LOG);
    expect(event_category(48)).toBe(CAT_ACCESS_CONTROL);
    expect(event_category(95)).toBe(CAT_ACCESS_CONTROL);
    expect(event_outcome(2, -16)).toBe(1);
    expect(event_outcome(60, -5)).toBe(OUTCOME_DENIED);
    expect(event_outcome(1, 0)).toBe(OUTCOME_SUCCESS);
  });
});

describe("export and acknowledgement", () => {
  it("needs the device key, refuses future and stale cursors", () => {
    audit_state_reset();
    device_key_wipe();
    add(10);
    store<u64>(CUR, 0);
    expect(audit_export(OUT, 65536, CUR)).toBe(-7);
    memory.fill(A, 7, 32);
    expect(device_key_set(A)).toBe(OK);
    store<u64>(CUR, 100);
    expect(audit_export(OUT, 65536, CUR)).toBe(ERR_AUDIT_CURSOR);
    store<u64>(CUR, 0);
    expect(audit_export(OUT, 65536, CUR)).toBe(OK);
    const next = load<u64>(CUR);
    expect(load<u32>(CUR + 12)).toBe(0);
    expect(audit_export_ack(next)).toBe(OK);
    expect(audit_ack_seq()).toBe(next);
    expect(audit_unacked()).toBe(0);
    store<u64>(CUR, 2);
    expect(audit_export(OUT, 65536, CUR)).toBe(ERR_AUDIT_STALE);
    expect(load<u64>(CUR)).toBe(next);
    store<u64>(CUR, next);
    expect(audit_export(OUT, 65536, CUR)).toBe(END);
    device_key_wipe();
  });
});

describe("state section", () => {
  it("round-trips, resumes numbering after the lease, and records the restart", () => {
    audit_state_reset();
    add(5);
    const n = audit_state_bytes();
    expect(n).toBe(192);
    audit_state_write(S1);
    expect(audit_state_valid(S1)).toBe(true);
    const next = audit_next_seq();
    memory.copy(H, audit_head(), 32);
    audit_state_reset();
    expect(audit_next_seq()).toBe(1);
    audit_state_read(S1);
    // The restart record itself took the first number after the lease.
    expect(audit_last_seq()).toBe(next + AUDIT_SEQ_LEASE);
    expect(audit_ack_seq()).toBe(next);
    // The chain continues from the persisted head (one record since).
    memory.copy(S2, H, 32);
    expect(memory.compare(H, audit_head(), 32)).not.toBe(0);
  });
  it("refuses a section with any field out of range", () => {
    audit_state_reset();
    add(3);
    audit_state_write(S1);
    const offsets: i32[] = [0, 1, 2, 3, 4, 8, 16, 56, 72, 176, 191];
    const values: u8[] = [2, 2, 0, 2, 0, 0, 0xff, 0xff, 0xff, 1, 1];
    for (let i = 0; i < offsets.length; i++) {
      memory.copy(S2, S1, 192);
      if (offsets[i] == 4) store<u32>(S2 + 4, 0);
      else if (offsets[i] == 8) store<u64>(S2 + 8, 0);
      else if (offsets[i] == 16) store<u64>(S2 + 16, 100);
      else if (offsets[i] == 56) store<u64>(S2 + 56, 100);
      else if (offsets[i] == 72) store<u64>(S2 + 72, 50);
      else store<u8>(S2 + <usize>offsets[i], values[i]);
      expect(audit_state_valid(S2)).toBe(false);
    }
    memory.copy(S2, S1, 192);
    store<u64>(S2 + 8, 0xffff_ffff_ffff_fff0);
    expect(audit_state_valid(S2)).toBe(false);
    memory.copy(S2, S1, 192);
    expect(audit_state_valid(S2)).toBe(true);
  });
});
