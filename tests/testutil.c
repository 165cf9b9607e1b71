/*
 * testutil.c - helpers shared by the tests (see testutil.h).
 */
#include "testutil.h"
#include "genmodel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *tu_tmpdir(void)
{
    static char dir[256];
    if (!dir[0]) {
        const char *base = getenv("TMPDIR");
        snprintf(dir, sizeof dir, "%s/faultline-test-XXXXXX", base && *base ? base : "/tmp");
        if (!mkdtemp(dir)) {
            perror("mkdtemp");
            exit(2);
        }
    }
    return dir;
}

const char *tu_write(const char *name, const char *text)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", tu_tmpdir(), name);
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(2);
    }
    fputs(text, f);
    fclose(f);
    return path;
}

fl_model *tu_load(const char *path)
{
    fl_model *md = fl_model_create();
    int status = fl_model_load(md, path);
    if (status != FL_OK) {
        fprintf(stderr, "\n  model %s did not load: %s\n", path, fl_model_error(md));
        CU_FAIL("model did not load");
        fl_model_destroy(&md);
    }
    return md;
}

fl_model *tu_load_conformance(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/conformance/%s.yaml", FL_TEST_DATA, name);
    return tu_load(path);
}

fl_model *tu_load_text(const char *text)
{
    return tu_load(tu_write("model.yaml", text));
}

fl_model *tu_load_generated(uint32_t n, uint32_t seed)
{
    char *text = gen_model_yaml(n, seed);
    fl_model *md = text ? tu_load_text(text) : NULL;
    free(text);
    return md;
}

fl_sim *tu_run(const fl_model *md, int64_t trials, int64_t steps, int64_t seed, uint64_t offset, int threads,
               int propagation, uint32_t series)
{
    return tu_run_hits(md, trials, steps, seed, offset, threads, propagation, series, FL_HITS_AUTO);
}

fl_sim *tu_run_hits(const fl_model *md, int64_t trials, int64_t steps, int64_t seed, uint64_t offset, int threads,
                    int propagation, uint32_t series, int hits)
{
    fl_run_options o;
    fl_run_options_init(&o);
    o.hits = hits;
    o.trials = trials;
    o.steps = steps;
    o.seed = seed;
    o.trial_offset = offset;
    o.threads = threads;
    o.propagation = propagation;
    o.vertex_series = series;
    o.backend = FL_BACKEND_OPENMP; /* the cpu suites; test_opencl compares the backends */
    fl_sim *sim = NULL;
    char msg[512];
    if (!md || fl_sim_create(&sim, md, &o, msg, sizeof msg) != FL_OK) {
        CU_FAIL("fl_sim_create failed");
        return NULL;
    }
    if (fl_sim_run(sim) != FL_OK) {
        CU_FAIL("fl_sim_run failed");
        fl_sim_destroy(&sim);
    }
    return sim;
}

double tu_vertex_down(const fl_sim *sim, uint32_t n, uint32_t t, uint32_t v)
{
    uint32_t points = 0;
    const double *s = fl_sim_vertex_down_series(sim, &points);
    if (!s || t >= points)
        return -1.0;
    return s[(size_t)t * n + v];
}

int tu_main(void)
{
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
    CU_cleanup_registry();
    return failed ? 1 : 0;
}
