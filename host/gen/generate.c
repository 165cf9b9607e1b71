/*
 * generate.c - synthetic graphs (grid, Erdos-Renyi, R-MAT, fat-tree) and
 * models converted into the faultline graph format (see generate.h).
 *
 * Generators produce edges in any order and csr_from_edges sorts them by
 * source with a stable counting sort: the CSR order is then the listing
 * order, and an edge list written from the same graph lists the edges in
 * that order too, so both files load as the same model.
 */
#include "generate.h"
#include "say.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <Random123/philox.h>

#define NOMEM() fl_i_say(message, message_size, FL_E_NOMEM, "out of memory")

static void *xmalloc(uint64_t count, size_t size)
{
    if (count > SIZE_MAX / size)
        return NULL;
    return malloc(count != 0 ? (size_t)count * size : 1);
}

/*
 * Sorts the m edges (from[e], to[e]) by source, stably, into g's row_offset
 * and col; order (may be NULL) receives for each CSR entry the index of its
 * edge.  Returns 1 when the edges were already in CSR order.
 */
static int csr_from_edges(fl_i_h5graph *g, const uint32_t *from, const uint32_t *to, uint64_t m, uint64_t *order)
{
    uint64_t e, *pos = g->row_offset;
    uint32_t u;
    int sorted = 1;

    memset(pos, 0, ((size_t)g->n + 1) * sizeof *pos);
    for (e = 0; e < m; e++) {
        pos[from[e] + 1]++;
        if (e > 0 && from[e] < from[e - 1])
            sorted = 0;
    }
    for (u = 0; u < g->n; u++)
        pos[u + 1] += pos[u];
    /* pos[u] is now the start of row u; advanced as the row fills, then shifted back. */
    for (e = 0; e < m; e++) {
        uint64_t k = pos[from[e]]++;

        g->col[k] = to[e];
        if (order != NULL)
            order[k] = e;
    }
    memmove(pos + 1, pos, (size_t)g->n * sizeof *pos);
    pos[0] = 0;
    return sorted;
}

/* Allocates row_offset [n+1] and col [m]. */
static int alloc_csr(fl_i_h5graph *g, uint32_t n, uint64_t m)
{
    g->n = n;
    g->m = m;
    g->row_offset = xmalloc((uint64_t)n + 1, sizeof *g->row_offset);
    g->col = xmalloc(m, sizeof *g->col);
    return g->row_offset != NULL && g->col != NULL ? FL_OK : FL_E_NOMEM;
}

/* ------------------------------------------------------------------- grid */

int fl_i_gen_grid(fl_i_h5graph *g, uint32_t rows, uint32_t cols, char *message, size_t message_size)
{
    uint64_t n = (uint64_t)rows * cols, k = 0;
    uint32_t r, c;

    if (rows < 1 || cols < 1 || n >= UINT32_MAX - 1)
        return fl_i_say(message, message_size, FL_E_USAGE, "grid: rows x cols must be in 1 .. 2^32-3");
    if (alloc_csr(g, (uint32_t)n, 2 * ((uint64_t)rows * (cols - 1) + (uint64_t)(rows - 1) * cols)) != FL_OK)
        return NOMEM();
    for (r = 0; r < rows; r++)
        for (c = 0; c < cols; c++) {
            uint32_t u = r * cols + c;

            g->row_offset[u] = k;
            /* neighbours in increasing index: up, left, right, down */
            if (r > 0)
                g->col[k++] = u - cols;
            if (c > 0)
                g->col[k++] = u - 1;
            if (c + 1 < cols)
                g->col[k++] = u + 1;
            if (r + 1 < rows)
                g->col[k++] = u + cols;
        }
    g->row_offset[n] = k;
    return FL_OK;
}

/* ------------------------------------------------------ random numbers */

/* A sequential Philox4x32-10 stream: key (seed, purpose), counter 0, 1, ... */
typedef struct stream {
    philox4x32_key_t key;
    philox4x32_ctr_t ctr;
    philox4x32_ctr_t out;
    unsigned used;
} stream;

static void stream_init(stream *s, uint64_t seed, uint32_t purpose)
{
    memset(s, 0, sizeof *s);
    s->key.v[0] = (uint32_t)seed;
    s->key.v[1] = (uint32_t)(seed >> 32);
    s->ctr.v[3] = purpose;
    s->used = 4;
}

