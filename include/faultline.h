/*
 * faultline.h - the public interface of the faultline library.
 *
 * faultline simulates how failures spread through a directed dependency
 * graph (see MODEL.md in the docs).  The library loads a model file into an
 * opaque fl_model, runs the time-stepped Monte Carlo view into an fl_sim and
 * writes the results to HDF5.  It never prints and never exits: every
 * function returns a status (0 or a negative FL_E_* code) and the details are
 * read from the object with fl_model_error() or fl_sim_error().
 *
 * Ownership: strings passed in are copied unless a comment says "borrowed";
 * pointers returned are owned by the object and live until it is destroyed.
 */
#ifndef FAULTLINE_H
#define FAULTLINE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FL_VERSION_MAJOR 0
#define FL_VERSION_MINOR 1
#define FL_VERSION_PATCH 0
#define FL_VERSION_STRING "0.1.0"

/* Status codes.  Values are never renumbered. */
enum fl_status {
    FL_OK = 0,
    FL_E_USAGE = -1,      /* an argument or option is invalid */
    FL_E_MODEL = -2,      /* the model or a data file it names is invalid */
    FL_E_NOINPUT = -3,    /* an input file is missing or unreadable */
    FL_E_BACKEND = -4,    /* the requested backend or device is unavailable */
    FL_E_OUTPUT = -5,     /* the output file cannot be created or written */
    FL_E_NOMEM = -6,      /* out of memory */
    FL_E_INTERNAL = -7,   /* a bug: please report it */
    FL_E_INTERRUPTED = -8 /* stopped on request */
};

/* The sysexits(3) code the faultline command uses for a status. */
int fl_status_exit_code(int status);

/* A short static name for a status ("ok", "bad model", ...). */
const char *fl_status_name(int status);

/* ---------------------------------------------------------------- models */

typedef struct fl_model fl_model;

/* A new, empty model; NULL when out of memory. */
fl_model *fl_model_create(void);

/* Frees the model, sets *model to NULL; accepts NULL and a NULL *model. */
void fl_model_destroy(fl_model **model);

/*
 * Loads and validates a model file (MODEL.md section 6), with every graph it
 * imports.  path is copied.  Returns FL_OK, FL_E_NOINPUT (a file is missing),
 * FL_E_MODEL (invalid: fl_model_error() names file, line and key) or
 * FL_E_NOMEM.  Cost: linear in the size of the files.
 */
int fl_model_load(fl_model *model, const char *path);

/* The message of the last failure, "" when there was none. */
const char *fl_model_error(const fl_model *model);

/* Sizes and names of a loaded model.  Strings are owned by the model. */
const char *fl_model_name(const fl_model *model);
uint32_t fl_model_vertex_count(const fl_model *model);
uint64_t fl_model_edge_count(const fl_model *model);
uint64_t fl_model_supervision_count(const fl_model *model);
uint32_t fl_model_class_count(const fl_model *model);
const char *fl_model_class_name(const fl_model *model, uint32_t c);
uint32_t fl_model_pool_count(const fl_model *model);
uint32_t fl_model_target_count(const fl_model *model);
uint32_t fl_model_target_k(const fl_model *model);
const char *fl_model_vertex_name(const fl_model *model, uint32_t v);
/* The vertex index of target i (i < fl_model_target_count). */
uint32_t fl_model_target(const fl_model *model, uint32_t i);

/* ------------------------------------------------------------ simulation */

enum fl_propagation { FL_PROP_DEFAULT = -1, FL_PROP_SYNCHRONOUS = 0, FL_PROP_INSTANT = 1 };

/* Which backend runs the steps (INTERFACE.md `--backend`).  Every backend
 * gives bitwise identical results (MODEL.md section 4). */
enum fl_backend {
    FL_BACKEND_AUTO = 0,   /* OpenCL on a GPU, else on another OpenCL device, else OpenMP */
    FL_BACKEND_OPENMP = 1, /* the CPU, OpenMP threads */
    FL_BACKEND_OPENCL = 2  /* an OpenCL device; FL_E_BACKEND when there is none */
};

