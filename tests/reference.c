/*
 * reference.c - the naive scalar simulator (see reference.h).
 */
#include "reference.h"

#include <Random123/philox.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h" /* fl_i_prob_fixed: the resolution of p is part of the contract */
#include "rng.h"

uint32_t ref_uniform32(uint64_t seed, uint32_t step, uint64_t trial, uint32_t entity, uint32_t purpose)
{
    uint32_t gword = (uint32_t)(trial / 64), lane = (uint32_t)(trial % 64), u = 0;
    philox4x32_key_t k = {{(uint32_t)seed, (uint32_t)(seed >> 32)}};
    for (uint32_t j = 0; j < 32; j++) {
        philox4x32_ctr_t c = {{step, gword, entity, purpose | ((j / 2) << 8)}};
        philox4x32_ctr_t x = philox4x32_R(10, c, k);
        uint64_t plane = (uint64_t)x.v[2 * (j % 2)] | ((uint64_t)x.v[2 * (j % 2) + 1] << 32);
        u |= (uint32_t)((plane >> lane) & 1u) << (31 - j);
    }
    return u;
}

/* Bernoulli(p) of one trial, p in fixed point: U < p, except that a small p
 * is drawn for the 64 trials of the word at once by geometric skipping
 * (rng.h). */
static int draw_fixed(uint32_t fixed, uint64_t seed, uint32_t step, uint64_t trial, uint32_t entity, uint32_t purpose)
{
    if (fixed == FL_P_ONE)
        return 1;
    if (fixed != 0 && fixed < FL_SPARSE_P) {
        fl_rng r = {(uint32_t)seed, (uint32_t)(seed >> 32), step, (uint32_t)(trial / 64)};
        return (int)((fl_bernoulli_sparse(r, entity, purpose, fixed) >> (trial % 64)) & 1u);
    }
    return ref_uniform32(seed, step, trial, entity, purpose) < fixed;
}

static int draw(double p, uint64_t seed, uint32_t step, uint64_t trial, uint32_t entity, uint32_t purpose)
{
    return draw_fixed(fl_i_prob_fixed(p), seed, step, trial, entity, purpose);
}

/* Uniform i (64 bits) of the push stream of u in one trial's lane. */
static uint64_t push_uniform(uint64_t seed, uint32_t step, uint64_t trial, uint32_t u, uint32_t i)
{
    philox4x32_key_t k = {{(uint32_t)seed, (uint32_t)(seed >> 32)}};
    uint32_t block = (uint32_t)(trial % 64) + 64u * (i / 2);
    philox4x32_ctr_t c = {{step, (uint32_t)(trial / 64), u, FL_RNG_PUSH_LANE | (block << 8)}};
    philox4x32_ctr_t x = philox4x32_R(10, c, k);
    return (uint64_t)x.v[2 * (i % 2)] | ((uint64_t)x.v[2 * (i % 2) + 1] << 32);
}

/* Block `block` of the event form's stream (entity, purpose) of one trial
 * (docs/randomness.md, "The event form"). */
static philox4x32_ctr_t event_block(uint64_t seed, uint32_t step, uint64_t trial, uint32_t entity, uint32_t purpose,
                                    uint32_t block)
{
    philox4x32_key_t k = {{(uint32_t)seed, (uint32_t)(seed >> 32)}};
    philox4x32_ctr_t c = {{step, (uint32_t)trial, entity, purpose | (uint32_t)(trial >> 32) | (block << 8)}};
    return philox4x32_R(10, c, k);
}

static uint64_t half64(philox4x32_ctr_t x, uint32_t h)
{
    return (uint64_t)x.v[2 * h] | ((uint64_t)x.v[2 * h + 1] << 32);
}

/* Uniform i (64 bits) of u's transmissions: in push mode the lane's stream
 * from its first uniform, in the event form the second half of block 0,
 * then the blocks from 1 on. */
