/*
 * test_graph.c - the faultline graph format (docs/graph-format.md): round
 * trips through convert, a converted model simulating exactly like its
 * YAML, the generators, and bad HDF5 graph files, each rejected with exit
 * code 65 and a message naming the file and the dataset.
 */
#include <fcntl.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <hdf5.h>
#include <hdf5_hl.h>

#include "gen/generate.h"
#include "graph.h"
#include "io/graph_h5.h"
#include "model.h"
#include "testutil.h"

static char msg[2048];

static const char *tmp(const char *name)
{
    static char buf[8][512];
    static int next;
    char *p = buf[next++ % 8];
    snprintf(p, sizeof buf[0], "%s/%s", tu_tmpdir(), name);
    return p;
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Runs the faultline binary with args (NULL-terminated); stderr into err. */
static char err[8192];
static int run_cli(const char *const *args)
{
    char *argv[32];
    int argc = 0, status = 0;
    char epath[600];
    snprintf(epath, sizeof epath, "%s/graph.err", tu_tmpdir());
    argv[argc++] = (char *)FL_TEST_BINARY;
    for (; *args && argc < 31; args++)
        argv[argc++] = (char *)*args;
    argv[argc] = NULL;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        int o = open("/dev/null", O_WRONLY), e = open(epath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(o, 1);
        dup2(e, 2);
        execv(argv[0], argv);
        _exit(127);
    }
    waitpid(pid, &status, 0);
    FILE *f = fopen(epath, "rb");
    size_t n = f ? fread(err, 1, sizeof err - 1, f) : 0;
    err[n] = '\0';
    if (f)
        fclose(f);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

#define CLI(...) run_cli((const char *const[]){__VA_ARGS__, NULL})

static fl_model *load_quiet(const char *path, int *status)
{
    fl_model *md = fl_model_create();
    *status = fl_model_load(md, path);
    return md;
}

/* Same vertices (names, order, classes), edges in order, q and weights, supervision, parameters. */
static int same_model(const fl_model *a, const fl_model *b)
{
    if (a->n != b->n || a->m != b->m || a->ns != b->ns || a->nclass != b->nclass)
        return 0;
    for (uint32_t v = 0; v < a->n; v++) {
        const fl_vertex_params *p = &a->vp[v], *q = &b->vp[v];
        if (strcmp(a->vertex_name[v], b->vertex_name[v]) || a->vertex_class[v] != b->vertex_class[v])
            return 0;
        if (p->p_fail != q->p_fail || p->p_repair != q->p_repair || p->p_permanent != q->p_permanent ||
            p->p_restart != q->p_restart || p->threshold != q->threshold || p->on_dependency != q->on_dependency ||
            p->initial != q->initial || p->detect_delay != q->detect_delay || p->pool != q->pool ||
            p->capacity != q->capacity || p->boot_delay != q->boot_delay)
            return 0;
    }
    for (uint32_t c = 0; c < a->nclass; c++)
        if (strcmp(a->class_name[c], b->class_name[c]))
            return 0;
    for (uint64_t e = 0; e < a->m; e++)
        if (a->edge_from[e] != b->edge_from[e] || a->edge_to[e] != b->edge_to[e] ||
            fl_i_edge_q(a, e) != fl_i_edge_q(b, e) || fl_i_edge_weight(a, e) != fl_i_edge_weight(b, e))
            return 0;
    for (uint64_t s = 0; s < a->ns; s++)
        if (a->sup_from[s] != b->sup_from[s] || a->sup_to[s] != b->sup_to[s])
            return 0;
    return 1;
}

/* ------------------------------------------------------------ round trips */

/* An edge list not sorted by source, with string and number labels. */
static const char edges_text[] = "# test\n"
                                 "b a\n"
                                 "a c\n"
                                 "7 b\n"
                                 "c 7\n"
                                 "a b\n"
                                 "b a\n"
                                 "x 7\n";

static void test_edgelist_round_trip(void)
{
    tu_write("rt.txt", edges_text);
    const char *yaml = "faultline: 1\nvertices:\n  - name: a\n    p_fail: 0.5\ngraph:\n  path: %s\n  q: 0.25\n  "
                       "weight: 3\n";
    char text[512];
    snprintf(text, sizeof text, yaml, "rt.txt");
    tu_write("rt_txt.yaml", text);
    snprintf(text, sizeof text, yaml, "rt.h5");
    tu_write("rt_h5.yaml", text);
    CU_ASSERT_EQUAL(CLI("convert", tmp("rt.txt"), "-o", tmp("rt.h5")), 0);
    fl_model *a = tu_load(tmp("rt_txt.yaml")), *b = tu_load(tmp("rt_h5.yaml"));
    CU_ASSERT_FATAL(a != NULL && b != NULL);
    CU_ASSERT_EQUAL(a->n, 5);
    CU_ASSERT_EQUAL(a->m, 7);
    CU_ASSERT(same_model(a, b));
    /* the graph: block's q and weight apply: an edge list has none of its own */
    CU_ASSERT(b->m == 7 && fl_i_edge_q(b, 6) == 0.25 && fl_i_edge_weight(b, 6) == 3);
    /* and an .h5 -> .h5 conversion changes nothing */
    CU_ASSERT_EQUAL(CLI("convert", tmp("rt.h5"), "-o", tmp("rt2.h5"), "--deflate-edges", "6"), 0);
    snprintf(text, sizeof text, yaml, "rt2.h5");
    fl_model *c = tu_load(tu_write("rt_h5b.yaml", text));
    CU_ASSERT(c != NULL && same_model(a, c));
    fl_model_destroy(&a);
    fl_model_destroy(&b);
    fl_model_destroy(&c);
}

/* Pools, supervision, classes, threshold_fraction, initial states; edges out of source order. */
static const char full_model[] = "faultline: 1\n"
                                 "defaults: { p_fail: 0.01, p_repair: 0.1 }\n"
                                 "classes:\n"
                                 "  web: { on_dependency: crash, pool: vmhost, detect_delay: 2, p_permanent: 0.5 }\n"
                                 "  db: { p_fail: 0.02 }\n"
                                 "  unused: { p_fail: 0.3 }\n"
                                 "vertices:\n"
                                 "  - { name: db0, class: db }\n"
                                 "  - { name: db1, class: db, initial: down }\n"
                                 "  - { name: web0, class: web }\n"
                                 "  - { name: web1, class: web, p_fail: 0.05 }\n"
                                 "  - { name: web2, class: web }\n"
                                 "  - { name: lb, threshold_fraction: 0.6 }\n"
                                 "  - { name: k8s, p_restart: 0.7, p_fail: 0.005 }\n"
                                 "  - { name: vmhost, capacity: 3, boot_delay: 4 }\n"
                                 "edges:\n"
                                 "  - { from: web2, to: lb, weight: 2 }\n"
                                 "  - { from: db0, to: web0, q: 0.9 }\n"
                                 "  - { from: db1, to: web1, q: 0.8 }\n"
                                 "  - { from: db0, to: web2 }\n"
                                 "  - { from: web0, to: lb }\n"
                                 "  - { from: web1, to: lb, q: 0.5 }\n"
                                 "  - { from: vmhost, to: k8s, q: 0.3 }\n"
                                 "supervision:\n"
                                 "  - { supervisor: k8s, targets: [web2, web0, web1] }\n"
                                 "targets: { vertices: [lb, db0], k: 1 }\n";

static void test_yaml_round_trip_simulates_alike(void)
{
    tu_write("full.yaml", full_model);
    CU_ASSERT_EQUAL_FATAL(CLI("convert", tmp("full.yaml"), "-o", tmp("full.h5")), 0);
    tu_write("full_h5.yaml", "faultline: 1\ngraph: { path: full.h5 }\ntargets: { vertices: [lb, db0], k: 1 }\n");
    fl_model *a = tu_load(tmp("full.yaml")), *b = tu_load(tmp("full_h5.yaml"));
    CU_ASSERT_FATAL(a != NULL && b != NULL);
    CU_ASSERT(same_model(a, b));
    CU_ASSERT_EQUAL(fl_model_pool_count(b), 1);
    fl_sim *sa = tu_run(a, 256, 60, 11, 0, 2, FL_PROP_DEFAULT, 1);
    fl_sim *sb = tu_run(b, 256, 60, 11, 0, 1, FL_PROP_DEFAULT, 1);
    CU_ASSERT_FATAL(sa != NULL && sb != NULL);
    CU_ASSERT(memcmp(fl_sim_down_fraction(sa), fl_sim_down_fraction(sb), 61 * sizeof(double)) == 0);
    CU_ASSERT(memcmp(fl_sim_system_down(sa), fl_sim_system_down(sb), 61 * sizeof(double)) == 0);
    CU_ASSERT(memcmp(fl_sim_vertex_unavailability(sa), fl_sim_vertex_unavailability(sb), a->n * sizeof(double)) == 0);
    CU_ASSERT(memcmp(fl_sim_down_count(sa), fl_sim_down_count(sb), 256 * 61 * sizeof(uint32_t)) == 0);
    /* something happened at all */
    CU_ASSERT(fl_sim_down_fraction(sa)[60] > 0.0);
    fl_sim_destroy(&sa);
    fl_sim_destroy(&sb);
    fl_model_destroy(&a);
    fl_model_destroy(&b);
}

/* The file's own values win over the graph: block; inline vertices join by name. */
static void test_file_values_win(void)
{
    tu_write("fw.yaml", full_model);
    CU_ASSERT_EQUAL_FATAL(CLI("convert", tmp("fw.yaml"), "-o", tmp("fw.h5")), 0);
    tu_write("fw2.yaml", "faultline: 1\nclasses:\n  db: { p_fail: 0.9 }\n  other: {}\nvertices:\n"
                         "  - { name: x }\n  - { name: lb, p_fail: 0.125 }\n"
                         "edges:\n  - { from: x, to: lb }\n"
                         "graph: { path: fw.h5, q: 0.1, weight: 5, class: other }\n");
    fl_model *b = tu_load(tmp("fw2.yaml"));
    CU_ASSERT_FATAL(b != NULL);
    /* x, lb inline; then the file's 8 vertices minus lb */
    CU_ASSERT_EQUAL(b->n, 9);
    CU_ASSERT_STRING_EQUAL(b->vertex_name[2], "db0");
    CU_ASSERT_EQUAL(b->m, 8);
    CU_ASSERT(b->edge_from[0] == 0 && b->edge_to[0] == 1);
    CU_ASSERT(b->edge_to[1] == 1 && fl_i_edge_weight(b, 1) == 2 && fl_i_edge_q(b, 1) == 1.0); /* web2 -> lb, weight 2 */
    CU_ASSERT(fl_i_edge_q(b, 2) == 0.9);
    /* classes: the model's, then the file's new ones in file order */
    CU_ASSERT(b->nclass == 4 && !strcmp(b->class_name[2], "web") && !strcmp(b->class_name[3], "unused"));
    CU_ASSERT(b->vertex_class[2] == 0);  /* db0: the file's class db is the model's db */
    CU_ASSERT(b->vp[2].p_fail == 0.02);  /* but its p_fail is the file's */
    CU_ASSERT(b->vp[1].p_fail == 0.125); /* an inline vertex's own entry wins */
    CU_ASSERT(b->vp[1].threshold == 3);  /* lb: ceil(0.6 * 4), resolved in the file */
    CU_ASSERT(b->vertex_class[8] == 1);  /* vmhost: no class in the file, so graph: class */
    fl_model_destroy(&b);
}

/* A file without names: labels "0".."n-1"; targets may name them. */
static void test_numeric_labels(void)
{
    CU_ASSERT_EQUAL_FATAL(CLI("generate", "grid", "--rows", "2", "--cols", "3", "-o", tmp("g23.h5")), 0);
    tu_write("g23.yaml", "faultline: 1\nvertices:\n  - { name: '4', p_fail: 0.5 }\n"
                         "graph: { path: g23.h5 }\ntargets: { vertices: ['0', '5'] }\n");
    fl_model *b = tu_load(tmp("g23.yaml"));
    CU_ASSERT_FATAL(b != NULL);
    CU_ASSERT_EQUAL(b->n, 6);
    CU_ASSERT_STRING_EQUAL(b->vertex_name[0], "4");
    CU_ASSERT_STRING_EQUAL(b->vertex_name[1], "0");
    CU_ASSERT_STRING_EQUAL(b->vertex_name[5], "5");
    CU_ASSERT(b->ntarget == 2 && b->target[0] == 1 && b->target[1] == 5);
    CU_ASSERT_EQUAL(b->m, 14);
    /* edge 0 -> 1 first (CSR order), and vertex 4's edges go to the inline vertex */
    CU_ASSERT(b->edge_from[0] == 1 && b->edge_to[0] == 2);
    int found = 0;
    for (uint64_t e = 0; e < b->m; e++)
        found += b->edge_from[e] == 0;
    CU_ASSERT_EQUAL(found, 3); /* vertex "4" (middle of the bottom row) has 3 neighbours */
    /* col is mapped from the file (graph_h5.c, map_col), and renumbered in
     * place (the inline '4' comes first): private copies of its pages */
    CU_ASSERT_PTR_NOT_NULL(b->edge_to_map);
    fl_model_destroy(&b);
    /* the same graph again: the file is unchanged by the write above */
    b = tu_load(tmp("g23.yaml"));
    CU_ASSERT_FATAL(b != NULL);
    CU_ASSERT(b->edge_from[0] == 1 && b->edge_to[0] == 2);
    fl_model_destroy(&b);
}

/* Edge-list labels: decimal ones (looked up in import_edge's array) and
 * others name the same vertices as the hash of names: an inline '5', "05"
 * distinct from "5", numbers past the array's reach, words. */
static void test_edgelist_labels(void)
{
    tu_write("labels.txt", "5 7\n05 7\n7 99999999\nabc 5\n99999999 5\n7 5\n0 7\n123456789 0\n0 123456789\n");
    tu_write("labels.yaml", "faultline: 1\nvertices:\n  - { name: '5' }\ngraph: { path: labels.txt }\n");
    fl_model *b = tu_load(tmp("labels.yaml"));
    CU_ASSERT_FATAL(b != NULL);
    static const char *names[] = {"5", "7", "05", "99999999", "abc", "0", "123456789"};
    static const uint32_t from[] = {0, 2, 1, 4, 3, 1, 5, 6, 5}, to[] = {1, 1, 3, 0, 0, 0, 1, 5, 6};
    CU_ASSERT_EQUAL_FATAL(b->n, 7);
    CU_ASSERT_EQUAL_FATAL(b->m, 9);
    for (uint32_t v = 0; v < 7; v++)
        CU_ASSERT_STRING_EQUAL(b->vertex_name[v], names[v]);
    for (uint64_t e = 0; e < 9; e++)
        CU_ASSERT(b->edge_from[e] == from[e] && b->edge_to[e] == to[e]);
    fl_model_destroy(&b);
}

/* Per-edge q and weight arrays only where the values vary; the same results either way. */
static void test_edge_values_constant(void)
{
    char name[16];
    CU_ASSERT_EQUAL_FATAL(CLI("generate", "grid", "--rows", "15", "--cols", "10", "-o", tmp("g150.h5")), 0);
    /* no per-edge values anywhere: constants, and generated labels "0".."149" */
    tu_write("c1.yaml", "faultline: 1\ndefaults: { p_fail: 0.05, p_repair: 0.2 }\n"
                        "graph: { path: g150.h5, q: 0.5, weight: 2 }\n");
    fl_model *a = tu_load(tmp("c1.yaml"));
    CU_ASSERT_FATAL(a != NULL);
    CU_ASSERT(a->n == 150 && a->m == 2 * (15 * 9 + 14 * 10));
    CU_ASSERT(a->edge_q == NULL && a->edge_weight == NULL && a->edge_q_all == 0.5 && a->edge_weight_all == 2);
    for (uint32_t v = 0; v < a->n; v++) {
        snprintf(name, sizeof name, "%u", v);
        CU_ASSERT_STRING_EQUAL_FATAL(a->vertex_name[v], name);
    }
    /* the same values spelled out per edge: arrays, and bit-identical results */
    fl_model *b = tu_load(tmp("c1.yaml"));
    CU_ASSERT_FATAL(b != NULL);
    b->edge_q = malloc(b->m * sizeof *b->edge_q);
    b->edge_weight = malloc(b->m * sizeof *b->edge_weight);
    CU_ASSERT_FATAL(b->edge_q != NULL && b->edge_weight != NULL);
    for (uint64_t e = 0; e < b->m; e++) {
        b->edge_q[e] = 0.5;
        b->edge_weight[e] = 2;
    }
    b->edge_q_all = 0.0; /* must not be read */
    b->edge_weight_all = 0;
    fl_sim *sa = tu_run(a, 128, 40, 5, 0, 1, FL_PROP_DEFAULT, 1);
    fl_sim *sb = tu_run(b, 128, 40, 5, 0, 2, FL_PROP_DEFAULT, 1);
    CU_ASSERT_FATAL(sa != NULL && sb != NULL);
    CU_ASSERT(memcmp(fl_sim_down_count(sa), fl_sim_down_count(sb), 128 * 41 * sizeof(uint32_t)) == 0);
    CU_ASSERT(memcmp(fl_sim_vertex_unavailability(sa), fl_sim_vertex_unavailability(sb), a->n * sizeof(double)) == 0);
    CU_ASSERT(fl_sim_down_fraction(sa)[40] > 0.0);
    fl_sim_destroy(&sa);
    fl_sim_destroy(&sb);
    fl_model_destroy(&b);
    /* a file whose q and weight datasets hold one value: constants too */
    CU_ASSERT_EQUAL_FATAL(CLI("convert", tmp("c1.yaml"), "-o", tmp("c1.h5")), 0);
    tu_write("c2.yaml", "faultline: 1\ngraph: { path: c1.h5 }\n");
    b = tu_load(tmp("c2.yaml"));
    CU_ASSERT_FATAL(b != NULL);
    CU_ASSERT(b->edge_q == NULL && b->edge_weight == NULL && b->edge_q_all == 0.5 && b->edge_weight_all == 2);
    fl_model_destroy(&b);
    /* inline edges with the graph's values: still constants */
    tu_write("c3.yaml",
             "faultline: 1\nvertices: [{ name: x }]\n"
             "edges:\n  - { from: x, to: '3', q: 0.5, weight: 2 }\n  - { from: '7', to: x, q: 0.5, weight: 2 }\n"
             "graph: { path: g150.h5, q: 0.5, weight: 2 }\n");
    b = tu_load(tmp("c3.yaml"));
    CU_ASSERT_FATAL(b != NULL);
    CU_ASSERT(b->m == a->m + 2 && b->edge_q == NULL && b->edge_weight == NULL);
    CU_ASSERT(b->edge_q_all == 0.5 && b->edge_weight_all == 2);
    fl_model_destroy(&b);
    /* inline edges with other values: arrays, each edge its own */
    tu_write("c4.yaml", "faultline: 1\nvertices: [{ name: x }]\n"
                        "edges:\n  - { from: x, to: '3' }\n  - { from: '7', to: x, q: 0.5 }\n"
                        "graph: { path: g150.h5, q: 0.5, weight: 2 }\n");
    b = tu_load(tmp("c4.yaml"));
    CU_ASSERT_FATAL(b != NULL);
    CU_ASSERT_FATAL(b->m == a->m + 2 && b->edge_q != NULL && b->edge_weight != NULL);
    CU_ASSERT(b->edge_q[0] == 1.0 && b->edge_weight[0] == 1 && b->edge_q[1] == 0.5 && b->edge_weight[1] == 1);
    for (uint64_t e = 2; e < b->m; e++)
        CU_ASSERT_FATAL(b->edge_q[e] == 0.5 && b->edge_weight[e] == 2);
    fl_model_destroy(&b);
    /* only the weight differs: q stays constant */
    tu_write("c5.yaml", "faultline: 1\nvertices: [{ name: x }]\n"
                        "edges:\n  - { from: x, to: '3', q: 0.5 }\n"
                        "graph: { path: c1.h5 }\n");
    b = tu_load(tmp("c5.yaml"));
    CU_ASSERT_FATAL(b != NULL);
    CU_ASSERT(b->edge_q == NULL && b->edge_q_all == 0.5 && b->edge_weight != NULL);
    CU_ASSERT(b->edge_weight[0] == 1 && b->edge_weight[1] == 2 && b->edge_weight[b->m - 1] == 2);
    fl_model_destroy(&b);
    fl_model_destroy(&a);
}

/* ------------------------------------------------------------- generators */

static void test_grid_counts(void)
{
    fl_i_h5graph g;
    memset(&g, 0, sizeof g);
    CU_ASSERT_EQUAL_FATAL(fl_i_gen_grid(&g, 5, 7, msg, sizeof msg), FL_OK);
    CU_ASSERT_EQUAL(g.n, 35);
    CU_ASSERT_EQUAL(g.m, 2 * (5 * 6 + 4 * 7));
    for (uint32_t u = 0; u < g.n; u++) {
        uint64_t d = g.row_offset[u + 1] - g.row_offset[u];
        CU_ASSERT(d >= 2 && d <= 4);
    }
    CU_ASSERT_EQUAL(fl_i_h5graph_validate(&g, "grid", msg, sizeof msg), FL_OK);
    fl_i_h5graph_free(&g);
}

static void test_fattree_counts(void)
{
    fl_i_fattree o = {4, 2, 3, 2, 5};
    fl_i_h5graph g;
    memset(&g, 0, sizeof g);
    CU_ASSERT_EQUAL_FATAL(fl_i_gen_fattree(&g, &o, msg, sizeof msg), FL_OK);
    /* k = 4: 4 core, 8 aggregation, 8 edge, 16 hosts, 32 VMs, 96 services, 4 supervisors */
    CU_ASSERT_EQUAL(g.n, 4 + 8 + 8 + 16 + 32 + 96 + 4);
    CU_ASSERT_EQUAL(g.m, 8 * 2 + 8 * 2 + 16 + 32 + 96 + 4);
    CU_ASSERT_EQUAL(g.ns, 32 + 96);
    CU_ASSERT_EQUAL(g.nclass, 7);
    CU_ASSERT_EQUAL(fl_i_h5graph_validate(&g, "fattree", msg, sizeof msg), FL_OK);
    /* an edge switch is down only when both its uplinks are; VMs' pool is their host */
    CU_ASSERT(g.threshold[4 + 8] == 2 && g.vclass[4 + 8] == 2);
    CU_ASSERT(g.pool[36] == 20 && g.pool[37] == 20 && g.pool[38] == 21 && g.capacity[20] == 2);
    CU_ASSERT_STRING_EQUAL(g.name[36], "vm0");
    fl_i_h5graph_free(&g);
    /* the k = 32 size of the docs */
    fl_i_fattree big = {32, 8, 14, 2, 5};
    memset(&g, 0, sizeof g);
    CU_ASSERT_EQUAL_FATAL(fl_i_gen_fattree(&g, &big, msg, sizeof msg), FL_OK);
    CU_ASSERT_EQUAL(g.n, 992544);
    CU_ASSERT_EQUAL(g.m, 1007648);
    fl_i_h5graph_free(&g);
}

static void test_er(void)
{
    fl_i_h5graph g, h;
    const uint32_t n = 4000;
    const double k = 6;
    memset(&g, 0, sizeof g);
    memset(&h, 0, sizeof h);
    CU_ASSERT_EQUAL_FATAL(fl_i_gen_er(&g, n, k, 0, 42, msg, sizeof msg), FL_OK);
    /* undirected edges ~ Binomial(n(n-1)/2, k/(n-1)): mean nk/2; 6 standard deviations */
    double mean = n * k / 2, sd = sqrt(mean * (1 - k / (n - 1)));
    CU_ASSERT(g.m % 2 == 0);
    CU_ASSERT(fabs((double)(g.m / 2) - mean) < 6 * sd);
    /* symmetric, no self-loops, degrees ~ Poisson(6) */
    uint64_t maxdeg = 0;
    for (uint32_t u = 0; u < n; u++) {
        uint64_t d = g.row_offset[u + 1] - g.row_offset[u];
        maxdeg = d > maxdeg ? d : maxdeg;
        for (uint64_t e = g.row_offset[u]; e < g.row_offset[u + 1]; e++)
            CU_ASSERT_FATAL(g.col[e] != u);
    }
    CU_ASSERT(maxdeg < 30);
    /* reproducible by seed; another seed differs */
    CU_ASSERT_EQUAL_FATAL(fl_i_gen_er(&h, n, k, 0, 42, msg, sizeof msg), FL_OK);
    CU_ASSERT(h.m == g.m && memcmp(h.col, g.col, g.m * 4) == 0);
    fl_i_h5graph_free(&h);
    CU_ASSERT_EQUAL_FATAL(fl_i_gen_er(&h, n, k, 0, 43, msg, sizeof msg), FL_OK);
    CU_ASSERT(h.m != g.m || memcmp(h.col, g.col, g.m * 4) != 0);
    fl_i_h5graph_free(&h);
    /* directed: n(n-1) ordered pairs, mean nk */
    CU_ASSERT_EQUAL_FATAL(fl_i_gen_er(&h, n, k, 1, 42, msg, sizeof msg), FL_OK);
    mean = n * k;
    sd = sqrt(mean);
    CU_ASSERT(fabs((double)h.m - mean) < 6 * sd);
    CU_ASSERT_EQUAL(fl_i_h5graph_validate(&h, "er", msg, sizeof msg), FL_OK);
    fl_i_h5graph_free(&h);
    /* degree K = n-1: the complete graph */
    CU_ASSERT_EQUAL_FATAL(fl_i_gen_er(&h, 50, 49, 0, 1, msg, sizeof msg), FL_OK);
    CU_ASSERT_EQUAL(h.m, 50 * 49);
    fl_i_h5graph_free(&h);
    fl_i_h5graph_free(&g);
}

static void test_rmat_threads(void)
{
    fl_i_h5graph a, b;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    int old = omp_get_max_threads();
    omp_set_num_threads(1);
    CU_ASSERT_EQUAL_FATAL(fl_i_gen_rmat(&a, 12, 16, 0.57, 0.19, 0.19, 7, msg, sizeof msg), FL_OK);
    omp_set_num_threads(2);
    CU_ASSERT_EQUAL_FATAL(fl_i_gen_rmat(&b, 12, 16, 0.57, 0.19, 0.19, 7, msg, sizeof msg), FL_OK);
    omp_set_num_threads(old);
    CU_ASSERT_EQUAL(a.n, 4096);
    CU_ASSERT(a.m == b.m && memcmp(a.col, b.col, a.m * 4) == 0 &&
              memcmp(a.row_offset, b.row_offset, (a.n + 1) * 8) == 0);
    /* self-loops dropped: a few of the 65536 draws */
    CU_ASSERT(a.m < 65536 && a.m > 60000);
    /* skewed degrees: vertex 0 (quadrant a at every level) is a hub */
    uint64_t maxdeg = 0, zero = 0;
    for (uint32_t u = 0; u < a.n; u++) {
        uint64_t d = a.row_offset[u + 1] - a.row_offset[u];
        maxdeg = d > maxdeg ? d : maxdeg;
        zero += d == 0;
    }
    CU_ASSERT(maxdeg > 20 * 16);
    CU_ASSERT(zero > a.n / 10);
    CU_ASSERT_EQUAL(a.row_offset[1] - a.row_offset[0], maxdeg);
    CU_ASSERT_EQUAL(fl_i_h5graph_validate(&a, "rmat", msg, sizeof msg), FL_OK);
    fl_i_h5graph_free(&a);
    fl_i_h5graph_free(&b);
}

/* generate to .txt and to .h5: the same model; the CLI checks its options. */
static void test_generate_cli(void)
{
    CU_ASSERT_EQUAL(CLI("generate", "er", "--n", "300", "--degree", "4", "--seed", "5", "-o", tmp("er.h5")), 0);
    CU_ASSERT_EQUAL(CLI("generate", "er", "--n", "300", "--degree", "4", "--seed", "5", "-o", tmp("er.txt")), 0);
    tu_write("er_h5.yaml", "faultline: 1\ngraph: { path: er.h5 }\n");
    tu_write("er_txt.yaml", "faultline: 1\ngraph: { path: er.txt }\n");
    fl_model *a = tu_load(tmp("er_h5.yaml")), *b = tu_load(tmp("er_txt.yaml"));
    CU_ASSERT_FATAL(a != NULL && b != NULL);
    /* the edge list has no isolated vertices and numbers vertices by first appearance */
    CU_ASSERT(a->m == b->m && a->n >= b->n);
    for (uint64_t e = 0; e < a->m && e < b->m; e++)
        CU_ASSERT_FATAL(!strcmp(a->vertex_name[a->edge_from[e]], b->vertex_name[b->edge_from[e]]) &&
                        !strcmp(a->vertex_name[a->edge_to[e]], b->vertex_name[b->edge_to[e]]));
    fl_model_destroy(&a);
    fl_model_destroy(&b);
    CU_ASSERT_EQUAL(CLI("generate", "rmat", "--scale", "8", "--threads", "1", "-o", tmp("r1.h5")), 0);
    CU_ASSERT_EQUAL(CLI("generate", "rmat", "--scale", "8", "--threads", "2", "-o", tmp("r2.h5")), 0);
    tu_write("r1.yaml", "faultline: 1\ngraph: { path: r1.h5 }\n");
    tu_write("r2.yaml", "faultline: 1\ngraph: { path: r2.h5 }\n");
    a = tu_load(tmp("r1.yaml"));
    b = tu_load(tmp("r2.yaml"));
    CU_ASSERT(a && b && same_model(a, b));
    fl_model_destroy(&a);
    fl_model_destroy(&b);
    CU_ASSERT_EQUAL(CLI("generate", "fattree", "--k", "4", "-o", tmp("ft.h5")), 0);
    tu_write("ft.yaml", "faultline: 1\ngraph: { path: ft.h5 }\n");
    a = tu_load(tmp("ft.yaml"));
    CU_ASSERT(a && fl_model_pool_count(a) == 16 && a->nclass == 7);
    fl_model_destroy(&a);
    /* usage errors: 64, and nothing written */
    const char *bad[][12] = {
        {"generate", NULL},
        {"generate", "hypercube", "-o", "@x.h5", NULL},
        {"generate", "grid", "--rows", "3", "-o", "@x.h5", NULL},
        {"generate", "grid", "--rows", "0", "--cols", "3", "-o", "@x.h5", NULL},
        {"generate", "grid", "--rows", "3", "--cols", "3", NULL},
        {"generate", "grid", "--rows", "3", "--cols", "3", "--scale", "4", "-o", "@x.h5", NULL},
        {"generate", "er", "--n", "10", "--degree", "abc", "-o", "@x.h5", NULL},
        {"generate", "er", "--n", "10", "--degree", "10", "-o", "@x.h5", NULL},
        {"generate", "rmat", "--scale", "40", "-o", "@x.h5", NULL},
        {"generate", "rmat", "--scale", "4", "--a", "0.9", "--b", "0.2", "-o", "@x.h5", NULL},
        {"generate", "fattree", "--k", "5", "-o", "@x.h5", NULL},
        {"generate", "fattree", "--k", "4", "--bogus", "-o", "@x.h5", NULL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *args[13];
        int j;
        for (j = 0; bad[i][j]; j++)
            args[j] = bad[i][j][0] == '@' ? tmp(bad[i][j] + 1) : bad[i][j];
        args[j] = NULL;
        int code = run_cli(args);
        if (code != 64)
            fprintf(stderr, "\n  bad generate %zu: exit %d: %s", i, code, err);
        CU_ASSERT_EQUAL(code, 64);
        CU_ASSERT(strstr(err, "faultline: ") != NULL);
    }
    CU_ASSERT(!exists(tmp("x.h5")));
    /* an output that cannot be created: 73 */
    CU_ASSERT_EQUAL(CLI("generate", "grid", "--rows", "2", "--cols", "2", "-o", tmp("nodir/g.h5")), 73);
    CU_ASSERT_EQUAL(CLI("generate", "grid", "--rows", "2", "--cols", "2", "-o", tmp("nodir/g.txt")), 73);
}

/* ---------------------------------------------------------------- bad files */

/* A valid 3-vertex graph written with the plain HDF5 API, then one thing broken. */
enum breakage {
    B_NONE,
    B_NO_COL,
    B_COL_SIZE,
    B_OFFSETS,
    B_OFFSET_END,
    B_COL_RANGE,
    B_Q,
    B_POOL_NOCAP,
    B_POOL_RANGE,
    B_WEIGHT0,
    B_VERSION,
    B_FORMAT,
    B_SUP_RANGE,
    B_CLASS_RANGE,
    B_ORDER,
    B_TYPE,
    B_ONDEP,
    B_WIDE,     /* col as int64 (h5py's default): read and narrowed */
    B_WIDE_NEG, /* the same with a negative index */
};

static void make_file(const char *path, enum breakage b)
{
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    uint64_t n = 3, m = 3, off[4] = {0, 2, 2, 3}, order[3] = {2, 0, 1};
    uint32_t col[3] = {1, 2, 0}, w[3] = {1, 1, 2}, cap[3] = {0, 0, 2}, sup[1] = {0}, sup2[1] = {1};
    uint32_t version = b == B_VERSION ? 2 : 1;
    double q[3] = {0.5, 1, 0};
    int64_t pool[3] = {2, -1, -1};
    int32_t cls[3] = {0, -1, 0};
    uint8_t dep[3] = {0, 1, 0};
    hsize_t d3 = 3, d4 = 4, d2 = 2, d1 = 1;

    H5LTset_attribute_string(f, "/", "format", b == B_FORMAT ? "something else" : "faultline graph");
    H5LTset_attribute_uint(f, "/", "version", &version, 1);
    H5LTset_attribute_ulong(f, "/", "n", (unsigned long *)&n, 1);
    H5LTset_attribute_ulong(f, "/", "m", (unsigned long *)&m, 1);
    if (b == B_OFFSETS)
        off[1] = 3, off[2] = 2;
    if (b == B_OFFSET_END)
        off[3] = 2;
    H5LTmake_dataset(f, "row_offset", 1, &d4, H5T_NATIVE_UINT64, off);
    if (b == B_COL_RANGE)
        col[1] = 3;
    if (b == B_TYPE) {
        H5LTmake_dataset(f, "col", 1, &d3, H5T_NATIVE_DOUBLE, q);
    } else if (b == B_WIDE || b == B_WIDE_NEG) {
        int64_t wide[3] = {col[0], b == B_WIDE_NEG ? -1 : (int64_t)col[1], col[2]};
        H5LTmake_dataset(f, "col", 1, &d3, H5T_NATIVE_INT64, wide);
    } else if (b != B_NO_COL) {
        H5LTmake_dataset(f, "col", 1, b == B_COL_SIZE ? &d2 : &d3, H5T_NATIVE_UINT32, col);
    }
    if (b == B_ORDER)
        order[1] = 2;
    H5LTmake_dataset(f, "edge_order", 1, &d3, H5T_NATIVE_UINT64, order);
    if (b == B_Q)
        q[2] = 1.5;
    H5LTmake_dataset(f, "q", 1, &d3, H5T_NATIVE_DOUBLE, q);
    if (b == B_WEIGHT0)
        w[0] = 0;
    H5LTmake_dataset(f, "weight", 1, &d3, H5T_NATIVE_UINT32, w);
    if (b == B_POOL_NOCAP)
        cap[2] = 0;
    if (b == B_POOL_RANGE)
        pool[0] = 3;
    H5LTmake_dataset(f, "capacity", 1, &d3, H5T_NATIVE_UINT32, cap);
    H5LTmake_dataset(f, "pool", 1, &d3, H5T_NATIVE_INT64, pool);
    if (b == B_SUP_RANGE)
        sup2[0] = 7;
    H5LTmake_dataset(f, "supervisor", 1, &d1, H5T_NATIVE_UINT32, sup);
    H5LTmake_dataset(f, "supervised", 1, &d1, H5T_NATIVE_UINT32, sup2);
    if (b == B_CLASS_RANGE)
        cls[1] = 1;
    H5LTmake_dataset(f, "class", 1, &d3, H5T_NATIVE_INT32, cls);
    if (b == B_ONDEP)
        dep[2] = 2;
    H5LTmake_dataset(f, "on_dependency", 1, &d3, H5T_NATIVE_UINT8, dep);
    {
        /* classes: one variable-length string */
        hid_t st = H5Tcopy(H5T_C_S1), sp = H5Screate_simple(1, &d1, NULL);
        const char *names[1] = {"switch"};
        H5Tset_size(st, H5T_VARIABLE);
        hid_t ds = H5Dcreate2(f, "classes", st, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        H5Dwrite(ds, st, H5S_ALL, H5S_ALL, H5P_DEFAULT, names);
        H5Dclose(ds);
        H5Sclose(sp);
        H5Tclose(st);
    }
    H5Fclose(f);
}

static const struct {
    enum breakage b;
    const char *dataset; /* the message must name it */
} bad_files[] = {
    {B_NO_COL, "'col'"},         {B_COL_SIZE, "'col'"},
    {B_OFFSETS, "'row_offset'"}, {B_OFFSET_END, "'row_offset'"},
    {B_COL_RANGE, "'col'"},      {B_Q, "'q'"},
    {B_POOL_NOCAP, "'pool'"},    {B_POOL_RANGE, "'pool'"},
    {B_WEIGHT0, "'weight'"},     {B_VERSION, "'version'"},
    {B_FORMAT, "'format'"},      {B_SUP_RANGE, "'supervised'"},
    {B_CLASS_RANGE, "'class'"},  {B_ORDER, "'edge_order'"},
    {B_TYPE, "'col'"},           {B_ONDEP, "'on_dependency'"},
    {B_WIDE_NEG, "'col'"},
};

static void test_bad_files(void)
{
    /* the unbroken file loads */
    make_file(tmp("good.h5"), B_NONE);
    fl_model *md = tu_load(tu_write("good.yaml", "faultline: 1\ngraph: { path: good.h5 }\n"));
    CU_ASSERT(md && md->n == 3 && md->m == 3 && md->ns == 1);
    /* listing order from edge_order: CSR entry 0 (0 -> 1) is edge 2 */
    CU_ASSERT(md && md->edge_from[2] == 0 && md->edge_to[2] == 1 && fl_i_edge_q(md, 2) == 0.5);
    CU_ASSERT(md && md->edge_from[1] == 2 && md->edge_to[1] == 0 && fl_i_edge_weight(md, 1) == 2);
    CU_ASSERT(md && md->vp[0].pool == 2 && md->vp[1].on_dependency == 1 && md->vertex_class[0] == 0);
    fl_model_destroy(&md);
    /* indices stored as int64, as h5py writes them by default, load alike */
    make_file(tmp("wide.h5"), B_WIDE);
    md = tu_load(tu_write("wide.yaml", "faultline: 1\ngraph: { path: wide.h5 }\n"));
    CU_ASSERT(md && md->m == 3 && md->edge_from[2] == 0 && md->edge_to[2] == 1 && md->edge_to[0] == 2);
    fl_model_destroy(&md);
    tu_write("bad_h5.yaml", "faultline: 1\ngraph: { path: bad.h5 }\n");
    for (size_t i = 0; i < sizeof bad_files / sizeof bad_files[0]; i++) {
        make_file(tmp("bad.h5"), bad_files[i].b);
        int status;
        md = load_quiet(tmp("bad_h5.yaml"), &status);
        const char *m = fl_model_error(md);
        int ok = status == FL_E_MODEL && strstr(m, "bad.h5") && strstr(m, bad_files[i].dataset);
        if (!ok)
            fprintf(stderr, "\n  bad file %zu: status %d, message \"%s\"", i, status, m);
        CU_ASSERT(ok);
        fl_model_destroy(&md);
        /* the command says the same, exits 65 and writes nothing */
        int code = CLI("convert", tmp("bad.h5"), "-o", tmp("bad_out.h5"));
        CU_ASSERT(code == 65 && strstr(err, "bad.h5") && strstr(err, bad_files[i].dataset));
        CU_ASSERT(!exists(tmp("bad_out.h5")));
        code = CLI("check", tmp("bad_h5.yaml"));
        CU_ASSERT_EQUAL(code, 65);
    }
    /* missing and not-HDF5 files */
    tu_write("miss.yaml", "faultline: 1\ngraph: { path: missing.h5 }\n");
    CU_ASSERT_EQUAL(CLI("check", tmp("miss.yaml")), 66);
    CU_ASSERT(strstr(err, "missing.h5") != NULL);
    CU_ASSERT_EQUAL(CLI("convert", tmp("missing.h5"), "-o", tmp("bad_out.h5")), 66);
    tu_write("fake.h5", "not hdf5\n");
    tu_write("fake.yaml", "faultline: 1\ngraph: { path: fake.h5 }\n");
    CU_ASSERT_EQUAL(CLI("check", tmp("fake.yaml")), 65);
    CU_ASSERT(strstr(err, "fake.h5") && strstr(err, "not an HDF5 file"));
    /* a model the format cannot hold (a pool without capacity) fails convert: nothing written */
    tu_write("nocap.yaml", "faultline: 1\nvertices:\n  - { name: p }\n  - { name: a, pool: p }\n");
    CU_ASSERT_EQUAL(CLI("convert", tmp("nocap.yaml"), "-o", tmp("nocap.h5")), 65);
    CU_ASSERT(strstr(err, "'pool'") != NULL);
    CU_ASSERT(!exists(tmp("nocap.h5")));
    /* a duplicate name in the file */
    {
        fl_i_h5graph g;
        memset(&g, 0, sizeof g);
        CU_ASSERT_FATAL(fl_i_gen_grid(&g, 1, 2, msg, sizeof msg) == FL_OK);
        g.name = calloc(2, sizeof *g.name);
        g.name[0] = strdup("same");
        g.name[1] = strdup("same");
        CU_ASSERT_EQUAL(fl_i_h5graph_write(&g, tmp("dup.h5"), 4, 0, msg, sizeof msg), FL_OK);
        fl_i_h5graph_free(&g);
        tu_write("dup.yaml", "faultline: 1\ngraph: { path: dup.h5 }\n");
        int status_dummy;
        md = load_quiet(tmp("dup.yaml"), &status_dummy);
        CU_ASSERT(status_dummy == FL_E_MODEL && strstr(fl_model_error(md), "'name'"));
        fl_model_destroy(&md);
    }
}

/* fl_i_graph_pack: each vertex's in-edges are exactly the model's edges
 * into it, in increasing edge index, with their source, q and weight; the
 * arrays are the same with 1 and 3 threads (5,000 vertices: several buckets
 * of targets). */
static void test_pack_in_edges(void)
{
    fl_model *md = tu_load_generated(5000, 7);
    CU_ASSERT_PTR_NOT_NULL_FATAL(md);
    fl_packed a, b;
    char why[256];
    CU_ASSERT_EQUAL_FATAL(fl_i_graph_pack(&a, md, 0, 1, why, sizeof why), FL_OK);
    CU_ASSERT_EQUAL_FATAL(fl_i_graph_pack(&b, md, 0, 3, why, sizeof why), FL_OK);
    uint64_t m = md->m, bad = 0;
    uint64_t *indeg = calloc(md->n, sizeof *indeg);
    CU_ASSERT_PTR_NOT_NULL_FATAL(indeg);
    for (uint64_t e = 0; e < m; e++)
        indeg[md->edge_to[e]]++;
    CU_ASSERT(m > 10000);
    CU_ASSERT_EQUAL(a.in_off[md->n], m);
    for (uint32_t v = 0; v < md->n; v++) {
        if (a.in_off[v + 1] - a.in_off[v] != indeg[v])
            bad++;
        for (uint64_t at = a.in_off[v]; at < a.in_off[v + 1]; at++) {
            uint32_t e = a.in_eid[at];
            if (e >= m || md->edge_to[e] != v || md->edge_from[e] != a.in_src[at] ||
                a.in_q[at] != fl_i_prob_fixed(fl_i_edge_q(md, e)) || a.in_w[at] != fl_i_edge_weight(md, e) ||
                (at > a.in_off[v] && a.in_eid[at - 1] >= e))
                bad++;
        }
    }
    CU_ASSERT_EQUAL(bad, 0);
    CU_ASSERT(!memcmp(a.in_off, b.in_off, ((size_t)md->n + 1) * sizeof *a.in_off));
    CU_ASSERT(!memcmp(a.in_src, b.in_src, m * sizeof *a.in_src));
    CU_ASSERT(!memcmp(a.in_eid, b.in_eid, m * sizeof *a.in_eid));
    CU_ASSERT(!memcmp(a.in_q, b.in_q, m * sizeof *a.in_q));
    CU_ASSERT(!memcmp(a.in_w, b.in_w, m * sizeof *a.in_w));
    free(indeg);
    fl_i_graph_free(&a);
    fl_i_graph_free(&b);
    fl_model_destroy(&md);
}

/* Push mode (host/graph.c, pack_push): chosen for a model whose thresholds
 * are 0 or 1 and whose q are below 1/32, one per source; then the
 * out-edges of each source are the model's edges from it in increasing edge
 * index, and its table starts with s = 1 - q.  Any other model pulls. */
/* The model of yaml, packed into *pk for a run that may push or not. */
static fl_model *pack_text(const char *yaml, int may_push, fl_packed *pk)
{
    fl_model *md = tu_load_text(yaml);
    CU_ASSERT_PTR_NOT_NULL_FATAL(md);
    char why[256];
    CU_ASSERT_EQUAL_FATAL(fl_i_graph_pack(pk, md, may_push, 1, why, sizeof why), FL_OK);
    return md;
}

static int packs_push(const char *yaml)
{
    fl_packed pk;
    fl_model *md = pack_text(yaml, 1, &pk);
    int push = (int)pk.push;
    for (uint32_t v = 0; v < md->n; v++)
        CU_ASSERT_EQUAL((pk.vp[v].flags & FL_F_PUSH) != 0, push);
    /* one form's arrays, never both */
    CU_ASSERT_EQUAL(pk.out_off != NULL, push);
    CU_ASSERT_EQUAL(pk.in_off == NULL && pk.in_src == NULL, push);
    fl_i_graph_free(&pk);
    fl_model_destroy(&md);
    return push;
}

static void test_pack_push(void)
{
#define PUSH_MODEL(c_extra, ab, bc)                                                                                    \
    "faultline: 1\nvertices: [{name: a}, {name: b}, {name: c" c_extra "}]\n"                                           \
    "edges: [{from: a, to: b" ab "}, {from: b, to: c, q: 0.01}, {from: a, to: c" bc "}]\n"
    CU_ASSERT(packs_push(PUSH_MODEL("", ", q: 0.01", ", q: 0.01")));
    CU_ASSERT(packs_push(PUSH_MODEL(", threshold: 0", ", q: 0.02", ", q: 0.02")));
    CU_ASSERT(!packs_push(PUSH_MODEL(", threshold: 2", ", q: 0.01", ", q: 0.01")));
    CU_ASSERT(!packs_push(PUSH_MODEL("", "", ", q: 0.01")));          /* q = 1 */
    CU_ASSERT(!packs_push(PUSH_MODEL("", ", q: 0.05", ", q: 0.05"))); /* q >= 1/32 */
    CU_ASSERT(!packs_push(PUSH_MODEL("", ", q: 0.01", ", q: 0.02"))); /* a's out-edges differ */
    CU_ASSERT(!packs_push(PUSH_MODEL("", ", q: 0", ", q: 0")));
#undef PUSH_MODEL
    /* 1025 sources, each with its own q: more tables than pack_push keeps */
    size_t cap = 1 << 17, len = 0;
    char *many = malloc(cap);
    CU_ASSERT_PTR_NOT_NULL_FATAL(many);
    len += (size_t)snprintf(many + len, cap - len, "faultline: 1\nvertices: [{name: t}");
    for (int i = 0; i < 1025; i++)
        len += (size_t)snprintf(many + len, cap - len, ", {name: s%d}", i);
    len += (size_t)snprintf(many + len, cap - len, "]\nedges:\n");
    for (int i = 0; i < 1025; i++)
        len += (size_t)snprintf(many + len, cap - len, "  - {from: s%d, to: t, q: %.6f}\n", i, 0.001 + 1e-5 * i);
    CU_ASSERT_FATAL(len < cap);
    CU_ASSERT(!packs_push(many));
    free(many);

    fl_model *md = tu_load_generated(3000, 6); /* a push-mode seed (genmodel.h) */
    CU_ASSERT_PTR_NOT_NULL_FATAL(md);
    fl_packed pk;
    char why[256];
    CU_ASSERT_EQUAL_FATAL(fl_i_graph_pack(&pk, md, 1, 2, why, sizeof why), FL_OK);
    CU_ASSERT_FATAL(pk.push && pk.out_off && pk.out_dst && pk.push_pw);
    uint64_t *next = calloc(md->n, sizeof *next), bad = 0;
    CU_ASSERT_PTR_NOT_NULL_FATAL(next);
    for (uint32_t u = 0; u < md->n; u++)
        next[u] = pk.out_off[u];
    for (uint64_t e = 0; e < md->m; e++) { /* in increasing edge index */
        uint32_t u = md->edge_from[e], q = fl_i_prob_fixed(fl_i_edge_q(md, e));
        if (next[u] >= pk.out_off[u + 1] || pk.out_dst[next[u]++] != md->edge_to[e] ||
            pk.vp[u].push_tab == FL_NO_INDEX || pk.push_pw[pk.vp[u].push_tab] != (uint64_t)(0u - q) << 32)
            bad++;
    }
    for (uint32_t u = 0; u < md->n; u++)
        bad += next[u] != pk.out_off[u + 1] ||
               ((pk.out_off[u + 1] == pk.out_off[u]) != (pk.vp[u].push_tab == FL_NO_INDEX));
    CU_ASSERT_EQUAL(pk.out_off[md->n], md->m);
    CU_ASSERT_EQUAL(bad, 0);
    free(next);
    fl_i_graph_free(&pk);
    fl_model_destroy(&md);
    md = tu_load_generated(3000, 7);
    CU_ASSERT_PTR_NOT_NULL_FATAL(md);
    CU_ASSERT_EQUAL_FATAL(fl_i_graph_pack(&pk, md, 1, 2, why, sizeof why), FL_OK);
    CU_ASSERT(!pk.push && !pk.out_off && pk.in_off);
    fl_i_graph_free(&pk);
    fl_model_destroy(&md);
    /* a push-mode model packed for a run that may not push (instant steps,
     * --hits pull): the pull form */
    md = tu_load_generated(300, 6);
    CU_ASSERT_PTR_NOT_NULL_FATAL(md);
    CU_ASSERT_EQUAL_FATAL(fl_i_graph_pack(&pk, md, 0, 2, why, sizeof why), FL_OK);
    CU_ASSERT(!pk.push && !pk.out_off && pk.in_off && pk.in_src && !pk.d_is_c);
    fl_i_graph_free(&pk);
    CU_ASSERT_EQUAL_FATAL(fl_i_graph_pack(&pk, md, 1, 2, why, sizeof why), FL_OK);
    CU_ASSERT(pk.push && !pk.d_is_c); /* supervisors read D while C changes */
    fl_i_graph_free(&pk);
    fl_model_destroy(&md);
    /* D = C: push mode, only crash vertices (or threshold 0), no supervision */
    md = tu_load_generated(300, 9);
    CU_ASSERT_PTR_NOT_NULL_FATAL(md);
    CU_ASSERT_EQUAL_FATAL(fl_i_graph_pack(&pk, md, 1, 2, why, sizeof why), FL_OK);
    CU_ASSERT(pk.push && pk.d_is_c);
    fl_i_graph_free(&pk);
    fl_model_destroy(&md);
    const char *dc_models[][2] = {
        {"crash", ""},
        {"degrade", ""},
        {"degrade, threshold: 0", ""},
        {"crash", "supervision: [{supervisor: a, targets: [b]}]\n"},
    };
    const int dc_want[] = {1, 0, 1, 0};
    for (int i = 0; i < 4; i++) {
        char yaml[512];
        snprintf(yaml, sizeof yaml,
                 "faultline: 1\nvertices: [{name: a, on_dependency: crash}, {name: b, on_dependency: crash},"
                 " {name: c, on_dependency: %s}]\nedges: [{from: a, to: c, q: 0.01}, {from: b, to: c, q: 0.01}]\n%s",
                 dc_models[i][0], dc_models[i][1]);
        md = pack_text(yaml, 1, &pk);
        CU_ASSERT(pk.push);
        CU_ASSERT_EQUAL(pk.d_is_c, dc_want[i]);
        fl_i_graph_free(&pk);
        fl_model_destroy(&md);
    }
}

/* The flags of vertex c (index 2) of a 3-vertex model, packed for pull. */
static uint32_t c_flags(const char *yaml)
{
    fl_packed pk;
    fl_model *md = pack_text(yaml, 0, &pk);
    uint32_t f = pk.vp[2].flags;
    fl_i_graph_free(&pk);
    fl_model_destroy(&md);
    return f;
}

/* FL_F_LANE_U (a crashed lane repairs with the hit's uniform) exactly for
 * a crash vertex with a hit table, not forced down, with p_repair >= 1/32. */
static void test_pack_lane_u(void)
{
#define LANE_MODEL(c_extra)                                                                                            \
    "faultline: 1\nvertices: [{name: a}, {name: b}, {name: c, on_dependency: crash" c_extra "}]\n"                     \
    "edges: [{from: a, to: c, q: 0.2}, {from: b, to: c, q: 0.2}]\n"
    CU_ASSERT(c_flags(LANE_MODEL(", p_repair: 0.1")) & FL_F_LANE_U);
    CU_ASSERT(c_flags(LANE_MODEL(", p_repair: 1")) & FL_F_LANE_U);
    CU_ASSERT(!(c_flags(LANE_MODEL(", p_repair: 0.01")) & FL_F_LANE_U)); /* sparse: its own stream */
    CU_ASSERT(!(c_flags(LANE_MODEL(", p_repair: 0.1, threshold: 0")) & FL_F_LANE_U));
    CU_ASSERT(!(c_flags(LANE_MODEL(", p_repair: 0.1, initial: forced_down")) & FL_F_LANE_U));
#undef LANE_MODEL
    /* degrade (a repaired lane can be hit), and no table (edges' q differ) */
    CU_ASSERT(
        !(c_flags("faultline: 1\nvertices: [{name: a}, {name: b}, {name: c, on_dependency: degrade, p_repair: 0.1}]\n"
                  "edges: [{from: a, to: c, q: 0.2}, {from: b, to: c, q: 0.2}]\n") &
          FL_F_LANE_U));
    CU_ASSERT(
        !(c_flags("faultline: 1\nvertices: [{name: a}, {name: b}, {name: c, on_dependency: crash, p_repair: 0.1}]\n"
                  "edges: [{from: a, to: c, q: 0.2}, {from: b, to: c, q: 0.3}]\n") &
          FL_F_LANE_U));
}

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    CU_pSuite s = CU_add_suite("graph", NULL, NULL);
    CU_add_test(s, "edge list -> convert -> h5 loads as the same model", test_edgelist_round_trip);
    CU_add_test(s, "YAML -> convert -> graph: simulates bit for bit alike", test_yaml_round_trip_simulates_alike);
    CU_add_test(s, "the file's values win; inline vertices join by name", test_file_values_win);
    CU_add_test(s, "files without names: labels 0..n-1", test_numeric_labels);
    CU_add_test(s, "edge-list labels: decimal and other names map alike", test_edgelist_labels);
    CU_add_test(s, "per-edge q and weight only where they vary", test_edge_values_constant);
    CU_add_test(s, "grid: exact counts", test_grid_counts);
    CU_add_test(s, "fattree: exact counts", test_fattree_counts);
    CU_add_test(s, "er: edge count, reproducible by seed", test_er);
    CU_add_test(s, "rmat: thread-count independent, skewed", test_rmat_threads);
    CU_add_test(s, "generate: .txt and .h5 alike; bad options exit 64", test_generate_cli);
    CU_add_test(s, "bad HDF5 graphs: 65 naming file and dataset", test_bad_files);
    CU_add_test(s, "packing: in-edges by target, stable, any thread count", test_pack_in_edges);
    CU_add_test(s, "packing: push mode exactly for thresholds <= 1 and q < 1/32 per source", test_pack_push);
    CU_add_test(s, "packing: repair on the hit's uniform exactly for crash, a table, p_repair >= 1/32",
                test_pack_lane_u);
    return tu_main();
}
