/*
 * backend.h - the operations a backend provides to the engine (internal).
 *
 * A backend owns the state of the trial words it simulates and runs the
 * kernels of kernels/step.h on it.  The engine (host/engine.c) drives it one
 * step at a time and receives only the per-step aggregates.  Today there is
 * the OpenMP backend (host/omp/); the OpenCL backend will fill the same
 * table.
 */
#ifndef FL_BACKEND_H
#define FL_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "graph.h"

/* Vertices per block of fl_tally_trials (each block gives 64 counts per word). */
#define FL_TALLY_BLOCK 4096u

/* What a backend is asked to simulate. */
typedef struct fl_layout {
    uint32_t nw;          /* trial words */
    uint32_t gword0;      /* global index of the first word */
    uint32_t key0, key1;  /* the seed */
    int propagation;      /* FL_PROP_SYNCHRONOUS or FL_PROP_INSTANT */
    int threads;          /* > 0 */
    const fl_word *lanes; /* [nw] lanes inside the requested trial range */
} fl_layout;

/* The aggregates of the current D, filled by tally(). */
typedef struct fl_tally {
    uint32_t *vertex_down; /* [n] down trials (in range) per vertex */
    uint32_t *trial_parts; /* [nblocks][nw][64] down vertices per block and lane */
    fl_word *system_down;  /* [nw] lanes with the system down */
} fl_tally;

typedef struct fl_backend_ops {
    const char *name;
    /* Allocates the state of L->nw words at its initial value.  pk and L
     * are borrowed and outlive the backend. */
    int (*open)(void **self, const fl_packed *pk, const fl_layout *L, char *err, size_t err_size);
    /* Step t -> t+1. */
    void (*step)(void *self, uint32_t t);
    /* Aggregates of the current state. */
    void (*tally)(void *self, fl_tally *out);
    /* A short description of where it runs. */
    const char *(*device)(void *self);
    void (*close)(void **self);
} fl_backend_ops;

extern const fl_backend_ops fl_i_backend_openmp;

#endif
