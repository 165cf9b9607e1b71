/*
 * cl_device.c - OpenCL platforms and devices: the list behind `faultline
 * devices` (fl_devices_list), the choice of the device a run uses
 * (--platform / --device, a GPU first), and the names of OpenCL error
 * codes for messages.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cl.h"
#include "faultline.h"

#ifndef CL_PLATFORM_NOT_FOUND_KHR
#define CL_PLATFORM_NOT_FOUND_KHR -1001 /* cl_khr_icd: the ICD loader found no driver */
#endif

const char *fl_i_cl_error_name(cl_int code)
{
    switch (code) {
#define NAME(c)                                                                                                        \
    case c: return #c
        NAME(CL_SUCCESS);
        NAME(CL_DEVICE_NOT_FOUND);
        NAME(CL_DEVICE_NOT_AVAILABLE);
        NAME(CL_COMPILER_NOT_AVAILABLE);
        NAME(CL_MEM_OBJECT_ALLOCATION_FAILURE);
        NAME(CL_OUT_OF_RESOURCES);
        NAME(CL_OUT_OF_HOST_MEMORY);
        NAME(CL_BUILD_PROGRAM_FAILURE);
        NAME(CL_INVALID_VALUE);
        NAME(CL_INVALID_DEVICE);
        NAME(CL_INVALID_CONTEXT);
        NAME(CL_INVALID_COMMAND_QUEUE);
        NAME(CL_INVALID_MEM_OBJECT);
        NAME(CL_INVALID_BUILD_OPTIONS);
        NAME(CL_INVALID_PROGRAM);
        NAME(CL_INVALID_PROGRAM_EXECUTABLE);
        NAME(CL_INVALID_KERNEL_NAME);
        NAME(CL_INVALID_KERNEL);
        NAME(CL_INVALID_ARG_INDEX);
        NAME(CL_INVALID_ARG_VALUE);
        NAME(CL_INVALID_ARG_SIZE);
        NAME(CL_INVALID_KERNEL_ARGS);
        NAME(CL_INVALID_WORK_DIMENSION);
        NAME(CL_INVALID_WORK_GROUP_SIZE);
        NAME(CL_INVALID_WORK_ITEM_SIZE);
        NAME(CL_INVALID_GLOBAL_OFFSET);
        NAME(CL_INVALID_BUFFER_SIZE);
        NAME(CL_INVALID_GLOBAL_WORK_SIZE);
        NAME(CL_INVALID_OPERATION);
        NAME(CL_PLATFORM_NOT_FOUND_KHR);
#undef NAME
    default: return "unknown OpenCL error";
    }
}

const char *fl_i_cl_type_name(cl_device_type type)
{
    if (type & CL_DEVICE_TYPE_GPU)
        return "GPU";
    if (type & CL_DEVICE_TYPE_CPU)
        return "CPU";
    if (type & CL_DEVICE_TYPE_ACCELERATOR)
        return "accelerator";
    return "other";
}

/* The platforms; FL_E_BACKEND with a message when there are none. */
static int get_platforms(cl_platform_id **out, cl_uint *count, char *err, size_t err_size)
{
    cl_uint np = 0;
    cl_int rc = clGetPlatformIDs(0, NULL, &np);
    *out = NULL;
    *count = 0;
    if (rc == CL_PLATFORM_NOT_FOUND_KHR || (rc == CL_SUCCESS && np == 0)) {
        snprintf(err, err_size,
                 "no OpenCL platform found: the OpenCL loader found no driver (install one, e.g. the "
                 "package pocl-opencl-icd for CPUs, or your GPU vendor's)");
        return FL_E_BACKEND;
    }
    if (rc != CL_SUCCESS) {
        snprintf(err, err_size, "OpenCL: clGetPlatformIDs failed: %s (%d)", fl_i_cl_error_name(rc), (int)rc);
        return FL_E_BACKEND;
    }
    cl_platform_id *p = calloc(np, sizeof *p);
    if (!p) {
        snprintf(err, err_size, "out of memory");
        return FL_E_NOMEM;
    }
    rc = clGetPlatformIDs(np, p, NULL);
    if (rc != CL_SUCCESS) {
        free(p);
        snprintf(err, err_size, "OpenCL: clGetPlatformIDs failed: %s (%d)", fl_i_cl_error_name(rc), (int)rc);
        return FL_E_BACKEND;
    }
    *out = p;
    *count = np;
    return FL_OK;
}