static uint64_t walk_uniform(int event, uint64_t seed, uint32_t step, uint64_t trial, uint32_t u, uint32_t i)
{
    if (!event)
        return push_uniform(seed, step, trial, u, i);
    if (i == 0)
        return half64(event_block(seed, step, trial, u, FL_RNG_EVENT, 0), 1);
    return half64(event_block(seed, step, trial, u, FL_RNG_EVENT, 1 + (i - 1) / 2), (i - 1) % 2);
}

/* The event form's spontaneous crashes of one trial (kernels/step.h,
 * fl_event_crashes) into F: per class of vertices (not forced down) with
 * one p_fail > 0, classes in order of their first vertex, geometric
 * skipping over the class's vertices in increasing index. */
static void event_fails(const fl_model *md, uint64_t seed, uint32_t step, uint64_t trial, int *F)
{
    uint32_t n = md->n, keys[64], nkeys = 0;
    for (uint32_t v = 0; v < n; v++) {
        uint32_t p = fl_i_prob_fixed(md->vp[v].p_fail), c = 0;
        F[v] = 0;
        if (p == 0 || md->vp[v].initial == FL_INIT_FORCED_DOWN)
            continue;
        while (c < nkeys && keys[c] != p)
            c++;
        if (c == nkeys)
            keys[nkeys++] = p;
    }
    for (uint32_t c = 0; c < nkeys; c++) {
        uint32_t len = 0, lg = 0, i = 0;
        for (uint32_t v = 0; v < n; v++)
            len += fl_i_prob_fixed(md->vp[v].p_fail) == keys[c] && md->vp[v].initial != FL_INIT_FORCED_DOWN;
        while ((len >> lg) != 0)
            lg++;
        uint64_t pw[FL_EVENT_PW];
        fl_sparse_powers(keys[c], pw, FL_EVENT_PW);
        for (uint32_t pos = 0; pos < len;) {
            uint64_t V = half64(event_block(seed, step, trial, c, FL_RNG_EVENT_FAIL, i / 2), i % 2);
            i++;
            if (V < pw[lg])
                break;
            uint32_t K = fl_sparse_gap(V, pw, lg);
            if (K >= len - pos)
                break;
            pos += K;
            for (uint32_t v = 0, j = 0; v < n; v++) /* the class's vertex number pos */
                if (fl_i_prob_fixed(md->vp[v].p_fail) == keys[c] && md->vp[v].initial != FL_INIT_FORCED_DOWN &&
                    j++ == pos)
                    F[v] = 1;
            pos++;
        }
    }
}

/* Push mode and the event form (kernels/step.h, fl_push_word and
 * fl_event_source): X of the out-edges of u, which is down in this trial,
 * in increasing edge index: whether any transmits (1 - s^d), the first one
 * from a uniform mapped to [s^d, 1), the rest by geometric skipping. */
static void push_draws(const fl_model *md, uint32_t u, uint64_t seed, uint32_t step, uint64_t trial, int event, int *X)
{
    uint32_t d = 0, q = 0, lg = 0, j = 0;
    for (uint64_t e = 0; e < md->m; e++)
        if (md->edge_from[e] == u) {
            d++;
            q = fl_i_prob_fixed(fl_i_edge_q(md, e));
        }
    while ((d >> lg) != 0)
        lg++;
    uint64_t pw[FL_PUSH_LG], none = 0;
    fl_sparse_powers(q, pw, FL_PUSH_LG);
    for (uint32_t b = lg, k = 0; b-- > 0;) /* s^d, the products of fl_sparse_gap */
        if ((d >> b) & 1u) {
            none = k ? FL_MULHI64(none, pw[b]) : pw[b];
            k += 1u << b;
        }
    /* 1 - s^d rounded to 32 bits */
    uint64_t rest = 0 - none;
    uint64_t any = none == 0 ? FL_P_ONE - 1u : (rest >> 32) + ((rest >> 31) & 1u);
    uint32_t p_any = any >= FL_P_ONE ? FL_P_ONE - 1u : (uint32_t)any;
    if (d == 0)
        return;
    if (event ? event_block(seed, step, trial, u, FL_RNG_EVENT, 0).v[1] >= p_any
              : !draw_fixed(p_any, seed, step, trial, u, FL_RNG_PUSH))
        return;
    uint64_t V = walk_uniform(event, seed, step, trial, u, 0);
    uint32_t first = fl_sparse_gap(none ? none + FL_MULHI64(V, rest) : V, pw, lg), i = 1;
    uint32_t pos = first < d ? first : d - 1;
    for (uint32_t fire = pos;;) {
        for (uint64_t e = 0; e < md->m; e++) /* the out-edge number fire */
            if (md->edge_from[e] == u && j++ == fire)
                X[e] = 1;
        j = 0;
        pos = fire + 1;
        if (pos == d)
            break;
        uint32_t K = fl_sparse_gap(walk_uniform(event, seed, step, trial, u, i++), pw, lg);
        if (K >= d - pos)
            break;
        fire = pos + K;
    }
}

