/*
 * wasi_shim.c - the few WASI preview 1 functions iacsec.wasm imports, for a
 * native build made with wasm2c: fd_write to stdout/stderr, proc_exit, a
 * clock and entropy. A firmware port replaces this file with its own
 * (its console, its RTC, its hardware RNG); nothing else changes.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>

#include "iacsec_wasm.h"
#include "wasi_shim.h"

/* Declared here too, so the shim compiles whichever of them the module imports. */
u32 Z_wasi_snapshot_preview1Z_fd_write(struct Z_wasi_snapshot_preview1_instance_t *, u32, u32, u32, u32);
void Z_wasi_snapshot_preview1Z_proc_exit(struct Z_wasi_snapshot_preview1_instance_t *, u32);
u32 Z_wasi_snapshot_preview1Z_clock_time_get(struct Z_wasi_snapshot_preview1_instance_t *, u32, u64, u32);
u32 Z_wasi_snapshot_preview1Z_random_get(struct Z_wasi_snapshot_preview1_instance_t *, u32, u32);

#define WASI_ESUCCESS 0
#define WASI_EBADF 8
#define WASI_EFAULT 21
#define WASI_EINVAL 28
#define WASI_EIO 29

static int in_bounds(const wasm_rt_memory_t *m, uint64_t ptr, uint64_t len) {
  return ptr <= m->size && len <= m->size - ptr;
}

static uint32_t load_u32(const wasm_rt_memory_t *m, uint32_t at) {
  uint32_t v;
  memcpy(&v, m->data + at, 4); /* wasm memory is little-endian, as is every host we build for */
  return v;
}

u32 Z_wasi_snapshot_preview1Z_fd_write(struct Z_wasi_snapshot_preview1_instance_t *wasi, u32 fd, u32 iovs,
                                       u32 iovs_len, u32 nwritten) {
  const wasm_rt_memory_t *m = wasi->memory;
  if (fd != 1 && fd != 2) return WASI_EBADF;
  if (!in_bounds(m, iovs, (uint64_t)iovs_len * 8) || !in_bounds(m, nwritten, 4)) return WASI_EFAULT;
  uint32_t total = 0;
  for (uint32_t i = 0; i < iovs_len; i++) {
    uint32_t ptr = load_u32(m, iovs + i * 8), len = load_u32(m, iovs + i * 8 + 4);
    if (!in_bounds(m, ptr, len)) return WASI_EFAULT;
    for (uint32_t done = 0; done < len;) {
      ssize_t n = write((int)fd, m->data + ptr + done, len - done);
      if (n < 0) {
        if (errno == EINTR) continue;
        return WASI_EIO;
      }
      done += (uint32_t)n;
    }
    total += len;
  }
  memcpy(m->data + nwritten, &total, 4);
  return WASI_ESUCCESS;
}

void Z_wasi_snapshot_preview1Z_proc_exit(struct Z_wasi_snapshot_preview1_instance_t *wasi, u32 code) {
  (void)wasi;
  exit((int)code);
}

u32 Z_wasi_snapshot_preview1Z_clock_time_get(struct Z_wasi_snapshot_preview1_instance_t *wasi, u32 id,
                                             u64 precision, u32 out) {
  (void)precision;
  struct timespec ts;
  if (!in_bounds(wasi->memory, out, 8)) return WASI_EFAULT;
  if (clock_gettime(id == 0 ? CLOCK_REALTIME : id == 1 ? CLOCK_MONOTONIC : -1, &ts) != 0) return WASI_EINVAL;
  uint64_t ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
  memcpy(wasi->memory->data + out, &ns, 8);
  return WASI_ESUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_random_get(struct Z_wasi_snapshot_preview1_instance_t *wasi, u32 buf, u32 len) {
  if (!in_bounds(wasi->memory, buf, len)) return WASI_EFAULT;
  for (uint32_t done = 0; done < len;) {
    ssize_t n = getrandom(wasi->memory->data + buf + done, len - done, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return WASI_EIO;
    }
    done += (uint32_t)n;
  }
  return WASI_ESUCCESS;
}
