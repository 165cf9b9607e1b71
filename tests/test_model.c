/*
 * test_model.c - the model file of MODEL.md section 6, through the library.
 *
 * Loading: every key is read (checked in the internal struct fl_model of
 * model.h), parameters are layered defaults < class < vertex, a
 * threshold_fraction phi resolves to ceil(phi * W), vertices, edges,
 * supervision pairs and targets keep their file order, the simulation block
 * has defaults and overrides, JSON loads like YAML, and a `graph:` edge list
 * (plain or gzip) is imported under its own labels.
 *
 * Bad input: one table row per class of error, each checked for its status
 * and for a message that names the file, the line and the key
 * ("FILE:LINE: key 'KEY': ...").
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <zlib.h>

#include "model.h"
#include "testutil.h"

/* Loads TMPDIR/name (written from text) and returns the model, or NULL. */
static fl_model *load_file(const char *name, const char *text)
{
    return tu_load(tu_write(name, text));
}

/* Index of the vertex called name, FL_NONE when there is none. */
static uint32_t vid(const fl_model *md, const char *name)
{
    for (uint32_t v = 0; v < md->n; v++)
        if (!strcmp(md->vertex_name[v], name))
            return v;
    return FL_NONE;
}

/* Index of the class called name, FL_NONE when there is none. */
static uint32_t cid(const fl_model *md, const char *name)
{
    for (uint32_t c = 0; c < md->nclass; c++)
        if (!strcmp(md->class_name[c], name))
            return c;
    return FL_NONE;
}

/* True when edge e is from -> to with this weight and q. */
static int edge_is(const fl_model *md, uint64_t e, const char *from, const char *to, uint32_t w, double q)
{
    return e < md->m && md->edge_from[e] == vid(md, from) && md->edge_to[e] == vid(md, to) &&
           fl_i_edge_weight(md, e) == w && fl_i_edge_q(md, e) == q;
}

/* ---------------------------------------------------------------- loading */

/* The example of MODEL.md section 6, extended so that every key appears. */
static const char all_keys_yaml[] = "faultline: 1                      # schema version\n"
                                    "name: web-tier\n"
                                    "defaults: { p_fail: 1.0e-4, p_restart: 0.5 }\n"
                                    "classes:\n"
                                    "  db:  { p_fail: 1.0e-5, p_repair: 0.01 }\n"
                                    "  web: { on_dependency: crash, pool: vmhost, detect_delay: 3 }\n"
                                    "vertices:\n"
                                    "  - { name: db0, class: db, unavailability: 0.02 }\n"
                                    "  - { name: web0, class: web, p_fail: 2.0e-4, p_permanent: 0.25 }\n"
                                    "  - { name: web1, class: web, initial: down }\n"
                                    "  - { name: lb, threshold: 2 }\n"
                                    "  - { name: k8s, p_restart: 0.9, initial: forced_down }\n"
                                    "  - { name: vmhost, capacity: 3, boot_delay: 20, initial: permanent }\n"
                                    "  - { name: quorum, threshold_fraction: 0.5, on_dependency: degrade }\n"
                                    "edges:\n"
                                    "  - { from: db0, to: web0 }\n"
                                    "  - { from: db0, to: web1 }\n"
                                    "  - { from: web0, to: lb }\n"
                                    "  - { from: web1, to: lb, weight: 1, q: 0.75 }\n"
                                    "  - { from: web0, to: quorum, weight: 2 }\n"
                                    "  - { from: web1, to: quorum }\n"
                                    "  - { from: db0, to: quorum, weight: 2 }\n"
                                    "supervision:\n"
                                    "  - { supervisor: k8s, targets: [web0, web1] }\n"
                                    "  - { supervisor: lb, targets: [db0] }\n"
                                    "targets: { vertices: [quorum, lb], k: 2 }\n"
                                    "graph:\n"
                                    "  path: all.edges\n"
                                    "  class: web\n"
                                    "  q: 0.5\n"
                                    "  weight: 2\n"
                                    "simulation: { steps: 1000, trials: 512, seed: 7, propagation: instant }\n";

