/*
 * step.h - one step of the simulation view (MODEL.md section 3), for one
 * vertex (or pool, or block of vertices) and one word of 64 trials.
 *
 * This is the only place where a step is computed.  The OpenMP backend
 * (host/omp/) loops over these functions; the OpenCL backend compiles the
 * same file behind thin __kernel wrappers (kernels/step.cl).
 *
 * State layout: every boolean state is a plane of words indexed
 * [vertex * nw + w] (nw trial words per vertex), so the trials of a vertex
 * are contiguous and a work-item per (vertex, word) reads its in-neighbours'
 * words at the same w (coalesced on a GPU when consecutive work-items take
 * consecutive w).  Counters are bit-sliced planes in one array `cnt`,
 * indexed [(offset + bit) * nw + w]; only vertices that need a counter have
 * planes (see host/graph.c).
 *
 * The synchronous step is, per word:
 *   1. fl_pool_grant for every pool (reads the state at t, decides the
 *      grants in increasing vertex order, updates the capacities);
 *   2. fl_step_words for every vertex: spontaneous crashes (fl_crash_draws),
 *      repair (fl_vertex_base), the hit from the in-neighbours' D(t) (fl_hit),
 *      then D(t+1), C(t+1) and the crash age (fl_commit).
 * In push mode (FL_F_PUSH) step 2 takes the hit from the plane I instead,
 * which the step before filled from the sources (fl_push_word), and pushes
 * D(t+1) into the next step's plane.
 * The instant step splits 2 so that the hit can be iterated to the least
 * fixpoint with the same draws (fl_instant_*); see host/engine.c.
 */
#ifndef FL_STEP_H
#define FL_STEP_H

#include "bitslice.h"
#include "portable.h"
#include "rng.h"

/* Vertex flags */
#define FL_F_CRASH 1u      /* on_dependency: crash (else degrade) */
#define FL_F_FORCED 2u     /* initial: forced_down */
#define FL_F_SUPERVISED 4u /* has at least one supervisor */
#define FL_F_POOLED 8u     /* has a pool */
#define FL_F_PERM 16u      /* P can be set (p_permanent > 0 or initially permanent): else P = B = 0 always */
#define FL_F_PUSH 32u      /* synchronous steps take v's hit from the plane fl_push_word fills (push mode) */
#define FL_F_LANE_U 64u    /* crash, a hit table, bit-sliced p_repair: repair and hit share U (fl_repair_purpose) */

/* In-degree up to which a vertex whose in-edges share q and weight draws
 * its hit directly from the count of down in-neighbours (fl_hit_count). */
#define FL_COUNT_MAX_DEG 31u

/* Per-vertex parameters, fixed point (16 x 32 bits, same layout in C and
 * OpenCL C). */
typedef struct fl_vparam {
    fl_u32 p_fail, p_permanent, p_repair, p_restart;
    fl_u32 theta; /* 0: never hit */
    fl_u32 flags; /* FL_F_* */
    fl_u32 detect_delay;
    fl_u32 age_off;                    /* first plane of the crash-age counter */
    fl_u32 age_nb;                     /* its planes; 0 when the age is never read */
    fl_u32 boot_off;                   /* first plane of the boot countdown */
    fl_u32 boot_nb;                    /* its planes; 0 when boot_delay <= 1 */
    fl_u32 pool;                       /* pool slot, FL_NO_INDEX if none */
    fl_u32 hit_tab;                    /* fl_hit_count's table in hit_tab[], FL_NO_INDEX: per-edge draws */
    fl_u32 fail_none_lo, fail_none_hi; /* fl_fail_none(p_fail), for fl_fail_group */
    fl_u32 push_tab; /* push mode: the powers of 1 - q of v's out-edges in push_pw[], else FL_NO_INDEX */
} fl_vparam;

/* Per-pool parameters (8 x 32 bits). */
typedef struct fl_pparam {
    fl_u32 vertex; /* the pool vertex */
    fl_u32 capacity;
    fl_u32 boot_delay;
    fl_u32 cap_off, cap_nb;          /* remaining-capacity counter planes */
    fl_u32 member_begin, member_end; /* range in `members` (increasing vertex order) */
    fl_u32 unused;
} fl_pparam;

/* The packed graph, read only. */
typedef struct fl_graph {
    fl_u32 n;                        /* vertices */
    fl_u32 nw;                       /* trial words per vertex */
    FL_GLOBAL const fl_u64 *in_off;  /* [n+1] in-edges of v: in_off[v] .. in_off[v+1]-1 */
    FL_GLOBAL const fl_u32 *in_src;  /* source u of each in-edge */
    FL_GLOBAL const fl_u32 *in_eid;  /* its edge index in the model (random entity) */
    FL_GLOBAL const fl_u32 *in_q;    /* its q, fixed point */
    FL_GLOBAL const fl_u32 *in_w;    /* its weight */
    FL_GLOBAL const fl_u64 *sup_off; /* [n+1] supervisors of v */
    FL_GLOBAL const fl_u32 *sup_src; /* supervisor s */
    FL_GLOBAL const fl_u32 *sup_eid; /* supervision edge index (random entity) */
    FL_GLOBAL const fl_vparam *vp;   /* [n] */
    FL_GLOBAL const fl_pparam *pp;   /* [pools] */
    FL_GLOBAL const fl_u32 *members; /* pool members, grouped by pool */
    FL_GLOBAL const fl_u32 *hit_tab; /* tables of P(hit | m down in-neighbours), FL_COUNT_MAX_DEG + 1 each */
    FL_GLOBAL const fl_u64 *out_off; /* push mode: [n+1] out-edges of u, in increasing edge index */
    FL_GLOBAL const fl_u32 *out_dst; /* their targets */
    FL_GLOBAL const fl_u64 *push_pw; /* push mode: tables of s^(2^b), b < FL_PUSH_LG, s = 1 - q */
    /* the event form's arrays (fl_event_step); last, so
     * that the other forms may leave them out of an initializer */
    FL_GLOBAL const fl_u32 *fail_off;  /* [nfail + 1] each fail class's range in fail_list */
    FL_GLOBAL const fl_u32 *fail_list; /* the vertices of each class, in increasing index */
    FL_GLOBAL const fl_u32 *fail_base; /* [nfail] v if a class is v, v + 1, ... (else FL_NO_INDEX) */
    FL_GLOBAL const fl_u64 *fail_pw;   /* FL_EVENT_PW powers s^(2^b) per class, s = 1 - p_fail */
    FL_GLOBAL const fl_u32 *ev;        /* [FL_EV * (n + 1)] per vertex, fl_event_source's parameters (FL_EV_*) */
    fl_u32 nfail;                      /* fail classes */
} fl_graph;

/* The mutable state. */
typedef struct fl_state {
    FL_GLOBAL fl_word *C;       /* crashed, updated in place */
    FL_GLOBAL fl_word *P;       /* permanent, in place */
    FL_GLOBAL fl_word *B;       /* booting, in place */
    FL_GLOBAL const fl_word *D; /* down at t */
    FL_GLOBAL fl_word *Dn;      /* down at t+1 */
    FL_GLOBAL fl_word *G;       /* pool grants of this step */
    FL_GLOBAL fl_word *Cb;      /* instant mode: C(t+1) before hits */
    FL_GLOBAL fl_word *I;       /* instant mode: hit; push mode: the hits of this step (fl_push_word) */
    FL_GLOBAL fl_word *In;      /* push mode: the hits of the next step */
    FL_GLOBAL fl_u8 *Iv, *Ivn;  /* push mode: per vertex, 1 if I (In) may have a lane set */
    FL_GLOBAL fl_word *cnt;     /* counter planes */
} fl_state;

/* Lanes in which some supervisor of v is up at t. */
FL_INLINE fl_word fl_supervisor_up(const fl_graph *g, FL_GLOBAL const fl_word *D, fl_u32 v, fl_u32 w)
{
    fl_word up = 0;
    for (fl_u64 e = g->sup_off[v]; e < g->sup_off[v + 1]; e++)
        up |= ~D[(fl_u64)g->sup_src[e] * g->nw + w];
    return up;
}

/* Lanes in which v's crash age a(t) >= detect_delay. */
FL_INLINE fl_word fl_age_ok(const fl_graph *g, FL_GLOBAL const fl_word *cnt, fl_vparam vp, fl_u32 w)
{
    if (vp.detect_delay == 0)
        return FL_ALL;
    fl_word a[FL_MAX_PLANES];
    fl_bs_load(a, cnt + (fl_u64)vp.age_off * g->nw + w, vp.age_nb, g->nw);
    return fl_bs_ge(a, vp.age_nb, vp.detect_delay);
}

