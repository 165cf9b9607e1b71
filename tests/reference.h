/*
 * reference.h - a deliberately naive simulator, the oracle of the tests.
 *
 * One trial at a time, one int per state, every draw made whether it is
 * needed or not, written straight from MODEL.md section 3 and the random
 * mapping of docs/randomness.md.  It shares nothing with kernels/ except
 * Philox and the fixed-point rounding of probabilities, so when it agrees
 * with the packed engine trial for trial, both read the contract alike.
 */
#ifndef FL_TEST_REFERENCE_H
#define FL_TEST_REFERENCE_H

#include <stdint.h>

#include "model.h"

/* Lane `trial % 64` of the uniform U that the engine compares p with. */
uint32_t ref_uniform32(uint64_t seed, uint32_t step, uint64_t trial, uint32_t entity, uint32_t purpose);

typedef struct ref_out {
    uint32_t *down_count; /* [N][T+1] */
    uint8_t *system_down; /* [N][T+1] */
    uint8_t *vertex_down; /* [N][T+1][n] */
} ref_out;

/* Runs trials first .. first+N-1; returns 0, or -1 when out of memory. */
int ref_run(const fl_model *md, uint64_t seed, uint64_t first, uint64_t N, uint32_t T, int propagation, int hits,
            ref_out *out);
void ref_free(ref_out *out);

#endif
