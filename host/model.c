/*
 * model.c - loads and validates a model file into struct fl_model.
 *
 * The model file (MODEL.md section 6) is YAML or JSON, parsed by libfyaml
 * into a document tree that this file walks.  Loading runs in three phases
 * so that a bad model fails before a large graph is read, and so that the
 * listing order of vertices and edges is the one MODEL.md fixes (inline
 * entries first, then imported ones), whatever order the keys come in:
 *
 *   A. the YAML alone: every key, type and value is checked; classes and
 *      inline vertices get their indices; edge, supervision and target
 *      entries are only counted, because they may name imported vertices;
 *   B. the `graph:` import streams an edge list (host/io/edgelist.c), or
 *      reads a faultline HDF5 graph (host/io/graph_h5.c), and appends its
 *      new vertices and its edges;
 *   C. vertex names in edges, supervision, targets and pools are resolved
 *      and the parameters are layered (defaults < class < own entry).
 *
 * One open-addressing table maps vertex names (inline and imported) to
 * indices, so both the YAML references and an import of millions of edges
 * cost O(1) per name.  Every error names the model file, the line and the
 * key: "FILE:LINE: key 'KEY': what is wrong".
 */
#include "model.h"

#include "io/edgelist.h"
#include "io/graph_h5.h"
#include "mem.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <libfyaml.h>
#include <openssl/evp.h>

#ifndef FL_CHECK
#define FL_CHECK(expr)                                                                                                 \
    do {                                                                                                               \
        status = (expr);                                                                                               \
        if (status != FL_OK)                                                                                           \
            goto cleanup;                                                                                              \
    } while (0)
#endif

/* Room for a quoted piece of user text inside a message. */
#define SHOW_MAX 64
#define SHOW_SIZE (SHOW_MAX + 4)

/* ------------------------------------------------------------ name table */

/*
 * Open addressing with linear probing.  A slot keeps the 32-bit hash and
 * the first 8 bytes of the name beside the index, so a lookup of a short
 * label (most edge lists use numbers) is decided inside the table, without
 * the two cache misses of following vertex_name[id] to the string.  Longer
 * names are compared in full.  The strings live in the caller's names array
 * (vertex_name or class_name), which is passed in because it moves when it
 * grows.
 */
#define TAB_KEY 8

typedef struct tab_slot {
    uint32_t id; /* FL_NONE: empty */
    uint32_t hash;
    char key[TAB_KEY]; /* the name's first bytes, NUL-padded */
} tab_slot;

typedef struct strtab {
    tab_slot *slot;
    size_t cap; /* a power of two, or 0 */
    size_t count;
} strtab;

static uint32_t hash_name(const char *s, size_t len)
{
    uint64_t h = 0x9E3779B97F4A7C15u ^ (uint64_t)len;
    uint64_t w;

    while (len >= 8) {
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDu;
        h ^= h >> 29;
        s += 8;
        len -= 8;
    }
    w = 0;
    memcpy(&w, s, len);
    h = (h ^ w) * 0xC4CEB9FE1A85EC53u;
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDu;
    h ^= h >> 33;
    return (uint32_t)h;
}

static uint32_t tab_find(const strtab *t, char *const *names, const char *s, size_t len, uint32_t h)
{
    size_t mask, i;

    if (t->cap == 0)
        return FL_NONE;
    mask = t->cap - 1;
    for (i = h & mask; t->slot[i].id != FL_NONE; i = (i + 1) & mask) {
        const tab_slot *sl = &t->slot[i];

        if (sl->hash != h)
            continue;
        if (len < TAB_KEY) {
            /* The key holds the whole name when it is this short. */
            if (memcmp(sl->key, s, len) == 0 && sl->key[len] == '\0')
                return sl->id;
        } else if (memcmp(sl->key, s, TAB_KEY) == 0) {
            const char *name = names[sl->id];

            /* Names never hold NUL bytes, so strncmp cannot stop early on s. */
            if (strncmp(name, s, len) == 0 && name[len] == '\0')
                return sl->id;
        }
    }
    return FL_NONE;
}

/* Inserts id, named name (not present yet).  Returns FL_OK or FL_E_NOMEM. */
static int tab_add(strtab *t, uint32_t id, const char *name, uint32_t h)
{
    size_t mask, i, len;

    /* Grow at 70 % load; a table of 2^32 slots never fills (n < 2^32). */
    if ((t->count + 1) * 10 > t->cap * 7 && (uint64_t)t->cap < ((uint64_t)1 << 32)) {
        size_t ncap = t->cap != 0 ? t->cap * 2 : 64;
        tab_slot *ns;

        if (ncap > SIZE_MAX / sizeof *ns)
            return FL_E_NOMEM;
        ns = malloc(ncap * sizeof *ns);
        if (ns == NULL)
            return FL_E_NOMEM;
        for (i = 0; i < ncap; i++)
            ns[i].id = FL_NONE;
        for (i = 0; i < t->cap; i++) {
            size_t j;

            if (t->slot[i].id == FL_NONE)
                continue;
            for (j = t->slot[i].hash & (ncap - 1); ns[j].id != FL_NONE; j = (j + 1) & (ncap - 1))
                ;
            ns[j] = t->slot[i];
        }
        free(t->slot);
        t->slot = ns;
        t->cap = ncap;
    }
    mask = t->cap - 1;
    for (i = h & mask; t->slot[i].id != FL_NONE; i = (i + 1) & mask)
        ;
    t->slot[i].id = id;
    t->slot[i].hash = h;
    len = strlen(name);
    memset(t->slot[i].key, 0, TAB_KEY);
    memcpy(t->slot[i].key, name, len < TAB_KEY ? len : TAB_KEY);
    t->count++;
    return FL_OK;
}

static void tab_free(strtab *t)
{
    free(t->slot);
    t->slot = NULL;
    t->cap = t->count = 0;
}

/* ------------------------------------------------------------ parameters */

enum param {
    P_FAIL,
    P_PERMANENT,
    P_REPAIR,
    P_THRESHOLD,
    P_FRACTION,
    P_ON_DEPENDENCY,
    P_INITIAL,
    P_DETECT_DELAY,
    P_RESTART,
    P_POOL,
    P_CAPACITY,
    P_BOOT_DELAY,
    P_UNAVAILABILITY,
    NPARAM
};

/* Keys of a vertex entry: the parameters (in enum param order), name, class. */
enum { K_NAME = NPARAM, K_CLASS, NENTRY };
static const char *const entry_key[NENTRY] = {
    "p_fail",        "p_permanent", "p_repair",       "threshold", "threshold_fraction",
    "on_dependency", "initial",     "detect_delay",   "p_restart", "pool",
    "capacity",      "boot_delay",  "unavailability", "name",      "class"};

static const char *const dependency_names[] = {"degrade", "crash"};
static const char *const initial_names[] = {"up", "down", "permanent", "forced_down"};

/* One layer of parameters: defaults, a class or a vertex's own entry. */
typedef struct pset {
    uint32_t given; /* bit p: parameter p was given */
    union {
        double d;   /* probabilities, threshold_fraction */
        uint32_t u; /* integers, enums */
    } v[NPARAM];
    const char *pool; /* pool name (in the document), resolved in phase C */
    size_t pool_len;
    int pool_line, fraction_line;
    uint32_t pool_id;
} pset;

/* ----------------------------------------------------------------- loader */

enum top {
    T_FAULTLINE,
    T_NAME,
    T_DEFAULTS,
    T_CLASSES,
    T_VERTICES,
    T_EDGES,
    T_SUPERVISION,
    T_TARGETS,
    T_GRAPH,
    T_SIMULATION,
    NTOP
};
static const char *const top_key[NTOP] = {"faultline", "name",        "defaults", "classes", "vertices",
                                          "edges",     "supervision", "targets",  "graph",   "simulation"};

typedef struct loader {
    fl_model *m;
    const char *file; /* the model path, for messages */

    struct fy_diag *diag;
    struct fy_parser *parser;
    struct fy_document *doc;
    struct fy_node *root;
    struct fy_node *top[NTOP];
    int top_line[NTOP];

    strtab vtab; /* vertex name -> index */
    size_t vcap; /* capacity of vertex_name and vertex_class */
    uint32_t ninline;
    pset *own;  /* [ninline] each inline vertex's own entry */
    int *vline; /* [ninline] line of its name, for duplicate messages */

    strtab ctab; /* class name -> index */
    pset *cls;   /* [nclass] */
    int *cline;  /* [nclass] */
    pset defaults;

    /* graph: */
    char *graph_path; /* resolved against the model's directory; NULL: none */
    int graph_path_line;
    uint32_t graph_class, graph_weight;
    double graph_q;
    size_t ecap; /* capacity of edge_from and edge_to */
    uint64_t m_inline;
    /* the inline edges' weight and q: inline_w0 / inline_q0 for all, unless
     * they vary (*_mixed) */
    uint32_t inline_w0;
    double inline_q0;
    int inline_w_mixed, inline_q_mixed;
    int in_callback_error; /* the edge callback wrote m->error itself */
    /* a cache in front of vtab for decimal labels (import_edge): num_id[x]
     * is the vertex labelled x, FL_NONE if not looked up yet */
    uint32_t *num_id;
    size_t num_cap;

    /* an HDF5 graph import (graph_h5.h), kept until phase C */
    int graph_h5;
    fl_i_h5graph g;
    uint32_t *gmap;   /* [g.n] file vertex -> model vertex */
    uint32_t *gidx;   /* [n] model vertex -> file vertex, FL_NONE; NULL without per-vertex values */
    int g_numeric;    /* the file has no names: its labels are "0".."n-1", not in vtab */
    uint64_t ns_file; /* supervision edges from the file */

    locale_t c_locale; /* for strtod; (locale_t)0 until first needed */
} loader;