/* The devices of a platform (none when the driver reports none). */
static cl_uint get_devices(cl_platform_id platform, cl_device_id **out)
{
    cl_uint nd = 0;
    *out = NULL;
    if (clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 0, NULL, &nd) != CL_SUCCESS || nd == 0)
        return 0;
    cl_device_id *d = calloc(nd, sizeof *d);
    if (!d || clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, nd, d, NULL) != CL_SUCCESS) {
        free(d);
        return 0;
    }
    *out = d;
    return nd;
}

static void platform_string(cl_platform_id p, cl_platform_info what, char *buf, size_t size)
{
    buf[0] = '\0';
    if (clGetPlatformInfo(p, what, size, buf, NULL) != CL_SUCCESS)
        snprintf(buf, size, "?");
    buf[size - 1] = '\0';
}

static void device_string(cl_device_id d, cl_device_info what, char *buf, size_t size)
{
    buf[0] = '\0';
    if (clGetDeviceInfo(d, what, size, buf, NULL) != CL_SUCCESS)
        snprintf(buf, size, "?");
    buf[size - 1] = '\0';
}

/* Available and with a compiler: can build and run the kernels. */
static int device_usable(cl_device_id d)
{
    cl_bool available = CL_FALSE, compiler = CL_FALSE;
    clGetDeviceInfo(d, CL_DEVICE_AVAILABLE, sizeof available, &available, NULL);
    clGetDeviceInfo(d, CL_DEVICE_COMPILER_AVAILABLE, sizeof compiler, &compiler, NULL);
    return available && compiler;
}

int fl_devices_list(fl_device_info *devices, size_t max, size_t *count, char *message, size_t message_size)
{
    char scratch[8];
    if (!message) {
        message = scratch;
        message_size = sizeof scratch;
    }
    message[0] = '\0';
    *count = 0;
    cl_platform_id *platforms = NULL;
    cl_uint np = 0;
    int status = get_platforms(&platforms, &np, message, message_size);
    if (status != FL_OK)
        return status;
    size_t k = 0;
    for (cl_uint pi = 0; pi < np; pi++) {
        cl_device_id *dev = NULL;
        cl_uint nd = get_devices(platforms[pi], &dev);
        for (cl_uint di = 0; di < (nd ? nd : 1); di++, k++) {
            if (k >= max)
                continue;
            fl_device_info *o = &devices[k];
            memset(o, 0, sizeof *o);
            o->platform_index = (int)pi;
            o->device_index = nd ? (int)di : -1;
            platform_string(platforms[pi], CL_PLATFORM_NAME, o->platform_name, sizeof o->platform_name);
            if (!nd) {
                snprintf(o->type, sizeof o->type, "none");
                continue;
            }
            cl_device_type type = 0;
            cl_uint units = 0;
            cl_ulong mem = 0;
            clGetDeviceInfo(dev[di], CL_DEVICE_TYPE, sizeof type, &type, NULL);
            clGetDeviceInfo(dev[di], CL_DEVICE_MAX_COMPUTE_UNITS, sizeof units, &units, NULL);
            clGetDeviceInfo(dev[di], CL_DEVICE_GLOBAL_MEM_SIZE, sizeof mem, &mem, NULL);
            device_string(dev[di], CL_DEVICE_NAME, o->name, sizeof o->name);
            device_string(dev[di], CL_DEVICE_VERSION, o->version, sizeof o->version);
            snprintf(o->type, sizeof o->type, "%s", fl_i_cl_type_name(type));
            o->compute_units = units;
            o->global_memory = mem;
            o->usable = device_usable(dev[di]);
        }
        free(dev);
    }
    free(platforms);
    *count = k;
    return FL_OK;
}

