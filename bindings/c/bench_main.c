/*
 * bench_main.c - the native benchmark harness: times the module's operations
 * in a wasm2c build on the inputs bench/ measures in Node, calling the
 * exports the way the Node host does (inputs copied into the I/O area, images
 * and long messages streamed through it in 64 KiB chunks, secrets wiped).
 *
 *   iacsec-bench flags               the compiler and flags this build was made with
 *   iacsec-bench check DIR           runs the case in DIR once and compares its answer; exit 0 = right
 *   iacsec-bench time DIR MS WARMUP  checks, warms up for WARMUP ms, then times single calls for
 *                                    at least MS ms (and one call); prints one JSON line
 *
 * DIR (written by bench/_native.js) holds meta.txt ("KIND PARAM N"), in0.bin ..
 * in<N-1>.bin and expect.bin.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "iacsec.h"
#include "iacsec_wasm.h"
#include "wasi_shim.h"

#ifndef IACSEC_BENCH_CC
#define IACSEC_BENCH_CC "unknown"
#endif
#ifndef IACSEC_BENCH_CFLAGS
#define IACSEC_BENCH_CFLAGS "unknown"
#endif

#define MAX_INPUTS 8
#define SAMPLE_CAP (1u << 20)
#define CHUNK 65536u

typedef struct {
  uint8_t *data;
  size_t len;
} blob_t;

static Z_iacsec_instance_t module;
static struct Z_wasi_snapshot_preview1_instance_t wasi;
static char kind[32];
static unsigned long param;
static int n_inputs;
static blob_t in[MAX_INPUTS], expect;
static uint8_t answer[64];
static size_t answer_len;

static int fail(const char *what, long status) {
  fprintf(stderr, "iacsec-bench: %s (%ld)\n", what, status);
  return 1;
}

static int read_blob(const char *dir, const char *name, blob_t *b) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "rb");
  if (!f) return fail(path, 0);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  b->len = n > 0 ? (size_t)n : 0;
  b->data = malloc(b->len ? b->len : 1);
  if (!b->data || fread(b->data, 1, b->len, f) != b->len) return fclose(f), fail(path, n);
  fclose(f);
  return 0;
}

static int load_case(const char *dir) {
  char path[4096];
  snprintf(path, sizeof path, "%s/meta.txt", dir);
  FILE *f = fopen(path, "r");
  if (!f) return fail(path, 0);
  int ok = fscanf(f, "%31s %lu %d", kind, &param, &n_inputs) == 3;
  fclose(f);
  if (!ok || n_inputs < 0 || n_inputs > MAX_INPUTS) return fail("meta.txt malformed", n_inputs);
  for (int i = 0; i < n_inputs; i++) {
    char name[32];
    snprintf(name, sizeof name, "in%d.bin", i);
    if (read_blob(dir, name, &in[i])) return 1;
  }
  return read_blob(dir, "expect.bin", &expect);
}

static void instantiate(Z_iacsec_instance_t *m) {
#if IACSEC_IMPORTS_WASI
  Z_iacsec_instantiate(m, &wasi);
#else
  Z_iacsec_instantiate(m);
#endif
  wasi.memory = Z_iacsecZ_memory(m);
  Z_iacsecZ__initialize(m);
}

static uint8_t *mem(void) { return Z_iacsecZ_memory(&module)->data; }
static uint32_t io_ptr(void) { return Z_iacsecZ_iacsec_io_ptr(&module); }

/* Places buffers in the I/O area one after another, 16-byte aligned, as the Node host's Arena does. */
static uint32_t arena_used;
static uint32_t arena_put(const uint8_t *p, size_t n) {
  uint32_t at = io_ptr() + arena_used;
  if (p && n) memcpy(mem() + at, p, n);
  arena_used += (uint32_t)((n + 15) & ~(size_t)15);
  return at;
}
static void arena_wipe(void) {
  memset(mem() + io_ptr(), 0, arena_used);
  arena_used = 0;
}

