/*
 * graph_h5.h - the faultline graph format, version 1 (internal).
 *
 * A dependency graph in one HDF5 file (docs/graph-format.md): the edges as a
 * CSR matrix whose rows are the edges' sources (the "from" vertex, the one
 * depended on), optional per-edge q and weight, optional vertex names,
 * classes and per-vertex parameters, and optional supervision edges.  It is
 * written by `faultline convert` and `faultline generate`, and read by a
 * model's `graph: { path: G.h5 }` import (host/model.c).
 *
 * fl_i_h5graph holds the file's arrays exactly as stored; every optional array
 * is NULL when the file does not have it.  The reader validates every array
 * before it returns, the writer validates before it writes, with the same
 * rules, so a file this code wrote is a file it reads.
 */
#ifndef FL_IO_GRAPH_H5_H
#define FL_IO_GRAPH_H5_H

#include <stddef.h>
#include <stdint.h>

#include "faultline.h"

#define FL_GRAPH_FORMAT "faultline graph"
#define FL_GRAPH_VERSION 1u

typedef struct fl_i_h5graph {
    uint32_t n;           /* vertices */
    uint64_t m;           /* dependency edges */
    uint64_t ns;          /* supervision edges */
    uint64_t *row_offset; /* [n+1] edges of source u: row_offset[u] .. row_offset[u+1]-1 */
    uint32_t *col;        /* [m] the target (dependent) of each CSR entry */
    void *col_map;        /* col points into this private mapping of the file (munmap), or NULL (free) */
    size_t col_map_len;
    uint64_t *edge_order; /* [m] or NULL: listing index of each CSR entry (NULL: CSR order is listing order) */
    double *q;            /* [m] or NULL, in CSR order */
    uint32_t *weight;     /* [m] or NULL, in CSR order */
    char **name;          /* [n] or NULL (labels "0".."n-1"), each string malloc'd */
    uint32_t nclass;
    char **classes;  /* [nclass] class names, each malloc'd */
    int32_t *vclass; /* [n] or NULL: index into classes, -1 none */
    /* per-vertex parameters, each [n] or NULL */
    double *p_fail, *p_repair, *p_permanent, *p_restart;
    double *unavailability; /* < 0: not given */
    uint32_t *threshold, *detect_delay, *capacity, *boot_delay;
    uint8_t *on_dependency, *initial;
    int64_t *pool;               /* vertex index, -1 none */
    uint32_t *sup_from, *sup_to; /* [ns] supervisor, supervised */
    char *source;                /* attribute "source" (how it was made), or NULL */
} fl_i_h5graph;

/* Frees every array of g and zeroes it; accepts an empty graph. */
void fl_i_h5graph_free(fl_i_h5graph *g);

/*
 * Checks every array of g (sizes implied by n, m, ns, nclass; offsets
 * monotone from 0 to m; indices < n; probabilities in [0,1]; weights >= 1;
 * enums in range; edge_order a permutation; pools point at vertices with a
 * capacity >= 1).  Returns FL_OK or FL_E_MODEL with "PATH: dataset 'D':
 * what is wrong" in message.  path (borrowed) is only used in messages.
 */
int fl_i_h5graph_validate(const fl_i_h5graph *g, const char *path, char *message, size_t message_size);

/*
 * Reads the file at path (borrowed) into *g (which must be zeroed) and
 * validates it.  Returns FL_OK; FL_E_NOINPUT ("cannot open 'PATH': REASON");
 * FL_E_MODEL (not HDF5, not a faultline graph, wrong version, a dataset
 * missing, of the wrong type or size, or invalid: "PATH: dataset 'D': ...");
 * FL_E_NOMEM.  On failure *g is left empty.  Cost: one read of each dataset
 * (no per-edge work besides validation); memory: the arrays themselves.
 */
int fl_i_h5graph_read(fl_i_h5graph *g, const char *path, char *message, size_t message_size);

/*
 * Validates g and writes it to path (borrowed) through PATH.tmp.PID, renamed
 * at the end: on any failure nothing is left at path.  deflate is the zlib
 * level (with shuffle) of row_offset and the per-vertex and supervision
 * datasets, deflate_edges that of the per-edge ones (col, edge_order, q,
 * weight); 0: none.  Returns FL_OK, FL_E_MODEL (g invalid), FL_E_OUTPUT
 * ("cannot create ...") or FL_E_NOMEM.
 */
int fl_i_h5graph_write(const fl_i_h5graph *g, const char *path, int deflate, int deflate_edges, char *message,
                       size_t message_size);

/* True when the file at path starts with the HDF5 signature. */
int fl_i_is_hdf5(const char *path);

#endif
