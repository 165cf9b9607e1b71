/*
 * test_rules.c - MODEL.md sections 2 and 3, rule by rule.
 *
 * Each test is built so that a wrong implementation of the rule it names
 * fails it: the initial states, the hit (weights, threshold, threshold 0,
 * threshold_fraction, q), one hop per step, degrade versus crash,
 * spontaneous crashes and repairs, permanent crashes, supervisors
 * (detect_delay, p_restart, a supervisor that is down), pools (order,
 * capacity per trial, boot_delay, the pool or the supervisor being down),
 * the crash age, targets with k, instant propagation (least fixpoint) and
 * the consistency of the result arrays.
 *
 * The tests are written against MODEL.md, not against the engine: every
 * expected value below is worked out by hand from section 3.
 *
 * Deterministic checks.  Most models use probabilities 0 and 1 only (both
 * exact: p = 1 always fires, p = 0 never), so every trial follows the same
 * trajectory and the down state of a vertex at every step is written as a
 * pattern "0111...": character t is 1 when the vertex is down at step t
 * (step 0 first).  The run keeps a vertex series with stride 1, so the
 * fraction of trials with v down at step t must be exactly 0.0 or 1.0 and
 * is compared with the pattern.  Deterministic runs use 100 trials: one
 * full word of 64 trials and a partly used second word.
 *
 * Statistical checks.  The rules that draw with 0 < p < 1 (q, p_restart,
 * p_permanent, p_fail, p_repair) are checked on 2^16 trials: the observed
 * fraction must lie within 6 standard errors sqrt(p(1-p)/N) of the
 * probability MODEL.md implies (a false alarm has probability about 2e-9
 * per check; the seed is fixed, so every run is reproducible anyway).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "testutil.h"

#define DET_TRIALS 100
#define STAT_TRIALS 65536 /* 2^16 */
#define STAT_SE 6.0       /* tolerance in standard errors */
#define SEED 7

/* ------------------------------------------------------------- helpers */

/* A growing model text. */
typedef struct text {
    char buf[32768];
    size_t len;
} text;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void
add(text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(t->buf + t->len, sizeof t->buf - t->len, fmt, ap);
    va_end(ap);
    if (w > 0)
        t->len += (size_t)w;
    if (t->len >= sizeof t->buf) {
        fprintf(stderr, "test_rules: model text too long\n");
        exit(2);
    }
}

/* A loaded model and its finished run. */
typedef struct run {
    fl_model *md;
    fl_sim *sim;
    uint32_t n, steps;
    uint64_t trials;
    char ctx[96]; /* what the run is, for the failure messages */
} run;

/* Loads yaml and runs it (seed SEED, 2 threads, vertex series stride 1)
 * with the hit form `hits` (enum fl_hits).  0 on failure (the current test
 * has then failed already). */
static int start_hits(run *r, const char *yaml, uint64_t trials, uint32_t steps, int propagation, const char *ctx,
                      int hits)
{
    memset(r, 0, sizeof *r);
    snprintf(r->ctx, sizeof r->ctx, "%s", ctx);
    r->md = tu_load_text(yaml);
    if (!r->md)
        return 0;
    r->n = fl_model_vertex_count(r->md);
    r->steps = steps;
    r->trials = trials;
    r->sim = tu_run_hits(r->md, (int64_t)trials, steps, SEED, 0, 2, propagation, 1, hits);
    return r->sim != NULL;
}

static int start(run *r, const char *yaml, uint64_t trials, uint32_t steps, int propagation, const char *ctx)
{
    return start_hits(r, yaml, trials, steps, propagation, ctx, FL_HITS_AUTO);
}

static void finish(run *r)
{
    fl_sim_destroy(&r->sim);
    fl_model_destroy(&r->md);
}

static uint32_t vertex(const run *r, const char *name)
{
    for (uint32_t v = 0; v < r->n; v++)
        if (!strcmp(fl_model_vertex_name(r->md, v), name))
            return v;
    return UINT32_MAX;
}

static void report(int ok, unsigned line, const char *msg)
{
    CU_assertImplementation(ok ? CU_TRUE : CU_FALSE, line, msg, __FILE__, "", CU_FALSE);
}

/* Vertex name is down in every trial at the steps where want has '1' and
 * in none where it has '0' (want[t] is step t). */
static void check_down(const run *r, const char *name, const char *want, unsigned line)
{
    char got[256], msg[768];
    size_t len = strlen(want);
    uint32_t v = vertex(r, name);
    int ok = v != UINT32_MAX && len <= (size_t)r->steps + 1 && len < sizeof got;
    size_t shown = len < sizeof got ? len : sizeof got - 1;
    for (size_t t = 0; t < shown; t++) {
        double f = v == UINT32_MAX ? -1.0 : tu_vertex_down(r->sim, r->n, (uint32_t)t, v);
        got[t] = f == 0.0 ? '0' : f == 1.0 ? '1' : '?';
    }
    got[shown] = '\0';
    ok = ok && !strcmp(got, want);
    snprintf(msg, sizeof msg, "[%s] vertex %s down at steps 0..%zu: expected %s, got %s%s", r->ctx, name,
             len ? len - 1 : 0, want, got, v == UINT32_MAX ? " (no such vertex)" : "");
    report(ok, line, msg);
}
#define EXPECT_DOWN(r, name, want) check_down((r), (name), (want), __LINE__)

/* The system is down in every trial at the steps where want has '1', in
 * none where it has '0'. */
static void check_system(const run *r, const char *want, unsigned line)
{
    char got[256], msg[768];
    size_t len = strlen(want), T1 = (size_t)r->steps + 1;
    int ok = len <= T1 && len < sizeof got;
    const double *sys = fl_sim_system_down(r->sim);
    const uint8_t *tr = fl_sim_system_down_trial(r->sim);
    size_t shown = len < sizeof got ? len : sizeof got - 1;
    if (shown > T1)
        shown = T1;
    for (size_t t = 0; t < shown; t++) {
        got[t] = sys[t] == 0.0 ? '0' : sys[t] == 1.0 ? '1' : '?';
        for (uint64_t i = 0; i < r->trials; i++)
            ok = ok && tr[i * T1 + t] == (uint8_t)(want[t] == '1');
    }
    got[shown] = '\0';
    ok = ok && !strcmp(got, want);
    snprintf(msg, sizeof msg, "[%s] system down at steps 0..%zu: expected %s, got %s (or a trial differs)", r->ctx,
             len ? len - 1 : 0, want, got);
    report(ok, line, msg);
}
#define EXPECT_SYSTEM(r, want) check_system((r), (want), __LINE__)

/* An observed fraction within STAT_SE standard errors of p (exact when p
 * is 0 or 1). */
static void check_prob(const run *r, double got, double p, const char *what, unsigned line)
{
    char msg[768];
    double tol = STAT_SE * sqrt(p * (1.0 - p) / (double)r->trials);
    int ok = fabs(got - p) <= tol + 1e-12;
    snprintf(msg, sizeof msg, "[%s] %s: observed %.6f, expected %.6f +- %.6f (%.0f standard errors, %llu trials)",
             r->ctx, what, got, p, tol, STAT_SE, (unsigned long long)r->trials);
    report(ok, line, msg);
}
#define EXPECT_PROB(r, got, p, what) check_prob((r), (got), (p), (what), __LINE__)

/* P(vertex name down at step t), statistically. */
static void check_vertex_prob(const run *r, const char *name, uint32_t t, double p, unsigned line)
{
    char what[128];
    uint32_t v = vertex(r, name);
    snprintf(what, sizeof what, "P(%s down at step %u)", name, t);
    check_prob(r, v == UINT32_MAX ? -1.0 : tu_vertex_down(r->sim, r->n, t, v), p, what, line);
}
#define EXPECT_VERTEX_PROB(r, name, t, p) check_vertex_prob((r), (name), (t), (p), __LINE__)

/* '1' for t <= last_down, '0' after, steps + 1 characters. */
static const char *down_until(char *buf, uint32_t last_down, uint32_t steps)
{
    for (uint32_t t = 0; t <= steps; t++)
        buf[t] = t <= last_down ? '1' : '0';
    buf[steps + 1] = '\0';
    return buf;
}

/* ---------------------------------------------------- 1. hit, threshold */

/* Rule 3.1 (hit): S_v sums the WEIGHTS of the down in-neighbours and v is
 * hit when S_v >= theta.  Weights a:2, b:1, c:1, theta 3: every subset of
 * forced_down sources, v hit exactly for {a,b}, {a,c}, {a,b,c}.  Also a
 * crash vertex with the same edges.  At t = 0, I = 0: v is up. */
static void test_hit_weighted_threshold(void)
{
    for (unsigned mask = 0; mask < 8; mask++) {
        unsigned S = ((mask & 1u) ? 2u : 0u) + ((mask & 2u) ? 1u : 0u) + ((mask & 4u) ? 1u : 0u);
        text y = {{0}, 0};
        add(&y, "faultline: 1\nname: weighted\nvertices:\n");
        add(&y, "  - { name: a, initial: %s }\n", (mask & 1u) ? "forced_down" : "up");
        add(&y, "  - { name: b, initial: %s }\n", (mask & 2u) ? "forced_down" : "up");
        add(&y, "  - { name: c, initial: %s }\n", (mask & 4u) ? "forced_down" : "up");
        add(&y, "  - { name: v, threshold: 3 }\n"
                "  - { name: vc, threshold: 3, on_dependency: crash }\n"
                "edges:\n"
                "  - { from: a, to: v, weight: 2 }\n"
                "  - { from: b, to: v }\n"
                "  - { from: c, to: v, weight: 1 }\n"
                "  - { from: a, to: vc, weight: 2 }\n"
                "  - { from: b, to: vc }\n"
                "  - { from: c, to: vc }\n"
                "targets: { vertices: [v] }\n");
        char ctx[64];
        snprintf(ctx, sizeof ctx, "down sources%s%s%s, S = %u, theta 3", (mask & 1u) ? " a(2)" : "",
                 (mask & 2u) ? " b(1)" : "", (mask & 4u) ? " c(1)" : "", S);
        run r;
        if (start(&r, y.buf, DET_TRIALS, 3, FL_PROP_DEFAULT, ctx)) {
            EXPECT_DOWN(&r, "v", S >= 3 ? "0111" : "0000");
            EXPECT_DOWN(&r, "vc", S >= 3 ? "0111" : "0000");
            EXPECT_SYSTEM(&r, S >= 3 ? "0111" : "0000");
        }
        finish(&r);
    }
}

