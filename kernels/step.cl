/*
 * step.cl - the OpenCL kernels: thin __kernel wrappers around the step
 * functions of step.h, the same functions the OpenMP backend calls
 * (host/omp/backend_omp.c), so both backends compute bit for bit the same
 * trajectories.
 *
 * Each wrapper rebuilds the fl_graph / fl_state structs (private structs of
 * __global pointers) from its arguments and calls one function of step.h for
 * one (vertex or pool, trial word).  The NDRange is 2-D with the word in
 * dimension 0 and the vertex (or pool) in dimension 1, so that consecutive
 * work-items take consecutive words of one vertex and read consecutive words
 * of its in-neighbours (coalesced on a GPU).  Global sizes are rounded up to
 * the work-group size: work-items outside (nw, n) return at once.
 *
 * The host (host/cl/backend_cl.c) sets the arguments in the order of the
 * FL_GRAPH_ARGS, FL_STATE_ARGS and FL_RNG_ARGS lists below; the build embeds
 * this file preprocessed (cmake/embed_kernel.cmake), or loads it from disk
 * with FAULTLINE_KERNEL_SOURCE.
 */
#include "step.h"

/* Arguments 0..16: the packed graph (fl_graph, host/graph.h). */
#define FL_GRAPH_ARGS                                                                                                  \
    fl_u32 n, fl_u32 nw, FL_GLOBAL const fl_u64 *in_off, FL_GLOBAL const fl_u32 *in_src,                               \
        FL_GLOBAL const fl_u32 *in_eid, FL_GLOBAL const fl_u32 *in_q, FL_GLOBAL const fl_u32 *in_w,                    \
        FL_GLOBAL const fl_u64 *sup_off, FL_GLOBAL const fl_u32 *sup_src, FL_GLOBAL const fl_u32 *sup_eid,             \
        FL_GLOBAL const fl_vparam *vp, FL_GLOBAL const fl_pparam *pp, FL_GLOBAL const fl_u32 *members,                 \
        FL_GLOBAL const fl_u32 *hit_tab, FL_GLOBAL const fl_u64 *out_off, FL_GLOBAL const fl_u32 *out_dst,             \
        FL_GLOBAL const fl_u64 *push_pw

/* Arguments 17..28: the state (fl_state). */
#define FL_STATE_ARGS                                                                                                  \
    FL_GLOBAL fl_word *C, FL_GLOBAL fl_word *P, FL_GLOBAL fl_word *B, FL_GLOBAL const fl_word *D,                      \
        FL_GLOBAL fl_word *Dn, FL_GLOBAL fl_word *G, FL_GLOBAL fl_word *Cb, FL_GLOBAL fl_word *I,                      \
        FL_GLOBAL fl_word *In, FL_GLOBAL fl_u8 *Iv, FL_GLOBAL fl_u8 *Ivn, FL_GLOBAL fl_word *cnt

/* Arguments 29..32: the random stream of this step (fl_rng without the word). */
#define FL_RNG_ARGS fl_u32 key0, fl_u32 key1, fl_u32 t, fl_u32 gword0

#define FL_MAKE_GRAPH                                                                                                  \
    fl_graph g = {n,       nw, in_off, in_src,  in_eid,  in_q,    in_w,    sup_off, sup_src,                           \
                  sup_eid, vp, pp,     members, hit_tab, out_off, out_dst, push_pw}
#define FL_MAKE_STATE fl_state s = {C, P, B, D, Dn, G, Cb, I, In, Iv, Ivn, cnt}
#define FL_MAKE_RNG fl_rng r = {key0, key1, t, gword0 + w}

/* The (word, vertex) of this work-item; returns when outside the range. */
#define FL_ITEM(count)                                                                                                 \
    fl_u32 w = (fl_u32)get_global_id(0), v = (fl_u32)get_global_id(1);                                                 \
    if (w >= nw || v >= (count))                                                                                       \
    return