/*
 * Step 2, permanent case, for pool m: the requests of its members in
 * increasing vertex order, granted while capacity lasts.  Writes G for every
 * member and updates the capacity planes.
 */
FL_INLINE void fl_pool_grant(const fl_graph *g, fl_state s, fl_u32 m, fl_u32 w)
{
    fl_pparam pm = g->pp[m];
    fl_u32 nw = g->nw;
    fl_word cap[FL_MAX_PLANES];
    FL_GLOBAL fl_word *capg = s.cnt + (fl_u64)pm.cap_off * nw + w;
    fl_bs_load(cap, capg, pm.cap_nb, nw);
    fl_word open = fl_bs_nonzero(cap, pm.cap_nb) & ~s.D[(fl_u64)pm.vertex * nw + w];
    for (fl_u32 i = pm.member_begin; i < pm.member_end; i++) {
        fl_u32 v = g->members[i];
        fl_u64 at = (fl_u64)v * nw + w;
        /* without FL_F_PERM a member's P is 0 and not stored (any_perm) */
        fl_word grant = (g->vp[v].flags & FL_F_PERM) ? open & s.C[at] & s.P[at] : 0;
        if (grant)
            grant &= fl_supervisor_up(g, s.D, v, w);
        if (grant)
            grant &= fl_age_ok(g, s.cnt, g->vp[v], w);
        s.G[at] = grant;
        if (grant) {
            fl_bs_dec(cap, pm.cap_nb, grant);
            open &= fl_bs_nonzero(cap, pm.cap_nb);
        }
    }
    fl_bs_store(capg, cap, pm.cap_nb, nw);
}

/* Words of one vertex that fl_step_words takes at once: a group of
 * fl_fail_group in C (the OpenMP backend), one word per OpenCL work-item. */
#if FL_IS_OPENCL
#define FL_WORDS 1u
#else
#define FL_WORDS FL_GROUP_WORDS
#endif

/*
 * F_v of step 3 in the lanes up at t (~C[k]) of v's words from r.gword on
 * (nwb <= FL_WORDS words, within one group): one stream per group for a
 * sparse p_fail, else one bit-sliced draw per word.
 */
FL_INLINE void fl_crash_draws(fl_rng r, fl_vparam vp, fl_u32 v, fl_u32 nwb, const fl_word *C, fl_word *F)
{
    if (vp.p_fail != 0 && vp.p_fail < FL_SPARSE_P && !(vp.flags & FL_F_FORCED)) {
        fl_fail_group(r, v, vp.p_fail, (fl_u64)vp.fail_none_lo | ((fl_u64)vp.fail_none_hi << 32), nwb, F);
        for (fl_u32 k = 0; k < nwb; k++)
            F[k] &= ~C[k];
        return;
    }
    for (fl_u32 k = 0; k < nwb; k++) {
        fl_rng rk = r;
        rk.gword += k;
        F[k] = (vp.flags & FL_F_FORCED) ? 0 : fl_bernoulli(rk, v, FL_RNG_FAIL, vp.p_fail, ~C[k]);
    }
}

/*
 * The purpose of v's self-repair draw.  A `crash` vertex that draws its hit
 * from a table (fl_hit_count) with a bit-sliced p_repair (FL_F_LANE_U, set
 * by host/graph.c) compares each lane's one uniform of purpose FL_RNG_HITV
 * with p_repair where the lane is crashed at t and with its hit probability
 * where it is up: the two sets of lanes are disjoint (a crashed lane is
 * never hit, an up one never repaired), so every draw that is used is still
 * independent of every other, and the law is MODEL.md's.  One comparison
 * then decides both (fl_step_words_pull): about 4 Philox blocks a word of
 * the dense SIS step instead of 6.6.
 */
FL_INLINE fl_u32 fl_repair_purpose(fl_vparam vp)
{
    return (vp.flags & FL_F_LANE_U) ? FL_RNG_HITV : FL_RNG_REPAIR;
}

/* The lanes of v crashed at t whose repair is a draw (case "otherwise" of
 * step 2: neither permanent nor booting), given C = C(t). */
FL_INLINE fl_word fl_repair_lanes(fl_state s, fl_vparam vp, fl_u64 at, fl_word C)
{
    if (C == 0 || (vp.flags & FL_F_FORCED))
        return 0;
    return (vp.flags & FL_F_PERM) ? C & ~s.P[at] & ~s.B[at] : C;
}

/*
 * Steps 2 and 3 without the hit, given the crash draws F (fl_crash_draws):
 * returns C(t+1) as it would be with I = 0 ("Cb"), and writes P(t+1), B(t+1)
 * and the boot countdown of v.  With `given`, the self-repair draw of the
 * lanes of fl_repair_lanes is R (drawn with the hit, fl_step_words_pull).
 */
FL_INLINE fl_word fl_vertex_base_r(const fl_graph *g, fl_state s, fl_rng r, fl_u32 v, fl_u32 w, fl_word F,
                                   const int given, fl_word R_given)
{
    fl_vparam vp = g->vp[v];
    fl_u32 nw = g->nw;
    fl_u64 at = (fl_u64)v * nw + w;
    if (vp.flags & FL_F_FORCED)
        return FL_ALL;
    /* without FL_F_PERM, P and B stay 0: neither read nor written */
    int perm_planes = (vp.flags & FL_F_PERM) != 0;
    fl_word C = s.C[at], P = perm_planes ? s.P[at] : 0, B = perm_planes ? s.B[at] : 0;

    /* 3. spontaneous crash of the lanes up at t */
    fl_word Cb = F;
    fl_word Pn = fl_bernoulli(r, v, FL_RNG_PERMANENT, vp.p_permanent, F);
    fl_word Bn = 0;
    if (C == 0) {
        if (perm_planes) {
            s.P[at] = Pn;
            s.B[at] = 0;
        }
        return Cb;
    }

    /* 2. repair of the lanes crashed at t: exactly one case per lane */
    fl_word perm = C & P, boot = C & B, other = C & ~P & ~B;
    if (perm) {
        fl_word grant = (vp.flags & FL_F_POOLED) ? (s.G[at] & perm) : 0;
        Cb |= perm & ~grant;
        Pn |= perm & ~grant;
        if (grant) {
            fl_u32 bd = g->pp[vp.pool].boot_delay;
            if (bd > 0) {
                Cb |= grant;
                Bn |= grant;
                if (vp.boot_nb) {
                    fl_word k[FL_MAX_PLANES];
                    FL_GLOBAL fl_word *kg = s.cnt + (fl_u64)vp.boot_off * nw + w;
                    fl_bs_load(k, kg, vp.boot_nb, nw);
                    fl_bs_set(k, vp.boot_nb, bd - 1u, grant);
                    fl_bs_store(kg, k, vp.boot_nb, nw);
                }
            }
        }
    }
    if (boot) {
        fl_word wait = 0; /* booting lanes with k(t) > 0 */
        if (vp.boot_nb) {
            fl_word k[FL_MAX_PLANES];
            FL_GLOBAL fl_word *kg = s.cnt + (fl_u64)vp.boot_off * nw + w;
            fl_bs_load(k, kg, vp.boot_nb, nw);
            wait = boot & fl_bs_nonzero(k, vp.boot_nb);
            fl_bs_dec(k, vp.boot_nb, wait);
            fl_bs_store(kg, k, vp.boot_nb, nw);
        }
        Cb |= wait;
        Bn |= wait;
    }
    if (other) {
        fl_word R = given ? R_given : fl_bernoulli(r, v, fl_repair_purpose(vp), vp.p_repair, other);
        if (vp.flags & FL_F_SUPERVISED) {
            fl_word ask = other & ~R;
            if (ask)
                ask &= fl_age_ok(g, s.cnt, vp, w);
            for (fl_u64 e = g->sup_off[v]; ask && e < g->sup_off[v + 1]; e++) {
                fl_u32 sv = g->sup_src[e];
                fl_word up = ask & ~s.D[(fl_u64)sv * nw + w];
                fl_word ok = fl_bernoulli(r, g->sup_eid[e], FL_RNG_RESTART, g->vp[sv].p_restart, up);
                R |= ok;
                ask &= ~ok;
            }
        }
        Cb |= other & ~R;
    }
    if (perm_planes) {
        s.P[at] = Pn;
        s.B[at] = Bn;
    }
    return Cb;
}

