/*
 * machine_cl.h - the two limits of an OpenCL device, for the roofline of
 * `--backend opencl` runs (docs/performance.md): the bandwidth of a copy
 * kernel over 1 GiB of 64-bit words (read + write counted) and the rate of
 * Philox4x32-10 blocks (fl_rng_block of kernels/rng.h, the step's own
 * generator, compiled from the embedded kernel source).  Each is the median
 * of 5 timed runs after one untimed run, timed on the host around
 * clFinish.  Needs the OpenCL build (FL_OPENCL); bench_machine only.
 */
#ifndef FL_BENCH_MACHINE_CL_H
#define FL_BENCH_MACHINE_CL_H

#include "cl/cl.h"
#include "machine.h"

typedef struct cl_machine {
    char device[128], platform[128];
    double copy_bytes_per_s, philox_blocks_per_s;
    char error[512];
} cl_machine;

/* Appended to the step's source: the generator is the one the step calls. */
static const char bench_cl_kernels[] = "\n__kernel void bench_copy(__global const ulong *a, __global ulong *b)\n"
                                       "{ size_t i = get_global_id(0); b[i] = a[i]; }\n"
                                       "__kernel void bench_philox(uint per_item, __global uint *out)\n"
                                       "{\n"
                                       "    uint id = (uint)get_global_id(0), sink = 0;\n"
                                       "    fl_rng r = {1u, 2u, 3u, id};\n"
                                       "    for (uint i = 0; i < per_item; i++)\n"
                                       "        sink ^= fl_rng_block(r, i, 1u, 0u).v[0];\n"
                                       "    out[id] = sink;\n"
                                       "}\n";

/* Median of 5 timed enqueues of kernel k over `items` work-items. */
static double cl_time_kernel(cl_command_queue q, cl_kernel k, size_t items)
{
    double t[5];
    clEnqueueNDRangeKernel(q, k, 1, NULL, &items, NULL, 0, NULL, NULL);
    clFinish(q);
    for (int r = 0; r < 5; r++) {
        double t0 = bench_now();
        clEnqueueNDRangeKernel(q, k, 1, NULL, &items, NULL, 0, NULL, NULL);
        clFinish(q);
        t[r] = bench_now() - t0;
    }
    qsort(t, 5, sizeof *t, bench_cmp_double);
    return t[2];
}

/* Measures the device that `--backend opencl --platform P --device D`
 * would choose; on failure, m->error says why and the rates are 0. */
static inline void cl_machine_measure(const char *platform_sel, const char *device_sel, cl_machine *m)
{
    memset(m, 0, sizeof *m);
    fl_cl_device dev;
    if (fl_i_cl_choose(platform_sel, device_sel, &dev, m->error, sizeof m->error) != 0)
        return;
    snprintf(m->device, sizeof m->device, "%s", dev.name);
    snprintf(m->platform, sizeof m->platform, "%s", dev.platform_name);
    cl_int rc;
    cl_context ctx = clCreateContext(NULL, 1, &dev.device, NULL, NULL, &rc);
    cl_command_queue q = ctx ? clCreateCommandQueue(ctx, dev.device, 0, &rc) : NULL;
    size_t len = strlen((const char *)fl_i_kernel_source);
    char *src = malloc(len + sizeof bench_cl_kernels);
    cl_program prog = NULL;
    if (q && src) {
        memcpy(src, fl_i_kernel_source, len);
        memcpy(src + len, bench_cl_kernels, sizeof bench_cl_kernels);
        const char *s = src;
        prog = clCreateProgramWithSource(ctx, 1, &s, NULL, &rc);
        if (prog && clBuildProgram(prog, 1, &dev.device, "", NULL, NULL) != CL_SUCCESS) {
            clReleaseProgram(prog);
            prog = NULL;
        }
    }
    free(src);
    if (!prog) {
        snprintf(m->error, sizeof m->error, "building the benchmark kernels failed");
        goto out;
    }
    size_t words = ((size_t)1 << 30) / sizeof(cl_ulong);
    cl_mem a = clCreateBuffer(ctx, CL_MEM_READ_WRITE, words * 8, NULL, &rc);
    cl_mem b = clCreateBuffer(ctx, CL_MEM_READ_WRITE, words * 8, NULL, &rc);
    const cl_uint items = 1u << 20, per_item = 256;
    cl_mem out = clCreateBuffer(ctx, CL_MEM_READ_WRITE, items * sizeof(cl_uint), NULL, &rc);
    cl_kernel kc = clCreateKernel(prog, "bench_copy", &rc), kp = clCreateKernel(prog, "bench_philox", &rc);
    if (a && b && out && kc && kp) {
        cl_ulong zero = 0;
        clEnqueueFillBuffer(q, a, &zero, sizeof zero, 0, words * 8, 0, NULL, NULL);
        clSetKernelArg(kc, 0, sizeof a, &a);
        clSetKernelArg(kc, 1, sizeof b, &b);
        m->copy_bytes_per_s = 2.0 * (double)words * 8 / cl_time_kernel(q, kc, words);
        clSetKernelArg(kp, 0, sizeof per_item, &per_item);
        clSetKernelArg(kp, 1, sizeof out, &out);
        m->philox_blocks_per_s = (double)items * per_item / cl_time_kernel(q, kp, items);
    } else
        snprintf(m->error, sizeof m->error, "allocating 2 GiB or creating the kernels failed");
    if (kc)
        clReleaseKernel(kc);
    if (kp)
        clReleaseKernel(kp);
    if (a)
        clReleaseMemObject(a);
    if (b)
        clReleaseMemObject(b);
    if (out)
        clReleaseMemObject(out);
    clReleaseProgram(prog);
out:
    if (q)
        clReleaseCommandQueue(q);
    if (ctx)
        clReleaseContext(ctx);
}

#endif