static int32_t hash(int wide) {
  size_t out_len = wide ? 64 : 32;
  const blob_t *m = &in[0];
  uint32_t io = io_ptr();
  int32_t status;
  if (m->len + out_len <= IACSEC_IO_BYTES) {
    arena_used = 0;
    uint32_t out = arena_put(NULL, out_len), msg = arena_put(m->data, m->len);
    status = (int32_t)(wide ? Z_iacsecZ_iacsec_sha512(&module, out, msg, (u32)m->len)
                            : Z_iacsecZ_iacsec_sha256(&module, out, msg, (u32)m->len));
    memcpy(answer, mem() + out, out_len);
  } else {
    int32_t h = (int32_t)(wide ? Z_iacsecZ_iacsec_sha512_init(&module) : Z_iacsecZ_iacsec_sha256_init(&module));
    if (h <= 0) return h;
    for (size_t off = 0; off < m->len; off += CHUNK) {
      size_t n = m->len - off < CHUNK ? m->len - off : CHUNK;
      memcpy(mem() + io, m->data + off, n);
      status = (int32_t)(wide ? Z_iacsecZ_iacsec_sha512_update(&module, (u32)h, io, (u32)n)
                              : Z_iacsecZ_iacsec_sha256_update(&module, (u32)h, io, (u32)n));
      if (status != IACSEC_OK) return status;
    }
    status = (int32_t)(wide ? Z_iacsecZ_iacsec_sha512_final(&module, (u32)h, io) : Z_iacsecZ_iacsec_sha256_final(&module, (u32)h, io));
    memcpy(answer, mem() + io, out_len);
  }
  answer_len = out_len;
  return status;
}

static int32_t firmware_ready;
static int32_t firmware_setup(void) {
  /* in: vendor, class, kid, public key, manifest, image. Provision once: device, one supplier anchor. */
  arena_used = 0;
  uint32_t vendor = arena_put(in[0].data, 16), class_id = arena_put(in[1].data, 16);
  int32_t s = (int32_t)Z_iacsecZ_iacsec_device_set(&module, vendor, class_id);
  if (s != IACSEC_OK) return s;
  arena_used = 0;
  uint32_t kid = arena_put(in[2].data, in[2].len), pk = arena_put(in[3].data, in[3].len);
  s = (int32_t)Z_iacsecZ_iacsec_anchor_add_supplier(&module, kid, (u32)in[2].len, pk, (u32)in[3].len, (u32)IACSEC_COSE_ALG_EDDSA);
  if (s != IACSEC_OK) return s;
  s = (int32_t)Z_iacsecZ_iacsec_provisioning_close(&module);
  arena_wipe();
  firmware_ready = 1;
  return s;
}

static int32_t firmware_check(void) {
  uint32_t io = io_ptr();
  const blob_t *manifest = &in[4], *image = &in[5];
  static const char slot[] = "firmware";   /* the component the benchmark's manifest is signed for */
  uint32_t slot_at = io + (((uint32_t)manifest->len + 15u) & ~15u);
  memcpy(mem() + io, manifest->data, manifest->len);
  memcpy(mem() + slot_at, slot, sizeof slot - 1);
  int32_t s = (int32_t)Z_iacsecZ_iacsec_fw_begin(&module, io, (u32)manifest->len, slot_at, (u32)(sizeof slot - 1), IACSEC_FW_BOOT);
  if (s != IACSEC_OK) return s;
  for (size_t off = 0; off < image->len; off += CHUNK) {
    size_t n = image->len - off < CHUNK ? image->len - off : CHUNK;
    memcpy(mem() + io, image->data + off, n);
    s = (int32_t)Z_iacsecZ_iacsec_fw_update(&module, io, (u32)n);
    if (s != IACSEC_OK) return Z_iacsecZ_iacsec_fw_abort(&module), s;
  }
  s = (int32_t)Z_iacsecZ_iacsec_fw_finish(&module);
  memset(mem() + io, 0, CHUNK);
  /* Drain the decision records, as the host does after every operation. */
  while ((int32_t)Z_iacsecZ_iacsec_event_next(&module, io) == IACSEC_OK) {}
  return s;
}

