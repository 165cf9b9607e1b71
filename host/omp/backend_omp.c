/*
 * backend_omp.c - the OpenMP backend: the kernels of kernels/step.h called
 * from parallel loops over vertices (outer) and trial words (inner).
 *
 * Every function of step.h writes only the words of its own (vertex, word)
 * and reads the others' words from the previous buffer, so the loops need
 * no atomics, and the result cannot depend on the thread count or the
 * schedule: every draw is addressed by its counter, every sum is integer.
 * The one exception is push mode, whose transmissions set lanes of their
 * targets' next-step hits with atomic OR: an OR of the same lanes in any
 * order gives the same words.  The event form (fl_event_step) runs one
 * trial per iteration instead, each writing only its own bitmap and lists.
 */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "mem.h"
#include "say.h"
#include "step.h"

typedef struct omp_backend {
    const fl_packed *pk;
    const fl_layout *L;
    uint32_t nw;          /* words of the current batch (all of L's) */
    uint32_t gword0;      /* its first global word */
    const fl_word *lanes; /* its lanes */
    fl_graph g;
    fl_state s;
    fl_word *D0, *D1; /* D at t and t+1, swapped after each step; both s.C when d_is_c */
    int d_is_c;
    uint32_t pushed; /* push mode: the step whose hits s.I holds (UINT32_MAX: none) */
    void *tally_mem[3];
    fl_tally ty[2]; /* the two tally slots, computed at once */
    fl_tally pend;  /* push mode: the tally of D(t+1), counted by the step (step_push) */
    int pend_valid; /* pend holds the tally of the current state */
    /* the event form (fl_event_step): per trial of the batch, its bitmap
     * (nbw words in bits) and two lists with room for cap vertices each
     * (the state at t in list[par], of len[par] vertices); full: the trials
     * whose step found too little room; per thread, the down trials of each
     * vertex (count_event) */
    fl_word *bits;
    uint32_t *list[2], *len[2], cap, par;
    uint8_t *full;
    uint32_t *vcount;
    char device[64];
} omp_backend;

/* A zeroed state plane of `words` words from fl_i_big_alloc: 2 MiB aligned,
 * on huge pages where the system gives them (the step reads D(t) at random,
 * one word per in-edge).  On the development VM, which gives no huge pages,
 * this still made the sparse SIS step 10 % faster than malloc (bench_step,
 * n = 200000, q = 0.005: 2.95 -> 2.63 s for 30 steps, interleaved runs).
 * Zeroed by `threads` threads: the first touch of fresh pages, which the
 * kernel clears, is most of the cost (0.1 s a plane of 200,000 vertices x
 * 1024 trials with one thread on the development VM). */
static fl_word *plane_alloc(size_t words, int threads)
{
    return fl_i_big_alloc_zero(words * sizeof(fl_word), threads);
}

