/*
 * testutil.h - shared helpers of the CUnit tests: temporary model files,
 * loading and running models, and reading the expected values of the
 * conformance models (JSON, through libfyaml).
 */
#ifndef FL_TESTUTIL_H
#define FL_TESTUTIL_H

#include <CUnit/Basic.h>
#include <stdint.h>

#include "faultline.h"

/* A fresh temporary directory for this process (created once). */
const char *tu_tmpdir(void);

/* Writes text to TMPDIR/name and returns the path (static storage, valid
 * until the next call). */
const char *tu_write(const char *name, const char *text);

/* Loads a model that must be valid (fails the current test otherwise,
 * printing the message); NULL on failure. */
fl_model *tu_load(const char *path);

/* Loads tests/conformance/NAME.yaml (NAME without the extension). */
fl_model *tu_load_conformance(const char *name);

/* Loads the YAML text as a model. */
fl_model *tu_load_text(const char *text);

/* Loads the model of n vertices that genmodel.h draws from seed. */
fl_model *tu_load_generated(uint32_t n, uint32_t seed);

/* Runs a model: trials, steps, seed, first trial, threads, propagation
 * (FL_PROP_DEFAULT for the model's) and vertex-series stride (0: none).
 * Returns the finished sim or NULL (the current test fails). */
fl_sim *tu_run(const fl_model *md, int64_t trials, int64_t steps, int64_t seed, uint64_t offset, int threads,
               int propagation, uint32_t series);
/* tu_run with the hit form (enum fl_hits). */
fl_sim *tu_run_hits(const fl_model *md, int64_t trials, int64_t steps, int64_t seed, uint64_t offset, int threads,
                    int propagation, uint32_t series, int hits);

/* Fraction of trials with vertex v down at step t (needs series stride 1). */
double tu_vertex_down(const fl_sim *sim, uint32_t n, uint32_t t, uint32_t v);

/* Runs the CUnit registry in verbose mode; the process exit code. */
int tu_main(void);

#endif