/* Step 2, permanent case: dimension 1 runs over the pools. */
FL_KERNEL void fl_k_pool_grant(FL_GRAPH_ARGS, FL_STATE_ARGS, fl_u32 npool)
{
    FL_ITEM(npool);
    FL_MAKE_GRAPH;
    FL_MAKE_STATE;
    fl_pool_grant(&g, s, v, w);
}

/* The synchronous step of one vertex. */
FL_KERNEL void fl_k_step(FL_GRAPH_ARGS, FL_STATE_ARGS, FL_RNG_ARGS)
{
    FL_ITEM(n);
    FL_MAKE_GRAPH;
    FL_MAKE_STATE;
    FL_MAKE_RNG;
    fl_step_words(&g, s, r, v, w, 1u);
}

/* Push mode, before the first step of a batch: the hits of step t from D. */
FL_KERNEL void fl_k_push_all(FL_GRAPH_ARGS, FL_STATE_ARGS, FL_RNG_ARGS)
{
    FL_ITEM(n);
    FL_MAKE_GRAPH;
    FL_MAKE_STATE;
    FL_MAKE_RNG;
    fl_push_all(&g, s, r, v, w);
}

/* Instant mode, phase 1. */
FL_KERNEL void fl_k_instant_base(FL_GRAPH_ARGS, FL_STATE_ARGS, FL_RNG_ARGS)
{
    FL_ITEM(n);
    FL_MAKE_GRAPH;
    FL_MAKE_STATE;
    FL_MAKE_RNG;
    fl_instant_base(&g, s, r, v, w);
}

/* Instant mode, phase 2a: *changed is set to 1 by every work-item whose hit
 * changed (all write the same value, so no atomics are needed); the host
 * clears it before and reads it after. */
FL_KERNEL void fl_k_instant_hit(FL_GRAPH_ARGS, FL_STATE_ARGS, FL_RNG_ARGS, FL_GLOBAL int *changed)
{
    FL_ITEM(n);
    FL_MAKE_GRAPH;
    FL_MAKE_STATE;
    FL_MAKE_RNG;
    if (fl_instant_hit(&g, s, r, v, w))
        *changed = 1;
}

/* Instant mode, phase 2b. */
FL_KERNEL void fl_k_instant_down(FL_GRAPH_ARGS, FL_STATE_ARGS)
{
    FL_ITEM(n);
    FL_MAKE_GRAPH;
    FL_MAKE_STATE;
    fl_instant_down(&g, s, v, w);
}

/* Instant mode, last phase. */
FL_KERNEL void fl_k_instant_commit(FL_GRAPH_ARGS, FL_STATE_ARGS)
{
    FL_ITEM(n);
    FL_MAKE_GRAPH;
    FL_MAKE_STATE;
    fl_instant_commit(&g, s, v, w);
}

/* ------------------------------------------------------- initial state */

/* Every trial word starts from the same state (host/graph.c): C, P and D
 * from one word per vertex, the rest 0.  P and B exist only when some
 * vertex can be lost permanently (perm), G only with pools and Cb and I in
 * instant mode (else they are placeholders too small to write). */
FL_KERNEL void fl_k_init_vertex(fl_u32 n, fl_u32 nw, FL_GLOBAL const fl_word *init_C, FL_GLOBAL const fl_word *init_P,
                                FL_GLOBAL fl_word *C, FL_GLOBAL fl_word *P, FL_GLOBAL fl_word *B, FL_GLOBAL fl_word *D,
                                FL_GLOBAL fl_word *Dn, FL_GLOBAL fl_word *G, FL_GLOBAL fl_word *Cb,
                                FL_GLOBAL fl_word *I, fl_u32 pooled, fl_u32 instant, fl_u32 perm)
{
    FL_ITEM(n);
    fl_u64 at = (fl_u64)v * nw + w;
    C[at] = init_C[v];
    if (perm) {
        P[at] = init_P[v];
        B[at] = 0;
    }
    D[at] = init_C[v];
    Dn[at] = 0;
    if (pooled)
        G[at] = 0;
    if (instant) {
        Cb[at] = 0;
        I[at] = 0;
    }
}