static int omp_open(void **self, const fl_packed *pk, const fl_layout *L, char *err, size_t err_size)
{
    uint32_t nw = L->nw;
    size_t words = (size_t)pk->n * nw;
    omp_backend *b = calloc(1, sizeof *b);
    *self = NULL;
    if (!b)
        goto nomem;
    b->pk = pk;
    b->L = L;
    if (pk->event) { /* bitmaps and lists only, first written by omp_begin's threads */
        size_t ntr = (size_t)nw * 64u;
        b->cap = fl_i_event_room(pk);
        b->bits = fl_i_big_alloc((ntr * fl_event_nbw(pk->n) + 1) * sizeof(fl_word));
        b->vcount = calloc((size_t)L->threads * ((size_t)pk->n + 1), sizeof *b->vcount);
        b->full = calloc(ntr, 1);
        if (!b->bits || !b->vcount || !b->full)
            goto nomem;
        for (int i = 0; i < 2; i++) {
            b->list[i] = malloc(ntr * b->cap * sizeof(uint32_t));
            b->len[i] = calloc(ntr, sizeof(uint32_t));
            if (!b->list[i] || !b->len[i])
                goto nomem;
        }
        words = 0; /* no planes */
    }
    /* +1: calloc(0) may return NULL on an empty graph */
    b->s.C = plane_alloc(words + 1, L->threads);
    /* P and B only where a vertex can be lost permanently (graph.h) */
    b->s.P = pk->any_perm ? plane_alloc(words + 1, L->threads) : NULL;
    b->s.B = pk->any_perm ? plane_alloc(words + 1, L->threads) : NULL;
    /* D is C in push mode where the packer found so (graph.h, d_is_c):
     * neither D plane is kept, and the steps write no D (step.h) */
    b->d_is_c = pk->d_is_c; /* packed only for synchronous runs that push */
    b->D0 = b->d_is_c ? b->s.C : plane_alloc(words + 1, L->threads);
    b->D1 = b->d_is_c ? b->s.C : plane_alloc(words + 1, L->threads);
    b->s.G = pk->npool ? plane_alloc(words + 1, L->threads) : NULL;
    b->s.cnt = plane_alloc((size_t)pk->nplanes * nw + 1, L->threads);
    if (L->propagation == FL_PROP_INSTANT) {
        b->s.Cb = plane_alloc(words + 1, L->threads);
        if (!b->s.Cb)
            goto nomem;
    }
    /* I: the hit in instant mode; I and In: the pushed hits in push mode */
    if (L->propagation == FL_PROP_INSTANT || pk->push) {
        b->s.I = plane_alloc(words + 1, L->threads);
        if (!b->s.I)
            goto nomem;
    }
    if (L->propagation == FL_PROP_SYNCHRONOUS && pk->push) {
        b->s.In = plane_alloc(words + 1, L->threads);
        b->s.Iv = calloc((size_t)pk->n + 1, 1);
        b->s.Ivn = calloc((size_t)pk->n + 1, 1);
        if (!b->s.In || !b->s.Iv || !b->s.Ivn)
            goto nomem;
    }
    if (!b->s.C || (pk->any_perm && (!b->s.P || !b->s.B)) || !b->D0 || !b->D1 || (pk->npool && !b->s.G) || !b->s.cnt)
        goto nomem;
    for (int i = 0; i < 3; i++) {
        b->tally_mem[i] = malloc(fl_i_tally_bytes(pk->n, nw));
        if (!b->tally_mem[i])
            goto nomem;
        fl_i_tally_carve(i < 2 ? &b->ty[i] : &b->pend, b->tally_mem[i], pk->n, nw);
    }
    snprintf(b->device, sizeof b->device, "CPU, %d OpenMP threads", L->threads);
    *self = b;
    return FL_OK;
nomem:
    snprintf(err, err_size, "out of memory allocating the state of %u vertices x %u trial words", pk->n, nw);
    *self = b;
    fl_i_backend_openmp.close(self);
    return FL_E_NOMEM;
}

/* All the words fit in host memory: one batch. */
static uint32_t omp_batch_words(void *self)
{
    return ((omp_backend *)self)->L->nw;
}

static int omp_begin(void *self, uint32_t w0, uint32_t nw, char *err, size_t err_size)
{
    omp_backend *b = self;
    const fl_packed *pk = b->pk;
    (void)err;
    (void)err_size;
    b->nw = nw;
    b->gword0 = b->L->gword0 + w0;
    b->lanes = b->L->lanes + w0;
    b->g = fl_i_graph_view(pk, nw);
    if (pk->event) {
        size_t nbw = fl_event_nbw(pk->n);
#pragma omp parallel for schedule(static) num_threads(b->L->threads)
        for (uint32_t j = 0; j < 64u * nw; j++) {
            fl_event_init(pk->n, pk->init_bits, pk->init_list, pk->ninit, b->bits + j * nbw,
                          b->list[0] + (size_t)j * b->cap);
            b->len[0][j] = pk->ninit;
        }
        b->par = 0;
        b->pend_valid = 0;
        return FL_OK;
    }
#pragma omp parallel for schedule(static) num_threads(b->L->threads)
    for (uint32_t v = 0; v < pk->n; v++) {
        for (uint32_t w = 0; w < nw; w++) {
            size_t at = (size_t)v * nw + w;
            b->s.C[at] = pk->init_C[v];
            if (pk->any_perm) {
                b->s.P[at] = pk->init_P[v];
                b->s.B[at] = 0;
            }
            if (!b->d_is_c)
                b->D0[at] = pk->init_C[v];
            if (b->s.I)
                b->s.I[at] = 0;
            if (b->s.In)
                b->s.In[at] = 0;
        }
    }
    for (uint32_t p = 0; p < pk->nplanes; p++)
        for (uint32_t w = 0; w < nw; w++)
            b->s.cnt[(size_t)p * nw + w] = pk->init_cnt[p];
    if (b->s.Iv) {
        memset(b->s.Iv, 0, pk->n);
        memset(b->s.Ivn, 0, pk->n);
    }
    b->pushed = UINT32_MAX;
    b->pend_valid = 0;
    return FL_OK;
}

