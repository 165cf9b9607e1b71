/*
 * h5out.c - an HDF5 file built in memory and published whole (see h5out.h).
 */
#include "h5out.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "faultline.h"

#define DETAIL_SIZE 256 /* HDF5's own words in a message */

static herr_t innermost_error(unsigned n, const H5E_error2_t *e, void *data)
{
    /* Walking upward, entry 0 is where HDF5 detected the problem; the
     * entries above it only repeat the call chain. */
    if (n == 0 && e->desc)
        snprintf(data, DETAIL_SIZE, "%s", e->desc);
    return 0;
}

int fl_i_h5out_fail(fl_i_h5out *o, int status, int hdf5, const char *fmt, ...)
{
    char what[512], detail[DETAIL_SIZE] = "";
    va_list ap;

    if (hdf5)
        H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, innermost_error, detail);
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (o->message && o->message_size) {
        if (detail[0])
            snprintf(o->message, o->message_size, "cannot write '%s': %s: %s", o->path, what, detail);
        else
            snprintf(o->message, o->message_size, "cannot write '%s': %s", o->path, what);
    }
    return status;
}

/* The directory part of path, for messages: "." when it has none. */
static void directory_of(const char *path, char *buf, size_t size)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(buf, size, ".");
    else if (slash == path)
        snprintf(buf, size, "/");
    else
        snprintf(buf, size, "%.*s", (int)(slash - path), path);
}

/* Creates the temporary file with open(), so that errno says plainly why
 * the directory cannot take the output. */
static int create_temporary(fl_i_h5out *o)
{
    char dir[1024];
    struct stat st;
    int e;

    if (stat(o->path, &st) == 0 && S_ISDIR(st.st_mode))
        return fl_i_h5out_fail(o, FL_E_OUTPUT, 0, "it is a directory");
    if ((o->fd = open(o->tmp, O_WRONLY | O_CREAT | O_TRUNC, 0666)) >= 0)
        return FL_OK;
    e = errno;
    directory_of(o->path, dir, sizeof dir);
    switch (e) {
    case ENOENT:
        /* Some file systems (/proc) also say ENOENT for a directory that is
         * there but takes no new files. */
        if (stat(dir, &st) != 0)
            return fl_i_h5out_fail(o, FL_E_OUTPUT, 0, "directory '%s' does not exist", dir);
        return fl_i_h5out_fail(o, FL_E_OUTPUT, 0, "cannot create '%s': %s", o->tmp, strerror(e));
    case ENOTDIR: return fl_i_h5out_fail(o, FL_E_OUTPUT, 0, "'%s' is not a directory", dir);
    case EACCES:
    case EPERM:
    case EROFS: return fl_i_h5out_fail(o, FL_E_OUTPUT, 0, "directory '%s' is not writable (%s)", dir, strerror(e));
    default: return fl_i_h5out_fail(o, FL_E_OUTPUT, 0, "cannot create '%s': %s", o->tmp, strerror(e));
    }
}

int fl_i_h5out_open(fl_i_h5out *o, const char *path, size_t increment, char *message, size_t message_size)
{
    memset(o, 0, sizeof *o);
    o->path = path;
    o->message = message;
    o->message_size = message_size;
    o->file = o->fcpl = o->fapl = H5I_INVALID_HID;
    o->fd = -1;
    /* The library never prints: silence HDF5's automatic error reports and
     * give the caller's handler back at the end. */
    if (H5Eget_auto2(H5E_DEFAULT, &o->old_func, &o->old_data) >= 0 && H5Eset_auto2(H5E_DEFAULT, NULL, NULL) >= 0)
        o->silenced = 1;
    size_t tmp_size = strlen(path) + 32;
    if (!(o->tmp = malloc(tmp_size)))
        return fl_i_h5out_fail(o, FL_E_NOMEM, 0, "out of memory");
    snprintf(o->tmp, tmp_size, "%s.tmp.%ld", path, (long)getpid());
    int status = create_temporary(o);
    if (status != FL_OK) {
        free(o->tmp);
        o->tmp = NULL; /* nothing to remove */
        return status;
    }
    if ((o->fcpl = H5Pcreate(H5P_FILE_CREATE)) < 0 ||
        H5Pset_link_creation_order(o->fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) < 0 ||
        H5Pset_attr_creation_order(o->fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) < 0 ||
        H5Pset_obj_track_times(o->fcpl, 0) < 0 || (o->fapl = H5Pcreate(H5P_FILE_ACCESS)) < 0 ||
        H5Pset_fapl_core(o->fapl, increment, 0) < 0 ||
        /* Strong: H5Fclose frees everything even if an object were left open. */
        H5Pset_fclose_degree(o->fapl, H5F_CLOSE_STRONG) < 0 ||
        (o->file = H5Fcreate(o->tmp, H5F_ACC_TRUNC, o->fcpl, o->fapl)) < 0)
        return fl_i_h5out_fail(o, FL_E_OUTPUT, 1, "creating the file in memory");
    return FL_OK;
}

