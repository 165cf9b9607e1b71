/*
 * cl_none.c - the OpenCL entry points of a build without OpenCL (FL_OPENCL
 * off, or no OpenCL headers and library found by CMake): listing devices
 * and opening the backend fail with FL_E_BACKEND, so that `--backend
 * opencl` exits 69 saying why and `--backend auto` runs on OpenMP.
 */
#include <stdio.h>

#include "backend.h"
#include "faultline.h"

static const char no_opencl[] = "this build of faultline has no OpenCL support (rebuild with the OpenCL "
                                "headers and library installed, CMake option FL_OPENCL=ON)";

int fl_devices_list(fl_device_info *devices, size_t max, size_t *count, char *message, size_t message_size)
{
    (void)devices;
    (void)max;
    *count = 0;
    if (message)
        snprintf(message, message_size, "%s", no_opencl);
    return FL_E_BACKEND;
}

static int none_open(void **self, const fl_packed *pk, const fl_layout *L, char *err, size_t err_size)
{
    (void)pk;
    (void)L;
    *self = NULL;
    snprintf(err, err_size, "%s", no_opencl);
    return FL_E_BACKEND;
}

/* Never called: open() never succeeds. */
static uint32_t none_batch_words(void *self)
{
    (void)self;
    return 0;
}

static int none_run(void *self, uint32_t t, char *err, size_t err_size)
{
    (void)self;
    (void)t;
    snprintf(err, err_size, "%s", no_opencl);
    return FL_E_BACKEND;
}

static int none_begin(void *self, uint32_t w0, uint32_t nw, char *err, size_t err_size)
{
    (void)w0;
    return none_run(self, nw, err, err_size);
}

static int none_tally(void *self, int slot, char *err, size_t err_size)
{
    (void)slot;
    return none_run(self, 0, err, err_size);
}

static int none_tally_wait(void *self, int slot, const fl_tally **out, char *err, size_t err_size)
{
    (void)slot;
    (void)out;
    return none_run(self, 0, err, err_size);
}

static const char *none_text(void *self)
{
    (void)self;
    return "";
}

static void none_close(void **self)
{
    if (self)
        *self = NULL;
}

const fl_backend_ops fl_i_backend_opencl = {"opencl",   none_open,       none_batch_words, none_begin, none_run,
                                            none_tally, none_tally_wait, none_text,        none_text,  none_close};
