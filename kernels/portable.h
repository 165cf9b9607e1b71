/*
 * portable.h - the few definitions that let kernels/ compile both as
 * OpenCL C (the OpenCL backend builds it at run time) and as C11 (the
 * OpenMP backend #includes it).  Everything else in kernels/ is written in
 * the subset the two languages share: no allocation, no recursion, no
 * double, integer (fixed-point) probabilities, private arrays only.
 */
#ifndef FL_PORTABLE_H
#define FL_PORTABLE_H

#if defined(__OPENCL_VERSION__)
#define FL_IS_OPENCL 1
typedef ulong fl_word; /* 64 trials, one bit each */
typedef uint fl_u32;
typedef ulong fl_u64;
typedef uchar fl_u8;
#define FL_KERNEL __kernel
#define FL_GLOBAL __global
#define FL_INLINE static inline
#define FL_OUTLINE static
#define FL_POPCOUNT(x) ((fl_u32)popcount(x))
#define FL_MULHI64(a, b) mul_hi((ulong)(a), (ulong)(b))
/* Trailing zeros of a non-zero word (OpenCL 1.2 has popcount, not ctz). */
#define FL_CTZ64(x) ((fl_u32)popcount(((x) & (0 - (x))) - 1))
/* Sets bit `lane` of the word at p for every work-item at once: 32-bit
 * atomics (core OpenCL) on the half that holds it (the word is little
 * endian, as on the host that wrote the layout). */
#define FL_ATOMIC_SET_LANE(p, lane) atomic_or((volatile __global uint *)(p) + ((lane) >> 5), 1u << ((lane)&31u))
/* A flag that several work-items may set at once, all to 1. */
#define FL_MARK(p) (*(p) = 1)
/* Asks for the cache line of a global pointer ahead of its use. */
#define FL_PREFETCH(p) prefetch((p), 1)
#else
#define FL_IS_OPENCL 0
#include <stdint.h>
typedef uint64_t fl_word;
typedef uint32_t fl_u32;
typedef uint64_t fl_u64;
typedef uint8_t fl_u8;
#define FL_KERNEL
#define FL_GLOBAL
/* always_inline: GCC left fl_vertex_base and fl_hit out of line, passing
 * the state struct by value (bench_step: dense SIS 4 % faster inlined) */
#define FL_INLINE static inline __attribute__((always_inline))
/* A function called rarely from a hot loop, kept out of it (OpenCL C
 * compilers inline as they see fit). */
#define FL_OUTLINE static __attribute__((noinline))
#define FL_POPCOUNT(x) ((fl_u32)__builtin_popcountll(x))
/* Several compiled variants of a function, one chosen when the program
 * starts by the CPU it runs on (GCC's target_clones).  A build with
 * FL_NO_TARGET_CLONES (cmake -DFL_TARGET_CLONES=OFF; CI's sanitizer build)
 * compiles only the baseline, so that the tests run it too. */
#ifdef FL_NO_TARGET_CLONES
#define FL_TARGET_CLONES(...)
#else
#define FL_TARGET_CLONES(...) __attribute__((target_clones(__VA_ARGS__)))
#endif
__extension__ typedef unsigned __int128 fl_u128;
/* High 64 bits of the 128-bit product, as OpenCL's mul_hi(ulong, ulong). */
#define FL_MULHI64(a, b) ((fl_u64)(((fl_u128)(fl_u64)(a) * (fl_u64)(b)) >> 64))
#define FL_CTZ64(x) ((fl_u32)__builtin_ctzll(x))
#define FL_ATOMIC_SET_LANE(p, lane) __atomic_fetch_or((p), (fl_word)1 << (lane), __ATOMIC_RELAXED)
#define FL_MARK(p) __atomic_store_n((p), (fl_u8)1, __ATOMIC_RELAXED)
#define FL_PREFETCH(p) __builtin_prefetch(p)
#endif

#define FL_ALL ((fl_word) ~(fl_word)0)
#define FL_NO_INDEX 0xFFFFFFFFu

#endif
