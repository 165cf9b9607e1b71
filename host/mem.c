/*
 * mem.c - allocation of large arrays (see mem.h).
 */
/* madvise and MADV_HUGEPAGE are not POSIX */
#define _DEFAULT_SOURCE

#include "mem.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define HUGE_PAGE ((size_t)2 << 20)

void *fl_i_big_alloc(size_t size)
{
    void *p;

    if (size < 4 * HUGE_PAGE)
        return malloc(size != 0 ? size : 1);
    size = (size + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
    p = aligned_alloc(HUGE_PAGE, size);
#if defined(MADV_HUGEPAGE)
    if (p != NULL)
        madvise(p, size, MADV_HUGEPAGE); /* advice only: failure changes nothing */
#endif
    return p;
}

/* Touches the pages of p (size bytes) from `threads` threads: writes a
 * byte per 4 KiB page, or the whole array when zero. */
static void *touch(char *p, size_t size, int threads, int zero)
{
    if (p != NULL) {
        size_t chunk = HUGE_PAGE;
#pragma omp parallel for schedule(static) num_threads(threads > 0 ? threads : 1)
        for (size_t at = 0; at < size; at += chunk) {
            size_t len = size - at < chunk ? size - at : chunk;
            if (zero)
                memset(p + at, 0, len);
            else
                for (size_t o = 0; o < len; o += 4096)
                    p[at + o] = 0;
        }
    }
    return p;
}

void *fl_i_big_alloc_zero(size_t size, int threads)
{
    return touch(fl_i_big_alloc(size), size, threads, 1);
}

void *fl_i_big_alloc_touched(size_t size, int threads)
{
    return touch(fl_i_big_alloc(size), size, threads, 0);
}
