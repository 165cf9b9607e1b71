/*
 * rng.h - every random draw of a step (MODEL.md section 4).
 *
 * One Philox4x32-10 block is keyed by the seed and counted by
 * (step, global trial word, entity, purpose | block << 8).  A draw is a
 * Bernoulli(p) for the 64 trials of one word, resolved by comparing each
 * lane's 32-bit uniform U with p most significant bit first ("bit-sliced"):
 * plane j of the uniforms is one 64-bit word, bit L of plane j being bit
 * (31 - j) of lane L's U.  Block b gives planes 2b (words v[0], v[1]) and
 * 2b+1 (v[2], v[3]).  The loop stops once every lane asked for is decided
 * (tested after each pair of blocks),
 * which takes about log2(64) + 2 planes instead of 32; since a lane's result
 * depends only on its own bits, which lanes are asked for (the mask) never
 * changes any lane's outcome: trials stay independent of each other and of
 * how they are grouped.  docs/randomness.md has the whole mapping.
 */
#ifndef FL_RNG_H
#define FL_RNG_H

#include "portable.h"
#include <Random123/philox.h>

/* The revision of the mapping this file and docs/randomness.md define: it
 * changes whenever a step's draws change, that is whenever the same model
 * and seed would give other trajectories.  Results files record it (root
 * attribute `random_mapping`), so that files of two builds can be told
 * comparable trial for trial or only in law. */
#define FL_RNG_MAPPING "2026-11-26.2"

/* The purpose field: which kind of draw a block is for. */
#define FL_RNG_HIT 1u       /* X_uv, entity = edge index */
#define FL_RNG_FAIL 2u      /* F_v, entity = vertex index */
#define FL_RNG_PERMANENT 3u /* Y_v, entity = vertex index */
#define FL_RNG_REPAIR 4u    /* R_v self-repair, entity = vertex index */
#define FL_RNG_RESTART 5u   /* restart by a supervisor, entity = supervision edge index */
#define FL_RNG_HITV 6u      /* I_v drawn directly (fl_hit_count), entity = vertex index */
#define FL_RNG_FAILG 7u     /* F_v for a sparse p_fail, one stream per word group (fl_fail_group) */
#define FL_RNG_PUSH 8u      /* push mode: some out-edge of u transmits (fl_push_word), entity = u */
#define FL_RNG_PUSH_LANE 9u /* push mode: which ones, one stream per lane, entity = u */
/* The event form draws per trial: its counter has the trial's low 32 bits
 * where the others have the word, and bits 32 .. 37 of the trial in the
 * low six bits of these purposes (fl_event_block). */
#define FL_RNG_EVENT 0x40u      /* event form: repair and transmissions of a down vertex, entity = vertex */
#define FL_RNG_EVENT_FAIL 0x80u /* event form: the crashes of one fail class, entity = class */

/* Trial words per group of fl_fail_group: 1024 trials. */
#define FL_GROUP_WORDS 16u

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

/* Block `block` of the event form's stream (entity, purpose) in trial
 * `trial` of step r.step (r.gword unused): counter (t, trial mod 2^32,
 * entity, purpose | trial / 2^32 | block << 8), trial < 2^38. */
FL_INLINE philox4x32_ctr_t fl_event_block(fl_rng r, fl_u64 trial, fl_u32 entity, fl_u32 purpose, fl_u32 block)
{
    r.gword = (fl_u32)trial;
    return fl_rng_block(r, entity, purpose | (fl_u32)(trial >> 32), block);
}

/* 64-bit uniform h (0 or 1) of a block: v[0] | v[1] << 32 or v[2] | v[3] << 32. */
FL_INLINE fl_u64 fl_block_u64(philox4x32_ctr_t x, fl_u32 h)
{
    return (fl_u64)x.v[2u * h] | ((fl_u64)x.v[2u * h + 1u] << 32);
}

/* Out-edges of a source in push mode: a lane's stream (fl_push_word) takes
 * at most one uniform per out-edge plus one, in blocks lane + 64 b that fit
 * the counter's 24-bit block field; the powers s^(2^b), b < FL_PUSH_LG. */
#define FL_PUSH_LG 19u
#define FL_PUSH_MAX_DEG ((1u << FL_PUSH_LG) - 2u)

/* Below this p (1/32) a word's draw is sparse: see fl_bernoulli_sparse. */
#define FL_SPARSE_P 0x08000000u

