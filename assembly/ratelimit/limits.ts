// Size of the rate-limit table (IACSEC_RL_SOURCES_MAX = sets x ways).

/** Sets of the source table; a source's set is chosen by its keyed hash. */
export const RL_SETS: u32 = 1280;
/** Records per set. */
export const RL_WAYS: u32 = 8;
/** Sources tracked at once. */
export const RL_SOURCES_MAX: u32 = RL_SETS * RL_WAYS;
/** Bytes per record: key (63 bits and a "limited" flag) and the theoretical arrival time. */
export const RL_ENTRY_BYTES: u32 = 16;
