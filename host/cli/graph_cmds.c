/*
 * graph_cmds.c - `faultline generate` and `faultline convert`: synthetic
 * graphs and conversions into the faultline graph format
 * (docs/graph-format.md).  Both write through a temporary file renamed at
 * the end, so a failed command leaves nothing at OUT.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "faultline.h"
#include "gen/generate.h"
#include "io/graph_h5.h"
#include "model.h"

/* zlib levels of the chunked datasets: the per-edge ones are not compressed
 * by default, because inflating them doubles the load time of a large graph
 * (docs/graph-format.md). */
#define DEFAULT_DEFLATE 4
#define DEFAULT_DEFLATE_EDGES 0

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* A whole decimal number in [lo, hi]; 0 on success. */
static int parse_u64(const char *text, unsigned long long lo, unsigned long long hi, unsigned long long *out)
{
    char *end = NULL;
    unsigned long long x;
    if (!text || !*text || *text == '-' || *text == '+')
        return -1;
    errno = 0;
    x = strtoull(text, &end, 10);
    if (errno || *end || x < lo || x > hi)
        return -1;
    *out = x;
    return 0;
}

static int parse_double(const char *text, double lo, double hi, double *out)
{
    char *end = NULL;
    double x;
    if (!text || !*text)
        return -1;
    errno = 0;
    x = strtod(text, &end);
    if (errno || *end || !(x >= lo && x <= hi))
        return -1;
    *out = x;
    return 0;
}

static int ends_with(const char *s, const char *ext)
{
    size_t n = strlen(s), e = strlen(ext);
    return n > e && strcmp(s + n - e, ext) == 0;
}

/* OUT ending in .txt, .el or .tsv is written as an edge list. */
static int is_edgelist_output(const char *out)
{
    return ends_with(out, ".txt") || ends_with(out, ".el") || ends_with(out, ".tsv");
}

static char *join_args(const char *first, int argc, char **argv)
{
    size_t len = strlen(first) + 1;
    for (int i = 0; i < argc; i++)
        len += strlen(argv[i]) + 1;
    char *s = malloc(len);
    if (!s)
        return NULL;
    strcpy(s, first);
    for (int i = 0; i < argc; i++) {
        strcat(s, " ");
        strcat(s, argv[i]);
    }
    return s;
}

static int write_graph(fl_i_h5graph *g, const char *out, int deflate, int deflate_edges)
{
    char message[1024];
    int status = is_edgelist_output(out) ? fl_i_edgelist_write(g, out, g->source, message, sizeof message)
                                         : fl_i_h5graph_write(g, out, deflate, deflate_edges, message, sizeof message);
    if (status != FL_OK)
        return fl_cli_fail(fl_status_exit_code(status), "%s", message);
    return 0;
}

/* ------------------------------------------------------------ generate */

enum {
    O_N = 1000,
    O_DEGREE,
    O_DIRECTED,
    O_SCALE,
    O_EF,
    O_A,
    O_B,
    O_C,
    O_K,
    O_VMS,
    O_SVC,
    O_CAP,
    O_BOOT,
    O_ROWS,
    O_COLS,
    O_SEED,
    O_THREADS,
    O_DEFLATE,
    O_DEFLATE_EDGES
};

