/* wasi_shim.h - the WASI instance a wasm2c build of iacsec.wasm is given. */
#ifndef IACSEC_WASI_SHIM_H
#define IACSEC_WASI_SHIM_H

#include "wasm-rt.h"

struct Z_wasi_snapshot_preview1_instance_t {
  wasm_rt_memory_t *memory; /* the module's memory, set after instantiation */
};

#endif
