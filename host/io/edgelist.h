/*
 * edgelist.h - streaming reader of SNAP-style edge lists (internal).
 *
 * A model's `graph:` import (MODEL.md section 6) names a whitespace-separated
 * edge list: one "FROM TO" pair of labels per line, meaning TO depends on
 * FROM; lines whose first non-blank character is '#' or '%' are comments and
 * blank lines are skipped.  A file ending in .gz, or any gzip file, is
 * decompressed on the fly.  The reader never builds the graph itself: it
 * hands each edge to a callback, so host/model.c can map labels to vertices
 * with its own name table and nothing is copied twice.
 */
#ifndef FL_IO_EDGELIST_H
#define FL_IO_EDGELIST_H

#include <stddef.h>
#include <stdint.h>

#include "faultline.h"

/*
 * Called once per edge, in file order.  from and to are NUL-terminated,
 * borrowed and valid only during the call; from_len and to_len are their
 * lengths.  line is the 1-based line of the edge in the file.  Returns FL_OK
 * to go on, any other status to stop reading (the reader then returns that
 * status and leaves message alone: the callback reports its own error).
 */
typedef int (*fl_i_edge_fn)(void *data, const char *from, size_t from_len, const char *to, size_t to_len,
                            uint64_t line);

/*
 * Reads the edge list at path (borrowed), calling fn(data, ...) for every
 * edge.  Returns:
 *   FL_OK;
 *   FL_E_NOINPUT  the file cannot be opened or read; message holds
 *                 "cannot open 'PATH': REASON" (or "cannot read"), without a
 *                 location, so the caller can say which model line named it;
 *   FL_E_MODEL    a malformed line or corrupt compressed data; message holds
 *                 "PATH:LINE: what is wrong";
 *   FL_E_NOMEM    message holds "PATH: out of memory";
 *   or the first status other than FL_OK that fn returned.
 * message (message_size bytes, may be 0) is always NUL-terminated when
 * message_size > 0.  Cost: linear in the size of the file; memory: one line
 * buffer (grown for very long lines).
 */
int fl_i_edgelist_read(const char *path, fl_i_edge_fn fn, void *data, char *message, size_t message_size);

#endif
