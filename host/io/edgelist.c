/*
 * edgelist.c - streaming reader of SNAP-style edge lists (see edgelist.h).
 *
 * Graphs imported by a model can hold millions of edges, so the file is read
 * in large blocks through zlib (which passes plain files through untouched
 * and decompresses gzip ones) and split into lines in place: labels are
 * NUL-terminated inside the block and handed to the callback without any
 * copy or allocation per line.
 */
#include "edgelist.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

/* Large enough that gzread's per-call overhead does not show. */
#define BLOCK_SIZE ((size_t)1 << 18)

static void say(char *message, size_t message_size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void say(char *message, size_t message_size, const char *fmt, ...)
{
    va_list ap;

    if (message_size == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(message, message_size, fmt, ap);
    va_end(ap);
}

/* zlib's messages start with "PATH: ", which the caller's message already says. */
static const char *zmessage(const char *path, const char *what)
{
    size_t n = strlen(path);

    if (what == NULL)
        return "zlib error";
    if (strncmp(what, path, n) == 0 && what[n] == ':' && what[n + 1] == ' ')
        return what + n + 2;
    return what;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/*
 * Splits one line (s[0..len), with s[len] writable) and hands its edge to fn.
 * Labels are terminated in place, which is why the byte after each label
 * (a blank, or the slot of the newline) must be ours to overwrite.
 */
static int one_line(const char *path, char *s, size_t len, uint64_t line, fl_i_edge_fn fn, void *data, char *message,
                    size_t message_size)
{
    size_t i = 0, start[2] = {0, 0}, end[2] = {0, 0};
    unsigned ntok = 0;

    if (memchr(s, '\0', len) != NULL) {
        say(message, message_size, "%s:%llu: the line holds a NUL byte (is this a text file?)", path,
            (unsigned long long)line);
        return FL_E_MODEL;
    }
    /* A UTF-8 byte order mark would otherwise become part of the first label. */
    if (line == 1 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len && is_blank(s[i]))
        i++;
    if (i == len || s[i] == '#' || s[i] == '%')
        return FL_OK;
    while (i < len) {
        size_t b = i;
        while (i < len && !is_blank(s[i]))
            i++;
        if (ntok < 2) {
            start[ntok] = b;
            end[ntok] = i;
        }
        ntok++;
        while (i < len && is_blank(s[i]))
            i++;
    }
    if (ntok != 2) {
        say(message, message_size, "%s:%llu: expected 2 labels 'FROM TO', found %u", path, (unsigned long long)line,
            ntok);
        return FL_E_MODEL;
    }
    s[end[0]] = '\0';
    s[end[1]] = '\0';
    return fn(data, s + start[0], end[0] - start[0], s + start[1], end[1] - start[1], line);
}

int fl_i_edgelist_read(const char *path, fl_i_edge_fn fn, void *data, char *message, size_t message_size)
{
    int status = FL_OK;
    gzFile f = NULL;
    char *buf = NULL;
    size_t cap = BLOCK_SIZE, pos = 0, end = 0;
    uint64_t line = 0;
    int eof = 0;

    say(message, message_size, "%s", "");
    errno = 0;
    f = gzopen(path, "rb");
    if (f == NULL) {
        say(message, message_size, "cannot open '%s': %s", path, errno != 0 ? strerror(errno) : "out of memory");
        status = FL_E_NOINPUT;
        goto cleanup;
    }
    gzbuffer(f, (unsigned)BLOCK_SIZE);
    buf = malloc(cap);
    if (buf == NULL) {
        say(message, message_size, "%s: out of memory", path);
        status = FL_E_NOMEM;
        goto cleanup;
    }
    for (;;) {
        char *nl = pos < end ? memchr(buf + pos, '\n', end - pos) : NULL;
        int n;

        if (nl != NULL) {
            size_t len = (size_t)(nl - (buf + pos));

            line++;
            status = one_line(path, buf + pos, len, line, fn, data, message, message_size);
            if (status != FL_OK)
                goto cleanup;
            pos += len + 1;
            continue;
        }
        if (eof) {
            /* The last line may lack its newline; buf[end] is the spare byte. */
            if (pos < end) {
                line++;
                status = one_line(path, buf + pos, end - pos, line, fn, data, message, message_size);
            }
            goto cleanup;
        }
        /* Keep the partial line, and always one spare byte for its terminator. */
        if (pos > 0) {
            memmove(buf, buf + pos, end - pos);
            end -= pos;
            pos = 0;
        }
        if (end + 1 >= cap) {
            char *bigger = cap <= SIZE_MAX / 2 ? realloc(buf, cap * 2) : NULL;

            if (bigger == NULL) {
                say(message, message_size, "%s:%llu: out of memory (a line is too long)", path,
                    (unsigned long long)line + 1);
                status = FL_E_NOMEM;
                goto cleanup;
            }
            buf = bigger;
            cap *= 2;
        }
        n = gzread(f, buf + end, (unsigned)((cap - 1 - end) < INT_MAX ? cap - 1 - end : INT_MAX));
        if (n < 0) {
            int zerr = Z_OK;
            const char *what = gzerror(f, &zerr);

            if (zerr == Z_ERRNO) {
                say(message, message_size, "cannot read '%s': %s", path, strerror(errno));
                status = FL_E_NOINPUT;
            } else if (zerr == Z_MEM_ERROR) {
                say(message, message_size, "%s: out of memory", path);
                status = FL_E_NOMEM;
            } else {
                say(message, message_size, "%s:%llu: corrupt or truncated gzip data (%s)", path,
                    (unsigned long long)line + 1, zmessage(path, what));
                status = FL_E_MODEL;
            }
            goto cleanup;
        }
        if (n == 0) {
            int zerr = Z_OK;
            const char *what = gzerror(f, &zerr);

            /* zlib reports a gzip stream cut short only here, as Z_BUF_ERROR. */
            if (zerr != Z_OK) {
                say(message, message_size, "%s:%llu: corrupt or truncated gzip data (%s)", path,
                    (unsigned long long)line + 1, zmessage(path, what));
                status = FL_E_MODEL;
                goto cleanup;
            }
            eof = 1;
        }
        end += (size_t)n;
    }

cleanup:
    free(buf);
    if (f != NULL)
        gzclose_r(f);
    return status;
}