static int fail(loader *L, int status, int line, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/*
 * Writes "FILE:LINE: key 'KEY': message" into the model's error and returns
 * status.  key may be NULL for errors that belong to no key.
 */
static int fail(loader *L, int status, int line, const char *key, const char *fmt, ...)
{
    char *out = L->m->error;
    size_t size = sizeof L->m->error;
    int n;
    va_list ap;

    if (line < 1)
        line = 1;
    if (key != NULL)
        n = snprintf(out, size, "%s:%d: key '%s': ", L->file, line, key);
    else
        n = snprintf(out, size, "%s:%d: ", L->file, line);
    if (n < 0 || (size_t)n >= size)
        return status; /* a path too long to leave room: the prefix alone */
    va_start(ap, fmt);
    vsnprintf(out + n, size - (size_t)n, fmt, ap);
    va_end(ap);
    return status;
}

static int nomem(loader *L)
{
    snprintf(L->m->error, sizeof L->m->error, "%s: out of memory", L->file);
    return FL_E_NOMEM;
}

/* Copies user text for a message: at most SHOW_MAX bytes, no control bytes. */
static const char *show(char *buf, const char *s, size_t len)
{
    size_t i, n = len < SHOW_MAX ? len : SHOW_MAX;

    for (i = 0; i < n; i++)
        buf[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7F ? '?' : s[i];
    if (n < len) {
        memcpy(buf + n, "...", 3);
        n += 3;
    }
    buf[n] = '\0';
    return buf;
}

/* ------------------------------------------------------------ node helpers */

/* Follows aliases; unresolvable aliases were rejected when the file loaded. */
static struct fy_node *deref(struct fy_node *n)
{
    if (n != NULL && fy_node_is_alias(n))
        n = fy_node_resolve_alias(n);
    return n;
}

/*
 * The 1-based line where a node starts.  libfyaml 0.7 has no start mark for
 * collections, so a collection reports its first scalar; empty ones (and
 * empty scalars, which have no token) report the fallback, the line of the
 * key that holds them.
 */
static int line_of(struct fy_node *n, int fallback)
{
    int depth;

    for (depth = 0; n != NULL && depth < 256; depth++) {
        void *it = NULL;

        switch (fy_node_get_type(n)) {
        case FYNT_SCALAR: {
            struct fy_token *t = fy_node_get_scalar_token(n);
            const struct fy_mark *mk = t != NULL ? fy_token_start_mark(t) : NULL;

            return mk != NULL ? mk->line + 1 : fallback;
        }
        case FYNT_MAPPING: {
            struct fy_node_pair *p = fy_node_mapping_iterate(n, &it);

            n = p != NULL ? fy_node_pair_key(p) : NULL;
            break;
        }
        case FYNT_SEQUENCE: n = fy_node_sequence_iterate(n, &it); break;
        default: return fallback;
        }
    }
    return fallback;
}

/* YAML's null: no node, or a plain "", "~" or "null". */
static bool is_null(struct fy_node *n)
{
    size_t len;
    const char *s;

    if (n == NULL)
        return true;
    if (fy_node_get_type(n) != FYNT_SCALAR || fy_node_get_style(n) != FYNS_PLAIN)
        return false;
    s = fy_node_get_scalar(n, &len);
    return s == NULL || len == 0 || (len == 1 && s[0] == '~') ||
           (len == 4 && (memcmp(s, "null", 4) == 0 || memcmp(s, "Null", 4) == 0 || memcmp(s, "NULL", 4) == 0));
}

static const char *kind(struct fy_node *n)
{
    if (is_null(n))
        return "nothing";
    switch (fy_node_get_type(n)) {
    case FYNT_SCALAR: return "a scalar";
    case FYNT_SEQUENCE: return "a sequence";
    default: return "a mapping";
    }
}

/* Null is accepted as an empty collection when null_ok. */
static int expect(loader *L, struct fy_node *n, enum fy_node_type type, int line, const char *key, bool null_ok)
{
    if (null_ok && is_null(n))
        return FL_OK;
    if (n != NULL && !is_null(n) && fy_node_get_type(n) == type)
        return FL_OK;
    return fail(L, FL_E_MODEL, line, key, "expected %s, found %s",
                type == FYNT_MAPPING    ? "a mapping"
                : type == FYNT_SEQUENCE ? "a sequence"
                                        : "a scalar",
                kind(n));
}

/* Rejects aliases without an anchor, so deref() can never fail later. */
static int check_aliases(loader *L, struct fy_node *n, int depth)
{
    void *it = NULL;
    int status = FL_OK;

    if (n == NULL || depth > 1000)
        return FL_OK;
    switch (fy_node_get_type(n)) {
    case FYNT_SCALAR:
        if (fy_node_is_alias(n) && fy_node_resolve_alias(n) == NULL) {
            size_t len;
            const char *s = fy_node_get_scalar(n, &len);
            char b[SHOW_SIZE];

            return fail(L, FL_E_MODEL, line_of(n, 1), NULL, "alias '*%s' names no anchor (or forms a cycle)",
                        show(b, s, len));
        }
        return FL_OK;
    case FYNT_SEQUENCE: {
        struct fy_node *c;

        while ((c = fy_node_sequence_iterate(n, &it)) != NULL)
            FL_CHECK(check_aliases(L, c, depth + 1));
        break;
    }
    default: {
        struct fy_node_pair *p;

        while ((p = fy_node_mapping_iterate(n, &it)) != NULL) {
            FL_CHECK(check_aliases(L, fy_node_pair_key(p), depth + 1));
            FL_CHECK(check_aliases(L, fy_node_pair_value(p), depth + 1));
        }
        break;
    }
    }
cleanup:
    return status;
}

/*
 * Collects the values of a mapping whose keys must all come from
 * keys[0..nkeys): val[i] is the (dereferenced) value of keys[i] and line[i]
 * the line of that key, 0 when absent.  where is the line to fall back on,
 * what names the mapping in messages ("in a vertex entry").
 */
static int scan_map(loader *L, struct fy_node *map, int where, const char *what, const char *const *keys, int nkeys,
                    struct fy_node **val, int *line)
{
    struct fy_node_pair *p;
    void *it = NULL;
    int i;

    for (i = 0; i < nkeys; i++) {
        val[i] = NULL;
        line[i] = 0;
    }
    if (is_null(map))
        return FL_OK;
    while ((p = fy_node_mapping_iterate(map, &it)) != NULL) {
        struct fy_node *k = deref(fy_node_pair_key(p));
        int kl = line_of(fy_node_pair_key(p), line_of(map, where));
        char b[SHOW_SIZE], list[512];
        const char *s;
        size_t len, used;

        if (k == NULL || fy_node_get_type(k) != FYNT_SCALAR)
            return fail(L, FL_E_MODEL, kl, NULL, "a key %s must be a plain name, found %s", what, kind(k));
        s = fy_node_get_scalar(k, &len);
        for (i = 0; i < nkeys; i++)
            if (strlen(keys[i]) == len && memcmp(keys[i], s, len) == 0)
                break;
        if (i < nkeys) {
            if (line[i] != 0)
                return fail(L, FL_E_MODEL, kl, keys[i], "duplicate key %s (first at line %d)", what, line[i]);
            val[i] = deref(fy_node_pair_value(p));
            line[i] = kl;
            continue;
        }
        if (len == 2 && memcmp(s, "<<", 2) == 0)
            return fail(L, FL_E_MODEL, kl, "<<", "YAML merge keys are not supported; use defaults or classes");
        for (i = 0, used = 0; i < nkeys && used < sizeof list; i++)
            used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", keys[i]);
        return fail(L, FL_E_MODEL, kl, show(b, s, len), "unknown key %s (expected one of: %s)", what, list);
    }
    return FL_OK;
}

/* A scalar's text; null, collections, empty strings and NUL bytes are errors. */
static int get_text(loader *L, struct fy_node *n, int line, const char *key, const char *expected, const char **s,
                    size_t *len)
{
    if (is_null(n))
        return fail(L, FL_E_MODEL, line, key, "missing value (expected %s)", expected);
    if (fy_node_get_type(n) != FYNT_SCALAR)
        return fail(L, FL_E_MODEL, line, key, "expected %s, found %s", expected, kind(n));
    *s = fy_node_get_scalar(n, len);
    if (*s == NULL || *len == 0)
        return fail(L, FL_E_MODEL, line, key, "empty string (expected %s)", expected);
    if (memchr(*s, '\0', *len) != NULL)
        return fail(L, FL_E_MODEL, line, key, "%s holds a NUL byte", expected);
    return FL_OK;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/*
 * The number forms accepted: [+-] digits [. digits] [e [+-] digits], or with
 * the digits only after the point.  Hex, octal, .inf and .nan are not (no
 * parameter has a use for them).  integral: no point and no exponent.
 */
static bool number_syntax(const char *s, size_t len, bool *integral)
{
    size_t i = 0, digits = 0;

    *integral = true;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        i++;
    while (i < len && is_digit(s[i]))
        i++, digits++;
    if (i < len && s[i] == '.') {
        *integral = false;
        for (i++; i < len && is_digit(s[i]); i++)
            digits++;
    }
    if (digits == 0)
        return false;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        size_t e = 0;

        *integral = false;
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            i++;
        while (i < len && is_digit(s[i]))
            i++, e++;
        if (e == 0)
            return false;
    }
    return i == len;
}

/*
 * strtod in the "C" locale: a program that called setlocale() for, say, a
 * German LC_NUMERIC must still read 0.5 as one half.
 */
static double to_double(loader *L, const char *text)
{
    locale_t old;
    double x;

    if (L->c_locale == (locale_t)0)
        L->c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    if (L->c_locale == (locale_t)0)
        return strtod(text, NULL);
    old = uselocale(L->c_locale);
    x = strtod(text, NULL);
    uselocale(old);
    return x;
}

/* A plain scalar in number syntax; its text (for messages) goes to text. */
static int number_text(loader *L, struct fy_node *n, int line, const char *key, char *text, bool *integral)
{
    const char *s;
    size_t len;
    int status = get_text(L, n, line, key, "a number", &s, &len);
    char b[SHOW_SIZE];

    if (status != FL_OK)
        return status;
    show(text, s, len);
    if (fy_node_get_style(n) != FYNS_PLAIN)
        return fail(L, FL_E_MODEL, line, key, "expected a number, found the quoted string '%s'", text);
    if (!number_syntax(s, len, integral))
        return fail(L, FL_E_MODEL, line, key, "'%s' is not a number", show(b, s, len));
    if (len > SHOW_MAX)
        return fail(L, FL_E_MODEL, line, key, "%s is too long for a number", show(b, s, len));
    return FL_OK;
}

static int get_double(loader *L, struct fy_node *n, int line, const char *key, double *x, char *text)
{
    bool integral;
    int status = number_text(L, n, line, key, text, &integral);

    if (status != FL_OK)
        return status;
    /* text is the whole scalar here (<= SHOW_MAX bytes, NUL-terminated). */
    errno = 0;
    *x = to_double(L, text);
    if (!isfinite(*x) || (errno == ERANGE && fabs(*x) > 1.0))
        return fail(L, FL_E_MODEL, line, key, "%s is out of range", text);
    *x += 0.0; /* -0 becomes +0 */
    return FL_OK;
}

static int get_probability(loader *L, struct fy_node *n, int line, const char *key, double *x)
{
    char text[SHOW_SIZE];
    int status = get_double(L, n, line, key, x, text);

    if (status != FL_OK)
        return status;
    if (!(*x >= 0.0 && *x <= 1.0))
        return fail(L, FL_E_MODEL, line, key, "%s is not a probability in [0, 1]", text);
    return FL_OK;
}

/*
 * An integer in [min, max].  Digit strings are read exactly (seeds use all
 * 63 bits); forms like 1e6 or 2.0 are accepted when they are whole numbers
 * that a double holds exactly.
 */
static int get_uint(loader *L, struct fy_node *n, int line, const char *key, uint64_t min, uint64_t max, uint64_t *out)
{
    char text[SHOW_SIZE];
    bool integral, negative = false, overflow = false;
    uint64_t v = 0;
    int status = number_text(L, n, line, key, text, &integral);
    size_t i = 0;

    if (status != FL_OK)
        return status;
    if (integral) {
        if (text[0] == '+' || text[0] == '-')
            negative = text[i++] == '-';
        for (; text[i] != '\0'; i++) {
            uint64_t d = (uint64_t)(text[i] - '0');

            if (v > (UINT64_MAX - d) / 10)
                overflow = true;
            else
                v = v * 10 + d;
        }
        if (negative && v != 0)
            return fail(L, FL_E_MODEL, line, key, "%s is negative", text);
    } else {
        double x = to_double(L, text);

        if (!isfinite(x) || fabs(x) > 9007199254740992.0) {
            if (x < 0)
                return fail(L, FL_E_MODEL, line, key, "%s is negative", text);
            if (x <= (double)max)
                return fail(L, FL_E_MODEL, line, key, "%s is above 2^53: write such integers with all their digits",
                            text);
            overflow = true;
        } else if (x != floor(x)) {
            return fail(L, FL_E_MODEL, line, key, "%s is not an integer", text);
        } else if (x < 0) {
            return fail(L, FL_E_MODEL, line, key, "%s is negative", text);
        } else {
            v = (uint64_t)x;
        }
    }
    if (overflow || v > max)
        return fail(L, FL_E_MODEL, line, key, "%s is too large (at most %llu)", text, (unsigned long long)max);
    if (v < min)
        return fail(L, FL_E_MODEL, line, key, "%s is less than %llu", text, (unsigned long long)min);
    *out = v;
    return FL_OK;
}

static int get_enum(loader *L, struct fy_node *n, int line, const char *key, const char *const *names, uint32_t count,
                    uint32_t *out)
{
    const char *s;
    size_t len;
    char b[SHOW_SIZE], list[128];
    uint32_t i;
    size_t used = 0;
    int status = get_text(L, n, line, key, "a word", &s, &len);

    if (status != FL_OK)
        return status;
    for (i = 0; i < count; i++) {
        if (strlen(names[i]) == len && memcmp(names[i], s, len) == 0) {
            *out = i;
            return FL_OK;
        }
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", names[i]);
    }
    return fail(L, FL_E_MODEL, line, key, "'%s' is not one of %s", show(b, s, len), list);
}

/* ----------------------------------------------------------------- vertices */

/* Appends a vertex (the name is copied) and enters it in the name table. */
static int add_vertex(loader *L, const char *s, size_t len, uint32_t h, uint32_t cls, uint32_t *id)
{
    fl_model *m = L->m;
    char *name;

    if (m->n >= UINT32_MAX - 1)
        return FL_E_MODEL; /* the caller says where */
    if (m->n == L->vcap) {
        size_t ncap = L->vcap != 0 ? L->vcap * 2 : 256;
        char **nn;
        uint32_t *nc;

        if (ncap > SIZE_MAX / sizeof *nn)
            return FL_E_NOMEM;
        nn = realloc(m->vertex_name, ncap * sizeof *nn);
        if (nn == NULL)
            return FL_E_NOMEM;
        m->vertex_name = nn;
        nc = realloc(m->vertex_class, ncap * sizeof *nc);
        if (nc == NULL)
            return FL_E_NOMEM;
        m->vertex_class = nc;
        L->vcap = ncap;
    }
    name = malloc(len + 1);
    if (name == NULL)
        return FL_E_NOMEM;
    memcpy(name, s, len);
    name[len] = '\0';
    if (tab_add(&L->vtab, m->n, name, h) != FL_OK) {
        free(name);
        return FL_E_NOMEM;
    }
    m->vertex_name[m->n] = name;
    m->vertex_class[m->n] = cls;
    *id = m->n++;
    return FL_OK;
}

/*
 * tab_find for vertex names.  An HDF5 graph without names labels its
 * vertices "0".."n-1"; those labels are not entered in the table (hashing a
 * million generated names would cost more than the rest of the import), so
 * a canonical decimal label is looked up here instead.
 */
static uint32_t find_vertex(const loader *L, const char *s, size_t len, uint32_t h)
{
    uint32_t id = tab_find(&L->vtab, L->m->vertex_name, s, len, h);
    uint64_t x = 0;
    size_t i;

    if (id != FL_NONE || !L->g_numeric || len == 0 || len > 10 || (len > 1 && s[0] == '0'))
        return id;
    for (i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return FL_NONE;
        x = x * 10 + (uint64_t)(s[i] - '0');
    }
    return x < L->g.n ? L->gmap[x] : FL_NONE;
}

/* The index of the vertex named by n, or an "unknown vertex" error. */
static int vertex_ref(loader *L, struct fy_node *n, int line, const char *key, uint32_t *id)
{
    const char *s = "";
    size_t len = 0;
    char b[SHOW_SIZE];
    int status = get_text(L, n, line, key, "a vertex name", &s, &len);

    if (status != FL_OK)
        return status;
    *id = find_vertex(L, s, len, hash_name(s, len));
    if (*id == FL_NONE)
        return fail(L, FL_E_MODEL, line, key, "unknown vertex '%s'", show(b, s, len));
    return FL_OK;
}

static int class_ref(loader *L, struct fy_node *n, int line, const char *key, uint32_t *id)
{
    const char *s = "";
    size_t len = 0;
    char b[SHOW_SIZE];
    int status = get_text(L, n, line, key, "a class name", &s, &len);

    if (status != FL_OK)
        return status;
    *id = tab_find(&L->ctab, L->m->class_name, s, len, hash_name(s, len));
    if (*id == FL_NONE)
        return fail(L, FL_E_MODEL, line, key, "unknown class '%s'", show(b, s, len));
    return FL_OK;
}

/* ------------------------------------------------------------ phase A */

/*
 * YAML text must be UTF-8 made of printable characters (YAML 1.2, 5.1).
 * Checked before libfyaml sees it: libfyaml 0.7 skips the rest of a file
 * after a bad byte in a comment, stops at a NUL, and loops forever on a bad
 * byte in a directive line.
 */
static int check_text(loader *L)
{
    const unsigned char *s = (const unsigned char *)L->m->text;
    size_t len = L->m->text_len, i = 0;
    int line = 1;

    while (i < len) {
        unsigned c = s[i], need, k;
        uint32_t cp;

        if (c < 0x80) {
            if (c == '\n')
                line++;
            else if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7F)
                return fail(L, FL_E_MODEL, line, NULL,
                            "control character 0x%02X is not allowed in YAML (is this a YAML file?)", c);
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF)
            need = 1, cp = c & 0x1F;
        else if (c >= 0xE0 && c <= 0xEF)
            need = 2, cp = c & 0x0F;
        else if (c >= 0xF0 && c <= 0xF4)
            need = 3, cp = c & 0x07;
        else
            need = 0, cp = 0;
        for (k = 1; need != 0 && k <= need; k++) {
            if (i + k >= len || (s[i + k] & 0xC0) != 0x80) {
                need = 0;
                break;
            }
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        /* Overlong forms, surrogates and code points past U+10FFFF are invalid. */
        if (need == 0 || (need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) || (cp >= 0xD800 && cp <= 0xDFFF) ||
            cp > 0x10FFFF)
            return fail(L, FL_E_MODEL, line, NULL, "the file is not valid UTF-8 (byte 0x%02X)", c);
        if ((cp >= 0x80 && cp <= 0x9F && cp != 0x85) || cp == 0xFFFE || cp == 0xFFFF)
            return fail(L, FL_E_MODEL, line, NULL, "character U+%04X is not allowed in YAML", (unsigned)cp);
        i += need + 1;
    }
    return FL_OK;
}

/* Reads the file into model->text (NUL-terminated) and hashes it. */
static int read_model_file(loader *L, const char *path)
{
    fl_model *m = L->m;
    FILE *f = NULL;
    size_t cap = 1 << 16, len = 0;
    unsigned int mdlen = 0;
    int status = FL_OK;

    f = fopen(path, "rb");
    if (f == NULL) {
        snprintf(m->error, sizeof m->error, "%s: cannot open: %s", path, strerror(errno));
        status = FL_E_NOINPUT;
        goto cleanup;
    }
    m->text = malloc(cap);
    if (m->text == NULL) {
        status = nomem(L);
        goto cleanup;
    }
    for (;;) {
        size_t got;

        if (len + 1 >= cap) {
            char *bigger = cap <= SIZE_MAX / 2 ? realloc(m->text, cap * 2) : NULL;

            if (bigger == NULL) {
                status = nomem(L);
                goto cleanup;
            }
            m->text = bigger;
            cap *= 2;
        }
        got = fread(m->text + len, 1, cap - 1 - len, f);
        len += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        snprintf(m->error, sizeof m->error, "%s: cannot read: %s", path, strerror(errno));
        status = FL_E_NOINPUT;
        goto cleanup;
    }
    m->text[len] = '\0';
    m->text_len = len;
    FL_CHECK(check_text(L));
    if (EVP_Digest(m->text, len, m->sha256, &mdlen, EVP_sha256(), NULL) != 1 || mdlen != 32) {
        snprintf(m->error, sizeof m->error, "%s: SHA-256 failed (OpenSSL)", path);
        status = FL_E_INTERNAL;
        goto cleanup;
    }
cleanup:
    if (f != NULL)
        fclose(f);
    return status;
}

/* The first error libfyaml collected, as "FILE:LINE: invalid YAML: ...". */
static int yaml_error(loader *L)
{
    void *it = NULL;
    struct fy_diag_error *e;

    while ((e = fy_diag_errors_iterate(L->diag, &it)) != NULL) {
        if (e->type < FYET_ERROR)
            continue;
        return fail(L, FL_E_MODEL, e->line, NULL, "invalid YAML: %s (column %d)",
                    e->msg != NULL ? e->msg : "syntax error", e->column > 0 ? e->column : 1);
    }
    return fail(L, FL_E_MODEL, 1, NULL, "invalid YAML");
}

static int parse_yaml(loader *L)
{
    struct fy_diag_cfg dcfg;
    struct fy_parse_cfg cfg;
    struct fy_document *second = NULL;
    int status = FL_OK;

    /* Collect libfyaml's messages instead of letting it print them. */
    fy_diag_cfg_default(&dcfg);
    dcfg.fp = NULL;
    dcfg.output_fn = NULL;
    dcfg.level = FYET_ERROR;
    dcfg.colorize = false;
    L->diag = fy_diag_create(&dcfg);
    if (L->diag == NULL)
        return nomem(L);
    fy_diag_set_collect_errors(L->diag, true);

    memset(&cfg, 0, sizeof cfg);
    /* Duplicate keys are found by scan_map, which can name the key and both lines. */
    cfg.flags = FYPCF_QUIET | FYPCF_COLLECT_DIAG | FYPCF_ALLOW_DUPLICATE_KEYS;
    cfg.diag = L->diag;
    L->parser = fy_parser_create(&cfg);
    if (L->parser == NULL)
        return nomem(L);
    if (fy_parser_set_string(L->parser, L->m->text, L->m->text_len) != 0)
        return nomem(L);
    L->doc = fy_parse_load_document(L->parser);
    if (L->doc == NULL) {
        if (fy_diag_got_error(L->diag) || fy_parser_get_stream_error(L->parser))
            return yaml_error(L);
        return FL_OK; /* an empty stream */
    }
    second = fy_parse_load_document(L->parser);
    if (second != NULL) {
        status = fail(L, FL_E_MODEL, line_of(fy_document_root(second), 1), NULL,
                      "the file holds more than one YAML document");
        fy_parse_document_destroy(L->parser, second);
        return status;
    }
    if (fy_diag_got_error(L->diag) || fy_parser_get_stream_error(L->parser))
        return yaml_error(L);
    L->root = fy_document_root(L->doc);
    return check_aliases(L, L->root, 0);
}

static int parse_top(loader *L)
{
    int status = FL_OK;
    uint64_t version = 0;

    if (is_null(L->root))
        return fail(L, FL_E_MODEL, 1, "faultline",
                    "missing: the file is empty "
                    "(a model starts with 'faultline: 1')");
    if (fy_node_get_type(L->root) != FYNT_MAPPING)
        return fail(L, FL_E_MODEL, line_of(L->root, 1), NULL,
                    "the top level must be a mapping (faultline: 1, vertices: ...), found %s", kind(L->root));
    FL_CHECK(scan_map(L, L->root, 1, "at the top level", top_key, NTOP, L->top, L->top_line));
    if (L->top_line[T_FAULTLINE] == 0)
        return fail(L, FL_E_MODEL, line_of(L->root, 1), "faultline", "missing (a model starts with 'faultline: 1')");
    FL_CHECK(get_uint(L, L->top[T_FAULTLINE], L->top_line[T_FAULTLINE], "faultline", 0, UINT64_MAX, &version));
    if (version != 1)
        return fail(L, FL_E_MODEL, L->top_line[T_FAULTLINE], "faultline",
                    "version %llu is not supported (this faultline reads version 1)", (unsigned long long)version);
cleanup:
    return status;
}

static int parse_name(loader *L)
{
    fl_model *m = L->m;
    const char *s, *base, *dot;
    size_t len;
    int status = FL_OK;

    if (L->top_line[T_NAME] != 0) {
        FL_CHECK(get_text(L, L->top[T_NAME], L->top_line[T_NAME], "name", "a model name", &s, &len));
    } else {
        /* The file's stem: its base name without the last extension. */
        base = strrchr(L->file, '/');
        base = base != NULL ? base + 1 : L->file;
        dot = strrchr(base, '.');
        s = base;
        len = dot != NULL && dot != base ? (size_t)(dot - base) : strlen(base);
    }
    m->name = malloc(len + 1);
    if (m->name == NULL)
        return nomem(L);
    memcpy(m->name, s, len);
    m->name[len] = '\0';
cleanup:
    return status;
}

static int parse_simulation(loader *L)
{
    static const char *const keys[] = {"steps", "trials", "seed", "propagation"};
    static const char *const prop_names[] = {"synchronous", "instant"};
    fl_model *m = L->m;
    struct fy_node *val[4];
    int line[4], status = FL_OK;
    uint64_t v;
    uint32_t e;

    m->steps = FL_DEFAULT_STEPS;
    m->trials = FL_DEFAULT_TRIALS;
    m->seed = FL_DEFAULT_SEED;
    m->propagation = FL_PROP_SYNCHRONOUS;
    if (L->top_line[T_SIMULATION] == 0)
        return FL_OK;
    FL_CHECK(expect(L, L->top[T_SIMULATION], FYNT_MAPPING, L->top_line[T_SIMULATION], "simulation", true));
    FL_CHECK(scan_map(L, L->top[T_SIMULATION], L->top_line[T_SIMULATION], "in simulation", keys, 4, val, line));
    if (line[0] != 0) {
        FL_CHECK(get_uint(L, val[0], line[0], "steps", 0, 1000000000u, &v));
        m->steps = (uint32_t)v;
    }
    if (line[1] != 0) {
        FL_CHECK(get_uint(L, val[1], line[1], "trials", 1, UINT32_MAX, &v));
        m->trials = (uint32_t)v;
    }
    if (line[2] != 0)
        FL_CHECK(get_uint(L, val[2], line[2], "seed", 0, INT64_MAX, &m->seed));
    if (line[3] != 0) {
        FL_CHECK(get_enum(L, val[3], line[3], "propagation", prop_names, 2, &e));
        m->propagation = e == 0 ? FL_PROP_SYNCHRONOUS : FL_PROP_INSTANT;
    }
cleanup:
    return status;
}

/* Reads the parameters among a scanned entry's values into s. */
static int parse_params(loader *L, struct fy_node **val, const int *line, pset *s)
{
    int p, status = FL_OK;
    uint64_t v;

    memset(s, 0, sizeof *s);
    s->pool_id = FL_NONE;
    for (p = 0; p < NPARAM; p++) {
        const char *key = entry_key[p];

        if (line[p] == 0)
            continue;
        s->given |= 1u << p;
        switch (p) {
        case P_FAIL:
        case P_PERMANENT:
        case P_REPAIR:
        case P_RESTART:
        case P_UNAVAILABILITY: FL_CHECK(get_probability(L, val[p], line[p], key, &s->v[p].d)); break;
        case P_FRACTION: {
            char text[SHOW_SIZE];

            FL_CHECK(get_double(L, val[p], line[p], key, &s->v[p].d, text));
            if (!(s->v[p].d > 0.0 && s->v[p].d <= 1.0))
                return fail(L, FL_E_MODEL, line[p], key, "%s is not in (0, 1]", text);
            s->fraction_line = line[p];
            break;
        }
        case P_THRESHOLD:
        case P_DETECT_DELAY:
        case P_CAPACITY:
        case P_BOOT_DELAY:
            FL_CHECK(get_uint(L, val[p], line[p], key, 0, UINT32_MAX, &v));
            s->v[p].u = (uint32_t)v;
            break;
        case P_ON_DEPENDENCY: FL_CHECK(get_enum(L, val[p], line[p], key, dependency_names, 2, &s->v[p].u)); break;
        case P_INITIAL: FL_CHECK(get_enum(L, val[p], line[p], key, initial_names, 4, &s->v[p].u)); break;
        case P_POOL:
            /* A vertex name; it may be an imported vertex, so it is resolved later. */
            FL_CHECK(get_text(L, val[p], line[p], key, "a vertex name", &s->pool, &s->pool_len));
            s->pool_line = line[p];
            break;
        default: break;
        }
    }
cleanup:
    return status;
}

/* defaults: and class entries: parameters only. */
static int parse_layer(loader *L, struct fy_node *n, int where, const char *what, bool defaults, pset *s)
{
    struct fy_node *val[NENTRY];
    int line[NENTRY], status = FL_OK;

    FL_CHECK(scan_map(L, n, where, what, entry_key, NENTRY, val, line));
    if (line[K_NAME] != 0)
        return fail(L, FL_E_MODEL, line[K_NAME], "name", "not allowed %s (%s)", what,
                    defaults ? "defaults apply to every vertex" : "a class is named by its key");
    if (line[K_CLASS] != 0)
        return fail(L, FL_E_MODEL, line[K_CLASS], "class", "not allowed %s", what);
    FL_CHECK(parse_params(L, val, line, s));
cleanup:
    return status;
}

static int parse_defaults(loader *L)
{
    int status = FL_OK;

    memset(&L->defaults, 0, sizeof L->defaults);
    L->defaults.pool_id = FL_NONE;
    if (L->top_line[T_DEFAULTS] == 0)
        return FL_OK;
    FL_CHECK(expect(L, L->top[T_DEFAULTS], FYNT_MAPPING, L->top_line[T_DEFAULTS], "defaults", true));
    FL_CHECK(parse_layer(L, L->top[T_DEFAULTS], L->top_line[T_DEFAULTS], "in defaults", true, &L->defaults));
cleanup:
    return status;
}

static int parse_classes(loader *L)
{
    fl_model *m = L->m;
    struct fy_node *map = L->top[T_CLASSES];
    struct fy_node_pair *p;
    void *it = NULL;
    int where = L->top_line[T_CLASSES], status = FL_OK, count;

    if (where == 0)
        return FL_OK;
    FL_CHECK(expect(L, map, FYNT_MAPPING, where, "classes", true));
    if (is_null(map))
        return FL_OK;
    count = fy_node_mapping_item_count(map);
    if (count <= 0)
        return FL_OK;
    m->class_name = calloc((size_t)count, sizeof *m->class_name);
    L->cls = calloc((size_t)count, sizeof *L->cls);
    L->cline = calloc((size_t)count, sizeof *L->cline);
    if (m->class_name == NULL || L->cls == NULL || L->cline == NULL)
        return nomem(L);
    while ((p = fy_node_mapping_iterate(map, &it)) != NULL) {
        struct fy_node *k = deref(fy_node_pair_key(p));
        struct fy_node *v = deref(fy_node_pair_value(p));
        int kl = line_of(fy_node_pair_key(p), line_of(map, where));
        const char *s;
        size_t len;
        uint32_t h, c;
        char b[SHOW_SIZE], what[SHOW_SIZE + 16];

        FL_CHECK(get_text(L, k, kl, "classes", "a class name", &s, &len));
        show(b, s, len);
        h = hash_name(s, len);
        c = tab_find(&L->ctab, m->class_name, s, len, h);
        if (c != FL_NONE)
            return fail(L, FL_E_MODEL, kl, b, "duplicate class (first at line %d)", L->cline[c]);
        FL_CHECK(expect(L, v, FYNT_MAPPING, kl, b, true));
        snprintf(what, sizeof what, "in class '%s'", b);
        c = m->nclass;
        FL_CHECK(parse_layer(L, v, kl, what, false, &L->cls[c]));
        m->class_name[c] = malloc(len + 1);
        if (m->class_name[c] == NULL)
            return nomem(L);
        memcpy(m->class_name[c], s, len);
        m->class_name[c][len] = '\0';
        m->nclass++;
        if (tab_add(&L->ctab, c, m->class_name[c], h) != FL_OK)
            return nomem(L);
        L->cline[c] = kl;
    }
cleanup:
    return status;
}

static int parse_vertices(loader *L)
{
    fl_model *m = L->m;
    struct fy_node *seq = L->top[T_VERTICES], *raw;
    void *it = NULL;
    int where = L->top_line[T_VERTICES], status = FL_OK, count;

    if (where == 0)
        return FL_OK;
    FL_CHECK(expect(L, seq, FYNT_SEQUENCE, where, "vertices", true));
    if (is_null(seq))
        return FL_OK;
    count = fy_node_sequence_item_count(seq);
    if (count <= 0)
        return FL_OK;
    L->own = calloc((size_t)count, sizeof *L->own);
    L->vline = calloc((size_t)count, sizeof *L->vline);
    if (L->own == NULL || L->vline == NULL)
        return nomem(L);
    while ((raw = fy_node_sequence_iterate(seq, &it)) != NULL) {
        struct fy_node *item = deref(raw), *val[NENTRY];
        int il = line_of(raw, where), line[NENTRY];
        const char *s;
        size_t len;
        uint32_t h, id, cls = FL_NONE;
        char b[SHOW_SIZE];

        if (is_null(item) || fy_node_get_type(item) != FYNT_MAPPING)
            return fail(L, FL_E_MODEL, il, "vertices", "entry %u must be a mapping like { name: ... }, found %s",
                        L->ninline + 1, kind(item));
        FL_CHECK(scan_map(L, item, il, "in a vertex entry", entry_key, NENTRY, val, line));
        if (line[K_NAME] == 0)
            return fail(L, FL_E_MODEL, il, "name", "missing in vertex entry %u", L->ninline + 1);
        FL_CHECK(get_text(L, val[K_NAME], line[K_NAME], "name", "a vertex name", &s, &len));
        h = hash_name(s, len);
        id = tab_find(&L->vtab, m->vertex_name, s, len, h);
        if (id != FL_NONE)
            return fail(L, FL_E_MODEL, line[K_NAME], "name", "duplicate vertex '%s' (first at line %d)",
                        show(b, s, len), L->vline[id]);
        if (line[K_CLASS] != 0)
            FL_CHECK(class_ref(L, val[K_CLASS], line[K_CLASS], "class", &cls));
        FL_CHECK(parse_params(L, val, line, &L->own[L->ninline]));
        status = add_vertex(L, s, len, h, cls, &id);
        if (status != FL_OK)
            return nomem(L);
        L->vline[id] = line[K_NAME];
        L->ninline++;
    }
cleanup:
    return status;
}

/* True when path (without a trailing .gz) ends in ext, ignoring case. */
static bool has_ext(const char *path, size_t len, const char *ext)
{
    size_t e = strlen(ext), i;

    if (len > 3 && (memcmp(path + len - 3, ".gz", 3) == 0 || memcmp(path + len - 3, ".GZ", 3) == 0))
        len -= 3;
    if (len <= e)
        return false;
    for (i = 0; i < e; i++) {
        char c = path[len - e + i];

        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != ext[i])
            return false;
    }
    return true;
}

static int parse_graph(loader *L)
{
    static const char *const keys[] = {"path", "class", "q", "weight"};
    static const struct {
        const char *ext, *format;
    } later[] = {{".mtx", "MatrixMarket"}, {".m", "MATPOWER"}};
    struct fy_node *val[4];
    int line[4], where = L->top_line[T_GRAPH], status = FL_OK;
    const char *s, *slash;
    size_t len, dirlen, i;
    uint64_t w;

    L->graph_class = FL_NONE;
    L->graph_weight = 1;
    L->graph_q = 1.0;
    if (where == 0 || is_null(L->top[T_GRAPH]))
        return FL_OK;
    FL_CHECK(expect(L, L->top[T_GRAPH], FYNT_MAPPING, where, "graph", false));
    FL_CHECK(scan_map(L, L->top[T_GRAPH], where, "in graph", keys, 4, val, line));
    if (line[0] == 0)
        return fail(L, FL_E_MODEL, where, "path", "missing in graph (the file to import)");
    FL_CHECK(get_text(L, val[0], line[0], "path", "a file name", &s, &len));
    L->graph_path_line = line[0];
    for (i = 0; i < sizeof later / sizeof later[0]; i++)
        if (has_ext(s, len, later[i].ext)) {
            char b[SHOW_SIZE];

            return fail(
                L, FL_E_MODEL, line[0], "path",
                "'%s': format not supported yet (%s); only edge lists and faultline HDF5 graphs can be imported",
                show(b, s, len), later[i].format);
        }
    if (line[1] != 0)
        FL_CHECK(class_ref(L, val[1], line[1], "class", &L->graph_class));
    if (line[2] != 0)
        FL_CHECK(get_probability(L, val[2], line[2], "q", &L->graph_q));
    if (line[3] != 0) {
        FL_CHECK(get_uint(L, val[3], line[3], "weight", 1, UINT32_MAX, &w));
        L->graph_weight = (uint32_t)w;
    }
    /* A relative path is relative to the model file's directory (MODEL.md 6). */
    slash = strrchr(L->file, '/');
    dirlen = s[0] != '/' && slash != NULL ? (size_t)(slash - L->file) + 1 : 0;
    L->graph_path = malloc(dirlen + len + 1);
    if (L->graph_path == NULL)
        return nomem(L);
    memcpy(L->graph_path, L->file, dirlen);
    memcpy(L->graph_path + dirlen, s, len);
    L->graph_path[dirlen + len] = '\0';
    L->graph_h5 = has_ext(s, len, ".h5") || has_ext(s, len, ".hdf5") || fl_i_is_hdf5(L->graph_path);
cleanup:
    return status;
}

/* Bitwise equality: -0.0 and 0.0 stay apart, so a value kept once for all
 * edges is exactly each edge's. */
static bool same_f64(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

/*
 * edges: entries.  Pass 0 checks them and counts them (m_inline); pass 1,
 * after the import, resolves the names and fills slots 0 .. m_inline-1.
 */
static int edges_pass(loader *L, int fill)
{
    static const char *const keys[] = {"from", "to", "weight", "q"};
    fl_model *m = L->m;
    struct fy_node *seq = L->top[T_EDGES], *raw;
    void *it = NULL;
    int where = L->top_line[T_EDGES], status = FL_OK;
    uint64_t i = 0;

    if (where == 0)
        return FL_OK;
    FL_CHECK(expect(L, seq, FYNT_SEQUENCE, where, "edges", true));
    if (is_null(seq))
        return FL_OK;
    while ((raw = fy_node_sequence_iterate(seq, &it)) != NULL) {
        struct fy_node *item = deref(raw), *val[4];
        int il = line_of(raw, where), line[4];
        uint64_t w = 1;
        double q = 1.0;
        uint32_t from, to;

        if (is_null(item) || fy_node_get_type(item) != FYNT_MAPPING)
            return fail(L, FL_E_MODEL, il, "edges", "entry %llu must be a mapping like { from: A, to: B }, found %s",
                        (unsigned long long)i + 1, kind(item));
        FL_CHECK(scan_map(L, item, il, "in an edge entry", keys, 4, val, line));
        if (line[0] == 0 || line[1] == 0)
            return fail(L, FL_E_MODEL, il, line[0] == 0 ? "from" : "to", "missing in edge entry %llu",
                        (unsigned long long)i + 1);
        if (line[2] != 0)
            FL_CHECK(get_uint(L, val[2], line[2], "weight", 1, UINT32_MAX, &w));
        if (line[3] != 0)
            FL_CHECK(get_probability(L, val[3], line[3], "q", &q));
        if (fill) {
            FL_CHECK(vertex_ref(L, val[0], line[0], "from", &from));
            FL_CHECK(vertex_ref(L, val[1], line[1], "to", &to));
            m->edge_from[i] = from;
            m->edge_to[i] = to;
            /* Without the arrays, every edge has these values already. */
            if (m->edge_weight != NULL)
                m->edge_weight[i] = (uint32_t)w;
            if (m->edge_q != NULL)
                m->edge_q[i] = q;
        } else {
            const char *s;
            size_t len;

            FL_CHECK(get_text(L, val[0], line[0], "from", "a vertex name", &s, &len));
            FL_CHECK(get_text(L, val[1], line[1], "to", "a vertex name", &s, &len));
            if (i == 0) {
                L->inline_w0 = (uint32_t)w;
                L->inline_q0 = q;
            } else {
                L->inline_w_mixed |= (uint32_t)w != L->inline_w0;
                L->inline_q_mixed |= !same_f64(q, L->inline_q0);
            }
        }
        i++;
    }
    if (!fill)
        L->m_inline = i;
cleanup:
    return status;
}

/* supervision: entries, in two passes like edges_pass; pairs in file order. */
static int supervision_pass(loader *L, int fill)
{
    static const char *const keys[] = {"supervisor", "targets"};
    fl_model *m = L->m;
    struct fy_node *seq = L->top[T_SUPERVISION], *raw;
    void *it = NULL;
    int where = L->top_line[T_SUPERVISION], status = FL_OK;
    uint64_t i = 0, entry = 0;

    if (where == 0)
        return FL_OK;
    FL_CHECK(expect(L, seq, FYNT_SEQUENCE, where, "supervision", true));
    if (is_null(seq))
        return FL_OK;
    while ((raw = fy_node_sequence_iterate(seq, &it)) != NULL) {
        struct fy_node *item = deref(raw), *val[2], *traw;
        int il = line_of(raw, where), line[2];
        uint32_t sup = FL_NONE;
        void *tit = NULL;

        entry++;
        if (is_null(item) || fy_node_get_type(item) != FYNT_MAPPING)
            return fail(L, FL_E_MODEL, il, "supervision",
                        "entry %llu must be a mapping like { supervisor: S, targets: [A] }, "
                        "found %s",
                        (unsigned long long)entry, kind(item));
        FL_CHECK(scan_map(L, item, il, "in a supervision entry", keys, 2, val, line));
        if (line[0] == 0 || line[1] == 0)
            return fail(L, FL_E_MODEL, il, line[0] == 0 ? "supervisor" : "targets", "missing in supervision entry %llu",
                        (unsigned long long)entry);
        if (fill) {
            FL_CHECK(vertex_ref(L, val[0], line[0], "supervisor", &sup));
        } else {
            const char *s;
            size_t len;

            FL_CHECK(get_text(L, val[0], line[0], "supervisor", "a vertex name", &s, &len));
        }
        FL_CHECK(expect(L, val[1], FYNT_SEQUENCE, line[1], "targets", true));
        if (is_null(val[1]))
            continue;
        while ((traw = fy_node_sequence_iterate(val[1], &tit)) != NULL) {
            struct fy_node *t = deref(traw);
            int tl = line_of(traw, line[1]);

            if (fill) {
                uint32_t v;

                FL_CHECK(vertex_ref(L, t, tl, "targets", &v));
                m->sup_from[i] = sup;
                m->sup_to[i] = v;
            } else {
                const char *s;
                size_t len;

                FL_CHECK(get_text(L, t, tl, "targets", "a vertex name", &s, &len));
            }
            i++;
        }
    }
    if (!fill)
        m->ns = i;
cleanup:
    return status;
}

/* targets: { vertices: [...], k }, in two passes like edges_pass. */
static int targets_pass(loader *L, int fill)
{
    static const char *const keys[] = {"vertices", "k"};
    fl_model *m = L->m;
    struct fy_node *val[2], *raw;
    int line[2], where = L->top_line[T_TARGETS], status = FL_OK;
    void *it = NULL;
    uint32_t i = 0;
    uint64_t k = 1;
    uint8_t *seen = NULL;

    m->target_k = 1;
    if (where == 0 || is_null(L->top[T_TARGETS]))
        return FL_OK;
    FL_CHECK(expect(L, L->top[T_TARGETS], FYNT_MAPPING, where, "targets", false));
    FL_CHECK(scan_map(L, L->top[T_TARGETS], where, "in targets", keys, 2, val, line));
    if (line[0] == 0)
        return fail(L, FL_E_MODEL, where, "vertices", "missing in targets");
    FL_CHECK(expect(L, val[0], FYNT_SEQUENCE, line[0], "vertices", false));
    if (fill) {
        seen = calloc(m->n != 0 ? m->n : 1, 1);
        if (seen == NULL) {
            status = nomem(L);
            goto cleanup;
        }
    }
    while ((raw = fy_node_sequence_iterate(val[0], &it)) != NULL) {
        struct fy_node *t = deref(raw);
        int tl = line_of(raw, line[0]);
        const char *s;
        size_t len;
        char b[SHOW_SIZE];

        FL_CHECK(get_text(L, t, tl, "vertices", "a vertex name", &s, &len));
        if (fill) {
            uint32_t v;

            FL_CHECK(vertex_ref(L, t, tl, "vertices", &v));
            if (seen[v]) {
                status = fail(L, FL_E_MODEL, tl, "vertices", "duplicate target '%s'", show(b, s, len));
                goto cleanup;
            }
            seen[v] = 1;
            m->target[i] = v;
        }
        i++;
    }
    if (i == 0) {
        status = fail(L, FL_E_MODEL, line[0], "vertices", "empty: name at least one target");
        goto cleanup;
    }
    if (line[1] != 0)
        FL_CHECK(get_uint(L, val[1], line[1], "k", 1, UINT32_MAX, &k));
    if (k > i) {
        status =
            fail(L, FL_E_MODEL, line[1], "k", "%llu is more than the %u target vertices", (unsigned long long)k, i);
        goto cleanup;
    }
    m->ntarget = i;
    m->target_k = (uint32_t)k;
cleanup:
    free(seen);
    return status;
}

/* ------------------------------------------------------------ phase B */

/* Grows edge_from/edge_to to hold at least need edges. */
static int reserve_edges(loader *L, uint64_t need)
{
    fl_model *m = L->m;
    size_t ncap = L->ecap != 0 ? L->ecap : 1024;
    uint32_t *nf, *nt;

    if (need <= L->ecap && m->edge_from != NULL)
        return FL_OK;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2 / sizeof *nf)
            return FL_E_NOMEM;
        ncap *= 2;
    }
    nf = realloc(m->edge_from, ncap * sizeof *nf);
    if (nf == NULL)
        return FL_E_NOMEM;
    m->edge_from = nf;
    nt = realloc(m->edge_to, ncap * sizeof *nt);
    if (nt == NULL)
        return FL_E_NOMEM;
    m->edge_to = nt;
    L->ecap = ncap;
    return FL_OK;
}