int fl_cli_generate(int argc, char **argv)
{
    static const struct option longs[] = {{"output", required_argument, 0, 'o'},
                                          {"n", required_argument, 0, O_N},
                                          {"degree", required_argument, 0, O_DEGREE},
                                          {"directed", no_argument, 0, O_DIRECTED},
                                          {"scale", required_argument, 0, O_SCALE},
                                          {"edge-factor", required_argument, 0, O_EF},
                                          {"a", required_argument, 0, O_A},
                                          {"b", required_argument, 0, O_B},
                                          {"c", required_argument, 0, O_C},
                                          {"k", required_argument, 0, O_K},
                                          {"vms-per-host", required_argument, 0, O_VMS},
                                          {"services-per-vm", required_argument, 0, O_SVC},
                                          {"capacity", required_argument, 0, O_CAP},
                                          {"boot-delay", required_argument, 0, O_BOOT},
                                          {"rows", required_argument, 0, O_ROWS},
                                          {"cols", required_argument, 0, O_COLS},
                                          {"seed", required_argument, 0, O_SEED},
                                          {"threads", required_argument, 0, O_THREADS},
                                          {"deflate", required_argument, 0, O_DEFLATE},
                                          {"deflate-edges", required_argument, 0, O_DEFLATE_EDGES},
                                          {0, 0, 0, 0}};
    /* which options each kind takes */
    static const struct {
        const char *kind;
        int opts[8];
    } takes[] = {{"er", {O_N, O_DEGREE, O_DIRECTED, O_SEED}},
                 {"rmat", {O_SCALE, O_EF, O_A, O_B, O_C, O_SEED}},
                 {"fattree", {O_K, O_VMS, O_SVC, O_CAP, O_BOOT}},
                 {"grid", {O_ROWS, O_COLS}}};
    const char *out = NULL, *kind;
    unsigned long long x, n = 0, scale = 0, ef = 16, k = 0, vms = 4, svc = 4, cap = 2, boot = 5, rows = 0, cols = 0;
    unsigned long long seed = 1, threads = 0, deflate = DEFAULT_DEFLATE, deflate_edges = DEFAULT_DEFLATE_EDGES;
    double degree = -1, a = 0.57, b = 0.19, c = 0.19;
    int directed = 0, given[O_DEFLATE_EDGES + 1] = {0}, opt, kind_index = -1, status;
    char message[1024];
    fl_i_h5graph g;

    if (argc < 2 || argv[1][0] == '-')
        return fl_cli_fail(64, "generate: expected a KIND (er, rmat, fattree, grid); see 'faultline --help'");
    kind = argv[1];
    for (int i = 0; i < 4; i++)
        if (!strcmp(kind, takes[i].kind))
            kind_index = i;
    if (kind_index < 0)
        return fl_cli_fail(64, "generate: unknown KIND '%s' (er, rmat, fattree, grid)", kind);
    optind = 2;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":o:", longs, NULL)) != -1) {
        int bad = 0;
        if (opt == '?')
            return fl_cli_fail(64, "generate %s: unknown option '%s'", kind, argv[optind - 1]);
        if (opt == ':')
            return fl_cli_fail(64, "generate %s: option '%s' needs a value", kind, argv[optind - 1]);
        if (opt >= O_N && opt <= O_DEFLATE_EDGES) {
            int ok = opt == O_SEED || opt == O_THREADS || opt == O_DEFLATE || opt == O_DEFLATE_EDGES;
            for (int i = 0; i < 8 && !ok; i++)
                ok = takes[kind_index].opts[i] == opt;
            if (!ok)
                return fl_cli_fail(64, "generate %s: option '%s' is not one of this kind's", kind,
                                   argv[optind - 1 - (opt != O_DIRECTED)]);
            given[opt] = 1;
        }
        switch (opt) {
        case 'o': out = optarg; break;
        case O_N: bad = parse_u64(optarg, 2, UINT32_MAX - 3, &n); break;
        case O_DEGREE: bad = parse_double(optarg, 0, 1e9, &degree); break;
        case O_DIRECTED: directed = 1; break;
        case O_SCALE: bad = parse_u64(optarg, 1, 31, &scale); break;
        case O_EF: bad = parse_u64(optarg, 1, 1024, &ef); break;
        case O_A: bad = parse_double(optarg, 0, 1, &a); break;
        case O_B: bad = parse_double(optarg, 0, 1, &b); break;
        case O_C: bad = parse_double(optarg, 0, 1, &c); break;
        case O_K: bad = parse_u64(optarg, 2, 1024, &k) || k % 2; break;
        case O_VMS: bad = parse_u64(optarg, 1, 1u << 20, &vms); break;
        case O_SVC: bad = parse_u64(optarg, 1, 1u << 20, &svc); break;
        case O_CAP: bad = parse_u64(optarg, 0, UINT32_MAX, &cap); break;
        case O_BOOT: bad = parse_u64(optarg, 0, UINT32_MAX, &boot); break;
        case O_ROWS: bad = parse_u64(optarg, 1, UINT32_MAX, &rows); break;
        case O_COLS: bad = parse_u64(optarg, 1, UINT32_MAX, &cols); break;
        case O_SEED: bad = parse_u64(optarg, 0, UINT64_MAX, &seed); break;
        case O_THREADS: bad = parse_u64(optarg, 1, 4096, &threads); break;
        case O_DEFLATE: bad = parse_u64(optarg, 0, 9, &deflate); break;
        case O_DEFLATE_EDGES: bad = parse_u64(optarg, 0, 9, &deflate_edges); break;
        default: return fl_cli_fail(64, "generate: see 'faultline --help'");
        }
        if (bad)
            return fl_cli_fail(64, "generate %s: '%s' is not a valid value for option '%s'", kind, optarg,
                               argv[optind - 1] == optarg ? argv[optind - 2] : argv[optind - 1]);
    }
    if (optind != argc)
        return fl_cli_fail(64, "generate %s: unexpected argument '%s'", kind, argv[optind]);
    if (!out)
        return fl_cli_fail(64, "generate %s: -o OUT is required", kind);
    (void)x;
    if (threads)
        omp_set_num_threads((int)threads);
    memset(&g, 0, sizeof g);
    double t0 = now();
    if (kind_index == 0) {
        if (!given[O_N] || !given[O_DEGREE])
            return fl_cli_fail(64, "generate er: --n N and --degree K are required");
        if (degree > (double)(n - 1))
            return fl_cli_fail(64, "generate er: --degree %g is more than n - 1 = %llu", degree, n - 1);
        status = fl_i_gen_er(&g, (uint32_t)n, degree, directed, seed, message, sizeof message);
    } else if (kind_index == 1) {
        if (!given[O_SCALE])
            return fl_cli_fail(64, "generate rmat: --scale S is required");
        if (a + b + c > 1.0)
            return fl_cli_fail(64, "generate rmat: --a + --b + --c = %g is more than 1", a + b + c);
        status = fl_i_gen_rmat(&g, (unsigned)scale, (unsigned)ef, a, b, c, seed, message, sizeof message);
    } else if (kind_index == 2) {
        if (!given[O_K])
            return fl_cli_fail(64, "generate fattree: --k K (even, >= 2) is required");
        fl_i_fattree o = {(uint32_t)k, (uint32_t)vms, (uint32_t)svc, (uint32_t)cap, (uint32_t)boot};
        if (cap == 0)
            return fl_cli_fail(64, "generate fattree: --capacity must be >= 1 (each host is the pool of its VMs)");
        status = fl_i_gen_fattree(&g, &o, message, sizeof message);
    } else {
        if (!given[O_ROWS] || !given[O_COLS])
            return fl_cli_fail(64, "generate grid: --rows R and --cols C are required");
        status = fl_i_gen_grid(&g, (uint32_t)rows, (uint32_t)cols, message, sizeof message);
    }
    if (status != FL_OK) {
        fl_i_h5graph_free(&g);
        return fl_cli_fail(fl_status_exit_code(status), "generate %s: %s", kind, message);
    }
    double t1 = now();
    g.source = join_args("faultline generate", argc - 1, argv + 1);
    int code = g.source ? write_graph(&g, out, (int)deflate, (int)deflate_edges) : fl_cli_fail(70, "out of memory");
    if (code == 0)
        printf("%s: %u vertices, %llu edges, %llu supervision edges -> %s (generated in %.2f s, written in %.2f s)\n",
               kind, g.n, (unsigned long long)g.m, (unsigned long long)g.ns, out, t1 - t0, now() - t1);
    fl_i_h5graph_free(&g);
    return code;
}

