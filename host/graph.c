/*
 * graph.c - packs a validated model into the arrays the kernels read.
 *
 * In-edges are grouped by target (CSR) so that a step pulls: each
 * (vertex, word) work-item reads its in-neighbours and writes only its own
 * words, with no atomics.  Runs in push mode (pack_push) get their
 * out-edges grouped by source instead.  Within a target, edges keep their listing order
 * and carry their model index, which is what the random counters use, so a
 * future reordering of vertices or edges for locality cannot change a
 * result.  Counters get bit-sliced planes only where the model reads them.
 */
#include "graph.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint32_t fl_i_prob_fixed(double p)
{
    if (!(p > 0.0))
        return 0;
    if (p >= 1.0)
        return FL_P_ONE;
    double x = nearbyint(p * 4294967296.0);
    if (x >= (double)(FL_P_ONE - 1u))
        return FL_P_ONE - 1u;
    return (uint32_t)x;
}

uint32_t fl_i_binomial_tail(uint32_t q, uint32_t k, uint32_t m)
{
    if (m < k)
        return 0;
    if (k == 0 || q == FL_P_ONE)
        return FL_P_ONE;
    /* the upper tail summed directly, accurate when it is small */
    double x = (double)q / 4294967296.0, tail = 0.0, choose = 1.0;
    for (uint32_t j = 0; j <= m; j++) {
        if (j > 0)
            choose = choose * (double)(m - j + 1) / (double)j;
        if (j >= k)
            tail += choose * pow(x, (double)j) * pow(1.0 - x, (double)(m - j));
    }
    uint32_t fixed = fl_i_prob_fixed(tail);
    return fixed == FL_P_ONE ? FL_P_ONE - 1u : fixed; /* q < 1: never certain */
}

static void *xcalloc(size_t count, size_t size)
{
    return calloc(count ? count : 1, size);
}

/*
 * The tables of fl_hit_count (kernels/step.h): a vertex with 1 to
 * FL_COUNT_MAX_DEG in-edges, all of the same q and weight w > 0, is hit with
 * probability P(Binomial(m, q) >= ceil(theta / w)) when m in-neighbours are
 * down.  One table per distinct (q, ceil(theta / w)); at most MAX_TABLES of
 * them, later vertices draw per edge (the choice depends on the model only).
 */
#define MAX_TABLES 1024u
#define TAB_LEN (FL_COUNT_MAX_DEG + 1u)

static int pack_hit_tables(fl_packed *pk)
{
    uint32_t keys[MAX_TABLES][2], nkeys = 0, last = FL_NO_INDEX;
    pk->hit_tab = malloc((size_t)MAX_TABLES * TAB_LEN * sizeof *pk->hit_tab);
    if (!pk->hit_tab)
        return FL_E_NOMEM;
    for (uint32_t v = 0; v < pk->n; v++) {
        fl_vparam *vp = &pk->vp[v];
        uint64_t e0 = pk->in_off[v], e1 = pk->in_off[v + 1], e;
        vp->hit_tab = FL_NO_INDEX;
        if (vp->theta == 0 || e1 == e0 || e1 - e0 > FL_COUNT_MAX_DEG || pk->in_w[e0] == 0)
            continue;
        for (e = e0 + 1; e < e1; e++)
            if (pk->in_q[e] != pk->in_q[e0] || pk->in_w[e] != pk->in_w[e0])
                break;
        if (e < e1)
            continue;
        uint32_t q = pk->in_q[e0], w = pk->in_w[e0], i;
        uint32_t k = (uint32_t)(((uint64_t)vp->theta + w - 1u) / w);
        if (last != FL_NO_INDEX && keys[last][0] == q && keys[last][1] == k) {
            i = last;
        } else {
            for (i = 0; i < nkeys && !(keys[i][0] == q && keys[i][1] == k); i++)
                ;
            if (i == nkeys) {
                if (nkeys == MAX_TABLES)
                    continue;
                keys[i][0] = q;
                keys[i][1] = k;
                for (uint32_t m = 0; m < TAB_LEN; m++)
                    pk->hit_tab[i * TAB_LEN + m] = fl_i_binomial_tail(q, k, m);
                nkeys++;
            }
        }
        last = i;
        vp->hit_tab = i * TAB_LEN;
        /* a crashed lane draws its repair from the hit's uniform
         * (fl_repair_purpose); a sparse p_repair keeps its own stream */
        if ((vp->flags & FL_F_CRASH) && !(vp->flags & FL_F_FORCED) && vp->p_repair >= FL_SPARSE_P)
            vp->flags |= FL_F_LANE_U;
    }
    pk->nhit_tab = nkeys * TAB_LEN;
    return FL_OK;
}