/* F_v of one trial: a sparse p_fail is drawn for the 1024 trials of a group
 * at once (rng.h, fl_fail_group); the whole group is drawn here. */
static int draw_fail(double p, uint64_t seed, uint32_t step, uint64_t trial, uint32_t v)
{
    uint32_t fixed = fl_i_prob_fixed(p);
    if (fixed == 0 || fixed >= FL_SPARSE_P)
        return draw(p, seed, step, trial, v, FL_RNG_FAIL);
    uint64_t group = trial / (64u * FL_GROUP_WORDS);
    fl_rng r = {(uint32_t)seed, (uint32_t)(seed >> 32), step, (uint32_t)(group * FL_GROUP_WORDS)};
    fl_word F[FL_GROUP_WORDS];
    fl_fail_group(r, v, fixed, fl_fail_none(fixed), FL_GROUP_WORDS, F);
    uint64_t lane = trial % (64u * FL_GROUP_WORDS);
    return (int)((F[lane / 64] >> (lane % 64)) & 1u);
}

/* The hit of v drawn directly from the number m of its down in-neighbours
 * (kernels/step.h, fl_hit_count): U < P(Binomial(m, q) >= k). */
static int draw_hit(const fl_packed *pk, uint32_t v, uint32_t m, uint64_t seed, uint32_t step, uint64_t trial)
{
    uint32_t p = pk->hit_tab[pk->vp[v].hit_tab + m];
    if (p == FL_P_ONE)
        return 1;
    return ref_uniform32(seed, step, trial, v, FL_RNG_HITV) < p;
}

/* C(t+1) and D(t+1) from C(t), the repair/crash outcome c and the hit. */
static int next_crashed(const fl_vertex_params *p, int C, int c, int hit)
{
    if (p->initial == FL_INIT_FORCED_DOWN)
        return 1;
    return c || (p->on_dependency == FL_DEP_CRASH && !C && hit);
}

static int next_down(const fl_vertex_params *p, int C, int c, int hit)
{
    return next_crashed(p, C, c, hit) || (p->on_dependency == FL_DEP_DEGRADE && hit);
}

void ref_free(ref_out *o)
{
    free(o->down_count);
    free(o->system_down);
    free(o->vertex_down);
    memset(o, 0, sizeof *o);
}

