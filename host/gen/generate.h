/*
 * generate.h - synthetic graphs and conversions into the faultline graph
 * format (internal; `faultline generate` and `faultline convert`).
 *
 * Every generator fills a zeroed fl_i_h5graph in CSR order (rows are
 * sources), which is also the edges' listing order, and is reproducible from
 * its seed alone: random numbers come from Philox4x32-10 with counters made
 * of (edge or row, draw), so the result does not depend on the number of
 * OpenMP threads.  docs/graph-format.md describes each generator.
 * All return FL_OK, FL_E_USAGE (a size out of range; message says which) or
 * FL_E_NOMEM.
 */
#ifndef FL_GEN_GENERATE_H
#define FL_GEN_GENERATE_H

#include <stddef.h>
#include <stdint.h>

#include "io/graph_h5.h"
#include "model.h"

/* rows x cols grid, 4 neighbours, both directions; vertex r*cols + c. */
int fl_i_gen_grid(fl_i_h5graph *g, uint32_t rows, uint32_t cols, char *message, size_t message_size);

/* Erdos-Renyi G(n, p) with p = degree / (n - 1): over unordered pairs, each
 * edge then both ways (undirected), or over ordered pairs (directed). */
int fl_i_gen_er(fl_i_h5graph *g, uint32_t n, double degree, int directed, uint64_t seed, char *message,
                size_t message_size);

/* Graph500 R-MAT: 2^scale vertices, edge_factor * 2^scale draws with
 * quadrant probabilities a, b, c, 1-a-b-c; self-loops dropped, duplicates
 * kept. */
int fl_i_gen_rmat(fl_i_h5graph *g, unsigned scale, unsigned edge_factor, double a, double b, double c, uint64_t seed,
                  char *message, size_t message_size);

typedef struct fl_i_fattree {
    uint32_t k;               /* even, >= 2 */
    uint32_t vms_per_host;    /* V */
    uint32_t services_per_vm; /* S */
    uint32_t capacity;        /* replacement VMs per host (pool capacity) */
    uint32_t boot_delay;      /* steps a replacement VM takes to boot */
} fl_i_fattree;

/* A k-ary fat-tree datacenter with hosts, VMs, services and supervisors. */
int fl_i_gen_fattree(fl_i_h5graph *g, const fl_i_fattree *o, char *message, size_t message_size);

/*
 * A loaded model as a graph file.  full = 1: everything the model resolved
 * (q and weight of every edge, class of every vertex, every parameter,
 * supervision); full = 0: only the structure and the names (an edge list's
 * content), so that a later `graph:` block's class, q and weight apply.
 */
int fl_i_h5graph_from_model(fl_i_h5graph *g, const fl_model *m, int full, char *message, size_t message_size);

/* Writes g as a SNAP edge list ("FROM TO" lines, listing order), through
 * PATH.tmp.PID renamed at the end.  FL_OK or FL_E_OUTPUT. */
int fl_i_edgelist_write(const fl_i_h5graph *g, const char *path, const char *header, char *message,
                        size_t message_size);

#endif