/* ------------------------------------------------- phase B: HDF5 graph */

/* The class named name (copied), appended with no parameters of its own
 * when the model does not have it. */
static int add_class(loader *L, const char *name, uint32_t *id)
{
    fl_model *m = L->m;
    size_t len = strlen(name);
    uint32_t h = hash_name(name, len), c = tab_find(&L->ctab, m->class_name, name, len, h);
    char **nn, *copy;
    pset *np;
    int *nl;

    *id = c;
    if (c != FL_NONE)
        return FL_OK;
    nn = realloc(m->class_name, ((size_t)m->nclass + 1) * sizeof *nn);
    if (nn == NULL)
        return FL_E_NOMEM;
    m->class_name = nn;
    np = realloc(L->cls, ((size_t)m->nclass + 1) * sizeof *np);
    if (np == NULL)
        return FL_E_NOMEM;
    L->cls = np;
    nl = realloc(L->cline, ((size_t)m->nclass + 1) * sizeof *nl);
    if (nl == NULL)
        return FL_E_NOMEM;
    L->cline = nl;
    copy = malloc(len + 1);
    if (copy == NULL)
        return FL_E_NOMEM;
    memcpy(copy, name, len + 1);
    if (tab_add(&L->ctab, m->nclass, copy, h) != FL_OK) {
        free(copy);
        return FL_E_NOMEM;
    }
    memset(&L->cls[m->nclass], 0, sizeof *np);
    L->cline[m->nclass] = 0;
    m->class_name[m->nclass] = copy;
    *id = m->nclass++;
    return FL_OK;
}