static uint32_t stream_u32(stream *s)
{
    if (s->used == 4) {
        s->out = philox4x32(s->ctr, s->key);
        if (++s->ctr.v[0] == 0)
            if (++s->ctr.v[1] == 0)
                ++s->ctr.v[2];
        s->used = 0;
    }
    return s->out.v[s->used++];
}

/* Uniform in (0, 1), 53 bits. */
static double stream_open01(stream *s)
{
    uint64_t x = ((uint64_t)stream_u32(s) << 32) | stream_u32(s);

    return ((double)(x >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

/* Geometric skip: failures before the next success of Bernoulli(p), 0 < p < 1. */
static double skip(stream *s, double log1mp)
{
    return floor(log(stream_open01(s)) / log1mp);
}

/* ------------------------------------------------------------ Erdos-Renyi */

/* Grows the edge arrays (from, to) to hold need edges. */
static int grow(uint32_t **from, uint32_t **to, uint64_t *cap, uint64_t need)
{
    uint64_t ncap = *cap != 0 ? *cap : 1024;
    uint32_t *f, *t;

    if (need <= *cap)
        return FL_OK;
    while (ncap < need)
        ncap *= 2;
    f = realloc(*from, (size_t)ncap * sizeof *f);
    if (f == NULL)
        return FL_E_NOMEM;
    *from = f;
    t = realloc(*to, (size_t)ncap * sizeof *t);
    if (t == NULL)
        return FL_E_NOMEM;
    *to = t;
    *cap = ncap;
    return FL_OK;
}

/*
 * Batagelj and Brandes (2005): geometric skips over the pairs in row order,
 * O(n + m) draws.  Undirected: pairs w < v, each edge then both ways;
 * directed: every ordered pair (v, w), w != v.
 */
int fl_i_gen_er(fl_i_h5graph *g, uint32_t n, double degree, int directed, uint64_t seed, char *message,
                size_t message_size)
{
    uint32_t *from = NULL, *to = NULL;
    uint64_t m = 0, cap = 0;
    double p, log1mp;
    stream s;
    int status = FL_OK;

    if (n < 2 || n >= UINT32_MAX - 1)
        return fl_i_say(message, message_size, FL_E_USAGE, "er: --n must be in 2 .. 2^32-3");
    if (!(degree >= 0.0) || degree > (double)(n - 1))
        return fl_i_say(message, message_size, FL_E_USAGE, "er: --degree must be in 0 .. n-1 = %u", n - 1);
    p = degree / (double)(n - 1);
    stream_init(&s, seed, 0x45520000u | (directed ? 1u : 0u));
    if (p > 0.0) {
        log1mp = log1p(-p);
        /* undirected: pairs (v, w), w < v, row v holding v positions; directed:
         * ordered pairs, row v holding the n - 1 others; w is the position */
        double v = directed ? 0 : 1, w = -1;
        while (v < n) {
            w += 1.0 + (p < 1.0 ? skip(&s, log1mp) : 0.0);
            while (w >= (directed ? (double)(n - 1) : v) && v < n) {
                w -= directed ? (double)(n - 1) : v;
                v += 1;
            }
            if (v >= n)
                break;
            if (grow(&from, &to, &cap, m + (directed ? 1u : 2u)) != FL_OK)
                goto nomem;
            if (directed) {
                from[m] = (uint32_t)v;
                to[m++] = (uint32_t)w + ((uint32_t)w >= (uint32_t)v ? 1u : 0u);
            } else {
                from[m] = (uint32_t)w;
                to[m++] = (uint32_t)v;
                from[m] = (uint32_t)v;
                to[m++] = (uint32_t)w;
            }
        }
    }
    if (alloc_csr(g, n, m) != FL_OK)
        goto nomem;
    csr_from_edges(g, from, to, m, NULL);
    goto cleanup;
nomem:
    status = NOMEM();
cleanup:
    free(from);
    free(to);
    return status;
}

/* ------------------------------------------------------------------ R-MAT */

int fl_i_gen_rmat(fl_i_h5graph *g, unsigned scale, unsigned edge_factor, double a, double b, double c, uint64_t seed,
                  char *message, size_t message_size)
{
    uint64_t draws, m = 0, e;
    uint32_t *from = NULL, *to = NULL, ta, tab, tabc;
    int status = FL_OK;
    int64_t ne, i;

    if (scale < 1 || scale > 31)
        return fl_i_say(message, message_size, FL_E_USAGE, "rmat: --scale must be in 1..31");
    if (edge_factor < 1 || edge_factor > 1024)
        return fl_i_say(message, message_size, FL_E_USAGE, "rmat: --edge-factor must be in 1..1024");
    if (!(a >= 0 && b >= 0 && c >= 0 && a + b + c <= 1.0))
        return fl_i_say(message, message_size, FL_E_USAGE, "rmat: --a, --b, --c must be >= 0 with a + b + c <= 1");
    draws = (uint64_t)edge_factor << scale;
    from = xmalloc(draws, sizeof *from);
    to = xmalloc(draws, sizeof *to);
    if (from == NULL || to == NULL)
        goto nomem;
    /* the quadrant thresholds in 32-bit fixed point */
    ta = (uint32_t)fmin(a * 4294967296.0, 4294967295.0);
    tab = (uint32_t)fmin((a + b) * 4294967296.0, 4294967295.0);
    tabc = (uint32_t)fmin((a + b + c) * 4294967296.0, 4294967295.0);
    ne = (int64_t)draws;
    /* Edge e's draws come from counters (e, block, 0, purpose) alone. */
#pragma omp parallel for schedule(static)
    for (i = 0; i < ne; i++) {
        philox4x32_key_t key = {{(uint32_t)seed, (uint32_t)(seed >> 32)}};
        philox4x32_ctr_t ctr = {{(uint32_t)i, (uint32_t)((uint64_t)i >> 32), 0, 0x524d4154u}}, r = {{0, 0, 0, 0}};
        uint32_t u = 0, v = 0;
        unsigned level;

        for (level = 0; level < scale; level++) {
            uint32_t x;

            if (level % 4 == 0) {
                ctr.v[2] = level / 4;
                r = philox4x32(ctr, key);
            }
            x = r.v[level % 4];
            u <<= 1;
            v <<= 1;
            if (x < ta)
                continue;
            if (x < tab)
                v |= 1;
            else if (x < tabc)
                u |= 1;
            else {
                u |= 1;
                v |= 1;
            }
        }
        from[i] = u;
        to[i] = v;
    }
    /* Self-loops dropped, in draw order. */
    for (e = 0; e < draws; e++)
        if (from[e] != to[e]) {
            from[m] = from[e];
            to[m++] = to[e];
        }
    if (alloc_csr(g, (uint32_t)1 << scale, m) != FL_OK)
        goto nomem;
    csr_from_edges(g, from, to, m, NULL);
    goto cleanup;
nomem:
    status = NOMEM();
cleanup:
    free(from);
    free(to);
    return status;
}

/* --------------------------------------------------------------- fat-tree */

enum tier { T_CORE, T_AGG, T_EDGE, T_HOST, T_VM, T_SERVICE, T_SUPERVISOR, NTIER };
static const char *const tier_name[NTIER] = {"core", "aggregation", "edge", "host", "vm", "service", "supervisor"};

/* Parameters of each tier: p_fail, p_repair, p_permanent, p_restart, on_dependency, detect_delay. */
static const struct {
    double p_fail, p_repair, p_permanent, p_restart;
    uint8_t on_dependency;
    uint32_t detect_delay;
} tier_params[NTIER] = {
    {1e-5, 0.05, 0.0, 1.0, FL_DEP_DEGRADE, 0}, /* core switch */
    {2e-5, 0.05, 0.0, 1.0, FL_DEP_DEGRADE, 0}, /* aggregation switch */
    {5e-5, 0.05, 0.0, 1.0, FL_DEP_DEGRADE, 0}, /* edge switch */
    {1e-4, 0.02, 0.0, 1.0, FL_DEP_DEGRADE, 0}, /* host (and pool of its VMs) */
    {2e-4, 0.01, 0.3, 1.0, FL_DEP_CRASH, 2},   /* VM: lost with its host, replaced from the pool */
    {1e-3, 0.0, 0.0, 1.0, FL_DEP_CRASH, 3},    /* service: crashes with its VM, restarted by a supervisor */
    {1e-4, 0.05, 0.0, 0.5, FL_DEP_DEGRADE, 0}, /* supervisor: restarts with probability 0.5 per step */
};

int fl_i_gen_fattree(fl_i_h5graph *g, const fl_i_fattree *o, char *message, size_t message_size)
{
    uint64_t k = o->k, h = k / 2, ncore = h * h, nagg = k * h, nedge = k * h, nhost = k * h * h;
    uint64_t nvm = nhost * o->vms_per_host, nsvc = nvm * o->services_per_vm, n, m, ns, v, i, e = 0, s = 0;
    uint64_t first[NTIER + 1];
    uint32_t *from = NULL, *to = NULL;
    int status = FL_OK;
    char buf[96];

    if (k < 2 || k % 2 != 0 || k > 1024)
        return fl_i_say(message, message_size, FL_E_USAGE, "fattree: --k must be even, in 2..1024");
    first[T_CORE] = 0;
    first[T_AGG] = ncore;
    first[T_EDGE] = first[T_AGG] + nagg;
    first[T_HOST] = first[T_EDGE] + nedge;
    first[T_VM] = first[T_HOST] + nhost;
    first[T_SERVICE] = first[T_VM] + nvm;
    first[T_SUPERVISOR] = first[T_SERVICE] + nsvc;
    first[NTIER] = n = first[T_SUPERVISOR] + k;
    if (n >= UINT32_MAX - 1)
        return fl_i_say(message, message_size, FL_E_USAGE, "fattree: %llu vertices, more than 2^32-3",
                        (unsigned long long)n);
    m = nagg * h + nedge * h + nhost + nvm + nsvc + k;
    ns = nvm + nsvc;
    g->n = (uint32_t)n;
    g->m = m;
    g->ns = ns;
    g->nclass = NTIER;
    g->row_offset = xmalloc(n + 1, sizeof *g->row_offset);
    g->col = xmalloc(m, sizeof *g->col);
    from = xmalloc(m, sizeof *from);
    to = xmalloc(m, sizeof *to);
    g->name = calloc((size_t)n, sizeof *g->name);
    g->classes = calloc(NTIER, sizeof *g->classes);
    g->vclass = xmalloc(n, sizeof *g->vclass);
    g->p_fail = xmalloc(n, sizeof(double));
    g->p_repair = xmalloc(n, sizeof(double));
    g->p_permanent = xmalloc(n, sizeof(double));
    g->p_restart = xmalloc(n, sizeof(double));
    g->threshold = xmalloc(n, sizeof(uint32_t));
    g->on_dependency = xmalloc(n, 1);
    g->detect_delay = xmalloc(n, sizeof(uint32_t));
    g->capacity = xmalloc(n, sizeof(uint32_t));
    g->boot_delay = xmalloc(n, sizeof(uint32_t));
    g->pool = xmalloc(n, sizeof(int64_t));
    g->sup_from = xmalloc(ns, sizeof(uint32_t));
    g->sup_to = xmalloc(ns, sizeof(uint32_t));
    if (!g->row_offset || !g->col || !from || !to || !g->name || !g->classes || !g->vclass || !g->p_fail ||
        !g->p_repair || !g->p_permanent || !g->p_restart || !g->threshold || !g->on_dependency || !g->detect_delay ||
        !g->capacity || !g->boot_delay || !g->pool || !g->sup_from || !g->sup_to)
        goto nomem;
    for (i = 0; i < NTIER; i++)
        if ((g->classes[i] = strdup(tier_name[i])) == NULL)
            goto nomem;
    /* vertices: parameters of their tier, then names */
    for (i = 0; i < NTIER; i++)
        for (v = first[i]; v < first[i + 1]; v++) {
            g->vclass[v] = (int32_t)i;
            g->p_fail[v] = tier_params[i].p_fail;
            g->p_repair[v] = tier_params[i].p_repair;
            g->p_permanent[v] = tier_params[i].p_permanent;
            g->p_restart[v] = tier_params[i].p_restart;
            g->on_dependency[v] = tier_params[i].on_dependency;
            g->detect_delay[v] = tier_params[i].detect_delay;
            g->threshold[v] = i == T_AGG || i == T_EDGE ? (uint32_t)h : 1u; /* down when all uplinks are */
            g->capacity[v] = i == T_HOST ? o->capacity : 0;
            g->boot_delay[v] = i == T_HOST ? o->boot_delay : 0;
            g->pool[v] = i == T_VM ? (int64_t)(first[T_HOST] + (v - first[T_VM]) / o->vms_per_host) : -1;
        }
    for (v = 0; v < n; v++) {
        if (v < first[T_AGG])
            snprintf(buf, sizeof buf, "core%llu", (unsigned long long)v);
        else if (v < first[T_EDGE]) {
            i = v - first[T_AGG];
            snprintf(buf, sizeof buf, "agg%llu.%llu", (unsigned long long)(i / h), (unsigned long long)(i % h));
        } else if (v < first[T_HOST]) {
            i = v - first[T_EDGE];
            snprintf(buf, sizeof buf, "edge%llu.%llu", (unsigned long long)(i / h), (unsigned long long)(i % h));
        } else if (v < first[T_VM])
            snprintf(buf, sizeof buf, "host%llu", (unsigned long long)(v - first[T_HOST]));
        else if (v < first[T_SERVICE])
            snprintf(buf, sizeof buf, "vm%llu", (unsigned long long)(v - first[T_VM]));
        else if (v < first[T_SUPERVISOR])
            snprintf(buf, sizeof buf, "svc%llu", (unsigned long long)(v - first[T_SERVICE]));
        else
            snprintf(buf, sizeof buf, "sup%llu", (unsigned long long)(v - first[T_SUPERVISOR]));
        if ((g->name[v] = strdup(buf)) == NULL)
            goto nomem;
    }
    /* dependency edges (from -> to: to needs from) */
    for (uint64_t p = 0; p < k; p++)
        for (uint64_t a = 0; a < h; a++) {
            uint64_t agg = first[T_AGG] + p * h + a;
            for (uint64_t j = 0; j < h; j++) { /* aggregation a of each pod uplinks to cores a*h .. a*h+h-1 */
                from[e] = (uint32_t)(first[T_CORE] + a * h + j);
                to[e++] = (uint32_t)agg;
            }
            for (uint64_t j = 0; j < h; j++) { /* every edge switch of the pod uplinks to every aggregation */
                from[e] = (uint32_t)agg;
                to[e++] = (uint32_t)(first[T_EDGE] + p * h + j);
            }
        }
    for (i = 0; i < nhost; i++) { /* h hosts per edge switch */
        from[e] = (uint32_t)(first[T_EDGE] + i / h);
        to[e++] = (uint32_t)(first[T_HOST] + i);
    }
    for (i = 0; i < nvm; i++) {
        from[e] = (uint32_t)(first[T_HOST] + i / o->vms_per_host);
        to[e++] = (uint32_t)(first[T_VM] + i);
    }
    for (i = 0; i < nsvc; i++) {
        from[e] = (uint32_t)(first[T_VM] + i / o->services_per_vm);
        to[e++] = (uint32_t)(first[T_SERVICE] + i);
    }
    for (i = 0; i < k; i++) { /* the supervisor of pod i talks over the pod's first edge switch */
        from[e] = (uint32_t)(first[T_EDGE] + i * h);
        to[e++] = (uint32_t)(first[T_SUPERVISOR] + i);
    }
    /* supervision: the pod's supervisor restarts its VMs and services */
    for (i = 0; i < nvm; i++) {
        g->sup_from[s] = (uint32_t)(first[T_SUPERVISOR] + i / (o->vms_per_host * h * h));
        g->sup_to[s++] = (uint32_t)(first[T_VM] + i);
    }
    for (i = 0; i < nsvc; i++) {
        g->sup_from[s] = (uint32_t)(first[T_SUPERVISOR] + i / ((uint64_t)o->services_per_vm * o->vms_per_host * h * h));
        g->sup_to[s++] = (uint32_t)(first[T_SERVICE] + i);
    }
    csr_from_edges(g, from, to, m, NULL);
    goto cleanup;
nomem:
    status = NOMEM();
cleanup:
    free(from);
    free(to);
    return status;
}

/* --------------------------------------------------------------- a model */

int fl_i_h5graph_from_model(fl_i_h5graph *g, const fl_model *md, int full, char *message, size_t message_size)
{
    uint64_t k, *order = NULL;
    uint32_t v;
    int numeric = 1;
    char buf[16];

    g->n = md->n;
    g->m = md->m;
    if (alloc_csr(g, md->n, md->m) != FL_OK || (order = xmalloc(md->m, sizeof *order)) == NULL)
        goto nomem;
    if (csr_from_edges(g, md->edge_from, md->edge_to, md->m, order)) {
        free(order);
        order = NULL;
    }
    g->edge_order = order;
    /* names, unless they are "0".."n-1" in order */
    for (v = 0; v < md->n && numeric; v++) {
        snprintf(buf, sizeof buf, "%u", v);
        numeric = strcmp(buf, md->vertex_name[v]) == 0;
    }
    if (!numeric) {
        if ((g->name = calloc(md->n, sizeof *g->name)) == NULL)
            goto nomem;
        for (v = 0; v < md->n; v++)
            if ((g->name[v] = strdup(md->vertex_name[v])) == NULL)
                goto nomem;
    }
    if (!full)
        return FL_OK;
    g->q = xmalloc(md->m, sizeof *g->q);
    g->weight = xmalloc(md->m, sizeof *g->weight);
    if (g->q == NULL || g->weight == NULL)
        goto nomem;
    for (k = 0; k < md->m; k++) {
        uint64_t j = order != NULL ? order[k] : k;
        g->q[k] = fl_i_edge_q(md, j);
        g->weight[k] = fl_i_edge_weight(md, j);
    }
    g->nclass = md->nclass;
    if (md->nclass != 0) {
        if ((g->classes = calloc(md->nclass, sizeof *g->classes)) == NULL)
            goto nomem;
        for (v = 0; v < md->nclass; v++)
            if ((g->classes[v] = strdup(md->class_name[v])) == NULL)
                goto nomem;
        if ((g->vclass = xmalloc(md->n, sizeof *g->vclass)) == NULL)
            goto nomem;
        for (v = 0; v < md->n; v++)
            g->vclass[v] = md->vertex_class[v] == FL_NONE ? -1 : (int32_t)md->vertex_class[v];
    }
    g->p_fail = xmalloc(md->n, sizeof(double));
    g->p_repair = xmalloc(md->n, sizeof(double));
    g->p_permanent = xmalloc(md->n, sizeof(double));
    g->p_restart = xmalloc(md->n, sizeof(double));
    g->unavailability = xmalloc(md->n, sizeof(double));
    g->threshold = xmalloc(md->n, sizeof(uint32_t));
    g->on_dependency = xmalloc(md->n, 1);
    g->initial = xmalloc(md->n, 1);
    g->detect_delay = xmalloc(md->n, sizeof(uint32_t));
    g->capacity = xmalloc(md->n, sizeof(uint32_t));
    g->boot_delay = xmalloc(md->n, sizeof(uint32_t));
    g->pool = xmalloc(md->n, sizeof(int64_t));
    if (!g->p_fail || !g->p_repair || !g->p_permanent || !g->p_restart || !g->unavailability || !g->threshold ||
        !g->on_dependency || !g->initial || !g->detect_delay || !g->capacity || !g->boot_delay || !g->pool)
        goto nomem;
    int any_unavailability = 0;
    for (v = 0; v < md->n; v++) {
        const fl_vertex_params *p = &md->vp[v];
        g->p_fail[v] = p->p_fail;
        g->p_repair[v] = p->p_repair;
        g->p_permanent[v] = p->p_permanent;
        g->p_restart[v] = p->p_restart;
        g->unavailability[v] = p->unavailability >= 0.0 ? p->unavailability : -1.0;
        any_unavailability |= p->unavailability >= 0.0;
        g->threshold[v] = p->threshold;
        g->on_dependency[v] = p->on_dependency;
        g->initial[v] = p->initial;
        g->detect_delay[v] = p->detect_delay;
        g->capacity[v] = p->capacity;
        g->boot_delay[v] = p->boot_delay;
        g->pool[v] = p->pool == FL_NONE ? -1 : (int64_t)p->pool;
    }
    if (!any_unavailability) {
        free(g->unavailability);
        g->unavailability = NULL;
    }
    g->ns = md->ns;
    if (md->ns != 0) {
        g->sup_from = xmalloc(md->ns, sizeof(uint32_t));
        g->sup_to = xmalloc(md->ns, sizeof(uint32_t));
        if (g->sup_from == NULL || g->sup_to == NULL)
            goto nomem;
        memcpy(g->sup_from, md->sup_from, (size_t)md->ns * sizeof(uint32_t));
        memcpy(g->sup_to, md->sup_to, (size_t)md->ns * sizeof(uint32_t));
    }
    return FL_OK;
nomem:
    if (order != g->edge_order)
        free(order);
    return NOMEM();
}

/* ------------------------------------------------------------ edge list */

static char *put_label(char *p, const fl_i_h5graph *g, uint32_t v)
{
    char b[12];
    int k = 12;

    if (g->name != NULL) {
        size_t len = strlen(g->name[v]);
        memcpy(p, g->name[v], len);
        return p + len;
    }
    do {
        b[--k] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    memcpy(p, b + k, (size_t)(12 - k));
    return p + 12 - k;
}

int fl_i_edgelist_write(const fl_i_h5graph *g, const char *path, const char *header, char *message, size_t message_size)
{
    size_t cap = (size_t)1 << 20, maxlen = 12;
    char *tmp = malloc(strlen(path) + 32), *buf = malloc(cap), *p;
    FILE *f = NULL;
    uint64_t k, *where = NULL;
    uint32_t u;
    int status = FL_OK;

    if (tmp == NULL || buf == NULL) {
        status = NOMEM();
        goto cleanup;
    }
    if (g->name != NULL)
        for (u = 0; u < g->n; u++)
            if (strlen(g->name[u]) > maxlen)
                maxlen = strlen(g->name[u]);
    if (2 * maxlen + 2 > cap / 2) {
        status = fl_i_say(message, message_size, FL_E_OUTPUT, "%s: a vertex name is too long for an edge list", path);
        goto cleanup;
    }
    sprintf(tmp, "%s.tmp.%ld", path, (long)getpid());
    f = fopen(tmp, "wb");
    if (f == NULL) {
        status = fl_i_say(message, message_size, FL_E_OUTPUT, "cannot create '%s': %s", tmp, strerror(errno));
        goto cleanup;
    }
    if (header != NULL)
        fprintf(f, "# %s\n", header);
    fprintf(f, "# %u vertices, %llu edges: FROM TO (TO depends on FROM)\n", g->n, (unsigned long long)g->m);
    /* edges in listing order: where[j] = CSR position of edge j */
    if (g->edge_order != NULL) {
        where = xmalloc(g->m, sizeof *where);
        if (where == NULL) {
            status = NOMEM();
            goto cleanup;
        }
        for (k = 0; k < g->m; k++)
            where[g->edge_order[k]] = k;
    }
    p = buf;
    u = 0;
    for (uint64_t j = 0; j < g->m; j++) {
        k = where != NULL ? where[j] : j;
        if (where != NULL) {
            /* the row of entry k: binary search */
            uint32_t lo = 0, hi = g->n;
            while (hi - lo > 1) {
                uint32_t mid = lo + (hi - lo) / 2;
                if (g->row_offset[mid] <= k)
                    lo = mid;
                else
                    hi = mid;
            }
            u = lo;
        } else
            while (g->row_offset[u + 1] <= k)
                u++;
        p = put_label(p, g, u);
        *p++ = ' ';
        p = put_label(p, g, g->col[k]);
        *p++ = '\n';
        if ((size_t)(p - buf) > cap - 2 * maxlen - 4) {
            fwrite(buf, 1, (size_t)(p - buf), f);
            p = buf;
        }
    }
    fwrite(buf, 1, (size_t)(p - buf), f);
    if (ferror(f) || fflush(f) != 0 || (fsync(fileno(f)) != 0 && errno != EINVAL)) {
        status = fl_i_say(message, message_size, FL_E_OUTPUT, "writing '%s': %s", tmp, strerror(errno));
        goto cleanup;
    }
    if (fclose(f) != 0) {
        f = NULL;
        status = fl_i_say(message, message_size, FL_E_OUTPUT, "writing '%s': %s", tmp, strerror(errno));
        goto cleanup;
    }
    f = NULL;
    if (rename(tmp, path) != 0)
        status =
            fl_i_say(message, message_size, FL_E_OUTPUT, "cannot rename '%s' to '%s': %s", tmp, path, strerror(errno));
cleanup:
    if (f != NULL)
        fclose(f);
    if (status != FL_OK && tmp != NULL)
        remove(tmp);
    free(where);
    free(tmp);
    free(buf);
    return status;
}