/* Section 2 (threshold 0 means never hit), rule 3.1 (theta_v > 0). */
static void test_hit_threshold_zero(void)
{
    static const char *y = "faultline: 1\nname: theta0\n"
                           "vertices:\n"
                           "  - { name: f, initial: forced_down }\n"
                           "  - { name: z, threshold: 0 }\n"
                           "  - { name: zc, threshold: 0, on_dependency: crash }\n"
                           "  - { name: one }\n"
                           "edges:\n"
                           "  - { from: f, to: z, weight: 5 }\n"
                           "  - { from: f, to: zc }\n"
                           "  - { from: f, to: one }\n"
                           "targets: { vertices: [z] }\n";
    run r;
    if (start(&r, y, DET_TRIALS, 4, FL_PROP_DEFAULT, "threshold 0")) {
        EXPECT_DOWN(&r, "z", "00000");
        EXPECT_DOWN(&r, "zc", "00000");
        EXPECT_DOWN(&r, "one", "01111"); /* threshold default 1 */
        EXPECT_SYSTEM(&r, "00000");
    }
    finish(&r);
    if (start(&r, y, DET_TRIALS, 4, FL_PROP_INSTANT, "threshold 0, instant")) {
        EXPECT_DOWN(&r, "z", "00000");
        EXPECT_DOWN(&r, "zc", "00000");
    }
    finish(&r);
}

/* Section 2 (threshold_fraction): theta = ceil(phi * sum of in-edge
 * weights), overriding threshold.  With the first k sources forced_down:
 *   f4: 0.5 of 4 edges -> theta 2      f3: 0.5 of 3 -> ceil(1.5) = 2
 *   e3: 0.34 of 3 -> ceil(1.02) = 2    h3: 0.33 of 3 -> ceil(0.99) = 1
 *   g3: 1.0 of 3 (threshold: 1 given too, overridden) -> 3
 *   fw: 0.5 of weights 3 + 1 = 4 -> 2: hit iff the weight-3 source is down. */
static void test_hit_threshold_fraction(void)
{
    for (unsigned k = 0; k <= 4; k++) {
        unsigned k3 = k < 3 ? k : 3, wm = k % 4; /* wm bit 0: w3 down, bit 1: w1 down */
        text y = {{0}, 0};
        add(&y, "faultline: 1\nname: fraction\nvertices:\n");
        for (unsigned i = 0; i < 4; i++)
            add(&y, "  - { name: s%u, initial: %s }\n", i, i < k ? "forced_down" : "up");
        for (unsigned i = 0; i < 3; i++)
            add(&y, "  - { name: t%u, initial: %s }\n", i, i < k3 ? "forced_down" : "up");
        add(&y, "  - { name: w3, initial: %s }\n", (wm & 1u) ? "forced_down" : "up");
        add(&y, "  - { name: w1, initial: %s }\n", (wm & 2u) ? "forced_down" : "up");
        add(&y, "  - { name: f4, threshold_fraction: 0.5 }\n"
                "  - { name: f3, threshold_fraction: 0.5 }\n"
                "  - { name: e3, threshold_fraction: 0.34 }\n"
                "  - { name: h3, threshold_fraction: 0.33 }\n"
                "  - { name: g3, threshold: 1, threshold_fraction: 1.0 }\n"
                "  - { name: fw, threshold_fraction: 0.5 }\n"
                "edges:\n");
        for (unsigned i = 0; i < 4; i++)
            add(&y, "  - { from: s%u, to: f4 }\n", i);
        for (unsigned i = 0; i < 3; i++)
            add(&y,
                "  - { from: t%u, to: f3 }\n  - { from: t%u, to: e3 }\n"
                "  - { from: t%u, to: h3 }\n  - { from: t%u, to: g3 }\n",
                i, i, i, i);
        add(&y, "  - { from: w3, to: fw, weight: 3 }\n"
                "  - { from: w1, to: fw, weight: 1 }\n"
                "targets: { vertices: [f4] }\n");
        char ctx[80];
        snprintf(ctx, sizeof ctx, "%u of 4 and %u of 3 sources down, w3 %s, w1 %s", k, k3, (wm & 1u) ? "down" : "up",
                 (wm & 2u) ? "down" : "up");
        run r;
        if (start(&r, y.buf, DET_TRIALS, 3, FL_PROP_DEFAULT, ctx)) {
            EXPECT_DOWN(&r, "f4", k >= 2 ? "0111" : "0000");
            EXPECT_DOWN(&r, "f3", k3 >= 2 ? "0111" : "0000");
            EXPECT_DOWN(&r, "e3", k3 >= 2 ? "0111" : "0000");
            EXPECT_DOWN(&r, "h3", k3 >= 1 ? "0111" : "0000");
            EXPECT_DOWN(&r, "g3", k3 >= 3 ? "0111" : "0000");
            EXPECT_DOWN(&r, "fw", (wm & 1u) ? "0111" : "0000");
        }
        finish(&r);
    }
}

/* Section 2 (threshold_fraction): ceil(phi * W) of the decimal phi.  0.28 x
 * 25 = 7 exactly, but 0.28 * 25.0 in binary floating point is
 * 7.000000000000001, whose naive ceil is 8.  With 7 of the 25 sources down
 * the vertex must be hit; with 6 it must not. */
static void test_hit_threshold_fraction_decimal(void)
{
    for (unsigned k = 6; k <= 7; k++) {
        text y = {{0}, 0};
        add(&y, "faultline: 1\nname: fraction-decimal\nvertices:\n");
        for (unsigned i = 0; i < 25; i++)
            add(&y, "  - { name: x%u, initial: %s }\n", i, i < k ? "forced_down" : "up");
        add(&y, "  - { name: q, threshold_fraction: 0.28 }\nedges:\n");
        for (unsigned i = 0; i < 25; i++)
            add(&y, "  - { from: x%u, to: q }\n", i);
        add(&y, "targets: { vertices: [q] }\n");
        char ctx[64];
        snprintf(ctx, sizeof ctx, "phi 0.28 of 25 edges (theta 7), %u down", k);
        run r;
        if (start(&r, y.buf, DET_TRIALS, 3, FL_PROP_DEFAULT, ctx))
            EXPECT_DOWN(&r, "q", k >= 7 ? "0111" : "0000");
        finish(&r);
    }
}

/* Rule 3.1 with q (section 1: "the chance, drawn afresh every step and
 * every trial"): a degrade vertex with one edge q = 0.3 from a forced_down
 * source is down with probability 0.3 at every step >= 1, independently
 * from step to step (P(down at 1 and at 2) = 0.09, read from the per-trial
 * down counts, which are 1 + D_v here).  Statistical: 2^16 trials, 6
 * standard errors. */
static void test_q_transmission(void)
{
    static const char *y = "faultline: 1\nname: q\n"
                           "vertices:\n"
                           "  - { name: f, initial: forced_down }\n"
                           "  - { name: v }\n"
                           "edges:\n"
                           "  - { from: f, to: v, q: 0.3 }\n"
                           "targets: { vertices: [v] }\n";
    run r;
    if (start(&r, y, STAT_TRIALS, 10, FL_PROP_DEFAULT, "q = 0.3")) {
        EXPECT_VERTEX_PROB(&r, "v", 0, 0.0);
        EXPECT_VERTEX_PROB(&r, "v", 1, 0.3);
        EXPECT_VERTEX_PROB(&r, "v", 2, 0.3);
        EXPECT_VERTEX_PROB(&r, "v", 5, 0.3);
        EXPECT_VERTEX_PROB(&r, "v", 10, 0.3);
        const uint32_t *dc = fl_sim_down_count(r.sim);
        size_t T1 = (size_t)r.steps + 1;
        uint64_t both12 = 0, both1_10 = 0;
        for (uint64_t i = 0; i < r.trials; i++) {
            const uint32_t *row = dc + i * T1;
            both12 += row[1] == 2 && row[2] == 2;
            both1_10 += row[1] == 2 && row[10] == 2;
        }
        EXPECT_PROB(&r, (double)both12 / (double)r.trials, 0.09, "P(v down at steps 1 and 2)");
        EXPECT_PROB(&r, (double)both1_10 / (double)r.trials, 0.09, "P(v down at steps 1 and 10)");
    }
    finish(&r);
}

/* Rule 3.1 with several q edges: X_uv independent per edge, and S sums
 * w_uv * X_uv.  From two forced_down sources:
 *   u (theta 1, q 0.3 and 0.3): 1 - 0.7^2 = 0.51
 *   w (theta 2, weights 1, q 0.5 and 0.5): both must transmit: 0.25
 *   cw (theta 2, weight 2 q 0.5 from f1, weight 1 q 0.5 from f2): 0.5
 *   z0 (q 0): never, z1 (q 1): always (exact).
 * Statistical: 2^16 trials, 6 standard errors. */
static void test_q_several_edges(void)
{
    static const char *y = "faultline: 1\nname: q-edges\n"
                           "vertices:\n"
                           "  - { name: f1, initial: forced_down }\n"
                           "  - { name: f2, initial: forced_down }\n"
                           "  - { name: u }\n"
                           "  - { name: w, threshold: 2 }\n"
                           "  - { name: cw, threshold: 2 }\n"
                           "  - { name: z0 }\n"
                           "  - { name: z1 }\n"
                           "edges:\n"
                           "  - { from: f1, to: u, q: 0.3 }\n"
                           "  - { from: f2, to: u, q: 0.3 }\n"
                           "  - { from: f1, to: w, q: 0.5 }\n"
                           "  - { from: f2, to: w, q: 0.5 }\n"
                           "  - { from: f1, to: cw, q: 0.5, weight: 2 }\n"
                           "  - { from: f2, to: cw, q: 0.5 }\n"
                           "  - { from: f1, to: z0, q: 0 }\n"
                           "  - { from: f1, to: z1, q: 1 }\n"
                           "targets: { vertices: [u] }\n";
    run r;
    if (start(&r, y, STAT_TRIALS, 4, FL_PROP_DEFAULT, "several q edges")) {
        for (uint32_t t = 1; t <= 4; t += 3) {
            EXPECT_VERTEX_PROB(&r, "u", t, 0.51);
            EXPECT_VERTEX_PROB(&r, "w", t, 0.25);
            EXPECT_VERTEX_PROB(&r, "cw", t, 0.5);
        }
        EXPECT_DOWN(&r, "z0", "00000");
        EXPECT_DOWN(&r, "z1", "01111");
    }
    finish(&r);
}

/* The hit rules once more with every q below 1/32 and thresholds 0 and 1,
 * which the engine draws by pushing from the down sources (host/graph.c,
 * push mode) instead of pulling into the targets; the law must be the same.
 * From forced_down f1 (q 0.03 on its out-edges) and f2 (q 0.02):
 *   u (degrade, both): 1 - 0.97 x 0.98 at every step;
 *   z (threshold 0): never;
 *   s (crash, p_fail 0.2): 1 - (1 - i)^t, i = 0.2 + 0.8 (1 - 0.97 x 0.98);
 *   g (crash, p_fail 0.2, p_repair 0.4): the SIS recursion;
 * and in a second model a hub h (forced_down) with 40 out-edges of q 0.03 to
 * degrade leaves: the leaves down in a trial are Binomial(40, 0.03) (mean,
 * variance, and none with probability 0.97^40), so the edges of one source
 * transmit independently.  Statistical: 2^16 trials, 6 standard errors. */
