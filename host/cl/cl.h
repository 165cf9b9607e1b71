/*
 * cl.h - what the two files of the OpenCL backend share (internal):
 * cl_device.c finds and chooses devices and names OpenCL error codes,
 * backend_cl.c builds the program and runs the kernels.
 */
#ifndef FL_CL_H
#define FL_CL_H

#define CL_TARGET_OPENCL_VERSION 120
#include <CL/cl.h>
#include <stddef.h>

/* The device a run uses. */
typedef struct fl_cl_device {
    cl_platform_id platform;
    cl_device_id device;
    int platform_index, device_index;
    cl_device_type type;
    char name[128], platform_name[128];
} fl_cl_device;

/*
 * Chooses a device: platform_sel and device_sel (each may be NULL) are an
 * index or a case-insensitive name substring (faultline.h, fl_run_options);
 * among the usable devices that match, the first GPU, else the first other
 * device.  Returns FL_OK or FL_E_BACKEND with a message.
 */
int fl_i_cl_choose(const char *platform_sel, const char *device_sel, fl_cl_device *out, char *err, size_t err_size);

/* "CL_OUT_OF_RESOURCES" etc. for an OpenCL error code. */
const char *fl_i_cl_error_name(cl_int code);

/* "GPU", "CPU", "accelerator" or "other". */
const char *fl_i_cl_type_name(cl_device_type type);

/* The source of kernels/step.cl, preprocessed at build time
 * (cmake/embed_kernel.cmake); NUL-terminated. */
extern const unsigned char fl_i_kernel_source[];
extern const size_t fl_i_kernel_source_size;

#endif
