/*
 * graph_h5.c - reader and writer of the faultline graph format (graph_h5.h,
 * docs/graph-format.md).
 *
 * Every dataset is described once, in the table `ds` below (its name, type,
 * length and which rule checks it), and the reader, the writer and the
 * validator walk that table, so a new dataset is one line here.  Loading
 * must stay much faster than parsing the same edge list: each dataset is
 * read with one H5Dread straight into its final array (col, the largest,
 * is mapped from the file where it can be: map_col), and validation is
 * one linear pass per array.
 */
/* MAP_POPULATE (map_col) is not POSIX */
#define _DEFAULT_SOURCE

#include "graph_h5.h"
#include "mem.h"
#include "h5out.h"
#include "say.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hdf5.h>

/* Elements per chunk of the chunked datasets (4 MiB of uint32). */
#define CHUNK ((hsize_t)1 << 20)

enum dtype { D_U64, D_U32, D_I32, D_I64, D_U8, D_F64, D_STR };
enum dlen { L_N1, L_N, L_M, L_NS, L_NCLASS };
enum rule {
    R_NONE,
    R_OFFSETS,  /* row_offset: 0, monotone, m */
    R_VERTEX,   /* < n */
    R_PERM,     /* a permutation of 0..m-1 */
    R_PROB,     /* [0, 1] */
    R_UNAVAIL,  /* [0, 1] or negative (not given) */
    R_WEIGHT,   /* >= 1 */
    R_MAX1,     /* 0 or 1 */
    R_MAX3,     /* 0..3 */
    R_CLASS,    /* -1 .. nclass-1 */
    R_POOL,     /* -1, or a vertex with capacity >= 1 */
    R_NAME,     /* non-empty strings */
    R_CLASSNAME /* non-empty strings */
};

typedef struct dsdesc {
    const char *name;
    enum dtype type;
    enum dlen len;
    enum rule rule;
    int required;
    size_t offset; /* of the array pointer in fl_i_h5graph */
    int compress;  /* 1: chunked + shuffle + deflate; 2: the same, an edge array (deflate_edges) */
} dsdesc;

#define OFF(f) offsetof(fl_i_h5graph, f)

/* In the order written; classes before class, capacity before pool. */
static const dsdesc ds[] = {
    {"row_offset", D_U64, L_N1, R_OFFSETS, 1, OFF(row_offset), 2},
    {"col", D_U32, L_M, R_VERTEX, 1, OFF(col), 2},
    {"edge_order", D_U64, L_M, R_PERM, 0, OFF(edge_order), 2},
    {"q", D_F64, L_M, R_PROB, 0, OFF(q), 2},
    {"weight", D_U32, L_M, R_WEIGHT, 0, OFF(weight), 2},
    {"name", D_STR, L_N, R_NAME, 0, OFF(name), 1},
    {"classes", D_STR, L_NCLASS, R_CLASSNAME, 0, OFF(classes), 0},
    {"class", D_I32, L_N, R_CLASS, 0, OFF(vclass), 1},
    {"p_fail", D_F64, L_N, R_PROB, 0, OFF(p_fail), 1},
    {"p_repair", D_F64, L_N, R_PROB, 0, OFF(p_repair), 1},
    {"p_permanent", D_F64, L_N, R_PROB, 0, OFF(p_permanent), 1},
    {"p_restart", D_F64, L_N, R_PROB, 0, OFF(p_restart), 1},
    {"unavailability", D_F64, L_N, R_UNAVAIL, 0, OFF(unavailability), 1},
    {"threshold", D_U32, L_N, R_NONE, 0, OFF(threshold), 1},
    {"on_dependency", D_U8, L_N, R_MAX1, 0, OFF(on_dependency), 1},
    {"detect_delay", D_U32, L_N, R_NONE, 0, OFF(detect_delay), 1},
    {"capacity", D_U32, L_N, R_NONE, 0, OFF(capacity), 1},
    {"boot_delay", D_U32, L_N, R_NONE, 0, OFF(boot_delay), 1},
    {"pool", D_I64, L_N, R_POOL, 0, OFF(pool), 1},
    {"initial", D_U8, L_N, R_MAX3, 0, OFF(initial), 1},
    {"supervisor", D_U32, L_NS, R_VERTEX, 0, OFF(sup_from), 1},
    {"supervised", D_U32, L_NS, R_VERTEX, 0, OFF(sup_to), 1},
};
#define NDS (sizeof ds / sizeof ds[0])

static void **slot(const fl_i_h5graph *g, const dsdesc *d)
{
    return (void **)((char *)g + d->offset);
}

