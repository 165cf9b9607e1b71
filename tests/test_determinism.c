/*
 * test_determinism.c - MODEL.md section 4: results do not depend on the
 * thread count, trial i's trajectory depends only on (model, seed, i) so
 * that any split of a trial range reproduces the same trials, and the seed
 * matters.
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define T_STEPS 30

static fl_model *model(uint32_t seed)
{
    return tu_load_generated(60, seed);
}

static int same_run(const fl_sim *a, const fl_sim *b, uint32_t n)
{
    size_t T1 = fl_sim_steps(a) + 1, N = fl_sim_trials(a);
    uint32_t pa = 0, pb = 0;
    const double *sa = fl_sim_vertex_down_series(a, &pa), *sb = fl_sim_vertex_down_series(b, &pb);
    return !memcmp(fl_sim_down_count(a), fl_sim_down_count(b), N * T1 * sizeof(uint32_t)) &&
           !memcmp(fl_sim_system_down_trial(a), fl_sim_system_down_trial(b), N * T1) &&
           !memcmp(fl_sim_down_fraction(a), fl_sim_down_fraction(b), T1 * sizeof(double)) &&
           !memcmp(fl_sim_system_down(a), fl_sim_system_down(b), T1 * sizeof(double)) &&
           !memcmp(fl_sim_vertex_unavailability(a), fl_sim_vertex_unavailability(b), n * sizeof(double)) && pa == pb &&
           (!sa || !memcmp(sa, sb, (size_t)pa * n * sizeof(double)));
}

static void test_threads(void)
{
    for (int prop = FL_PROP_SYNCHRONOUS; prop <= FL_PROP_INSTANT; prop++) {
        fl_model *md = model(3 + (uint32_t)prop);
        fl_sim *one = tu_run(md, 700, T_STEPS, 9, 0, 1, prop, 3);
        fl_sim *two = tu_run(md, 700, T_STEPS, 9, 0, 2, prop, 3);
        fl_sim *five = tu_run(md, 700, T_STEPS, 9, 0, 5, prop, 3);
        CU_ASSERT(one && two && five && same_run(one, two, 60) && same_run(one, five, 60));
        fl_sim_destroy(&one);
        fl_sim_destroy(&two);
        fl_sim_destroy(&five);
        fl_model_destroy(&md);
    }
}

/* [I, I+N) run at once equals [I, I+a) and [I+a, I+N) run apart. */
static void test_trial_split(void)
{
    /* the last split crosses whole groups of 16 words (1024 trials: one
     * crash stream each, stepped together by the OpenMP backend) */
    const uint64_t I[] = {0, 5, 128, 700};
    const uint64_t a[] = {77, 64, 1, 1100};
    const uint64_t Ns[] = {333, 333, 333, 2600};
    /* seed 12 steps in push mode and in the event form (genmodel.h), 11
     * and 13 pull */
    const uint32_t seeds[] = {11, 12, 12, 13};
    const int hits[] = {FL_HITS_AUTO, FL_HITS_PUSH, FL_HITS_EVENT, FL_HITS_AUTO};
    for (int run = 0; run < 4; run++) {
        int prop = run < 3 ? FL_PROP_SYNCHRONOUS : FL_PROP_INSTANT, h = hits[run];
        fl_model *md = model(seeds[run]);
        for (int c = 0; c < 4; c++) {
            uint64_t N = Ns[c];
            fl_sim *all = tu_run_hits(md, (int64_t)N, T_STEPS, 4, I[c], 2, prop, 0, h);
            fl_sim *lo = tu_run_hits(md, (int64_t)a[c], T_STEPS, 4, I[c], 1, prop, 0, h);
            fl_sim *hi = tu_run_hits(md, (int64_t)(N - a[c]), T_STEPS, 4, I[c] + a[c], 2, prop, 0, h);
            CU_ASSERT_FATAL(all && lo && hi);
            size_t T1 = T_STEPS + 1;
            CU_ASSERT(!memcmp(fl_sim_down_count(all), fl_sim_down_count(lo), a[c] * T1 * 4));
            CU_ASSERT(!memcmp(fl_sim_down_count(all) + a[c] * T1, fl_sim_down_count(hi), (N - a[c]) * T1 * 4));
            CU_ASSERT(!memcmp(fl_sim_system_down_trial(all), fl_sim_system_down_trial(lo), a[c] * T1));
            CU_ASSERT(
                !memcmp(fl_sim_system_down_trial(all) + a[c] * T1, fl_sim_system_down_trial(hi), (N - a[c]) * T1));
            /* the merged means equal the whole run's */
            for (size_t t = 0; t < T1; t++) {
                double merged =
                    (fl_sim_system_down(lo)[t] * (double)a[c] + fl_sim_system_down(hi)[t] * (double)(N - a[c])) /
                    (double)N;
                CU_ASSERT_DOUBLE_EQUAL(merged, fl_sim_system_down(all)[t], 1e-12);
            }
            fl_sim_destroy(&all);
            fl_sim_destroy(&lo);
            fl_sim_destroy(&hi);
        }
        fl_model_destroy(&md);
    }
}

static void test_seed_matters(void)
{
    fl_model *md = model(21);
    fl_sim *a = tu_run(md, 256, T_STEPS, 1, 0, 2, FL_PROP_DEFAULT, 0);
    fl_sim *b = tu_run(md, 256, T_STEPS, 2, 0, 2, FL_PROP_DEFAULT, 0);
    fl_sim *c = tu_run(md, 256, T_STEPS, 1, 0, 2, FL_PROP_DEFAULT, 0);
    CU_ASSERT_FATAL(a && b && c);
    size_t bytes = 256 * (T_STEPS + 1) * sizeof(uint32_t);
    CU_ASSERT(memcmp(fl_sim_down_count(a), fl_sim_down_count(b), bytes) != 0);
    CU_ASSERT(memcmp(fl_sim_down_count(a), fl_sim_down_count(c), bytes) == 0);
    fl_sim_destroy(&a);
    fl_sim_destroy(&b);
    fl_sim_destroy(&c);
    fl_model_destroy(&md);
}

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    CU_pSuite s = CU_add_suite("determinism", NULL, NULL);
    CU_add_test(s, "1, 2 and 5 threads give identical results", test_threads);
    CU_add_test(s, "trial ranges split anywhere reproduce the same trials", test_trial_split);
    CU_add_test(s, "the seed changes the trials, the same seed repeats them", test_seed_matters);
    return tu_main();
}
