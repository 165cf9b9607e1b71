/*
 * bench_graph.h - the SNAP edge-list reader of the SIS baselines
 * (scalar_sis.c, event_sis.c): lines "FROM TO", "#" and "%" comments, every
 * line one dependency edge; the vertices are the distinct labels, which
 * must be integers, numbered in increasing label order; and their command
 * line and JSON summary.
 */
#ifndef FL_BENCH_GRAPH_H
#define FL_BENCH_GRAPH_H

#include <errno.h>
#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

typedef struct graph {
    uint32_t n;       /* distinct labels */
    uint64_t m;       /* edges (lines) */
    uint64_t *start;  /* [n + 1]: in-edges of v are start[v] .. start[v+1]-1 */
    uint32_t *source; /* [m], by target */
    uint32_t *id;     /* [m]: the edge's line order, its random entity */
} graph;

/* Reads the edge list into in-edge CSR; 0 on success. */
static int load(const char *prog, const char *path, graph *g)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
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
            fprintf(stderr, "%s: %s:%lu: expected two integer labels\n", prog, path, lineno);
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
        fprintf(stderr, "%s: out of memory\n", prog);
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
        fprintf(stderr, "%s: out of memory\n", prog);
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

/* The command line of both: EDGES --q Q --p-fail P --p-repair R
 * [--trials N] [--steps T] [--seed S] [--threads P]. */
typedef struct sis_args {
    const char *path;
    double q, p_fail, p_repair;
    unsigned long trials, steps, seed;
    int threads;
} sis_args;

/* 0, or 64 after a usage message. */
static int sis_parse(const char *prog, int argc, char **argv, sis_args *a)
{
    *a = (sis_args){NULL, -1, -1, -1, 1024, 50, 1, omp_get_num_procs()};
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (o[0] != '-' && !a->path)
            a->path = o;
        else if (v && !strcmp(o, "--q") && ++i)
            a->q = atof(v);
        else if (v && !strcmp(o, "--p-fail") && ++i)
            a->p_fail = atof(v);
        else if (v && !strcmp(o, "--p-repair") && ++i)
            a->p_repair = atof(v);
        else if (v && !strcmp(o, "--trials") && ++i)
            a->trials = strtoul(v, NULL, 10);
        else if (v && !strcmp(o, "--steps") && ++i)
            a->steps = strtoul(v, NULL, 10);
        else if (v && !strcmp(o, "--seed") && ++i)
            a->seed = strtoul(v, NULL, 10);
        else if (v && !strcmp(o, "--threads") && ++i)
            a->threads = atoi(v);
        else {
            fprintf(stderr,
                    "usage: %s EDGES --q Q --p-fail P --p-repair R [--trials N] [--steps T] "
                    "[--seed S] [--threads P]\n",
                    prog);
            return 64;
        }
    }
    if (!a->path || a->q < 0 || a->q > 1 || a->p_fail < 0 || a->p_fail > 1 || a->p_repair < 0 || a->p_repair > 1 ||
        a->trials < 1 || a->trials > (1ul << 20) || a->threads < 1) {
        fprintf(stderr, "%s: need EDGES and --q, --p-fail, --p-repair in [0, 1]; trials in 1..2^20\n", prog);
        return 64;
    }
    return 0;
}

/* The JSON summary on stdout: down[t] is the down fraction at step t,
 * per_trial[k] the down (vertex, step) pairs of trial k over steps 1..T
 * (for the standard error of the mean between trials). */
static void sis_print(const char *prog, const sis_args *a, const graph *g, double load_s, double run_s,
                      const double *down, const uint64_t *per_trial)
{
    size_t N = a->trials;
    double mean = 0, sum = 0, sum2 = 0;
    for (uint32_t t = 1; t <= a->steps; t++)
        mean += down[t] / (double)a->steps;
    for (size_t k = 0; k < N; k++) {
        double x = a->steps ? (double)per_trial[k] / ((double)g->n * (double)a->steps) : 0.0;
        sum += x;
        sum2 += x * x;
    }
    double var = N > 1 ? (sum2 - sum * sum / (double)N) / (double)(N - 1) : 0.0;
    double stderr_mean = N > 1 && var > 0 ? sqrt(var / (double)N) : 0.0;
    printf("{\n  \"program\": \"%s\", \"edges_file\": \"%s\",\n", prog, a->path);
    printf("  \"vertices\": %u, \"edges\": %llu, \"trials\": %lu, \"steps\": %lu, \"threads\": %d,\n", g->n,
           (unsigned long long)g->m, a->trials, a->steps, a->threads);
    printf("  \"q\": %g, \"p_fail\": %g, \"p_repair\": %g, \"seed\": %lu,\n", a->q, a->p_fail, a->p_repair, a->seed);
    printf("  \"load_s\": %.6f, \"run_s\": %.6f, \"step_s\": %.6g,\n", load_s, run_s,
           a->steps ? run_s / (double)a->steps : 0.0);
    printf("  \"edge_trial_steps_per_s\": %.6g,\n",
           run_s > 0 ? (double)g->m * (double)N * (double)a->steps / run_s : 0.0);
    printf("  \"mean_down_fraction\": %.8f, \"mean_down_fraction_stderr\": %.3g,\n  \"down_fraction\": [", mean,
           stderr_mean);
    for (uint32_t t = 0; t <= a->steps; t++)
        printf("%s%.8f", t ? ", " : "", down[t]);
    printf("]\n}\n");
}

#endif