int ref_run(const fl_model *md, uint64_t seed, uint64_t first, uint64_t N, uint32_t T, int propagation, int hits,
            ref_out *o)
{
    uint32_t n = md->n;
    size_t T1 = (size_t)T + 1;
    o->down_count = calloc(N * T1, sizeof *o->down_count);
    o->system_down = calloc(N * T1, sizeof *o->system_down);
    o->vertex_down = calloc(N * T1 * n + 1, 1);
    int *C = calloc(n + 1, sizeof(int)), *P = calloc(n + 1, sizeof(int)), *B = calloc(n + 1, sizeof(int));
    int *k = calloc(n + 1, sizeof(int)), *D = calloc(n + 1, sizeof(int)), *I = calloc(n + 1, sizeof(int));
    int *Cn = calloc(n + 1, sizeof(int)), *Pn = calloc(n + 1, sizeof(int)), *Bn = calloc(n + 1, sizeof(int));
    int *kn = calloc(n + 1, sizeof(int)), *Dn = calloc(n + 1, sizeof(int)), *req = calloc(n + 1, sizeof(int));
    int *F = calloc(n + 1, sizeof(int)), *X = calloc(md->m + 1, sizeof(int)), *Fe = calloc(n + 1, sizeof(int));
    long *a = calloc(n + 1, sizeof(long)), *K = calloc(n + 1, sizeof(long));
    fl_packed pk;
    char err[256];
    if (fl_i_graph_pack(&pk, md, fl_i_step_form(hits, propagation), 1, err, sizeof err) != FL_OK)
        return -1;
    int push = pk.push, event = pk.event; /* packed only where this run may push */
    int ok = o->down_count && o->system_down && o->vertex_down && C && P && B && k && D && I && Cn && Pn && Bn && kn &&
             Dn && req && F && X && a && K && Fe;
    for (uint64_t tr = 0; ok && tr < N; tr++) {
        uint64_t trial = first + tr;
        for (uint32_t v = 0; v < n; v++) {
            uint8_t init = md->vp[v].initial;
            C[v] = init != FL_INIT_UP;
            P[v] = init == FL_INIT_PERMANENT;
            B[v] = 0;
            k[v] = 0;
            a[v] = 0;
            D[v] = C[v];
            K[v] = md->vp[v].capacity;
        }
        for (uint32_t t = 0;; t++) {
            /* record the state at t */
            uint32_t count = 0, tdown = 0;
            for (uint32_t v = 0; v < n; v++) {
                count += (uint32_t)D[v];
                o->vertex_down[(tr * T1 + t) * n + v] = (uint8_t)D[v];
            }
            for (uint32_t i = 0; i < md->ntarget; i++)
                tdown += (uint32_t)D[md->target[i]];
            o->down_count[tr * T1 + t] = count;
            o->system_down[tr * T1 + t] = md->ntarget > 0 && tdown >= md->target_k;
            if (t == T)
                break;

            /* the transmission draws of every edge (in push mode, of the
             * out-edges of the vertices down at t: only those count) */
            for (uint64_t e = 0; e < md->m; e++)
                X[e] = push ? 0 : draw(fl_i_edge_q(md, e), seed, t, trial, (uint32_t)e, FL_RNG_HIT);
            for (uint32_t u = 0; push && u < n; u++)
                if (D[u])
                    push_draws(md, u, seed, t, trial, event, X);
            if (event)
                event_fails(md, seed, t, trial, Fe);

            /* 2. repair, with the pool requests first */
            for (uint32_t v = 0; v < n; v++) {
                const fl_vertex_params *p = &md->vp[v];
                int sup_up = 0;
                for (uint64_t e = 0; e < md->ns; e++)
                    if (md->sup_to[e] == v && !D[md->sup_from[e]])
                        sup_up = 1;
                req[v] = C[v] && P[v] && p->pool != FL_NONE && a[v] >= (long)p->detect_delay && sup_up && !D[p->pool] &&
                         p->initial != FL_INIT_FORCED_DOWN;
            }
            for (uint32_t v = 0; v < n; v++) { /* increasing vertex order */
                if (req[v] && K[md->vp[v].pool] > 0)
                    K[md->vp[v].pool]--;
                else
                    req[v] = 0;
            }
            for (uint32_t v = 0; v < n; v++) {
                const fl_vertex_params *p = &md->vp[v];
                Cn[v] = C[v];
                Pn[v] = P[v];
                Bn[v] = B[v];
                kn[v] = k[v];
                F[v] = 0;
                if (p->initial == FL_INIT_FORCED_DOWN)
                    continue;
                if (C[v] && P[v]) {
                    if (req[v]) {
                        uint32_t b = md->vp[p->pool].boot_delay;
                        Pn[v] = 0;
                        if (b == 0) {
                            Cn[v] = 0;
                        } else {
                            Bn[v] = 1;
                            kn[v] = (int)b - 1;
                        }
                    }
                } else if (C[v] && B[v]) {
                    if (k[v] == 0) {
                        Cn[v] = 0;
                        Bn[v] = 0;
                    } else {
                        kn[v] = k[v] - 1;
                    }
                } else if (C[v]) {
                    /* a crash vertex that draws its hit from a table
                     * repairs with the hit's uniform (docs/randomness.md) */
                    int lane_u = p->on_dependency == FL_DEP_CRASH && pk.vp[v].hit_tab != FL_NO_INDEX && !push &&
                                 fl_i_prob_fixed(p->p_repair) >= FL_SPARSE_P;
                    uint32_t pr = fl_i_prob_fixed(p->p_repair);
                    int R = event
                                ? pr == FL_P_ONE || event_block(seed, t, trial, v, FL_RNG_EVENT, 0).v[0] < pr /* v[0] */
                                : draw(p->p_repair, seed, t, trial, v, lane_u ? FL_RNG_HITV : FL_RNG_REPAIR);
                    for (uint64_t e = 0; e < md->ns; e++) {
                        uint32_t s = md->sup_from[e];
                        if (md->sup_to[e] == v && !D[s] && a[v] >= (long)p->detect_delay &&
                            draw(md->vp[s].p_restart, seed, t, trial, (uint32_t)e, FL_RNG_RESTART))
                            R = 1;
                    }
                    if (R)
                        Cn[v] = 0;
                } else {
                    /* 3. spontaneous crash */
                    F[v] = event ? Fe[v] : draw_fail(p->p_fail, seed, t, trial, v);
                    Cn[v] = F[v];
                    Pn[v] = F[v] && draw(p->p_permanent, seed, t, trial, v, FL_RNG_PERMANENT);
                }
            }

            /* 1. hits: once from D(t), or iterated from I = 0 to the least
             * fixpoint of D(t+1) with the same X */
            for (uint32_t v = 0; v < n; v++)
                I[v] = 0;
            for (int pass = 0;; pass++) {
                for (uint32_t v = 0; v < n; v++)
                    Dn[v] = next_down(&md->vp[v], C[v], Cn[v], I[v]);
                if (propagation == FL_PROP_SYNCHRONOUS && pass == 1)
                    break;
                const int *from = propagation == FL_PROP_INSTANT ? Dn : D;
                int changed = 0;
                for (uint32_t v = 0; v < n; v++) {
                    uint64_t S = 0;
                    uint32_t down_in = 0;
                    for (uint64_t e = 0; e < md->m; e++) {
                        if (md->edge_to[e] == v && from[md->edge_from[e]]) {
                            down_in++;
                            S += X[e] ? fl_i_edge_weight(md, e) : 0;
                        }
                    }
                    int hit = md->vp[v].threshold > 0 && S >= md->vp[v].threshold;
                    if (pk.vp[v].hit_tab != FL_NO_INDEX && !push)
                        hit = draw_hit(&pk, v, down_in, seed, t, trial);
                    changed |= hit != I[v];
                    I[v] = hit;
                }
                if (propagation == FL_PROP_INSTANT && !changed)
                    break;
            }

            /* 3.-5. commit C, D and the age */
            for (uint32_t v = 0; v < n; v++) {
                const fl_vertex_params *p = &md->vp[v];
                int cn = next_crashed(p, C[v], Cn[v], I[v]);
                a[v] = (C[v] && cn) ? a[v] + 1 : 0;
                C[v] = cn;
                P[v] = Pn[v];
                B[v] = Bn[v];
                k[v] = kn[v];
                D[v] = Dn[v];
            }
        }
    }
    free(C), free(P), free(B), free(k), free(D), free(I), free(Cn), free(Pn), free(Bn), free(kn), free(Dn);
    free(req), free(F), free(X), free(a), free(K), free(Fe);
    fl_i_graph_free(&pk);
    if (!ok) {
        ref_free(o);
        return -1;
    }
    return 0;
}