static void check_all_keys(const fl_model *md)
{
    uint32_t db0 = vid(md, "db0"), web0 = vid(md, "web0"), web1 = vid(md, "web1"), lb = vid(md, "lb");
    uint32_t k8s = vid(md, "k8s"), vm = vid(md, "vmhost"), qu = vid(md, "quorum"), x = vid(md, "x"), y = vid(md, "y");
    uint32_t web = cid(md, "web"), db = cid(md, "db");

    CU_ASSERT_STRING_EQUAL(md->name, "web-tier");
    CU_ASSERT_EQUAL(md->n, 9);
    CU_ASSERT_EQUAL(md->m, 9);
    CU_ASSERT_EQUAL(md->ns, 3);
    CU_ASSERT_EQUAL(md->nclass, 2);
    CU_ASSERT(db == 0 && web == 1);
    CU_ASSERT(db0 == 0 && web0 == 1 && web1 == 2 && lb == 3 && k8s == 4 && vm == 5 && qu == 6 && x == 7 && y == 8);
    if (md->n != 9 || md->m != 9 || md->ns != 3 || web != 1)
        return;
    /* defaults, classes and own entries */
    CU_ASSERT_EQUAL(md->vertex_class[db0], db);
    CU_ASSERT_EQUAL(md->vertex_class[lb], FL_NONE);
    CU_ASSERT_DOUBLE_EQUAL(md->vp[db0].p_fail, 1.0e-5, 0);
    CU_ASSERT_DOUBLE_EQUAL(md->vp[db0].p_repair, 0.01, 0);
    CU_ASSERT_DOUBLE_EQUAL(md->vp[db0].unavailability, 0.02, 0);
    CU_ASSERT_DOUBLE_EQUAL(md->vp[db0].p_restart, 0.5, 0);
    CU_ASSERT_DOUBLE_EQUAL(md->vp[web0].p_fail, 2.0e-4, 0);
    CU_ASSERT_DOUBLE_EQUAL(md->vp[web0].p_permanent, 0.25, 0);
    CU_ASSERT_EQUAL(md->vp[web0].on_dependency, FL_DEP_CRASH);
    CU_ASSERT_EQUAL(md->vp[web0].pool, vm);
    CU_ASSERT_EQUAL(md->vp[web0].detect_delay, 3);
    CU_ASSERT_DOUBLE_EQUAL(md->vp[web1].p_fail, 1.0e-4, 0);
    CU_ASSERT_EQUAL(md->vp[web1].initial, FL_INIT_DOWN);
    CU_ASSERT_EQUAL(md->vp[lb].threshold, 2);
    CU_ASSERT_EQUAL(md->vp[lb].on_dependency, FL_DEP_DEGRADE);
    CU_ASSERT_EQUAL(md->vp[lb].pool, FL_NONE);
    CU_ASSERT(md->vp[lb].unavailability < 0);
    CU_ASSERT_DOUBLE_EQUAL(md->vp[k8s].p_restart, 0.9, 0);
    CU_ASSERT_EQUAL(md->vp[k8s].initial, FL_INIT_FORCED_DOWN);
    CU_ASSERT_EQUAL(md->vp[vm].capacity, 3);
    CU_ASSERT_EQUAL(md->vp[vm].boot_delay, 20);
    CU_ASSERT_EQUAL(md->vp[vm].initial, FL_INIT_PERMANENT);
    /* quorum: in-weights 2 + 1 + 2 = 5, ceil(0.5 * 5) = 3 */
    CU_ASSERT_DOUBLE_EQUAL(md->vp[qu].threshold_fraction, 0.5, 0);
    CU_ASSERT_EQUAL(md->vp[qu].threshold, 3);
    /* imported vertices: class web with everything it brings */
    CU_ASSERT_EQUAL(md->vertex_class[x], web);
    CU_ASSERT_EQUAL(md->vertex_class[y], web);
    CU_ASSERT_EQUAL(md->vp[x].on_dependency, FL_DEP_CRASH);
    CU_ASSERT_EQUAL(md->vp[x].pool, vm);
    CU_ASSERT_EQUAL(md->vp[y].detect_delay, 3);
    CU_ASSERT_DOUBLE_EQUAL(md->vp[y].p_fail, 1.0e-4, 0);
    /* edges: inline first in file order, then imported with graph q and weight */
    CU_ASSERT(edge_is(md, 0, "db0", "web0", 1, 1.0));
    CU_ASSERT(edge_is(md, 1, "db0", "web1", 1, 1.0));
    CU_ASSERT(edge_is(md, 2, "web0", "lb", 1, 1.0));
    CU_ASSERT(edge_is(md, 3, "web1", "lb", 1, 0.75));
    CU_ASSERT(edge_is(md, 4, "web0", "quorum", 2, 1.0));
    CU_ASSERT(edge_is(md, 5, "web1", "quorum", 1, 1.0));
    CU_ASSERT(edge_is(md, 6, "db0", "quorum", 2, 1.0));
    CU_ASSERT(edge_is(md, 7, "x", "y", 2, 0.5));
    CU_ASSERT(edge_is(md, 8, "y", "lb", 2, 0.5));
    /* supervision pairs in file order */
    CU_ASSERT(md->sup_from[0] == k8s && md->sup_to[0] == web0);
    CU_ASSERT(md->sup_from[1] == k8s && md->sup_to[1] == web1);
    CU_ASSERT(md->sup_from[2] == lb && md->sup_to[2] == db0);
    /* targets in file order, k */
    CU_ASSERT(md->ntarget == 2 && md->target[0] == qu && md->target[1] == lb);
    CU_ASSERT_EQUAL(md->target_k, 2);
    /* simulation */
    CU_ASSERT_EQUAL(md->steps, 1000);
    CU_ASSERT_EQUAL(md->trials, 512);
    CU_ASSERT_EQUAL(md->seed, 7);
    CU_ASSERT_EQUAL(md->propagation, FL_PROP_INSTANT);
    /* the public accessors agree */
    CU_ASSERT_STRING_EQUAL(fl_model_name(md), "web-tier");
    CU_ASSERT_EQUAL(fl_model_vertex_count(md), 9);
    CU_ASSERT_EQUAL(fl_model_edge_count(md), 9);
    CU_ASSERT_EQUAL(fl_model_supervision_count(md), 3);
    CU_ASSERT_EQUAL(fl_model_class_count(md), 2);
    CU_ASSERT_STRING_EQUAL(fl_model_class_name(md, 1), "web");
    CU_ASSERT_EQUAL(fl_model_pool_count(md), 1);
    CU_ASSERT(fl_model_target_count(md) == 2 && fl_model_target_k(md) == 2 && fl_model_target(md, 1) == lb);
    CU_ASSERT_STRING_EQUAL(fl_model_vertex_name(md, 7), "x");
}

