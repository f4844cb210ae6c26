/* lib.c — UART output and the few string functions the programs (and GCC) need. */
#include "lib.h"

#define UART_BASE ((volatile u8 *)0x10000000)
#define UART_THR 0
#define UART_LSR 5
#define LSR_THRE 0x20

void uart_putc(char c) {
  while (!(UART_BASE[UART_LSR] & LSR_THRE)) {
  }
  UART_BASE[UART_THR] = (u8)c;
}

void uart_puts(const char *s) {
  while (*s) uart_putc(*s++);
}

void put_base(u64 v, unsigned base) {
  char buf[65];
  int i = 64;
  buf[i] = 0;
  do {
    unsigned d = (unsigned)(v % base);
    buf[--i] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
    v /= base;
  } while (v);
  uart_puts(&buf[i]);
}

void put_udec(u64 v) { put_base(v, 10); }

void put_dec(i64 v) {
  if (v < 0) {
    uart_putc('-');
    put_udec(-(u64)v);  /* also right for the most negative value */
  } else {
    put_udec((u64)v);
  }
}

void put_hex(u64 v, int digits) {
  for (int i = digits - 1; i >= 0; i--) uart_putc("0123456789abcdef"[(v >> (4 * i)) & 15]);
}

void put_kv(const char *key, u64 value) {
  uart_puts(key);
  uart_puts(" = 0x");
  put_hex(value, 16);
  uart_putc('\n');
}

/* GCC may turn the loops below into calls to themselves; keep them loops. */
__attribute__((optimize("no-tree-loop-distribute-patterns")))
void *memset(void *d, int c, size_t n) {
  u8 *p = d;
  while (n--) *p++ = (u8)c;
  return d;
}

__attribute__((optimize("no-tree-loop-distribute-patterns")))
void *memcpy(void *d, const void *s, size_t n) {
  u8 *p = d;
  const u8 *q = s;
  while (n--) *p++ = *q++;
  return d;
}

int memcmp(const void *a, const void *b, size_t n) {
  const u8 *p = a, *q = b;
  for (; n; n--, p++, q++) if (*p != *q) return *p < *q ? -1 : 1;
  return 0;
}

size_t strlen(const char *s) {
  size_t n = 0;
  while (s[n]) n++;
  return n;
}

int strcmp(const char *a, const char *b) {
  while (*a && *a == *b) a++, b++;
  return (u8)*a - (u8)*b;
}

u64 rand64(u64 *state) {
  u64 x = *state;
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  return *state = x;
}