static fl_rng rng_for(const omp_backend *b, uint32_t t, uint32_t w)
{
    fl_rng r = {b->L->key0, b->L->key1, t, b->gword0 + w};
    return r;
}

/* How many vertices ahead the step asks for the in-neighbours' words
 * (bench_step, n = 200000: 1, 2, 4, 8, 16 and 32 tried; 8 was best, the
 * sparse SIS step 13 % faster than without). */
#define PREFETCH_AHEAD 8u

/* Asks for the words of v's in-neighbours ahead of time. */
static void prefetch_sources(const fl_graph *g, const fl_word *D, uint32_t v)
{
    size_t bytes = (size_t)g->nw * sizeof(fl_word);
    for (uint64_t e = g->in_off[v]; e < g->in_off[v + 1]; e++) {
        const char *p = (const char *)(D + (size_t)g->in_src[e] * g->nw);
        for (size_t o = 0; o < bytes; o += 64)
            __builtin_prefetch(p + o);
    }
}

/* The synchronous step of all words of v.  With parts (push mode), also
 * the tally of v's D(t+1): its down lanes in the range, returned, and one
 * added to parts[w * 64 + lane] for each down lane. */
static inline uint32_t step_vertex(const omp_backend *b, fl_state s, uint32_t t, uint32_t v, uint32_t *parts)
{
    uint32_t count = 0;
    for (uint32_t w = 0, nwb; w < b->nw; w += nwb) {
        /* the words of v up to the end of their group */
        nwb = FL_GROUP_WORDS - (b->gword0 + w) % FL_GROUP_WORDS;
        nwb = nwb < b->nw - w ? nwb : b->nw - w;
        uint32_t down = fl_step_words(&b->g, s, rng_for(b, t, w), v, w, nwb);
        for (; parts && down != 0; down &= down - 1u) { /* the words with a lane down */
            uint32_t k = w + (uint32_t)__builtin_ctz(down);
            fl_word x = s.Dn[(size_t)v * b->nw + k], in = b->lanes[k];
            for (; x != 0; x &= x - 1u) {
                uint32_t lane = (uint32_t)__builtin_ctzll(x);
                parts[k * 64u + lane]++;
                count += (uint32_t)(in >> lane) & 1u;
            }
        }
    }
    return count;
}

/*
 * The push-mode step, by tally blocks (FL_TALLY_BLOCK vertices, one thread
 * each), counting the tally of D(t+1) into b->pend as it goes (omp_tally
 * then only takes it): the step returns which of a vertex's words of
 * D(t+1) have a lane down, and those words are still in L1; in the sparse
 * states that push mode serves, most words have none.  The counts equal those of
 * tally_vertices and tally_group_trials.  Workload (b): the step 0.0209 ->
 * 0.0195 s (interleaved runs); the separate tally read the whole plane
 * with a branch per word.
 */