static void test_hit_push_mode(void)
{
    static const char *y = "faultline: 1\nname: push\n"
                           "vertices:\n"
                           "  - { name: f1, initial: forced_down }\n"
                           "  - { name: f2, initial: forced_down }\n"
                           "  - { name: u }\n"
                           "  - { name: z, threshold: 0 }\n"
                           "  - { name: s, on_dependency: crash, p_fail: 0.2 }\n"
                           "  - { name: g, on_dependency: crash, p_fail: 0.2, p_repair: 0.4 }\n"
                           "edges:\n"
                           "  - { from: f1, to: u, q: 0.03 }\n"
                           "  - { from: f2, to: u, q: 0.02 }\n"
                           "  - { from: f1, to: z, q: 0.03 }\n"
                           "  - { from: f1, to: s, q: 0.03 }\n"
                           "  - { from: f2, to: s, q: 0.02 }\n"
                           "  - { from: f1, to: g, q: 0.03 }\n"
                           "  - { from: f2, to: g, q: 0.02 }\n"
                           "targets: { vertices: [u] }\n";
    fl_model *md = tu_load_text(y);
    CU_ASSERT_PTR_NOT_NULL_FATAL(md);
    fl_packed pk;
    char why[256];
    CU_ASSERT_EQUAL_FATAL(fl_i_graph_pack(&pk, md, 1, 1, why, sizeof why), FL_OK);
    CU_ASSERT(pk.push); /* else this test would check the pull form again */
    fl_i_graph_free(&pk);
    fl_model_destroy(&md);
    run r;
    if (start(&r, y, STAT_TRIALS, 6, FL_PROP_INSTANT, "push mode, instant")) /* instant steps pull */
        CU_ASSERT_STRING_EQUAL(fl_sim_hit_form(r.sim), "pull");
    finish(&r);
    if (start(&r, y, STAT_TRIALS, 6, FL_PROP_DEFAULT, "push mode")) {
        CU_ASSERT_STRING_EQUAL(fl_sim_hit_form(r.sim), "push");
        double hit = 1.0 - 0.97 * 0.98, inf = 0.2 + 0.8 * hit, x = 0.0;
        for (uint32_t t = 1; t <= 6; t++) {
            x = x * (1.0 - 0.4) + (1.0 - x) * inf;
            EXPECT_VERTEX_PROB(&r, "u", t, hit);
            EXPECT_VERTEX_PROB(&r, "s", t, 1.0 - pow(1.0 - inf, t));
            EXPECT_VERTEX_PROB(&r, "g", t, x);
        }
        EXPECT_DOWN(&r, "z", "0000000");
    }
    finish(&r);

    text hub = {{0}, 0};
    add(&hub, "faultline: 1\nname: hub\nvertices:\n  - { name: h, initial: forced_down }\n");
    for (int i = 0; i < 40; i++)
        add(&hub, "  - { name: l%d }\n", i);
    add(&hub, "edges:\n");
    for (int i = 0; i < 40; i++)
        add(&hub, "  - { from: h, to: l%d, q: 0.03 }\n", i);
    if (start(&r, hub.buf, STAT_TRIALS, 3, FL_PROP_DEFAULT, "push mode, hub")) {
        const uint32_t *dc = fl_sim_down_count(r.sim);
        size_t T1 = (size_t)r.steps + 1;
        for (uint32_t t = 1; t <= 3; t++) {
            double sum = 0, sum2 = 0, none = 0, N = (double)r.trials;
            for (uint64_t i = 0; i < r.trials; i++) {
                double k = (double)dc[i * T1 + t] - 1.0; /* h itself is down */
                sum += k;
                sum2 += k * k;
                none += k == 0;
            }
            double mean = sum / N, var = sum2 / N - mean * mean, bvar = 40 * 0.03 * 0.97;
            char what[96];
            snprintf(what, sizeof what, "P(no leaf down at step %u)", t);
            EXPECT_PROB(&r, none / N, pow(0.97, 40), what);
            report(fabs(mean - 1.2) <= STAT_SE * sqrt(bvar / N), __LINE__,
                   "push mode, hub: mean of Binomial(40, 0.03)");
            report(fabs(var - bvar) <= STAT_SE * sqrt((2 * bvar * bvar + bvar) / N), __LINE__,
                   "push mode, hub: variance of Binomial(40, 0.03)");
        }
    }
    finish(&r);
}

/* The event form (docs/model.md): rule 3.1 with q < 1/32 and rules 3.2
 * and 3.3, drawn per trial.  Forced-down sources f1 (q 0.03) and f2 (q
 * 0.02) into u (p_repair 1: down at t iff up at t-1 and hit), s (p_fail
 * 0.02, never repaired), g (p_fail 0.01, p_repair 0.4), and z (threshold
 * 0: never hit, p_fail 0.005, p_repair 0.3): three fail classes.  A hub h
 * (forced_down) with 40 out-edges of q 0.03 to leaves up at 0: at step 1
 * Binomial(40, 0.03) of them are down.  Statistical: 2^16 trials, 6
 * standard errors; the model is in the event form, checked. */
static void test_hit_event_form(void)
{
    static const char *y = "faultline: 1\nname: event\n"
                           "defaults: { on_dependency: crash }\n"
                           "vertices:\n"
                           "  - { name: f1, initial: forced_down }\n"
                           "  - { name: f2, initial: forced_down }\n"
                           "  - { name: u, p_repair: 1 }\n"
                           "  - { name: s, p_fail: 0.02 }\n"
                           "  - { name: g, p_fail: 0.01, p_repair: 0.4 }\n"
                           "  - { name: z, threshold: 0, p_fail: 0.005, p_repair: 0.3 }\n"
                           "edges:\n"
                           "  - { from: f1, to: u, q: 0.03 }\n"
                           "  - { from: f2, to: u, q: 0.02 }\n"
                           "  - { from: f1, to: s, q: 0.03 }\n"
                           "  - { from: f2, to: s, q: 0.02 }\n"
                           "  - { from: f1, to: g, q: 0.03 }\n"
                           "  - { from: f2, to: g, q: 0.02 }\n"
                           "  - { from: f1, to: z, q: 0.03 }\n"
                           "targets: { vertices: [u, s], k: 2 }\n";
    run r;
    if (start_hits(&r, y, STAT_TRIALS, 6, FL_PROP_DEFAULT, "event form", FL_HITS_EVENT)) {
        CU_ASSERT_STRING_EQUAL(fl_sim_hit_form(r.sim), "event");
        double hit = 1.0 - 0.97 * 0.98, xu = 0.0, xs = 0.0, xg = 0.0, xz = 0.0;
        for (uint32_t t = 1; t <= 6; t++) {
            xu = (1.0 - xu) * hit;
            xs = xs + (1.0 - xs) * (0.02 + 0.98 * hit);
            xg = 0.6 * xg + (1.0 - xg) * (0.01 + 0.99 * hit);
            xz = 0.7 * xz + 0.005 * (1.0 - xz);
            EXPECT_VERTEX_PROB(&r, "u", t, xu);
            EXPECT_VERTEX_PROB(&r, "s", t, xs);
            EXPECT_VERTEX_PROB(&r, "g", t, xg);
            EXPECT_VERTEX_PROB(&r, "z", t, xz);
            /* u and s are independent given the sources (forced down) */
            EXPECT_PROB(&r, fl_sim_system_down(r.sim)[t], xu * xs, "P(system down)");
        }
    }
    finish(&r);

    text hub = {{0}, 0};
    add(&hub, "faultline: 1\nname: hub\ndefaults: { on_dependency: crash }\nvertices:\n"
              "  - { name: h, initial: forced_down }\n");
    for (int i = 0; i < 40; i++)
        add(&hub, "  - { name: l%d }\n", i);
    add(&hub, "edges:\n");
    for (int i = 0; i < 40; i++)
        add(&hub, "  - { from: h, to: l%d, q: 0.03 }\n", i);
    if (start_hits(&r, hub.buf, STAT_TRIALS, 1, FL_PROP_DEFAULT, "event form, hub", FL_HITS_EVENT)) {
        CU_ASSERT_STRING_EQUAL(fl_sim_hit_form(r.sim), "event");
        const uint32_t *dc = fl_sim_down_count(r.sim);
        double sum = 0, sum2 = 0, none = 0, N = (double)r.trials;
        for (uint64_t i = 0; i < r.trials; i++) {
            double k = (double)dc[i * 2 + 1] - 1.0; /* h itself is down */
            sum += k;
            sum2 += k * k;
            none += k == 0;
        }
        double mean = sum / N, var = sum2 / N - mean * mean, bvar = 40 * 0.03 * 0.97;
        EXPECT_PROB(&r, none / N, pow(0.97, 40), "P(no leaf down at step 1)");
        report(fabs(mean - 1.2) <= STAT_SE * sqrt(bvar / N), __LINE__, "event form, hub: mean of Binomial(40, 0.03)");
        report(fabs(var - bvar) <= STAT_SE * sqrt((2 * bvar * bvar + bvar) / N), __LINE__,
               "event form, hub: variance of Binomial(40, 0.03)");
    }
    finish(&r);
}

/* ---------------------------------------------- 2. one hop, synchronous */

/* Section 3: "Failures travel one hop per step" (step t -> t+1 reads the
 * state at t).  Chains a -> b -> c -> d (degrade) and a -> cb -> cc -> cd
 * (crash) with a forced_down, listed in chain order so that an in-place
 * update in vertex order would show. */
static void test_one_hop_per_step(void)
{
    static const char *y = "faultline: 1\nname: one-hop\n"
                           "vertices:\n"
                           "  - { name: a, initial: forced_down }\n"
                           "  - { name: b }\n"
                           "  - { name: c }\n"
                           "  - { name: d }\n"
                           "  - { name: cb, on_dependency: crash }\n"
                           "  - { name: cc, on_dependency: crash }\n"
                           "  - { name: cd, on_dependency: crash }\n"
                           "edges:\n"
                           "  - { from: a, to: b }\n"
                           "  - { from: b, to: c }\n"
                           "  - { from: c, to: d }\n"
                           "  - { from: a, to: cb }\n"
                           "  - { from: cb, to: cc }\n"
                           "  - { from: cc, to: cd }\n"
                           "targets: { vertices: [d] }\n";
    run r;
    if (start(&r, y, DET_TRIALS, 5, FL_PROP_SYNCHRONOUS, "chain, synchronous")) {
        EXPECT_DOWN(&r, "a", "111111");
        EXPECT_DOWN(&r, "b", "011111");
        EXPECT_DOWN(&r, "c", "001111");
        EXPECT_DOWN(&r, "d", "000111");
        EXPECT_DOWN(&r, "cb", "011111");
        EXPECT_DOWN(&r, "cc", "001111");
        EXPECT_DOWN(&r, "cd", "000111");
        EXPECT_SYSTEM(&r, "000111");
    }
    finish(&r);
}

