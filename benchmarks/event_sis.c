/*
 * event_sis.c - a prototype of an event-driven SIS step, to measure what
 * workload (b) would cost if a step followed the down lanes instead of
 * touching every vertex word (docs/performance.md, "What is missing").
 * Not the engine, and not bit for bit any of its trajectories: its draws
 * are its own (one Philox block per draw, doubles for the geometric gaps),
 * with the law of MODEL.md's SIS check, so its mean down fraction must
 * agree with faultline's and scalar_sis's within the noise.
 *
 * Per trial (OpenMP over trials), the list of the vertices down at t and
 * two bitmaps (down at t, down at t+1).  A step:
 *   - each vertex down at t repairs with p_repair, else stays down;
 *   - each vertex down at t transmits along some out-edge with chance
 *     1 - (1 - q)^d; where it does, the first such edge from the
 *     conditional law and the next ones by geometric skipping; a target up
 *     at t goes down;
 *   - spontaneous crashes by geometric skipping over the vertices (p_fail),
 *     kept where the vertex is up at t.
 * So the work per step follows the down vertices and the crashes, not n.
 *
 * usage: event_sis EDGES --q Q --p-fail P --p-repair R
 *                  [--trials N] [--steps T] [--seed S] [--threads P]
 * Prints the JSON of scalar_sis (bench_graph.h).
 */
#include <Random123/philox.h>
#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_graph.h"

#define PURPOSE_PUSH 1u
#define PURPOSE_FAIL 2u
#define PURPOSE_REPAIR 4u

