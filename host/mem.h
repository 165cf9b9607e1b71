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

/*
 * fl_i_big_alloc, zeroed by `threads` OpenMP threads.  The first touch of
 * fresh pages, which the kernel clears, is most of the cost of a large
 * array (on the development VM a 16M-edge graph's HDF5 load spent 80 % of
 * its time in the kernel's clear_page), and the threads share it.
 */
void *fl_i_big_alloc_zero(size_t size, int threads);

/* fl_i_big_alloc with its pages touched by `threads` threads (a byte
 * each), for an array about to be overwritten whole: contents undefined. */
void *fl_i_big_alloc_touched(size_t size, int threads);

#endif