static void step_push(omp_backend *b, fl_state s, uint32_t t)
{
    uint32_t n = b->pk->n, nw = b->nw;
    uint32_t nblocks = (n + FL_TALLY_BLOCK - 1) / FL_TALLY_BLOCK;
    const fl_tally *out = &b->pend;
#pragma omp parallel for schedule(dynamic, 1) num_threads(b->L->threads)
    for (uint32_t blk = 0; blk < nblocks; blk++) {
        uint32_t v0 = blk * FL_TALLY_BLOCK, v1 = v0 + FL_TALLY_BLOCK < n ? v0 + FL_TALLY_BLOCK : n;
        uint32_t *parts = out->trial_parts + (size_t)blk * nw * 64u;
        memset(parts, 0, (size_t)nw * 64u * sizeof *parts);
        for (uint32_t v = v0; v < v1; v++)
            out->vertex_down[v] = step_vertex(b, s, t, v, parts);
    }
    b->pend_valid = 1;
}

/* The tally of the event form's current state into out: each trial's
 * count in the first block's row (the others 0), each vertex's count in
 * the thread's row of vcount, then added up; and the system per word. */
static void count_event(omp_backend *b, fl_tally *out)
{
    const fl_packed *pk = b->pk;
    uint32_t n = pk->n, nw = b->nw, nblocks = (n + FL_TALLY_BLOCK - 1) / FL_TALLY_BLOCK, p = b->par;
    if (nblocks > 1)
        memset(out->trial_parts + (size_t)nw * 64u, 0, (size_t)(nblocks - 1) * nw * 64u * sizeof *out->trial_parts);
#pragma omp parallel num_threads(b->L->threads)
    {
        uint32_t *vc = b->vcount + (size_t)omp_get_thread_num() * (n + 1);
#pragma omp for schedule(static)
        for (uint32_t j = 0; j < 64u * nw; j++) {
            int in = (int)(b->lanes[j / 64] >> (j % 64)) & 1;
            const uint32_t *list = b->list[p] + (size_t)j * b->cap;
            out->trial_parts[j] = in ? b->len[p][j] : 0;
            for (uint32_t i = 0; in && i < b->len[p][j]; i++)
                vc[list[i]]++;
        }
#pragma omp for schedule(static)
        for (uint32_t v = 0; v < n; v++) {
            uint32_t c = 0;
            for (int i = 0; i < b->L->threads; i++) {
                c += b->vcount[(size_t)i * (n + 1) + v];
                b->vcount[(size_t)i * (n + 1) + v] = 0;
            }
            out->vertex_down[v] = c;
        }
#pragma omp for schedule(static)
        for (uint32_t w = 0; w < nw; w++)
            out->system_down[w] = fl_event_system(n, b->bits, pk->target, pk->ntarget, pk->target_k, w);
    }
}

/* More room for the event form's lists (fl_i_event_more_room): the state at t
 * of every trial, and that of t+1 of the trials whose step fitted, move to
 * the new lists. */
static int grow_event(omp_backend *b, char *err, size_t err_size)
{
    size_t ntr = (size_t)b->nw * 64u, cap = fl_i_event_more_room(b->pk, b->cap);
    if (cap == 0)
        return fl_i_say(err, err_size, FL_E_INTERNAL, FL_EVENT_OVERFLOW, b->cap);
    for (uint32_t i = 0; i < 2; i++) {
        uint32_t *list = malloc(ntr * cap * sizeof *list);
        if (!list)
            return fl_i_say(err, err_size, FL_E_NOMEM, "out of memory growing the event form's lists to %zu vertices",
                            cap);
        for (size_t j = 0; j < ntr; j++)
            if (i == b->par || !b->full[j])
                memcpy(list + j * cap, b->list[i] + j * b->cap, b->len[i][j] * sizeof *list);
        free(b->list[i]);
        b->list[i] = list;
    }
    b->cap = (uint32_t)cap;
    return FL_OK;
}

/* The event form: one trial per iteration (dynamic: trials differ in how
 * many vertices they have down); the trials that find their lists too
 * small step again once they are grown.  The tally of the new state is
 * counted at once (as step_push). */
