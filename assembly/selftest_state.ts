// Whether the power-on self-test (CR 3.3) has passed. Until it has, every
// export that computes with keys or data answers ERR_SELFTEST.

let passed: bool = false;
let failed_id: i32 = 0;

export function selftest_passed(): bool { return passed; }
export function selftest_failed_id(): i32 { return failed_id; }

export function selftest_record(id: i32): void {
  failed_id = id;
  passed = id == 0;
}
