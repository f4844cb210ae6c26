/*
 * sort.c — sorting pseudo-random 64-bit keys four ways (insertion, quick, heap, merge) and
 * strings; prints checksums and samples, and fails (exit 1) if any result is out of order or
 * the four disagree.
 */
#include "lib.h"

#define N 600

static i64 original[N], a[N], b[N], c[N], d[N], tmp[N];

static void insertion_sort(i64 *v, int n) {
  for (int i = 1; i < n; i++) {
    i64 x = v[i];
    int j = i - 1;
    while (j >= 0 && v[j] > x) {
      v[j + 1] = v[j];
      j--;
    }
    v[j + 1] = x;
  }
}

static void quick_sort(i64 *v, int lo, int hi) {
  while (lo < hi) {
    i64 pivot = v[lo + (hi - lo) / 2];
    int i = lo, j = hi;
    while (i <= j) {
      while (v[i] < pivot) i++;
      while (v[j] > pivot) j--;
      if (i <= j) {
        i64 t = v[i];
        v[i] = v[j];
        v[j] = t;
        i++;
        j--;
      }
    }
    /* recurse into the smaller half, loop on the larger: bounded stack */
    if (j - lo < hi - i) {
      quick_sort(v, lo, j);
      lo = i;
    } else {
      quick_sort(v, i, hi);
      hi = j;
    }
  }
}

static void sift_down(i64 *v, int root, int n) {
  for (;;) {
    int child = 2 * root + 1;
    if (child >= n) return;
    if (child + 1 < n && v[child + 1] > v[child]) child++;
    if (v[root] >= v[child]) return;
    i64 t = v[root];
    v[root] = v[child];
    v[child] = t;
    root = child;
  }
}

static void heap_sort(i64 *v, int n) {
  for (int i = n / 2 - 1; i >= 0; i--) sift_down(v, i, n);
  for (int i = n - 1; i > 0; i--) {
    i64 t = v[0];
    v[0] = v[i];
    v[i] = t;
    sift_down(v, 0, i);
  }
}

static void merge_sort(i64 *v, int n) {
  for (int width = 1; width < n; width *= 2) {
    for (int lo = 0; lo < n; lo += 2 * width) {
      int mid = lo + width < n ? lo + width : n;
      int hi = lo + 2 * width < n ? lo + 2 * width : n;
      int i = lo, j = mid, k = lo;
      while (i < mid && j < hi) tmp[k++] = v[i] <= v[j] ? v[i++] : v[j++];
      while (i < mid) tmp[k++] = v[i++];
      while (j < hi) tmp[k++] = v[j++];
    }
    memcpy(v, tmp, sizeof(i64) * (u64)n);
  }
}

static int sorted(const i64 *v, int n) {
  for (int i = 1; i < n; i++) if (v[i - 1] > v[i]) return 0;
  return 1;
}

static u64 checksum(const i64 *v, int n) {
  u64 h = 1469598103934665603ul;
  for (int i = 0; i < n; i++) h = (h ^ (u64)v[i]) * 1099511628211ul;
  return h;
}

static const char *words[] = {
  "risc", "five", "xpc", "domain", "capability", "emulator", "hart", "trap", "vector",
  "page", "table", "sv39", "atomic", "reservation", "compressed", "zicsr", "machine",
  "supervisor", "user", "interrupt", "timer", "uart", "finisher", "alpha", "Zeta", "",
};

int main(void) {
  u64 seed = 0x9e3779b97f4a7c15ul;
  for (int i = 0; i < N; i++) {
    /* signed keys, with repeats */
    original[i] = (i64)rand64(&seed) >> (i % 7 == 0 ? 40 : 1);
    if (i % 50 == 49) original[i] = original[i - 7];
  }
  memcpy(a, original, sizeof a);
  memcpy(b, original, sizeof b);
  memcpy(c, original, sizeof c);
  memcpy(d, original, sizeof d);

  uart_puts("sort: n = ");
  put_udec(N);
  uart_putc('\n');
  put_kv("input checksum", checksum(original, N));

  insertion_sort(a, N);
  quick_sort(b, 0, N - 1);
  heap_sort(c, N);
  merge_sort(d, N);

  int ok = sorted(a, N) && sorted(b, N) && sorted(c, N) && sorted(d, N);
  ok = ok && !memcmp(a, b, sizeof a) && !memcmp(a, c, sizeof a) && !memcmp(a, d, sizeof a);
  put_kv("sorted checksum", checksum(a, N));
  uart_puts("min = ");
  put_dec(a[0]);
  uart_puts(", median = ");
  put_dec(a[N / 2]);
  uart_puts(", max = ");
  put_dec(a[N - 1]);
  uart_putc('\n');
  uart_puts("first five:");
  for (int i = 0; i < 5; i++) {
    uart_putc(' ');
    put_dec(a[i]);
  }
  uart_putc('\n');

  /* strings: insertion sort of pointers by strcmp */
  enum { W = sizeof words / sizeof words[0] };
  const char *w[W];
  for (int i = 0; i < W; i++) w[i] = words[i];
  for (int i = 1; i < W; i++) {
    const char *x = w[i];
    int j = i - 1;
    while (j >= 0 && strcmp(w[j], x) > 0) {
      w[j + 1] = w[j];
      j--;
    }
    w[j + 1] = x;
  }
  uart_puts("words:");
  for (int i = 0; i < W; i++) {
    uart_putc(' ');
    uart_putc('"');
    uart_puts(w[i]);
    uart_putc('"');
  }
  uart_putc('\n');
  for (int i = 1; i < W; i++) ok = ok && strcmp(w[i - 1], w[i]) <= 0;

  uart_puts(ok ? "sort: ok\n" : "sort: WRONG\n");
  return ok ? 0 : 1;
}