static int step_event(omp_backend *b, uint32_t t, char *err, size_t err_size)
{
    size_t nbw = fl_event_nbw(b->pk->n);
    fl_rng r = rng_for(b, t, 0);
    uint32_t cur = b->par, nxt = b->par ^ 1u;
    for (int redo = 0;; redo = 1) {
        int any = 0;
#pragma omp parallel for schedule(dynamic, 8) num_threads(b->L->threads) reduction(| : any)
        for (uint32_t j = 0; j < 64u * b->nw; j++) {
            if (redo && !b->full[j])
                continue;
            uint32_t k = fl_event_step(&b->g, r, (fl_u64)b->gword0 * 64u + j, b->bits + j * nbw,
                                       b->list[cur] + (size_t)j * b->cap, b->len[cur][j],
                                       b->list[nxt] + (size_t)j * b->cap, b->cap);
            b->full[j] = k == FL_EVENT_FULL;
            if (k != FL_EVENT_FULL)
                b->len[nxt][j] = k;
            any |= k == FL_EVENT_FULL;
        }
        if (!any)
            break;
        int status = grow_event(b, err, err_size);
        if (status != FL_OK)
            return status;
    }
    b->par = nxt;
    count_event(b, &b->pend);
    b->pend_valid = 1;
    return FL_OK;
}

/* Where the step counted the tally of its new state (step_push,
 * step_event): swaps it into *out (the slot's buffer becomes the next
 * step's) and returns 1; else 0. */
static int take_pend(omp_backend *b, fl_tally *out)
{
    if (!b->pend_valid)
        return 0;
    fl_tally tmp = *out;
    *out = b->pend;
    b->pend = tmp;
    b->pend_valid = 0;
    return 1;
}

static int omp_step(void *self, uint32_t t, char *err, size_t err_size)
{
    omp_backend *b = self;
    const fl_layout *L = b->L;
    const fl_graph *g = &b->g;
    uint32_t n = b->pk->n, nw = b->nw, npool = b->pk->npool;
    int threads = L->threads;
    if (b->pk->event)
        return step_event(b, t, err, err_size);
    b->s.D = b->D0;
    b->s.Dn = b->D1;
    fl_state s = b->s;

#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (uint32_t m = 0; m < npool; m++)
        for (uint32_t w = 0; w < nw; w++)
            fl_pool_grant(g, s, m, w);

    if (L->propagation == FL_PROP_SYNCHRONOUS) {
        /* push mode: each step pushes D(t+1) for the next; the first pushes D(t) */
        int push = b->pk->push;
        if (push && b->pushed != t) {
#pragma omp parallel for schedule(dynamic, 256) num_threads(threads)
            for (uint32_t u = 0; u < n; u++)
                for (uint32_t w = 0; w < nw; w++)
                    fl_push_all(g, s, rng_for(b, t, w), u, w);
        }
        if (push) {
            step_push(b, s, t);
        } else {
#pragma omp parallel for schedule(dynamic, 256) num_threads(threads)
            for (uint32_t v = 0; v < n; v++) {
                if (v + PREFETCH_AHEAD < n)
                    prefetch_sources(g, s.D, v + PREFETCH_AHEAD);
                step_vertex(b, s, t, v, NULL);
            }
        }
        if (push) {
            b->s.I = s.In; /* I is all clear again: it takes the next step's hits */
            b->s.In = s.I;
            b->s.Iv = s.Ivn;
            b->s.Ivn = s.Iv;
            memset(b->s.Ivn, 0, n);
            b->pushed = t + 1;
        }
    } else {
#pragma omp parallel for schedule(dynamic, 256) num_threads(threads)
        for (uint32_t v = 0; v < n; v++)
            for (uint32_t w = 0; w < nw; w++)
                fl_instant_base(g, s, rng_for(b, t, w), v, w);
        for (uint32_t round = 0;; round++) {
            int changed = 0;
#pragma omp parallel for schedule(dynamic, 256) num_threads(threads) reduction(| : changed)
            for (uint32_t v = 0; v < n; v++)
                for (uint32_t w = 0; w < nw; w++)
                    changed |= fl_instant_hit(g, s, rng_for(b, t, w), v, w);
            if (!changed)
                break;
            if (round > n)
                return fl_i_no_fixpoint(t, n, err, err_size);
#pragma omp parallel for schedule(dynamic, 256) num_threads(threads)
            for (uint32_t v = 0; v < n; v++)
                for (uint32_t w = 0; w < nw; w++)
                    fl_instant_down(g, s, v, w);
        }
#pragma omp parallel for schedule(dynamic, 256) num_threads(threads)
        for (uint32_t v = 0; v < n; v++)
            for (uint32_t w = 0; w < nw; w++)
                fl_instant_commit(g, s, v, w);
    }
    fl_word *tmp = b->D0;
    b->D0 = b->D1;
    b->D1 = tmp;
    return FL_OK;
}

