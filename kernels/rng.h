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
#define FL_RNG_HITV 6u      /* I_v drawn directly (fl_hit_count), entity = vertex index */

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

/* Below this p (1/32) a word's draw is sparse: see fl_bernoulli_sparse. */
#define FL_SPARSE_P 0x08000000u

/*
 * Bernoulli(p) for all 64 lanes at once when p < FL_SPARSE_P, by geometric
 * skipping: the gap K before the next lane that fires has P(K >= k) =
 * (1 - p)^k, so with a 64-bit uniform V, K is the largest k with
 * V < (1 - p)^k.  Powers of s = 1 - p are 0.64 fixed point; K is found by
 * binary lifting over s^64, s^32, ..., s (seven 64-bit products).  Block b
 * of the counter gives the uniforms 2b (v[0] | v[1] << 32) and 2b + 1
 * (v[2] | v[3] << 32).  The first uniform alone decides "no lane fires"
 * (V < s^64), which is the usual case for small p: one block per word
 * instead of about four for the bit-sliced comparison.  The pattern of all
 * 64 lanes is drawn whatever the caller asks for, so a lane's value never
 * depends on which lanes are asked for (nor on the other lanes' states).
 * The powers are truncated, so each lane fires with probability p to within
 * about 2^-58, finer than the 2^-32 resolution of p itself.
 */
/* s^64 of fl_bernoulli_sparse for p: the chance, in 0.64 fixed point, that
 * none of 64 lanes fires (the host keeps it for p_fail: fl_bernoulli_fail). */
FL_INLINE fl_u64 fl_sparse_none64(fl_u32 p)
{
    fl_u64 x = (fl_u64)(0u - p) << 32;
    for (fl_u32 b = 1; b < 7u; b++)
        x = FL_MULHI64(x, x);
    return x;
}

FL_INLINE fl_word fl_bernoulli_sparse(fl_rng r, fl_u32 entity, fl_u32 purpose, fl_u32 p)
{
    fl_u64 pw[7]; /* pw[b] = s^(2^b); pw[6] is fl_sparse_none64(p) */
    pw[0] = (fl_u64)(0u - p) << 32;
    for (fl_u32 b = 1; b < 7u; b++)
        pw[b] = FL_MULHI64(pw[b - 1], pw[b - 1]);
    fl_word fire = 0;
    fl_u32 pos = 0;
    philox4x32_ctr_t x = {{0u, 0u, 0u, 0u}};
    for (fl_u32 i = 0; pos < 64u; i++) {
        if ((i & 1u) == 0)
            x = fl_rng_block(r, entity, purpose, i >> 1);
        fl_u32 hl = i & 1u;
        fl_u64 V = (fl_u64)x.v[2u * hl] | ((fl_u64)x.v[2u * hl + 1u] << 32);
        if (V < pw[6])
            break; /* K >= 64: no lane left fires */
        /* K = the largest k < 128 with V < s^k (s^0 = 1 always holds) */
        fl_u32 K = 0;
        fl_u64 acc = 0; /* s^K, meaningful once K > 0 */
        for (fl_u32 b = 7u; b-- > 0;) {
            fl_u64 cand = K ? FL_MULHI64(acc, pw[b]) : pw[b];
            if (V < cand) {
                K += 1u << b;
                acc = cand;
            }
        }
        if (K >= 64u - pos)
            break;
        pos += K;
        fire |= (fl_word)1 << pos;
        pos++;
    }
    return fire;
}

/* Bernoulli(p) in the lanes of mask (other lanes 0): lane L is 1 iff its
 * uniform U_L < p, or for p < FL_SPARSE_P its bit of fl_bernoulli_sparse. */
FL_INLINE fl_word fl_bernoulli(fl_rng r, fl_u32 entity, fl_u32 purpose, fl_u32 p, fl_word mask)
{
    if (mask == 0 || p == 0)
        return 0;
    if (p == FL_P_ONE)
        return mask;
    if (p < FL_SPARSE_P)
        return mask & fl_bernoulli_sparse(r, entity, purpose, p);
    fl_word yes = 0, open = mask;
    /* two blocks at a time: independent, so they are computed side by side */
    for (fl_u32 block = 0; block < 16u; block += 2u) {
        philox4x32_ctr_t x[2] = {fl_rng_block(r, entity, purpose, block), fl_rng_block(r, entity, purpose, block + 1u)};
        for (fl_u32 j = 0; j < 4u; j++) { /* planes 2 block + j */
            fl_word plane = (fl_word)x[j >> 1].v[2u * (j & 1u)] | ((fl_word)x[j >> 1].v[2u * (j & 1u) + 1u] << 32);
            fl_u32 bit = 31u - (2u * block + j);
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

/*
 * fl_bernoulli for the spontaneous crash, the draw made for every up vertex
 * word: the same value, but for a sparse p the usual "no lane fires" is
 * decided from the first uniform and none64 = fl_sparse_none64(p), kept by
 * the host, without recomputing the powers of 1 - p.
 */
FL_INLINE fl_word fl_bernoulli_fail(fl_rng r, fl_u32 v, fl_u32 p, fl_u64 none64, fl_word mask)
{
    if (mask != 0 && p != 0 && p < FL_SPARSE_P) {
        philox4x32_ctr_t x = fl_rng_block(r, v, FL_RNG_FAIL, 0u);
        if (((fl_u64)x.v[0] | ((fl_u64)x.v[1] << 32)) < none64)
            return 0;
    }
    return fl_bernoulli(r, v, FL_RNG_FAIL, p, mask);
}

#endif