FL_INLINE fl_word fl_vertex_base(const fl_graph *g, fl_state s, fl_rng r, fl_u32 v, fl_u32 w, fl_word F)
{
    return fl_vertex_base_r(g, s, r, v, w, F, 0, 0);
}

/* The lanes in which a hit can still change v's state, given Cb. */
FL_INLINE fl_word fl_hit_need(fl_vparam vp, fl_word C, fl_word Cb)
{
    if (vp.flags & FL_F_FORCED)
        return 0;
    if (vp.flags & FL_F_CRASH)
        return ~C & ~Cb; /* only an up vertex that did not crash anyway */
    return ~Cb;
}

/*
 * Step 1 drawn directly, as MODEL.md section 3 allows: when v's in-edges
 * share q and weight w, S_v = w * Binomial(m, q) with m the number of v's
 * down in-neighbours, so I_v = (U < P(Binomial(m, q) >= ceil(theta / w))):
 * one uniform per lane instead of one draw per edge.  The table (host/graph.c)
 * holds that probability for m = 0 .. FL_COUNT_MAX_DEG.  m is counted per
 * lane in bit-sliced planes, and U is compared most significant bit first as
 * in fl_bernoulli, each lane against its own table entry; a lane's result
 * depends only on its own m and its own bits.  The law of every trajectory
 * is the one of the per-edge draws, in instant mode too: the events
 * {Binomial(m, q) >= k} are nested in m in both forms (docs/model.md).
 */
/* c += the down lanes (in need) of v's in-neighbours, in nb <= 5 planes:
 * nb is a constant at each call, so the plane loop unrolls to exactly the
 * planes v's in-degree needs. */
FL_INLINE fl_word fl_count_down(const fl_graph *g, FL_GLOBAL const fl_word *D, fl_u32 v, fl_u32 w, fl_word need,
                                fl_word *c, fl_u32 nb)
{
    fl_u32 nw = g->nw;
    fl_word any = 0;
    for (fl_u64 e = g->in_off[v]; e < g->in_off[v + 1]; e++) {
        fl_word x = D[(fl_u64)g->in_src[e] * nw + w] & need;
        any |= x;
        /* c += x over all nb planes: no data-dependent branch to mispredict
         * (measured: the dense SIS step 17 % faster, the sparse one 3 % slower
         * than fl_bs_inc's early exit) */
        for (fl_u32 b = 0; b < nb; b++) {
            fl_word t = c[b];
            c[b] = t ^ x;
            x &= t;
        }
    }
    return any;
}

/* The comparison of fl_hit_draw: U (purpose FL_RNG_HITV) against prob[i]
 * in the lanes of lanes[i], i < nd, most significant bit first; yes holds
 * the lanes already hit (p = 1), open those to compare.  many: nd is large
 * enough that the bits of the probabilities are taken without a branch
 * (they vary from plane to plane: the dense SIS step 6 % faster); with one
 * or two probabilities the branch is predictable and cheaper.  A constant at
 * each call, so each form compiles without the other's test. */
FL_INLINE fl_word fl_hit_compare(fl_rng r, fl_u32 v, const fl_word *lanes, const fl_u32 *prob, fl_u32 nd, fl_word yes,
                                 fl_word open, const int many)
{
    for (fl_u32 block = 0; block < 16u && open != 0; block += 2u) { /* two blocks at a time, as fl_bernoulli */
        philox4x32_ctr_t x[2] = {fl_rng_block(r, v, FL_RNG_HITV, block), fl_rng_block(r, v, FL_RNG_HITV, block + 1u)};
        for (fl_u32 j = 0; j < 4u; j++) { /* the four planes without a branch on open, as fl_bernoulli */
            fl_word plane = (fl_word)x[j >> 1].v[2u * (j & 1u)] | ((fl_word)x[j >> 1].v[2u * (j & 1u) + 1u] << 32);
            fl_u32 bit = 31u - (2u * block + j);
            fl_word pbit = 0; /* bit `bit` of each open lane's probability */
            for (fl_u32 i = 0; i < nd; i++) {
                if (many)
                    pbit |= lanes[i] & (0u - (fl_word)((prob[i] >> bit) & 1u));
                else if ((prob[i] >> bit) & 1u)
                    pbit |= lanes[i];
            }
            yes |= open & pbit & ~plane; /* U bit 0 < p bit 1 */
            open &= ~(pbit ^ plane);     /* equal bits: still open */
        }
    }
    return yes; /* lanes still open have U == p: not below */
}

/* The lanes among rest whose count in the 5 planes c is m. */
FL_INLINE fl_word fl_count_is(const fl_word *c, fl_u32 m, fl_word rest)
{
    for (fl_u32 b = 0; b < 5u; b++)
        rest &= ((m >> b) & 1u) ? c[b] : ~c[b];
    return rest;
}

/* Adds the lanes eq, each to be compared with probability p, to the slots
 * of fl_hit_compare: into *yes when p = 1, slot nd (and *open) when
 * 0 < p < 1.  regs: the slot is written at a constant index (registers on
 * a GPU; the caller zeroes the slots).  Returns the slots used, or max + 1
 * when more than max were needed. */
FL_INLINE fl_u32 fl_slot_add(fl_word *lanes, fl_u32 *prob, fl_u32 nd, const fl_u32 max, const int regs, fl_word *yes,
                             fl_word *open, fl_word eq, fl_u32 p)
{
    if (p == FL_P_ONE) {
        *yes |= eq;
        return nd;
    }
    if (p == 0 || eq == 0)
        return nd;
    if (nd >= max)
        return max + 1u;
    if (regs) {
        for (fl_u32 i = 0; i < max; i++) {
            lanes[i] = i == nd ? eq : lanes[i];
            prob[i] = i == nd ? p : prob[i];
        }
    } else {
        lanes[nd] = eq;
        prob[nd] = p;
    }
    *open |= eq;
    return nd + 1u;
}

/* The lanes of the count c (5 planes) by value m, with P = tab[m], into the
 * slots (fl_slot_add), one slot per m.  Returns the slots used, or max + 1
 * when more than max were needed. */
FL_INLINE fl_u32 fl_hit_slots(FL_GLOBAL const fl_u32 *tab, const fl_word *c, fl_word *lanes, fl_u32 *prob,
                              const fl_u32 max, const int regs, fl_word *yes, fl_word *open)
{
    fl_word rest = c[0] | c[1] | c[2] | c[3] | c[4];
    fl_u32 nd = 0;
    for (fl_u32 m = 1; rest != 0 && m <= FL_COUNT_MAX_DEG; m++) {
        fl_word eq = fl_count_is(c, m, rest);
        if (eq == 0)
            continue;
        rest &= ~eq;
        nd = fl_slot_add(lanes, prob, nd, max, regs, yes, open, eq, tab[m]);
        if (nd > max)
            return nd;
    }
    return nd;
}

/* I drawn against v's table at tab_off, given the count c (5 planes) of
 * its down in-neighbours, and in the lanes xl (disjoint from c's) the
 * comparison with xp: the lanes in which U < their probability. */
FL_INLINE fl_word fl_hit_draw(const fl_graph *g, fl_rng r, fl_u32 v, const fl_word *c, fl_u32 tab_off, fl_word xl,
                              fl_u32 xp)
{
    fl_word lanes[FL_COUNT_MAX_DEG + 1u], yes = 0, open = 0;
    fl_u32 prob[FL_COUNT_MAX_DEG + 1u];
    fl_u32 nd = fl_hit_slots(g->hit_tab + tab_off, c, lanes, prob, FL_COUNT_MAX_DEG, 0, &yes, &open);
    if (xl) /* the repair lanes (FL_F_LANE_U) */
        nd = fl_slot_add(lanes, prob, nd, FL_COUNT_MAX_DEG + 1u, 0, &yes, &open, xl, xp);
    return nd >= 3u ? fl_hit_compare(r, v, lanes, prob, nd, yes, open, 1)
                    : fl_hit_compare(r, v, lanes, prob, nd, yes, open, 0);
}

#define FL_REG_SLOTS 8u