/* -------------------------------------------------- 3. degrade vs crash */

/* Rules 3.3 and 3.4 (degrade): a hit makes a degrade vertex down only while
 * it lasts, it never crashes it (C(t+1) = F_v).  src is down at step 0
 * only (initial down, p_repair 1), so deg (p_repair 0) is down at step 1
 * only; a crash vertex in its place would stay down. */
static void test_degrade_down_only_while_hit(void)
{
    static const char *y = "faultline: 1\nname: degrade\n"
                           "vertices:\n"
                           "  - { name: src, initial: down, p_repair: 1 }\n"
                           "  - { name: deg }\n"
                           "  - { name: degx, on_dependency: degrade }\n"
                           "  - { name: f, initial: forced_down }\n"
                           "  - { name: degf, p_repair: 1 }\n"
                           "edges:\n"
                           "  - { from: src, to: deg }\n"
                           "  - { from: src, to: degx }\n"
                           "  - { from: f, to: degf }\n"
                           "targets: { vertices: [deg] }\n";
    run r;
    if (start(&r, y, DET_TRIALS, 5, FL_PROP_DEFAULT, "degrade")) {
        EXPECT_DOWN(&r, "src", "100000");
        EXPECT_DOWN(&r, "deg", "010000");
        EXPECT_DOWN(&r, "degx", "010000");
        /* a lasting hit keeps it down whatever p_repair says */
        EXPECT_DOWN(&r, "degf", "011111");
    }
    finish(&r);
}

/* Rules 3.3 and 3.4 (crash): a hit crashes a crash vertex, which stays
 * crashed (D = C) until a repair: with p_repair 0 for ever, with p_repair
 * 1 for one step. */
static void test_crash_stays_until_repaired(void)
{
    static const char *y = "faultline: 1\nname: crash\n"
                           "vertices:\n"
                           "  - { name: src, initial: down, p_repair: 1 }\n"
                           "  - { name: cr0, on_dependency: crash }\n"
                           "  - { name: cr1, on_dependency: crash, p_repair: 1 }\n"
                           "edges:\n"
                           "  - { from: src, to: cr0 }\n"
                           "  - { from: src, to: cr1 }\n"
                           "targets: { vertices: [cr0] }\n";
    run r;
    if (start(&r, y, DET_TRIALS, 5, FL_PROP_DEFAULT, "crash")) {
        EXPECT_DOWN(&r, "src", "100000");
        EXPECT_DOWN(&r, "cr0", "011111");
        EXPECT_DOWN(&r, "cr1", "010000");
    }
    finish(&r);
}

/* Rules 3.2-3.4 and "A vertex that recovers in a step cannot crash in that
 * same step": a crash vertex with p_repair 1 under a lasting hit (forced
 * down source) crashes at 1, recovers at 2 (rule 3.3 applies only to
 * C(t) = 0, and D = C for crash vertices, so the hit does not show),
 * crashes again at 3, ... */
static void test_crash_under_lasting_hit_alternates(void)
{
    static const char *y = "faultline: 1\nname: crash-alternates\n"
                           "vertices:\n"
                           "  - { name: f, initial: forced_down }\n"
                           "  - { name: crf, on_dependency: crash, p_repair: 1 }\n"
                           "edges:\n"
                           "  - { from: f, to: crf }\n"
                           "targets: { vertices: [crf] }\n";
    run r;
    if (start(&r, y, DET_TRIALS, 7, FL_PROP_DEFAULT, "crash under a lasting hit")) {
        EXPECT_DOWN(&r, "crf", "01010101");
        EXPECT_SYSTEM(&r, "01010101");
    }
    finish(&r);
}

/* --------------------------------------------- 4. spontaneous, repairs */

/* Rules 3.2 (otherwise: R = Bernoulli(p_repair)) and 3.3 (F =
 * Bernoulli(p_fail) for C(t) = 0) with "A vertex that recovers in a step
 * cannot crash in that same step": p_fail 1 and p_repair 1 alternate, down
 * at odd steps; p_fail 1 and p_repair 0 stay down from step 1. */
static void test_spontaneous_crash_repair_alternate(void)
{
    static const char *y = "faultline: 1\nname: spontaneous\n"
                           "vertices:\n"
                           "  - { name: v, p_fail: 1, p_repair: 1 }\n"
                           "  - { name: vc, p_fail: 1, p_repair: 1, on_dependency: crash }\n"
                           "  - { name: w, p_fail: 1 }\n"
                           "targets: { vertices: [v] }\n";
    run r;
    if (start(&r, y, DET_TRIALS, 8, FL_PROP_DEFAULT, "p_fail 1")) {
        EXPECT_DOWN(&r, "v", "010101010");
        EXPECT_DOWN(&r, "vc", "010101010");
        EXPECT_DOWN(&r, "w", "011111111");
    }
    finish(&r);
    if (start(&r, y, DET_TRIALS, 8, FL_PROP_INSTANT, "p_fail 1, instant")) {
        EXPECT_DOWN(&r, "v", "010101010");
        EXPECT_DOWN(&r, "w", "011111111");
    }
    finish(&r);
}

/* Rules 3.2 and 3.3, rates: p_fail 0.2 (p_repair 0): P(down at t) =
 * 1 - 0.8^t; initial down with p_repair 0.3: 0.7^t; p_fail 0.1 with
 * p_repair 0.3: x(t+1) = 0.7 x(t) + 0.1 (1 - x(t)).  Statistical: 2^16
 * trials, 6 standard errors. */
static void test_spontaneous_rates(void)
{
    static const char *y = "faultline: 1\nname: rates\n"
                           "vertices:\n"
                           "  - { name: pf, p_fail: 0.2 }\n"
                           "  - { name: pr, initial: down, p_repair: 0.3 }\n"
                           "  - { name: both, p_fail: 0.1, p_repair: 0.3 }\n"
                           "targets: { vertices: [pf] }\n";
    run r;
    if (start(&r, y, STAT_TRIALS, 6, FL_PROP_DEFAULT, "p_fail, p_repair")) {
        double x = 0.0;
        for (uint32_t t = 1; t <= 6; t++) {
            x = 0.7 * x + 0.1 * (1.0 - x);
            EXPECT_VERTEX_PROB(&r, "pf", t, 1.0 - pow(0.8, t));
            EXPECT_VERTEX_PROB(&r, "pr", t, pow(0.7, t));
            EXPECT_VERTEX_PROB(&r, "both", t, x);
        }
    }
    finish(&r);
}

/* Section 3 "SIS check": a crash vertex with threshold 1, p_fail r,
 * p_repair gamma and in-edges with q = beta: an up vertex crashes with
 * r + (1 - r)(1 - prod(1 - beta)), a crashed one recovers with gamma.
 * Two forced_down in-neighbours, beta 0.3, r 0.2: 0.608.  Statistical:
 * 2^16 trials, 6 standard errors. */
static void test_sis_check(void)
{
    static const char *y = "faultline: 1\nname: sis\n"
                           "vertices:\n"
                           "  - { name: f1, initial: forced_down }\n"
                           "  - { name: f2, initial: forced_down }\n"
                           "  - { name: s, on_dependency: crash, p_fail: 0.2 }\n"
                           "  - { name: g, on_dependency: crash, p_fail: 0.2, p_repair: 0.4 }\n"
                           "edges:\n"
                           "  - { from: f1, to: s, q: 0.3 }\n"
                           "  - { from: f2, to: s, q: 0.3 }\n"
                           "  - { from: f1, to: g, q: 0.3 }\n"
                           "  - { from: f2, to: g, q: 0.3 }\n"
                           "targets: { vertices: [s] }\n";
    run r;
    if (start(&r, y, STAT_TRIALS, 5, FL_PROP_DEFAULT, "SIS")) {
        double inf = 0.2 + 0.8 * (1.0 - 0.7 * 0.7), x = 0.0;
        for (uint32_t t = 1; t <= 5; t++) {
            x = x * (1.0 - 0.4) + (1.0 - x) * inf;
            EXPECT_VERTEX_PROB(&r, "s", t, 1.0 - pow(1.0 - inf, t));
            EXPECT_VERTEX_PROB(&r, "g", t, x);
        }
    }
    finish(&r);
}

/* ------------------------------------------------------ 5. permanent */

/* Rule 3.2 (permanent: only a pool brings it back) and rule 3.3 (P(t+1) =
 * F AND Y; "a crash by a hit alone is never permanent"):
 *   x: p_fail 1, p_permanent 1, p_repair 1, supervised, no pool: down for
 *      ever from step 1;
 *   y: crash vertex, p_permanent 1, p_repair 1, hit by a forced_down
 *      source: its crashes are not permanent, so it is repaired each time
 *      and alternates;
 *   z: the same hit once (src down at step 0 only): down at step 1 only;
 *   yf: like y but p_fail 1 too: the crash is spontaneous, so permanent. */
static void test_permanent_never_self_repairs(void)
{
    static const char *y = "faultline: 1\nname: permanent\n"
                           "vertices:\n"
                           "  - { name: sup }\n"
                           "  - { name: x, p_fail: 1, p_permanent: 1, p_repair: 1 }\n"
                           "  - { name: f, initial: forced_down }\n"
                           "  - { name: y, on_dependency: crash, p_permanent: 1, p_repair: 1 }\n"
                           "  - { name: src, initial: down, p_repair: 1 }\n"
                           "  - { name: z, on_dependency: crash, p_permanent: 1, p_repair: 1 }\n"
                           "  - { name: yf, on_dependency: crash, p_fail: 1, p_permanent: 1, p_repair: 1 }\n"
                           "edges:\n"
                           "  - { from: f, to: y }\n"
                           "  - { from: src, to: z }\n"
                           "  - { from: f, to: yf }\n"
                           "supervision:\n"
                           "  - { supervisor: sup, targets: [x, y, z, yf] }\n"
                           "targets: { vertices: [x] }\n";
    run r;
    if (start(&r, y, DET_TRIALS, 6, FL_PROP_DEFAULT, "p_permanent 1")) {
        EXPECT_DOWN(&r, "x", "0111111");
        EXPECT_DOWN(&r, "y", "0101010");
        EXPECT_DOWN(&r, "z", "0100000");
        EXPECT_DOWN(&r, "yf", "0111111");
    }
    finish(&r);
}

/* Rule 3.3, P(t+1) = F AND Y with Y ~ Bernoulli(p_permanent): p_fail 1,
 * p_permanent 0.25, p_repair 1.  Every odd step all trials are down
 * (exact); at step 2k a trial is down iff one of its k crashes was
 * permanent: 1 - 0.75^k.  Statistical: 2^16 trials, 6 standard errors. */
