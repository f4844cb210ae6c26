/* lib.h — the little runtime of the C test programs: UART output without printf. */
#ifndef XPC_QEMU_LIB_H
#define XPC_QEMU_LIB_H

typedef unsigned long size_t;
typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long u64;
typedef long i64;

void uart_putc(char c);
void uart_puts(const char *s);            /* no newline added */
void put_udec(u64 v);
void put_dec(i64 v);
void put_hex(u64 v, int digits);     /* digits: 1..16, no prefix */
void put_base(u64 v, unsigned base); /* 2..36 */
void put_kv(const char *key, u64 value);  /* "key = 0x<16 digits>\n" */

void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

/* xorshift64: the programs' deterministic pseudo-random numbers */
u64 rand64(u64 *state);

#endif