/* fl_hit_draw when at most FL_REG_SLOTS counts with 0 < P < 1 are present,
 * with every array index a constant once the slot loops unroll, so that a
 * GPU keeps lanes and probabilities in registers instead of private memory;
 * empty slots hold no lanes and are compared too (a constant trip count).
 * Returns 0 (and *hit untouched) when more counts are present.  The same
 * comparison as fl_hit_draw, so the same bits (test_rng).  OpenCL
 * work-items use it (on the H200 the step kernel of (a) took 853 instead of
 * 985 microseconds, of (b) 570 instead of 599, of (c) 9.5 instead of 10.1
 * ms); the OpenMP group path keeps fl_hit_draw, whose branches a CPU
 * predicts. */
FL_INLINE int fl_hit_draw_regs(const fl_graph *g, fl_rng r, fl_u32 v, const fl_word *c, fl_u32 tab_off, fl_word xl,
                               fl_u32 xp, fl_word *hit)
{
    fl_word lanes[FL_REG_SLOTS], yes = 0, open = 0;
    fl_u32 prob[FL_REG_SLOTS];
    for (fl_u32 i = 0; i < FL_REG_SLOTS; i++) {
        lanes[i] = 0;
        prob[i] = 0;
    }
    fl_u32 nd = fl_hit_slots(g->hit_tab + tab_off, c, lanes, prob, FL_REG_SLOTS, 1, &yes, &open);
    if (xl && nd <= FL_REG_SLOTS)
        nd = fl_slot_add(lanes, prob, nd, FL_REG_SLOTS, 1, &yes, &open, xl, xp);
    if (nd > FL_REG_SLOTS)
        return 0;
    *hit = fl_hit_compare(r, v, lanes, prob, FL_REG_SLOTS, yes, open, 1);
    return 1;
}

/* The direct hit of fl_hit_count's table at tab_off in the lanes of need,
 * and in the lanes xl (crashed at t, disjoint from need) the comparison of
 * the same uniforms with xp: returns the lanes hit or repaired. */
FL_INLINE fl_word fl_hit_count(const fl_graph *g, FL_GLOBAL const fl_word *D, fl_rng r, fl_u32 v, fl_u32 w,
                               fl_word need, fl_u32 tab_off, fl_word xl, fl_u32 xp)
{
    fl_word c[5] = {0, 0, 0, 0, 0}; /* counts up to 31 */
    fl_u64 deg = g->in_off[v + 1] - g->in_off[v];
    fl_word any = deg < 4u    ? fl_count_down(g, D, v, w, need, c, 2u)
                  : deg < 8u  ? fl_count_down(g, D, v, w, need, c, 3u)
                  : deg < 16u ? fl_count_down(g, D, v, w, need, c, 4u)
                              : fl_count_down(g, D, v, w, need, c, 5u);
    if (!any && !xl)
        return 0;
#if FL_IS_OPENCL
    fl_word hit;
    if (fl_hit_draw_regs(g, r, v, c, tab_off, xl, xp, &hit))
        return hit;
#endif
    return fl_hit_draw(g, r, v, c, tab_off, xl, xp);
}

#if !FL_IS_OPENCL
/*
 * fl_count_down for all FL_WORDS (16) words of a group at once, C only: the
 * in-edge loop is outside, each in-neighbour's 16 words are read as one run
 * (two cache lines) and added in 8-word vectors, so the planes stay in
 * registers.  GCC compiles it for AVX-512, AVX2 and the baseline and picks
 * one when the program starts (FL_TARGET_CLONES); every variant adds the same
 * words, so the counts, and each word's hit, are those of fl_count_down
 * (and of an OpenCL work-item).
 */
typedef fl_u64 fl_v8 __attribute__((vector_size(64)));

FL_INLINE void fl_count_down16_nb(const fl_graph *g, const fl_word *D, fl_u32 v, fl_u32 w0, const fl_word *need,
                                  fl_word c[5][FL_WORDS], const fl_u32 nb)
{
    fl_v8 n0, n1, c0[5], c1[5];
    __builtin_memcpy(&n0, need, sizeof n0);
    __builtin_memcpy(&n1, need + 8, sizeof n1);
    for (fl_u32 b = 0; b < 5u; b++)
        c0[b] = c1[b] = n0 ^ n0;
    for (fl_u64 e = g->in_off[v]; e < g->in_off[v + 1]; e++) {
        const fl_word *src = D + (fl_u64)g->in_src[e] * g->nw + w0;
        fl_v8 x0, x1;
        __builtin_memcpy(&x0, src, sizeof x0);
        __builtin_memcpy(&x1, src + 8, sizeof x1);
        x0 &= n0;
        x1 &= n1;
        for (fl_u32 b = 0; b < nb; b++) {
            fl_v8 t0 = c0[b], t1 = c1[b];
            c0[b] = t0 ^ x0;
            c1[b] = t1 ^ x1;
            x0 &= t0;
            x1 &= t1;
        }
    }
    for (fl_u32 b = 0; b < 5u; b++) {
        __builtin_memcpy(c[b], &c0[b], sizeof c0[b]);
        __builtin_memcpy(c[b] + 8, &c1[b], sizeof c1[b]);
    }
}

/* fl_hit_draw of word k of a group whose counts are c. */
FL_INLINE fl_word fl_hit_draw_word(const fl_graph *g, fl_rng r, fl_u32 v, fl_word c[5][FL_WORDS], fl_u32 k,
                                   fl_u32 tab_off, fl_word xl, fl_u32 xp)
{
    fl_word ck[5] = {c[0][k], c[1][k], c[2][k], c[3][k], c[4][k]};
    r.gword += k;
    return fl_hit_draw(g, r, v, ck, tab_off, xl, xp);
}

FL_TARGET_CLONES("avx512f", "avx2", "default")
static void fl_count_down16(const fl_graph *g, const fl_word *D, fl_u32 v, fl_u32 w0, const fl_word *need,
                            fl_word c[5][FL_WORDS])
{
    fl_u64 deg = g->in_off[v + 1] - g->in_off[v];
    if (deg < 4u)
        fl_count_down16_nb(g, D, v, w0, need, c, 2u);
    else if (deg < 8u)
        fl_count_down16_nb(g, D, v, w0, need, c, 3u);
    else if (deg < 16u)
        fl_count_down16_nb(g, D, v, w0, need, c, 4u);
    else
        fl_count_down16_nb(g, D, v, w0, need, c, 5u);
}
#endif

/*
 * Step 1: I(t+1) of v in the lanes of need, from the down states D of its
 * in-neighbours.  With theta = 1 this is an OR of Bernoulli-thinned down
 * words; above 1 the weights are summed in bit-sliced counters.  Lanes
 * already decided are not drawn again (masking never changes a lane).
 */
FL_INLINE fl_word fl_hit(const fl_graph *g, FL_GLOBAL const fl_word *D, fl_rng r, fl_u32 v, fl_u32 w, fl_word need)
{
    fl_u32 theta = g->vp[v].theta;
    if (theta == 0 || need == 0)
        return 0;
    fl_u32 tab = g->vp[v].hit_tab;
    if (tab != FL_NO_INDEX)
        return fl_hit_count(g, D, r, v, w, need, tab, 0, 0);
    fl_u32 nw = g->nw;
    fl_u64 e0 = g->in_off[v], e1 = g->in_off[v + 1];
    fl_word hit = 0;
    if (theta == 1) {
        for (fl_u64 e = e0; e < e1; e++) {
            fl_word m = D[(fl_u64)g->in_src[e] * nw + w] & need & ~hit;
            if (m) {
                hit |= fl_bernoulli(r, g->in_eid[e], FL_RNG_HIT, g->in_q[e], m);
                if (hit == need)
                    break;
            }
        }
        return hit;
    }
    fl_u32 nb = fl_bitlen(theta);
    fl_word sum[FL_MAX_PLANES];
    for (fl_u32 b = 0; b < nb; b++)
        sum[b] = 0;
    fl_word over = 0;
    for (fl_u64 e = e0; e < e1 && hit != need; e++) {
        fl_word m = D[(fl_u64)g->in_src[e] * nw + w] & need & ~hit;
        if (!m)
            continue;
        fl_word x = fl_bernoulli(r, g->in_eid[e], FL_RNG_HIT, g->in_q[e], m);
        if (!x)
            continue;
        over |= fl_bs_add(sum, nb, g->in_w[e], x);
        hit = need & (over | fl_bs_ge(sum, nb, theta));
    }
    return hit;
}

/* The first out-edge that transmits, given that one does (fl_push_word,
 * step 2): V mapped to [s^d, 1) and its gap, at most d - 1 (truncation can
 * leave the mapped V just above s^d). */