static size_t elem_size(enum dtype t)
{
    switch (t) {
    case D_U64:
    case D_I64:
    case D_F64: return 8;
    case D_U32:
    case D_I32: return 4;
    case D_U8: return 1;
    case D_STR: return sizeof(char *);
    }
    return 1;
}

static uint64_t length(const fl_i_h5graph *g, enum dlen l)
{
    switch (l) {
    case L_N1: return (uint64_t)g->n + 1;
    case L_N: return g->n;
    case L_M: return g->m;
    case L_NS: return g->ns;
    case L_NCLASS: return g->nclass;
    }
    return 0;
}

static const char *length_name(enum dlen l)
{
    static const char *const names[] = {"n+1", "n", "m", "the supervision edges", "the classes"};
    return names[l];
}

void fl_i_h5graph_free(fl_i_h5graph *g)
{
    size_t i;
    uint64_t k;

    if (g == NULL)
        return;
    if (g->name != NULL)
        for (k = 0; k < g->n; k++)
            free(g->name[k]);
    if (g->classes != NULL)
        for (k = 0; k < g->nclass; k++)
            free(g->classes[k]);
    if (g->col_map != NULL) {
        munmap(g->col_map, g->col_map_len);
        g->col = NULL;
    }
    for (i = 0; i < NDS; i++)
        free(*slot(g, &ds[i]));
    free(g->source);
    memset(g, 0, sizeof *g);
}

/* ------------------------------------------------------------ validation */

#define BAD(...) fl_i_say(message, message_size, FL_E_MODEL, __VA_ARGS__)

static int check_one(const fl_i_h5graph *g, const dsdesc *d, const char *path, char *message, size_t message_size)
{
    const void *a = *slot(g, d);
    uint64_t len = length(g, d->len), i;

    if (a == NULL)
        return d->required ? BAD("%s: dataset '%s' is missing", path, d->name) : FL_OK;
    switch (d->rule) {
    case R_NONE: break;
    case R_OFFSETS: {
        const uint64_t *o = a;
        if (o[0] != 0)
            return BAD("%s: dataset '%s': element 0 is %llu, not 0", path, d->name, (unsigned long long)o[0]);
        for (i = 1; i < len; i++)
            if (o[i] < o[i - 1])
                return BAD("%s: dataset '%s': not monotone: element %llu is %llu, below element %llu (%llu)", path,
                           d->name, (unsigned long long)i, (unsigned long long)o[i], (unsigned long long)i - 1,
                           (unsigned long long)o[i - 1]);
        if (o[len - 1] != g->m)
            return BAD("%s: dataset '%s': the last element is %llu, not m = %llu", path, d->name,
                       (unsigned long long)o[len - 1], (unsigned long long)g->m);
        break;
    }
    case R_VERTEX: {
        /* 16M targets: on all cores; the first bad element is reported. */
        const uint32_t *x = a;
        int64_t nl = (int64_t)len, k, first = nl;
#pragma omp parallel for schedule(static) reduction(min : first)
        for (k = 0; k < nl; k++)
            if (x[k] >= g->n && k < first)
                first = k;
        i = (uint64_t)first;
        if (i < len)
            return BAD("%s: dataset '%s': element %llu is %u, not a vertex index < n = %u", path, d->name,
                       (unsigned long long)i, x[i], g->n);
        break;
    }
    case R_PERM: {
        const uint64_t *x = a;
        uint8_t *seen = calloc(len / 8 + 1, 1);
        int status = FL_OK;
        if (seen == NULL)
            return fl_i_say(message, message_size, FL_E_NOMEM, "%s: out of memory", path);
        for (i = 0; i < len && status == FL_OK; i++) {
            if (x[i] >= len)
                status = BAD("%s: dataset '%s': element %llu is %llu, not an edge index < m = %llu", path, d->name,
                             (unsigned long long)i, (unsigned long long)x[i], (unsigned long long)len);
            else if (seen[x[i] / 8] & (1u << (x[i] % 8)))
                status = BAD("%s: dataset '%s': edge index %llu appears twice (not a permutation)", path, d->name,
                             (unsigned long long)x[i]);
            else
                seen[x[i] / 8] |= (uint8_t)(1u << (x[i] % 8));
        }
        free(seen);
        if (status != FL_OK)
            return status;
        break;
    }
    case R_PROB:
    case R_UNAVAIL: {
        const double *x = a;
        for (i = 0; i < len; i++)
            if (!(x[i] >= 0.0 && x[i] <= 1.0) && !(d->rule == R_UNAVAIL && x[i] < 0.0))
                return BAD("%s: dataset '%s': element %llu is %g, not a probability in [0, 1]", path, d->name,
                           (unsigned long long)i, x[i]);
        break;
    }
    case R_WEIGHT: {
        const uint32_t *x = a;
        for (i = 0; i < len; i++)
            if (x[i] < 1)
                return BAD("%s: dataset '%s': element %llu is 0; weights are >= 1", path, d->name,
                           (unsigned long long)i);
        break;
    }
    case R_MAX1:
    case R_MAX3: {
        const uint8_t *x = a;
        unsigned max = d->rule == R_MAX1 ? 1 : 3;
        for (i = 0; i < len; i++)
            if (x[i] > max)
                return BAD("%s: dataset '%s': element %llu is %u, not in 0..%u", path, d->name, (unsigned long long)i,
                           x[i], max);
        break;
    }
    case R_CLASS: {
        const int32_t *x = a;
        for (i = 0; i < len; i++)
            if (x[i] < -1 || (x[i] >= 0 && (uint32_t)x[i] >= g->nclass))
                return BAD("%s: dataset '%s': element %llu is %d, not -1 or an index into 'classes' (%u names)", path,
                           d->name, (unsigned long long)i, x[i], g->nclass);
        break;
    }
    case R_POOL: {
        const int64_t *x = a;
        for (i = 0; i < len; i++) {
            if (x[i] == -1)
                continue;
            if (x[i] < 0 || (uint64_t)x[i] >= g->n)
                return BAD("%s: dataset '%s': element %llu is %lld, not -1 or a vertex index < n = %u", path, d->name,
                           (unsigned long long)i, (long long)x[i], g->n);
            if (g->capacity == NULL || g->capacity[x[i]] < 1)
                return BAD("%s: dataset '%s': element %llu names vertex %lld, which has no capacity "
                           "(dataset 'capacity' %s)",
                           path, d->name, (unsigned long long)i, (long long)x[i],
                           g->capacity == NULL ? "is missing" : "gives it 0");
        }
        break;
    }
    case R_NAME:
    case R_CLASSNAME: {
        char *const *x = a;
        for (i = 0; i < len; i++)
            if (x[i] == NULL || x[i][0] == '\0')
                return BAD("%s: dataset '%s': element %llu is an empty name", path, d->name, (unsigned long long)i);
        break;
    }
    }
    return FL_OK;
}

