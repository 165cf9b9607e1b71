/*
 * test_conformance.c - the conformance models (tests/conformance/, copied
 * from the contract) against their exact values, statistically.
 *
 * For every model, step t and quantity (down_fraction, system_down, and
 * P(vertex v down) for every v) the estimate from N = 2^20 trials must lie
 * within Z standard errors of the exact value p, SE = sqrt(p (1-p) / N).
 * (down_fraction is a mean of per-vertex indicators; its variance is at most
 * p (1-p) / N, so the same SE is conservative.)  With about 600 comparisons
 * in all, Z = 6.5 makes a false failure of a correct engine less likely than
 * 600 x 8e-11 = 5e-8 per run; a further 0.5/N allows for the discreteness
 * of the counts.  An exact 0 or 1 must come out exactly.  The largest |z|
 * is printed, for the record.
 */
#include <libfyaml.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "model.h"
#include "testutil.h"

#define N_TRIALS 1048576
#define Z_MAX 6.5

static double max_abs_z = 0.0;

static double number(struct fy_node *node)
{
    const char *text = node ? fy_node_get_scalar0(node) : NULL;
    return text ? strtod(text, NULL) : NAN;
}

static int within(double got, double p, const char *what, const char *model, int t, int v)
{
    double se = sqrt(p * (1.0 - p) / N_TRIALS);
    double diff = fabs(got - p);
    if (se > 0 && (diff - 0.5 / N_TRIALS) / se > max_abs_z)
        max_abs_z = (diff - 0.5 / N_TRIALS) / se;
    if (diff <= Z_MAX * se + 0.5 / N_TRIALS + 1e-12)
        return 1;
    fprintf(stderr, "\n  %s: %s at step %d (vertex %d): %.6f, exact %.6f (%.1f SE)\n", model, what, t, v, got, p,
            se > 0 ? diff / se : INFINITY);
    return 0;
}

static void check_model(const char *name)
{
    char path[512];
    fl_model *md = tu_load_conformance(name);
    snprintf(path, sizeof path, "%s/conformance/%s.expected.json", FL_TEST_DATA, name);
    struct fy_document *doc = fy_document_build_from_file(NULL, path);
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    struct fy_node *root = fy_document_root(doc);
    struct fy_node *df = fy_node_mapping_lookup_by_string(root, "down_fraction", FY_NT);
    struct fy_node *sd = fy_node_mapping_lookup_by_string(root, "system_down", FY_NT);
    struct fy_node *vd = fy_node_mapping_lookup_by_string(root, "vertex_down", FY_NT);
    CU_ASSERT_FATAL(md && df && sd && vd);
    int T = fy_node_sequence_item_count(df) - 1;
    uint32_t n = fl_model_vertex_count(md);
    CU_ASSERT_EQUAL((uint32_t)T, md->steps); /* the file's steps are the expected length */
    fl_sim *sim = tu_run(md, N_TRIALS, T, -1, 0, 0, FL_PROP_DEFAULT, 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sim);
    int bad = 0, compared = 0;
    for (int t = 0; t <= T; t++) {
        bad += !within(fl_sim_down_fraction(sim)[t], number(fy_node_sequence_get_by_index(df, t)), "down_fraction",
                       name, t, -1);
        bad += !within(fl_sim_system_down(sim)[t], number(fy_node_sequence_get_by_index(sd, t)), "system_down", name, t,
                       -1);
        struct fy_node *row = fy_node_sequence_get_by_index(vd, t);
        CU_ASSERT_EQUAL(fy_node_sequence_item_count(row), (int)n);
        for (uint32_t v = 0; v < n; v++)
            bad += !within(tu_vertex_down(sim, n, (uint32_t)t, v), number(fy_node_sequence_get_by_index(row, (int)v)),
                           "vertex_down", name, t, (int)v);
        compared += 2 + (int)n;
    }
    printf(" [%d comparisons, largest |z| so far %.2f] ", compared, max_abs_z);
    CU_ASSERT_EQUAL(bad, 0);
    fl_sim_destroy(&sim);
    fl_model_destroy(&md);
    fy_document_destroy(doc);
}

static void test_sis_triangle(void)
{
    check_model("01_sis_triangle");
}
static void test_supervised_pair(void)
{
    check_model("02_supervised_pair");
}
static void test_pool_replacement(void)
{
    check_model("03_pool_replacement");
}
static void test_quorum_instant(void)
{
    check_model("04_quorum_instant");
}

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    CU_pSuite s = CU_add_suite("conformance", NULL, NULL);
    CU_add_test(s, "01 SIS triangle", test_sis_triangle);
    CU_add_test(s, "02 supervised pair (detect delay, restarts)", test_supervised_pair);
    CU_add_test(s, "03 pool replacement (capacity, boot delay)", test_pool_replacement);
    CU_add_test(s, "04 quorum, instant propagation, forced_down", test_quorum_instant);
    int rc = tu_main();
    printf("largest |z| against the exact values: %.3f (tolerance %.1f)\n", max_abs_z, Z_MAX);
    return rc;
}