/*
 * Push mode (fl_push_word in kernels/step.h): chosen from the model alone
 * when one transmitting in-edge is always a hit (every threshold is 0 or
 * 1) and every edge's q is in (0, FL_SPARSE_P), the same for all the
 * out-edges of its source, each source having at most FL_PUSH_MAX_DEG
 * out-edges, and at most MAX_TABLES distinct q.  Then a step costs about
 * one uniform per word where a source is down, instead of a draw for every
 * word of every vertex with a down in-neighbour (docs/randomness.md).
 * Builds the out-edges by source in increasing edge index and one table of
 * powers of 1 - q per distinct q; returns FL_OK without them otherwise.
 */
static int pack_push(fl_packed *pk, const fl_model *md)
{
    uint32_t n = md->n, keys[MAX_TABLES], nkeys = 0;
    uint64_t m = md->m;
    if (m == 0)
        return FL_OK;
    for (uint32_t v = 0; v < n; v++)
        if (pk->vp[v].theta > 1u)
            return FL_OK;
    uint32_t *src_q = xcalloc(n, sizeof *src_q); /* 0: no out-edge seen yet */
    pk->out_off = xcalloc((size_t)n + 1, sizeof *pk->out_off);
    if (!src_q || !pk->out_off) {
        free(src_q);
        return FL_E_NOMEM;
    }
    int ok = 1;
    for (uint64_t e = 0; e < m && ok; e++) {
        uint32_t u = md->edge_from[e], q = fl_i_prob_fixed(fl_i_edge_q(md, e));
        ok = q != 0 && q < FL_SPARSE_P && (src_q[u] == 0 || src_q[u] == q) && pk->out_off[u + 1] < FL_PUSH_MAX_DEG;
        src_q[u] = q;
        pk->out_off[u + 1]++;
    }
    for (uint32_t u = 0; u < n && ok; u++) {
        uint32_t i = 0;
        while (src_q[u] && i < nkeys && keys[i] != src_q[u])
            i++;
        if (src_q[u] && i == nkeys) {
            ok = nkeys < MAX_TABLES;
            if (ok)
                keys[nkeys++] = src_q[u];
        }
        pk->vp[u].push_tab = src_q[u] ? i * FL_PUSH_LG : FL_NO_INDEX;
    }
    if (!ok) {
        for (uint32_t u = 0; u < n; u++)
            pk->vp[u].push_tab = FL_NO_INDEX;
        free(src_q);
        free(pk->out_off);
        pk->out_off = NULL;
        return FL_OK;
    }
    free(src_q);
    pk->out_dst = xcalloc(m, sizeof *pk->out_dst);
    pk->push_pw = xcalloc((size_t)nkeys * FL_PUSH_LG, sizeof *pk->push_pw);
    uint64_t *next = xcalloc(n, sizeof *next);
    if (!pk->out_dst || !pk->push_pw || !next) {
        free(next);
        return FL_E_NOMEM;
    }
    for (uint32_t u = 0; u < n; u++) {
        pk->out_off[u + 1] += pk->out_off[u];
        next[u] = pk->out_off[u];
    }
    for (uint64_t e = 0; e < m; e++)
        pk->out_dst[next[md->edge_from[e]]++] = md->edge_to[e];
    free(next);
    for (uint32_t i = 0; i < nkeys; i++)
        fl_sparse_powers(keys[i], pk->push_pw + (size_t)i * FL_PUSH_LG, FL_PUSH_LG);
    pk->npush_pw = nkeys * FL_PUSH_LG;
    pk->push = 1;
    pk->d_is_c = md->ns == 0;
    for (uint32_t v = 0; v < n; v++) {
        pk->vp[v].flags |= FL_F_PUSH;
        if (!(pk->vp[v].flags & FL_F_CRASH) && pk->vp[v].theta != 0)
            pk->d_is_c = 0; /* a degrade vertex is down while hit: D = C OR I */
    }
    return FL_OK;
}