int fl_i_h5graph_validate(const fl_i_h5graph *g, const char *path, char *message, size_t message_size)
{
    size_t i;
    int status;

    if (g->n >= UINT32_MAX - 1)
        return BAD("%s: attribute 'n' is %u, above the %u vertices faultline handles", path, g->n, UINT32_MAX - 2);
    if ((g->sup_from == NULL) != (g->sup_to == NULL))
        return BAD("%s: dataset '%s' is missing (it goes with '%s')", path, g->sup_from ? "supervised" : "supervisor",
                   g->sup_from ? "supervisor" : "supervised");
    if (g->vclass != NULL && g->classes == NULL && g->n > 0)
        return BAD("%s: dataset 'classes' is missing (dataset 'class' indexes it)", path);
    for (i = 0; i < NDS; i++) {
        status = check_one(g, &ds[i], path, message, message_size);
        if (status != FL_OK)
            return status;
    }
    return FL_OK;
}

/* ---------------------------------------------------------------- reading */

static hid_t mem_type(enum dtype t)
{
    switch (t) {
    case D_U64: return H5T_NATIVE_UINT64;
    case D_U32: return H5T_NATIVE_UINT32;
    case D_I32: return H5T_NATIVE_INT32;
    case D_I64: return H5T_NATIVE_INT64;
    case D_U8: return H5T_NATIVE_UINT8;
    case D_F64: return H5T_NATIVE_DOUBLE;
    case D_STR: return H5I_INVALID_HID;
    }
    return H5I_INVALID_HID;
}

static hid_t file_type(enum dtype t)
{
    switch (t) {
    case D_U64: return H5T_STD_U64LE;
    case D_U32: return H5T_STD_U32LE;
    case D_I32: return H5T_STD_I32LE;
    case D_I64: return H5T_STD_I64LE;
    case D_U8: return H5T_STD_U8LE;
    case D_F64: return H5T_IEEE_F64LE;
    case D_STR: return H5I_INVALID_HID;
    }
    return H5I_INVALID_HID;
}

static void *vlen_alloc(size_t size, void *info)
{
    (void)info;
    return malloc(size);
}

static void vlen_free(void *p, void *info)
{
    (void)info;
    free(p);
}

typedef struct reader {
    const char *path;
    char *message;
    size_t message_size;
    hid_t file, str, xfer;
} reader;

#define RBAD(...) fl_i_say(r->message, r->message_size, FL_E_MODEL, __VA_ARGS__)