static void test_p_permanent_fraction(void)
{
    static const char *y = "faultline: 1\nname: p-permanent\n"
                           "vertices:\n"
                           "  - { name: v, p_fail: 1, p_permanent: 0.25, p_repair: 1 }\n"
                           "targets: { vertices: [v] }\n";
    run r;
    if (start(&r, y, STAT_TRIALS, 8, FL_PROP_DEFAULT, "p_permanent 0.25")) {
        EXPECT_VERTEX_PROB(&r, "v", 0, 0.0);
        for (uint32_t k = 1; k <= 4; k++) {
            EXPECT_VERTEX_PROB(&r, "v", 2 * k - 1, 1.0);
            EXPECT_VERTEX_PROB(&r, "v", 2 * k, 1.0 - pow(0.75, k));
        }
    }
    finish(&r);
}

/* ----------------------------------------------------- 6. supervisors */

/* Rule 3.2 (otherwise) and 3.5: a crashed vertex (initial down, p_repair
 * 0) with an up supervisor (p_restart default 1) is restarted at the first
 * t with a(t) >= detect_delay d; a(t) = t, so it is up exactly from step
 * d + 1.  An unsupervised one is never repaired. */
static void test_supervisor_detect_delay(void)
{
    static const char *y = "faultline: 1\nname: detect-delay\n"
                           "vertices:\n"
                           "  - { name: sup }\n"
                           "  - { name: v0, initial: down }\n"
                           "  - { name: v1, initial: down, detect_delay: 1 }\n"
                           "  - { name: v2, initial: down, detect_delay: 2 }\n"
                           "  - { name: v3, initial: down, detect_delay: 3 }\n"
                           "  - { name: v5, initial: down, detect_delay: 5 }\n"
                           "  - { name: un, initial: down }\n"
                           "supervision:\n"
                           "  - { supervisor: sup, targets: [v0, v1, v2, v3, v5] }\n"
                           "targets: { vertices: [v0] }\n";
    run r;
    if (start(&r, y, DET_TRIALS, 7, FL_PROP_DEFAULT, "detect_delay")) {
        EXPECT_DOWN(&r, "v0", "10000000");
        EXPECT_DOWN(&r, "v1", "11000000");
        EXPECT_DOWN(&r, "v2", "11100000");
        EXPECT_DOWN(&r, "v3", "11110000");
        EXPECT_DOWN(&r, "v5", "11111100");
        EXPECT_DOWN(&r, "un", "11111111");
    }
    finish(&r);
}

/* Rule 3.2 (otherwise): only supervisors with D_s(t) = 0 restart.
 *   x: its only supervisor is forced_down: never restarted;
 *   y: one supervisor forced_down, one up: restarted at step 1;
 *   z: its supervisor srec is down at step 0, up from 1: restarted at 2;
 *   w0, w1: supervisor shit is degraded by a forced_down source from step
 *      1, so w0 (detect_delay 0) is restarted at t = 0 (up at 1) and w1
 *      (detect_delay 1, asks at t = 1) never. */
static void test_supervisor_down_no_restart(void)
{
    static const char *y = "faultline: 1\nname: supervisor-down\n"
                           "vertices:\n"
                           "  - { name: sdown, initial: forced_down }\n"
                           "  - { name: sup }\n"
                           "  - { name: srec, initial: down, p_repair: 1 }\n"
                           "  - { name: f, initial: forced_down }\n"
                           "  - { name: shit }\n"
                           "  - { name: x, initial: down }\n"
                           "  - { name: y, initial: down }\n"
                           "  - { name: z, initial: down }\n"
                           "  - { name: w0, initial: down }\n"
                           "  - { name: w1, initial: down, detect_delay: 1 }\n"
                           "edges:\n"
                           "  - { from: f, to: shit }\n"
                           "supervision:\n"
                           "  - { supervisor: sdown, targets: [x, y] }\n"
                           "  - { supervisor: sup, targets: [y] }\n"
                           "  - { supervisor: srec, targets: [z] }\n"
                           "  - { supervisor: shit, targets: [w0, w1] }\n"
                           "targets: { vertices: [x] }\n";
    run r;
    if (start(&r, y, DET_TRIALS, 5, FL_PROP_DEFAULT, "supervisor down")) {
        EXPECT_DOWN(&r, "x", "111111");
        EXPECT_DOWN(&r, "y", "100000");
        EXPECT_DOWN(&r, "srec", "100000");
        EXPECT_DOWN(&r, "z", "110000");
        EXPECT_DOWN(&r, "shit", "011111");
        EXPECT_DOWN(&r, "w0", "100000");
        EXPECT_DOWN(&r, "w1", "111111");
    }
    finish(&r);
}

/* Rule 3.2 (otherwise): the draw is Bernoulli(p_restart_s) of the
 * SUPERVISOR s, and the delay is detect_delay_v of the supervised vertex.
 *   a (own p_restart 1) under s0 (p_restart 0): never restarted;
 *   b (own p_restart 0) under s1 (p_restart 1, own detect_delay 3): up at 1. */
static void test_restart_parameters_belong_to_supervisor(void)
{
    static const char *y = "faultline: 1\nname: restart-params\n"
                           "vertices:\n"
                           "  - { name: s0, p_restart: 0 }\n"
                           "  - { name: s1, p_restart: 1, detect_delay: 3 }\n"
                           "  - { name: a, initial: down, p_restart: 1 }\n"
                           "  - { name: b, initial: down, p_restart: 0 }\n"
                           "supervision:\n"
                           "  - { supervisor: s0, targets: [a] }\n"
                           "  - { supervisor: s1, targets: [b] }\n"
                           "targets: { vertices: [a] }\n";
    run r;
    if (start(&r, y, DET_TRIALS, 4, FL_PROP_DEFAULT, "p_restart of the supervisor")) {
        EXPECT_DOWN(&r, "a", "11111");
        EXPECT_DOWN(&r, "b", "10000");
    }
    finish(&r);
}

/* Rule 3.2 (otherwise), R_v = Bernoulli(p_repair) OR Bernoulli(p_restart_s)
 * over the up supervisors, independent draws each step:
 *   a under sA (0.5): P(down at t) = 0.5^t
 *   b, p_repair 0.5, under sA: 0.25^t
 *   c under sA (0.5) and sB (0.2): (0.5 x 0.8)^t = 0.4^t
 *   d under sA with detect_delay 2: 1 up to step 2, then 0.5^(t-2).
 * Statistical: 2^16 trials, 6 standard errors. */
static void test_restart_probability(void)
{
    static const char *y = "faultline: 1\nname: p-restart\n"
                           "vertices:\n"
                           "  - { name: sA, p_restart: 0.5 }\n"
                           "  - { name: sB, p_restart: 0.2 }\n"
                           "  - { name: a, initial: down }\n"
                           "  - { name: b, initial: down, p_repair: 0.5 }\n"
                           "  - { name: c, initial: down }\n"
                           "  - { name: d, initial: down, detect_delay: 2 }\n"
                           "supervision:\n"
                           "  - { supervisor: sA, targets: [a, b, c, d] }\n"
                           "  - { supervisor: sB, targets: [c] }\n"
                           "targets: { vertices: [a] }\n";
    run r;
    if (start(&r, y, STAT_TRIALS, 5, FL_PROP_DEFAULT, "p_restart")) {
        for (uint32_t t = 0; t <= 4; t++) {
            EXPECT_VERTEX_PROB(&r, "a", t, pow(0.5, t));
            EXPECT_VERTEX_PROB(&r, "b", t, pow(0.25, t));
            EXPECT_VERTEX_PROB(&r, "c", t, pow(0.4, t));
            EXPECT_VERTEX_PROB(&r, "d", t, t <= 2 ? 1.0 : pow(0.5, t - 2));
        }
    }
    finish(&r);
}

/* --------------------------------------------------------- 7. pools */

/* Rule 3.2 (permanent): requests to a pool are granted in increasing
 * vertex order (file order) while capacity lasts.  Three permanent
 * vertices zz, yy, xx (in that file order, supervision listed in the
 * opposite order), capacity 2, boot_delay 0: zz and yy are up at step 1,
 * xx never. */
static void test_pool_grants_in_vertex_order(void)
{
    static const char *y = "faultline: 1\nname: pool-order\n"
                           "vertices:\n"
                           "  - { name: vm, capacity: 2 }\n"
                           "  - { name: ctl }\n"
                           "  - { name: zz, initial: permanent, pool: vm }\n"
                           "  - { name: yy, initial: permanent, pool: vm }\n"
                           "  - { name: xx, initial: permanent, pool: vm }\n"
                           "supervision:\n"
                           "  - { supervisor: ctl, targets: [xx, yy, zz] }\n"
                           "targets: { vertices: [xx, yy, zz] }\n";
    run r;
    if (start(&r, y, DET_TRIALS, 4, FL_PROP_DEFAULT, "pool order")) {
        EXPECT_DOWN(&r, "zz", "10000");
        EXPECT_DOWN(&r, "yy", "10000");
        EXPECT_DOWN(&r, "xx", "11111");
        EXPECT_DOWN(&r, "vm", "00000");
    }
    finish(&r);
}

/* Rule 3.2 (permanent, booting) and 3.4; section 3 state B: a request at
 * t = detect_delay d (a(t) = t) is granted; with boot_delay b = 0 the
 * vertex is up at d + 1; otherwise it is booting with k = b - 1 at d + 1,
 * counts down, and is up at d + b + 1.  The vertex has p_repair 1, which
 * must not shorten a permanent crash or a boot ("exactly one case
 * applies").  Booting vertices are down and count in down_count and
 * down_fraction (the other two vertices stay up). */
static void test_pool_boot_and_detect_delay(void)
{
    static const unsigned cases[][2] = {{0, 0}, {1, 0}, {2, 0}, {3, 0}, {0, 1}, {0, 3}, {2, 2}, {1, 3}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        unsigned b = cases[c][0], d = cases[c][1];
        uint32_t steps = d + b + 4;
        text y = {{0}, 0};
        add(&y,
            "faultline: 1\nname: pool-boot\n"
            "vertices:\n"
            "  - { name: vm, capacity: 1, boot_delay: %u }\n"
            "  - { name: ctl }\n"
            "  - { name: w, initial: permanent, pool: vm, p_repair: 1, detect_delay: %u }\n"
            "supervision:\n"
            "  - { supervisor: ctl, targets: [w] }\n"
            "targets: { vertices: [w] }\n",
            b, d);
        char ctx[64], want[64];
        snprintf(ctx, sizeof ctx, "boot_delay %u, detect_delay %u", b, d);
        run r;
        if (start(&r, y.buf, DET_TRIALS, steps, FL_PROP_DEFAULT, ctx)) {
            EXPECT_DOWN(&r, "w", down_until(want, d + b, steps));
            EXPECT_SYSTEM(&r, want);
            /* booting counts as down in down_count and down_fraction */
            const uint32_t *dc = fl_sim_down_count(r.sim);
            const double *df = fl_sim_down_fraction(r.sim);
            int ok = 1;
            for (uint32_t t = 0; t <= steps; t++) {
                uint32_t expect = t <= d + b;
                for (uint64_t i = 0; i < r.trials; i++)
                    ok = ok && dc[i * (steps + 1) + t] == expect;
                ok = ok && fabs(df[t] - expect / 3.0) < 1e-12;
            }
            char msg[256];
            snprintf(msg, sizeof msg, "[%s] down_count 1 while booting, 0 after; down_fraction 1/3 then 0", ctx);
            report(ok, __LINE__, msg);
        }
        finish(&r);
    }
}