/* Access control. The clock every case runs at: 2026-12-03 09:00 UTC, in ms (as bench/ops/access.js). */
#define ACCESS_NOW 1796288400000ull
static int32_t access_ready;
static uint8_t session_id[16];

/* in: profile record, user, password, source. Sets the profile, provisions the account (param: for authorize, a login too). */
static int32_t access_setup(int with_session) {
  arena_used = 0;
  uint32_t sid = arena_put(NULL, 16), prof = arena_put(in[0].data, in[0].len);
  memset(mem() + sid, 0, 16);
  int32_t s = (int32_t)Z_iacsecZ_iacsec_auth_profile_set(&module, sid, prof, ACCESS_NOW);
  if (s != IACSEC_OK) return s;
  arena_used = 0;
  uint32_t user = arena_put(in[1].data, in[1].len), pw = arena_put(in[2].data, in[2].len);
  s = (int32_t)Z_iacsecZ_iacsec_auth_provision(&module, user, (u32)in[1].len, pw, (u32)in[2].len, 0, ACCESS_NOW);
  if (s == IACSEC_OK && with_session) {
    uint32_t out = arena_put(NULL, 16), src = arena_put(in[3].data, in[3].len);
    s = (int32_t)Z_iacsecZ_iacsec_auth_login(&module, out, user, (u32)in[1].len, pw, (u32)in[2].len, pw, 0, src, (u32)in[3].len, 0, ACCESS_NOW);
    memcpy(session_id, mem() + out, 16);
  }
  arena_wipe();
  while ((int32_t)Z_iacsecZ_iacsec_event_next(&module, io_ptr()) == IACSEC_OK) {}
  access_ready = 1;
  return s;
}

/* A login and its logout, inputs in the I/O area, the event records drained, as the host does. */
static int32_t login_once(void) {
  arena_used = 0;
  uint32_t out = arena_put(NULL, 16), user = arena_put(in[1].data, in[1].len), pw = arena_put(in[2].data, in[2].len),
           src = arena_put(in[3].data, in[3].len);
  int32_t s = (int32_t)Z_iacsecZ_iacsec_auth_login(&module, out, user, (u32)in[1].len, pw, (u32)in[2].len, pw, 0, src, (u32)in[3].len, 0,
                                                  ACCESS_NOW);
  if (s == IACSEC_OK) s = (int32_t)Z_iacsecZ_iacsec_auth_logout(&module, out, ACCESS_NOW);
  arena_wipe();
  while ((int32_t)Z_iacsecZ_iacsec_event_next(&module, io_ptr()) == IACSEC_OK) {}
  return s;
}

/* in: 4-byte addresses. Each is admitted once; those the table holds (its SipHash key is this process's own,
 * so a few may meet a full set and are left out) are then checked in turn. */
static uint32_t rl_next, rl_count;
static int32_t ratelimit_setup(void) {
  arena_used = 0;
  uint32_t sid = arena_put(NULL, 16);
  memset(mem() + sid, 0, 16);
  int32_t s = (int32_t)Z_iacsecZ_iacsec_ratelimit_config(&module, sid, 1000000u, 1000000u, 0, 0, ACCESS_NOW);
  arena_wipe();
  if (s != IACSEC_OK) return s;
  rl_count = 0;
  for (uint32_t i = 0; i < (uint32_t)(in[0].len / 4); i++) {
    memcpy(mem() + io_ptr(), in[0].data + 4 * i, 4);
    s = (int32_t)Z_iacsecZ_iacsec_ratelimit_check(&module, io_ptr(), 4, ACCESS_NOW);
    if (s == IACSEC_OK) memmove(in[0].data + 4 * rl_count++, in[0].data + 4 * i, 4);
    else if (s != IACSEC_ERR_LOCKED) return s;
  }
  while ((int32_t)Z_iacsecZ_iacsec_event_next(&module, io_ptr()) == IACSEC_OK) {}
  access_ready = 1;
  return rl_count ? IACSEC_OK : IACSEC_ERR_FULL;
}

