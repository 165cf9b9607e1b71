/*
 * h5out.h - an HDF5 file built in memory and published whole (internal).
 *
 * Both writers (results: host/io/results_h5.c, graphs: host/io/graph_h5.c)
 * build their file in memory with HDF5's core driver and write it out
 * themselves: HDF5 1.10 cannot recover from an I/O error while it closes a
 * file (the id it leaves behind crashes the process at exit, fixed only in
 * later releases), and a full disk or quota usually shows up exactly there.
 * The image goes to PATH.tmp.PID with write(), is synced, and is renamed to
 * PATH, so that on any error nothing is left at PATH.  Costs memory: the
 * file's image twice, briefly.
 */
#ifndef FL_H5OUT_H
#define FL_H5OUT_H

#include <stddef.h>

#include <hdf5.h>

typedef struct fl_i_h5out {
    const char *path; /* the output as given: every message names it */
    char *message;    /* may be NULL */
    size_t message_size;
    hid_t file; /* the file in memory, to write into */
    /* private */
    hid_t fcpl, fapl;
    char *tmp;
    int fd;
    H5E_auto2_t old_func;
    void *old_data;
    int silenced;
} fl_i_h5out;

/*
 * Creates PATH.tmp.PID (errors say plainly why the directory cannot take
 * it) and the file in memory, growing by `increment` bytes, with the
 * creation order of links and attributes kept (h5py and xarray then list
 * them in the order written) and no object times.  HDF5's own error
 * printing is off until fl_i_h5out_close.  Returns FL_OK or FL_E_OUTPUT /
 * FL_E_NOMEM with "cannot write 'PATH': ..." in message; call
 * fl_i_h5out_close in every case.
 */
int fl_i_h5out_open(fl_i_h5out *o, const char *path, size_t increment, char *message, size_t message_size);

/* Writes the file in memory to the temporary file, syncs it, and renames
 * it to PATH.  The file in memory is closed in any case. */
int fl_i_h5out_publish(fl_i_h5out *o);

/* Frees what is left, removes the temporary file unless it was published,
 * and gives HDF5's error printing back. */
void fl_i_h5out_close(fl_i_h5out *o);

/* "cannot write 'PATH': WHAT[: HDF5's innermost error]" into o's message;
 * returns status.  hdf5 != 0 adds HDF5's words: call it right after the
 * failed HDF5 call, before any other. */
int fl_i_h5out_fail(fl_i_h5out *o, int status, int hdf5, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
