/*
 * results.h - what a simulation run produces (internal).
 *
 * host/engine.c fills an fl_results while it steps; host/io/results_h5.c
 * writes it as INTERFACE.md "Results of run".
 */
#ifndef FL_RESULTS_H
#define FL_RESULTS_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

typedef struct fl_results {
    const fl_model *model; /* borrowed */
    uint64_t trials;       /* N */
    uint64_t trial_offset; /* I: trials are I .. I+N-1 */
    uint32_t steps;        /* T: time axis is 0..T */
    uint64_t seed;
    int propagation;            /* FL_PROP_SYNCHRONOUS or FL_PROP_INSTANT */
    const char *backend;        /* "openmp" */
    const char *device;         /* e.g. "CPU, 2 threads" */
    const char *hits;           /* "push" or "pull" (fl_sim_hit_form) */
    const char *random_mapping; /* FL_RNG_MAPPING (kernels/rng.h) */

    double *down_fraction;         /* [T+1] */
    double *system_down;           /* [T+1] */
    uint32_t *down_count;          /* [N][T+1] */
    uint8_t *system_down_trial;    /* [N][T+1] */
    double *vertex_unavailability; /* [n] */
    double *vertex_down_final;     /* [n] */

    uint32_t nclass_out;         /* classes in class_down_fraction */
    const char **class_out_name; /* [nclass_out]; "(none)" for unclassed vertices */
    double *class_down_fraction; /* [T+1][nclass_out] */

    uint32_t series_stride;     /* 0: no vertex_down_series */
    uint32_t nseries;           /* number of vtime points: steps 0, S, 2S, ... <= T */
    double *vertex_down_series; /* [nseries][n] */
} fl_results;

/*
 * Writes r to path through a temporary file beside it ("path.tmp.PID"),
 * renamed over path at the end; on failure nothing is left at path and the
 * temporary is removed.  command (may be NULL) becomes the `command`
 * attribute.  Returns FL_OK, FL_E_OUTPUT (the file cannot be created or
 * written), FL_E_NOMEM, or FL_E_INTERNAL (inconsistent results: a bug), with
 * a message in err.
 */
int fl_i_results_write(const fl_results *r, const char *path, const char *command, char *err, size_t err_size);

#endif