/* Rule 3.2 (permanent): a request needs an up supervisor and an up pool,
 * and only requests take capacity.
 *   w1: its pool pd is forced_down: never replaced;
 *   w2: no supervisor: never replaced;
 *   w3: its only supervisor is forced_down: never replaced;
 *   w4: its pool pr is down at step 0, up from 1: replaced at t = 1, up at 2;
 *   u0, u1 share pool pc of capacity 1; u0 (first in vertex order) has no
 *      up supervisor, so it makes no request and u1 gets the instance. */
static void test_pool_request_conditions(void)
{
    static const char *y = "faultline: 1\nname: pool-conditions\n"
                           "vertices:\n"
                           "  - { name: sdown, initial: forced_down }\n"
                           "  - { name: ctl }\n"
                           "  - { name: vm, capacity: 5 }\n"
                           "  - { name: pd, initial: forced_down, capacity: 5 }\n"
                           "  - { name: pr, initial: down, p_repair: 1, capacity: 1 }\n"
                           "  - { name: pc, capacity: 1 }\n"
                           "  - { name: w1, initial: permanent, pool: pd }\n"
                           "  - { name: w2, initial: permanent, pool: vm }\n"
                           "  - { name: w3, initial: permanent, pool: vm }\n"
                           "  - { name: w4, initial: permanent, pool: pr }\n"
                           "  - { name: u0, initial: permanent, pool: pc }\n"
                           "  - { name: u1, initial: permanent, pool: pc }\n"
                           "supervision:\n"
                           "  - { supervisor: ctl, targets: [w1, w4, u1] }\n"
                           "  - { supervisor: sdown, targets: [w3, u0] }\n"
                           "targets: { vertices: [w1] }\n";
    run r;
    if (start(&r, y, DET_TRIALS, 4, FL_PROP_DEFAULT, "pool conditions")) {
        EXPECT_DOWN(&r, "w1", "11111");
        EXPECT_DOWN(&r, "w2", "11111");
        EXPECT_DOWN(&r, "w3", "11111");
        EXPECT_DOWN(&r, "pr", "10000");
        EXPECT_DOWN(&r, "w4", "11000");
        EXPECT_DOWN(&r, "u0", "11111");
        EXPECT_DOWN(&r, "u1", "10000");
    }
    finish(&r);
}

/* Section 1 and rule 3.2: capacity counts replacements per trial over the
 * whole run.  w and x (p_fail 1, p_permanent 1) share a pool of capacity
 * 3, boot_delay 0: both crash permanently at 1 and are replaced (up at 2),
 * both crash at 3, w (lower index) takes the last instance (up at 4), x is
 * lost; w crashes at 5 and is lost.  A replaced instance cannot crash in
 * the step that brings it up. */
static void test_pool_capacity_per_trial(void)
{
    static const char *y = "faultline: 1\nname: pool-capacity\n"
                           "vertices:\n"
                           "  - { name: vm, capacity: 3 }\n"
                           "  - { name: ctl }\n"
                           "  - { name: w, p_fail: 1, p_permanent: 1, pool: vm }\n"
                           "  - { name: x, p_fail: 1, p_permanent: 1, pool: vm }\n"
                           "supervision:\n"
                           "  - { supervisor: ctl, targets: [w, x] }\n"
                           "targets: { vertices: [w] }\n";
    run r;
    if (start(&r, y, DET_TRIALS, 8, FL_PROP_DEFAULT, "capacity 3, two members")) {
        EXPECT_DOWN(&r, "w", "010101111");
        EXPECT_DOWN(&r, "x", "010111111");
    }
    finish(&r);
}

/* Section 1 and rule 3.2, capacity per trial with trials that differ:
 * w (p_fail 0.5, p_permanent 1) with a pool of capacity 1, boot_delay 0.
 * Per trial: up (capacity 1) -> lost w.p. 0.5 -> replaced at the next step
 * -> up (capacity 0) -> lost w.p. 0.5 for ever.  P(w down at t) follows
 * that chain in every trial independently of the others (a capacity shared
 * between trials, or taken from trials that made no request, would not).
 * Statistical: 2^16 trials, 6 standard errors. */
static void test_pool_capacity_statistical(void)
{
    static const char *y = "faultline: 1\nname: pool-capacity-stat\n"
                           "vertices:\n"
                           "  - { name: vm, capacity: 1 }\n"
                           "  - { name: ctl }\n"
                           "  - { name: w, p_fail: 0.5, p_permanent: 1, pool: vm }\n"
                           "supervision:\n"
                           "  - { supervisor: ctl, targets: [w] }\n"
                           "targets: { vertices: [w] }\n";
    run r;
    if (start(&r, y, STAT_TRIALS, 8, FL_PROP_DEFAULT, "capacity 1, p_fail 0.5")) {
        /* u0: up with capacity 1, d0: lost (will be replaced), u1: up with
         * capacity 0, l: lost for ever */
        double u0 = 1.0, d0 = 0.0, u1 = 0.0, l = 0.0;
        for (uint32_t t = 1; t <= 8; t++) {
            double nu0 = 0.5 * u0, nd0 = 0.5 * u0, nu1 = d0 + 0.5 * u1, nl = l + 0.5 * u1;
            u0 = nu0, d0 = nd0, u1 = nu1, l = nl;
            EXPECT_VERTEX_PROB(&r, "w", t, d0 + l);
        }
    }
    finish(&r);
}

/* ------------------------------------------------------- 8. initial */

/* Section 2 (initial) and section 3 (t = 0: C = 1 for down, permanent,
 * forced_down; D = C; "forced_down: stays crashed" whatever p_repair,
 * supervisors or pools). */
static void test_initial_states(void)
{
    static const char *y = "faultline: 1\nname: initial\n"
                           "vertices:\n"
                           "  - { name: sup }\n"
                           "  - { name: vm, capacity: 5 }\n"
                           "  - { name: u, initial: up, p_repair: 1 }\n"
                           "  - { name: dflt }\n"
                           "  - { name: d, initial: down, p_repair: 1 }\n"
                           "  - { name: d0, initial: down }\n"
                           "  - { name: p, initial: permanent, p_repair: 1 }\n"
                           "  - { name: f, initial: forced_down, p_repair: 1, pool: vm }\n"
                           "  - { name: fc, initial: forced_down, on_dependency: crash, p_repair: 1 }\n"
                           "supervision:\n"
                           "  - { supervisor: sup, targets: [p, f, fc] }\n"
                           "targets: { vertices: [u] }\n";
    for (int prop = FL_PROP_SYNCHRONOUS; prop <= FL_PROP_INSTANT; prop++) {
        run r;
        if (start(&r, y, DET_TRIALS, 5, prop, prop == FL_PROP_INSTANT ? "initial, instant" : "initial")) {
            EXPECT_DOWN(&r, "u", "000000");
            EXPECT_DOWN(&r, "dflt", "000000");
            EXPECT_DOWN(&r, "d", "100000");
            EXPECT_DOWN(&r, "d0", "111111");
            EXPECT_DOWN(&r, "p", "111111");
            EXPECT_DOWN(&r, "f", "111111");
            EXPECT_DOWN(&r, "fc", "111111");
            EXPECT_DOWN(&r, "sup", "000000");
            /* d, d0, p, f, fc: 5 of the 9 vertices down at t = 0, 4 at t = 1 */
            const double *df = fl_sim_down_fraction(r.sim);
            CU_ASSERT_DOUBLE_EQUAL(df[0], 5.0 / 9.0, 1e-12);
            CU_ASSERT_DOUBLE_EQUAL(df[1], 4.0 / 9.0, 1e-12);
        }
        finish(&r);
    }
}

/* ------------------------------------------------------- 9. targets */

/* Section 1 (targets with k): the system is down at t when at least k
 * targets are down.  x0, x1, x2 are down at steps 0..0, 0..1, 0..2
 * (restarted after detect_delay 0, 1, 2), so 3, 2, 1, 0, 0, ... targets
 * are down; a forced_down vertex outside the targets does not count. */
static void test_targets_k(void)
{
    static const struct {
        const char *k;
        const char *want;
    } cases[] = {{"", "111000"}, {", k: 1", "111000"}, {", k: 2", "110000"}, {", k: 3", "100000"}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        text y = {{0}, 0};
        add(&y,
            "faultline: 1\nname: targets\n"
            "vertices:\n"
            "  - { name: sup }\n"
            "  - { name: junk, initial: forced_down }\n"
            "  - { name: x0, initial: down }\n"
            "  - { name: x1, initial: down, detect_delay: 1 }\n"
            "  - { name: x2, initial: down, detect_delay: 2 }\n"
            "supervision:\n"
            "  - { supervisor: sup, targets: [x0, x1, x2] }\n"
            "targets: { vertices: [x2, x0, x1]%s }\n",
            cases[c].k);
        char ctx[64];
        snprintf(ctx, sizeof ctx, "targets x0 x1 x2%s", cases[c].k[0] ? cases[c].k + 1 : " (k default)");
        run r;
        if (start(&r, y.buf, DET_TRIALS, 5, FL_PROP_DEFAULT, ctx)) {
            EXPECT_DOWN(&r, "x0", "100000");
            EXPECT_DOWN(&r, "x1", "110000");
            EXPECT_DOWN(&r, "x2", "111000");
            EXPECT_SYSTEM(&r, cases[c].want);
        }
        finish(&r);
    }
}

/* ----------------------------------------------------- 10. instant */

/* Section 3, propagation instant: failures cross the whole graph within
 * one step.  Chains h -> v1 -> .. -> v4 (degrade) and h -> c1 -> .. -> c4
 * (crash), listed against the chain order, and a diamond h -> x, h -> y,
 * x -> z, y -> z with z threshold 2: everything is down from step 1 (at
 * t = 0, D = C: up).  The model file asks for instant; the same model run
 * with FL_PROP_SYNCHRONOUS goes one hop per step. */