/* How the steps draw the hits (docs/model.md, "Push mode" and "The event
 * form").  Every form draws the law of MODEL.md; the form decides which
 * trajectories a seed gives.  Each is taken only where the model allows it
 * (synchronous steps for push and event), else the next: event, push, pull. */
enum fl_hits {
    FL_HITS_AUTO = 0, /* the event form where the model predicts a sparse state, else push, else pull */
    FL_HITS_PULL = 1, /* always pull into the targets: the form of versions before push mode */
    FL_HITS_PUSH = 2, /* push mode, never the event form */
    FL_HITS_EVENT = 3 /* the event form wherever the model allows it */
};

/* Called after every step with the steps done and the total; a non-zero
 * return asks the run to stop (fl_sim_run then returns FL_E_INTERRUPTED).
 * When the trials run in several batches (an OpenCL device too small for
 * all of them at once), done and total count the steps of all batches. */
typedef int (*fl_progress_fn)(void *data, uint32_t done, uint32_t total);

/* Run options.  Fields left at their fl_run_options_init() values take the
 * model's simulation: block (or its defaults). */
typedef struct fl_run_options {
    int64_t trials;          /* -1: the model's value */
    int64_t steps;           /* -1: the model's value */
    int64_t seed;            /* -1: the model's value */
    uint64_t trial_offset;   /* first trial number (MODEL.md section 4) */
    int propagation;         /* enum fl_propagation */
    int threads;             /* 0: OpenMP's default */
    uint32_t vertex_series;  /* 0: none; S: vertex_down_series every S steps */
    fl_progress_fn progress; /* may be NULL */
    void *progress_data;     /* borrowed, passed to progress */
    int backend;             /* enum fl_backend; FL_BACKEND_AUTO after init */
    /* The OpenCL device (for FL_BACKEND_AUTO and FL_BACKEND_OPENCL): an
     * index or a case-insensitive substring of the name, as listed by
     * fl_devices_list().  A device index counts within its platform; without
     * a platform, the first platform that has a matching device is used.
     * NULL: the environment variable FAULTLINE_PLATFORM / FAULTLINE_DEVICE,
     * else any (a GPU first).  Borrowed, read by fl_sim_create only. */
    const char *platform;
    const char *device;
    int hits; /* enum fl_hits; FL_HITS_AUTO after init */
} fl_run_options;

void fl_run_options_init(fl_run_options *options);

typedef struct fl_sim fl_sim;

/*
 * Prepares a simulation of a loaded model (borrowed: it must outlive the
 * sim).  options is copied.  Chooses the backend and, for OpenCL, the
 * device, builds the kernels and allocates the state on it.  Returns FL_OK
 * and *sim, or an error status with *sim NULL and, when message is not
 * NULL, a description in message (message_size bytes at most): FL_E_BACKEND
 * when FL_BACKEND_OPENCL was asked for and no OpenCL device is usable (no
 * OpenCL in this build, no platform, no matching device, a failed kernel
 * build, whose log the message then holds).  FL_BACKEND_AUTO falls back to
 * OpenMP on any of these; fl_sim_backend_note() says why.
 *
 * Developers: FAULTLINE_KERNEL_SOURCE=path/to/step.cl builds the kernels
 * from that file instead of the copy embedded at build time;
 * FAULTLINE_CL_MAX_WORDS=W runs at most W words of 64 trials at a time on
 * the OpenCL device (batches, as when the device memory is too small).
 */
int fl_sim_create(fl_sim **sim, const fl_model *model, const fl_run_options *options, char *message,
                  size_t message_size);

void fl_sim_destroy(fl_sim **sim);

/* Runs every step and gathers the results.  Cost: O(steps x (vertices +
 * edges) x trials / 64) word operations plus random draws. */
int fl_sim_run(fl_sim *sim);

