/*
 * info.c - `faultline info FILE.h5`: a human summary of a results file.
 *
 * Reads a file laid out as INTERFACE.md "Results of run" with the HDF5 C
 * library directly (not through the faultline library, which only writes
 * results): the run's root attributes, every dataset's type and named
 * dimensions, the system_down and down_fraction summaries and the vertices
 * with the highest vertex_unavailability.  A file without `complete` = 1 is
 * refused, since its numbers may be half written.  Only what exists is
 * summarized, so files of other faultline commands still print.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include <hdf5.h>
#include <hdf5_hl.h>

#include "cli.h"

#define TOP_K 5
#define NAME_SIZE 128

/* Shape of a one-element attribute we can read: 1 when it is, else 0. */
static int single_element(hid_t attr)
{
    hid_t space = H5Aget_space(attr);
    int ok = space >= 0 && H5Sget_simple_extent_npoints(space) == 1;

    if (space >= 0)
        H5Sclose(space);
    return ok;
}

/* The memory type to read a variable-length string of file type `type`:
 * HDF5 converts no character set to another, so it keeps the file's. */
static hid_t vl_string_type(hid_t type)
{
    hid_t mem = H5Tcopy(H5T_C_S1);

    if (mem >= 0 && (H5Tset_size(mem, H5T_VARIABLE) < 0 || H5Tset_cset(mem, H5Tget_cset(type)) < 0)) {
        H5Tclose(mem);
        mem = H5I_INVALID_HID;
    }
    return mem;
}

/*
 * A string attribute of the root group, fixed- or variable-length (other
 * tools may write either), into buf, truncated to size.  Returns 0, or -1
 * with buf "" when it is missing or not a single string.
 */
static int read_string_attr(hid_t file, const char *name, char *buf, size_t size)
{
    hid_t attr = H5I_INVALID_HID, type = H5I_INVALID_HID, mem = H5I_INVALID_HID;
    char *s = NULL;
    int rc = -1;

    buf[0] = '\0';
    if (H5Aexists(file, name) <= 0 || (attr = H5Aopen(file, name, H5P_DEFAULT)) < 0)
        goto cleanup;
    if ((type = H5Aget_type(attr)) < 0 || H5Tget_class(type) != H5T_STRING || !single_element(attr))
        goto cleanup;
    if (H5Tis_variable_str(type) > 0) {
        if ((mem = vl_string_type(type)) < 0 || H5Aread(attr, mem, &s) < 0)
            goto cleanup;
        snprintf(buf, size, "%s", s ? s : "");
        H5free_memory(s);
        s = NULL;
    } else {
        size_t n = H5Tget_size(type);
        if (!(s = malloc(n + 1)) || (mem = H5Tcopy(type)) < 0 || H5Aread(attr, mem, s) < 0)
            goto cleanup;
        s[n] = '\0';
        snprintf(buf, size, "%s", s);
    }
    rc = 0;
cleanup:
    free(s);
    if (mem >= 0)
        H5Tclose(mem);
    if (type >= 0)
        H5Tclose(type);
    if (attr >= 0)
        H5Aclose(attr);
    return rc;
}

/* An integer attribute of the root group, whatever its width: 0 or -1. */
static int read_u64_attr(hid_t file, const char *name, uint64_t *value)
{
    hid_t attr = H5I_INVALID_HID, type = H5I_INVALID_HID;
    int rc = -1;

    if (H5Aexists(file, name) <= 0 || (attr = H5Aopen(file, name, H5P_DEFAULT)) < 0)
        goto cleanup;
    if ((type = H5Aget_type(attr)) < 0 || H5Tget_class(type) != H5T_INTEGER || !single_element(attr))
        goto cleanup;
    if (H5Aread(attr, H5T_NATIVE_UINT64, value) < 0)
        goto cleanup;
    rc = 0;
cleanup:
    if (type >= 0)
        H5Tclose(type);
    if (attr >= 0)
        H5Aclose(attr);
    return rc;
}

static void print_string_attr(FILE *out, hid_t file, const char *label, const char *name)
{
    char buf[512];

    if (read_string_attr(file, name, buf, sizeof buf) != 0)
        snprintf(buf, sizeof buf, "(missing)");
    fprintf(out, "%-14s%s\n", label, buf);
}

