export function iacsec_abi_version(): i32 { return 1; }