/* Reads an integer attribute of the root group into *x; FL_E_MODEL if absent. */
static int read_attr_u64(reader *r, const char *name, uint64_t *x)
{
    hid_t a, t;
    int status = FL_OK;

    if (H5Aexists(r->file, name) <= 0)
        return RBAD("%s: attribute '%s' is missing (not a faultline graph file?)", r->path, name);
    a = H5Aopen(r->file, name, H5P_DEFAULT);
    t = a >= 0 ? H5Aget_type(a) : H5I_INVALID_HID;
    if (t < 0 || H5Tget_class(t) != H5T_INTEGER || H5Aread(a, H5T_NATIVE_UINT64, x) < 0)
        status = RBAD("%s: attribute '%s' is not an integer", r->path, name);
    if (t >= 0)
        H5Tclose(t);
    if (a >= 0)
        H5Aclose(a);
    return status;
}

/* Reads a string attribute; *s is malloc'd (NULL when absent and optional). */
static int read_attr_str(reader *r, const char *name, char **s, int required)
{
    hid_t a, t;
    int status = FL_OK;
    char *v = NULL;

    *s = NULL;
    if (H5Aexists(r->file, name) <= 0)
        return required ? RBAD("%s: attribute '%s' is missing (not a faultline graph file?)", r->path, name) : FL_OK;
    a = H5Aopen(r->file, name, H5P_DEFAULT);
    t = a >= 0 ? H5Aget_type(a) : H5I_INVALID_HID;
    if (t >= 0 && H5Tget_class(t) == H5T_STRING && H5Tis_variable_str(t) == 0) {
        /* a fixed-length string (h5py's numpy bytes, H5LTset_attribute_string) */
        size_t size = H5Tget_size(t);
        hid_t mt = H5Tcopy(t);

        v = calloc(size + 1, 1);
        if (v == NULL || mt < 0 || H5Tset_strpad(mt, H5T_STR_NULLTERM) < 0 || H5Tset_size(mt, size + 1) < 0 ||
            H5Aread(a, mt, v) < 0)
            status = RBAD("%s: attribute '%s' cannot be read as a string", r->path, name);
        *s = v;
        if (mt >= 0)
            H5Tclose(mt);
        H5Tclose(t);
        H5Aclose(a);
        if (status != FL_OK) {
            free(v);
            *s = NULL;
        }
        return status;
    }
    if (t < 0 || H5Tget_class(t) != H5T_STRING || H5Tis_variable_str(t) <= 0 ||
        H5Tset_cset(r->str, H5Tget_cset(t)) < 0 || H5Aread(a, r->str, &v) < 0 || v == NULL)
        status = RBAD("%s: attribute '%s' is not a variable-length string", r->path, name);
    else {
        *s = strdup(v);
        if (*s == NULL)
            status = fl_i_say(r->message, r->message_size, FL_E_NOMEM, "%s: out of memory", r->path);
    }
    if (v != NULL)
        H5free_memory(v);
    if (t >= 0)
        H5Tclose(t);
    if (a >= 0)
        H5Aclose(a);
    return status;
}

/*
 * Reads integer dataset `set` of len values, stored in a type wider than
 * d's or of the other sign, into buf (d's type): through 64 bits, every
 * value checked against the range of d's type.
 */
static int read_narrowed(reader *r, hid_t set, const dsdesc *d, int file_signed, uint64_t len, void *buf)
{
    int64_t lo = 0;
    uint64_t hi = UINT64_MAX;
    int status = FL_OK;

    switch (d->type) {
    case D_U8: hi = UINT8_MAX; break;
    case D_U32: hi = UINT32_MAX; break;
    case D_I32: lo = INT32_MIN, hi = INT32_MAX; break;
    case D_I64: lo = INT64_MIN, hi = INT64_MAX; break;
    default: break;
    }
    uint64_t *wide = len ? fl_i_big_alloc((size_t)len * 8) : NULL;
    if (len && wide == NULL)
        return fl_i_say(r->message, r->message_size, FL_E_NOMEM, "%s: out of memory for dataset '%s'", r->path,
                        d->name);
    if (len &&
        H5Dread(set, file_signed ? H5T_NATIVE_INT64 : H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, wide) < 0) {
        status = RBAD("%s: dataset '%s' cannot be read (corrupt file?)", r->path, d->name);
        goto done;
    }
    for (uint64_t i = 0; i < len; i++) {
        int64_t sv = (int64_t)wide[i];
        int below = file_signed && sv < lo, above = file_signed ? (sv >= 0 && (uint64_t)sv > hi) : wide[i] > hi;
        if (below || above) {
            if (file_signed)
                status = RBAD("%s: dataset '%s': element %llu is %lld, outside the range of its %s %zu-byte type",
                              r->path, d->name, (unsigned long long)i, (long long)sv, lo < 0 ? "signed" : "unsigned",
                              elem_size(d->type));
            else
                status = RBAD("%s: dataset '%s': element %llu is %llu, outside the range of its %s %zu-byte type",
                              r->path, d->name, (unsigned long long)i, (unsigned long long)wide[i],
                              lo < 0 ? "signed" : "unsigned", elem_size(d->type));
            goto done;
        }
        switch (d->type) {
        case D_U8: ((uint8_t *)buf)[i] = (uint8_t)wide[i]; break;
        case D_U32: ((uint32_t *)buf)[i] = (uint32_t)wide[i]; break;
        case D_I32: ((int32_t *)buf)[i] = (int32_t)sv; break;
        case D_U64:
        case D_I64: ((uint64_t *)buf)[i] = wide[i]; break;
        default: break;
        }
    }
done:
    free(wide);
    return status;
}

