/*
 * bitslice.h - small counters for 64 trials at once.
 *
 * A counter of nb bits is nb words ("planes"): bit L of plane b is bit b of
 * lane L's count.  Crash ages, boot countdowns, pool capacities, weighted
 * hit sums and target counts all live in this form, so that a model pays
 * for a counter only where it has one, and only as many bits as its largest
 * value needs.  The helpers work on private arrays; kernels load planes
 * from global memory (stride: words per plane row) and store them back.
 */
#ifndef FL_BITSLICE_H
#define FL_BITSLICE_H

#include "portable.h"

#define FL_MAX_PLANES 32u

/* Number of bits needed to hold x (0 for 0). */
FL_INLINE fl_u32 fl_bitlen(fl_u32 x)
{
    fl_u32 n = 0;
    while (x) {
        n++;
        x >>= 1;
    }
    return n;
}

FL_INLINE void fl_bs_load(fl_word *p, FL_GLOBAL const fl_word *g, fl_u32 nb, fl_u32 stride)
{
    for (fl_u32 b = 0; b < nb; b++)
        p[b] = g[(fl_u64)b * stride];
}

FL_INLINE void fl_bs_store(FL_GLOBAL fl_word *g, const fl_word *p, fl_u32 nb, fl_u32 stride)
{
    for (fl_u32 b = 0; b < nb; b++)
        g[(fl_u64)b * stride] = p[b];
}

/* Lanes whose count is not zero. */
FL_INLINE fl_word fl_bs_nonzero(const fl_word *p, fl_u32 nb)
{
    fl_word any = 0;
    for (fl_u32 b = 0; b < nb; b++)
        any |= p[b];
    return any;
}

/* Lanes whose count is >= c. */
FL_INLINE fl_word fl_bs_ge(const fl_word *p, fl_u32 nb, fl_u32 c)
{
    if (nb < 32u && (c >> nb) != 0)
        return 0; /* c does not fit in nb bits: no count reaches it */
    fl_word gt = 0, eq = FL_ALL;
    for (fl_u32 i = nb; i-- > 0;) {
        if ((c >> i) & 1u) {
            eq &= p[i];
        } else {
            gt |= eq & p[i];
            eq &= ~p[i];
        }
    }
    return gt | eq;
}

/* Sets the count of the lanes in mask to c (c < 2^nb). */
FL_INLINE void fl_bs_set(fl_word *p, fl_u32 nb, fl_u32 c, fl_word mask)
{
    for (fl_u32 b = 0; b < nb; b++)
        p[b] = ((c >> b) & 1u) ? (p[b] | mask) : (p[b] & ~mask);
}

/* Adds c to the lanes in mask; returns the lanes whose sum reached 2^nb
 * (their planes then hold the sum modulo 2^nb). */
FL_INLINE fl_word fl_bs_add(fl_word *p, fl_u32 nb, fl_u32 c, fl_word mask)
{
    fl_word carry = 0;
    for (fl_u32 b = 0; b < nb; b++) {
        fl_word a = ((c >> b) & 1u) ? mask : 0;
        fl_word s = p[b] ^ a ^ carry;
        carry = (p[b] & a) | (carry & (p[b] ^ a));
        p[b] = s;
    }
    if (nb < 32u && (c >> nb) != 0)
        carry |= mask;
    return carry;
}

/* Adds 1 to the lanes in mask, stopping as soon as no carry is left (so on
 * average two planes are touched); returns the lanes that overflowed. */
FL_INLINE fl_word fl_bs_inc(fl_word *p, fl_u32 nb, fl_word mask)
{
    fl_word carry = mask;
    for (fl_u32 b = 0; b < nb && carry; b++) {
        fl_word t = p[b];
        p[b] = t ^ carry;
        carry &= t;
    }
    return carry;
}

/* The count of each of the 64 lanes, to out[lane]. */
FL_INLINE void fl_bs_unpack(const fl_word *p, fl_u32 nb, FL_GLOBAL fl_u32 *out)
{
    for (fl_u32 lane = 0; lane < 64u; lane++) {
        fl_u32 x = 0;
        for (fl_u32 b = 0; b < nb; b++)
            x |= (fl_u32)((p[b] >> lane) & 1u) << b;
        out[lane] = x;
    }
}

/* Subtracts 1 from the lanes in mask (their counts must be > 0). */
FL_INLINE void fl_bs_dec(fl_word *p, fl_u32 nb, fl_word mask)
{
    fl_word borrow = mask;
    for (fl_u32 b = 0; b < nb && borrow; b++) {
        fl_word t = p[b];
        p[b] = t ^ borrow;
        borrow &= ~t;
    }
}

#endif