static void test_all_keys(void)
{
    tu_write("all.edges", "x y\ny lb\n");
    fl_model *md = load_file("all.yaml", all_keys_yaml);
    if (md)
        check_all_keys(md);
    fl_model_destroy(&md);
}

/* The same model as JSON loads to the same values. */
static void test_json(void)
{
    static const char json[] =
        "{\"faultline\": 1, \"name\": \"web-tier\",\n"
        " \"defaults\": {\"p_fail\": 1.0e-4, \"p_restart\": 0.5},\n"
        " \"classes\": {\"db\": {\"p_fail\": 1.0e-5, \"p_repair\": 0.01},\n"
        "   \"web\": {\"on_dependency\": \"crash\", \"pool\": \"vmhost\", \"detect_delay\": 3}},\n"
        " \"vertices\": [\n"
        "  {\"name\": \"db0\", \"class\": \"db\", \"unavailability\": 0.02},\n"
        "  {\"name\": \"web0\", \"class\": \"web\", \"p_fail\": 2.0e-4, \"p_permanent\": 0.25},\n"
        "  {\"name\": \"web1\", \"class\": \"web\", \"initial\": \"down\"},\n"
        "  {\"name\": \"lb\", \"threshold\": 2},\n"
        "  {\"name\": \"k8s\", \"p_restart\": 0.9, \"initial\": \"forced_down\"},\n"
        "  {\"name\": \"vmhost\", \"capacity\": 3, \"boot_delay\": 20, \"initial\": \"permanent\"},\n"
        "  {\"name\": \"quorum\", \"threshold_fraction\": 0.5, \"on_dependency\": \"degrade\"}],\n"
        " \"edges\": [{\"from\": \"db0\", \"to\": \"web0\"}, {\"from\": \"db0\", \"to\": \"web1\"},\n"
        "  {\"from\": \"web0\", \"to\": \"lb\"}, {\"from\": \"web1\", \"to\": \"lb\", \"weight\": 1, \"q\": 0.75},\n"
        "  {\"from\": \"web0\", \"to\": \"quorum\", \"weight\": 2}, {\"from\": \"web1\", \"to\": \"quorum\"},\n"
        "  {\"from\": \"db0\", \"to\": \"quorum\", \"weight\": 2}],\n"
        " \"supervision\": [{\"supervisor\": \"k8s\", \"targets\": [\"web0\", \"web1\"]},\n"
        "  {\"supervisor\": \"lb\", \"targets\": [\"db0\"]}],\n"
        " \"targets\": {\"vertices\": [\"quorum\", \"lb\"], \"k\": 2},\n"
        " \"graph\": {\"path\": \"all.edges\", \"class\": \"web\", \"q\": 0.5, \"weight\": 2},\n"
        " \"simulation\": {\"steps\": 1000, \"trials\": 512, \"seed\": 7, \"propagation\": \"instant\"}}\n";
    tu_write("all.edges", "x y\ny lb\n");
    fl_model *md = load_file("all.json", json);
    if (md)
        check_all_keys(md);
    fl_model_destroy(&md);
}

/* defaults < class < the vertex's own entry, parameter by parameter. */
static void test_precedence(void)
{
    fl_model *md = load_file(
        "prec.yaml", "faultline: 1\n"
                     "defaults: { p_fail: 0.1, p_repair: 0.2, threshold: 4, detect_delay: 5, initial: down }\n"
                     "classes:\n"
                     "  c: { p_fail: 0.3, threshold: 6, on_dependency: crash, p_restart: 0.7 }\n"
                     "vertices:\n"
                     "  - { name: plain }\n"
                     "  - { name: inclass, class: c }\n"
                     "  - { name: own, class: c, p_fail: 0.5, threshold: 0, detect_delay: 9, p_restart: 0.25 }\n"
                     "  - { name: own_only, p_repair: 0.9, on_dependency: crash }\n");
    if (!md)
        return;
    const fl_vertex_params *p = md->vp;
    /* plain: defaults, and MODEL.md section 2's defaults where none is given */
    CU_ASSERT(p[0].p_fail == 0.1 && p[0].p_repair == 0.2 && p[0].threshold == 4 && p[0].detect_delay == 5);
    CU_ASSERT(p[0].initial == FL_INIT_DOWN && p[0].on_dependency == FL_DEP_DEGRADE && p[0].p_restart == 1.0);
    CU_ASSERT(p[0].p_permanent == 0.0 && p[0].capacity == 0 && p[0].boot_delay == 0 && p[0].pool == FL_NONE);
    /* inclass: the class over the defaults */
    CU_ASSERT(p[1].p_fail == 0.3 && p[1].p_repair == 0.2 && p[1].threshold == 6 && p[1].detect_delay == 5);
    CU_ASSERT(p[1].on_dependency == FL_DEP_CRASH && p[1].p_restart == 0.7 && p[1].initial == FL_INIT_DOWN);
    /* own: the entry over both */
    CU_ASSERT(p[2].p_fail == 0.5 && p[2].p_repair == 0.2 && p[2].threshold == 0 && p[2].detect_delay == 9);
    CU_ASSERT(p[2].on_dependency == FL_DEP_CRASH && p[2].p_restart == 0.25);
    /* own_only: the entry over the defaults */
    CU_ASSERT(p[3].p_fail == 0.1 && p[3].p_repair == 0.9 && p[3].threshold == 4 && p[3].on_dependency == FL_DEP_CRASH);
    fl_model_destroy(&md);

    /* no defaults at all: MODEL.md section 2 */
    md = load_file("bare.yaml", "faultline: 1\nvertices:\n  - name: a\n");
    if (md) {
        p = md->vp;
        CU_ASSERT(md->n == 1 && p[0].p_fail == 0.0 && p[0].p_permanent == 0.0 && p[0].p_repair == 0.0);
        CU_ASSERT(p[0].threshold == 1 && p[0].threshold_fraction < 0 && p[0].on_dependency == FL_DEP_DEGRADE);
        CU_ASSERT(p[0].initial == FL_INIT_UP && p[0].detect_delay == 0 && p[0].p_restart == 1.0);
        CU_ASSERT(p[0].pool == FL_NONE && p[0].capacity == 0 && p[0].boot_delay == 0 && p[0].unavailability < 0);
        CU_ASSERT_STRING_EQUAL(md->name, "bare"); /* name: the file's stem */
    }
    fl_model_destroy(&md);
}

