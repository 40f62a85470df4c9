/*
 * native_main.c - iacsec.wasm as a native program (wasm2c + gcc): the path a
 * firmware vendor takes on a gateway without a JavaScript engine.
 *
 *   iacsec-native selftest   run the power-on self-test (CR 3.3); exit 0 = pass
 *   iacsec-native info       ABI version, capabilities, I/O area
 *   iacsec-native sha256     SHA-256 of standard input, streamed through the module, in hex
 */
#include <stdio.h>
#include <string.h>

#include "iacsec.h"
#include "iacsec_wasm.h"
#include "wasi_shim.h"

static Z_iacsec_instance_t module;
static struct Z_wasi_snapshot_preview1_instance_t wasi;

static int selftest(int quiet) {
  int32_t status = (int32_t)Z_iacsecZ_iacsec_selftest(&module);
  if (status != IACSEC_OK) {
    fprintf(quiet ? stderr : stdout, "self-test FAILED at known-answer test %d (status %d)\n",
            (int)Z_iacsecZ_iacsec_selftest_failed(&module), (int)status);
    return 1;
  }
  if (!quiet) printf("self-test passed\n");
  return 0;
}

static int sha256_stdin(void) {
  uint32_t io = Z_iacsecZ_iacsec_io_ptr(&module), io_bytes = Z_iacsecZ_iacsec_io_bytes(&module);
  uint8_t *mem = Z_iacsecZ_memory(&module)->data;
  int32_t handle = (int32_t)Z_iacsecZ_iacsec_sha256_init(&module);
  if (handle <= 0) return fprintf(stderr, "sha256_init: status %d\n", (int)handle), 1;
  size_t n;
  while ((n = fread(mem + io, 1, io_bytes, stdin)) > 0) {
    int32_t status = (int32_t)Z_iacsecZ_iacsec_sha256_update(&module, (u32)handle, io, (u32)n);
    if (status != IACSEC_OK) return fprintf(stderr, "sha256_update: status %d\n", (int)status), 1;
  }
  int32_t status = (int32_t)Z_iacsecZ_iacsec_sha256_final(&module, (u32)handle, io);
  if (status != IACSEC_OK) return fprintf(stderr, "sha256_final: status %d\n", (int)status), 1;
  for (int i = 0; i < IACSEC_SHA256_BYTES; i++) printf("%02x", mem[io + i]);
  printf("\n");
  return 0;
}

int main(int argc, char **argv) {
  const char *command = argc > 1 ? argv[1] : "selftest";
  wasm_rt_init();
  Z_iacsec_init_module();
#if IACSEC_IMPORTS_WASI
  Z_iacsec_instantiate(&module, &wasi);
#else
  Z_iacsec_instantiate(&module);
#endif
  wasi.memory = Z_iacsecZ_memory(&module);
  Z_iacsecZ__initialize(&module);

  int rc;
  if (strcmp(command, "selftest") == 0) {
    rc = selftest(0);
  } else if (strcmp(command, "info") == 0) {
    printf("abi version %d\ncapabilities 0x%x\nio area %u bytes\n", (int)Z_iacsecZ_iacsec_abi_version(&module),
           (unsigned)Z_iacsecZ_iacsec_caps(&module), (unsigned)Z_iacsecZ_iacsec_io_bytes(&module));
    rc = 0;
  } else if (strcmp(command, "sha256") == 0) {
    rc = selftest(1) != 0 ? 1 : sha256_stdin();
  } else {
    fprintf(stderr, "usage: iacsec-native [selftest|info|sha256]\n");
    rc = 2;
  }
  Z_iacsec_free(&module);
  wasm_rt_free();
  return rc;
}