/* The counter planes: dimension 1 runs over the planes. */
FL_KERNEL void fl_k_init_planes(fl_u32 nplanes, fl_u32 nw, FL_GLOBAL const fl_word *init_cnt, FL_GLOBAL fl_word *cnt)
{
    FL_ITEM(nplanes);
    cnt[(fl_u64)v * nw + w] = init_cnt[v];
}

/* ------------------------------------------------------------- tallies */

/* Down trials of each vertex (1-D over vertices). */
FL_KERNEL void fl_k_tally_vertex(fl_u32 n, fl_u32 nw, FL_GLOBAL const fl_word *D, FL_GLOBAL const fl_word *lanes,
                                 FL_GLOBAL fl_u32 *out)
{
    fl_u32 v = (fl_u32)get_global_id(0);
    if (v >= n)
        return;
    out[v] = fl_tally_vertex(nw, D, lanes, v);
}

/* Down vertices per lane and block of `block` vertices: dimension 0 the
 * word, dimension 1 the block; out is [nblocks][nw][64]. */
FL_KERNEL void fl_k_tally_trials(fl_u32 n, fl_u32 nw, FL_GLOBAL const fl_word *D, fl_u32 block, fl_u32 nblocks,
                                 FL_GLOBAL fl_u32 *out)
{
    fl_u32 w = (fl_u32)get_global_id(0), blk = (fl_u32)get_global_id(1);
    if (w >= nw || blk >= nblocks)
        return;
    fl_u32 v0 = blk * block;
    fl_u32 v1 = n - v0 > block ? v0 + block : n;
    fl_tally_trials(nw, D, v0, v1, w, out + ((fl_u64)blk * nw + w) * 64u);
}

/* The counts of fl_k_tally_trials added up by `per` blocks: dimension 0 the
 * (word, lane), dimension 1 the output block; sub is [nsub][nw][64], out
 * [nblocks][nw][64]. */
FL_KERNEL void fl_k_tally_sum(fl_u32 nw, fl_u32 nsub, fl_u32 per, fl_u32 nblocks, FL_GLOBAL const fl_u32 *sub,
                              FL_GLOBAL fl_u32 *out)
{
    fl_u32 i = (fl_u32)get_global_id(0), blk = (fl_u32)get_global_id(1), row = nw * 64u;
    if (i >= row || blk >= nblocks)
        return;
    fl_u32 s0 = blk * per, s1 = nsub - s0 > per ? s0 + per : nsub, c = 0;
    for (fl_u32 s = s0; s < s1; s++)
        c += sub[(fl_u64)s * row + i];
    out[(fl_u64)blk * row + i] = c;
}

/* Lanes with the system down, per word (1-D over words). */
FL_KERNEL void fl_k_tally_system(fl_u32 nw, FL_GLOBAL const fl_word *D, FL_GLOBAL const fl_u32 *target, fl_u32 ntarget,
                                 fl_u32 k, FL_GLOBAL fl_word *out)
{
    fl_u32 w = (fl_u32)get_global_id(0);
    if (w >= nw)
        return;
    out[w] = fl_tally_system(nw, D, target, ntarget, k, w);
}

/* ------------------------------------------------------------ event form */

/* The event form's graph (fl_event_step reads only these fields). */
#define FL_EVENT_ARGS                                                                                                  \
    fl_u32 n, FL_GLOBAL const fl_u32 *out_dst, FL_GLOBAL const fl_u64 *push_pw, FL_GLOBAL const fl_u32 *fail_off,      \
        FL_GLOBAL const fl_u32 *fail_list, FL_GLOBAL const fl_u32 *fail_base, FL_GLOBAL const fl_u64 *fail_pw,         \
        FL_GLOBAL const fl_u32 *ev, fl_u32 nfail