/* theta = ceil(phi * W): exact products are not rounded up by float noise. */
static void test_threshold_fraction(void)
{
    static const struct {
        const char *phi;
        int in_edges; /* of weight 1 */
        uint32_t theta;
    } cases[] = {{"0.5", 3, 2},  {"0.3", 10, 3}, {"0.7", 10, 7}, {"0.1", 3, 1},   {"1", 5, 5},
                 {"0.25", 4, 1}, {"0.26", 4, 2}, {"0.5", 0, 0},  {"1.0e-3", 7, 1}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char yaml[2048];
        int n =
            snprintf(yaml, sizeof yaml,
                     "faultline: 1\nvertices:\n  - { name: v, threshold: 9, threshold_fraction: %s }\n", cases[i].phi);
        for (int u = 0; u < cases[i].in_edges; u++)
            n += snprintf(yaml + n, sizeof yaml - (size_t)n, "  - { name: u%d }\n", u);
        n += snprintf(yaml + n, sizeof yaml - (size_t)n, "edges:\n");
        for (int u = 0; u < cases[i].in_edges; u++)
            n += snprintf(yaml + n, sizeof yaml - (size_t)n, "  - { from: u%d, to: v }\n", u);
        fl_model *md = load_file("fraction.yaml", yaml);
        if (!md)
            continue;
        if (md->vp[0].threshold != cases[i].theta)
            fprintf(stderr, "\n  phi %s of %d: theta %u, expected %u\n", cases[i].phi, cases[i].in_edges,
                    md->vp[0].threshold, cases[i].theta);
        CU_ASSERT_EQUAL(md->vp[0].threshold, cases[i].theta);
        fl_model_destroy(&md);
    }
    /* weights count, not edges: 0.5 of (3 + 2) = 2.5 -> 3; from a class too */
    fl_model *md =
        load_file("fraction.yaml", "faultline: 1\nclasses:\n  q: { threshold_fraction: 0.5 }\n"
                                   "vertices:\n  - { name: v, class: q }\n  - { name: a }\n  - { name: b }\n"
                                   "edges:\n  - { from: a, to: v, weight: 3 }\n  - { from: b, to: v, weight: 2 }\n");
    if (md)
        CU_ASSERT_EQUAL(md->vp[0].threshold, 3);
    fl_model_destroy(&md);
}

/* Simulation defaults (model.h) when the block is missing; run options -1 take the model's values. */
static void test_simulation_block(void)
{
    fl_model *md = load_file("nosim.yaml", "faultline: 1\nvertices:\n  - name: a\n");
    if (md) {
        CU_ASSERT_EQUAL(md->steps, FL_DEFAULT_STEPS);
        CU_ASSERT_EQUAL(md->trials, FL_DEFAULT_TRIALS);
        CU_ASSERT_EQUAL(md->seed, FL_DEFAULT_SEED);
        CU_ASSERT_EQUAL(md->propagation, FL_PROP_SYNCHRONOUS);
        CU_ASSERT(md->ntarget == 0 && md->target_k == 1);
    }
    fl_model_destroy(&md);

    md = load_file("sim.yaml", "faultline: 1\nvertices:\n  - name: a\n"
                               "simulation:\n  steps: 7\n  trials: 70\n  seed: 9223372036854775807\n"
                               "  propagation: synchronous\n");
    if (md) {
        CU_ASSERT(md->steps == 7 && md->trials == 70 && md->seed == 9223372036854775807ull &&
                  md->propagation == FL_PROP_SYNCHRONOUS);
        fl_run_options o;
        fl_run_options_init(&o);
        o.threads = 1;
        fl_sim *sim = NULL;
        char msg[256];
        CU_ASSERT_FATAL(fl_sim_create(&sim, md, &o, msg, sizeof msg) == FL_OK);
        CU_ASSERT(fl_sim_run(sim) == FL_OK);
        CU_ASSERT(fl_sim_steps(sim) == 7 && fl_sim_trials(sim) == 70 && fl_sim_seed(sim) == 9223372036854775807ull);
        fl_sim_destroy(&sim);
        /* options override the block */
        o.steps = 3;
        o.trials = 5;
        o.seed = 11;
        CU_ASSERT_FATAL(fl_sim_create(&sim, md, &o, msg, sizeof msg) == FL_OK);
        CU_ASSERT(fl_sim_run(sim) == FL_OK);
        CU_ASSERT(fl_sim_steps(sim) == 3 && fl_sim_trials(sim) == 5 && fl_sim_seed(sim) == 11);
        fl_sim_destroy(&sim);
    }
    fl_model_destroy(&md);

    /* k defaults to 1; steps 0 is allowed */
    md = load_file("k.yaml", "faultline: 1\nvertices:\n  - name: a\n  - name: b\ntargets:\n  vertices: [b, a]\n"
                             "simulation: { steps: 0 }\n");
    if (md)
        CU_ASSERT(md->ntarget == 2 && md->target_k == 1 && md->target[0] == 1 && md->target[1] == 0 && md->steps == 0);
    fl_model_destroy(&md);
}