/* A uniform in (0, 1) from block `block` of the stream (t, trial, entity, purpose). */
static inline double uniform(philox4x32_key_t key, uint32_t t, uint32_t trial, uint32_t entity, uint32_t purpose,
                             uint32_t block)
{
    philox4x32_ctr_t c = {{t, trial, entity, purpose | (block << 8)}};
    philox4x32_ctr_t x = philox4x32(c, key);
    uint64_t u = (uint64_t)x.v[0] | ((uint64_t)x.v[1] << 32);
    return ((double)(u >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

/* Sets bit v of the bitmap and appends v to the list, unless it was set. */
static inline void mark(uint64_t *bits, uint32_t *list, uint32_t *len, uint32_t v)
{
    uint64_t m = (uint64_t)1 << (v & 63u);
    if (!(bits[v >> 6] & m)) {
        bits[v >> 6] |= m;
        list[(*len)++] = v;
    }
}

int main(int argc, char **argv)
{
    sis_args A;
    int rc = sis_parse("event_sis", argc, argv, &A);
    if (rc)
        return rc;
    if (A.q <= 0 || A.q >= 1 || A.p_fail <= 0 || A.p_fail >= 1) {
        fprintf(stderr, "event_sis: --q and --p-fail must be in (0, 1)\n");
        return 64;
    }
    double q = A.q, p_fail = A.p_fail, p_repair = A.p_repair;
    unsigned long steps = A.steps;

    double t0 = now();
    graph g;
    rc = load("event_sis", A.path, &g);
    if (rc)
        return rc;
    /* out-edges by source, from the in-edges by target */
    uint32_t n = g.n;
    uint64_t *ostart = calloc((size_t)n + 1, sizeof *ostart), *fill = malloc(((size_t)n + 1) * sizeof *fill);
    uint32_t *odst = malloc(g.m * sizeof *odst);
    if (!ostart || !fill || !odst) {
        fprintf(stderr, "event_sis: out of memory\n");
        return 70;
    }
    for (uint64_t e = 0; e < g.m; e++)
        ostart[g.source[e] + 1]++;
    for (uint32_t v = 0; v < n; v++)
        ostart[v + 1] += ostart[v];
    memcpy(fill, ostart, ((size_t)n + 1) * sizeof *fill);
    for (uint32_t v = 0; v < n; v++)
        for (uint64_t e = g.start[v]; e < g.start[v + 1]; e++)
            odst[fill[g.source[e]]++] = v;
    free(fill);
    double load_s = now() - t0;

    size_t N = A.trials;
    double log_s = log1p(-q), log_f = log1p(-p_fail);
    double *down = calloc(steps + 1, sizeof *down);
    uint64_t *per_trial = calloc(N, sizeof *per_trial);
    if (!down || !per_trial)
        return 70;
    philox4x32_key_t key = {{(uint32_t)A.seed, (uint32_t)((uint64_t)A.seed >> 32)}};
    uint64_t *count = calloc((size_t)steps + 1, sizeof *count);

    t0 = now();
#pragma omp parallel num_threads(A.threads)
    {
        size_t words = ((size_t)n + 63) / 64;
        uint64_t *cur = calloc(words, 8), *nxt = calloc(words, 8);
        uint32_t *list = malloc((size_t)n * sizeof *list), *nlist = malloc((size_t)n * sizeof *nlist);
        uint64_t *mine = calloc((size_t)steps + 1, sizeof *mine);
#pragma omp for schedule(dynamic, 4)
        for (size_t k = 0; k < N; k++) {
            uint32_t len = 0; /* all up at t = 0 */
            for (uint32_t t = 0; t < steps; t++) {
                uint32_t nlen = 0;
                for (uint32_t i = 0; i < len; i++) {
                    uint32_t v = list[i];
                    if (uniform(key, t, (uint32_t)k, v, PURPOSE_REPAIR, 0) >= p_repair)
                        mark(nxt, nlist, &nlen, v); /* stays down */
                    uint64_t e0 = ostart[v];
                    uint32_t d = (uint32_t)(ostart[v + 1] - e0);
                    if (d == 0)
                        continue;
                    double none = exp(log_s * d); /* (1 - q)^d */
                    double u = uniform(key, t, (uint32_t)k, v, PURPOSE_PUSH, 0);
                    if (u < none)
                        continue; /* no out-edge transmits */
                    /* the first transmitting edge K: P(K >= j) = (s^j - s^d) / (1 - s^d) */
                    double x = none + (1.0 - none) * uniform(key, t, (uint32_t)k, v, PURPOSE_PUSH, 1);
                    uint32_t pos = (uint32_t)floor(log(x) / log_s), b = 2;
                    for (pos = pos < d ? pos : d - 1; pos < d;) {
                        uint32_t u2 = odst[e0 + pos];
                        if (!(cur[u2 >> 6] & ((uint64_t)1 << (u2 & 63u))))
                            mark(nxt, nlist, &nlen, u2); /* up at t: hit, so down */
                        double gap = floor(log(uniform(key, t, (uint32_t)k, v, PURPOSE_PUSH, b++)) / log_s);
                        if (gap >= (double)(d - pos - 1))
                            break;
                        pos += 1u + (uint32_t)gap;
                    }
                }
                /* spontaneous crashes of the vertices up at t */
                uint32_t b = 0;
                for (double at = floor(log(uniform(key, t, (uint32_t)k, 0, PURPOSE_FAIL, b++)) / log_f); at < n;
                     at += 1.0 + floor(log(uniform(key, t, (uint32_t)k, 0, PURPOSE_FAIL, b++)) / log_f)) {
                    uint32_t v = (uint32_t)at;
                    if (!(cur[v >> 6] & ((uint64_t)1 << (v & 63u))))
                        mark(nxt, nlist, &nlen, v);
                }
                /* D(t+1) becomes D(t): clear the old bits through the old list */
                for (uint32_t i = 0; i < len; i++)
                    cur[list[i] >> 6] = 0;
                uint64_t *tb = cur;
                cur = nxt;
                nxt = tb;
                uint32_t *tl = list;
                list = nlist;
                nlist = tl;
                len = nlen;
                mine[t + 1] += len;
                per_trial[k] += len;
            }
            for (uint32_t i = 0; i < len; i++)
                cur[list[i] >> 6] = 0;
        }
#pragma omp critical
        for (uint32_t t = 0; t <= steps; t++)
            count[t] += mine[t];
        free(cur);
        free(nxt);
        free(list);
        free(nlist);
        free(mine);
    }
    double run_s = now() - t0;
    for (uint32_t t = 0; t <= steps; t++)
        down[t] = (double)count[t] / ((double)n * (double)N);
    sis_print("event_sis", &A, &g, load_s, run_s, down, per_trial);
    free(down);
    free(per_trial);
    free(count);
    free(ostart);
    free(odst);
    free(g.start);
    free(g.source);
    free(g.id);
    return 0;
}