static void test_instant_chain(void)
{
    static const char *y = "faultline: 1\nname: instant-chain\n"
                           "vertices:\n"
                           "  - { name: v4 }\n"
                           "  - { name: v3 }\n"
                           "  - { name: v2 }\n"
                           "  - { name: v1 }\n"
                           "  - { name: c4, on_dependency: crash }\n"
                           "  - { name: c3, on_dependency: crash }\n"
                           "  - { name: c2, on_dependency: crash }\n"
                           "  - { name: c1, on_dependency: crash }\n"
                           "  - { name: z, threshold: 2 }\n"
                           "  - { name: x }\n"
                           "  - { name: y }\n"
                           "  - { name: h, initial: forced_down }\n"
                           "edges:\n"
                           "  - { from: h, to: v1 }\n"
                           "  - { from: v1, to: v2 }\n"
                           "  - { from: v2, to: v3 }\n"
                           "  - { from: v3, to: v4 }\n"
                           "  - { from: h, to: c1 }\n"
                           "  - { from: c1, to: c2 }\n"
                           "  - { from: c2, to: c3 }\n"
                           "  - { from: c3, to: c4 }\n"
                           "  - { from: h, to: x }\n"
                           "  - { from: h, to: y }\n"
                           "  - { from: x, to: z }\n"
                           "  - { from: y, to: z }\n"
                           "targets: { vertices: [v4] }\n"
                           "simulation: { steps: 5, trials: 100, seed: 1, propagation: instant }\n";
    run r;
    if (start(&r, y, DET_TRIALS, 5, FL_PROP_DEFAULT, "chain, instant (from the file)")) {
        static const char *all[] = {"v1", "v2", "v3", "v4", "c1", "c2", "c3", "c4", "x", "y", "z"};
        for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
            EXPECT_DOWN(&r, all[i], "011111");
        EXPECT_DOWN(&r, "h", "111111");
        EXPECT_SYSTEM(&r, "011111");
    }
    finish(&r);
    if (start(&r, y, DET_TRIALS, 5, FL_PROP_SYNCHRONOUS, "chain, synchronous by option")) {
        EXPECT_DOWN(&r, "v1", "011111");
        EXPECT_DOWN(&r, "v2", "001111");
        EXPECT_DOWN(&r, "v3", "000111");
        EXPECT_DOWN(&r, "v4", "000011");
        EXPECT_DOWN(&r, "c4", "000011");
        EXPECT_DOWN(&r, "z", "001111");
    }
    finish(&r);
}

/* Section 3, instant: the fixpoint computes D(t+1) from rules 2 to 4, so a
 * crash vertex that is crashed at t and repaired is up at t+1 whatever its
 * hit (D = C, rule 3.3 only for C(t) = 0), and its dependents see it up
 * within the same step.  c (crash, p_repair 1) under a forced_down source
 * alternates; d (degrade, depends on c) follows c in the same step in
 * instant mode, one step later in synchronous mode. */
static void test_instant_crash_repair(void)
{
    static const char *y = "faultline: 1\nname: instant-crash\n"
                           "vertices:\n"
                           "  - { name: d }\n"
                           "  - { name: c, on_dependency: crash, p_repair: 1 }\n"
                           "  - { name: h, initial: forced_down }\n"
                           "edges:\n"
                           "  - { from: h, to: c }\n"
                           "  - { from: c, to: d }\n"
                           "targets: { vertices: [d] }\n";
    run r;
    if (start(&r, y, DET_TRIALS, 6, FL_PROP_INSTANT, "crash repair, instant")) {
        EXPECT_DOWN(&r, "c", "0101010");
        EXPECT_DOWN(&r, "d", "0101010");
    }
    finish(&r);
    if (start(&r, y, DET_TRIALS, 6, FL_PROP_SYNCHRONOUS, "crash repair, synchronous")) {
        EXPECT_DOWN(&r, "c", "0101010");
        EXPECT_DOWN(&r, "d", "0010101");
    }
    finish(&r);
}

/* The model of the two cycle tests below: src, down at steps 0 and 1,
 * feeds a degrade cycle a <-> b; p <-> q is a cycle with no cause. */
static const char *cycle_model = "faultline: 1\nname: cycle\n"
                                 "vertices:\n"
                                 "  - { name: sup }\n"
                                 "  - { name: src, initial: down, detect_delay: 1 }\n"
                                 "  - { name: a }\n"
                                 "  - { name: b }\n"
                                 "  - { name: p }\n"
                                 "  - { name: q }\n"
                                 "edges:\n"
                                 "  - { from: src, to: a }\n"
                                 "  - { from: b, to: a }\n"
                                 "  - { from: a, to: b }\n"
                                 "  - { from: p, to: q }\n"
                                 "  - { from: q, to: p }\n"
                                 "supervision:\n"
                                 "  - { supervisor: sup, targets: [src] }\n"
                                 "targets: { vertices: [a] }\n";

/* Section 3: "A cycle of degrade dependencies can keep itself down after
 * its cause is repaired" (synchronous).  src is down at steps 0 and 1
 * (initial down, restarted with detect_delay 1), a depends on src and b, b
 * on a: a is down from 1, b from 2, and both stay down for ever after src
 * is up at 2.  The cycle p <-> q with no cause stays up. */
static void test_degrade_cycle_synchronous(void)
{
    run r;
    if (start(&r, cycle_model, DET_TRIALS, 6, FL_PROP_SYNCHRONOUS, "degrade cycle, synchronous")) {
        EXPECT_DOWN(&r, "src", "1100000");
        EXPECT_DOWN(&r, "a", "0111111");
        EXPECT_DOWN(&r, "b", "0011111");
        EXPECT_DOWN(&r, "p", "0000000");
        EXPECT_DOWN(&r, "q", "0000000");
    }
    finish(&r);
}

/* Section 3, instant: the LEAST fixpoint, started from I = 0 at every step.
 * The same model as above: at step 1 src is down and a, b go down within
 * the step; at step 2 src is up and the least fixpoint has a and b up (a
 * greatest fixpoint, or one started from the previous step's hits, would
 * keep the cycle down).  The cycle p <-> q with no cause stays up. */
static void test_instant_least_fixpoint(void)
{
    run r;
    if (start(&r, cycle_model, DET_TRIALS, 6, FL_PROP_INSTANT, "degrade cycle, instant")) {
        EXPECT_DOWN(&r, "src", "1100000");
        EXPECT_DOWN(&r, "a", "0100000");
        EXPECT_DOWN(&r, "b", "0100000");
        EXPECT_DOWN(&r, "p", "0000000");
        EXPECT_DOWN(&r, "q", "0000000");
    }
    finish(&r);
}

/* Section 3, instant: the fixpoint iterations use the SAME X draws.  f is
 * forced_down, m depends on f (q 1), v on f and on m (q 0.5 each).  In
 * instant mode m is down within every step, so P(v down) = 1 - 0.5^2 =
 * 0.75 for t >= 1 (redrawing X_fv when iterating would give 0.875).  In
 * synchronous mode m is up at 0, so P(v down at 1) = 0.5, then 0.75.
 * Statistical: 2^16 trials, 6 standard errors. */
static void test_instant_same_draws(void)
{
    static const char *y = "faultline: 1\nname: instant-draws\n"
                           "vertices:\n"
                           "  - { name: v }\n"
                           "  - { name: m }\n"
                           "  - { name: f, initial: forced_down }\n"
                           "edges:\n"
                           "  - { from: f, to: v, q: 0.5 }\n"
                           "  - { from: m, to: v, q: 0.5 }\n"
                           "  - { from: f, to: m }\n"
                           "targets: { vertices: [v] }\n";
    run r;
    if (start(&r, y, STAT_TRIALS, 3, FL_PROP_INSTANT, "same draws, instant")) {
        EXPECT_VERTEX_PROB(&r, "v", 1, 0.75);
        EXPECT_VERTEX_PROB(&r, "v", 3, 0.75);
    }
    finish(&r);
    if (start(&r, y, STAT_TRIALS, 3, FL_PROP_SYNCHRONOUS, "same draws, synchronous")) {
        EXPECT_VERTEX_PROB(&r, "v", 1, 0.5);
        EXPECT_VERTEX_PROB(&r, "v", 2, 0.75);
    }
    finish(&r);

    /* A degrade cycle a <-> b (q 1) fed by f -> a (q 0.5).  With one X_fa
     * per step the least fixpoint has a and b down together with
     * probability 0.5, so a trial's down count (f, a, b) is 1 or 3.  A
     * fixpoint that draws X_fa again while iterating can latch the cycle
     * down from an earlier iteration's hit (0.75), or never settle. */
    static const char *cyc = "faultline: 1\nname: instant-draws-cycle\n"
                             "vertices:\n"
                             "  - { name: f, initial: forced_down }\n"
                             "  - { name: a }\n"
                             "  - { name: b }\n"
                             "edges:\n"
                             "  - { from: f, to: a, q: 0.5 }\n"
                             "  - { from: a, to: b }\n"
                             "  - { from: b, to: a }\n"
                             "targets: { vertices: [a] }\n";
    if (start(&r, cyc, STAT_TRIALS, 3, FL_PROP_INSTANT, "same draws, instant cycle")) {
        for (uint32_t t = 1; t <= 3; t++) {
            EXPECT_VERTEX_PROB(&r, "a", t, 0.5);
            EXPECT_VERTEX_PROB(&r, "b", t, 0.5);
        }
        const uint32_t *dc = fl_sim_down_count(r.sim);
        int ok = 1;
        for (uint64_t i = 0; i < r.trials; i++)
            for (uint32_t t = 1; t <= 3; t++)
                ok = ok && (dc[i * 4 + t] == 1 || dc[i * 4 + t] == 3);
        report(ok, __LINE__, "[same draws, instant cycle] a and b are down together in every trial");
    }
    finish(&r);
}

/* --------------------------------------------------------- 11. age */

/* Rule 3.5: a(t+1) = a(t) + 1 if crashed at t and t+1, else 0, so a
 * vertex that recovers and crashes again starts its age from 0.
 *   v: p_fail 1, detect_delay 2, supervised: crashed at 1 (a = 0), 2 (1),
 *      3 (2: restart), up at 4, crashed at 5 (a = 0 again), ...: period 4,
 *      "0111" repeated (without the reset it would be restarted at 6);
 *   x: initial down, p_fail 1, detect_delay 1: period 3, "110" repeated;
 *   w: p_fail 1, p_permanent 1, detect_delay 1, pool of capacity 2 with
 *      boot_delay 0: lost at 1, request at 2 (a = 1), up at 3, lost at 4,
 *      request at 5, up at 6, lost at 7 for ever. */
static void test_age_reset(void)
{
    static const char *y = "faultline: 1\nname: age\n"
                           "vertices:\n"
                           "  - { name: sup }\n"
                           "  - { name: vm, capacity: 2 }\n"
                           "  - { name: v, p_fail: 1, detect_delay: 2 }\n"
                           "  - { name: x, initial: down, p_fail: 1, detect_delay: 1 }\n"
                           "  - { name: w, p_fail: 1, p_permanent: 1, detect_delay: 1, pool: vm }\n"
                           "supervision:\n"
                           "  - { supervisor: sup, targets: [v, x, w] }\n"
                           "targets: { vertices: [v] }\n";
    run r;
    if (start(&r, y, DET_TRIALS, 12, FL_PROP_DEFAULT, "age reset")) {
        EXPECT_DOWN(&r, "v", "0111011101110");
        EXPECT_DOWN(&r, "x", "1101101101101");
        EXPECT_DOWN(&r, "w", "0110110111111");
    }
    finish(&r);
}