static void print_u64_attr(FILE *out, hid_t file, const char *label, const char *name)
{
    uint64_t v;

    if (read_u64_attr(file, name, &v) == 0)
        fprintf(out, "%-14s%" PRIu64 "\n", label, v);
    else
        fprintf(out, "%-14s(missing)\n", label);
}

/* ------------------------------------------------------------- datasets */

static void type_name(hid_t type, char *buf, size_t size)
{
    switch (H5Tget_class(type)) {
    case H5T_INTEGER:
        snprintf(buf, size, "%sint%zu", H5Tget_sign(type) == H5T_SGN_NONE ? "u" : "", 8 * H5Tget_size(type));
        break;
    case H5T_FLOAT: snprintf(buf, size, "float%zu", 8 * H5Tget_size(type)); break;
    case H5T_STRING: snprintf(buf, size, "string"); break;
    default: snprintf(buf, size, "other"); break;
    }
}

/* H5DSiterate_scales callback: the name of the first scale attached. */
static herr_t first_scale_name(hid_t did, unsigned dim, hid_t dsid, void *data)
{
    char path[NAME_SIZE];
    const char *base;

    (void)did;
    (void)dim;
    if (H5Iget_name(dsid, path, sizeof path) <= 0)
        return 0;
    base = strrchr(path, '/');
    snprintf(data, NAME_SIZE, "%s", base ? base + 1 : path);
    return 1; /* stop: readers use the scale that is there, we attach one */
}

/* H5Literate callback: one line per dataset, "name  type  [dim=size, ...]". */
static herr_t print_dataset(hid_t group, const char *name, const H5L_info_t *info, void *data)
{
    FILE *out = data;
    hid_t dset, type = H5I_INVALID_HID, space = H5I_INVALID_HID;
    hsize_t dims[H5S_MAX_RANK];
    char tname[32];
    int rank;

    (void)info;
    if ((dset = H5Dopen2(group, name, H5P_DEFAULT)) < 0)
        return 0; /* a group or a dangling link: not ours to describe */
    if ((type = H5Dget_type(dset)) < 0 || (space = H5Dget_space(dset)) < 0 ||
        (rank = H5Sget_simple_extent_dims(space, dims, NULL)) < 0)
        goto cleanup;
    type_name(type, tname, sizeof tname);
    fprintf(out, "  %-24s %-8s [", name, tname);
    for (int d = 0; d < rank; d++) {
        char dim[NAME_SIZE] = "";
        if (rank == 1 && H5DSis_scale(dset) > 0)
            snprintf(dim, sizeof dim, "%s", name);
        else
            H5DSiterate_scales(dset, (unsigned)d, NULL, first_scale_name, dim);
        fprintf(out, "%s%s%s%" PRIu64, d ? ", " : "", dim, dim[0] ? "=" : "", (uint64_t)dims[d]);
    }
    fprintf(out, "]\n");
cleanup:
    if (space >= 0)
        H5Sclose(space);
    if (type >= 0)
        H5Tclose(type);
    H5Dclose(dset);
    return 0;
}

static void print_datasets(FILE *out, hid_t file)
{
    fprintf(out, "\ndatasets\n");
    /* In the order written where the file kept it, else by name. */
    if (H5Literate(file, H5_INDEX_CRT_ORDER, H5_ITER_INC, NULL, print_dataset, out) < 0)
        H5Literate(file, H5_INDEX_NAME, H5_ITER_INC, NULL, print_dataset, out);
}

/* A 1-D dataset read as doubles (malloc'd) with its length; NULL when it is
 * missing, not 1-D or not numeric. */