/* pw[b] = s^(2^b) for b < nb, s = 1 - p in 0.64 fixed point (truncated
 * products: every device computes the same bits). */
FL_INLINE void fl_sparse_powers(fl_u32 p, fl_u64 *pw, fl_u32 nb)
{
    pw[0] = (fl_u64)(0u - p) << 32;
    for (fl_u32 b = 1; b < nb; b++)
        pw[b] = FL_MULHI64(pw[b - 1], pw[b - 1]);
}

/* s^1024 for p: the chance, in 0.64 fixed point, that none of the 1024
 * lanes of a group fires in fl_fail_group (the host keeps it per vertex). */
FL_INLINE fl_u64 fl_fail_none(fl_u32 p)
{
    fl_u64 pw[11];
    fl_sparse_powers(p, pw, 11u);
    return pw[10];
}

/* The gap of geometric skipping: the largest k < 2^lg with V < s^k, by
 * binary lifting over pw[b] = s^(2^b), b < lg (s^0 = 1 always holds). */
FL_INLINE fl_u32 fl_sparse_gap(fl_u64 V, const fl_u64 *pw, fl_u32 lg)
{
    fl_u32 K = 0;
    fl_u64 acc = 0; /* s^K, meaningful once K > 0 */
    /* without branches: which way each step goes is random, so a branch
     * there was mispredicted half the time (the sparse SIS step, with
     * fl_sparse_pow so too: 0.0170 -> 0.0159 s) */
    for (fl_u32 b = lg; b-- > 0;) {
        fl_u64 prod = FL_MULHI64(acc, pw[b]);
        fl_u64 cand = K ? prod : pw[b];
        fl_u64 take = 0u - (fl_u64)(V < cand); /* all ones when V < cand */
        K += (1u << b) & (fl_u32)take;
        acc = (cand & take) | (acc & ~take);
    }
    return K;
}

/* s^k formed as fl_sparse_gap forms it (the bits of k from the highest;
 * pw[b] = s^(2^b), b < lg; 0 < k < 2^lg): the chance that a walk finds no
 * gap below k, which fl_push_word tests with one comparison. */
FL_INLINE fl_u64 fl_sparse_pow(FL_GLOBAL const fl_u64 *pw, fl_u32 lg, fl_u32 k)
{
    fl_u64 acc = 0;
    fl_u32 K = 0;
    for (fl_u32 b = lg; b-- > 0;) { /* without branches, as fl_sparse_gap: k varies from source to source */
        fl_u64 prod = FL_MULHI64(acc, pw[b]);
        fl_u64 next = K ? prod : pw[b];
        fl_u64 take = 0u - (fl_u64)((k >> b) & 1u);
        acc = (next & take) | (acc & ~take);
        K |= (1u << b) & (fl_u32)take;
    }
    return acc;
}

/* The chance that some out-edge transmits (fl_push_word), 1 - none with
 * none = s^d in 0.64 fixed point, as a 32-bit probability rounded as
 * fl_i_prob_fixed rounds: below 2^-33 it is 0, within 2^-33 of 1 it is
 * capped below 1. */
FL_INLINE fl_u32 fl_push_any(fl_u64 none)
{
    if (none == 0) /* s^d below 2^-64 */
        return FL_P_ONE - 1u;
    fl_u64 x = 0u - none; /* 2^64 - none */
    fl_u64 p = (x >> 32) + ((x >> 31) & 1u);
    return p >= FL_P_ONE ? FL_P_ONE - 1u : (fl_u32)p;
}

/*
 * Bernoulli(p) for all 64 lanes at once when p < FL_SPARSE_P, by geometric
 * skipping: the gap K before the next lane that fires has P(K >= k) =
 * (1 - p)^k, so with a 64-bit uniform V, K is the largest k with
 * V < (1 - p)^k.  Powers of s = 1 - p are 0.64 fixed point; after the test
 * V < s^64, K is found by binary lifting over s^32, ..., s (fl_sparse_walk,
 * which fl_fail_group shares over 1024 lanes).  Block b
 * of the counter gives the uniforms 2b (v[0] | v[1] << 32) and 2b + 1
 * (v[2] | v[3] << 32).  The first uniform alone decides "no lane fires"
 * (V < s^64), which is the usual case for small p: one block per word
 * instead of about four for the bit-sliced comparison.  The pattern of all
 * 64 lanes is drawn whatever the caller asks for, so a lane's value never
 * depends on which lanes are asked for (nor on the other lanes' states).
 * The powers are truncated, so each lane fires with probability p to within
 * about 2^-58, finer than the 2^-32 resolution of p itself.
 */