/* The graph: import: comments, blank lines, labels as names, inline entries that share names. */
static void test_graph_import(void)
{
    tu_write("g.txt", "# a SNAP-style header\n"
                      "% another comment\n"
                      "\n"
                      "10 20\n"
                      "   \t\n"
                      "  20\t30  \n"
                      "  # indented comment\n"
                      "b 10\n"
                      "30 10"); /* no final newline */
    fl_model *md = load_file("imp.yaml", "faultline: 1\n"
                                         "classes:\n  imp: { p_fail: 0.125 }\n  mine: { p_fail: 0.5 }\n"
                                         "vertices:\n"
                                         "  - { name: a }\n"
                                         "  - { name: '20', class: mine, threshold: 2, pool: '30' }\n"
                                         "  - { name: b }\n"
                                         "edges:\n  - { from: a, to: '10' }\n  - { from: '30', to: a, weight: 3 }\n"
                                         "supervision:\n  - { supervisor: '10', targets: [a, '30'] }\n"
                                         "targets: { vertices: ['30'] }\n"
                                         "graph: { path: g.txt, class: imp, q: 0.25, weight: 2 }\n");
    if (!md)
        return;
    /* vertices: a, 20, b inline; then 10 and 30 in first-appearance order */
    CU_ASSERT_EQUAL(md->n, 5);
    CU_ASSERT(md->n == 5 && !strcmp(md->vertex_name[0], "a") && !strcmp(md->vertex_name[1], "20") &&
              !strcmp(md->vertex_name[2], "b") && !strcmp(md->vertex_name[3], "10") &&
              !strcmp(md->vertex_name[4], "30"));
    CU_ASSERT_EQUAL(md->m, 6);
    if (md->n == 5 && md->m == 6) {
        CU_ASSERT(edge_is(md, 0, "a", "10", 1, 1.0));
        CU_ASSERT(edge_is(md, 1, "30", "a", 3, 1.0));
        CU_ASSERT(edge_is(md, 2, "10", "20", 2, 0.25));
        CU_ASSERT(edge_is(md, 3, "20", "30", 2, 0.25));
        CU_ASSERT(edge_is(md, 4, "b", "10", 2, 0.25));
        CU_ASSERT(edge_is(md, 5, "30", "10", 2, 0.25));
        /* the inline '20' keeps its own class and parameters */
        CU_ASSERT(md->vertex_class[1] == cid(md, "mine") && md->vp[1].p_fail == 0.5 && md->vp[1].threshold == 2);
        CU_ASSERT_EQUAL(md->vp[1].pool, 4);
        /* imported ones get graph.class; inline ones without a class keep none */
        CU_ASSERT(md->vertex_class[3] == cid(md, "imp") && md->vp[3].p_fail == 0.125);
        CU_ASSERT(md->vertex_class[4] == cid(md, "imp") && md->vp[4].p_fail == 0.125);
        CU_ASSERT(md->vertex_class[0] == FL_NONE && md->vertex_class[2] == FL_NONE && md->vp[2].p_fail == 0.0);
        CU_ASSERT(md->ns == 2 && md->sup_from[0] == 3 && md->sup_to[0] == 0 && md->sup_to[1] == 4);
        CU_ASSERT(md->ntarget == 1 && md->target[0] == 4);
    }
    fl_model_destroy(&md);

    /* a path relative to the model's directory (not the working one); without
     * q, weight and class: q 1, weight 1, no class */
    char dir[512], file[600];
    snprintf(dir, sizeof dir, "%s/sub", tu_tmpdir());
    mkdir(dir, 0755);
    snprintf(file, sizeof file, "%s/h.txt", dir);
    FILE *f = fopen(file, "w");
    CU_ASSERT_FATAL(f != NULL);
    fputs("p q\n", f);
    fclose(f);
    snprintf(file, sizeof file, "%s/m.yaml", dir);
    f = fopen(file, "w");
    CU_ASSERT_FATAL(f != NULL);
    fputs("faultline: 1\ngraph: { path: h.txt }\n", f);
    fclose(f);
    md = tu_load(file);
    if (md)
        CU_ASSERT(md->n == 2 && md->m == 1 && edge_is(md, 0, "p", "q", 1, 1.0) && md->vertex_class[0] == FL_NONE);
    fl_model_destroy(&md);
}