/*
 * col, the largest array of a graph, mapped from the file instead of read
 * when it is stored as it is used (contiguous, native 32-bit unsigned):
 * MAP_PRIVATE, so that the page cache's pages are used without a copy and
 * a write (the model's vertex renumbering, when inline vertices come
 * first) copies only its page.  On the development VM the HDF5 load of a
 * 16M-edge graph spent most of its time clearing fresh pages, col's 64 MB
 * among them.  Returns col, or NULL (then read as any dataset): the first
 * and last elements are compared with HDF5's own read, so an address that
 * is not a file offset (a file driver other than the default) is never
 * used.
 */
static uint32_t *map_col(reader *r, fl_i_h5graph *g, hid_t set, hid_t type, uint64_t len)
{
    hid_t dcpl = H5Dget_create_plist(set);
    int contiguous = dcpl >= 0 && H5Pget_layout(dcpl) == H5D_CONTIGUOUS;
    if (dcpl >= 0)
        H5Pclose(dcpl);
    haddr_t at = H5Dget_offset(set);
    long page = sysconf(_SC_PAGESIZE);
    if (!contiguous || len < 2 || H5Tequal(type, H5T_NATIVE_UINT32) <= 0 || at == HADDR_UNDEF || page <= 0 ||
        len > SIZE_MAX / 8)
        return NULL;
    int fd = open(r->path, O_RDONLY);
    struct stat st;
    if (fd < 0)
        return NULL;
    size_t delta = (size_t)(at % (haddr_t)page), maplen = delta + (size_t)len * 4;
    void *base = MAP_FAILED;
    if (fstat(fd, &st) == 0 && (uint64_t)st.st_size >= (uint64_t)at + len * 4)
        base = mmap(NULL, maplen, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, (off_t)(at - delta));
    close(fd);
    /* populated read only (a writable private mapping would be populated
     * with copies), then writable: a write copies its page */
    if (base != MAP_FAILED && mprotect(base, maplen, PROT_READ | PROT_WRITE) != 0) {
        munmap(base, maplen);
        base = MAP_FAILED;
    }
    if (base == MAP_FAILED)
        return NULL;
    uint32_t *col = (uint32_t *)((char *)base + delta), ends[2];
    hsize_t pick[2] = {0, len - 1}, two = 2;
    hid_t file_space = H5Dget_space(set), mem_space = H5Screate_simple(1, &two, NULL);
    int same = file_space >= 0 && mem_space >= 0 && H5Sselect_elements(file_space, H5S_SELECT_SET, 2, pick) >= 0 &&
               H5Dread(set, H5T_NATIVE_UINT32, mem_space, file_space, H5P_DEFAULT, ends) >= 0 && ends[0] == col[0] &&
               ends[1] == col[len - 1];
    if (file_space >= 0)
        H5Sclose(file_space);
    if (mem_space >= 0)
        H5Sclose(mem_space);
    if (!same) {
        munmap(base, maplen);
        return NULL;
    }
    g->col_map = base;
    g->col_map_len = maplen;
    return col;
}

