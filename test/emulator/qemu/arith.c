/*
 * arith.c — integer arithmetic that leans on the M extension and 64-bit code: a prime sieve,
 * gcd/lcm, modular exponentiation modulo 2^61 - 1 (128-bit products through mulhu), an 8x8
 * matrix product, Fibonacci numbers mod a prime, 32-bit (W) arithmetic with wrap-around, and
 * signed division rounding. Exit 1 if a known value comes out wrong.
 */
#include "lib.h"

#define LIMIT 20000

static u8 composite[LIMIT + 1];

static u64 gcd(u64 a, u64 b) {
  while (b) {
    u64 t = a % b;
    a = b;
    b = t;
  }
  return a;
}

#define P61 2305843009213693951ul /* 2^61 - 1, a Mersenne prime */

/* a * b mod 2^61 - 1 from the 122-bit product (mul and mulhu), no division */
static u64 mulmod61(u64 a, u64 b) {
  unsigned __int128 z = (unsigned __int128)a * b;
  u64 r = ((u64)z & P61) + (u64)(z >> 61);
  r = (r & P61) + (r >> 61);
  return r >= P61 ? r - P61 : r;
}

static u64 powmod61(u64 b, u64 e) {
  u64 r = 1;
  b %= P61;
  while (e) {
    if (e & 1) r = mulmod61(r, b);
    b = mulmod61(b, b);
    e >>= 1;
  }
  return r;
}

static i64 A[8][8], B[8][8], C[8][8];

int main(void) {
  int ok = 1;

  /* sieve */
  u64 count = 0, sum = 0, last = 0;
  for (u64 i = 2; i <= LIMIT; i++) {
    if (composite[i]) continue;
    count++;
    sum += i;
    last = i;
    for (u64 j = i * i; j <= LIMIT; j += i) composite[j] = 1;
  }
  uart_puts("primes up to 20000: ");
  put_udec(count);
  uart_puts(", sum ");
  put_udec(sum);
  uart_puts(", largest ");
  put_udec(last);
  uart_putc('\n');
  ok = ok && count == 2262;

  /* gcd / lcm */
  static const u64 pairs[][2] = { { 1071, 462 }, { 0x7fffffffffffffff, 0x3fffffffffffffff }, { 1u << 20, 3u << 12 },
                                  { 600851475143ul, 6857 } };
  for (int i = 0; i < 4; i++) {
    u64 g = gcd(pairs[i][0], pairs[i][1]);
    uart_puts("gcd ");
    put_udec(g);
    uart_puts(" lcm ");
    put_udec(pairs[i][0] / g * pairs[i][1]);
    uart_putc('\n');
  }

  /* modular exponentiation: Fermat tests with a 61-bit prime */
  u64 f1 = powmod61(3, P61 - 1), f2 = powmod61(0x123456789abcdefull, P61 - 1), f3 = powmod61(2, 1000);
  put_kv("3^(p-1) mod p", f1);
  put_kv("x^(p-1) mod p", f2);
  put_kv("2^1000 mod p", f3);
  ok = ok && f1 == 1 && f2 == 1;

  /* matrix product */
  u64 seed = 77;
  for (int i = 0; i < 8; i++)
    for (int j = 0; j < 8; j++) {
      A[i][j] = (i64)(rand64(&seed) % 2001) - 1000;
      B[i][j] = (i64)(rand64(&seed) % 2001) - 1000;
    }
  for (int i = 0; i < 8; i++)
    for (int j = 0; j < 8; j++) {
      i64 s = 0;
      for (int k = 0; k < 8; k++) s += A[i][k] * B[k][j];
      C[i][j] = s;
    }
  uart_puts("C diagonal:");
  i64 trace = 0;
  for (int i = 0; i < 8; i++) {
    uart_putc(' ');
    put_dec(C[i][i]);
    trace += C[i][i];
  }
  uart_puts("\ntrace ");
  put_dec(trace);
  uart_putc('\n');

  /* Fibonacci mod 1000000007 */
  u64 fa = 0, fb = 1;
  for (int i = 0; i < 1000; i++) {
    u64 t = (fa + fb) % 1000000007u;
    fa = fb;
    fb = t;
  }
  uart_puts("fib(1000) mod 1e9+7 = ");
  put_udec(fa);
  uart_putc('\n');
  ok = ok && fa == 517691607;

  /* 32-bit arithmetic wraps and sign-extends */
  volatile int x = 0x7fffffff, y = 3;
  int w1 = x + y, w2 = x * y, w3 = -x / y, w4 = -x % y;
  unsigned u1 = (unsigned)x * 5u, u2 = 0xffffffffu / (unsigned)y;
  uart_puts("w: ");
  put_dec(w1);
  uart_putc(' ');
  put_dec(w2);
  uart_putc(' ');
  put_dec(w3);
  uart_putc(' ');
  put_dec(w4);
  uart_putc(' ');
  put_udec(u1);
  uart_putc(' ');
  put_udec(u2);
  uart_putc('\n');
  ok = ok && w3 == -715827882 && w4 == -1;

  /* signed 64-bit division truncates towards zero */
  volatile i64 n = -7, d = 2;
  uart_puts("-7/2 = ");
  put_dec(n / d);
  uart_puts(", -7%2 = ");
  put_dec(n % d);
  uart_putc('\n');
  ok = ok && n / d == -3 && n % d == -1;

  uart_puts(ok ? "arith: ok\n" : "arith: WRONG\n");
  return ok ? 0 : 1;
}
