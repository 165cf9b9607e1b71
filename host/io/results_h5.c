/*
 * results_h5.c - writes the results of a run as one HDF5 file.
 *
 * The layout is INTERFACE.md "Results of run": every dataset in the root
 * group, every axis a dimension scale so that h5py and xarray's h5netcdf
 * engine both see named dimensions, deflate + shuffle on chunked datasets,
 * the run's description in root attributes and `complete` = 1 written last.
 *
 * The file is built in memory, written to a temporary name beside the
 * output and renamed over it only once it is complete and synced: a reader
 * never finds half a file at the output path, and a failed write leaves
 * nothing there.  Like the rest of the library this never prints: HDF5's
 * own error reports are silenced and the innermost one is folded into the
 * message returned in err.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <hdf5.h>
#include <hdf5_hl.h>

#include "faultline.h"
#include "results.h"
#include "io/h5out.h"

/* 1-D chunks hold up to this many elements; 2-D chunks about this many bytes. */
#define CHUNK_1D 65536u
#define CHUNK_2D_BYTES (256u * 1024u)
#define DEFLATE_LEVEL 1 /* docs/results.md, "Compression" */
#define DETAIL_SIZE 256 /* HDF5's own words in a message */

typedef struct writer {
    const char *path; /* the output as given: every message names it */
    char *err;        /* may be NULL */
    size_t err_size;
    hid_t file;
    hid_t str; /* variable-length UTF-8 string, for datasets and attributes */
} writer;

/* The axes, in the order their scales are created (and so listed). */
enum axis { AX_TIME, AX_TRIAL, AX_VERTEX, AX_CLASS, AX_VTIME, AX_COUNT };
static const char *const axis_name[AX_COUNT] = {"time", "trial", "vertex", "class", "vtime"};

/* One dataset to write: its name, types, axes and data. */
typedef struct variable {
    const char *name;
    const char *long_name;
    hid_t type;     /* in the file */
    hid_t mem_type; /* of data */
    int rank;
    enum axis axis[2];
    const void *data;
    int named_vertices; /* gets coordinates = "vertex_name" */
} variable;

static herr_t innermost_error(unsigned n, const H5E_error2_t *e, void *data)
{
    /* Walking upward, entry 0 is where HDF5 detected the problem; the
     * entries above it only repeat the call chain. */
    if (n == 0 && e->desc)
        snprintf(data, DETAIL_SIZE, "%s", e->desc);
    return 0;
}

static int vfail(writer *w, int status, const char *detail, const char *fmt, va_list ap)
{
    char what[512];

    vsnprintf(what, sizeof what, fmt, ap);
    if (w->err && w->err_size) {
        if (detail && detail[0])
            snprintf(w->err, w->err_size, "cannot write '%s': %s: %s", w->path, what, detail);
        else
            snprintf(w->err, w->err_size, "cannot write '%s': %s", w->path, what);
    }
    return status;
}

/* A failure outside HDF5: the message is what the caller says. */
static int fail(writer *w, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    status = vfail(w, status, NULL, fmt, ap);
    va_end(ap);
    return status;
}

/* A failed HDF5 call.  Must run before any other HDF5 call, since each API
 * call clears the error stack this reads. */
static int hdf5_fail(writer *w, const char *fmt, ...)
{
    char detail[DETAIL_SIZE] = "";
    va_list ap;
    int status;

    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, innermost_error, detail);
    va_start(ap, fmt);
    status = vfail(w, FL_E_OUTPUT, detail, fmt, ap);
    va_end(ap);
    return status;
}

/* Both need `writer *w`, `int status` and a `cleanup:` label in scope. */
#define TRY_H5(expr, ...)                                                                                              \
    do {                                                                                                               \
        if ((expr) < 0) {                                                                                              \
            status = hdf5_fail(w, __VA_ARGS__);                                                                        \
            goto cleanup;                                                                                              \
        }                                                                                                              \
    } while (0)

#define CHECK(expr)                                                                                                    \
    do {                                                                                                               \
        if ((status = (expr)) != FL_OK)                                                                                \
            goto cleanup;                                                                                              \
    } while (0)

/* ------------------------------------------------------------ attributes */

static int attr_write(writer *w, hid_t obj, const char *name, hid_t type, hid_t mem_type, const void *value)
{
    hid_t space = H5I_INVALID_HID, attr = H5I_INVALID_HID;
    int status = FL_OK;

    TRY_H5(space = H5Screate(H5S_SCALAR), "attribute '%s'", name);
    TRY_H5(attr = H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT), "creating attribute '%s'", name);
    TRY_H5(H5Awrite(attr, mem_type, value), "writing attribute '%s'", name);
