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

#define PURPOSE_HIT 1u
#define PURPOSE_FAIL 2u
#define PURPOSE_REPAIR 4u

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

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

typedef struct graph {
    uint32_t n;       /* distinct labels */
    uint64_t m;       /* edges (lines) */
    uint64_t *start;  /* [n + 1]: in-edges of v are start[v] .. start[v+1]-1 */
    uint32_t *source; /* [m], by target */
    uint32_t *id;     /* [m]: the edge's line order, its random entity */
} graph;

/* Reads the edge list into in-edge CSR; 0 on success. */
static int load(const char *path, graph *g)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "scalar_sis: %s: %s\n", path, strerror(errno));
        return 66;
    }
    size_t cap = 1 << 20, m = 0;
    uint32_t *pairs = malloc(2 * cap * sizeof *pairs), maxl = 0;
    char line[256];
    unsigned long lineno = 0;
    while (pairs && fgets(line, sizeof line, f)) {
        lineno++;
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '#' || *p == '%' || *p == '\n' || *p == '\0')
            continue;
        unsigned long a, b;
        if (sscanf(p, "%lu %lu", &a, &b) != 2 || a > UINT32_MAX - 1 || b > UINT32_MAX - 1) {
            fprintf(stderr, "scalar_sis: %s:%lu: expected two integer labels\n", path, lineno);
            fclose(f);
            free(pairs);
            return 65;
        }
        if (m == cap) {
            uint32_t *more = realloc(pairs, 4 * cap * sizeof *pairs);
            if (!more)
                break;
            pairs = more;
            cap *= 2;
        }
        pairs[2 * m] = (uint32_t)a;
        pairs[2 * m + 1] = (uint32_t)b;
        maxl = a > maxl ? (uint32_t)a : maxl;
        maxl = b > maxl ? (uint32_t)b : maxl;
        m++;
    }
    fclose(f);
    /* labels -> 0 .. n-1 in increasing label order */
    uint32_t *index = pairs ? malloc(((size_t)maxl + 1) * sizeof *index) : NULL;
    if (!index) {
        free(pairs);
        fprintf(stderr, "scalar_sis: out of memory\n");
        return 70;
    }
    memset(index, 0xff, ((size_t)maxl + 1) * sizeof *index);
    for (size_t e = 0; e < 2 * m; e++)
        index[pairs[e]] = 0;
    uint32_t n = 0;
    for (size_t l = 0; l <= maxl && m; l++)
        if (index[l] == 0)
            index[l] = n++;
    g->n = n;
    g->m = m;
    g->start = calloc((size_t)n + 1, sizeof *g->start);
    g->source = malloc(m * sizeof *g->source);
    g->id = malloc(m * sizeof *g->id);
    if (!g->start || !g->source || !g->id) {
        fprintf(stderr, "scalar_sis: out of memory\n");
        return 70;
    }
    for (size_t e = 0; e < m; e++)
        g->start[index[pairs[2 * e + 1]] + 1]++;
    for (uint32_t v = 0; v < n; v++)
        g->start[v + 1] += g->start[v];
    uint64_t *fill = malloc(((size_t)n + 1) * sizeof *fill);
    memcpy(fill, g->start, ((size_t)n + 1) * sizeof *fill);
    for (size_t e = 0; e < m; e++) {
        uint64_t at = fill[index[pairs[2 * e + 1]]]++;
        g->source[at] = index[pairs[2 * e]];
        g->id[at] = (uint32_t)e;
    }
    free(fill);
    free(index);
    free(pairs);
    return 0;
}

int main(int argc, char **argv)
{
    const char *path = NULL;
    double q = -1, p_fail = -1, p_repair = -1;
    unsigned long trials = 1024, steps = 50, seed = 1;
    int threads = omp_get_num_procs();
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (a[0] != '-' && !path)
            path = a;
        else if (v && !strcmp(a, "--q") && ++i)
            q = atof(v);
        else if (v && !strcmp(a, "--p-fail") && ++i)
            p_fail = atof(v);
        else if (v && !strcmp(a, "--p-repair") && ++i)
            p_repair = atof(v);
        else if (v && !strcmp(a, "--trials") && ++i)
            trials = strtoul(v, NULL, 10);
        else if (v && !strcmp(a, "--steps") && ++i)
            steps = strtoul(v, NULL, 10);
        else if (v && !strcmp(a, "--seed") && ++i)
            seed = strtoul(v, NULL, 10);
        else if (v && !strcmp(a, "--threads") && ++i)
            threads = atoi(v);
        else {
            fprintf(stderr, "usage: scalar_sis EDGES --q Q --p-fail P --p-repair R [--trials N] [--steps T] "
                            "[--seed S] [--threads P]\n");
            return 64;
        }
    }
    if (!path || q < 0 || q > 1 || p_fail < 0 || p_fail > 1 || p_repair < 0 || p_repair > 1 || trials < 1 ||
        trials > (1ul << 20) || threads < 1) {
        fprintf(stderr, "scalar_sis: need EDGES and --q, --p-fail, --p-repair in [0, 1]; trials in 1..2^20\n");
        return 64;
    }

    double t0 = now();
    graph g;
    int rc = load(path, &g);
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
    double run_s = now() - t0, mean = 0;
    for (uint32_t t = 1; t <= steps; t++)
        mean += down[t] / (double)steps;
    /* the spread between trials: standard error of the mean down fraction */
    double sum = 0, sum2 = 0;
    for (size_t k = 0; k < N; k++) {
        double x = steps ? (double)per_trial[k] / ((double)n * (double)steps) : 0.0;
        sum += x;
        sum2 += x * x;
    }
    double var = N > 1 ? (sum2 - sum * sum / (double)N) / (double)(N - 1) : 0.0;
    double stderr_mean = N > 1 && var > 0 ? sqrt(var / (double)N) : 0.0;

    printf("{\n  \"program\": \"scalar_sis\", \"edges_file\": \"%s\",\n", path);
    printf("  \"vertices\": %zu, \"edges\": %llu, \"trials\": %lu, \"steps\": %lu, \"threads\": %d,\n", n,
           (unsigned long long)g.m, trials, steps, threads);
    printf("  \"q\": %g, \"p_fail\": %g, \"p_repair\": %g, \"seed\": %lu,\n", q, p_fail, p_repair, seed);
    printf("  \"load_s\": %.6f, \"run_s\": %.6f, \"step_s\": %.6g,\n", load_s, run_s, steps ? run_s / steps : 0.0);
    printf("  \"edge_trial_steps_per_s\": %.6g,\n", run_s > 0 ? (double)g.m * (double)N * (double)steps / run_s : 0.0);
    printf("  \"mean_down_fraction\": %.8f, \"mean_down_fraction_stderr\": %.3g,\n  \"down_fraction\": [", mean,
           stderr_mean);
    for (uint32_t t = 0; t <= steps; t++)
        printf("%s%.8f", t ? ", " : "", down[t]);
    printf("]\n}\n");
    free(cur);
    free(nxt);
    free(down);
    free(per_trial);
    free(g.start);
    free(g.source);
    free(g.id);
    return 0;
}