static double *read_doubles(hid_t file, const char *name, hsize_t *n)
{
    hid_t dset = H5I_INVALID_HID, type = H5I_INVALID_HID, space = H5I_INVALID_HID;
    double *v = NULL;
    H5T_class_t cls;

    if (H5Lexists(file, name, H5P_DEFAULT) <= 0 || (dset = H5Dopen2(file, name, H5P_DEFAULT)) < 0)
        goto cleanup;
    if ((type = H5Dget_type(dset)) < 0 || (space = H5Dget_space(dset)) < 0 || H5Sget_simple_extent_ndims(space) != 1 ||
        H5Sget_simple_extent_dims(space, n, NULL) < 0)
        goto cleanup;
    cls = H5Tget_class(type);
    if ((cls != H5T_FLOAT && cls != H5T_INTEGER) || !(v = malloc((*n ? *n : 1) * sizeof *v)))
        goto cleanup;
    if (*n > 0 && H5Dread(dset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0) {
        free(v);
        v = NULL;
    }
cleanup:
    if (space >= 0)
        H5Sclose(space);
    if (type >= 0)
        H5Tclose(type);
    if (dset >= 0)
        H5Dclose(dset);
    return v;
}

/* Indices of the (up to) k largest values, largest first; ties keep the
 * lower index first, NaN is never chosen.  Returns how many were found. */
static size_t top_k(const double *v, hsize_t n, hsize_t *idx, size_t k)
{
    size_t have = 0;

    for (hsize_t i = 0; i < n; i++) {
        size_t j;
        if (v[i] != v[i])
            continue;
        if (have < k) {
            j = have++;
        } else if (v[i] > v[idx[k - 1]]) {
            j = k - 1;
        } else {
            continue;
        }
        for (; j > 0 && v[i] > v[idx[j - 1]]; j--)
            idx[j] = idx[j - 1];
        idx[j] = i;
    }
    return have;
}

/* The vertex_name of the k vertices in idx, reading only those elements.
 * Returns 0, or -1 leaving names as they were. */
static int read_names(hid_t file, const hsize_t *idx, size_t k, char names[][NAME_SIZE])
{
    hid_t dset = H5I_INVALID_HID, type = H5I_INVALID_HID, mem = H5I_INVALID_HID;
    hid_t fspace = H5I_INVALID_HID, mspace = H5I_INVALID_HID;
    hsize_t count = k;
    char *vl[TOP_K] = {NULL};
    char *fixed = NULL;
    int rc = -1;

    if (k == 0 || k > TOP_K || H5Lexists(file, "vertex_name", H5P_DEFAULT) <= 0 ||
        (dset = H5Dopen2(file, "vertex_name", H5P_DEFAULT)) < 0)
        goto cleanup;
    if ((type = H5Dget_type(dset)) < 0 || H5Tget_class(type) != H5T_STRING || (fspace = H5Dget_space(dset)) < 0 ||
        H5Sget_simple_extent_ndims(fspace) != 1 || H5Sselect_elements(fspace, H5S_SELECT_SET, k, idx) < 0 ||
        (mspace = H5Screate_simple(1, &count, NULL)) < 0)
        goto cleanup;
    if (H5Tis_variable_str(type) > 0) {
        if ((mem = vl_string_type(type)) < 0 || H5Dread(dset, mem, mspace, fspace, H5P_DEFAULT, vl) < 0)
            goto cleanup;
        for (size_t i = 0; i < k; i++)
            snprintf(names[i], NAME_SIZE, "%s", vl[i] ? vl[i] : "");
    } else {
        size_t n = H5Tget_size(type);
        if (!(fixed = malloc(k * n)) || (mem = H5Tcopy(type)) < 0 ||
            H5Dread(dset, mem, mspace, fspace, H5P_DEFAULT, fixed) < 0)
            goto cleanup;
        for (size_t i = 0; i < k; i++)
            snprintf(names[i], NAME_SIZE, "%.*s", (int)strnlen(fixed + i * n, n), fixed + i * n);
    }
    rc = 0;
cleanup:
    for (size_t i = 0; i < TOP_K; i++)
        H5free_memory(vl[i]);
    free(fixed);
    if (mspace >= 0)
        H5Sclose(mspace);
    if (fspace >= 0)
        H5Sclose(fspace);
    if (mem >= 0)
        H5Tclose(mem);
    if (type >= 0)
        H5Tclose(type);
    if (dset >= 0)
        H5Dclose(dset);
    return rc;
}

/* Characters of a UTF-8 string (vertex names may be any language), for
 * padding: printf's widths count bytes. */
static int columns(const char *s)
{
    int n = 0;

    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void print_summaries(FILE *out, hid_t file)
{
    hsize_t nsd = 0, ndf = 0, nvu = 0, idx[TOP_K];
    double *sd = read_doubles(file, "system_down", &nsd);
    double *df = read_doubles(file, "down_fraction", &ndf);
    double *vu = read_doubles(file, "vertex_unavailability", &nvu);
    char names[TOP_K][NAME_SIZE];

    if (sd || df || vu)
        fprintf(out, "\n");
    if (sd && nsd > 1) {
        double sum = 0;
        for (hsize_t t = 1; t < nsd; t++)
            sum += sd[t];
        fprintf(out, "%-14smean over steps 1..%" PRIu64 ": %.6g, final: %.6g\n", "system_down", (uint64_t)(nsd - 1),
                sum / (double)(nsd - 1), sd[nsd - 1]);
    } else if (sd && nsd == 1) {
        fprintf(out, "%-14sno steps after 0, final: %.6g\n", "system_down", sd[0]);
    }
    if (df && ndf > 0)
        fprintf(out, "%-14sfinal: %.6g\n", "down_fraction", df[ndf - 1]);
    if (vu && nvu > 0) {
        size_t k = top_k(vu, nvu, idx, TOP_K);
        int width = 6;
        if (read_names(file, idx, k, names) != 0)
            for (size_t i = 0; i < k; i++)
                snprintf(names[i], NAME_SIZE, "#%" PRIu64, (uint64_t)idx[i]);
        for (size_t i = 0; i < k; i++) {
            int len = columns(names[i]);
            width = len > width ? len : width;
        }
        fprintf(out, "\nhighest vertex_unavailability\n");
        for (size_t i = 0; i < k; i++)
            fprintf(out, "  %s%*s  %.6g\n", names[i], width - columns(names[i]), "", vu[idx[i]]);
    }
    free(vu);
    free(df);
    free(sd);
}

int fl_cli_info(const char *path, FILE *out, FILE *err)
{
    H5E_auto2_t old_func = NULL;
    void *old_data = NULL;
    hid_t file = H5I_INVALID_HID;
    struct stat st;
    uint64_t complete = 0, trials = 0, offset = 0;
    int rc = EX_OK, silenced = 0;

    if (stat(path, &st) != 0 || access(path, R_OK) != 0) {
        fprintf(err, "faultline info: %s: %s\n", path, strerror(errno));
        return EX_NOINPUT;
    }
    if (S_ISDIR(st.st_mode)) {
        fprintf(err, "faultline info: %s: is a directory\n", path);
        return EX_NOINPUT;
    }
    /* Failed probes below are expected answers, not errors to report. */
    if (H5Eget_auto2(H5E_DEFAULT, &old_func, &old_data) >= 0 && H5Eset_auto2(H5E_DEFAULT, NULL, NULL) >= 0)
        silenced = 1;

    if ((file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT)) < 0) {
        fprintf(err, "faultline info: %s: not an HDF5 file (or a damaged one)\n", path);
        rc = EX_DATAERR;
        goto cleanup;
    }
    if (H5Aexists(file, "faultline_version") <= 0) {
        fprintf(err, "faultline info: %s: not a faultline results file (no faultline_version)\n", path);
        rc = EX_DATAERR;
        goto cleanup;
    }
    if (read_u64_attr(file, "complete", &complete) != 0 || complete != 1) {
        fprintf(err,
                "faultline info: %s: incomplete results file (no complete = 1): the run "
                "that wrote it did not finish\n",
                path);
        rc = EX_DATAERR;
        goto cleanup;
    }

    fprintf(out, "%-14s%s\n", "file", path);
    print_string_attr(out, file, "faultline", "faultline_version");
    print_string_attr(out, file, "model", "model_name");
    if (read_u64_attr(file, "trials", &trials) == 0 && read_u64_attr(file, "trial_offset", &offset) == 0)
        fprintf(out, "%-14s%" PRIu64 " (offset %" PRIu64 ")\n", "trials", trials, offset);
    else
        print_u64_attr(out, file, "trials", "trials");
    print_u64_attr(out, file, "steps", "steps");
    print_u64_attr(out, file, "seed", "seed");
    print_string_attr(out, file, "propagation", "propagation");
    char hits[16];
    if (read_string_attr(file, "hits", hits, sizeof hits) == 0) /* files from before push mode: pulled */
        fprintf(out, "%-14s%s\n", "hits", hits);
    char mapping[32];
    if (read_string_attr(file, "random_mapping", mapping, sizeof mapping) == 0) /* absent before 2026-11-26 */
        fprintf(out, "%-14s%s\n", "rng mapping", mapping);
    print_string_attr(out, file, "backend", "backend");
    print_string_attr(out, file, "device", "device");
    print_string_attr(out, file, "created", "created");
    print_datasets(out, file);
    print_summaries(out, file);
cleanup:
    if (file >= 0)
        H5Fclose(file);
    if (silenced)
        H5Eset_auto2(H5E_DEFAULT, old_func, old_data);
    return rc;
}