/* Audit append: in = device secret, interface, peer, subject, detail. The device key is set once
 * (checkpoints every 256 records are signed with it); the host acknowledges every 1,024 records,
 * as a drained log does, so no append overwrites an unacknowledged record. */
static int32_t audit_ready;
static uint64_t audit_appended;
static int32_t audit_append(void) {
  uint32_t io = io_ptr();
  if (!audit_ready) {
    memcpy(mem() + io, in[0].data, 32);
    int32_t s = (int32_t)Z_iacsecZ_iacsec_device_key_set(&module, io);
    memset(mem() + io, 0, 32);
    if (s != IACSEC_OK) return s;
    audit_ready = 1;
  }
  arena_used = 0;
  uint32_t seq = arena_put(NULL, 8);
  uint32_t f[4];
  for (int i = 0; i < 4; i++) f[i] = arena_put(in[1 + i].data, in[1 + i].len);
  int32_t s = (int32_t)Z_iacsecZ_iacsec_audit_append(&module, seq, 1, 200, 0, f[0], (u32)in[1].len, f[1], (u32)in[2].len,
                                                      f[2], (u32)in[3].len, f[3], (u32)in[4].len);
  if (s == IACSEC_OK && (++audit_appended & 1023) == 0) {
    uint64_t next;
    memcpy(&next, mem() + seq, 8);
    next++;
    memcpy(mem() + seq, &next, 8);
    s = (int32_t)Z_iacsecZ_iacsec_audit_ack(&module, seq);
  }
  while ((int32_t)Z_iacsecZ_iacsec_event_next(&module, io) == IACSEC_OK) {}
  return s;
}

/* Audit drain: 1,000 appends, the export from the first unacknowledged record to its signed closing
 * checkpoint (in chunks through the I/O area, as the host reads it), then the acknowledgement. */
static int32_t audit_drain(void) {
  for (int i = 0; i < 1000; i++) {
    int32_t s = audit_append();
    if (s != IACSEC_OK) return s;
  }
  uint32_t io = io_ptr(), cur = io, out = io + 16;
  uint64_t cursor = 0;
  uint32_t flags;
  do {
    memcpy(mem() + cur, &cursor, 8);
    int32_t s = (int32_t)Z_iacsecZ_iacsec_audit_export(&module, out, IACSEC_IO_BYTES - 16, cur);
    if (s == IACSEC_END) break;
    if (s != IACSEC_OK) return s;
    memcpy(&cursor, mem() + cur, 8);
    memcpy(&flags, mem() + cur + 12, 4);
  } while (flags & 1);
  memcpy(mem() + cur, &cursor, 8);
  int32_t s = (int32_t)Z_iacsecZ_iacsec_audit_ack(&module, cur);
  while ((int32_t)Z_iacsecZ_iacsec_event_next(&module, io) == IACSEC_OK) {}
  return s;
}

/* State export: in = sealing key. One sealed, encrypted blob of the whole state (every section,
 * HMAC-SHA256 then ChaCha20 over about 39 KB), as the host writes it on every save. */
static int32_t state_ready;
static int32_t state_export(void) {
  uint32_t io = io_ptr();
  if (!state_ready) {
    memcpy(mem() + io, in[0].data, 32);
    int32_t s = (int32_t)Z_iacsecZ_iacsec_state_seal_key(&module, io);
    memset(mem() + io, 0, 32);
    if (s != IACSEC_OK) return s;
    state_ready = 1;
  }
  int32_t n = (int32_t)Z_iacsecZ_iacsec_state_export(&module, io, IACSEC_IO_BYTES);
  return n > 1 ? IACSEC_OK : n;
}