/* fl_tally_vertex for the vertices v0 .. v1 - 1 and the words w0 .. w0 +
 * nwc - 1 (nwc <= FL_WORDS): adds to vertex_down[v].  Compiled with and
 * without the popcnt instruction (GCC otherwise calls a library function). */
FL_TARGET_CLONES("popcnt", "default")
static void tally_vertices(uint32_t nw, const fl_word *D, const fl_word *lanes, uint32_t v0, uint32_t v1, uint32_t w0,
                           uint32_t nwc, uint32_t *vertex_down)
{
    for (uint32_t v = v0; v < v1; v++) {
        const fl_word *x = D + (size_t)v * nw + w0;
        uint32_t down = 0;
        for (uint32_t k = 0; k < nwc; k++)
            down += (uint32_t)__builtin_popcountll(x[k] & lanes[w0 + k]);
        vertex_down[v] += down;
    }
}

/* c += lo, bit-sliced over nb planes (lo has 4), in both halves of a group. */
static inline void add_low_planes(fl_v8 c[][2], fl_v8 lo[4][2], uint32_t nb)
{
    for (int h = 0; h < 2; h++) {
        fl_v8 carry = lo[0][h] ^ lo[0][h];
        for (uint32_t b = 0; b < nb; b++) {
            fl_v8 a = c[b][h], l = b < 4 ? lo[b][h] : carry ^ carry;
            c[b][h] = a ^ l ^ carry;
            carry = (a & l) | (carry & (a ^ l));
        }
        for (int b = 0; b < 4; b++)
            lo[b][h] ^= lo[b][h];
    }
}

/* fl_tally_trials for the vertices v0 .. v1 - 1 (one block of
 * FL_TALLY_BLOCK) and a whole group of 16 words at w0, without a
 * branch: each vertex's 16 words go into 4 low planes (8-word vectors),
 * which are added into the block's planes every 15 vertices.  A branch per
 * word and carry (fl_bs_inc) was most of the tally's cost on dense states:
 * 8 % of the dense SIS step. */
FL_TARGET_CLONES("avx512f", "avx2", "default")
static void tally_group_trials(uint32_t nw, const fl_word *D, uint32_t v0, uint32_t v1, uint32_t w0, uint32_t *parts)
{
    fl_v8 c[21][2], lo[4][2];
    uint32_t nb = fl_bitlen(v1 - v0), pending = 0;
    for (uint32_t b = 0; b < nb; b++)
        c[b][0] = c[b][1] = (fl_v8){0};
    for (int b = 0; b < 4; b++)
        lo[b][0] = lo[b][1] = (fl_v8){0};
    for (uint32_t v = v0; v < v1; v++) {
        fl_v8 x[2];
        __builtin_memcpy(x, D + (size_t)v * nw + w0, sizeof x);
        for (int b = 0; b < 4; b++) {
            for (int h = 0; h < 2; h++) {
                fl_v8 t = lo[b][h];
                lo[b][h] = t ^ x[h];
                x[h] &= t;
            }
        }
        if (++pending == 15) { /* the low planes hold at most 15 */
            add_low_planes(c, lo, nb);
            pending = 0;
        }
    }
    add_low_planes(c, lo, nb);
    for (uint32_t k = 0; k < FL_WORDS; k++) {
        fl_word p[21];
        for (uint32_t b = 0; b < nb; b++)
            p[b] = c[b][k / 8][k % 8];
        fl_bs_unpack(p, nb, parts + k * 64u);
    }
}