/* A gzip edge list is read through zlib. */
static void test_graph_gzip(void)
{
    char path[512];
    snprintf(path, sizeof path, "%s/big.edges.gz", tu_tmpdir());
    gzFile f = gzopen(path, "wb");
    CU_ASSERT_FATAL(f != NULL);
    gzputs(f, "# generated\n");
    for (int i = 0; i < 1000; i++) {
        char line[64];
        snprintf(line, sizeof line, "n%d n%d\n", i, (i * 7 + 1) % 1000);
        gzputs(f, line);
    }
    gzclose(f);
    fl_model *md = load_file("gz.yaml", "faultline: 1\ngraph:\n  path: big.edges.gz\n");
    if (md) {
        CU_ASSERT_EQUAL(md->n, 1000);
        CU_ASSERT_EQUAL(md->m, 1000);
        CU_ASSERT(md->m == 1000 && edge_is(md, 999, "n999", "n994", 1, 1.0) && md->vertex_class[0] == FL_NONE);
        CU_ASSERT(md->n == 1000 && !strcmp(md->vertex_name[1], "n1") && !strcmp(md->vertex_name[2], "n8"));
    }
    fl_model_destroy(&md);
}

/* ---------------------------------------------------------------- bad input */

#define H "faultline: 1\n"
#define AB H "vertices:\n  - name: a\n  - name: b\n" /* lines 1-4 */

typedef struct bad_case {
    const char *yaml;           /* written to bad.yaml */
    int status;                 /* expected */
    const char *sub[3];         /* substrings the message must hold */
    const char *aux, *aux_text; /* another file to write first, or NULL */
} bad_case;

