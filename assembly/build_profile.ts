// The build profile, fixed at compile time. The verify-only build
// (asconfig.verify.json) is compiled with `--use IACSEC_VERIFY_ONLY=1`; the
// full build defines nothing. Code behind `if (FULL_BUILD)` is not compiled
// into the verify-only module at all (access control, the audit log, and
// their sections of the sealed state).

// @ts-ignore: isDefined is a compile-time builtin
export const FULL_BUILD: bool = !isDefined(IACSEC_VERIFY_ONLY);