/* ------------------------------------------------------------- convert */

int fl_cli_convert(int argc, char **argv)
{
    static const struct option longs[] = {{"output", required_argument, 0, 'o'},
                                          {"deflate", required_argument, 0, 'z'},
                                          {"deflate-edges", required_argument, 0, 'e'},
                                          {0, 0, 0, 0}};
    const char *out = NULL, *in;
    unsigned long long deflate = DEFAULT_DEFLATE, deflate_edges = DEFAULT_DEFLATE_EDGES;
    char message[1024];
    fl_i_h5graph g;
    fl_model *md = NULL;
    int opt, status, code;
    FILE *f;

    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":o:", longs, NULL)) != -1) {
        switch (opt) {
        case 'o': out = optarg; break;
        case 'z':
            if (parse_u64(optarg, 0, 9, &deflate))
                return fl_cli_fail(64, "convert: --deflate: '%s' is not a zlib level 0..9", optarg);
            break;
        case 'e':
            if (parse_u64(optarg, 0, 9, &deflate_edges))
                return fl_cli_fail(64, "convert: --deflate-edges: '%s' is not a zlib level 0..9", optarg);
            break;
        case ':': return fl_cli_fail(64, "convert: option '%s' needs a value", argv[optind - 1]);
        default: return fl_cli_fail(64, "convert: unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return fl_cli_fail(64, "convert: expected exactly one input file (see 'faultline --help')");
    if (!out)
        return fl_cli_fail(64, "convert: -o OUT.h5 is required");
    in = argv[optind];
    errno = 0;
    f = fopen(in, "rb");
    if (!f)
        return fl_cli_fail(66, "cannot open '%s': %s", in, strerror(errno));
    fclose(f);
    memset(&g, 0, sizeof g);
    if (fl_i_is_hdf5(in)) {
        status = fl_i_h5graph_read(&g, in, message, sizeof message);
        if (status != FL_OK)
            return fl_cli_fail(fl_status_exit_code(status), "%s", message);
    } else {
        int yaml = ends_with(in, ".yaml") || ends_with(in, ".yml") || ends_with(in, ".json");
        md = fl_model_create();
        if (!md)
            return fl_cli_fail(70, "out of memory");
        status = yaml ? fl_model_load(md, in) : fl_i_model_load_graph(md, in);
        if (status == FL_OK)
            status = fl_i_h5graph_from_model(&g, md, yaml, message, sizeof message);
        else
            snprintf(message, sizeof message, "%s", fl_model_error(md));
        fl_model_destroy(&md);
        if (status != FL_OK) {
            fl_i_h5graph_free(&g);
            return fl_cli_fail(fl_status_exit_code(status), "%s", message);
        }
    }
    free(g.source);
    g.source = join_args("faultline convert", argc - 1, argv + 1);
    code = g.source ? write_graph(&g, out, (int)deflate, (int)deflate_edges) : fl_cli_fail(70, "out of memory");
    if (code == 0)
        printf("%s: %u vertices, %llu edges, %llu supervision edges -> %s\n", in, g.n, (unsigned long long)g.m,
               (unsigned long long)g.ns, out);
    fl_i_h5graph_free(&g);
    return code;
}