/* The geometric skipping itself, over the 2^L lanes of the stream (entity,
 * purpose) (L <= 10), given pw[b] = s^(2^b) for b <= L: writes the
 * patterns of its words first .. first + nwb - 1 (64 lanes each) to F.
 * Uniform V ends the walk once V < s^(2^L) (no lane left fires). */
FL_INLINE void fl_sparse_walk(fl_rng r, fl_u32 entity, fl_u32 purpose, const fl_u64 *pw, fl_u32 L, fl_u32 first,
                              fl_u32 nwb, fl_word *F)
{
    fl_u32 lanes = 1u << L, end = 64u * (first + nwb), pos = 0;
    for (fl_u32 k = 0; k < nwb; k++)
        F[k] = 0;
    philox4x32_ctr_t x = {{0u, 0u, 0u, 0u}};
    for (fl_u32 i = 0; pos < end; i++) {
        if ((i & 1u) == 0)
            x = fl_rng_block(r, entity, purpose, i >> 1);
        fl_u32 hl = i & 1u;
        fl_u64 V = (fl_u64)x.v[2u * hl] | ((fl_u64)x.v[2u * hl + 1u] << 32);
        if (V < pw[L])
            break;
        fl_u32 K = fl_sparse_gap(V, pw, L); /* < 2^L, since V >= s^(2^L) */
        if (K >= lanes - pos)
            break;
        pos += K;
        if (pos >= 64u * first && pos < end)
            F[(pos >> 6) - first] |= (fl_word)1 << (pos & 63u);
        pos++;
    }
}

FL_INLINE fl_word fl_bernoulli_sparse(fl_rng r, fl_u32 entity, fl_u32 purpose, fl_u32 p)
{
    fl_u64 pw[7]; /* pw[b] = s^(2^b) */
    fl_sparse_powers(p, pw, 7u);
    fl_word fire;
    fl_sparse_walk(r, entity, purpose, pw, 6u, 0u, 1u, &fire);
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
    /* two blocks at a time: independent, so they are computed side by side;
     * their four planes are all compared, and the loop stops only between
     * pairs: a lane already decided keeps its result, and a branch per
     * plane on the open lanes, which data decides, cost more than the
     * planes (the dense SIS step 10 % and the sparse one 4 % faster) */
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
        }
        if (open == 0)
            return yes;
    }
    return yes; /* lanes still open have U == p: not below */
}

/*
 * The spontaneous crash F_v for a sparse p_fail (0 < p < FL_SPARSE_P), drawn
 * for all 1024 lanes of a group of FL_GROUP_WORDS global words at once: the
 * geometric skipping of fl_bernoulli_sparse over the group's lanes 0 ..
 * 1023 (lane 64 j + L of the group is lane L of its word j), with the
 * counter (t, group, v, FL_RNG_FAILG | b << 8).  This draw is made for
 * every vertex and word, and with a small p most groups have no lane that
 * fires: the first uniform decides that (V < s^1024, `none`, kept by the
 * host), so a group usually costs one block instead of one per word.
 * Writes the patterns of the nwb words from global word r.gword on, all in
 * one group, to F.  A word's pattern does not depend on which other words
 * are asked for, so an OpenCL work-item (one word) and the OpenMP backend
 * (a group of words) draw the same bits.
 */
FL_INLINE void fl_fail_group(fl_rng r, fl_u32 v, fl_u32 p, fl_u64 none, fl_u32 nwb, fl_word *F)
{
    fl_u32 first = r.gword % FL_GROUP_WORDS;
    r.gword /= FL_GROUP_WORDS;
    philox4x32_ctr_t x = fl_rng_block(r, v, FL_RNG_FAILG, 0u);
    if (((fl_u64)x.v[0] | ((fl_u64)x.v[1] << 32)) < none) { /* no lane of the group fires */
        for (fl_u32 k = 0; k < nwb; k++)
            F[k] = 0;
        return;
    }
    fl_u64 pw[11]; /* pw[b] = s^(2^b); pw[10] = none */
    fl_sparse_powers(p, pw, 11u);
    fl_sparse_walk(r, v, FL_RNG_FAILG, pw, 10u, first, nwb, F);
}

#endif