FL_INLINE fl_u32 fl_push_first(fl_u64 V, fl_u64 none, const fl_u64 *pw, fl_u32 lg, fl_u32 deg)
{
    fl_u32 pos = fl_sparse_gap(none ? none + FL_MULHI64(V, 0u - none) : V, pw, lg);
    return pos < deg ? pos : deg - 1u;
}

/*
 * Step 1 in push mode (host/graph.c decides it from the model: every
 * threshold is 0 or 1, so one transmitting in-edge is a hit, and every
 * edge's q is in (0, FL_SPARSE_P), the same for all out-edges of its
 * source): the transmissions X_uv of u's d out-edges (in increasing edge
 * index) in trial word w of step r.step, set in plane I at their targets in
 * the lanes where u is down (d, u's word of D(r.step)).  Per lane,
 * independently:
 *   1. whether any out-edge transmits, with probability 1 - s^d (s = 1 - q):
 *      fl_bernoulli with purpose FL_RNG_PUSH over the lanes where u is down
 *      (so 1 to 4 blocks a word, or 1 when the chance is below 1/32);
 *   2. in a lane where one does, the first such edge K from a uniform V of
 *      the lane's own stream (FL_RNG_PUSH_LANE, block lane + 64 b) mapped to
 *      [s^d, 1): the conditional law P(K >= k) = (s^k - s^d) / (1 - s^d);
 *   3. the edges after K by geometric skipping with the next uniforms, as
 *      fl_sparse_walk.
 * All in integers (0.64 fixed point, the truncated powers of fl_sparse_gap),
 * so every device computes the same bits.  A lane's transmissions depend on
 * its own draws only.  The cost is about one block per word where u is down
 * in some lane, where the pull form draws for every word of every vertex
 * with a down in-neighbour.  Lanes are set with atomic OR, so the order of
 * the work-items cannot change the plane.  fl_step_words_n pushes D(t+1)
 * into s.In as soon as it has it, and takes its hits from s.I (filled by
 * the step before, or by fl_push_all for the first step) and clears them.
 * Each pushed lane also marks its target in Iv, so that a step reads I only
 * for marked vertices: in a sparse state most of I is never touched.  After
 * each step the backends swap I and In, Iv and Ivn, and clear the new Ivn.
 */
FL_OUTLINE void fl_push_word(const fl_graph *g, FL_GLOBAL fl_word *I, FL_GLOBAL fl_u8 *Iv, fl_rng r, fl_u32 u, fl_u32 w,
                             fl_word d)
{
    fl_u32 tab = g->vp[u].push_tab;
    if (d == 0 || tab == FL_NO_INDEX)
        return;
    fl_u64 e0 = g->out_off[u];
    fl_u32 deg = (fl_u32)(g->out_off[u + 1] - e0), lg = fl_bitlen(deg);
    fl_u64 none = fl_sparse_pow(g->push_pw + tab, lg, deg); /* s^d */
    fl_word any = fl_bernoulli(r, u, FL_RNG_PUSH, fl_push_any(none), d);
    if (any == 0)
        return;
    fl_u64 pw[FL_PUSH_LG];
    for (fl_u32 b = 0; b < lg; b++)
        pw[b] = g->push_pw[tab + b];
    for (; any != 0; any &= any - 1u) {
        fl_u32 lane = FL_CTZ64(any);
        philox4x32_ctr_t x = fl_rng_block(r, u, FL_RNG_PUSH_LANE, lane);
        fl_u32 pos = fl_push_first(fl_block_u64(x, 0u), none, pw, lg, deg);
        for (fl_u32 i = 0;;) {
            fl_u32 v = g->out_dst[e0 + pos];
            FL_ATOMIC_SET_LANE(I + (fl_u64)v * g->nw + w, lane);
            FL_MARK(Iv + v);
            if (++pos == deg)
                break;
            if ((++i & 1u) == 0)
                x = fl_rng_block(r, u, FL_RNG_PUSH_LANE, lane + 64u * (i >> 1));
            fl_u32 K = fl_sparse_gap(fl_block_u64(x, i & 1u), pw, lg); /* < 2^lg: K >= deg - pos when V < s^(2^lg) */
            if (K >= deg - pos)
                break;
            pos += K;
        }
    }
}

/* Push mode, before the first synchronous step of a batch: the hits of
 * step r.step from v's word w of D into s.I. */
FL_INLINE void fl_push_all(const fl_graph *g, fl_state s, fl_rng r, fl_u32 v, fl_u32 w)
{
    fl_word d = s.D[(fl_u64)v * g->nw + w];
    if (d != 0)
        fl_push_word(g, s.I, s.Iv, r, v, w, d);
}

/* ---------------------------------------------------------- event form */

/*
 * The event form (host/graph.c, pack_event): for models where D = C (push
 * mode, no supervision, no pools, nothing permanent, every vertex `crash`
 * or threshold 0) whose states stay sparse, each trial keeps the list of
 * its down vertices (in no particular order) and a bitmap of them (n bits,
 * for "is v down at t"), and a step costs about one Philox block per down
 * vertex of the trial instead of a pass over every vertex word.  Per trial
 * and step (fl_event_step):
 *   - each vertex u down at t draws block 0 of its stream (FL_RNG_EVENT,
 *     entity u): v[0] < p_repair repairs it (never when forced_down), v[1]
 *     < 1 - s^d says some out-edge transmits, and then v[2] | v[3] << 32 is
 *     the V of fl_push_first and the next uniforms (blocks 1, 2, ...) the
 *     gaps, as fl_push_word's steps 2 and 3;
 *   - a transmission hits its target when the target has a threshold and
 *     is up at t (it is a `crash` vertex: then it is down at t+1);
 *   - the spontaneous crashes: for each fail class (the vertices sharing one
 *     p_fail < 1, not forced_down), geometric skipping over the class's
 *     vertices in increasing index with its own stream (FL_RNG_EVENT_FAIL,
 *     entity = class), a crash taking effect where the vertex is up at t.
 * Every draw is addressed by (step, trial, vertex or class), so a trial's
 * trajectory does not depend on the others, on the order of the work or
 * on the device.  The law is MODEL.md's (docs/randomness.md, "The event
 * form").
 */

/* Words of a trial's bitmap. */
FL_INLINE fl_u32 fl_event_nbw(fl_u32 n)
{
    return (n + 63u) >> 6;
}

FL_INLINE fl_u32 fl_event_test(FL_GLOBAL const fl_word *bits, fl_u32 v)
{
    return (fl_u32)(bits[v >> 6] >> (v & 63u)) & 1u;
}

FL_INLINE void fl_event_put(FL_GLOBAL fl_word *bits, fl_u32 v, fl_u32 on)
{
    fl_word bit = (fl_word)1 << (v & 63u);
    bits[v >> 6] = on ? bits[v >> 6] | bit : bits[v >> 6] & ~bit;
}

/* What fl_event_step returns when the next list does not fit its room. */
#define FL_EVENT_FULL 0xFFFFFFFFu

/* Down vertices that fl_event_step lists before it draws for them, and
 * vertices it holds back before it adds them (fl_event_later). */
#define FL_EVENT_CHUNK 64u

/* The step's output: the vertices down at t+1 from the front of nxt
 * (nxt[0 .. k)), the vertices repaired from its back (nxt[top .. cap));
 * bits is the trial's bitmap, which already has the vertices added in this
 * step (so each is added once) and still has the repaired ones. */
typedef struct fl_event_out {
    FL_GLOBAL fl_word *bits;
    FL_GLOBAL fl_u32 *nxt;
    fl_u32 k, top;
    fl_u32 full; /* a vertex found no room */
} fl_event_out;

/* The vertices that a step's transmissions and crashes reach, to be added
 * to the next state where they are up at t: held back, FL_EVENT_CHUNK at a
 * time, so that their bitmap words are fetched while the step draws for
 * others (each is a cache miss; workload (b), with the bitmaps of the
 * first version of this form: 0.0075 -> 0.0066 s a step, three runs
 * each).  The order in which vertices are added cannot change the state. */
typedef struct fl_event_pend {
    fl_u32 v[FL_EVENT_CHUNK];
    fl_u32 len;
} fl_event_pend;

/* Lists v at the front (down at t+1) or, with gone, at the back. */
FL_INLINE void fl_event_list(fl_event_out *o, fl_u32 v, int gone)
{
    if (o->k == o->top) {
        o->full = 1;
    } else if (gone) {
        FL_PREFETCH(o->bits + (v >> 6)); /* cleared at the end of the step */
        o->nxt[--o->top] = v;
    } else {
        o->nxt[o->k++] = v;
    }
}