static const bad_case bad_cases[] = {
    /* YAML syntax */
    {H "name: x\nvertices: [a, b]]\n", FL_E_MODEL, {"bad.yaml:3:", "invalid YAML"}, 0, 0},
    {H "name: x\nname2: a: b\n", FL_E_MODEL, {"bad.yaml:3:", "invalid YAML"}, 0, 0},
    /* unknown keys */
    {H "name: x\nvertexes: []\n", FL_E_MODEL, {"bad.yaml:3:", "key 'vertexes'", "unknown"}, 0, 0},
    {H "vertices:\n  - name: a\n    p_fial: 0.1\n", FL_E_MODEL, {"bad.yaml:4:", "key 'p_fial'", "unknown"}, 0, 0},
    {H "classes:\n  db:\n    p_fail: 0.1\n    p_repiar: 0.1\n", FL_E_MODEL, {"bad.yaml:5:", "key 'p_repiar'"}, 0, 0},
    {H "defaults:\n  p_fial: 0.1\n", FL_E_MODEL, {"bad.yaml:3:", "key 'p_fial'"}, 0, 0},
    {H "simulation:\n  steps: 10\n  step: 10\n", FL_E_MODEL, {"bad.yaml:4:", "key 'step'"}, 0, 0},
    {AB "edges:\n  - from: a\n    to: b\n    wieght: 2\n", FL_E_MODEL, {"bad.yaml:8:", "key 'wieght'"}, 0, 0},
    {AB "supervision:\n  - supervisor: a\n    target: [b]\n", FL_E_MODEL, {"bad.yaml:7:", "key 'target'"}, 0, 0},
    {AB "targets:\n  vertices: [a]\n  n: 1\n", FL_E_MODEL, {"bad.yaml:7:", "key 'n'"}, 0, 0},
    {H "graph:\n  path: g.txt\n  format: snap\n", FL_E_MODEL, {"bad.yaml:4:", "key 'format'"}, 0, 0},
    /* wrong types */
    {H "vertices:\n  name: a\n", FL_E_MODEL, {"bad.yaml:2:", "key 'vertices'"}, 0, 0},
    {H "vertices:\n  - name: a\n    p_fail: [0.1]\n", FL_E_MODEL, {"bad.yaml:4:", "key 'p_fail'"}, 0, 0},
    {H "vertices:\n  - name: a\n    p_fail: '0.1'\n", FL_E_MODEL, {"bad.yaml:4:", "key 'p_fail'"}, 0, 0},
    {H "name:\n  first: x\n", FL_E_MODEL, {"bad.yaml:2:", "key 'name'"}, 0, 0},
    {H "simulation: [1, 2]\n", FL_E_MODEL, {"bad.yaml:2:", "key 'simulation'"}, 0, 0},
    /* not numbers */
    {H "vertices:\n  - name: a\n    p_fail: abc\n", FL_E_MODEL, {"bad.yaml:4:", "key 'p_fail'", "abc"}, 0, 0},
    {H "simulation:\n  steps: ten\n", FL_E_MODEL, {"bad.yaml:3:", "key 'steps'"}, 0, 0},
    {H "vertices:\n  - name: a\n    threshold: 0x10\n", FL_E_MODEL, {"bad.yaml:4:", "key 'threshold'"}, 0, 0},
    /* fractional integers */
    {H "vertices:\n  - name: a\n    threshold: 1.5\n", FL_E_MODEL, {"bad.yaml:4:", "key 'threshold'"}, 0, 0},
    {H "simulation:\n  trials: 10.5\n", FL_E_MODEL, {"bad.yaml:3:", "key 'trials'"}, 0, 0},
    {AB "edges:\n  - { from: a, to: b, weight: 1.5 }\n", FL_E_MODEL, {"bad.yaml:6:", "key 'weight'"}, 0, 0},
    {H "vertices:\n  - name: a\n    capacity: 2.5\n", FL_E_MODEL, {"bad.yaml:4:", "key 'capacity'"}, 0, 0},
    /* negative integers */
    {H "vertices:\n  - name: a\n    detect_delay: -1\n", FL_E_MODEL, {"bad.yaml:4:", "key 'detect_delay'"}, 0, 0},
    {H "defaults:\n  boot_delay: -3\n", FL_E_MODEL, {"bad.yaml:3:", "key 'boot_delay'"}, 0, 0},
    {H "vertices:\n  - name: a\n    threshold: -2\n", FL_E_MODEL, {"bad.yaml:4:", "key 'threshold'"}, 0, 0},
    {H "classes:\n  m: { capacity: -1 }\n", FL_E_MODEL, {"bad.yaml:3:", "key 'capacity'"}, 0, 0},
    {H "simulation:\n  steps: -5\n", FL_E_MODEL, {"bad.yaml:3:", "key 'steps'"}, 0, 0},
    /* probabilities outside [0, 1] */
    {H "vertices:\n  - name: a\n    p_fail: 1.5\n", FL_E_MODEL, {"bad.yaml:4:", "key 'p_fail'"}, 0, 0},
    {H "vertices:\n  - name: a\n    p_permanent: -0.1\n", FL_E_MODEL, {"bad.yaml:4:", "key 'p_permanent'"}, 0, 0},
    {H "defaults:\n  p_repair: 2\n", FL_E_MODEL, {"bad.yaml:3:", "key 'p_repair'"}, 0, 0},
    {H "classes:\n  s:\n    p_restart: 1.01\n", FL_E_MODEL, {"bad.yaml:4:", "key 'p_restart'"}, 0, 0},
    {H "vertices:\n  - name: a\n    unavailability: -0.5\n", FL_E_MODEL, {"bad.yaml:4:", "key 'unavailability'"}, 0, 0},
    {AB "edges:\n  - from: a\n    to: b\n    q: 1.5\n", FL_E_MODEL, {"bad.yaml:8:", "key 'q'"}, 0, 0},
    {H "graph:\n  path: g.txt\n  q: -1\n", FL_E_MODEL, {"bad.yaml:4:", "key 'q'"}, 0, 0},
    /* threshold_fraction outside (0, 1] */
    {H "vertices:\n  - name: a\n    threshold_fraction: 0\n",
     FL_E_MODEL,
     {"bad.yaml:4:", "key 'threshold_fraction'"},
     0,
     0},
    {H "vertices:\n  - name: a\n    threshold_fraction: 1.5\n",
     FL_E_MODEL,
     {"bad.yaml:4:", "key 'threshold_fraction'"},
     0,
     0},
    /* weights < 1 */
    {AB "edges:\n  - from: a\n    to: b\n    weight: 0\n", FL_E_MODEL, {"bad.yaml:8:", "key 'weight'"}, 0, 0},
    {H "graph:\n  path: g.txt\n  weight: 0\n", FL_E_MODEL, {"bad.yaml:4:", "key 'weight'"}, 0, 0},
    /* unknown enum values */
    {H "vertices:\n  - name: a\n    on_dependency: explode\n",
     FL_E_MODEL,
     {"bad.yaml:4:", "key 'on_dependency'", "explode"},
     0,
     0},
    {H "defaults:\n  initial: sideways\n", FL_E_MODEL, {"bad.yaml:3:", "key 'initial'", "sideways"}, 0, 0},
    {H "simulation:\n  propagation: magic\n", FL_E_MODEL, {"bad.yaml:3:", "key 'propagation'", "magic"}, 0, 0},
    /* unknown names */
    {AB "edges:\n  - from: zz\n    to: b\n", FL_E_MODEL, {"bad.yaml:6:", "key 'from'", "zz"}, 0, 0},
    {AB "edges:\n  - from: a\n    to: zz\n", FL_E_MODEL, {"bad.yaml:7:", "key 'to'", "zz"}, 0, 0},
    {AB "supervision:\n  - supervisor: zz\n    targets: [a]\n",
     FL_E_MODEL,
     {"bad.yaml:6:", "key 'supervisor'", "zz"},
     0,
     0},
    {AB "supervision:\n  - supervisor: a\n    targets:\n      - b\n      - zz\n",
     FL_E_MODEL,
     {"bad.yaml:9:", "key 'targets'", "zz"},
     0,
     0},
    {AB "targets:\n  vertices:\n    - a\n    - zz\n", FL_E_MODEL, {"bad.yaml:8:", "key 'vertices'", "zz"}, 0, 0},
    {H "vertices:\n  - name: a\n    pool: zz\n", FL_E_MODEL, {"bad.yaml:4:", "key 'pool'", "zz"}, 0, 0},
    {H "classes:\n  c: { p_fail: 0.1 }\nvertices:\n  - name: a\n    class: nope\n",
     FL_E_MODEL,
     {"bad.yaml:6:", "key 'class'", "nope"},
     0,
     0},
    {H "graph:\n  path: g.txt\n  class: nope\n", FL_E_MODEL, {"bad.yaml:4:", "key 'class'", "nope"}, 0, 0},
    /* duplicates */
    {H "vertices:\n  - name: a\n  - name: b\n  - name: a\n",
     FL_E_MODEL,
     {"bad.yaml:5:", "key 'name'", "duplicate"},
     0,
     0},
    {H "name: a\nname: b\n", FL_E_MODEL, {"bad.yaml:3:", "key 'name'", "duplicate"}, 0, 0},
    {H "vertices:\n  - name: a\n    p_fail: 0.1\n    p_fail: 0.2\n",
     FL_E_MODEL,
     {"bad.yaml:5:", "key 'p_fail'", "duplicate"},
     0,
     0},
    {H "classes:\n  db: { p_fail: 0.1 }\n  db: { p_fail: 0.2 }\n",
     FL_E_MODEL,
     {"bad.yaml:4:", "'db'", "duplicate"},
     0,
     0},
    {AB "targets:\n  vertices: [a, b, a]\n", FL_E_MODEL, {"bad.yaml:6:", "key 'vertices'", "duplicate"}, 0, 0},
    /* the schema version */
    {"name: x\nvertices: []\n", FL_E_MODEL, {"bad.yaml:1:", "key 'faultline'"}, 0, 0},
    {"", FL_E_MODEL, {"bad.yaml:1:", "key 'faultline'"}, 0, 0},
    {"# a comment\nfaultline: 2\n", FL_E_MODEL, {"bad.yaml:2:", "key 'faultline'", "2"}, 0, 0},
    /* missing required keys */
    {H "vertices:\n  - name: a\n  - p_fail: 0.1\n", FL_E_MODEL, {"bad.yaml:4:", "key 'name'"}, 0, 0},
    {AB "edges:\n  - from: a\n", FL_E_MODEL, {"bad.yaml:6:", "key 'to'"}, 0, 0},
    /* k and trials */
    {AB "targets:\n  vertices: [a, b]\n  k: 3\n", FL_E_MODEL, {"bad.yaml:7:", "key 'k'"}, 0, 0},
    {AB "targets:\n  vertices: [a, b]\n  k: 0\n", FL_E_MODEL, {"bad.yaml:7:", "key 'k'"}, 0, 0},
    {H "simulation:\n  trials: 0\n", FL_E_MODEL, {"bad.yaml:3:", "key 'trials'"}, 0, 0},
    /* graph files */
    {H "vertices:\n  - name: a\ngraph:\n  path: nograph.txt\n",
     FL_E_NOINPUT,
     {"bad.yaml:5:", "key 'path'", "nograph.txt"},
     0,
     0},
    {H "graph:\n  path: g3.txt\n", FL_E_MODEL, {"g3.txt:4:", "3"}, "g3.txt", "a b\n# c\n\nx y z\n"},
    {H "graph:\n  path: g1.txt\n", FL_E_MODEL, {"g1.txt:2:"}, "g1.txt", "a b\nlonely\n"},
    {H "graph:\n  path: grid.mtx\n",
     FL_E_MODEL,
     {"bad.yaml:3:", "key 'path'", "grid.mtx"},
     "grid.mtx",
     "%%MatrixMarket matrix coordinate pattern general\n2 2 1\n1 2\n"},
};