static int read_one(reader *r, fl_i_h5graph *g, const dsdesc *d)
{
    hid_t set = H5I_INVALID_HID, space = H5I_INVALID_HID, type = H5I_INVALID_HID;
    H5T_class_t want = d->type == D_STR ? H5T_STRING : d->type == D_F64 ? H5T_FLOAT : H5T_INTEGER;
    hsize_t dims[2] = {0, 0};
    uint64_t len = length(g, d->len);
    void *buf = NULL;
    int status = FL_OK, rank;

    if (H5Lexists(r->file, d->name, H5P_DEFAULT) <= 0) {
        if (d->required)
            return RBAD("%s: dataset '%s' is missing", r->path, d->name);
        return FL_OK;
    }
    set = H5Dopen2(r->file, d->name, H5P_DEFAULT);
    if (set < 0) {
        status = RBAD("%s: dataset '%s' cannot be opened (is it a dataset?)", r->path, d->name);
        goto cleanup;
    }
    space = H5Dget_space(set);
    type = H5Dget_type(set);
    rank = space >= 0 ? H5Sget_simple_extent_ndims(space) : -1;
    if (rank != 1 || H5Sget_simple_extent_dims(space, dims, NULL) != 1) {
        status = RBAD("%s: dataset '%s' has %d dimensions, expected 1", r->path, d->name, rank);
        goto cleanup;
    }
    if (dims[0] != len) {
        status = RBAD("%s: dataset '%s' has %llu elements, expected %s = %llu", r->path, d->name,
                      (unsigned long long)dims[0], length_name(d->len), (unsigned long long)len);
        goto cleanup;
    }
    if (type < 0 || H5Tget_class(type) != want || (d->type == D_STR && !H5Tis_variable_str(type))) {
        status = RBAD("%s: dataset '%s' is not of %s type", r->path, d->name,
                      d->type == D_STR   ? "variable-length string"
                      : d->type == D_F64 ? "floating-point"
                                         : "integer");
        goto cleanup;
    }
    int narrow = 0, file_signed = 0;
    if (d->type != D_F64 && d->type != D_STR) {
        /* An integer type that does not hold every value of ours (h5py's
         * default int64 for indices, say) is read through 64 bits and
         * checked value by value: HDF5 itself would clip silently. */
        size_t fsize = H5Tget_size(type);
        int signed_mem = d->type == D_I32 || d->type == D_I64;
        file_signed = H5Tget_sign(type) == H5T_SGN_2;
        if (fsize > 8) {
            status = RBAD("%s: dataset '%s' has an integer type of %zu bytes, more than 8", r->path, d->name, fsize);
            goto cleanup;
        }
        narrow = fsize > elem_size(d->type) || (file_signed && !signed_mem) ||
                 (!file_signed && signed_mem && fsize == elem_size(d->type));
    }
    if (d->offset == OFF(col) && !narrow && (*slot(g, d) = map_col(r, g, set, type, len)) != NULL)
        goto cleanup;
    /* its pages touched on all cores before HDF5 fills it: on one core, the
     * kernel's clearing of the fresh pages was most of the load (mem.h) */
    buf = len <= SIZE_MAX / elem_size(d->type)
              ? fl_i_big_alloc_touched((size_t)len * elem_size(d->type), omp_get_max_threads())
              : NULL;
    if (buf == NULL) {
        status =
            fl_i_say(r->message, r->message_size, FL_E_NOMEM, "%s: out of memory for dataset '%s'", r->path, d->name);
        goto cleanup;
    }
    /* HDF5 converts no string between character sets: read in the file's. */
    if (d->type == D_STR && H5Tset_cset(r->str, H5Tget_cset(type)) < 0) {
        status = RBAD("%s: dataset '%s' has an unknown character set", r->path, d->name);
        goto cleanup;
    }
    if (narrow) {
        status = read_narrowed(r, set, d, file_signed, len, buf);
        if (status != FL_OK)
            goto cleanup;
    } else if (len > 0 && H5Dread(set, d->type == D_STR ? r->str : mem_type(d->type), H5S_ALL, H5S_ALL,
                                  d->type == D_STR ? r->xfer : H5P_DEFAULT, buf) < 0) {
        status = RBAD("%s: dataset '%s' cannot be read (corrupt file?)", r->path, d->name);
        goto cleanup;
    }
    *slot(g, d) = buf;
    buf = NULL;
cleanup:
    free(buf);
    if (type >= 0)
        H5Tclose(type);
    if (space >= 0)
        H5Sclose(space);
    if (set >= 0)
        H5Dclose(set);
    return status;
}

