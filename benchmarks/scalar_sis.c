/*
 * scalar_sis.c - the straightforward baseline of the SIS benchmarks.
 *
 * The synchronous SIS model of MODEL.md's "SIS check" (a crash vertex with
 * threshold 1, p_fail = r, p_repair = gamma, every in-edge with q = beta),
 * computed the plain way: one byte per vertex and trial (1 = down), and one
 * Philox4x32-10 block per random draw, addressed (step, trial, entity,
 * purpose) like faultline's.  A hit is drawn for each in-edge and trial
 * where the source is down and the target is up and not yet hit; a crashed
 * vertex draws its repair, an up one its spontaneous crash.  OpenMP over
 * vertices, trials innermost (so the bytes of an in-neighbour are read in
 * one contiguous run).  Its trajectories are not faultline's, bit for bit:
 * only their distribution is the same, so the mean down fraction must agree
 * within the noise.
 *
 * It reads the same SNAP edge list the benchmark's model imports (lines
 * "FROM TO", "#" and "%" comments; every line one dependency edge; vertices
 * are the distinct labels, which must be integers), and prints JSON on
 * stdout: sizes, load and step times, edge-trial-steps per second (directed
 * edges of the file x trials x steps / stepping seconds) and the mean down
 * fraction, per step and over steps 1..T (with its standard error between
 * trials).
 *
 * usage: scalar_sis EDGES --q Q --p-fail P --p-repair R
 *                   [--trials N] [--steps T] [--seed S] [--threads P]
 */
#include <Random123/philox.h>
#include <errno.h>
#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_graph.h"

#define PURPOSE_HIT 1u
#define PURPOSE_FAIL 2u
#define PURPOSE_REPAIR 4u

/* One uniform 32-bit draw: the first word of one Philox block. */
static inline uint32_t draw(philox4x32_key_t key, uint32_t t, uint32_t trial, uint32_t entity, uint32_t purpose)
{
    philox4x32_ctr_t c = {{t, trial, entity, purpose}};
    return philox4x32(c, key).v[0];
}

/* p as a 33-bit threshold: U < threshold with U uniform in [0, 2^32). */
static uint64_t threshold(double p)
{
    return (uint64_t)(p * 4294967296.0 + 0.5);
}

int main(int argc, char **argv)
{
    sis_args A;
    int rc = sis_parse("scalar_sis", argc, argv, &A);
    if (rc)
        return rc;
    double q = A.q, p_fail = A.p_fail, p_repair = A.p_repair;
    unsigned long trials = A.trials, steps = A.steps, seed = A.seed;
    int threads = A.threads;

    double t0 = now();
    graph g;
    rc = load("scalar_sis", A.path, &g);
    if (rc)
        return rc;
    double load_s = now() - t0;

    size_t N = trials, n = g.n;
    uint8_t *cur = calloc(n * N, 1), *nxt = calloc(n * N, 1); /* all up at t = 0 */
    double *down = calloc(steps + 1, sizeof *down);
    uint64_t *per_trial = calloc(N, sizeof *per_trial); /* down (vertex, step) pairs of each trial */
    if (!cur || !nxt || !down || !per_trial) {
        fprintf(stderr, "scalar_sis: out of memory (%zu bytes of state)\n", 2 * n * N);
        return 70;
    }
    philox4x32_key_t key = {{(uint32_t)seed, (uint32_t)((uint64_t)seed >> 32)}};
    uint64_t th_q = threshold(q), th_fail = threshold(p_fail), th_repair = threshold(p_repair);

    t0 = now();
    for (uint32_t t = 0; t < steps; t++) {
        uint64_t count = 0;
#pragma omp parallel num_threads(threads) reduction(+ : count)
        {
            uint8_t *hit = malloc(N);
            uint32_t *mine = calloc(N, sizeof *mine); /* this thread's down vertices per trial */
#pragma omp for schedule(dynamic, 256)
            for (size_t v = 0; v < n; v++) {
                const uint8_t *dv = cur + v * N;
                memset(hit, 0, N);
                for (uint64_t e = g.start[v]; e < g.start[v + 1]; e++) {
                    const uint8_t *du = cur + (size_t)g.source[e] * N;
                    for (size_t k = 0; k < N; k++)
                        if (du[k] && !dv[k] && !hit[k])
                            hit[k] = draw(key, t, (uint32_t)k, g.id[e], PURPOSE_HIT) < th_q;
                }
                uint8_t *out = nxt + v * N;
                for (size_t k = 0; k < N; k++) {
                    if (dv[k])
                        out[k] = !(draw(key, t, (uint32_t)k, (uint32_t)v, PURPOSE_REPAIR) < th_repair);
                    else
                        out[k] = hit[k] || draw(key, t, (uint32_t)k, (uint32_t)v, PURPOSE_FAIL) < th_fail;
                    count += out[k];
                    mine[k] += out[k];
                }
            }
#pragma omp critical
            for (size_t k = 0; k < N; k++)
                per_trial[k] += mine[k];
            free(mine);
            free(hit);
        }
        down[t + 1] = (double)count / ((double)n * (double)N);
        uint8_t *swap = cur;
        cur = nxt;
        nxt = swap;
    }
    double run_s = now() - t0;
    sis_print("scalar_sis", &A, &g, load_s, run_s, down, per_trial);
    free(cur);
    free(nxt);
    free(down);
    free(per_trial);
    free(g.start);
    free(g.source);
    free(g.id);
    return 0;
}