/* A canonical decimal label below limit, or FL_NONE. */
static uint32_t decimal_label(const char *s, uint32_t limit)
{
    uint64_t x = 0;
    size_t i, len = strlen(s);

    if (len == 0 || len > 10 || (len > 1 && s[0] == '0'))
        return FL_NONE;
    for (i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return FL_NONE;
        x = x * 10 + (uint64_t)(s[i] - '0');
    }
    return x < limit ? (uint32_t)x : FL_NONE;
}

/*
 * Reads the HDF5 graph of `graph:` and appends its vertices and edges like
 * an edge-list import: a file vertex whose label is an inline vertex's name
 * is that vertex, the others follow the inline ones in file order, and the
 * edges follow the inline edges in their listing order.  The file's own
 * values (q, weight, class, parameters) are applied later, in
 * h5_edge_values and resolve_params; the file stays loaded until then.
 * Cost: one pass over the vertices (hashing names only when the file has
 * them) and one over the edges, without allocation per edge.
 */
static int import_h5(loader *L)
{
    fl_model *m = L->m;
    fl_i_h5graph *g = &L->g;
    char msg[sizeof m->error], b[SHOW_SIZE];
    uint32_t *cmap = NULL, base = m->n, i, c;
    uint64_t u;
    int status = FL_OK;

    status = fl_i_h5graph_read(g, L->graph_path, msg, sizeof msg);
    if (status == FL_E_NOINPUT)
        return fail(L, status, L->graph_path_line, "path", "%s", msg);
    if (status != FL_OK) {
        snprintf(m->error, sizeof m->error, "%s", msg);
        return status;
    }
    if ((uint64_t)base + g->n >= UINT32_MAX - 1) {
        snprintf(m->error, sizeof m->error, "%s: more than %u vertices with the model's own", L->graph_path,
                 (unsigned)(UINT32_MAX - 2));
        return FL_E_MODEL;
    }
    /* Classes of the file that the model does not define are appended. */
    if (g->nclass != 0) {
        cmap = malloc((size_t)g->nclass * sizeof *cmap);
        if (cmap == NULL)
            return nomem(L);
        for (c = 0; c < g->nclass; c++)
            if (add_class(L, g->classes[c], &cmap[c]) != FL_OK) {
                free(cmap);
                return nomem(L);
            }
    }
    /* Room for every vertex of the file. */
    if ((size_t)base + g->n > L->vcap) {
        size_t ncap = (size_t)base + g->n;
        char **nn = realloc(m->vertex_name, ncap * sizeof *nn);
        uint32_t *nc;

        if (nn != NULL)
            m->vertex_name = nn;
        nc = nn != NULL ? realloc(m->vertex_class, ncap * sizeof *nc) : NULL;
        if (nc == NULL) {
            free(cmap);
            return nomem(L);
        }
        m->vertex_class = nc;
        L->vcap = ncap;
    }
    L->gmap = malloc((g->n != 0 ? (size_t)g->n : 1) * sizeof *L->gmap);
    if (L->gmap == NULL)
        goto out_of_memory;
    if (g->name != NULL) {
        for (i = 0; i < g->n; i++) {
            const char *s = g->name[i];
            size_t len = strlen(s);
            uint32_t h = hash_name(s, len), id = tab_find(&L->vtab, m->vertex_name, s, len, h);

            if (id != FL_NONE && id >= base) {
                snprintf(m->error, sizeof m->error, "%s: dataset 'name': element %u, '%s', names a vertex twice",
                         L->graph_path, i, show(b, s, len));
                free(cmap);
                return FL_E_MODEL;
            }
            if (id == FL_NONE) {
                /* The string moves from the file's array into the model. */
                if (tab_add(&L->vtab, m->n, g->name[i], h) != FL_OK)
                    goto out_of_memory;
                id = m->n;
                m->vertex_name[id] = g->name[i];
                m->vertex_class[id] = L->graph_class;
                g->name[i] = NULL;
                m->n++;
            }
            L->gmap[i] = id;
        }
    } else {
        /* Labels "0".."n-1": an inline vertex of such a name is that vertex. */
        L->g_numeric = 1;
        for (i = 0; i < g->n; i++)
            L->gmap[i] = FL_NONE;
        for (i = 0; i < base; i++) {
            uint32_t x = decimal_label(m->vertex_name[i], g->n);

            if (x != FL_NONE)
                L->gmap[x] = i;
        }
        /* Their names, written into one block (a million mallocs of a few
         * bytes would cost more than the rest of the vertices). */
        size_t size = 0, dlen = 1, k;
        uint64_t lo, p10 = 10;
        char dec[12] = "0", *at;

        for (lo = 0, k = 1; lo < g->n; lo = p10, p10 *= 10, k++)
            size += (size_t)((p10 < g->n ? p10 : g->n) - lo) * (k + 1);
        m->name_block = at = malloc(size != 0 ? size : 1);
        if (at == NULL)
            goto out_of_memory;
        m->name_block_lo = m->name_block_hi = m->n;
        for (i = 0; i < g->n; i++) {
            if (L->gmap[i] == FL_NONE) {
                memcpy(at, dec, dlen + 1);
                m->vertex_name[m->n] = at;
                at += dlen + 1;
                m->vertex_class[m->n] = L->graph_class;
                L->gmap[i] = m->n++;
            }
            /* dec = i + 1 */
            for (k = dlen; k > 0 && dec[k - 1] == '9'; k--)
                dec[k - 1] = '0';
            if (k == 0) {
                memmove(dec + 1, dec, dlen + 1);
                dec[0] = '1';
                dlen++;
            } else
                dec[k - 1]++;
        }
        m->name_block_hi = m->n;
    }
    /* The file's class wins over graph: class; an inline vertex keeps its own. */
    if (g->vclass != NULL)
        for (i = 0; i < g->n; i++) {
            uint32_t v = L->gmap[i];

            if (g->vclass[i] >= 0 && (v >= base || m->vertex_class[v] == FL_NONE))
                m->vertex_class[v] = cmap[g->vclass[i]];
        }
    free(cmap);
    cmap = NULL;
    /* Edges, at their listing positions behind the inline ones. */
    m->m = L->m_inline + g->m;
    if (L->m_inline == 0 && g->edge_order == NULL) {
        /* The bulk case: the file's col array becomes edge_to, without a
         * copy (a 16M-edge graph spends more time in page faults than in
         * anything else). */
        uint32_t *ef = fl_i_big_alloc((size_t)m->m * sizeof *ef);

        if (ef == NULL)
            return nomem(L);
        free(m->edge_from);
        free(m->edge_to);
        m->edge_from = ef;
        m->edge_to = g->col;
        m->edge_to_map = g->col_map; /* mapped from the file (graph_h5.c, map_col), or NULL */
        m->edge_to_map_len = g->col_map_len;
        g->col = NULL;
        g->col_map = NULL;
        L->ecap = m->m;
    } else if (reserve_edges(L, m->m) != FL_OK)
        return nomem(L);
    {
        uint32_t *ef = m->edge_from + L->m_inline, *et = m->edge_to + L->m_inline;
        const uint32_t *gmap = L->gmap, *col = g->col != NULL ? g->col : et;
        const uint64_t *off = g->row_offset, *order = g->edge_order;
        int64_t nn = (int64_t)g->n, r;
        int ident = col == et;

        for (i = 0; i < g->n && ident; i++)
            ident = gmap[i] == i;
#pragma omp parallel for schedule(dynamic, 4096)
        for (r = 0; r < nn; r++) {
            uint32_t from = gmap[r];
            uint64_t k;

            if (ident)
                for (k = off[r]; k < off[r + 1]; k++)
                    ef[k] = from;
            else
                for (k = off[r]; k < off[r + 1]; k++) {
                    uint64_t j = order != NULL ? order[k] : k;

                    ef[j] = from;
                    et[j] = gmap[col[k]];
                }
        }
    }
    L->ns_file = g->ns;
    /* model vertex -> file vertex, only needed for per-vertex values */
    if (g->p_fail || g->p_repair || g->p_permanent || g->p_restart || g->unavailability || g->threshold ||
        g->on_dependency || g->initial || g->detect_delay || g->capacity || g->boot_delay || g->pool) {
        L->gidx = malloc((size_t)m->n * sizeof *L->gidx);
        if (L->gidx == NULL)
            return nomem(L);
        for (u = 0; u < m->n; u++)
            L->gidx[u] = FL_NONE;
        for (i = 0; i < g->n; i++)
            L->gidx[L->gmap[i]] = i;
    }
    return FL_OK;

out_of_memory:
    free(cmap);
    return nomem(L);
}