static int omp_tally(void *self, int slot, char *err, size_t err_size)
{
    omp_backend *b = self;
    fl_tally *out = &b->ty[slot];
    const fl_packed *pk = b->pk;
    const fl_layout *L = b->L;
    uint32_t n = pk->n, nw = b->nw;
    uint32_t nblocks = (n + FL_TALLY_BLOCK - 1) / FL_TALLY_BLOCK;
    const fl_word *D = b->D0;
    int threads = L->threads;
    (void)err;
    (void)err_size;

    if (pk->event) { /* counted by the step, or now (the initial state) */
        if (!take_pend(b, out))
            count_event(b, out);
        return FL_OK;
    }
    if (take_pend(b, out)) { /* counted by the step (step_push): only the targets are left */
#pragma omp parallel for schedule(static) num_threads(threads)
        for (uint32_t w = 0; w < nw; w++)
            out->system_down[w] = fl_tally_system(nw, D, pk->target, pk->ntarget, pk->target_k, w);
        return FL_OK;
    }
#pragma omp parallel num_threads(threads)
    {
#pragma omp for schedule(dynamic, 1) nowait
        for (uint32_t blk = 0; blk < nblocks; blk++) {
            uint32_t v0 = blk * FL_TALLY_BLOCK;
            uint32_t v1 = v0 + FL_TALLY_BLOCK < n ? v0 + FL_TALLY_BLOCK : n;
            for (uint32_t v = v0; v < v1; v++)
                out->vertex_down[v] = 0;
            for (uint32_t w = 0; w < nw; w += FL_WORDS) {
                uint32_t nwc = nw - w < FL_WORDS ? nw - w : FL_WORDS;
                uint32_t *parts = out->trial_parts + ((size_t)blk * nw + w) * 64u;
                tally_vertices(nw, D, b->lanes, v0, v1, w, nwc, out->vertex_down);
                if (nwc == FL_WORDS)
                    tally_group_trials(nw, D, v0, v1, w, parts);
                else /* the words of a batch's last, partial group */
                    for (uint32_t k = 0; k < nwc; k++)
                        fl_tally_trials(nw, D, v0, v1, w + k, parts + k * 64u);
            }
        }
#pragma omp for schedule(static)
        for (uint32_t w = 0; w < nw; w++)
            out->system_down[w] = fl_tally_system(nw, D, pk->target, pk->ntarget, pk->target_k, w);
    }
    return FL_OK;
}

static int omp_tally_wait(void *self, int slot, const fl_tally **out, char *err, size_t err_size)
{
    (void)err;
    (void)err_size;
    *out = &((omp_backend *)self)->ty[slot];
    return FL_OK;
}

static const char *omp_device(void *self)
{
    return ((omp_backend *)self)->device;
}

static const char *omp_note(void *self)
{
    (void)self;
    return "";
}

static void omp_close(void **self)
{
    omp_backend *b = self ? *self : NULL;
    if (!b)
        return;
    free(b->s.C);
    free(b->s.P);
    free(b->s.B);
    if (!b->d_is_c) {
        free(b->D0);
        free(b->D1);
    }
    free(b->s.G);
    free(b->s.Cb);
    free(b->s.I);
    free(b->s.In);
    free(b->s.Iv);
    free(b->s.Ivn);
    free(b->s.cnt);
    for (int i = 0; i < 3; i++)
        free(b->tally_mem[i]);
    free(b->bits);
    free(b->list[0]);
    free(b->list[1]);
    free(b->len[0]);
    free(b->len[1]);
    free(b->full);
    free(b->vcount);
    free(b);
    *self = NULL;
}

const fl_backend_ops fl_i_backend_openmp = {"openmp",  omp_open,       omp_batch_words, omp_begin, omp_step,
                                            omp_tally, omp_tally_wait, omp_device,      omp_note,  omp_close};
