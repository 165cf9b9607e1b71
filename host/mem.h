/*
 * mem.h - allocation of large arrays (internal).
 */
#ifndef FL_MEM_H
#define FL_MEM_H

#include <stddef.h>

/*
 * malloc for arrays of many megabytes, freed with free(): aligned to 2 MiB
 * and marked for transparent huge pages where the system offers them, so
 * that filling a 16M-edge graph's arrays does not take 100 000 page faults
 * and random reads of the simulation state do not miss the TLB as often as
 * the cache.  Contents are undefined; NULL when out of memory.
 */
void *fl_i_big_alloc(size_t size);

#endif