/* The file's own q and weight win over the graph: block's. */
static void h5_edge_values(loader *L)
{
    const fl_i_h5graph *g = &L->g;
    fl_model *m = L->m;
    uint64_t k;

    const double *q = m->edge_q != NULL ? g->q : NULL;
    const uint32_t *w = m->edge_weight != NULL ? g->weight : NULL;

    if (q == NULL && w == NULL)
        return;
    for (k = 0; k < g->m; k++) {
        uint64_t j = L->m_inline + (g->edge_order != NULL ? g->edge_order[k] : k);

        if (q != NULL)
            m->edge_q[j] = q[k];
        if (w != NULL)
            m->edge_weight[j] = w[k];
    }
}

/* The file's per-vertex values of file vertex i, laid over class values. */
static void apply_file(const loader *L, fl_vertex_params *vp, int *fraction_line, uint32_t i)
{
    const fl_i_h5graph *g = &L->g;

    if (g->p_fail != NULL)
        vp->p_fail = g->p_fail[i];
    if (g->p_repair != NULL)
        vp->p_repair = g->p_repair[i];
    if (g->p_permanent != NULL)
        vp->p_permanent = g->p_permanent[i];
    if (g->p_restart != NULL)
        vp->p_restart = g->p_restart[i];
    if (g->unavailability != NULL && g->unavailability[i] >= 0.0)
        vp->unavailability = g->unavailability[i];
    if (g->threshold != NULL) {
        /* A resolved threshold: it replaces an inherited threshold_fraction. */
        vp->threshold = g->threshold[i];
        vp->threshold_fraction = -1.0;
        *fraction_line = 0;
    }
    if (g->on_dependency != NULL)
        vp->on_dependency = g->on_dependency[i];
    if (g->initial != NULL)
        vp->initial = g->initial[i];
    if (g->detect_delay != NULL)
        vp->detect_delay = g->detect_delay[i];
    if (g->capacity != NULL)
        vp->capacity = g->capacity[i];
    if (g->boot_delay != NULL)
        vp->boot_delay = g->boot_delay[i];
    if (g->pool != NULL)
        vp->pool = g->pool[i] >= 0 ? L->gmap[g->pool[i]] : FL_NONE;
}

