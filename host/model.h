/*
 * model.h - the loaded, validated model (internal).
 *
 * host/model.c fills this from the YAML file (MODEL.md section 6) and the
 * graphs it imports (host/io/edgelist.c); host/graph.c packs it into the CSR
 * and fixed-point arrays the kernels read.  Vertices, edges and supervision
 * edges keep their listing order: inline entries first, then imported ones.
 * These indices are the "entity" part of the random counters, so they must
 * never depend on anything but the model file.
 */
#ifndef FL_MODEL_H
#define FL_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "faultline.h"

#define FL_NONE UINT32_MAX

enum fl_on_dependency { FL_DEP_DEGRADE = 0, FL_DEP_CRASH = 1 };
enum fl_initial { FL_INIT_UP = 0, FL_INIT_DOWN = 1, FL_INIT_PERMANENT = 2, FL_INIT_FORCED_DOWN = 3 };

/* Resolved parameters of one vertex (defaults < class < own entry). */
typedef struct fl_vertex_params {
    double p_fail, p_permanent, p_repair, p_restart;
    double unavailability;     /* < 0: not given (MODEL.md section 5 default) */
    uint32_t threshold;        /* theta, resolved from threshold_fraction if given */
    double threshold_fraction; /* < 0: not given */
    uint8_t on_dependency;     /* enum fl_on_dependency */
    uint8_t initial;           /* enum fl_initial */
    uint32_t detect_delay;
    uint32_t pool; /* vertex index of its pool, FL_NONE if none */
    uint32_t capacity, boot_delay;
} fl_vertex_params;

struct fl_model {
    char error[1024]; /* last failure, "" if none */
    char *path;       /* the model file as given */
    char *name;       /* name: or the file's stem */
    char *text;       /* the model file's bytes, NUL-terminated */
    size_t text_len;
    uint8_t sha256[32]; /* of text */

    uint32_t n;         /* vertices */
    char **vertex_name; /* [n] */
    /* Names [name_block_lo, name_block_hi) point into name_block (one
     * allocation for an import's generated labels "0".."n-1"); the others
     * are malloc'd one by one. */
    char *name_block;
    uint32_t name_block_lo, name_block_hi;
    uint32_t *vertex_class; /* [n], class index or FL_NONE */
    fl_vertex_params *vp;   /* [n] */
    int any_pool;           /* some vp[v].pool != FL_NONE */

    uint32_t nclass;
    char **class_name; /* [nclass], in file order */

    uint64_t m;                    /* dependency edges u -> v (v needs u) */
    uint32_t *edge_from, *edge_to; /* [m] */
    void *edge_to_map;             /* edge_to lies in this private file mapping (munmap), or NULL (free) */
    size_t edge_to_map_len;
    /* Per-edge weight and q, or NULL when every edge has the same value,
     * edge_weight_all / edge_q_all (a 16M-edge import then spends no 192 MB
     * on them).  Read them through fl_i_edge_weight and fl_i_edge_q. */
    uint32_t *edge_weight; /* [m] or NULL */
    double *edge_q;        /* [m] or NULL */
    uint32_t edge_weight_all;
    double edge_q_all;

    uint64_t ns;                 /* supervision edges s => v */
    uint32_t *sup_from, *sup_to; /* [ns] */

    uint32_t ntarget, target_k;
    uint32_t *target; /* [ntarget] vertex indices */

    /* simulation: block, with defaults filled in */
    uint32_t steps, trials;
    uint64_t seed;
    int propagation; /* FL_PROP_SYNCHRONOUS or FL_PROP_INSTANT */
};

/* The weight and q of edge e (e < m). */
static inline uint32_t fl_i_edge_weight(const fl_model *m, uint64_t e)
{
    return m->edge_weight != NULL ? m->edge_weight[e] : m->edge_weight_all;
}

static inline double fl_i_edge_q(const fl_model *m, uint64_t e)
{
    return m->edge_q != NULL ? m->edge_q[e] : m->edge_q_all;
}

/* Defaults of the simulation: block when the model leaves them out. */
#define FL_DEFAULT_STEPS 100u
#define FL_DEFAULT_TRIALS 1024u
#define FL_DEFAULT_SEED 1u

/*
 * Loads a graph file (edge list, gzip edge list or faultline HDF5 graph) as
 * a model by itself, as if a model file held only `graph: { path: PATH }`;
 * path is copied.  Returns fl_model_load's statuses.  Used by `convert`.
 */
int fl_i_model_load_graph(fl_model *model, const char *path);

#endif