/* Writes the whole image to the temporary file and syncs it, so that the
 * rename publishes a file that is on disk. */
static int write_image(fl_i_h5out *o, const char *image, size_t size)
{
    while (size > 0) {
        ssize_t n = write(o->fd, image, size < (1u << 30) ? size : (1u << 30));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return fl_i_h5out_fail(o, FL_E_OUTPUT, 0, "writing '%s': %s", o->tmp, strerror(errno));
        image += n;
        size -= (size_t)n;
    }
    /* EINVAL: a file system that cannot sync; the data is written anyway. */
    if (fsync(o->fd) != 0 && errno != EINVAL)
        return fl_i_h5out_fail(o, FL_E_OUTPUT, 0, "writing '%s': %s", o->tmp, strerror(errno));
    return FL_OK;
}

int fl_i_h5out_publish(fl_i_h5out *o)
{
    char *image = NULL;
    ssize_t size;
    int status;

    if (H5Fflush(o->file, H5F_SCOPE_GLOBAL) < 0)
        return fl_i_h5out_fail(o, FL_E_OUTPUT, 1, "flushing the file in memory");
    if ((size = H5Fget_file_image(o->file, NULL, 0)) < 0)
        return fl_i_h5out_fail(o, FL_E_OUTPUT, 1, "sizing the file image");
    if (!(image = malloc(size ? (size_t)size : 1)))
        return fl_i_h5out_fail(o, FL_E_NOMEM, 0, "out of memory for the file image (%lld bytes)", (long long)size);
    if (H5Fget_file_image(o->file, image, (size_t)size) < 0) {
        status = fl_i_h5out_fail(o, FL_E_OUTPUT, 1, "copying the file image");
        goto done;
    }
    /* Closed before writing out, to give its memory back first. */
    herr_t closed = H5Fclose(o->file);
    o->file = H5I_INVALID_HID;
    if (closed < 0) {
        status = fl_i_h5out_fail(o, FL_E_OUTPUT, 1, "closing the file in memory");
        goto done;
    }
    status = write_image(o, image, (size_t)size);
    if (status != FL_OK)
        goto done;
    int closed_fd = close(o->fd);
    o->fd = -1;
    /* NFS reports a full disk or quota as late as close(). */
    if (closed_fd != 0) {
        status = fl_i_h5out_fail(o, FL_E_OUTPUT, 0, "writing '%s': %s", o->tmp, strerror(errno));
        goto done;
    }
    if (rename(o->tmp, o->path) != 0) {
        status = fl_i_h5out_fail(o, FL_E_OUTPUT, 0, "renaming '%s' to it: %s", o->tmp, strerror(errno));
        goto done;
    }
    free(o->tmp);
    o->tmp = NULL; /* published: nothing to remove */
    status = FL_OK;
done:
    free(image);
    return status;
}

void fl_i_h5out_close(fl_i_h5out *o)
{
    if (o->file >= 0)
        H5Fclose(o->file);
    if (o->fapl >= 0)
        H5Pclose(o->fapl);
    if (o->fcpl >= 0)
        H5Pclose(o->fcpl);
    if (o->fd >= 0)
        close(o->fd);
    if (o->tmp) {
        remove(o->tmp);
        free(o->tmp);
    }
    if (o->silenced)
        H5Eset_auto2(H5E_DEFAULT, o->old_func, o->old_data);
    memset(o, 0, sizeof *o);
    o->file = o->fcpl = o->fapl = H5I_INVALID_HID;
    o->fd = -1;
}