cleanup:
    if (attr >= 0)
        H5Aclose(attr);
    if (space >= 0)
        H5Sclose(space);
    return status;
}

/* Variable-length, so that h5py returns str and a long model text needs no
 * room in the object header (compact attributes are limited to 64 KiB). */
static int attr_string(writer *w, hid_t obj, const char *name, const char *value)
{
    const char *v = value ? value : "";
    return attr_write(w, obj, name, w->str, w->str, &v);
}

/* created: now in ISO 8601 UTC, or SOURCE_DATE_EPOCH when set, so that two
 * runs of the same command can give byte-identical files. */
static void created_time(char *buf, size_t size)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    time_t t = time(NULL);
    struct tm tm;

    if (sde && *sde) {
        char *end;
        errno = 0;
        long long v = strtoll(sde, &end, 10);
        if (errno == 0 && *end == '\0' && v >= 0)
            t = (time_t)v;
    }
    if (!gmtime_r(&t, &tm) || !strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(buf, size, "unknown");
}

static int write_root_attributes(writer *w, const fl_results *r, const char *command)
{
    const fl_model *m = r->model;
    char sha[2 * sizeof m->sha256 + 1], created[32];
    int status = FL_OK;

    for (size_t i = 0; i < sizeof m->sha256; i++)
        snprintf(sha + 2 * i, 3, "%02x", m->sha256[i]);
    created_time(created, sizeof created);

    CHECK(attr_string(w, w->file, "Conventions", "CF-1.8"));
    CHECK(attr_string(w, w->file, "title", "faultline simulation results"));
    CHECK(attr_string(w, w->file, "faultline_version", FL_VERSION_STRING));
    CHECK(attr_string(w, w->file, "model_name", m->name));
    CHECK(attr_string(w, w->file, "model_yaml", m->text));
    CHECK(attr_string(w, w->file, "model_sha256", sha));
    CHECK(attr_write(w, w->file, "seed", H5T_STD_U64LE, H5T_NATIVE_UINT64, &r->seed));
    CHECK(attr_write(w, w->file, "trials", H5T_STD_U64LE, H5T_NATIVE_UINT64, &r->trials));
    CHECK(attr_write(w, w->file, "trial_offset", H5T_STD_U64LE, H5T_NATIVE_UINT64, &r->trial_offset));
    CHECK(attr_write(w, w->file, "steps", H5T_STD_U32LE, H5T_NATIVE_UINT32, &r->steps));
    CHECK(attr_string(w, w->file, "propagation", r->propagation == FL_PROP_INSTANT ? "instant" : "synchronous"));
    CHECK(attr_string(w, w->file, "backend", r->backend));
    CHECK(attr_string(w, w->file, "hits", r->hits));
    CHECK(attr_string(w, w->file, "random_mapping", r->random_mapping));
    CHECK(attr_string(w, w->file, "device", r->device));
    CHECK(attr_string(w, w->file, "created", created));
    CHECK(attr_string(w, w->file, "command", command));
cleanup:
    return status;
}

/* -------------------------------------------------------------- datasets */

static hsize_t min_h(hsize_t a, hsize_t b)
{
    return a < b ? a : b;
}

/* 1-D: up to CHUNK_1D elements.  2-D: whole rows where they fit (a trial's
 * time series is read together), as many rows as make about CHUNK_2D_BYTES.
 * Never larger than the dims, never 0 (the dims are not 0 here). */
static void chunk_shape(int rank, const hsize_t *dims, size_t elem_size, hsize_t *chunk)
{
    if (rank == 1) {
        chunk[0] = min_h(dims[0], CHUNK_1D);
        return;
    }
    hsize_t target = CHUNK_2D_BYTES / (elem_size ? elem_size : 1);
    chunk[1] = min_h(dims[1], target);
    chunk[0] = min_h(dims[0], target / chunk[1]);
    if (chunk[0] == 0)
        chunk[0] = 1;
}

/*
 * Creates and writes one dataset, then attaches each of its axes to the
 * scale in scale[] (NULL: the dataset is itself a scale).  With keep, the
 * dataset is left open in *keep for the caller; else it is closed.
 */
