/*
 * test_reference.c - the packed engine agrees trial for trial with the
 * naive scalar reference (tests/reference.c): every per-trial count of down
 * vertices, every system state, and the per-vertex fractions at every step,
 * for the conformance models and for random models using every feature,
 * in both propagation modes, with trial ranges that start and end inside a
 * word.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reference.h"
#include "testutil.h"

/* Compares one run; returns the number of mismatches (asserted zero). */
static void compare(const char *label, const fl_model *md, uint64_t seed, uint64_t first, uint64_t N, uint32_t T,
                    int prop, int hits)
{
    fl_sim *sim = tu_run_hits(md, (int64_t)N, T, (int64_t)seed, first, 2, prop, 1, hits);
    ref_out ref;
    CU_ASSERT_FATAL(ref_run(md, seed, first, N, T, prop, hits, &ref) == 0);
    if (!sim) {
        ref_free(&ref);
        return;
    }
    uint32_t n = md->n;
    size_t T1 = (size_t)T + 1, bad = 0;
    const uint32_t *dc = fl_sim_down_count(sim);
    const uint8_t *sd = fl_sim_system_down_trial(sim);
    for (size_t i = 0; i < N * T1; i++) {
        bad += dc[i] != ref.down_count[i];
        bad += sd[i] != ref.system_down[i];
    }
    for (uint32_t t = 0; t <= T; t++) {
        for (uint32_t v = 0; v < n; v++) {
            uint64_t c = 0;
            for (uint64_t tr = 0; tr < N; tr++)
                c += ref.vertex_down[(tr * T1 + t) * n + v];
            bad += tu_vertex_down(sim, n, t, v) != (double)c / (double)N;
        }
    }
    if (bad)
        fprintf(stderr, "\n  %s (%s, %s): %zu mismatches with the reference\n", label,
                prop == FL_PROP_INSTANT ? "instant" : "synchronous", fl_sim_hit_form(sim), bad);
    CU_ASSERT_EQUAL(bad, 0);
    ref_free(&ref);
    fl_sim_destroy(&sim);
}

static void test_conformance_models(void)
{
    const char *names[] = {"01_sis_triangle", "02_supervised_pair", "03_pool_replacement", "04_quorum_instant"};
    for (int i = 0; i < 4; i++) {
        fl_model *md = tu_load_conformance(names[i]);
        if (!md)
            continue;
        compare(names[i], md, 5 + (uint64_t)i, 37, 300, 30, md->propagation, FL_HITS_AUTO);
        fl_model_destroy(&md);
    }
}

static void test_random_models(int prop)
{
    for (uint32_t seed = 1; seed <= 12; seed++) {
        fl_model *md = tu_load_generated(14 + seed * 3, seed);
        if (!md)
            continue;
        char label[64];
        snprintf(label, sizeof label, "generated model %u", seed);
        compare(label, md, 1000 + seed, seed * 29, 64 + seed * 11, 25, prop, FL_HITS_AUTO);
        /* the push-mode seeds (genmodel.h) in every form they allow: pulled
         * (the form of versions before push mode), pushed, and the event
         * form (seed 12) */
        if (seed % 3 == 0 && prop == FL_PROP_SYNCHRONOUS) {
            compare(label, md, 1000 + seed, seed * 29, 64 + seed * 11, 25, prop, FL_HITS_PULL);
            compare(label, md, 1000 + seed, seed * 29, 64 + seed * 11, 25, prop, FL_HITS_PUSH);
            compare(label, md, 1000 + seed, seed * 29, 64 + seed * 11, 25, prop, FL_HITS_EVENT);
            /* the event form's lists from a room of one vertex: grown
             * (twice, ...) whenever a step needs more, with the same draws */
            CU_ASSERT_FATAL(setenv("FAULTLINE_EVENT_ROOM", "1", 1) == 0);
            compare(label, md, 1000 + seed, seed * 29, 64 + seed * 11, 25, prop, FL_HITS_EVENT);
            CU_ASSERT_FATAL(unsetenv("FAULTLINE_EVENT_ROOM") == 0);
            /* trials on both sides of 2^32: the event form's counter holds
             * the trial's bits 32.. in its purpose */
            compare(label, md, 1000 + seed, ((uint64_t)1 << 32) - 40, 80, 10, prop, FL_HITS_EVENT);
            fl_sim *sim = tu_run_hits(md, 64, 1, 1, 0, 1, prop, 0, FL_HITS_EVENT);
            CU_ASSERT(sim && !strcmp(fl_sim_hit_form(sim), seed % 12 == 0 ? "event" : "push"));
            fl_sim_destroy(&sim);
        }
        fl_model_destroy(&md);
    }
}

static void test_random_sync(void)
{
    test_random_models(FL_PROP_SYNCHRONOUS);
}
static void test_random_instant(void)
{
    test_random_models(FL_PROP_INSTANT);
}

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    CU_pSuite s = CU_add_suite("reference", NULL, NULL);
    CU_add_test(s, "conformance models equal the naive reference trial for trial", test_conformance_models);
    CU_add_test(s, "random models, synchronous, equal the reference", test_random_sync);
    CU_add_test(s, "random models, instant, equal the reference", test_random_instant);
    return tu_main();
}