/* The initial state of each trial of the batch (1-D over its ntr trials):
 * bitmaps of nbw words, lists with room for cap vertices. */
FL_KERNEL void fl_k_event_init(fl_u32 n, fl_u32 ntr, FL_GLOBAL const fl_word *init_bits,
                               FL_GLOBAL const fl_u32 *init_list, fl_u32 ninit, FL_GLOBAL fl_word *bits,
                               FL_GLOBAL fl_u32 *list, FL_GLOBAL fl_u32 *len, fl_u32 cap)
{
    fl_u32 j = (fl_u32)get_global_id(0);
    if (j >= ntr)
        return;
    fl_event_init(n, init_bits, init_list, ninit, bits + (fl_u64)j * fl_event_nbw(n), list + (fl_u64)j * cap);
    len[j] = ninit;
}

/* Step t of each trial of the batch (1-D over trials), from the lists cur
 * to nxt; full[j] says whether trial j's lists were too small (then it
 * kept its state).  With redo, only those trials step. */
FL_KERNEL void fl_k_event_step(FL_EVENT_ARGS, fl_u32 ntr, FL_GLOBAL fl_word *bits, FL_GLOBAL const fl_u32 *cur,
                               FL_GLOBAL const fl_u32 *cur_len, FL_GLOBAL fl_u32 *nxt, FL_GLOBAL fl_u32 *nxt_len,
                               fl_u32 cap, FL_GLOBAL fl_u32 *full, fl_u32 redo, FL_RNG_ARGS)
{
    fl_u32 j = (fl_u32)get_global_id(0);
    if (j >= ntr || (redo && !full[j]))
        return;
    fl_graph g = {0};
    g.n = n;
    g.out_dst = out_dst;
    g.push_pw = push_pw;
    g.fail_off = fail_off;
    g.fail_list = fail_list;
    g.fail_base = fail_base;
    g.fail_pw = fail_pw;
    g.ev = ev;
    g.nfail = nfail;
    fl_rng r = {key0, key1, t, 0u};
    fl_u32 k = fl_event_step(&g, r, (fl_u64)gword0 * 64u + j, bits + (fl_u64)j * fl_event_nbw(n), cur + (fl_u64)j * cap,
                             cur_len[j], nxt + (fl_u64)j * cap, cap);
    full[j] = k == FL_EVENT_FULL;
    if (k != FL_EVENT_FULL)
        nxt_len[j] = k;
}

/* The tally of the lists (1-D over trials): each trial's count in parts
 * (the first block's row of fl_tally.trial_parts) and one added to
 * vertex_down (zeroed before) for each of its vertices, for the trials of
 * lanes[]. */
FL_KERNEL void fl_k_event_tally(fl_u32 ntr, FL_GLOBAL const fl_word *lanes, FL_GLOBAL const fl_u32 *list,
                                FL_GLOBAL const fl_u32 *len, fl_u32 cap, FL_GLOBAL fl_u32 *vertex_down,
                                FL_GLOBAL fl_u32 *parts)
{
    fl_u32 j = (fl_u32)get_global_id(0);
    if (j >= ntr)
        return;
    fl_u32 in = (fl_u32)(lanes[j >> 6] >> (j & 63u)) & 1u;
    parts[j] = in ? len[j] : 0u;
    for (fl_u32 i = 0; in && i < len[j]; i++)
        atomic_inc(vertex_down + list[(fl_u64)j * cap + i]);
}

/* Lanes with the system down, per word (1-D over the nw words). */
FL_KERNEL void fl_k_event_system(fl_u32 n, fl_u32 nw, FL_GLOBAL const fl_word *bits, FL_GLOBAL const fl_u32 *target,
                                 fl_u32 ntarget, fl_u32 k, FL_GLOBAL fl_word *out)
{
    fl_u32 w = (fl_u32)get_global_id(0);
    if (w >= nw)
        return;
    out[w] = fl_event_system(n, bits, target, ntarget, k, w);
}