/*
 * Writes the results (INTERFACE.md "Results of run") to path through a
 * temporary file beside it that is renamed at the end: on failure nothing is
 * left at path.  command (copied; may be NULL) is stored as an attribute.
 */
int fl_sim_write(fl_sim *sim, const char *path, const char *command);

const char *fl_sim_error(const fl_sim *sim);

/* Results of a finished run; arrays are owned by the sim. */
uint64_t fl_sim_trials(const fl_sim *sim);
uint32_t fl_sim_steps(const fl_sim *sim);
uint64_t fl_sim_seed(const fl_sim *sim);
/* "openmp" or "opencl". */
const char *fl_sim_backend(const fl_sim *sim);
/* Where it runs: the OpenCL device name, or "CPU, N OpenMP threads". */
const char *fl_sim_device(const fl_sim *sim);
/* One line on the backend's choice: the OpenCL device and its platform, or
 * with FL_BACKEND_AUTO on OpenMP, why OpenCL was not used (e.g. "no OpenCL
 * platform found ..."); "" with FL_BACKEND_OPENMP. */
const char *fl_sim_backend_note(const fl_sim *sim);
/* How the steps draw the hits: "event" (per trial, from lists of the down
 * vertices; docs/model.md, "The event form"), "push" from the down sources
 * (models whose thresholds are 0 or 1 and whose q are below 1/32,
 * synchronous steps; "Push mode"), else "pull" into the targets. */
const char *fl_sim_hit_form(const fl_sim *sim);
/* [steps + 1] */
const double *fl_sim_down_fraction(const fl_sim *sim);
const double *fl_sim_system_down(const fl_sim *sim);
/* [trials x (steps + 1)], row-major by trial */
const uint32_t *fl_sim_down_count(const fl_sim *sim);
const uint8_t *fl_sim_system_down_trial(const fl_sim *sim);
/* [vertices] */
const double *fl_sim_vertex_unavailability(const fl_sim *sim);
const double *fl_sim_vertex_down_final(const fl_sim *sim);
/* With options.vertex_series = S: [points][vertices], the fraction of trials
 * with each vertex down at steps 0, S, 2S, ...; *points receives the count.
 * NULL without a series. */
const double *fl_sim_vertex_down_series(const fl_sim *sim, uint32_t *points);
/* Seconds spent stepping (kernels and reductions). */
double fl_sim_step_seconds(const fl_sim *sim);

/* --------------------------------------------------------------- devices */

/* One OpenCL device, as fl_devices_list() reports it. */
typedef struct fl_device_info {
    int platform_index;      /* 0, 1, ... in the order of the OpenCL ICD loader */
    int device_index;        /* within the platform; -1: a platform without devices */
    char platform_name[128]; /* CL_PLATFORM_NAME */
    char name[128];          /* CL_DEVICE_NAME */
    char type[16];           /* "GPU", "CPU", "accelerator" or "other" */
    uint32_t compute_units;  /* CL_DEVICE_MAX_COMPUTE_UNITS */
    uint64_t global_memory;  /* bytes, CL_DEVICE_GLOBAL_MEM_SIZE */
    char version[128];       /* CL_DEVICE_VERSION, e.g. "OpenCL 3.0 ..." */
    int usable;              /* available, with a compiler: can run faultline */
} fl_device_info;

/*
 * Lists the OpenCL platforms and devices: fills devices[0 .. max-1] (may be
 * NULL when max is 0) and sets *count to the number of entries there are,
 * which may exceed max.  Returns FL_OK, or FL_E_BACKEND with a message when
 * this build has no OpenCL or no OpenCL platform is installed.  Cost: asks
 * the OpenCL driver (milliseconds; the first call loads the drivers).
 */
int fl_devices_list(fl_device_info *devices, size_t max, size_t *count, char *message, size_t message_size);

/* ---------------------------------------------------------------- files */

/* The HDF5 library version, e.g. "1.10.8". */
const char *fl_hdf5_version(void);

#ifdef __cplusplus
}
#endif
#endif
