// Fail-secure mode (CR 3.4, CR 7.3): entered when the stored state fails to
// load (missing although one existed, truncated, tampered, sealed with
// another key, or older than the platform's high-water mark). While it
// holds, nothing that changes security state is allowed: no installs, no
// trust changes, no provisioning, no state export (which would overwrite the
// damaged state with an empty one). It ends with a valid state import or an
// explicit recovery (iacsec_state_recover), both recorded as events.

let failsecure_on: bool = false;

export function failsecure(): bool { return failsecure_on; }
export function failsecure_set(on: bool): void { failsecure_on = on; }
