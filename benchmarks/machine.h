/*
 * machine.h - the two limits of the machine a benchmark runs on, measured
 * in the same run as the benchmark itself: memory bandwidth and the rate of
 * Philox4x32-10 blocks.  The roofline of a step (docs/architecture.md,
 * docs/performance.md) compares the bytes and random blocks a step needs
 * with these.  Header-only (static inline functions): bench_step and bench_machine
 * include it.
 */
#ifndef FL_BENCH_MACHINE_H
#define FL_BENCH_MACHINE_H

#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rng.h"

static inline double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static inline int bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Bytes per second of a 512 MiB memcpy on one thread (read + write
 * counted), median of 3. */
static inline double memory_bandwidth(void)
{
    size_t bytes = (size_t)512 << 20;
    char *a = malloc(bytes), *b = malloc(bytes);
    if (!a || !b) {
        free(a);
        free(b);
        return 0;
    }
    memset(a, 1, bytes);
    memset(b, 2, bytes);
    double t[3];
    for (int i = 0; i < 3; i++) {
        double t0 = bench_now();
        memcpy(b, a, bytes);
        t[i] = bench_now() - t0;
    }
    qsort(t, 3, sizeof *t, bench_cmp_double);
    free(a);
    free(b);
    return 2.0 * (double)bytes / t[1];
}

/* Bytes per second read by all threads summing a 512 MiB array, median
 * of 3. */
static inline double memory_read_bandwidth(int threads)
{
    size_t words = ((size_t)512 << 20) / sizeof(uint64_t);
    uint64_t *a = malloc(words * sizeof *a), sink = 0;
    if (!a)
        return 0;
#pragma omp parallel for num_threads(threads) schedule(static)
    for (size_t i = 0; i < words; i++)
        a[i] = i;
    double t[3];
    for (int r = 0; r < 3; r++) {
        uint64_t sum = 0;
        double t0 = bench_now();
#pragma omp parallel for num_threads(threads) schedule(static) reduction(+ : sum)
        for (size_t i = 0; i < words; i++)
            sum += a[i];
        t[r] = bench_now() - t0;
        sink ^= sum;
    }
    qsort(t, 3, sizeof *t, bench_cmp_double);
    free(a);
    if (sink == 42)
        fputs("", stderr); /* keep the loop */
    return (double)(words * sizeof(uint64_t)) / t[1];
}

/* Philox4x32-10 blocks per second on all threads (fl_rng_block, as the
 * step calls it), median of 3. */
static inline double philox_rate(int threads)
{
    const uint32_t per_thread = 1u << 24;
    double t[3];
    uint32_t sink = 0;
    for (int r = 0; r < 3; r++) {
        double t0 = bench_now();
#pragma omp parallel num_threads(threads) reduction(^ : sink)
        {
            fl_rng rng = {1, 2, 3, (uint32_t)omp_get_thread_num()};
            for (uint32_t i = 0; i < per_thread; i++)
                sink ^= fl_rng_block(rng, i, 1, (uint32_t)r).v[0];
        }
        t[r] = bench_now() - t0;
    }
    if (sink == 42)
        fputs("", stderr); /* keep the loop */
    qsort(t, 3, sizeof *t, bench_cmp_double);
    return (double)threads * per_thread / t[1];
}

#endif