/* Fail classes of the event form: at most this many distinct p_fail. */
#define MAX_FAIL_CLASSES 64u

/*
 * The event form's prediction that a run stays sparse, from the model
 * alone (so that the form, like trial i, depends on the model only): with
 * means over the vertices not forced down of p_fail (f) and p_repair (r),
 * and m the mean over all vertices of q times the out-edges into a target
 * with a threshold, a down vertex makes about R = m / r others down before
 * it is repaired, and the mean-field down fraction is about f / (r (1 -
 * R)) plus the forced ones.  Sparse: R < 1 and that fraction below 1/16.
 * Measured on workload (b)'s graph (docs/performance.md, "Where the event
 * form stops paying"), the event form was faster than push mode up to a
 * mean down fraction of about 5 % and slower from about 15 %.
 */
static int predicted_sparse(const fl_model *md, const uint8_t *hit)
{
    double f = 0, r = 0, m = 0, forced = 0, n = md->n;
    for (uint32_t v = 0; v < md->n; v++) {
        if (md->vp[v].initial == FL_INIT_FORCED_DOWN) {
            forced++;
            continue;
        }
        f += md->vp[v].p_fail;
        r += md->vp[v].p_repair;
    }
    for (uint64_t e = 0; e < md->m; e++)
        if (hit[md->edge_to[e]])
            m += fl_i_edge_q(md, e);
    if (n == forced || r <= 0)
        return 0;
    f /= n - forced;
    r /= n - forced;
    double R = m / n / r;
    return R < 1 && f / (r * (1 - R)) + forced / n < 1.0 / 16;
}

/*
 * The event form (fl_event_step in kernels/step.h), on top of push mode
 * with D = C: where nothing is permanent, pooled or counted (no P, B or
 * counter planes), every p_fail is below FL_SPARSE_P, and there are at most
 * MAX_FAIL_CLASSES distinct p_fail.  Builds the fail classes (in order of
 * their first vertex) with their powers, and one trial's initial bitmap;
 * hit[v]: v has a threshold.
 */