/* Adds the held vertices that are up at t. */
FL_INLINE void fl_event_flush(fl_event_out *o, fl_event_pend *p)
{
    for (fl_u32 i = 0; i < p->len; i++) {
        fl_u32 v = p->v[i];
        if (fl_event_test(o->bits, v)) /* down at t, or added already */
            continue;
        if (o->k == o->top) {
            o->full = 1;
            continue;
        }
        fl_event_put(o->bits, v, 1u);
        o->nxt[o->k++] = v;
    }
    p->len = 0;
}

/* Holds v back (flushing when full). */
FL_INLINE void fl_event_later(fl_event_out *o, fl_event_pend *p, fl_u32 v)
{
    FL_PREFETCH(o->bits + (v >> 6));
    p->v[p->len++] = v;
    if (p->len == FL_EVENT_CHUNK)
        fl_event_flush(o, p);
}

/* The event form's parameters of a vertex, in one 16-byte record of ev[]
 * (the source's ev[] is its only read in most steps: host/graph.c): */
#define FL_EV 4u
#define FL_EV_REPAIR 0u /* p_repair; 0 when forced down */
#define FL_EV_ANY 1u    /* 1 - s^d, the chance that some out-edge transmits (fl_push_any); 0 when d = 0 */
#define FL_EV_TAB 2u    /* push_tab */
#define FL_EV_E0 3u     /* the first out-edge (out_off); the next vertex's is the end */

/* The targets in out_dst of the event form carry this bit where they have
 * no threshold (never hit), so that a transmission reads nothing more. */
#define FL_EV_NO_HIT 0x80000000u

/* Vertex u, down at t in `trial`: its repair; returns its block 0, whose
 * v[1] says whether some out-edge transmits (fl_event_send). */
FL_INLINE philox4x32_ctr_t fl_event_source(const fl_graph *g, fl_rng r, fl_u64 trial, fl_event_out *o, fl_u32 u)
{
    fl_u32 p_repair = g->ev[FL_EV * u + FL_EV_REPAIR];
    philox4x32_ctr_t x = fl_event_block(r, trial, u, FL_RNG_EVENT, 0u);
    fl_event_list(o, u, p_repair == FL_P_ONE || x.v[0] < p_repair);
    return x;
}

/* The transmissions of u, down at t in `trial`, given its block 0 x, in
 * which some out-edge transmits. */
FL_INLINE void fl_event_send(const fl_graph *g, fl_rng r, fl_u64 trial, fl_event_out *o, fl_event_pend *pend, fl_u32 u,
                             philox4x32_ctr_t x)
{
    FL_GLOBAL const fl_u32 *ev = g->ev + FL_EV * u;
    fl_u32 tab = ev[FL_EV_TAB], e0 = ev[FL_EV_E0];
    fl_u32 deg = ev[FL_EV + FL_EV_E0] - e0, lg = fl_bitlen(deg);
    fl_u64 none = fl_sparse_pow(g->push_pw + tab, lg, deg); /* s^d */
    fl_u64 pw[FL_PUSH_LG];
    for (fl_u32 b = 0; b < lg; b++)
        pw[b] = g->push_pw[tab + b];
    fl_u32 pos = fl_push_first(fl_block_u64(x, 1u), none, pw, lg, deg);
    for (fl_u32 i = 0;; i++) {
        fl_u32 v = g->out_dst[e0 + pos];
        if (!(v & FL_EV_NO_HIT))
            fl_event_later(o, pend, v);
        if (++pos == deg)
            break;
        if ((i & 1u) == 0) /* uniform i of the gaps: block 1 + i / 2, half i % 2 */
            x = fl_event_block(r, trial, u, FL_RNG_EVENT, 1u + (i >> 1));
        fl_u32 K = fl_sparse_gap(fl_block_u64(x, i & 1u), pw, lg);
        if (K >= deg - pos)
            break;
        pos += K;
    }
}

/* Powers per fail class in fail_pw: s^(2^b) for b <= 32. */
#define FL_EVENT_PW 33u

/* The spontaneous crashes of `trial`: per fail class, geometric skipping
 * over its vertices (uniform i: block i / 2, half i % 2). */
FL_INLINE void fl_event_crashes(const fl_graph *g, fl_rng r, fl_u64 trial, fl_event_out *o, fl_event_pend *pend)
{
    for (fl_u32 c = 0; c < g->nfail; c++) {
        fl_u32 first = g->fail_off[c], len = g->fail_off[c + 1] - first, lg = fl_bitlen(len);
        fl_u32 base = g->fail_base[c];
        fl_u64 pw[FL_EVENT_PW];
        for (fl_u32 b = 0; b <= lg; b++)
            pw[b] = g->fail_pw[(fl_u64)c * FL_EVENT_PW + b];
        philox4x32_ctr_t x = {{0u, 0u, 0u, 0u}};
        for (fl_u32 i = 0, pos = 0; pos < len; i++) {
            if ((i & 1u) == 0)
                x = fl_event_block(r, trial, c, FL_RNG_EVENT_FAIL, i >> 1);
            fl_u64 V = fl_block_u64(x, i & 1u);
            if (V < pw[lg]) /* the gap reaches 2^lg > len: no more crashes */
                break;
            fl_u32 K = fl_sparse_gap(V, pw, lg);
            if (K >= len - pos)
                break;
            pos += K;
            fl_event_later(o, pend, base != FL_NO_INDEX ? base + pos : g->fail_list[first + pos]);
            pos++;
        }
    }
}

/*
 * Step r.step of one trial: bits and cur[0 .. ncur) are its state at t (a
 * bitmap and a list of the same vertices); writes the list of the state at
 * t+1 to nxt (room for cap entries, also used for the repaired ones) and
 * turns bits into the state at t+1.  Returns the length of the new list, or
 * FL_EVENT_FULL when the room did not suffice: then bits is as it was, and
 * the caller may give more room and call again (the draws are addressed,
 * so the second call draws the same).  The down vertices are listed
 * FL_EVENT_CHUNK at a time and their ev[] asked for before the draws.
 */
FL_INLINE fl_u32 fl_event_step(const fl_graph *g, fl_rng r, fl_u64 trial, FL_GLOBAL fl_word *bits,
                               FL_GLOBAL const fl_u32 *cur, fl_u32 ncur, FL_GLOBAL fl_u32 *nxt, fl_u32 cap)
{
    fl_event_out o;
    o.bits = bits;
    o.nxt = nxt;
    o.k = 0;
    o.top = cap;
    o.full = 0;
    fl_event_pend pend;
    pend.len = 0;
    fl_event_crashes(g, r, trial, &o, &pend); /* first: their words come in meanwhile */
    /* per chunk: the sources' parameters asked for, their draws, then the
     * walks of those that transmit, whose out-edges were asked for in
     * between (workload (b): 0.0040 -> 0.0034 s a step, with the next
     * chunk's parameters asked for ahead; single runs) */
    fl_u32 send[FL_EVENT_CHUNK];
    philox4x32_ctr_t sx[FL_EVENT_CHUNK];
    for (fl_u32 j = 0; j < ncur && j < FL_EVENT_CHUNK; j++)
        FL_PREFETCH(g->ev + FL_EV * cur[j]);
    for (fl_u32 i = 0; i < ncur; i += FL_EVENT_CHUNK) {
        fl_u32 end = ncur - i > FL_EVENT_CHUNK ? i + FL_EVENT_CHUNK : ncur, nsend = 0;
        for (fl_u32 j = end; j < ncur && j < end + FL_EVENT_CHUNK; j++) /* the next chunk's */
            FL_PREFETCH(g->ev + FL_EV * cur[j]);
        for (fl_u32 j = i; j < end; j++) {
            fl_u32 u = cur[j];
            philox4x32_ctr_t x = fl_event_source(g, r, trial, &o, u);
            if (x.v[1] < g->ev[FL_EV * u + FL_EV_ANY]) {
                FL_PREFETCH(g->out_dst + g->ev[FL_EV * u + FL_EV_E0]);
                send[nsend] = u;
                sx[nsend++] = x;
            }
        }
        for (fl_u32 k = 0; k < nsend; k++)
            fl_event_send(g, r, trial, &o, &pend, send[k], sx[k]);
    }
    fl_event_flush(&o, &pend);
    if (o.full) { /* back to the state at t: clear what was listed, set cur */
        for (fl_u32 j = 0; j < o.k; j++)
            fl_event_put(bits, nxt[j], 0u);
        for (fl_u32 j = 0; j < ncur; j++)
            fl_event_put(bits, cur[j], 1u);
        return FL_EVENT_FULL;
    }
    for (fl_u32 j = o.top; j < cap; j++) /* repaired: up at t+1 */
        fl_event_put(bits, nxt[j], 0u);
    return o.k;
}