static void test_bad_models(void)
{
    size_t ncase = sizeof bad_cases / sizeof bad_cases[0];
    for (size_t i = 0; i < ncase; i++) {
        const bad_case *c = &bad_cases[i];
        if (c->aux)
            tu_write(c->aux, c->aux_text);
        const char *path = tu_write("bad.yaml", c->yaml);
        fl_model *md = fl_model_create();
        CU_ASSERT_FATAL(md != NULL);
        int status = fl_model_load(md, path);
        const char *msg = fl_model_error(md);
        int ok = status == c->status;
        for (int s = 0; s < 3 && c->sub[s]; s++)
            ok = ok && strstr(msg, c->sub[s]) != NULL;
        if (!ok)
            fprintf(stderr, "\n  bad case %zu: status %d (expected %d), message \"%s\"\n    model:\n%s\n", i, status,
                    c->status, msg, c->yaml);
        CU_ASSERT(ok);
        /* a failed load leaves an empty model */
        CU_ASSERT(fl_model_vertex_count(md) == 0 && fl_model_edge_count(md) == 0);
        fl_model_destroy(&md);
    }
}

static void test_missing_model(void)
{
    char path[512];
    snprintf(path, sizeof path, "%s/no-such-model.yaml", tu_tmpdir());
    fl_model *md = fl_model_create();
    CU_ASSERT_EQUAL(fl_model_load(md, path), FL_E_NOINPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(fl_model_error(md), "no-such-model.yaml"));
    /* the same object loads a good model afterwards, and its error is cleared */
    CU_ASSERT_EQUAL(fl_model_load(md, tu_write("good.yaml", "faultline: 1\nvertices:\n  - name: a\n")), FL_OK);
    CU_ASSERT_STRING_EQUAL(fl_model_error(md), "");
    CU_ASSERT_EQUAL(fl_model_vertex_count(md), 1);
    fl_model_destroy(&md);
    CU_ASSERT_PTR_NULL(md);
}

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    CU_pSuite s = CU_add_suite("model", NULL, NULL);
    CU_add_test(s, "every key of MODEL.md section 6 is read", test_all_keys);
    CU_add_test(s, "JSON loads like YAML", test_json);
    CU_add_test(s, "defaults < class < vertex", test_precedence);
    CU_add_test(s, "threshold_fraction gives ceil(phi * W)", test_threshold_fraction);
    CU_add_test(s, "simulation block: defaults and overrides", test_simulation_block);
    CU_add_test(s, "graph: edge-list import", test_graph_import);
    CU_add_test(s, "graph: gzip edge list", test_graph_gzip);
    CU_add_test(s, "bad models name file, line and key", test_bad_models);
    CU_add_test(s, "a missing model file is FL_E_NOINPUT", test_missing_model);
    return tu_main();
}