static int pack_event(fl_packed *pk, const uint8_t *hit)
{
    uint32_t n = pk->n, keys[MAX_FAIL_CLASSES], nkeys = 0;
    if (!pk->push || !pk->d_is_c || pk->any_perm || pk->npool || pk->nplanes || n >= FL_EV_NO_HIT)
        return FL_OK;
    uint32_t *cls = xcalloc((size_t)n + 1, sizeof *cls);
    if (!cls)
        return FL_E_NOMEM;
    for (uint32_t v = 0; v < n; v++) {
        uint32_t p = pk->vp[v].p_fail, c = 0;
        cls[v] = FL_NO_INDEX;
        if (p == 0 || (pk->vp[v].flags & FL_F_FORCED))
            continue;
        while (c < nkeys && keys[c] != p)
            c++;
        if (p >= FL_SPARSE_P || (c == nkeys && nkeys == MAX_FAIL_CLASSES)) {
            free(cls);
            return FL_OK;
        }
        if (c == nkeys)
            keys[nkeys++] = p;
        cls[v] = c;
    }
    uint32_t nbw = fl_event_nbw(n);
    pk->fail_off = xcalloc((size_t)nkeys + 1, sizeof *pk->fail_off);
    pk->fail_list = xcalloc((size_t)n + 1, sizeof *pk->fail_list);
    pk->fail_pw = xcalloc((size_t)nkeys * FL_EVENT_PW + 1, sizeof *pk->fail_pw);
    pk->init_bits = xcalloc((size_t)nbw + 1, sizeof *pk->init_bits);
    pk->init_list = xcalloc((size_t)n + 1, sizeof *pk->init_list);
    pk->ev = xcalloc(FL_EV * ((size_t)n + 1), sizeof *pk->ev);
    pk->fail_base = xcalloc((size_t)nkeys + 1, sizeof *pk->fail_base);
    if (!pk->fail_off || !pk->fail_list || !pk->fail_pw || !pk->init_bits || !pk->init_list || !pk->ev ||
        !pk->fail_base) {
        free(cls);
        return FL_E_NOMEM;
    }
    for (uint32_t v = 0; v < n; v++)
        if (cls[v] != FL_NO_INDEX)
            pk->fail_off[cls[v] + 1]++;
    for (uint32_t c = 0; c < nkeys; c++) {
        pk->fail_off[c + 1] += pk->fail_off[c];
        fl_sparse_powers(keys[c], pk->fail_pw + (size_t)c * FL_EVENT_PW, FL_EVENT_PW);
    }
    for (uint32_t v = 0, at[MAX_FAIL_CLASSES] = {0}; v < n; v++)
        if (cls[v] != FL_NO_INDEX)
            pk->fail_list[pk->fail_off[cls[v]] + at[cls[v]]++] = v;
    free(cls);
    for (uint32_t c = 0; c < nkeys; c++) {
        const uint32_t *list = pk->fail_list + pk->fail_off[c];
        uint32_t len = pk->fail_off[c + 1] - pk->fail_off[c], i = 1;
        while (i < len && list[i] == list[0] + i)
            i++;
        pk->fail_base[c] = i == len ? list[0] : FL_NO_INDEX;
    }
    for (uint32_t v = 0; v <= n; v++) {
        uint32_t *ev = pk->ev + (size_t)FL_EV * v;
        ev[FL_EV_E0] = (uint32_t)pk->out_off[v]; /* m < 2^32 (fl_i_graph_pack) */
        if (v == n)
            break;
        const fl_vparam *vp = &pk->vp[v];
        if (pk->init_C[v]) {
            fl_event_put(pk->init_bits, v, 1u);
            pk->init_list[pk->ninit++] = v;
        }
        ev[FL_EV_REPAIR] = (vp->flags & FL_F_FORCED) ? 0 : vp->p_repair;
        ev[FL_EV_TAB] = vp->push_tab;
        if (vp->push_tab != FL_NO_INDEX) {
            uint32_t deg = (uint32_t)(pk->out_off[v + 1] - pk->out_off[v]);
            ev[FL_EV_ANY] = fl_push_any(fl_sparse_pow(pk->push_pw + vp->push_tab, fl_bitlen(deg), deg));
        }
    }
    for (uint64_t e = 0; e < pk->m; e++)
        if (!hit[pk->out_dst[e]])
            pk->out_dst[e] |= FL_EV_NO_HIT;
    pk->nfail = nkeys;
    pk->event = 1;
    return FL_OK;
}

/*
 * The in-edges grouped by target, each target's in increasing edge index (a
 * stable counting sort; fill: n zeroed counters).  The targets of
 * consecutive edges are scattered over the whole arrays, so the edges first
 * go to buckets of 2^BUCKET_SHIFT consecutive targets (one sequential write
 * stream per bucket), then each bucket fills its own range of the arrays,
 * which stays in cache, the buckets in parallel.  R-MAT scale 20 (16.7M
 * edges, 2 threads): the whole pack took 1.23 s with the scatter straight
 * into the arrays, 0.39 s so.
 */
#define BUCKET_SHIFT 10u

static int pack_in_edges(fl_packed *pk, const fl_model *md, uint32_t *fill, int threads)
{
    uint32_t n = md->n;
    uint64_t m = md->m;
    for (uint64_t e = 0; e < m; e++)
        pk->in_off[md->edge_to[e] + 1]++;
    for (uint32_t v = 0; v < n; v++)
        pk->in_off[v + 1] += pk->in_off[v];
    /* the edges by bucket: edge index, source and target, read in order */
    uint32_t nbucket = (n >> BUCKET_SHIFT) + 1u;
    uint32_t(*order)[3] = malloc((m ? m : 1) * sizeof *order);
    uint64_t *next = malloc((size_t)nbucket * sizeof *next);
    if (!order || !next) {
        free(order);
        free(next);
        return FL_E_NOMEM;
    }
    for (uint32_t b = 0; b < nbucket; b++)
        next[b] = pk->in_off[(uint64_t)b << BUCKET_SHIFT < n ? b << BUCKET_SHIFT : n];
    for (uint64_t e = 0; e < m; e++) {
        uint32_t *o = order[next[md->edge_to[e] >> BUCKET_SHIFT]++];
        o[0] = (uint32_t)e;
        o[1] = md->edge_from[e];
        o[2] = md->edge_to[e];
    }
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
    for (uint32_t b = 0; b < nbucket; b++) {
        uint32_t v0 = b << BUCKET_SHIFT;
        for (uint64_t i = pk->in_off[v0 < n ? v0 : n]; i < next[b]; i++) {
            uint32_t e = order[i][0], v = order[i][2];
            uint64_t at = pk->in_off[v] + fill[v]++;
            pk->in_src[at] = order[i][1];
            pk->in_eid[at] = e;
            pk->in_q[at] = fl_i_prob_fixed(fl_i_edge_q(md, e));
            pk->in_w[at] = fl_i_edge_weight(md, e);
        }
    }
    free(order);
    free(next);
    return FL_OK;
}