/* One call of the case's operation; its output (if any) goes to answer. */
static int32_t call(void) {
  answer_len = 0;
  if (strcmp(kind, "sha256") == 0) return hash(0);
  if (strcmp(kind, "sha512") == 0) return hash(1);
  int32_t s;
  arena_used = 0;
  if (strcmp(kind, "hmac_sha256") == 0) {
    uint32_t out = arena_put(NULL, 32), k = arena_put(in[0].data, in[0].len), m = arena_put(in[1].data, in[1].len);
    s = (int32_t)Z_iacsecZ_iacsec_hmac_sha256(&module, out, k, (u32)in[0].len, m, (u32)in[1].len);
    memcpy(answer, mem() + out, answer_len = 32);
  } else if (strcmp(kind, "pbkdf2_sha256") == 0) {
    uint32_t out = arena_put(NULL, 32), p = arena_put(in[0].data, in[0].len), salt = arena_put(in[1].data, in[1].len);
    s = (int32_t)Z_iacsecZ_iacsec_pbkdf2_sha256(&module, out, 32, p, (u32)in[0].len, salt, (u32)in[1].len, (u32)param);
    memcpy(answer, mem() + out, answer_len = 32);
  } else if (strcmp(kind, "hkdf_sha256") == 0) {
    size_t len = param <= sizeof answer ? param : sizeof answer;
    uint32_t out = arena_put(NULL, len), k = arena_put(in[0].data, in[0].len), salt = arena_put(in[1].data, in[1].len),
             info = arena_put(in[2].data, in[2].len);
    s = (int32_t)Z_iacsecZ_iacsec_hkdf_sha256(&module, out, (u32)len, k, (u32)in[0].len, salt, (u32)in[1].len, info, (u32)in[2].len);
    memcpy(answer, mem() + out, answer_len = len);
  } else if (strcmp(kind, "ed25519_verify") == 0) {
    uint32_t pk = arena_put(in[0].data, 32), sig = arena_put(in[2].data, 64), m = arena_put(in[1].data, in[1].len);
    return (int32_t)Z_iacsecZ_iacsec_ed25519_verify(&module, pk, m, (u32)in[1].len, sig);
  } else if (strcmp(kind, "ed25519_sign") == 0) {
    uint32_t out = arena_put(NULL, 64), seed = arena_put(in[0].data, 32), m = arena_put(in[1].data, in[1].len);
    s = (int32_t)Z_iacsecZ_iacsec_ed25519_sign(&module, out, seed, m, (u32)in[1].len);
    memcpy(answer, mem() + out, answer_len = 64);
  } else if (strcmp(kind, "p256_verify") == 0) {
    uint32_t pk = arena_put(in[0].data, in[0].len), sig = arena_put(in[2].data, in[2].len), m = arena_put(in[1].data, in[1].len);
    return (int32_t)Z_iacsecZ_iacsec_p256_verify(&module, pk, (u32)in[0].len, m, (u32)in[1].len, sig, (u32)in[2].len,
                                                 IACSEC_P256_FORMAT_RAW);
  } else if (strcmp(kind, "selftest") == 0) {
    return (int32_t)Z_iacsecZ_iacsec_selftest(&module);
  } else if (strcmp(kind, "cold_start") == 0) {
    /* A second instance, made, self-tested and freed: what a process start pays. */
    static Z_iacsec_instance_t fresh;
    instantiate(&fresh);
    s = (int32_t)Z_iacsecZ_iacsec_selftest(&fresh);
    Z_iacsec_free(&fresh);
    wasi.memory = Z_iacsecZ_memory(&module);
    return s;
  } else if (strcmp(kind, "login") == 0) {
    if (!access_ready && (s = access_setup(0)) != IACSEC_OK) return s;
    return login_once();
  } else if (strcmp(kind, "authorize") == 0) {
    if (!access_ready && (s = access_setup(1)) != IACSEC_OK) return s;
    memcpy(mem() + io_ptr(), session_id, 16);
    return (int32_t)Z_iacsecZ_iacsec_auth_authorize(&module, io_ptr(), (u32)param, ACCESS_NOW);
  } else if (strcmp(kind, "ratelimit") == 0) {
    if (!access_ready && (s = ratelimit_setup()) != IACSEC_OK) return s;
    memcpy(mem() + io_ptr(), in[0].data + 4 * rl_next, 4);
    rl_next = rl_next + 1 == rl_count ? 0 : rl_next + 1;
    return (int32_t)Z_iacsecZ_iacsec_ratelimit_check(&module, io_ptr(), 4, ACCESS_NOW);
  } else if (strcmp(kind, "totp") == 0) {
    uint32_t out = arena_put(NULL, 4), k = arena_put(in[0].data, in[0].len);
    s = (int32_t)Z_iacsecZ_iacsec_totp_generate(&module, out, k, (u32)in[0].len, IACSEC_OTP_SHA1, 6, 30, (u64)param);
    memcpy(answer, mem() + out, answer_len = 4);
  } else if (strcmp(kind, "audit_append") == 0) {
    return audit_append();
  } else if (strcmp(kind, "audit_drain") == 0) {
    return audit_drain();
  } else if (strcmp(kind, "state_export") == 0) {
    return state_export();
  } else if (strcmp(kind, "firmware") == 0) {
    if (!firmware_ready && (s = firmware_setup()) != IACSEC_OK) return s;
    return firmware_check();
  } else {
    fprintf(stderr, "iacsec-bench: unknown kind %s\n", kind);
    return IACSEC_ERR_UNSUPPORTED;
  }
  arena_wipe();
  return s;
}

