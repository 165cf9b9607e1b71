/*
 * bench_step.c - throughput of the simulation step, with its roofline.
 *
 * Builds an undirected Erdos-Renyi graph (both directions as dependency
 * edges) as an edge list, loads it through a model file like a user would,
 * and runs the SIS workload of MODEL.md's check (crash, threshold 1): one
 * warm-up, then REPS timed runs; reports the median step time and
 * edge-trial-steps per second as JSON on stdout, beside the two limits of
 * the machine measured in the same run: memory bandwidth (a large memcpy)
 * and the Philox4x32-10 rate (blocks per second on all threads).
 *
 * usage: bench_step [--n N] [--degree K] [--q Q] [--trials N] [--steps T]
 *                   [--reps R] [--threads P] [--backend openmp|opencl|auto]
 *
 * --backend compares the backends on the same model (default openmp); the
 * step time of OpenCL includes the per-step transfer of the aggregates.
 */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "faultline.h"
#include "machine.h"

int main(int argc, char **argv)
{
    uint32_t n = 200000, trials = 1024, steps = 50, reps = 3;
    double degree = 8, q = 0.05;
    int threads = omp_get_num_procs(), backend = FL_BACKEND_OPENMP;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--n"))
            n = (uint32_t)atol(argv[i + 1]);
        else if (!strcmp(argv[i], "--degree"))
            degree = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--q"))
            q = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--trials"))
            trials = (uint32_t)atol(argv[i + 1]);
        else if (!strcmp(argv[i], "--steps"))
            steps = (uint32_t)atol(argv[i + 1]);
        else if (!strcmp(argv[i], "--reps"))
            reps = (uint32_t)atol(argv[i + 1]);
        else if (!strcmp(argv[i], "--threads"))
            threads = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--backend") && !strcmp(argv[i + 1], "openmp"))
            backend = FL_BACKEND_OPENMP;
        else if (!strcmp(argv[i], "--backend") && !strcmp(argv[i + 1], "opencl"))
            backend = FL_BACKEND_OPENCL;
        else if (!strcmp(argv[i], "--backend") && !strcmp(argv[i + 1], "auto"))
            backend = FL_BACKEND_AUTO;
        else {
            fprintf(stderr, "bench_step: unknown option %s\n", argv[i]);
            return 64;
        }
    }

    /* the graph: n * degree / 2 undirected pairs, each as two edges */
    char dir[] = "/tmp/faultline-bench-XXXXXX", edges[300], model[300];
    if (!mkdtemp(dir))
        return 73;
    snprintf(edges, sizeof edges, "%s/er.txt", dir);
    snprintf(model, sizeof model, "%s/sis.yaml", dir);
    FILE *f = fopen(edges, "w");
    uint64_t st = 12345, pairs = (uint64_t)((double)n * degree / 2);
    for (uint64_t i = 0; i < pairs; i++) {
        st = st * 6364136223846793005ULL + 1442695040888963407ULL;
        uint32_t a = (uint32_t)((st >> 32) % n);
        st = st * 6364136223846793005ULL + 1442695040888963407ULL;
        uint32_t b = (uint32_t)((st >> 32) % n);
        fprintf(f, "%u %u\n%u %u\n", a, b, b, a);
    }
    fclose(f);
    f = fopen(model, "w");
    fprintf(f,
            "faultline: 1\nname: bench-sis\n"
            "defaults: { on_dependency: crash, p_fail: 1.0e-4, p_repair: 0.1 }\n"
            "graph: { path: er.txt, q: %.17g }\n",
            q);
    fclose(f);

    double t0 = bench_now();
    fl_model *md = fl_model_create();
    if (fl_model_load(md, model) != FL_OK) {
        fprintf(stderr, "bench_step: %s\n", fl_model_error(md));
        return 65;
    }
    double load = bench_now() - t0;
    double *times = calloc(reps + 1, sizeof *times), mean_down = 0;
    char used[16] = "", device[160] = "";
    for (uint32_t rep = 0; rep <= reps; rep++) { /* rep 0 warms up */
        fl_run_options o;
        fl_run_options_init(&o);
        o.trials = trials;
        o.steps = steps;
        o.threads = threads;
        o.backend = backend;
        fl_sim *sim = NULL;
        char msg[4096];
        int status = fl_sim_create(&sim, md, &o, msg, sizeof msg);
        if (status != FL_OK) {
            fprintf(stderr, "bench_step: %s\n", msg);
            return fl_status_exit_code(status);
        }
        if (fl_sim_run(sim) != FL_OK) {
            fprintf(stderr, "bench_step: run failed: %s\n", fl_sim_error(sim));
            return 70;
        }
        snprintf(used, sizeof used, "%s", fl_sim_backend(sim));
        snprintf(device, sizeof device, "%s", fl_sim_device(sim));
        times[rep] = fl_sim_step_seconds(sim);
        mean_down = 0;
        for (uint32_t t = 1; t <= steps; t++)
            mean_down += fl_sim_down_fraction(sim)[t] / steps;
        fl_sim_destroy(&sim);
    }
    qsort(times + 1, reps, sizeof *times, bench_cmp_double);
    double median = times[1 + reps / 2];
    double m = (double)fl_model_edge_count(md);
    double ets = m * trials * steps / median;
    double bw = memory_bandwidth(), philox = philox_rate(threads);
    /* Per edge and trial word the pull reads the source's D word (8 B) and
     * the edge record (16 B, cached across the words of a vertex); per
     * vertex word it reads C, P, B, D and writes C, P, B, D (64 B). */
    double words = (double)trials / 64.0;
    double bytes_step = (m * 8.0 + (double)n * 64.0) * words + m * 16.0;
    for (char *c = device; *c; c++)
        if (*c == '"' || *c == '\\')
            *c = '\'';
    printf("{\n  \"workload\": \"SIS on undirected Erdos-Renyi\",\n"
           "  \"backend\": \"%s\", \"device\": \"%s\",\n"
           "  \"vertices\": %u, \"edges\": %.0f, \"q\": %g, \"trials\": %u, \"steps\": %u, \"threads\": %d,\n"
           "  \"reps\": %u, \"load_seconds\": %.3f, \"step_seconds_median\": %.4f,\n"
           "  \"edge_trial_steps_per_second\": %.4g, \"mean_down_fraction\": %.6f,\n"
           "  \"bytes_per_step_minimum\": %.4g, \"achieved_bytes_per_second\": %.4g,\n"
           "  \"memory_bandwidth_bytes_per_second\": %.4g, \"philox_blocks_per_second\": %.4g\n}\n",
           used, device, n, m, q, trials, steps, threads, reps, load, median / steps * steps, ets, mean_down,
           bytes_step, bytes_step * steps / median, bw, philox);
    fl_model_destroy(&md);
    free(times);
    unlink(edges);
    unlink(model);
    rmdir(dir);
    return 0;
}