/* The pull form's arrays: the in-edges by target and the hit tables. */
static int pack_pull(fl_packed *pk, const fl_model *md, uint32_t *fill, int threads)
{
    uint32_t n = md->n;
    pk->in_off = xcalloc((size_t)n + 1, sizeof *pk->in_off);
    pk->in_src = xcalloc(md->m, sizeof *pk->in_src);
    pk->in_eid = xcalloc(md->m, sizeof *pk->in_eid);
    pk->in_q = xcalloc(md->m, sizeof *pk->in_q);
    pk->in_w = xcalloc(md->m, sizeof *pk->in_w);
    if (!pk->in_off || !pk->in_src || !pk->in_eid || !pk->in_q || !pk->in_w)
        return FL_E_NOMEM;
    memset(fill, 0, ((size_t)n + 1) * sizeof *fill);
    int status = pack_in_edges(pk, md, fill, threads);
    return status == FL_OK ? pack_hit_tables(pk) : status;
}

int fl_i_step_form(int hits, int propagation)
{
    if (propagation != FL_PROP_SYNCHRONOUS || hits == FL_HITS_PULL)
        return FL_FORM_PULL;
    return hits == FL_HITS_PUSH ? FL_FORM_PUSH : hits == FL_HITS_EVENT ? FL_FORM_EVENT : FL_FORM_AUTO;
}