/* The value of a label written as a decimal number without leading zeros
 * ("0" to "99999999"), or -1.  Such labels, the usual kind in edge lists,
 * are looked up in a plain array (import_edge). */
static int64_t label_number(const char *s, size_t len)
{
    if (len == 0 || len > 8 || (s[0] == '0' && len > 1))
        return -1;
    int64_t x = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        x = x * 10 + (s[i] - '0');
    }
    return x;
}

/* Remembers that the decimal label x is vertex id, when x is small enough
 * for the array: at most 4 entries per vertex so far, plus 2^16. */
static int num_remember(loader *L, int64_t x, uint32_t id)
{
    size_t limit = 4 * ((size_t)L->m->n + 1) + 65536;
    if (x < 0 || (size_t)x >= limit)
        return FL_OK;
    if ((size_t)x >= L->num_cap) {
        size_t cap = L->num_cap ? L->num_cap : 1024;
        while (cap <= (size_t)x)
            cap *= 2;
        uint32_t *a = realloc(L->num_id, cap * sizeof *a);
        if (a == NULL)
            return FL_E_NOMEM;
        for (size_t i = L->num_cap; i < cap; i++)
            a[i] = FL_NONE;
        L->num_id = a;
        L->num_cap = cap;
    }
    L->num_id[x] = id;
    return FL_OK;
}