static int write_variable(writer *w, const variable *v, const hsize_t *size, const hid_t *scale, hid_t *keep)
{
    hsize_t dims[2], chunk[2], count = 1;
    hid_t space = H5I_INVALID_HID, dcpl = H5I_INVALID_HID, dset = H5I_INVALID_HID;
    int status = FL_OK;

    for (int d = 0; d < v->rank; d++) {
        dims[d] = size[v->axis[d]];
        count *= dims[d];
    }
    TRY_H5(space = H5Screate_simple(v->rank, dims, NULL), "dataspace of '%s'", v->name);
    TRY_H5(dcpl = H5Pcreate(H5P_DATASET_CREATE), "creation properties of '%s'", v->name);
    /* No modification times in the object headers: the same results give
     * the same bytes (merge promises files equal to a single run's). */
    TRY_H5(H5Pset_obj_track_times(dcpl, 0), "creation properties of '%s'", v->name);
    /* HDF5 cannot chunk a fixed-size axis of length 0; such a dataset has
     * nothing to compress and keeps the default contiguous layout. */
    if (count > 0) {
        chunk_shape(v->rank, dims, H5Tget_size(v->type), chunk);
        TRY_H5(H5Pset_chunk(dcpl, v->rank, chunk), "chunking '%s'", v->name);
        TRY_H5(H5Pset_shuffle(dcpl), "shuffle filter on '%s'", v->name);
        TRY_H5(H5Pset_deflate(dcpl, DEFLATE_LEVEL), "deflate filter on '%s'", v->name);
    }
    TRY_H5(dset = H5Dcreate2(w->file, v->name, v->type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT), "creating dataset '%s'",
           v->name);
    if (count > 0)
        TRY_H5(H5Dwrite(dset, v->mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, v->data), "writing dataset '%s'", v->name);
    CHECK(attr_string(w, dset, "long_name", v->long_name));
    /* CF: xarray then shows vertex_name as a coordinate of these variables. */
    if (v->named_vertices)
        CHECK(attr_string(w, dset, "coordinates", "vertex_name"));
    for (int d = 0; scale && d < v->rank; d++)
        TRY_H5(H5DSattach_scale(dset, scale[v->axis[d]], (unsigned)d), "attaching dimension '%s' to '%s'",
               axis_name[v->axis[d]], v->name);
    if (keep) {
        *keep = dset;
        dset = H5I_INVALID_HID;
    }
cleanup:
    if (dset >= 0)
        H5Dclose(dset);
    if (dcpl >= 0)
        H5Pclose(dcpl);
    if (space >= 0)
        H5Sclose(space);
    return status;
}

/* start, start + step, ...: the values of a numeric axis. */
static int64_t *arithmetic(int64_t start, int64_t step, hsize_t count)
{
    int64_t *a = malloc((count ? count : 1) * sizeof *a);
    for (hsize_t i = 0; a && i < count; i++)
        a[i] = start + (int64_t)i * step;
    return a;
}

static int write_contents(writer *w, const fl_results *r)
{
    const fl_model *m = r->model;
    const int series = r->series_stride > 0;
    hsize_t size[AX_COUNT];
    hid_t scale[AX_COUNT];
    int64_t *time = NULL, *trial = NULL, *vertex = NULL, *vtime = NULL;
    int status = FL_OK;

    size[AX_TIME] = (hsize_t)r->steps + 1;
    size[AX_TRIAL] = r->trials;
    size[AX_VERTEX] = m->n;
    size[AX_CLASS] = r->nclass_out;
    size[AX_VTIME] = series ? r->nseries : 0;
    for (int a = 0; a < AX_COUNT; a++)
        scale[a] = H5I_INVALID_HID;

    time = arithmetic(0, 1, size[AX_TIME]);
    trial = arithmetic((int64_t)r->trial_offset, 1, size[AX_TRIAL]);
    vertex = arithmetic(0, 1, size[AX_VERTEX]);
    vtime = arithmetic(0, r->series_stride, size[AX_VTIME]);
    if (!time || !trial || !vertex || !vtime) {
        status = fail(w, FL_E_NOMEM, "out of memory for the axes");
        goto cleanup;
    }

    /* The axes are generated as int64 and converted by HDF5 to the file's
     * type; int32 time cannot overflow (steps <= INT32_MAX is checked). */
    const variable scales[AX_COUNT] = {
        {"time", "time step", H5T_STD_I32LE, H5T_NATIVE_INT64, 1, {AX_TIME}, time, 0},
        {"trial", "trial number", H5T_STD_I64LE, H5T_NATIVE_INT64, 1, {AX_TRIAL}, trial, 0},
        {"vertex", "vertex index", H5T_STD_I64LE, H5T_NATIVE_INT64, 1, {AX_VERTEX}, vertex, 0},
        {"class", "vertex class", w->str, w->str, 1, {AX_CLASS}, r->class_out_name, 0},
        {"vtime", "time step of vertex_down_series", H5T_STD_I32LE, H5T_NATIVE_INT64, 1, {AX_VTIME}, vtime, 0},
    };
    const variable vars[] = {
        {"vertex_name", "vertex name", w->str, w->str, 1, {AX_VERTEX}, m->vertex_name, 0},
        {"down_fraction",
         "mean over trials of the fraction of vertices down",
         H5T_IEEE_F64LE,
         H5T_NATIVE_DOUBLE,
         1,
         {AX_TIME},
         r->down_fraction,
         0},
        {"system_down",
         "fraction of trials with the system down",
         H5T_IEEE_F64LE,
         H5T_NATIVE_DOUBLE,
         1,
         {AX_TIME},
         r->system_down,
         0},
        {"down_count",
         "number of vertices down",
         H5T_STD_U32LE,
         H5T_NATIVE_UINT32,
         2,
         {AX_TRIAL, AX_TIME},
         r->down_count,
         0},
        {"system_down_trial",
         "1 where the system is down",
         H5T_STD_U8LE,
         H5T_NATIVE_UINT8,
         2,
         {AX_TRIAL, AX_TIME},
         r->system_down_trial,
         0},
        {"vertex_unavailability",
         "fraction of trials and steps 1..T with the vertex down",
         H5T_IEEE_F64LE,
         H5T_NATIVE_DOUBLE,
         1,
         {AX_VERTEX},
         r->vertex_unavailability,
         1},
        {"vertex_down_final",
         "fraction of trials with the vertex down at the last step",
         H5T_IEEE_F64LE,
         H5T_NATIVE_DOUBLE,
         1,
         {AX_VERTEX},
         r->vertex_down_final,
         1},
        {"class_down_fraction",
         "mean over trials of the fraction of the class down",
         H5T_IEEE_F64LE,
         H5T_NATIVE_DOUBLE,
         2,
         {AX_TIME, AX_CLASS},
         r->class_down_fraction,
         0},
        {"vertex_down_series",
         "fraction of trials with the vertex down",
         H5T_IEEE_F64LE,
         H5T_NATIVE_DOUBLE,
         2,
         {AX_VTIME, AX_VERTEX},
         r->vertex_down_series,
         1},
    };

    for (int a = 0; a < AX_COUNT; a++) {
        if (a == AX_VTIME && !series)
            continue;
        CHECK(write_variable(w, &scales[a], size, NULL, &scale[a]));
        TRY_H5(H5DSset_scale(scale[a], axis_name[a]), "making '%s' a dimension scale", axis_name[a]);
    }
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        if (vars[i].rank == 2 && vars[i].axis[0] == AX_VTIME && !series)
            continue;
        CHECK(write_variable(w, &vars[i], size, scale, NULL));
    }