/* A selector: all digits is an index, anything else a name substring. */
static int matches(const char *sel, unsigned index, const char *name)
{
    if (!sel || !*sel)
        return 1;
    const char *c = sel;
    while (isdigit((unsigned char)*c))
        c++;
    if (!*c)
        return strtoul(sel, NULL, 10) == index;
    size_t ls = strlen(sel);
    for (const char *h = name; *h; h++) {
        size_t i = 0;
        while (i < ls && h[i] && tolower((unsigned char)h[i]) == tolower((unsigned char)sel[i]))
            i++;
        if (i == ls)
            return 1;
    }
    return 0;
}

int fl_i_cl_choose(const char *platform_sel, const char *device_sel, fl_cl_device *out, char *err, size_t err_size)
{
    cl_platform_id *platforms = NULL;
    cl_uint np = 0;
    int status = get_platforms(&platforms, &np, err, err_size);
    if (status != FL_OK)
        return status;
    int have_gpu = 0, have_other = 0, platforms_matched = 0, devices_matched = 0;
    fl_cl_device gpu, other;
    char seen[512] = ""; /* what exists, for the message when nothing matches */
    size_t seen_len = 0;
    memset(&gpu, 0, sizeof gpu);
    memset(&other, 0, sizeof other);
    for (cl_uint pi = 0; pi < np; pi++) {
        char pname[128];
        platform_string(platforms[pi], CL_PLATFORM_NAME, pname, sizeof pname);
        if (!matches(platform_sel, pi, pname)) {
            if (seen_len < sizeof seen)
                seen_len += (size_t)snprintf(seen + seen_len, sizeof seen - seen_len, "%splatform %u '%s'",
                                             seen_len ? ", " : "", pi, pname);
            continue;
        }
        platforms_matched++;
        cl_device_id *dev = NULL;
        cl_uint nd = get_devices(platforms[pi], &dev);
        int found_here = 0;
        for (cl_uint di = 0; di < nd; di++) {
            fl_cl_device c;
            memset(&c, 0, sizeof c);
            c.platform = platforms[pi];
            c.device = dev[di];
            c.platform_index = (int)pi;
            c.device_index = (int)di;
            snprintf(c.platform_name, sizeof c.platform_name, "%s", pname);
            device_string(dev[di], CL_DEVICE_NAME, c.name, sizeof c.name);
            clGetDeviceInfo(dev[di], CL_DEVICE_TYPE, sizeof c.type, &c.type, NULL);
            if (!matches(device_sel, di, c.name)) {
                if (seen_len < sizeof seen)
                    seen_len += (size_t)snprintf(seen + seen_len, sizeof seen - seen_len, "%sdevice %u.%u '%s'",
                                                 seen_len ? ", " : "", pi, di, c.name);
                continue;
            }
            devices_matched++;
            if (!device_usable(dev[di]))
                continue;
            found_here = 1;
            if ((c.type & CL_DEVICE_TYPE_GPU) && !have_gpu) {
                gpu = c;
                have_gpu = 1;
            } else if (!have_other) {
                other = c;
                have_other = 1;
            }
        }
        free(dev);
        if (found_here && device_sel && *device_sel && !(platform_sel && *platform_sel))
            break; /* a device named without a platform: the first platform that has it */
    }
    free(platforms);
    if (have_gpu || have_other) {
        *out = have_gpu ? gpu : other;
        return FL_OK;
    }
    if (platform_sel && *platform_sel && !platforms_matched)
        snprintf(err, err_size, "no OpenCL platform matches '%s' (there are: %s)", platform_sel, seen);
    else if (device_sel && *device_sel && !devices_matched)
        snprintf(err, err_size, "no OpenCL device matches '%s'%s%s%s", device_sel, seen_len ? " (there are: " : "",
                 seen, seen_len ? ")" : "");
    else if (!devices_matched)
        snprintf(err, err_size, "the OpenCL platforms have no devices");
    else
        snprintf(err, err_size, "no usable OpenCL device: %d found, none available with a compiler", devices_matched);
    return FL_E_BACKEND;
}
