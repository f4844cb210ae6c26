/*
 * hash.c — hash functions over strings and a generated 4 KiB buffer: FNV-1a (32 and 64 bit),
 * CRC-32 (table built at run time), Adler-32, djb2 and a multiply-xorshift mixer; checks
 * CRC-32 and FNV-1a against their published values for "123456789" (exit 1 if wrong).
 */
#include "lib.h"

static u32 crc_table[256];

static void crc32_init(void) {
  for (u32 i = 0; i < 256; i++) {
    u32 c = i;
    for (int k = 0; k < 8; k++) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
    crc_table[i] = c;
  }
}

static u32 crc32(const u8 *p, size_t n) {
  u32 c = 0xffffffffu;
  while (n--) c = crc_table[(c ^ *p++) & 0xff] ^ (c >> 8);
  return c ^ 0xffffffffu;
}

static u32 fnv1a32(const u8 *p, size_t n) {
  u32 h = 2166136261u;
  while (n--) h = (h ^ *p++) * 16777619u;
  return h;
}

static u64 fnv1a64(const u8 *p, size_t n) {
  u64 h = 14695981039346656037ul;
  while (n--) h = (h ^ *p++) * 1099511628211ul;
  return h;
}

static u32 adler32(const u8 *p, size_t n) {
  u32 a = 1, b = 0;
  while (n--) {
    a = (a + *p++) % 65521u;
    b = (b + a) % 65521u;
  }
  return (b << 16) | a;
}

static u64 djb2(const u8 *p, size_t n) {
  u64 h = 5381;
  while (n--) h = h * 33 + *p++;
  return h;
}

static u64 mix64(const u8 *p, size_t n) {
  u64 h = 0x243f6a8885a308d3ul ^ n;
  for (size_t i = 0; i + 8 <= n; i += 8) {
    u64 w = 0;
    for (int k = 7; k >= 0; k--) w = (w << 8) | p[i + (size_t)k];
    h ^= w;
    h *= 0xff51afd7ed558ccdul;
    h ^= h >> 33;
  }
  for (size_t i = n & ~(size_t)7; i < n; i++) h = (h ^ p[i]) * 0xc4ceb9fe1a85ec53ul;
  return h ^ (h >> 29);
}

static u8 buffer[4096];

static void report(const char *name, int quoted, const u8 *p, size_t n) {
  if (quoted) uart_putc('"');
  uart_puts(name);
  if (quoted) uart_putc('"');
  uart_puts(" (");
  put_udec(n);
  uart_puts(" bytes): crc32 ");
  put_hex(crc32(p, n), 8);
  uart_puts(" fnv32 ");
  put_hex(fnv1a32(p, n), 8);
  uart_puts(" fnv64 ");
  put_hex(fnv1a64(p, n), 16);
  uart_puts(" adler ");
  put_hex(adler32(p, n), 8);
  uart_puts(" djb2 ");
  put_hex(djb2(p, n), 16);
  uart_puts(" mix ");
  put_hex(mix64(p, n), 16);
  uart_putc('\n');
}

int main(void) {
  static const char *const strings[] = {
    "", "a", "abc", "123456789", "message digest",
    "The quick brown fox jumps over the lazy dog",
    "RISC-V RV64IMAC with cross-process calls",
  };
  crc32_init();
  for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++) {
    report(strings[i], 1, (const u8 *)strings[i], strlen(strings[i]));
  }
  u64 seed = 12345;
  for (size_t i = 0; i < sizeof buffer; i++) buffer[i] = (u8)(rand64(&seed) >> 56);
  report("buffer", 0, buffer, sizeof buffer);
  /* unaligned starts and odd lengths */
  report("buffer+1", 0, buffer + 1, 1021);
  report("buffer+7", 0, buffer + 7, 3);

  const u8 *check = (const u8 *)"123456789";
  int ok = crc32(check, 9) == 0xcbf43926u && fnv1a32(check, 9) == 0xbb86b11cu
      && fnv1a64(check, 9) == 0x06d5573923c6cdfcul && adler32(check, 9) == 0x091e01deu;
  uart_puts(ok ? "hash: ok\n" : "hash: WRONG\n");
  return ok ? 0 : 1;
}