int fl_i_graph_pack(fl_packed *pk, const fl_model *md, int form, int threads, char *err, size_t err_size)
{
    int status = FL_E_NOMEM;
    uint32_t n = md->n;
    uint32_t *pool_slot = NULL, *fill = NULL;
    memset(pk, 0, sizeof *pk);
    pk->n = n;
    pk->m = md->m;
    pk->ns = md->ns;
    pk->ntarget = md->ntarget;
    pk->target_k = md->target_k;

    pk->sup_off = xcalloc((size_t)n + 1, sizeof *pk->sup_off);
    pk->sup_src = xcalloc(md->ns, sizeof *pk->sup_src);
    pk->sup_eid = xcalloc(md->ns, sizeof *pk->sup_eid);
    pk->vp = xcalloc(n, sizeof *pk->vp);
    pk->target = xcalloc(md->ntarget, sizeof *pk->target);
    pk->init_C = xcalloc(n, sizeof *pk->init_C);
    pk->init_P = xcalloc(n, sizeof *pk->init_P);
    pool_slot = xcalloc(n, sizeof *pool_slot);
    fill = xcalloc((size_t)n + 1, sizeof *fill);
    if (!pk->sup_off || !pk->sup_src || !pk->sup_eid || !pk->vp || !pk->target || !pk->init_C || !pk->init_P ||
        !pool_slot || !fill)
        goto cleanup;
    if (md->m > UINT32_MAX || md->ns > UINT32_MAX) {
        snprintf(err, err_size, "%s: more than 2^32 - 1 edges are not supported", md->path);
        status = FL_E_MODEL;
        goto cleanup;
    }

    /* supervisors, stable by supervised vertex */
    for (uint64_t e = 0; e < md->ns; e++)
        pk->sup_off[md->sup_to[e] + 1]++;
    for (uint32_t v = 0; v < n; v++)
        pk->sup_off[v + 1] += pk->sup_off[v];
    for (uint64_t e = 0; e < md->ns; e++) {
        uint32_t v = md->sup_to[e];
        uint64_t at = pk->sup_off[v] + fill[v]++;
        pk->sup_src[at] = md->sup_from[e];
        pk->sup_eid[at] = (uint32_t)e;
    }

    /* pools: one slot per vertex used as a pool, in increasing vertex order */
    for (uint32_t v = 0; v < n; v++)
        pool_slot[v] = FL_NONE;
    for (uint32_t v = 0; v < n; v++)
        if (md->vp[v].pool != FL_NONE)
            pool_slot[md->vp[v].pool] = 0;
    for (uint32_t v = 0; v < n; v++)
        if (pool_slot[v] != FL_NONE)
            pool_slot[v] = pk->npool++;
    pk->pp = xcalloc(pk->npool, sizeof *pk->pp);
    if (!pk->pp)
        goto cleanup;
    for (uint32_t v = 0; v < n; v++) {
        if (md->vp[v].pool != FL_NONE) {
            pk->pp[pool_slot[md->vp[v].pool]].member_end++;
            pk->nmembers++;
        }
    }
    pk->members = xcalloc(pk->nmembers, sizeof *pk->members);
    if (!pk->members)
        goto cleanup;

    /* parameters and counter planes */
    uint32_t planes = 0, member_at = 0;
    for (uint32_t v = 0; v < n; v++) {
        if (pool_slot[v] == FL_NONE)
            continue;
        fl_pparam *pm = &pk->pp[pool_slot[v]];
        uint32_t count = pm->member_end;
        pm->vertex = v;
        pm->capacity = md->vp[v].capacity;
        pm->boot_delay = md->vp[v].boot_delay;
        pm->cap_off = planes;
        pm->cap_nb = fl_bitlen(pm->capacity);
        planes += pm->cap_nb;
        pm->member_begin = member_at;
        pm->member_end = member_at;
        member_at += count;
    }
    for (uint32_t v = 0; v < n; v++) {
        const fl_vertex_params *p = &md->vp[v];
        fl_vparam *q = &pk->vp[v];
        q->p_fail = fl_i_prob_fixed(p->p_fail);
        uint64_t none = fl_fail_none(q->p_fail);
        q->fail_none_lo = (uint32_t)none;
        q->fail_none_hi = (uint32_t)(none >> 32);
        q->p_permanent = fl_i_prob_fixed(p->p_permanent);
        q->p_repair = fl_i_prob_fixed(p->p_repair);
        q->p_restart = fl_i_prob_fixed(p->p_restart);
        q->theta = p->threshold;
        q->detect_delay = p->detect_delay;
        q->pool = FL_NO_INDEX;
        q->push_tab = FL_NO_INDEX;
        q->hit_tab = FL_NO_INDEX;
        if (p->on_dependency == FL_DEP_CRASH)
            q->flags |= FL_F_CRASH;
        if (p->initial == FL_INIT_FORCED_DOWN)
            q->flags |= FL_F_FORCED;
        if (q->p_permanent != 0 || p->initial == FL_INIT_PERMANENT) {
            q->flags |= FL_F_PERM;
            pk->any_perm = 1;
        }
        if (pk->sup_off[v + 1] > pk->sup_off[v])
            q->flags |= FL_F_SUPERVISED;
        if (p->pool != FL_NONE) {
            fl_pparam *pm = &pk->pp[pool_slot[p->pool]];
            q->flags |= FL_F_POOLED;
            q->pool = pool_slot[p->pool];
            pk->members[pm->member_end++] = v;
            if (pm->boot_delay > 1) {
                q->boot_off = planes;
                q->boot_nb = fl_bitlen(pm->boot_delay - 1u);
                planes += q->boot_nb;
            }
        }
        /* the age is read only by restarts and pool requests */
        if (p->detect_delay > 0 && (q->flags & (FL_F_SUPERVISED | FL_F_POOLED))) {
            q->age_off = planes;
            q->age_nb = fl_bitlen(p->detect_delay);
            planes += q->age_nb;
        }
        if (p->initial != FL_INIT_UP)
            pk->init_C[v] = FL_ALL;
        if (p->initial == FL_INIT_PERMANENT)
            pk->init_P[v] = FL_ALL;
    }
    pk->nplanes = planes;
    pk->init_cnt = xcalloc(planes, sizeof *pk->init_cnt);
    if (!pk->init_cnt)
        goto cleanup;
    for (uint32_t i = 0; i < pk->npool; i++) {
        const fl_pparam *pm = &pk->pp[i];
        for (uint32_t b = 0; b < pm->cap_nb; b++)
            pk->init_cnt[pm->cap_off + b] = ((pm->capacity >> b) & 1u) ? FL_ALL : 0;
    }
    for (uint32_t i = 0; i < md->ntarget; i++)
        pk->target[i] = md->target[i];
    /* push mode where the run may push and the model allows it, else the
     * pull form's arrays (a run reads one form or the other, never both) */
    status = form != FL_FORM_PULL ? pack_push(pk, md) : FL_OK;
    if (status == FL_OK && pk->push && (form == FL_FORM_EVENT || form == FL_FORM_AUTO)) {
        /* which vertices have a threshold, a byte each: the edges ask at random */
        uint8_t *hit = xcalloc((size_t)n + 1, 1);
        status = hit ? FL_OK : FL_E_NOMEM;
        for (uint32_t v = 0; hit && v < n; v++)
            hit[v] = pk->vp[v].theta != 0;
        if (hit && (form == FL_FORM_EVENT || predicted_sparse(md, hit)))
            status = pack_event(pk, hit);
        free(hit);
    }
    if (status == FL_OK && !pk->push)
        status = pack_pull(pk, md, fill, threads);

cleanup:
    free(fill);
    free(pool_slot);
    if (status == FL_E_NOMEM)
        snprintf(err, err_size, "out of memory packing the graph of %s", md->path);
    if (status != FL_OK)
        fl_i_graph_free(pk);
    return status;
}