static int check(void) {
  int32_t s = call();
  if (s != IACSEC_OK) return fail(kind, s);
  if (answer_len != expect.len || memcmp(answer, expect.data, answer_len) != 0) return fail("wrong answer", (long)answer_len);
  return 0;
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double pick(const double *sorted, size_t n, double p) {
  size_t rank = (size_t)(p * (double)n + 0.999999);
  if (rank < 1) rank = 1;
  if (rank > n) rank = n;
  return sorted[rank - 1];
}

static int time_case(double ms, double warmup_ms) {
  if (check()) return 1;
  double start = now_s();
  while ((now_s() - start) * 1e3 < warmup_ms) call();
  double *samples = malloc(SAMPLE_CAP * sizeof *samples);
  if (!samples) return fail("out of memory", 0);
  size_t calls = 0;
  start = now_s();
  double t = start;
  while ((t - start) * 1e3 < ms || calls < 1) {
    double a = now_s();
    int32_t s = call();
    t = now_s();
    if (s != IACSEC_OK) return free(samples), fail(kind, s);
    if (calls < SAMPLE_CAP) samples[calls] = t - a;
    calls++;
  }
  size_t n = calls < SAMPLE_CAP ? calls : SAMPLE_CAP;
  qsort(samples, n, sizeof *samples, cmp_double);
  printf("{\"calls\":%zu,\"seconds\":%.9f,\"p50us\":%.4f,\"p99us\":%.4f}\n", calls, t - start, pick(samples, n, 0.5) * 1e6,
         pick(samples, n, 0.99) * 1e6);
  free(samples);
  return 0;
}

int main(int argc, char **argv) {
  const char *command = argc > 1 ? argv[1] : "";
  if (strcmp(command, "flags") == 0) {
    printf("{\"cc\":\"%s\",\"cflags\":\"%s\"}\n", IACSEC_BENCH_CC, IACSEC_BENCH_CFLAGS);
    return 0;
  }
  int timing = strcmp(command, "time") == 0 && argc == 5;
  if (!timing && !(strcmp(command, "check") == 0 && argc == 3)) {
    fprintf(stderr, "usage: iacsec-bench flags | check DIR | time DIR MS WARMUP_MS\n");
    return 2;
  }
  if (load_case(argv[2])) return 1;
  wasm_rt_init();
  Z_iacsec_init_module();
  instantiate(&module);
  int32_t s = (int32_t)Z_iacsecZ_iacsec_selftest(&module);
  int rc = s != IACSEC_OK ? fail("self-test", s) : timing ? time_case(atof(argv[3]), atof(argv[4])) : check();
  Z_iacsec_free(&module);
  wasm_rt_free();
  return rc;
}