cleanup:
    for (int a = AX_COUNT; a-- > 0;)
        if (scale[a] >= 0)
            H5Dclose(scale[a]);
    free(vtime);
    free(vertex);
    free(trial);
    free(time);
    return status;
}

/* ------------------------------------------------------------ the file */

/* The in-memory file grows by this much at a time. */
#define CORE_INCREMENT ((size_t)4 << 20)

/* The file is built in memory and published whole (host/io/h5out.h). */
int fl_i_results_write(const fl_results *r, const char *path, const char *command, char *err, size_t err_size)
{
    writer wr = {path ? path : "", err, err_size, H5I_INVALID_HID, H5I_INVALID_HID};
    writer *w = &wr;
    fl_i_h5out out;
    const int32_t complete = 1;
    int status = FL_OK;

    if (err && err_size)
        err[0] = '\0';
    if (!r || !r->model || !path || !*path)
        return fail(w, FL_E_INTERNAL, "no results or no path given");
    if (r->steps > INT32_MAX || (r->series_stride > 0 && r->nseries == 0))
        return fail(w, FL_E_INTERNAL, "steps (%lu) or vertex series (%lu points) out of range", (unsigned long)r->steps,
                    (unsigned long)r->nseries);

    CHECK(fl_i_h5out_open(&out, path, CORE_INCREMENT, err, err_size));
    w->file = out.file;
    TRY_H5(w->str = H5Tcopy(H5T_C_S1), "string type");
    TRY_H5(H5Tset_size(w->str, H5T_VARIABLE), "string type");
    TRY_H5(H5Tset_cset(w->str, H5T_CSET_UTF8), "string type");

    CHECK(write_root_attributes(w, r, command));
    CHECK(write_contents(w, r));
    /* Last: a reader that finds complete = 1 knows all the rest was written
     * (info and merge refuse files without it). */
    CHECK(attr_write(w, w->file, "complete", H5T_STD_I32LE, H5T_NATIVE_INT32, &complete));
    CHECK(fl_i_h5out_publish(&out));
cleanup:
    if (w->str >= 0)
        H5Tclose(w->str);
    fl_i_h5out_close(&out);
    return status;
}

const char *fl_hdf5_version(void)
{
    static char version[32];
    unsigned major, minor, release;

    if (H5get_libversion(&major, &minor, &release) < 0)
        return "unknown";
    snprintf(version, sizeof version, "%u.%u.%u", major, minor, release);
    return version;
}
