/*
 * rng.h - every random draw of a step (MODEL.md section 4).
 *
 * One Philox4x32-10 block is keyed by the seed and counted by
 * (step, global trial word, entity, purpose | block << 8).  A draw is a
 * Bernoulli(p) for the 64 trials of one word, resolved by comparing each
 * lane's 32-bit uniform U with p most significant bit first ("bit-sliced"):
 * plane j of the uniforms is one 64-bit word, bit L of plane j being bit
 * (31 - j) of lane L's U.  Block b gives planes 2b (words v[0], v[1]) and
 * 2b+1 (v[2], v[3]).  The loop stops once every lane asked for is decided,
 * which takes about log2(64) + 2 planes instead of 32; since a lane's result
 * depends only on its own bits, which lanes are asked for (the mask) never
 * changes any lane's outcome: trials stay independent of each other and of
 * how they are grouped.  docs/randomness.md has the whole mapping.
 */
#ifndef FL_RNG_H
#define FL_RNG_H

#include "portable.h"
#include <Random123/philox.h>

/* The purpose field: which kind of draw a block is for. */
#define FL_RNG_HIT 1u       /* X_uv, entity = edge index */
#define FL_RNG_FAIL 2u      /* F_v, entity = vertex index */
#define FL_RNG_PERMANENT 3u /* Y_v, entity = vertex index */
#define FL_RNG_REPAIR 4u    /* R_v self-repair, entity = vertex index */
#define FL_RNG_RESTART 5u   /* restart by a supervisor, entity = supervision edge index */

/* Fixed-point probabilities: p is stored as round(p * 2^32), except that
 * p = 1 is the value FL_P_ONE (and p < 1 is capped at FL_P_ONE - 1). */
#define FL_P_ONE 0xFFFFFFFFu

/* The part of a counter fixed for one step and one trial word. */
typedef struct fl_rng {
    fl_u32 key0, key1; /* seed, low and high 32 bits */
    fl_u32 step;       /* t of the step t -> t+1 */
    fl_u32 gword;      /* global trial word: trials 64 gword .. 64 gword + 63 */
} fl_rng;

FL_INLINE philox4x32_ctr_t fl_rng_block(fl_rng r, fl_u32 entity, fl_u32 purpose, fl_u32 block)
{
    philox4x32_ctr_t c = {{r.step, r.gword, entity, purpose | (block << 8)}};
    philox4x32_key_t k = {{r.key0, r.key1}};
    return philox4x32(c, k);
}

/* Bernoulli(p) in the lanes of mask (other lanes 0): lane L is 1 iff its
 * uniform U_L < p. */
FL_INLINE fl_word fl_bernoulli(fl_rng r, fl_u32 entity, fl_u32 purpose, fl_u32 p, fl_word mask)
{
    if (mask == 0 || p == 0)
        return 0;
    if (p == FL_P_ONE)
        return mask;
    fl_word yes = 0, open = mask;
    for (fl_u32 block = 0; block < 16u; block++) {
        philox4x32_ctr_t x = fl_rng_block(r, entity, purpose, block);
        for (fl_u32 hl = 0; hl < 2u; hl++) { /* hl: which half (half is an OpenCL type) */
            fl_word plane = (fl_word)x.v[2u * hl] | ((fl_word)x.v[2u * hl + 1u] << 32);
            fl_u32 bit = 31u - (2u * block + hl);
            if ((p >> bit) & 1u) {
                yes |= open & ~plane; /* U bit 0 < p bit 1: U < p */
                open &= plane;
            } else {
                open &= ~plane; /* U bit 1 > p bit 0: U > p */
            }
            if (open == 0)
                return yes;
        }
    }
    return yes; /* lanes still open have U == p: not below */
}

#endif
