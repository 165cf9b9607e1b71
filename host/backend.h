/*
 * backend.h - the operations a backend provides to the engine (internal).
 *
 * A backend owns the state of the trial words it simulates and runs the
 * kernels of kernels/step.h on it.  The engine (host/engine.c) drives it one
 * step at a time and receives only the per-step aggregates.  Two backends
 * fill this table: OpenMP (host/omp/) and OpenCL (host/cl/; in a build
 * without OpenCL, a stub whose open() fails).
 *
 * A backend may hold fewer trial words than the run has (an OpenCL device
 * with too little memory): the engine then runs the words in batches of at
 * most batch_words(), each from step 0 to T.  Trials never interact, so the
 * batches give the same trials as one run would.
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
    uint32_t nw;          /* trial words of the whole run */
    uint32_t gword0;      /* global index of the first word */
    uint32_t key0, key1;  /* the seed */
    int propagation;      /* FL_PROP_SYNCHRONOUS or FL_PROP_INSTANT */
    int threads;          /* > 0 */
    const fl_word *lanes; /* [nw] lanes inside the requested trial range */
    const char *platform; /* OpenCL platform and device choice (fl_run_options), */
    const char *device;   /* env fallback already applied; may be NULL */
} fl_layout;

/* The aggregates of the D of a batch of nw words, filled by tally(). */
typedef struct fl_tally {
    fl_word *system_down;  /* [nw] lanes with the system down */
    uint32_t *vertex_down; /* [n] down trials (in range) per vertex */
    uint32_t *trial_parts; /* [nblocks][nw][64] down vertices per block and lane */
} fl_tally;

/* Bytes of an fl_tally of n vertices and up to `words` trial words, and its
 * arrays laid out in a block of that many bytes (8-byte aligned): the
 * backends keep two, in memory of their choosing (engine.c). */
size_t fl_i_tally_bytes(uint32_t n, uint32_t words);
void fl_i_tally_carve(fl_tally *t, void *block, uint32_t n, uint32_t words);

/* Every function returning int returns FL_OK or an FL_E_* status with a
 * message in err (err_size bytes). */
typedef struct fl_backend_ops {
    const char *name;
    /* Prepares for the run of L (device, program, buffers); no state yet.
     * pk and L are borrowed and outlive the backend.  On failure *self is
     * NULL. */
    int (*open)(void **self, const fl_packed *pk, const fl_layout *L, char *err, size_t err_size);
    /* The most trial words it holds at once (1 .. L->nw). */
    uint32_t (*batch_words)(void *self);
    /* Sets the initial state of words w0 .. w0+nw-1 of L (nw <= batch_words):
     * the batch that step() and tally() work on until the next begin(). */
    int (*begin)(void *self, uint32_t w0, uint32_t nw, char *err, size_t err_size);
    /* Step t -> t+1. */
    int (*step)(void *self, uint32_t t, char *err, size_t err_size);
    /* Starts the aggregates of the current state of the batch in slot 0 or
     * 1.  They may be computed and copied while the host goes on (the
     * engine records one step's while the device runs the next):
     * tally_wait gives them, and they stay until the slot is started
     * again. */
    int (*tally)(void *self, int slot, char *err, size_t err_size);
    int (*tally_wait)(void *self, int slot, const fl_tally **out, char *err, size_t err_size);
    /* A short description of where it runs (the device name). */
    const char *(*device)(void *self);
    /* One line on the device and why it was chosen ("" if nothing to say). */
    const char *(*note)(void *self);
    void (*close)(void **self);
} fl_backend_ops;

/* The instant step's rounds only add hits (docs/model.md), so in each trial
 * they stop changing within n rounds: a backend that sees a change after
 * round n reports it with this (FL_E_INTERNAL) instead of looping. */
int fl_i_no_fixpoint(uint32_t t, uint32_t n, char *err, size_t err_size);

extern const fl_backend_ops fl_i_backend_openmp;
extern const fl_backend_ops fl_i_backend_opencl;

#endif