/* The initial state of one trial: the vertices of init_list (ninit, at
 * most the list's room), and their bitmap init_bits. */
FL_INLINE void fl_event_init(fl_u32 n, FL_GLOBAL const fl_word *init_bits, FL_GLOBAL const fl_u32 *init_list,
                             fl_u32 ninit, FL_GLOBAL fl_word *bits, FL_GLOBAL fl_u32 *list)
{
    for (fl_u32 j = 0; j < fl_event_nbw(n); j++)
        bits[j] = init_bits[j];
    for (fl_u32 i = 0; i < ninit; i++)
        list[i] = init_list[i];
}

/* The lanes of word w (trials 64 w .. 64 w + 63 of a batch whose bitmaps
 * start at bits) in which at least k of the targets are down, as
 * fl_tally_system. */
FL_INLINE fl_word fl_event_system(fl_u32 n, FL_GLOBAL const fl_word *bits, FL_GLOBAL const fl_u32 *target,
                                  fl_u32 ntarget, fl_u32 k, fl_u32 w)
{
    fl_word out = 0;
    if (ntarget == 0 || k == 0 || k > ntarget)
        return 0;
    for (fl_u32 lane = 0; lane < 64u; lane++) {
        FL_GLOBAL const fl_word *b = bits + (fl_u64)(64u * w + lane) * fl_event_nbw(n);
        fl_u32 c = 0;
        for (fl_u32 i = 0; i < ntarget; i++)
            c += fl_event_test(b, target[i]);
        out |= (fl_word)(c >= k) << lane;
    }
    return out;
}

/* C(t+1) and D(t+1) from C(t), Cb and I (steps 3 and 4). */
FL_INLINE fl_word fl_crashed_next(fl_vparam vp, fl_word C, fl_word Cb, fl_word I)
{
    return (vp.flags & FL_F_CRASH) ? (Cb | (~C & I)) : Cb;
}

FL_INLINE fl_word fl_down_next(fl_vparam vp, fl_word Cn, fl_word I)
{
    return (vp.flags & FL_F_CRASH) ? Cn : (Cn | I);
}

/* Step 5 and the end of the step: the crash age, then C = C(t+1). */
FL_INLINE void fl_commit(const fl_graph *g, fl_state s, fl_vparam vp, fl_u32 v, fl_u32 w, fl_word Cn)
{
    fl_u32 nw = g->nw;
    fl_u64 at = (fl_u64)v * nw + w;
    if (vp.age_nb) {
        fl_word a[FL_MAX_PLANES];
        FL_GLOBAL fl_word *ag = s.cnt + (fl_u64)vp.age_off * nw + w;
        fl_word stay = s.C[at] & Cn;
        fl_bs_load(a, ag, vp.age_nb, nw);
        for (fl_u32 b = 0; b < vp.age_nb; b++)
            a[b] &= stay;
        /* a only matters up to detect_delay: saturate there */
        fl_bs_inc(a, vp.age_nb, stay & ~fl_bs_ge(a, vp.age_nb, vp.detect_delay));
        fl_bs_store(ag, a, vp.age_nb, nw);
    }
    s.C[at] = Cn;
}

/* One word of the synchronous step in push mode (fl_step_words_n): the
 * hits come from s.I (pushed), which is cleared, and D(t+1) is pushed for
 * the next step as soon as it is known. */
FL_INLINE fl_word fl_step_word_push(const fl_graph *g, fl_state s, fl_rng r, fl_vparam vp, fl_u32 v, fl_u32 w,
                                    fl_word C, fl_word F, fl_word pushed)
{
    fl_u64 at = (fl_u64)v * g->nw + w;
    fl_word Cb = fl_vertex_base(g, s, r, v, w, F);
    fl_word I = vp.theta != 0 ? fl_hit_need(vp, C, Cb) & pushed : 0;
    if (pushed)
        s.I[at] = 0;
    fl_word Cn = fl_crashed_next(vp, C, Cb, I);
    fl_word Dn = fl_down_next(vp, Cn, I);
    if (s.Dn != s.C) /* else D is C (fl_step_words_n) */
        s.Dn[at] = Dn;
    fl_commit(g, s, vp, v, w, Cn);
    if (Dn != 0) { /* the next step's transmissions, from D(t+1) */
        r.step++;
        fl_push_word(g, s.In, s.Ivn, r, v, w, Dn);
    }
    return Dn;
}

/* The synchronous step of v in the pull form for its words w0 .. w0 + nwb
 * - 1 (fl_step_words_n), given C(t) and the crash draws F.  lane_u
 * (FL_F_LANE_U, a constant at each call so that each form compiles without
 * the other's tests): the repair lanes Rl are drawn with the hit, in one
 * comparison (fl_repair_purpose), and the base state after it. */
FL_INLINE void fl_step_words_pull(const fl_graph *g, fl_state s, fl_rng r, fl_vparam vp, fl_u32 v, fl_u32 w0,
                                  fl_u32 nwb, const fl_word *C, const fl_word *F, const int lane_u)
{
    fl_u64 at = (fl_u64)v * g->nw + w0;
    fl_word Cb[FL_WORDS], I[FL_WORDS];
    fl_word Rl[FL_WORDS];
    for (fl_u32 k = 0; k < nwb; k++) {
        fl_rng rk = r;
        rk.gword += k;
        if (lane_u) {
            Rl[k] = fl_repair_lanes(s, vp, at + k, C[k]);
            I[k] = ~C[k] & ~F[k]; /* fl_hit_need of a crash vertex: Cb is F where C is 0 */
        } else {
            Cb[k] = fl_vertex_base(g, s, rk, v, w0 + k, F[k]);
            I[k] = fl_hit_need(vp, C[k], Cb[k]); /* for now, the lanes to draw */
        }
    }
    fl_u32 xp = vp.p_repair;
#if !FL_IS_OPENCL
    if (nwb == FL_WORDS && vp.theta != 0 && vp.hit_tab != FL_NO_INDEX) {
        fl_word c[5][FL_WORDS];
        fl_count_down16(g, s.D, v, w0, I, c);
        /* the words with a counted (or repair) lane, then a draw for each of
         * them: one loop exit to mispredict instead of a branch per word */
        fl_u32 drawn = 0;
        for (fl_u32 k = 0; k < FL_WORDS; k++) {
            fl_word xl = lane_u ? Rl[k] : 0;
            drawn |= (fl_u32)((c[0][k] | c[1][k] | c[2][k] | c[3][k] | c[4][k] | xl) != 0) << k;
            I[k] = 0;
        }
        if (drawn == 0xFFFFu) /* dense states: every word, a constant trip count */
            for (fl_u32 k = 0; k < FL_WORDS; k++)
                I[k] = fl_hit_draw_word(g, r, v, c, k, vp.hit_tab, lane_u ? Rl[k] : 0, xp);
        else
            for (; drawn != 0; drawn &= drawn - 1u) {
                fl_u32 k = (fl_u32)__builtin_ctz(drawn);
                I[k] = fl_hit_draw_word(g, r, v, c, k, vp.hit_tab, lane_u ? Rl[k] : 0, xp);
            }
    } else
#endif
    {
        for (fl_u32 k = 0; k < nwb; k++) {
            fl_rng rk = r;
            rk.gword += k;
            I[k] = lane_u ? fl_hit_count(g, s.D, rk, v, w0 + k, I[k], vp.hit_tab, Rl[k], xp)
                          : fl_hit(g, s.D, rk, v, w0 + k, I[k]);
        }
    }
    if (lane_u) /* I holds the lanes hit (up at t) or repaired (crashed) */
        for (fl_u32 k = 0; k < nwb; k++) {
            fl_rng rk = r;
            rk.gword += k;
            Cb[k] = fl_vertex_base_r(g, s, rk, v, w0 + k, F[k], 1, I[k] & Rl[k]);
            I[k] &= ~C[k];
        }
    for (fl_u32 k = 0; k < nwb; k++) {
        fl_word Cn = fl_crashed_next(vp, C[k], Cb[k], I[k]);
        s.Dn[at + k] = fl_down_next(vp, Cn, I[k]);
        fl_commit(g, s, vp, v, w0 + k, Cn);
    }
}