/* fl_i_edge_fn: one imported edge; new labels become vertices.  vtab holds
 * every name; a decimal label is first looked up in num_id, which caches
 * vtab's answers: a random edge list of 1.6M edges loaded in 0.18 s with
 * vtab alone, a cache miss a lookup. */
static int import_edge(void *data, const char *from, size_t from_len, const char *to, size_t to_len, uint64_t line)
{
    loader *L = data;
    fl_model *m = L->m;
    const char *label[2] = {from, to};
    size_t len[2] = {from_len, to_len};
    uint32_t id[2];
    int i, status;

    for (i = 0; i < 2; i++) {
        int64_t x = label_number(label[i], len[i]);
        if (x >= 0 && (size_t)x < L->num_cap && L->num_id[x] != FL_NONE) {
            id[i] = L->num_id[x];
            continue;
        }
        uint32_t h = hash_name(label[i], len[i]);

        id[i] = tab_find(&L->vtab, m->vertex_name, label[i], len[i], h);
        if (id[i] != FL_NONE) {
            if (num_remember(L, x, id[i]) != FL_OK) {
                L->in_callback_error = 1;
                return nomem(L);
            }
            continue;
        }
        status = add_vertex(L, label[i], len[i], h, L->graph_class, &id[i]);
        if (status == FL_E_MODEL) {
            snprintf(m->error, sizeof m->error, "%s:%llu: more than %u vertices", L->graph_path,
                     (unsigned long long)line, (unsigned)(UINT32_MAX - 1));
            L->in_callback_error = 1;
            return status;
        }
        if (status != FL_OK || num_remember(L, x, id[i]) != FL_OK) {
            L->in_callback_error = 1;
            return nomem(L);
        }
    }
    if (m->m == L->ecap && reserve_edges(L, m->m + 1) != FL_OK) {
        L->in_callback_error = 1;
        return nomem(L);
    }
    m->edge_from[m->m] = id[0];
    m->edge_to[m->m] = id[1];
    m->m++;
    return FL_OK;
}

/*
 * Sizes the edge arrays, runs the import (if any) behind the inline edges'
 * slots and fills the imported edges' weight and q.
 */
static int import_graph(loader *L)
{
    fl_model *m = L->m;
    char msg[sizeof m->error];
    uint64_t i, nimp;
    uint32_t imp_w;
    double imp_q;
    int status, imp_w_mixed = 0, imp_q_mixed = 0, w_arrays, q_arrays;

    m->m = L->m_inline;
    if (reserve_edges(L, m->m) != FL_OK)
        return nomem(L);
    if (L->graph_path != NULL && L->graph_h5) {
        status = import_h5(L);
        if (status != FL_OK)
            return status;
    } else if (L->graph_path != NULL) {
        status = fl_i_edgelist_read(L->graph_path, import_edge, L, msg, sizeof msg);
        if (status != FL_OK) {
            if (L->in_callback_error)
                return status;
            if (status == FL_E_NOINPUT)
                return fail(L, status, L->graph_path_line, "path", "%s", msg);
            snprintf(m->error, sizeof m->error, "%s", msg);
            return status;
        }
        /* Give back the doubling slack of a large import. */
        if (m->m != 0 && m->m < L->ecap) {
            uint32_t *nf = realloc(m->edge_from, (size_t)m->m * sizeof *nf);
            uint32_t *nt;

            if (nf != NULL)
                m->edge_from = nf;
            nt = realloc(m->edge_to, (size_t)m->m * sizeof *nt);
            if (nt != NULL)
                m->edge_to = nt;
            if (nf != NULL && nt != NULL)
                L->ecap = (size_t)m->m;
        }
    }
    /*
     * Weight and q: one value for all edges, without per-edge arrays, when
     * the inline edges agree among themselves and with the imported ones
     * (the graph: block's values, or a file's dataset whose elements are
     * all equal).
     */
    nimp = m->m - L->m_inline;
    imp_w = L->graph_weight;
    imp_q = L->graph_q;
    if (L->graph_h5 && L->g.weight != NULL && L->g.m != 0) {
        imp_w = L->g.weight[0];
        for (i = 1; i < L->g.m && !imp_w_mixed; i++)
            imp_w_mixed = L->g.weight[i] != imp_w;
    }
    if (L->graph_h5 && L->g.q != NULL && L->g.m != 0) {
        imp_q = L->g.q[0];
        for (i = 1; i < L->g.m && !imp_q_mixed; i++)
            imp_q_mixed = !same_f64(L->g.q[i], imp_q);
    }
    m->edge_weight_all = L->m_inline != 0 ? L->inline_w0 : imp_w;
    m->edge_q_all = L->m_inline != 0 ? L->inline_q0 : imp_q;
    w_arrays = imp_w_mixed || L->inline_w_mixed || (L->m_inline != 0 && nimp != 0 && L->inline_w0 != imp_w);
    q_arrays = imp_q_mixed || L->inline_q_mixed || (L->m_inline != 0 && nimp != 0 && !same_f64(L->inline_q0, imp_q));
    if (L->graph_h5 && L->m_inline == 0 && L->g.edge_order == NULL) {
        /* the file's own arrays, in place (see import_h5) */
        if (w_arrays) {
            m->edge_weight = L->g.weight;
            L->g.weight = NULL;
        }
        if (q_arrays) {
            m->edge_q = L->g.q;
            L->g.q = NULL;
        }
    }
    if (w_arrays && m->edge_weight == NULL) {
        m->edge_weight = fl_i_big_alloc((size_t)m->m * sizeof *m->edge_weight);
        if (m->edge_weight == NULL)
            return nomem(L);
        for (i = L->m_inline; i < m->m; i++)
            m->edge_weight[i] = L->graph_weight;
    }
    if (q_arrays && m->edge_q == NULL) {
        m->edge_q = fl_i_big_alloc((size_t)m->m * sizeof *m->edge_q);
        if (m->edge_q == NULL)
            return nomem(L);
        for (i = L->m_inline; i < m->m; i++)
            m->edge_q[i] = L->graph_q;
    }
    if (L->graph_h5)
        h5_edge_values(L);
    return FL_OK;
}

/* ------------------------------------------------------------ phase C */

static int resolve_pool(loader *L, pset *s)
{
    fl_model *m = L->m;
    char b[SHOW_SIZE];

    if (!(s->given & (1u << P_POOL)))
        return FL_OK;
    (void)m;
    s->pool_id = find_vertex(L, s->pool, s->pool_len, hash_name(s->pool, s->pool_len));
    if (s->pool_id == FL_NONE)
        return fail(L, FL_E_MODEL, s->pool_line, "pool", "unknown vertex '%s'", show(b, s->pool, s->pool_len));
    return FL_OK;
}

/*
 * Lays a parameter layer over vp.  A layer that sets threshold without
 * threshold_fraction drops an inherited fraction, so the most specific
 * layer decides; within one layer the fraction wins (MODEL.md section 2).
 */
static void apply(fl_vertex_params *vp, int *fraction_line, const pset *s)
{
    int p;

    for (p = 0; p < NPARAM; p++) {
        if (!(s->given & (1u << p)))
            continue;
        switch (p) {
        case P_FAIL: vp->p_fail = s->v[p].d; break;
        case P_PERMANENT: vp->p_permanent = s->v[p].d; break;
        case P_REPAIR: vp->p_repair = s->v[p].d; break;
        case P_RESTART: vp->p_restart = s->v[p].d; break;
        case P_UNAVAILABILITY: vp->unavailability = s->v[p].d; break;
        case P_THRESHOLD:
            vp->threshold = s->v[p].u;
            if (!(s->given & (1u << P_FRACTION))) {
                vp->threshold_fraction = -1.0;
                *fraction_line = 0;
            }
            break;
        case P_FRACTION:
            vp->threshold_fraction = s->v[p].d;
            *fraction_line = s->fraction_line;
            break;
        case P_ON_DEPENDENCY: vp->on_dependency = (uint8_t)s->v[p].u; break;
        case P_INITIAL: vp->initial = (uint8_t)s->v[p].u; break;
        case P_DETECT_DELAY: vp->detect_delay = s->v[p].u; break;
        case P_POOL: vp->pool = s->pool_id; break;
        case P_CAPACITY: vp->capacity = s->v[p].u; break;
        case P_BOOT_DELAY: vp->boot_delay = s->v[p].u; break;
        default: break;
        }
    }
}

/* theta = ceil(phi * W), where phi * W lands on an integer up to rounding. */
static double fraction_threshold(double phi, uint64_t w)
{
    double x = phi * (double)w, r = nearbyint(x);

    return fabs(x - r) <= 1e-9 * fmax(1.0, x) ? r : ceil(x);
}

static int resolve_params(loader *L)
{
    fl_model *m = L->m;
    uint64_t *win = NULL, e;
    uint32_t v, c;
    bool any_fraction = (L->defaults.given & (1u << P_FRACTION)) != 0;
    int status = FL_OK;

    FL_CHECK(resolve_pool(L, &L->defaults));
    for (c = 0; c < m->nclass; c++) {
        FL_CHECK(resolve_pool(L, &L->cls[c]));
        any_fraction |= (L->cls[c].given & (1u << P_FRACTION)) != 0;
    }
    for (v = 0; v < L->ninline; v++) {
        FL_CHECK(resolve_pool(L, &L->own[v]));
        any_fraction |= (L->own[v].given & (1u << P_FRACTION)) != 0;
    }
    /* 80 bytes a vertex: huge pages, where they are, fault in faster. */
    m->vp = fl_i_big_alloc((m->n != 0 ? (size_t)m->n : 1) * sizeof *m->vp);
    if (m->vp == NULL) {
        status = nomem(L);
        goto cleanup;
    }
    if (any_fraction) {
        /* Sums of in-edge weights, only needed for threshold_fraction. */
        win = calloc(m->n != 0 ? (size_t)m->n : 1, sizeof *win);
        if (win == NULL) {
            status = nomem(L);
            goto cleanup;
        }
        for (e = 0; e < m->m; e++)
            win[m->edge_to[e]] += fl_i_edge_weight(m, e);
    }
    /* Vertices are independent: a million of them resolve on all cores
     * (mostly page faults of the fresh vp array).  A threshold too large is
     * reported for the first such vertex, as a sequential loop would. */
    int64_t nv = (int64_t)m->n, iv, bad = nv;
    int any_pool = 0;
#pragma omp parallel for schedule(static, 16384) reduction(min : bad) reduction(| : any_pool)
    for (iv = 0; iv < nv; iv++) {
        uint32_t x = (uint32_t)iv;
        fl_vertex_params *vp = &m->vp[x];
        int fraction_line = 0;

        memset(vp, 0, sizeof *vp);
        vp->threshold = 1;
        vp->threshold_fraction = -1.0;
        vp->on_dependency = FL_DEP_DEGRADE;
        vp->initial = FL_INIT_UP;
        vp->p_restart = 1.0;
        vp->unavailability = -1.0;
        vp->pool = FL_NONE;
        apply(vp, &fraction_line, &L->defaults);
        if (m->vertex_class[x] != FL_NONE)
            apply(vp, &fraction_line, &L->cls[m->vertex_class[x]]);
        if (L->gidx != NULL && L->gidx[x] != FL_NONE)
            apply_file(L, vp, &fraction_line, L->gidx[x]);
        if (x < L->ninline)
            apply(vp, &fraction_line, &L->own[x]);
        any_pool |= vp->pool != FL_NONE;
        if (vp->threshold_fraction >= 0.0) {
            double theta = fraction_threshold(vp->threshold_fraction, win[x]);

            if (theta > (double)UINT32_MAX)
                bad = iv < bad ? iv : bad;
            else
                vp->threshold = (uint32_t)theta;
        }
    }
    m->any_pool = any_pool;
    if (bad < nv) {
        /* Resolved again, sequentially, for the line to report. */
        fl_vertex_params vp;
        int fraction_line = 0;
        char b[SHOW_SIZE];

        v = (uint32_t)bad;
        vp = m->vp[v];
        vp.threshold_fraction = -1.0;
        apply(&vp, &fraction_line, &L->defaults);
        if (m->vertex_class[v] != FL_NONE)
            apply(&vp, &fraction_line, &L->cls[m->vertex_class[v]]);
        if (L->gidx != NULL && L->gidx[v] != FL_NONE)
            apply_file(L, &vp, &fraction_line, L->gidx[v]);
        if (v < L->ninline)
            apply(&vp, &fraction_line, &L->own[v]);
        status =
            fail(L, FL_E_MODEL, fraction_line, "threshold_fraction", "gives vertex '%s' a threshold of %.0f, above %u",
                 show(b, m->vertex_name[v], strlen(m->vertex_name[v])),
                 fraction_threshold(vp.threshold_fraction, win[v]), (unsigned)UINT32_MAX);
        goto cleanup;
    }
cleanup:
    free(win);
    return status;
}