void fl_i_graph_free(fl_packed *pk)
{
    free(pk->in_off);
    free(pk->in_src);
    free(pk->in_eid);
    free(pk->in_q);
    free(pk->in_w);
    free(pk->sup_off);
    free(pk->sup_src);
    free(pk->sup_eid);
    free(pk->vp);
    free(pk->pp);
    free(pk->members);
    free(pk->target);
    free(pk->init_C);
    free(pk->init_P);
    free(pk->init_cnt);
    free(pk->hit_tab);
    free(pk->out_off);
    free(pk->out_dst);
    free(pk->push_pw);
    free(pk->fail_off);
    free(pk->fail_list);
    free(pk->fail_pw);
    free(pk->init_bits);
    free(pk->init_list);
    free(pk->ev);
    free(pk->fail_base);
    memset(pk, 0, sizeof *pk);
}

uint32_t fl_i_event_room(const fl_packed *pk)
{
    const char *env = getenv("FAULTLINE_EVENT_ROOM");
    uint64_t room = env && *env ? strtoull(env, NULL, 10) : 1024u, most = pk->n ? pk->n : 1u;
    room = room > pk->ninit ? room : pk->ninit;
    return (uint32_t)(room < most ? (room ? room : 1u) : most);
}

uint32_t fl_i_event_more_room(const fl_packed *pk, uint32_t room)
{
    uint64_t most = pk->n ? pk->n : 1u, more = 2 * (uint64_t)room < most ? 2 * (uint64_t)room : most;
    return more == room ? 0 : (uint32_t)more;
}

fl_graph fl_i_graph_view(const fl_packed *pk, uint32_t nw)
{
    fl_graph g;
    g.n = pk->n;
    g.nw = nw;
    g.in_off = pk->in_off;
    g.in_src = pk->in_src;
    g.in_eid = pk->in_eid;
    g.in_q = pk->in_q;
    g.in_w = pk->in_w;
    g.sup_off = pk->sup_off;
    g.sup_src = pk->sup_src;
    g.sup_eid = pk->sup_eid;
    g.vp = pk->vp;
    g.pp = pk->pp;
    g.members = pk->members;
    g.hit_tab = pk->hit_tab;
    g.out_off = pk->out_off;
    g.out_dst = pk->out_dst;
    g.push_pw = pk->push_pw;
    g.fail_off = pk->fail_off;
    g.fail_list = pk->fail_list;
    g.fail_pw = pk->fail_pw;
    g.ev = pk->ev;
    g.fail_base = pk->fail_base;
    g.nfail = pk->nfail;
    return g;
}