/* fl_step_words_pull of a FL_F_LANE_U vertex, out of line: inlined beside
 * the other form, it made that one 11 % slower (the sparse SIS step pulled,
 * interleaved runs). */
FL_OUTLINE void fl_step_words_lane_u(const fl_graph *g, fl_state s, fl_rng r, fl_vparam vp, fl_u32 v, fl_u32 w0,
                                     fl_u32 nwb, const fl_word *C, const fl_word *F)
{
    if (nwb == FL_WORDS) /* a whole group: constant trip counts */
        fl_step_words_pull(g, s, r, vp, v, w0, FL_WORDS, C, F, 1);
    else
        fl_step_words_pull(g, s, r, vp, v, w0, nwb, C, F, 1);
}

/* The whole synchronous step of v (after fl_pool_grant) for its words
 * w0 .. w0 + nwb - 1, within one group (nwb <= FL_WORDS); r is the stream
 * of word w0 (word w0 + k has gword + k).  Returns, in push mode, the words
 * (bit k: word w0 + k) whose D(t+1) has a lane down; else 0. */
FL_INLINE fl_u32 fl_step_words_n(const fl_graph *g, fl_state s, fl_rng r, fl_u32 v, fl_u32 w0, fl_u32 nwb)
{
    fl_vparam vp = g->vp[v];
    fl_u64 at = (fl_u64)v * g->nw + w0;
    fl_word C[FL_WORDS], F[FL_WORDS];
    for (fl_u32 k = 0; k < nwb; k++)
        C[k] = s.C[at + k];
    fl_crash_draws(r, vp, v, nwb, C, F);
    if (vp.flags & FL_F_PUSH) {
        /* A word with no lane crashed at t (so none permanent, booting or
         * aged), none crashing and none hit stays so: C(t+1) = D(t+1) = 0
         * and nothing is pushed.  In sparse states that is most words. */
        int marked = s.Iv[v] != 0; /* else v's words of I are all 0: not read */
        /* A backend may pass Dn = D = C when the packer found D = C always
         * (fl_packed.d_is_c): then D(t+1) is the C(t+1) that fl_commit
         * stores, and nothing is written to Dn.  On the development VM the
         * sparse SIS step wrote its quiet words of Dn at memory speed. */
        int d_is_c = s.Dn == s.C;
        fl_word pushed[FL_WORDS];
        fl_u32 active = 0, down = 0; /* the words that are not quiet, then those whose D(t+1) is not 0 */
        for (fl_u32 k = 0; k < nwb; k++) {
            pushed[k] = marked ? s.I[at + k] : 0;
            active |= (fl_u32)((C[k] | F[k] | pushed[k]) != 0) << k;
            if (!d_is_c)
                s.Dn[at + k] = 0; /* the active words' D(t+1) follow */
        }
        /* one loop over the active words: a branch per word on whether it
         * is quiet, which the data decides, cost more (the sparse SIS step
         * took 0.0190 s with it, 0.0171 s so) */
        for (; active != 0; active &= active - 1u) {
            fl_u32 k = FL_CTZ64((fl_u64)active);
            fl_rng rk = r;
            rk.gword += k;
            if (fl_step_word_push(g, s, rk, vp, v, w0 + k, C[k], F[k], pushed[k]) != 0)
                down |= 1u << k;
        }
        return down;
    }
    if (vp.flags & FL_F_LANE_U)
        fl_step_words_lane_u(g, s, r, vp, v, w0, nwb, C, F);
    else
        fl_step_words_pull(g, s, r, vp, v, w0, nwb, C, F, 0);
    return 0;
}

/* fl_step_words_n; the OpenMP backend counts its tally from the words it
 * returns (step_push). */
FL_INLINE fl_u32 fl_step_words(const fl_graph *g, fl_state s, fl_rng r, fl_u32 v, fl_u32 w0, fl_u32 nwb)
{
    if (nwb == FL_WORDS) /* a whole group: constant trip counts */
        return fl_step_words_n(g, s, r, v, w0, FL_WORDS);
    return fl_step_words_n(g, s, r, v, w0, nwb);
}

/* Instant mode, phase 1: Cb, with I = 0 and D(t+1) = D(Cb, 0). */
FL_INLINE void fl_instant_base(const fl_graph *g, fl_state s, fl_rng r, fl_u32 v, fl_u32 w)
{
    fl_vparam vp = g->vp[v];
    fl_u64 at = (fl_u64)v * g->nw + w;
    fl_word C = s.C[at], F;
    fl_crash_draws(r, vp, v, 1u, &C, &F);
    fl_word Cb = fl_vertex_base(g, s, r, v, w, F);
    s.Cb[at] = Cb;
    s.I[at] = 0;
    s.Dn[at] = fl_down_next(vp, fl_crashed_next(vp, s.C[at], Cb, 0), 0);
}

/* Instant mode, phase 2 (repeated): I from the current D(t+1), then
 * D(t+1) from I.  Returns whether v's I changed.  Every vertex's hit is
 * computed from Dn before any Dn is rewritten: the caller runs
 * fl_instant_hit for all vertices, then fl_instant_down for all. */
FL_INLINE int fl_instant_hit(const fl_graph *g, fl_state s, fl_rng r, fl_u32 v, fl_u32 w)
{
    fl_vparam vp = g->vp[v];
    fl_u64 at = (fl_u64)v * g->nw + w;
    fl_word I = fl_hit(g, s.Dn, r, v, w, fl_hit_need(vp, s.C[at], s.Cb[at]));
    int changed = I != s.I[at];
    s.I[at] = I;
    return changed;
}

FL_INLINE void fl_instant_down(const fl_graph *g, fl_state s, fl_u32 v, fl_u32 w)
{
    fl_vparam vp = g->vp[v];
    fl_u64 at = (fl_u64)v * g->nw + w;
    s.Dn[at] = fl_down_next(vp, fl_crashed_next(vp, s.C[at], s.Cb[at], s.I[at]), s.I[at]);
}

/* Instant mode, last phase: C(t+1) and the crash age. */
FL_INLINE void fl_instant_commit(const fl_graph *g, fl_state s, fl_u32 v, fl_u32 w)
{
    fl_vparam vp = g->vp[v];
    fl_u64 at = (fl_u64)v * g->nw + w;
    fl_commit(g, s, vp, v, w, fl_crashed_next(vp, s.C[at], s.Cb[at], s.I[at]));
}

/* ------------------------------------------------------------- tallies */

/* Down trials of v in the current D, counting only the lanes of lanes[]. */
FL_INLINE fl_u32 fl_tally_vertex(fl_u32 nw, FL_GLOBAL const fl_word *D, FL_GLOBAL const fl_word *lanes, fl_u32 v)
{
    fl_u32 c = 0;
    for (fl_u32 w = 0; w < nw; w++)
        c += FL_POPCOUNT(D[(fl_u64)v * nw + w] & lanes[w]);
    return c;
}

/* Per-lane number of down vertices among v0 .. v1-1 (fewer than 2^21),
 * added up in bit-sliced counters and written to out[lane], 64 lanes. */
FL_INLINE void fl_tally_trials(fl_u32 nw, FL_GLOBAL const fl_word *D, fl_u32 v0, fl_u32 v1, fl_u32 w,
                               FL_GLOBAL fl_u32 *out)
{
    fl_word c[21];
    fl_u32 nb = fl_bitlen(v1 - v0);
    for (fl_u32 b = 0; b < nb; b++)
        c[b] = 0;
    for (fl_u32 v = v0; v < v1; v++)
        fl_bs_inc(c, nb, D[(fl_u64)v * nw + w]);
    fl_bs_unpack(c, nb, out);
}

/* Lanes in which at least k of the targets are down. */
FL_INLINE fl_word fl_tally_system(fl_u32 nw, FL_GLOBAL const fl_word *D, FL_GLOBAL const fl_u32 *target, fl_u32 ntarget,
                                  fl_u32 k, fl_u32 w)
{
    if (ntarget == 0 || k == 0 || k > ntarget)
        return 0;
    fl_u32 nb = fl_bitlen(ntarget);
    fl_word c[FL_MAX_PLANES];
    for (fl_u32 b = 0; b < nb; b++)
        c[b] = 0;
    for (fl_u32 i = 0; i < ntarget; i++)
        fl_bs_inc(c, nb, D[(fl_u64)target[i] * nw + w]);
    return fl_bs_ge(c, nb, k);
}

#endif