/* Fills sup_from/sup_to and target after the import. */
static int fill_references(loader *L)
{
    fl_model *m = L->m;
    int status = FL_OK;

    FL_CHECK(edges_pass(L, 1));
    m->sup_from = malloc((m->ns + L->ns_file != 0 ? (size_t)(m->ns + L->ns_file) : 1) * sizeof *m->sup_from);
    m->sup_to = malloc((m->ns + L->ns_file != 0 ? (size_t)(m->ns + L->ns_file) : 1) * sizeof *m->sup_to);
    if (m->sup_from == NULL || m->sup_to == NULL)
        return nomem(L);
    FL_CHECK(supervision_pass(L, 1));
    /* The file's supervision edges come after the inline ones. */
    for (uint64_t i = 0; i < L->ns_file; i++) {
        m->sup_from[m->ns + i] = L->gmap[L->g.sup_from[i]];
        m->sup_to[m->ns + i] = L->gmap[L->g.sup_to[i]];
    }
    m->ns += L->ns_file;
    /* targets_pass(L, 0) counted them. */
    m->target = malloc((m->ntarget != 0 ? (size_t)m->ntarget : 1) * sizeof *m->target);
    if (m->target == NULL)
        return nomem(L);
    FL_CHECK(targets_pass(L, 1));
cleanup:
    return status;
}

/* ------------------------------------------------------------ public */

/* Frees everything loaded; path and error stay (they describe the attempt). */
static void clear(fl_model *m)
{
    uint32_t i;

    if (m->vertex_name != NULL)
        for (i = 0; i < m->n; i++)
            if (i < m->name_block_lo || i >= m->name_block_hi)
                free(m->vertex_name[i]);
    free(m->name_block);
    m->name_block = NULL;
    m->name_block_lo = m->name_block_hi = 0;
    if (m->class_name != NULL)
        for (i = 0; i < m->nclass; i++)
            free(m->class_name[i]);
    free(m->name);
    free(m->text);
    free(m->vertex_name);
    free(m->vertex_class);
    free(m->vp);
    free(m->class_name);
    free(m->edge_from);
    if (m->edge_to_map != NULL)
        munmap(m->edge_to_map, m->edge_to_map_len);
    else
        free(m->edge_to);
    free(m->edge_weight);
    free(m->edge_q);
    free(m->sup_from);
    free(m->sup_to);
    free(m->target);
    m->name = m->text = NULL;
    m->text_len = 0;
    memset(m->sha256, 0, sizeof m->sha256);
    m->n = m->nclass = m->ntarget = 0;
    m->vertex_name = NULL;
    m->vertex_class = NULL;
    m->vp = NULL;
    m->any_pool = 0;
    m->class_name = NULL;
    m->m = m->ns = 0;
    m->edge_from = m->edge_to = m->edge_weight = NULL;
    m->edge_to_map = NULL;
    m->edge_to_map_len = 0;
    m->edge_q = NULL;
    m->edge_weight_all = 1;
    m->edge_q_all = 1.0;
    m->sup_from = m->sup_to = m->target = NULL;
    m->target_k = 1;
    m->steps = FL_DEFAULT_STEPS;
    m->trials = FL_DEFAULT_TRIALS;
    m->seed = FL_DEFAULT_SEED;
    m->propagation = FL_PROP_SYNCHRONOUS;
}

fl_model *fl_model_create(void)
{
    fl_model *m = calloc(1, sizeof *m);

    if (m != NULL)
        clear(m);
    return m;
}

void fl_model_destroy(fl_model **model)
{
    if (model == NULL || *model == NULL)
        return;
    clear(*model);
    free((*model)->path);
    free(*model);
    *model = NULL;
}

/*
 * The end of a load: frees the loader and, on failure, leaves the model
 * empty with a message (a generic one if no step said more).
 */
static int finish(loader *L, const char *path, int status)
{
    fl_model *model = L->m;

    if (L->doc != NULL)
        fy_parse_document_destroy(L->parser, L->doc);
    if (L->parser != NULL)
        fy_parser_destroy(L->parser);
    if (L->diag != NULL)
        fy_diag_destroy(L->diag);
    if (L->c_locale != (locale_t)0)
        freelocale(L->c_locale);
    tab_free(&L->vtab);
    free(L->num_id);
    tab_free(&L->ctab);
    free(L->own);
    free(L->vline);
    free(L->cls);
    free(L->cline);
    free(L->graph_path);
    fl_i_h5graph_free(&L->g);
    free(L->gmap);
    free(L->gidx);
    if (status != FL_OK) {
        if (model->error[0] == '\0')
            snprintf(model->error, sizeof model->error, "%s: %s", path,
                     status == FL_E_NOMEM ? "out of memory" : "cannot load");
        clear(model);
    }
    return status;
}

int fl_model_load(fl_model *model, const char *path)
{
    loader L;
    int status = FL_OK;
    size_t plen;

    if (model == NULL)
        return FL_E_USAGE;
    clear(model);
    free(model->path);
    model->path = NULL;
    model->error[0] = '\0';
    if (path == NULL) {
        snprintf(model->error, sizeof model->error, "no model file given");
        return FL_E_USAGE;
    }
    memset(&L, 0, sizeof L);
    L.m = model;
    L.file = path;
    L.graph_class = FL_NONE;
    plen = strlen(path);
    model->path = malloc(plen + 1);
    if (model->path == NULL)
        FL_CHECK(nomem(&L));
    memcpy(model->path, path, plen + 1);
    L.file = model->path;

    /* Phase A: the YAML alone. */
    FL_CHECK(read_model_file(&L, path));
    FL_CHECK(parse_yaml(&L));
    FL_CHECK(parse_top(&L));
    FL_CHECK(parse_name(&L));
    FL_CHECK(parse_simulation(&L));
    FL_CHECK(parse_defaults(&L));
    FL_CHECK(parse_classes(&L));
    FL_CHECK(parse_vertices(&L));
    FL_CHECK(parse_graph(&L));
    FL_CHECK(edges_pass(&L, 0));
    FL_CHECK(supervision_pass(&L, 0));
    FL_CHECK(targets_pass(&L, 0));
    /* Phase B: the import. */
    FL_CHECK(import_graph(&L));
    /* Phase C: names of vertices, then the parameters. */
    FL_CHECK(fill_references(&L));
    FL_CHECK(resolve_params(&L));

cleanup:
    return finish(&L, path, status);
}

/*
 * fl_i_model_load_graph: a graph file alone as a model, as if a model file
 * held only `graph: { path: PATH }` (used by `faultline convert`).  Errors
 * name the graph file; a missing file is reported like a model line's.
 */
int fl_i_model_load_graph(fl_model *model, const char *path)
{
    loader L;
    int status = FL_OK;
    const char *base, *dot;
    size_t len;

    if (model == NULL || path == NULL)
        return FL_E_USAGE;
    clear(model);
    free(model->path);
    model->error[0] = '\0';
    memset(&L, 0, sizeof L);
    L.m = model;
    L.file = path;
    L.graph_class = FL_NONE;
    L.graph_weight = 1;
    L.graph_q = 1.0;
    len = strlen(path);
    model->path = malloc(len + 1);
    L.graph_path = malloc(len + 1);
    if (model->path == NULL || L.graph_path == NULL)
        FL_CHECK(nomem(&L));
    memcpy(model->path, path, len + 1);
    memcpy(L.graph_path, path, len + 1);
    L.file = model->path;
    L.graph_path_line = 1;
    L.graph_h5 = has_ext(path, len, ".h5") || has_ext(path, len, ".hdf5") || fl_i_is_hdf5(path);
    base = strrchr(path, '/');
    base = base != NULL ? base + 1 : path;
    dot = strchr(base, '.');
    len = dot != NULL && dot != base ? (size_t)(dot - base) : strlen(base);
    model->name = malloc(len + 1);
    if (model->name == NULL)
        FL_CHECK(nomem(&L));
    memcpy(model->name, base, len);
    model->name[len] = '\0';
    FL_CHECK(import_graph(&L));
    FL_CHECK(fill_references(&L));
    FL_CHECK(resolve_params(&L));
cleanup:
    return finish(&L, path, status);
}

const char *fl_model_error(const fl_model *model)
{
    return model != NULL ? model->error : "";
}

const char *fl_model_name(const fl_model *model)
{
    if (model == NULL)
        return NULL;
    return model->name != NULL ? model->name : "";
}

uint32_t fl_model_vertex_count(const fl_model *model)
{
    return model != NULL ? model->n : 0;
}

uint64_t fl_model_edge_count(const fl_model *model)
{
    return model != NULL ? model->m : 0;
}

uint64_t fl_model_supervision_count(const fl_model *model)
{
    return model != NULL ? model->ns : 0;
}

uint32_t fl_model_class_count(const fl_model *model)
{
    return model != NULL ? model->nclass : 0;
}

const char *fl_model_class_name(const fl_model *model, uint32_t c)
{
    return model != NULL && c < model->nclass ? model->class_name[c] : NULL;
}

/*
 * Distinct vertices named as a pool.  The struct keeps no count, so one bit
 * per vertex is borrowed for the call; without memory the answer is found
 * by a slower scan rather than not at all.
 */
uint32_t fl_model_pool_count(const fl_model *model)
{
    uint32_t v, u, count = 0;
    uint8_t *seen;

    if (model == NULL || model->vp == NULL || !model->any_pool)
        return 0;
    seen = calloc((size_t)model->n / 8 + 1, 1);
    for (v = 0; v < model->n; v++) {
        uint32_t p = model->vp[v].pool;

        if (p == FL_NONE)
            continue;
        if (seen != NULL) {
            if (!(seen[p / 8] & (1u << (p % 8)))) {
                seen[p / 8] |= (uint8_t)(1u << (p % 8));
                count++;
            }
            continue;
        }
        for (u = 0; u < v && model->vp[u].pool != p; u++)
            ;
        count += u == v;
    }
    free(seen);
    return count;
}

uint32_t fl_model_target_count(const fl_model *model)
{
    return model != NULL ? model->ntarget : 0;
}

uint32_t fl_model_target_k(const fl_model *model)
{
    return model != NULL ? model->target_k : 0;
}

const char *fl_model_vertex_name(const fl_model *model, uint32_t v)
{
    return model != NULL && v < model->n ? model->vertex_name[v] : NULL;
}

uint32_t fl_model_target(const fl_model *model, uint32_t i)
{
    return model != NULL && i < model->ntarget ? model->target[i] : FL_NONE;
}
