/*
 * strings.c — character and string handling without a C library: numbers formatted in bases
 * 2, 8, 10, 16 and 36 (including the extreme values), parsing numbers back, reversing,
 * counting words, a Caesar cipher, palindromes, and a small text table. Exit 1 on a
 * round-trip mismatch.
 */
#include "lib.h"

static int format(char *out, i64 v, unsigned base) {
  char tmp[66];
  int n = 0, len = 0;
  u64 m = v < 0 ? -(u64)v : (u64)v;
  do {
    unsigned d = (unsigned)(m % base);
    tmp[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
    m /= base;
  } while (m);
  if (v < 0) out[len++] = '-';
  while (n) out[len++] = tmp[--n];
  out[len] = 0;
  return len;
}

static i64 parse(const char *s, unsigned base) {
  int neg = *s == '-';
  if (neg) s++;
  u64 v = 0;
  for (; *s; s++) {
    unsigned d = *s <= '9' ? (unsigned)(*s - '0') : (unsigned)(*s - 'a' + 10);
    v = v * base + d;
  }
  return neg ? (i64)-v : (i64)v;
}

static void reverse(char *s) {
  size_t n = strlen(s);
  for (size_t i = 0; i < n / 2; i++) {
    char t = s[i];
    s[i] = s[n - 1 - i];
    s[n - 1 - i] = t;
  }
}

static int words(const char *s) {
  int n = 0, in = 0;
  for (; *s; s++) {
    int space = *s == ' ' || *s == '\t' || *s == '\n';
    if (!space && !in) n++;
    in = !space;
  }
  return n;
}

static void caesar(char *s, int k) {
  for (; *s; s++) {
    if (*s >= 'a' && *s <= 'z') *s = (char)('a' + (*s - 'a' + k) % 26);
    else if (*s >= 'A' && *s <= 'Z') *s = (char)('A' + (*s - 'A' + k) % 26);
  }
}

static int palindrome(const char *s) {
  size_t i = 0, j = strlen(s);
  while (i < j) {
    while (i < j && (s[i] == ' ' || s[i] == ',')) i++;
    while (i < j && (s[j - 1] == ' ' || s[j - 1] == ',')) j--;
    if (i >= j) break;
    char a = s[i] | 0x20, b = s[j - 1] | 0x20;
    if (a != b) return 0;
    i++;
    j--;
  }
  return 1;
}

static void pad(const char *s, int width) {
  int n = (int)strlen(s);
  uart_puts(s);
  while (n++ < width) uart_putc(' ');
}

int main(void) {
  static const i64 values[] = { 0, 1, -1, 7, 255, -256, 1000000007, 0x7fffffffffffffff,
                                (i64)0x8000000000000000, 0x0123456789abcdef, -42424242 };
  static const unsigned bases[] = { 2, 8, 10, 16, 36 };
  char buf[80];
  int ok = 1;
  for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
    for (size_t k = 0; k < sizeof bases / sizeof bases[0]; k++) {
      int n = format(buf, values[i], bases[k]);
      if (k) uart_putc(' ');
      uart_puts(buf);
      ok = ok && parse(buf, bases[k]) == values[i] && n == (int)strlen(buf);
    }
    uart_putc('\n');
  }

  char text[] = "Never odd or even, said the emulator to the kernel";
  uart_puts("words: ");
  put_udec((u64)words(text));
  uart_putc('\n');
  caesar(text, 13);
  uart_puts(text);
  uart_putc('\n');
  caesar(text, 13);
  ok = ok && !strcmp(text, "Never odd or even, said the emulator to the kernel");
  reverse(text);
  uart_puts(text);
  uart_putc('\n');

  static const char *const candidates[] = { "Never odd or even", "A man, a plan, a canal, Panama", "xpc", "abba", "" };
  for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++) {
    uart_putc('"');
    uart_puts(candidates[i]);
    uart_puts(palindrome(candidates[i]) ? "\" is a palindrome\n" : "\" is not a palindrome\n");
  }

  static const char *const names[] = { "mstatus", "mtvec", "mepc", "satp", "xcap" };
  static const u32 numbers[] = { 0x300, 0x305, 0x341, 0x180, 0x5c2 };
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    pad(names[i], 10);
    uart_puts("0x");
    put_hex(numbers[i], 3);
    uart_putc('\n');
  }
  uart_puts(ok ? "strings: ok\n" : "strings: WRONG\n");
  return ok ? 0 : 1;
}
