/*
 * genmodel.c - random feature-complete models (see genmodel.h).  Uses its
 * own small LCG so that the models do not depend on the C library.
 */
#include "genmodel.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct buf {
    char *s;
    size_t len, cap;
} buf;

static void put(buf *b, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int need = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
        if ((size_t)need < b->cap - b->len) {
            b->len += (size_t)need;
            return;
        }
        b->cap = b->cap * 2 + (size_t)need + 64;
        b->s = realloc(b->s, b->cap);
    }
}

static uint32_t next(uint64_t *st, uint32_t bound)
{
    *st = *st * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)((*st >> 33) % bound);
}

char *gen_model_yaml(uint32_t n, uint32_t seed)
{
    static const char *probs[] = {"0", "0.02", "0.1", "0.3", "1"};
    static const char *qs[] = {"1", "0.5", "0.25", "0.9"};
    static const char *push_qs[] = {"0.03", "0.01", "0.02", "0.005"};   /* by source: v % 4 */
    static const char *event_probs[] = {"0", "0.001", "0.005", "0.02"}; /* p_fail of the event form: < 1/32 */
    int push = seed % 3 == 0;
    int event = seed % 12 == 0;          /* the event form (genmodel.h) */
    int d_is_c = seed % 9 == 0 || event; /* push mode, every vertex crash, no supervision (genmodel.h) */
    uint64_t st = seed * 2654435761ULL + 17;
    buf b = {malloc(4096), 0, 4096};
    b.s[0] = 0;
    uint32_t npool = 2, nsup = 3;
    put(&b, "faultline: 1\nname: generated-%u\n", seed);
    put(&b, "defaults: { p_fail: %s, p_repair: 0.2%s }\n", event ? "0.003" : "0.03",
        d_is_c ? ", on_dependency: crash" : "");
    put(&b, "classes:\n  worker: { pool: v0, detect_delay: %u, p_permanent: 0.5 }\n", next(&st, 3));
    put(&b, "  service: { on_dependency: crash }\nvertices:\n");
    for (uint32_t v = 0; v < n; v++) {
        put(&b, "  - { name: v%u", v);
        /* the event seeds draw the same numbers, and leave out pools,
         * permanent crashes and p_fail >= 1/32 */
        if (v < npool) {
            uint32_t cap = next(&st, 6), boot = next(&st, 5);
            if (!event)
                put(&b, ", capacity: %u, boot_delay: %u", cap, boot);
        } else if (v < npool + nsup) {
            const char *p = probs[1 + next(&st, 4)];
            if (!event)
                put(&b, ", p_restart: %s, p_fail: 0.05", p);
        } else {
            uint32_t kind = next(&st, 4);
            if (kind == 0) {
                uint32_t pool = next(&st, npool);
                if (!event)
                    put(&b, ", class: worker, pool: v%u", pool);
            } else if (kind == 1) {
                put(&b, ", class: service");
            }
            uint32_t fail = next(&st, 4);
            put(&b, ", p_fail: %s, p_repair: %s", event ? event_probs[fail] : probs[fail], probs[next(&st, 5)]);
            if (next(&st, 3) == 0) {
                const char *p = probs[next(&st, 5)];
                if (!event)
                    put(&b, ", p_permanent: %s", p);
            }
            if (next(&st, 3) == 0)
                put(&b, ", detect_delay: %u", next(&st, 4));
            if (next(&st, 4) == 0)
                put(&b, ", threshold: %u", next(&st, push ? 2 : 4));
            else if (next(&st, 5) == 0 && !push)
                put(&b, ", threshold_fraction: 0.5");
            uint32_t init = next(&st, 12);
            if (init == 0)
                put(&b, ", initial: down");
            else if (init == 1)
                put(&b, ", initial: %s", event ? "down" : "permanent");
            else if (init == 2)
                put(&b, ", initial: forced_down");
            if (next(&st, 3) == 0)
                put(&b, ", on_dependency: %s", next(&st, 2) || d_is_c ? "crash" : "degrade");
        }
        put(&b, " }\n");
    }
    put(&b, "edges:\n");
    for (uint32_t e = 0; e < 3 * n; e++) {
        uint32_t from = next(&st, n), to = npool + nsup + next(&st, n - npool - nsup);
        /* an even target's in-edges share q and weight: its hit is drawn
         * from the count of its down in-neighbours (fl_hit_count) */
        uint32_t qi = next(&st, 4), wt = 1 + next(&st, 3);
        if (to % 2 == 0) {
            qi = (to / 2) % 4;
            wt = 1 + (to / 8) % 3;
        }
        put(&b, "  - { from: v%u, to: v%u, q: %s, weight: %u }\n", from, to, push ? push_qs[from % 4] : qs[qi], wt);
    }
    for (uint32_t to = 0; push && to < n; to++)
        if (to != 8)
            put(&b, "  - { from: v8, to: v%u, q: %s }\n", to, push_qs[0]);
    if (!d_is_c)
        put(&b, "supervision:\n");
    for (uint32_t s = 0; s < nsup && !d_is_c; s++) {
        put(&b, "  - { supervisor: v%u, targets: [", npool + s);
        uint32_t first = npool + nsup, span = n - first, start = next(&st, span), cnt = 2 + next(&st, span / 3);
        for (uint32_t i = 0; i < cnt; i++) /* distinct: consecutive from start */
            put(&b, "%sv%u", i ? ", " : "", first + (start + i) % span);
        put(&b, "] }\n");
    }
    put(&b, "targets: { vertices: [v%u, v%u, v%u], k: %u }\n", n - 1, n - 2, n - 3, 1 + next(&st, 3));
    return b.s;
}