int fl_i_is_hdf5(const char *path)
{
    static const unsigned char sig[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    unsigned char b[8];
    FILE *f = fopen(path, "rb");
    int yes = f != NULL && fread(b, 1, 8, f) == 8 && memcmp(b, sig, 8) == 0;

    if (f != NULL)
        fclose(f);
    return yes;
}

/* The size of a dataset of the file, or -1 when it is missing or not 1-D. */
static int64_t dataset_length(reader *r, const char *name)
{
    hid_t set, space;
    hsize_t dims[1] = {0};
    int64_t len = -1;

    if (H5Lexists(r->file, name, H5P_DEFAULT) <= 0)
        return -1;
    set = H5Dopen2(r->file, name, H5P_DEFAULT);
    space = set >= 0 ? H5Dget_space(set) : H5I_INVALID_HID;
    if (space >= 0 && H5Sget_simple_extent_ndims(space) == 1 && H5Sget_simple_extent_dims(space, dims, NULL) == 1)
        len = (int64_t)dims[0];
    if (space >= 0)
        H5Sclose(space);
    if (set >= 0)
        H5Dclose(set);
    return len;
}

int fl_i_h5graph_read(fl_i_h5graph *g, const char *path, char *message, size_t message_size)
{
    reader rd = {path, message, message_size, H5I_INVALID_HID, H5I_INVALID_HID, H5I_INVALID_HID};
    reader *r = &rd;
    H5E_auto2_t old_func = NULL;
    void *old_data = NULL;
    int status = FL_OK, silenced = 0;
    uint64_t x;
    char *format = NULL;
    int64_t len;
    size_t i;
    FILE *f;

    memset(g, 0, sizeof *g);
    fl_i_say(message, message_size, FL_OK, "%s", "");
    errno = 0;
    f = fopen(path, "rb");
    if (f == NULL)
        return fl_i_say(message, message_size, FL_E_NOINPUT, "cannot open '%s': %s", path, strerror(errno));
    fclose(f);
    if (H5Eget_auto2(H5E_DEFAULT, &old_func, &old_data) >= 0 && H5Eset_auto2(H5E_DEFAULT, NULL, NULL) >= 0)
        silenced = 1;
    if (H5Fis_hdf5(path) <= 0) {
        status = RBAD("%s: not an HDF5 file", path);
        goto cleanup;
    }
    r->file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (r->file < 0) {
        status = RBAD("%s: the HDF5 file cannot be opened (corrupt?)", path);
        goto cleanup;
    }
    r->str = H5Tcopy(H5T_C_S1);
    r->xfer = H5Pcreate(H5P_DATASET_XFER);
    if (r->str < 0 || H5Tset_size(r->str, H5T_VARIABLE) < 0 || r->xfer < 0 ||
        H5Pset_vlen_mem_manager(r->xfer, vlen_alloc, NULL, vlen_free, NULL) < 0) {
        status = fl_i_say(message, message_size, FL_E_INTERNAL, "%s: HDF5 string type setup failed", path);
        goto cleanup;
    }
    status = read_attr_str(r, "format", &format, 1);
    if (status != FL_OK)
        goto cleanup;
    if (strcmp(format, FL_GRAPH_FORMAT) != 0) {
        status = RBAD("%s: attribute 'format' is '%.64s', not '" FL_GRAPH_FORMAT "'", path, format);
        goto cleanup;
    }
    if ((status = read_attr_u64(r, "version", &x)) != FL_OK)
        goto cleanup;
    if (x != FL_GRAPH_VERSION) {
        status = RBAD("%s: attribute 'version' is %llu; this faultline reads version %u", path, (unsigned long long)x,
                      FL_GRAPH_VERSION);
        goto cleanup;
    }
    if ((status = read_attr_u64(r, "n", &x)) != FL_OK)
        goto cleanup;
    if (x >= UINT32_MAX - 1) {
        status = RBAD("%s: attribute 'n' is %llu, above the %u vertices faultline handles", path, (unsigned long long)x,
                      UINT32_MAX - 2);
        goto cleanup;
    }
    g->n = (uint32_t)x;
    if ((status = read_attr_u64(r, "m", &g->m)) != FL_OK)
        goto cleanup;
    if ((status = read_attr_str(r, "source", &g->source, 0)) != FL_OK)
        goto cleanup;
    /* The lengths that no attribute gives: taken from the datasets. */
    len = dataset_length(r, "supervisor");
    g->ns = len > 0 ? (uint64_t)len : 0;
    len = dataset_length(r, "classes");
    if (len > (int64_t)(UINT32_MAX - 1)) {
        status = RBAD("%s: dataset 'classes' has too many names", path);
        goto cleanup;
    }
    g->nclass = len > 0 ? (uint32_t)len : 0;
    for (i = 0; i < NDS; i++)
        if ((status = read_one(r, g, &ds[i])) != FL_OK)
            goto cleanup;
    status = fl_i_h5graph_validate(g, path, message, message_size);
cleanup:
    free(format);
    if (r->xfer >= 0)
        H5Pclose(r->xfer);
    if (r->str >= 0)
        H5Tclose(r->str);
    if (r->file >= 0)
        H5Fclose(r->file);
    if (silenced)
        H5Eset_auto2(H5E_DEFAULT, old_func, old_data);
    if (status != FL_OK)
        fl_i_h5graph_free(g);
    return status;
}

/* ---------------------------------------------------------------- writing */

typedef struct writer {
    const char *path;
    char *message;
    size_t message_size;
    hid_t file, str;
    int deflate, deflate_edges;
} writer;

#define WBAD(...) fl_i_say(w->message, w->message_size, FL_E_OUTPUT, __VA_ARGS__)

static int write_attr(writer *w, const char *name, hid_t ftype, hid_t mtype, const void *value)
{
    hid_t space = H5Screate(H5S_SCALAR), a = H5I_INVALID_HID;
    int status = FL_OK;

    if (space < 0 || (a = H5Acreate2(w->file, name, ftype, space, H5P_DEFAULT, H5P_DEFAULT)) < 0 ||
        H5Awrite(a, mtype, value) < 0)
        status = WBAD("%s: cannot write attribute '%s'", w->path, name);
    if (a >= 0)
        H5Aclose(a);
    if (space >= 0)
        H5Sclose(space);
    return status;
}

static int write_one(writer *w, const fl_i_h5graph *g, const dsdesc *d)
{
    const void *a = *slot(g, d);
    hsize_t len = length(g, d->len), chunk = len < CHUNK ? len : CHUNK;
    hid_t space = H5I_INVALID_HID, dcpl = H5I_INVALID_HID, set = H5I_INVALID_HID;
    hid_t ft = d->type == D_STR ? w->str : file_type(d->type), mt = d->type == D_STR ? w->str : mem_type(d->type);
    int status = FL_OK;

    if (a == NULL)
        return FL_OK;
    space = H5Screate_simple(1, &len, NULL);
    dcpl = H5Pcreate(H5P_DATASET_CREATE);
    if (space < 0 || dcpl < 0)
        goto fail;
    int level = d->compress == 2 ? w->deflate_edges : w->deflate;

    if (d->compress && len > 0 && level > 0) {
        if (H5Pset_chunk(dcpl, 1, &chunk) < 0 ||
            (elem_size(d->type) > 1 && d->type != D_STR && H5Pset_shuffle(dcpl) < 0) ||
            H5Pset_deflate(dcpl, (unsigned)level) < 0)
            goto fail;
    }
    set = H5Dcreate2(w->file, d->name, ft, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    if (set < 0 || (len > 0 && H5Dwrite(set, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, a) < 0))
        goto fail;
    goto cleanup;
fail:
    status = WBAD("%s: cannot write dataset '%s'", w->path, d->name);
cleanup:
    if (set >= 0)
        H5Dclose(set);
    if (dcpl >= 0)
        H5Pclose(dcpl);
    if (space >= 0)
        H5Sclose(space);
    return status;
}

/* The file is built in memory and published whole (host/io/h5out.h). */
int fl_i_h5graph_write(const fl_i_h5graph *g, const char *path, int deflate, int deflate_edges, char *message,
                       size_t message_size)
{
    writer wr = {path, message, message_size, H5I_INVALID_HID, H5I_INVALID_HID, deflate, deflate_edges};
    writer *w = &wr;
    fl_i_h5out out;
    int status;
    uint64_t n = g->n;
    uint32_t version = FL_GRAPH_VERSION;
    const char *format = FL_GRAPH_FORMAT;
    size_t i;

    status = fl_i_h5graph_validate(g, path, message, message_size);
    if (status != FL_OK)
        return status;
    status = fl_i_h5out_open(&out, path, (size_t)16 << 20, message, message_size);
    if (status != FL_OK)
        goto cleanup;
    w->file = out.file;
    if ((w->str = H5Tcopy(H5T_C_S1)) < 0 || H5Tset_size(w->str, H5T_VARIABLE) < 0 ||
        H5Tset_cset(w->str, H5T_CSET_UTF8) < 0) {
        status = fl_i_h5out_fail(&out, FL_E_OUTPUT, 1, "string type");
        goto cleanup;
    }
    if ((status = write_attr(w, "format", w->str, w->str, &format)) != FL_OK ||
        (status = write_attr(w, "version", H5T_STD_U32LE, H5T_NATIVE_UINT32, &version)) != FL_OK ||
        (status = write_attr(w, "n", H5T_STD_U64LE, H5T_NATIVE_UINT64, &n)) != FL_OK ||
        (status = write_attr(w, "m", H5T_STD_U64LE, H5T_NATIVE_UINT64, &g->m)) != FL_OK)
        goto cleanup;
    if (g->source != NULL && (status = write_attr(w, "source", w->str, w->str, &g->source)) != FL_OK)
        goto cleanup;
    for (i = 0; i < NDS; i++)
        if ((status = write_one(w, g, &ds[i])) != FL_OK)
            goto cleanup;
    status = fl_i_h5out_publish(&out);
cleanup:
    if (w->str >= 0)
        H5Tclose(w->str);
    fl_i_h5out_close(&out);
    return status;
}