/* ------------------------------------------------- 12. consistency */

/* down_count[i][t] is the number of down vertices of trial i at step t,
 * and down_fraction, system_down, vertex_down_final agree with it.
 * Deterministic part: the pool model, every trial's count equals the sum
 * of the vertices' 0/1 states.  Statistical model (every rule mixed):
 * with all 6 vertices as targets and k = 1..6 (the targets do not change
 * the trajectories, MODEL.md section 4), system_down_trial[i][t] must be
 * exactly (down_count[i][t] >= k) in every trial; and the column sums of
 * down_count equal the sums of the per-vertex counts. */
static void test_down_count_consistency(void)
{
    static const char *det = "faultline: 1\nname: det\n"
                             "vertices:\n"
                             "  - { name: vm, capacity: 3, boot_delay: 1 }\n"
                             "  - { name: ctl }\n"
                             "  - { name: w, p_fail: 1, p_permanent: 1, pool: vm }\n"
                             "  - { name: x, p_fail: 1, p_permanent: 1, pool: vm }\n"
                             "  - { name: f, initial: forced_down }\n"
                             "  - { name: g }\n"
                             "edges:\n"
                             "  - { from: w, to: g }\n"
                             "supervision:\n"
                             "  - { supervisor: ctl, targets: [w, x] }\n"
                             "targets: { vertices: [w] }\n";
    run r;
    if (start(&r, det, DET_TRIALS, 12, FL_PROP_DEFAULT, "deterministic counts")) {
        size_t T1 = (size_t)r.steps + 1;
        const uint32_t *dc = fl_sim_down_count(r.sim);
        const double *df = fl_sim_down_fraction(r.sim);
        int ok = 1;
        for (uint32_t t = 0; t < T1; t++) {
            double sum = 0.0;
            for (uint32_t v = 0; v < r.n; v++)
                sum += tu_vertex_down(r.sim, r.n, t, v);
            for (uint64_t i = 0; i < r.trials; i++)
                ok = ok && (double)dc[i * T1 + t] == sum;
            ok = ok && fabs(df[t] - sum / r.n) < 1e-12;
        }
        report(ok, __LINE__, "[deterministic counts] down_count of every trial equals the number of down vertices");
    }
    finish(&r);

    const uint64_t N = 1000; /* not a multiple of 64 */
    const uint32_t steps = 20;
    uint32_t *first = NULL;
    for (unsigned k = 1; k <= 6; k++) {
        text y = {{0}, 0};
        add(&y,
            "faultline: 1\nname: mixed\n"
            "vertices:\n"
            "  - { name: sup, p_fail: 0.05, p_repair: 0.3 }\n"
            "  - { name: vm, capacity: 2, boot_delay: 2, p_fail: 0.02, p_repair: 0.5 }\n"
            "  - { name: a, p_fail: 0.1, p_repair: 0.2, detect_delay: 1 }\n"
            "  - { name: b, p_fail: 0.1, p_permanent: 0.5, pool: vm, p_repair: 0.3 }\n"
            "  - { name: c, on_dependency: crash, p_fail: 0.05, p_repair: 0.4 }\n"
            "  - { name: d, threshold: 2 }\n"
            "edges:\n"
            "  - { from: a, to: c, q: 0.5 }\n"
            "  - { from: b, to: d }\n"
            "  - { from: c, to: d }\n"
            "  - { from: a, to: d }\n"
            "supervision:\n"
            "  - { supervisor: sup, targets: [a, b] }\n"
            "targets: { vertices: [sup, vm, a, b, c, d], k: %u }\n",
            k);
        char ctx[64];
        snprintf(ctx, sizeof ctx, "mixed model, all targets, k = %u", k);
        if (!start(&r, y.buf, N, steps, FL_PROP_DEFAULT, ctx)) {
            finish(&r);
            break;
        }
        size_t T1 = (size_t)steps + 1;
        const uint32_t *dc = fl_sim_down_count(r.sim);
        const uint8_t *st = fl_sim_system_down_trial(r.sim);
        const double *sys = fl_sim_system_down(r.sim);
        const double *df = fl_sim_down_fraction(r.sim);
        const double *fin = fl_sim_vertex_down_final(r.sim);
        int ok_sys = 1, ok_sum = 1, ok_mean = 1, ok_fin = 1, ok_max = 1;
        for (size_t t = 0; t < T1; t++) {
            uint64_t total = 0, sysn = 0, per_vertex = 0;
            for (uint64_t i = 0; i < N; i++) {
                uint32_t c = dc[i * T1 + t];
                ok_max = ok_max && c <= r.n;
                ok_sys = ok_sys && st[i * T1 + t] == (uint8_t)(c >= k);
                total += c;
                sysn += st[i * T1 + t];
            }
            for (uint32_t v = 0; v < r.n; v++)
                per_vertex += (uint64_t)llround(tu_vertex_down(r.sim, r.n, (uint32_t)t, v) * (double)N);
            ok_sum = ok_sum && per_vertex == total;
            ok_mean = ok_mean && fabs(df[t] - (double)total / ((double)N * r.n)) < 1e-12 &&
                      fabs(sys[t] - (double)sysn / (double)N) < 1e-12;
        }
        for (uint32_t v = 0; v < r.n; v++)
            ok_fin = ok_fin && fin[v] == tu_vertex_down(r.sim, r.n, steps, v);
        char msg[256];
        snprintf(msg, sizeof msg, "[%s] system_down_trial == (down_count >= k) in every trial and step", ctx);
        report(ok_sys, __LINE__, msg);
        snprintf(msg, sizeof msg, "[%s] down_count <= vertices", ctx);
        report(ok_max, __LINE__, msg);
        snprintf(msg, sizeof msg, "[%s] sum of down_count == sum of per-vertex down counts", ctx);
        report(ok_sum, __LINE__, msg);
        snprintf(msg, sizeof msg, "[%s] down_fraction and system_down are the means", ctx);
        report(ok_mean, __LINE__, msg);
        snprintf(msg, sizeof msg, "[%s] vertex_down_final is the last series point", ctx);
        report(ok_fin, __LINE__, msg);
        /* the targets do not change the trajectories */
        if (!first) {
            first = malloc(N * T1 * sizeof *first);
            if (first)
                memcpy(first, dc, N * T1 * sizeof *first);
        } else {
            snprintf(msg, sizeof msg, "[%s] same down_count as with k = 1", ctx);
            report(!memcmp(first, dc, N * T1 * sizeof *first), __LINE__, msg);
        }
        finish(&r);
    }
    free(first);
}

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    CU_pSuite s = CU_add_suite("rules", NULL, NULL);
    /* section 3 rule 1, section 2 threshold / threshold_fraction, q */
    CU_add_test(s, "event form: per-trial draws with the law of rules 3.1-3.3", test_hit_event_form);
    CU_add_test(s, "hit: weights summed against theta (every subset of 2,1,1 vs 3)", test_hit_weighted_threshold);
    CU_add_test(s, "hit: threshold 0 is never hit", test_hit_threshold_zero);
    CU_add_test(s, "hit: threshold_fraction = ceil(phi x in-weight), overrides threshold", test_hit_threshold_fraction);
    CU_add_test(s, "hit: threshold_fraction 0.28 of 25 is 7", test_hit_threshold_fraction_decimal);
    CU_add_test(s, "hit: q drawn afresh every step (statistical)", test_q_transmission);
    CU_add_test(s, "hit: independent q per edge, weights times X (statistical)", test_q_several_edges);
    CU_add_test(s, "hit: the same law when pushed from the sources (q < 1/32, statistical)", test_hit_push_mode);
    /* synchronous step */
    CU_add_test(s, "failures travel one hop per step", test_one_hop_per_step);
    /* rules 3 and 4 */
    CU_add_test(s, "degrade: down only while the hit lasts", test_degrade_down_only_while_hit);
    CU_add_test(s, "crash: stays crashed until repaired", test_crash_stays_until_repaired);
    CU_add_test(s, "crash under a lasting hit alternates (no crash in the recovering step)",
                test_crash_under_lasting_hit_alternates);
    CU_add_test(s, "p_fail 1 and p_repair 1 alternate (no crash in the recovering step)",
                test_spontaneous_crash_repair_alternate);
    CU_add_test(s, "p_fail and p_repair rates (statistical)", test_spontaneous_rates);
    CU_add_test(s, "SIS check (statistical)", test_sis_check);
    /* permanent */
    CU_add_test(s, "permanent: never self-repairs; a crash by a hit alone is never permanent",
                test_permanent_never_self_repairs);
    CU_add_test(s, "permanent: p_permanent fraction of spontaneous crashes (statistical)", test_p_permanent_fraction);
    /* supervisors */
    CU_add_test(s, "supervisor: restart at a(t) >= detect_delay, up at d + 1", test_supervisor_detect_delay);
    CU_add_test(s, "supervisor: only supervisors up at t restart", test_supervisor_down_no_restart);
    CU_add_test(s, "supervisor: p_restart of the supervisor, detect_delay of the vertex",
                test_restart_parameters_belong_to_supervisor);
    CU_add_test(s, "supervisor: p_restart and p_repair draws OR-ed (statistical)", test_restart_probability);
    /* pools */
    CU_add_test(s, "pool: first capacity requests in increasing vertex order", test_pool_grants_in_vertex_order);
    CU_add_test(s, "pool: boot_delay and detect_delay timing; booting is down", test_pool_boot_and_detect_delay);
    CU_add_test(s, "pool: requests need an up supervisor and an up pool", test_pool_request_conditions);
    CU_add_test(s, "pool: capacity per trial over the whole run", test_pool_capacity_per_trial);
    CU_add_test(s, "pool: capacity per trial, trials differing (statistical)", test_pool_capacity_statistical);
    /* initial, targets */
    CU_add_test(s, "initial: up, down, permanent, forced_down", test_initial_states);
    CU_add_test(s, "targets: system down iff at least k targets down", test_targets_k);
    /* instant */
    CU_add_test(s, "instant: failures cross the graph in one step", test_instant_chain);
    CU_add_test(s, "instant: a repaired crash vertex is up within the step", test_instant_crash_repair);
    CU_add_test(s, "synchronous: a degrade cycle keeps itself down", test_degrade_cycle_synchronous);
    CU_add_test(s, "instant: least fixpoint (a cycle without cause is up)", test_instant_least_fixpoint);
    CU_add_test(s, "instant: the fixpoint reuses the step's draws (statistical)", test_instant_same_draws);
    /* age */
    CU_add_test(s, "age: restarts from 0 after a recovery", test_age_reset);
    /* results */
    CU_add_test(s, "down_count, down_fraction, system_down agree", test_down_count_consistency);
    return tu_main();
}
