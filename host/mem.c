/*
 * mem.c - allocation of large arrays (see mem.h).
 */
/* madvise and MADV_HUGEPAGE are not POSIX */
#define _DEFAULT_SOURCE

#include "mem.h"

#include <stdlib.h>
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
