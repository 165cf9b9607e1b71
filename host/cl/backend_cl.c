/*
 * backend_cl.c - the OpenCL backend: builds kernels/step.cl (embedded at
 * build time, or from FAULTLINE_KERNEL_SOURCE) for the chosen device, keeps
 * the graph and the whole state of a batch of trial words in device memory,
 * and runs the kernels of a step; only the per-step aggregates (fl_tally)
 * and, in instant mode, one flag per fixpoint round come back to the host.
 *
 * The kernels call the functions of kernels/step.h, as the OpenMP backend
 * does, on the same layout ([vertex * nw + w]), so the two backends give
 * the same results bit for bit.  A 2-D NDRange (word fastest, vertex
 * second) gives consecutive work-items consecutive words of one vertex;
 * the work-group size comes from the device (CL_KERNEL_WORK_GROUP_SIZE,
 * CL_KERNEL_PREFERRED_WORK_GROUP_SIZE_MULTIPLE).
 *
 * When the state of all trial words does not fit the device
 * (CL_DEVICE_GLOBAL_MEM_SIZE, CL_DEVICE_MAX_MEM_ALLOC_SIZE) the backend
 * holds fewer words and the engine runs them in batches (backend.h);
 * FAULTLINE_CL_MAX_WORDS caps the batch to test this on any device.
 *
 * FAULTLINE_CL_WG=N sets the work-group size of every kernel (at most the
 * device's limit), for tuning experiments.
 *
 * FAULTLINE_CL_PROFILE=1 times every kernel with OpenCL events (each
 * launch then waits for the one before) and prints the totals per kernel
 * on stderr when the backend closes: where a step's time goes on a device.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "cl.h"
#include "faultline.h"

/* The parameter structs are read by the kernels as they are on the host:
 * only 32-bit fields, so OpenCL C lays them out alike (no padding). */
_Static_assert(sizeof(fl_vparam) == 16 * 4, "fl_vparam must be sixteen 32-bit fields");
_Static_assert(sizeof(fl_pparam) == 8 * 4, "fl_pparam must be eight 32-bit fields");
_Static_assert(sizeof(fl_word) == sizeof(cl_ulong), "fl_word is ulong on the device");

/* The kernels of step.cl. */
enum {
    K_POOL,
    K_STEP,
    K_PUSH,
    K_BASE,
    K_HIT,
    K_DOWN,
    K_COMMIT,
    K_INIT_VERTEX,
    K_INIT_PLANES,
    K_TALLY_VERTEX,
    K_TALLY_TRIALS,
    K_TALLY_SYSTEM,
    K_TALLY_SUM,
    K_EV_INIT,
    K_EV_STEP,
    K_EV_TALLY,
    K_EV_SYSTEM,
    K_COUNT
};
static const char *const kernel_names[K_COUNT] = {
    "fl_k_pool_grant",   "fl_k_step",           "fl_k_push_all",    "fl_k_instant_base", "fl_k_instant_hit",
    "fl_k_instant_down", "fl_k_instant_commit", "fl_k_init_vertex", "fl_k_init_planes",  "fl_k_tally_vertex",
    "fl_k_tally_trials", "fl_k_tally_system",   "fl_k_tally_sum",   "fl_k_event_init",   "fl_k_event_step",
    "fl_k_event_tally",  "fl_k_event_system"};

/* fl_k_tally_trials counts blocks of TALLY_SUB vertices, which
 * fl_k_tally_sum adds up into the engine's blocks of FL_TALLY_BLOCK: one
 * work-item per 4096 vertices left a GPU nearly idle (784 work-items for
 * 200,000 vertices and 16 words, 4 ms a step on an H200). */
#define TALLY_SUB 256u
_Static_assert(FL_TALLY_BLOCK % TALLY_SUB == 0, "the engine's tally blocks are whole sub-blocks");

/* Argument positions of step.cl's FL_GRAPH_ARGS, FL_STATE_ARGS, FL_RNG_ARGS. */
enum {
    A_N = 0,
    A_NW = 1,
    A_GRAPH = 2,
    A_C = 17,
    A_P,
    A_B,
    A_D,
    A_DN,
    A_G,
    A_CB,
    A_I,
    A_IN,
    A_IV,
    A_IVN,
    A_CNT,
    A_KEY0,
    A_KEY1,
    A_T,
    A_GWORD0
};

/* The graph buffers, in the order of FL_GRAPH_ARGS from in_off. */
enum {
    G_IN_OFF,
    G_IN_SRC,
    G_IN_EID,
    G_IN_Q,
    G_IN_W,
    G_SUP_OFF,
    G_SUP_SRC,
    G_SUP_EID,
    G_VP,
    G_PP,
    G_MEMBERS,
    G_HIT_TAB,
    G_OUT_OFF,
    G_OUT_DST,
    G_PUSH_PW,
    G_COUNT
};

/* The event form's arrays (host/graph.h), in the order of step.cl's
 * FL_EVENT_ARGS from fail_off, then the initial state. */
enum { EV_FAIL_OFF, EV_FAIL_LIST, EV_FAIL_BASE, EV_FAIL_PW, EV_EV, EV_INIT_BITS, EV_INIT_LIST, EV_COUNT };

typedef struct cl_backend {
    const fl_packed *pk;
    const fl_layout *L;
    fl_cl_device dev;
    cl_context ctx;
    cl_command_queue queue;
    cl_program program;
    cl_kernel k[K_COUNT];
    size_t wg[K_COUNT]; /* work-group size per kernel */
    size_t max_item[3]; /* CL_DEVICE_MAX_WORK_ITEM_SIZES */
    cl_mem graph[G_COUNT], target, init_C, init_P, init_cnt;
    cl_mem C, P, B, D0, D1, G, Cb, I, cnt, lanes, changed;
    cl_mem In, Iv, Ivn; /* push mode: swapped after each step */
    /* the event form: its arrays; per trial its bitmap, two lists with room
     * for `room` vertices and their lengths (the state at t in list[par]),
     * and whether its step found too little room */
    cl_mem ev[EV_COUNT], bits, list[2], len[2], full;
    uint32_t room, par;
    uint32_t *full_host; /* [trials of a batch] */
    uint32_t pushed;     /* push mode: the step whose hits I holds (UINT32_MAX: none) */
    cl_mem out_vertex, out_trials, out_system, out_sub;
    cl_mem host_tally[2]; /* pinned host memory (CL_MEM_ALLOC_HOST_PTR), */
    void *tally_map[2];   /* mapped for the whole run: the two tally slots */
    fl_tally ty[2];
    uint32_t cap;        /* words the buffers hold */
    uint32_t nw, gword0; /* the current batch */
    uint32_t nblocks;    /* tally blocks of FL_TALLY_BLOCK vertices */
    uint32_t nsub;       /* sub-blocks of TALLY_SUB vertices */
    int profile;         /* FAULTLINE_CL_PROFILE: kernel times in ns[] */
    double ns[K_COUNT];
    unsigned long runs[K_COUNT];
    char device[160];
    char note[320];
} cl_backend;

#define CL_OK(call, what)                                                                                              \
    do {                                                                                                               \
        cl_int rc_ = (call);                                                                                           \
        if (rc_ != CL_SUCCESS) {                                                                                       \
            snprintf(err, err_size, "OpenCL on '%s': %s failed: %s (%d)", b->dev.name, what, fl_i_cl_error_name(rc_),  \
                     (int)rc_);                                                                                        \
            return rc_ == CL_OUT_OF_HOST_MEMORY ? FL_E_NOMEM : FL_E_BACKEND;                                           \
        }                                                                                                              \
    } while (0)

static void cl_close(void **self);

/* ------------------------------------------------------------- program */

/* The whole text of a file, NUL-terminated; NULL if unreadable. */
static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *text = NULL;
    long size = -1;
    if (fseek(f, 0, SEEK_END) == 0)
        size = ftell(f);
    if (size >= 0 && fseek(f, 0, SEEK_SET) == 0 && (text = malloc((size_t)size + 1)) != NULL) {
        if (fread(text, 1, (size_t)size, f) != (size_t)size) {
            free(text);
            text = NULL;
        } else {
            text[size] = '\0';
        }
    }
    fclose(f);
    return text;
}

/* Builds the program: the embedded source, or FAULTLINE_KERNEL_SOURCE with
 * its directory, kernels/ and Random123 on the include path.  Warnings are
 * errors (STYLE.md); a failure returns the build log. */
static int build_program(cl_backend *b, char *err, size_t err_size)
{
    const char *path = getenv("FAULTLINE_KERNEL_SOURCE");
    char *from_disk = NULL;
    const char *source = (const char *)fl_i_kernel_source;
    char options[3 * 1100] = "-Werror";
    if (path && *path) {
        from_disk = read_file(path);
        if (!from_disk) {
            snprintf(err, err_size, "FAULTLINE_KERNEL_SOURCE: cannot read '%s'", path);
            return FL_E_BACKEND;
        }
        source = from_disk;
        const char *slash = strrchr(path, '/');
        int dir_len = slash ? (int)(slash - path) : 1;
        snprintf(options, sizeof options, "-Werror -I %.*s -I %.1000s -I %.1000s", dir_len > 1000 ? 1000 : dir_len,
                 slash ? path : ".", FL_KERNEL_DIR, FL_RANDOM123_DIR);
    }
    cl_int rc;
    b->program = clCreateProgramWithSource(b->ctx, 1, &source, NULL, &rc);
    free(from_disk);
    CL_OK(rc, "clCreateProgramWithSource");
    rc = clBuildProgram(b->program, 1, &b->dev.device, options, NULL, NULL);
    if (rc != CL_SUCCESS) {
        size_t len = 0;
        char *log = NULL;
        if (clGetProgramBuildInfo(b->program, b->dev.device, CL_PROGRAM_BUILD_LOG, 0, NULL, &len) == CL_SUCCESS &&
            (log = calloc(len + 1, 1)) != NULL)
            clGetProgramBuildInfo(b->program, b->dev.device, CL_PROGRAM_BUILD_LOG, len, log, NULL);
        snprintf(err, err_size, "OpenCL on '%s': building the kernels (%s%s) failed: %s (%d); build log:\n%s",
                 b->dev.name, path && *path ? path : "embedded step.cl", ", warnings are errors",
                 fl_i_cl_error_name(rc), (int)rc, log && *log ? log : "(empty)");
        free(log);
        return FL_E_BACKEND;
    }
    const char *wg_env = getenv("FAULTLINE_CL_WG"); /* a tuning experiment: work-items per group */
    for (int i = 0; i < K_COUNT; i++) {
        b->k[i] = clCreateKernel(b->program, kernel_names[i], &rc);
        CL_OK(rc, kernel_names[i]);
        size_t max = 1, multiple = 1;
        CL_OK(clGetKernelWorkGroupInfo(b->k[i], b->dev.device, CL_KERNEL_WORK_GROUP_SIZE, sizeof max, &max, NULL),
              "clGetKernelWorkGroupInfo");
        CL_OK(clGetKernelWorkGroupInfo(b->k[i], b->dev.device, CL_KERNEL_PREFERRED_WORK_GROUP_SIZE_MULTIPLE,
                                       sizeof multiple, &multiple, NULL),
              "clGetKernelWorkGroupInfo");
        /* a few warps or wavefronts: enough to hide latency, small enough
         * to keep the private arrays of step.h in registers */
        size_t want = multiple ? multiple * 4 : 64;
        if (want < 64)
            want = 64;
        if (want > 256)
            want = 256;
        if (wg_env && *wg_env && strtoul(wg_env, NULL, 10) > 0)
            want = strtoul(wg_env, NULL, 10);
        b->wg[i] = want < max ? want : (max ? max : 1);
    }
    return FL_OK;
}

/* --------------------------------------------------------------- buffers */

static cl_ulong device_ulong(cl_device_id d, cl_device_info what)
{
    cl_ulong x = 0;
    clGetDeviceInfo(d, what, sizeof x, &x, NULL);
    return x;
}

/* A read-only buffer with a copy of host (bytes may be 0: OpenCL has no
 * empty buffers, so those get a few unused bytes). */
static cl_mem upload(cl_backend *b, const void *host, size_t bytes, cl_int *rc)
{
    if (bytes == 0)
        return clCreateBuffer(b->ctx, CL_MEM_READ_ONLY, 64, NULL, rc);
    return clCreateBuffer(b->ctx, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, bytes, (void *)host, rc);
}

static cl_mem scratch(cl_backend *b, size_t bytes, cl_int *rc)
{
    return clCreateBuffer(b->ctx, CL_MEM_READ_WRITE, bytes ? bytes : 64, NULL, rc);
}

/* Synchronous steps in push mode (host/graph.h). */
static int push_steps(const cl_backend *b)
{
    return b->pk->push && b->L->propagation == FL_PROP_SYNCHRONOUS;
}

/* Bytes of device memory per trial word, and the largest single buffer per
 * word (against CL_DEVICE_MAX_MEM_ALLOC_SIZE). */
static void per_word(const cl_backend *b, cl_ulong *total, cl_ulong *largest)
{
    const fl_packed *pk = b->pk;
    if (pk->event) { /* the bitmaps and lists of 64 trials, and their tallies */
        cl_ulong bits = 64u * 8u * (cl_ulong)fl_event_nbw(pk->n), lists = 64u * 4u * (cl_ulong)b->room;
        *total = bits + 2 * lists + 64u * 12u + (cl_ulong)b->nblocks * 64u * 4u + 16u;
        *largest = bits > lists ? bits : lists;
        return;
    }
    cl_ulong plane = (cl_ulong)pk->n * 8u;
    /* C, D0, D1; P, B; G; Cb and I in instant mode, I and In in push mode */
    cl_ulong planes = 3 + (pk->any_perm ? 2 : 0) + (pk->npool ? 1 : 0) +
                      (b->L->propagation == FL_PROP_INSTANT || push_steps(b) ? 2 : 0);
    cl_ulong cnt = (cl_ulong)pk->nplanes * 8u, trials = ((cl_ulong)b->nblocks + b->nsub) * 64u * 4u;
    *total = planes * plane + cnt + trials + 8u /* lanes */ + 8u /* system */;
    *largest = plane > cnt ? plane : cnt;
    if (trials > *largest)
        *largest = trials;
}

/* The graph on the device, and how many words of state fit beside it. */
static int upload_graph(cl_backend *b, char *err, size_t err_size)
{
    const fl_packed *pk = b->pk;
    cl_device_id d = b->dev.device;
    cl_ulong global = device_ulong(d, CL_DEVICE_GLOBAL_MEM_SIZE);
    cl_ulong max_alloc = device_ulong(d, CL_DEVICE_MAX_MEM_ALLOC_SIZE);
    size_t n1 = (size_t)pk->n + 1;
    const void *host[G_COUNT] = {pk->in_off,  pk->in_src,  pk->in_eid,  pk->in_q,    pk->in_w,
                                 pk->sup_off, pk->sup_src, pk->sup_eid, pk->vp,      pk->pp,
                                 pk->members, pk->hit_tab, pk->out_off, pk->out_dst, pk->push_pw};
    size_t in = pk->in_src ? pk->m * 4 : 0; /* no in-edges in push mode */
    size_t bytes[G_COUNT] = {pk->in_off ? n1 * 8 : 0,
                             in,
                             in,
                             in,
                             in,
                             n1 * 8,
                             pk->ns * 4,
                             pk->ns * 4,
                             (size_t)pk->n * sizeof(fl_vparam),
                             (size_t)pk->npool * sizeof(fl_pparam),
                             (size_t)pk->nmembers * 4,
                             (size_t)pk->nhit_tab * 4,
                             pk->push ? n1 * 8 : 0,
                             pk->push ? pk->m * 4 : 0,
                             (size_t)pk->npush_pw * 8};
    cl_ulong fixed = (cl_ulong)pk->n * 4 /* out_vertex */ + (push_steps(b) ? (cl_ulong)pk->n * 2 : 0) /* Iv, Ivn */ +
                     (cl_ulong)pk->ntarget * 4 + n1 * 16 + pk->nplanes * 8;
    cl_int rc;
    for (int i = 0; i < G_COUNT; i++) {
        fixed += bytes[i];
        if (bytes[i] > max_alloc) {
            snprintf(err, err_size,
                     "OpenCL device '%s' cannot hold the graph: one array needs %zu bytes, the device allows "
                     "%llu per buffer",
                     b->dev.name, bytes[i], (unsigned long long)max_alloc);
            return FL_E_BACKEND;
        }
        b->graph[i] = upload(b, host[i], bytes[i], &rc);
        CL_OK(rc, "clCreateBuffer (graph)");
    }
    b->target = upload(b, pk->target, (size_t)pk->ntarget * 4, &rc);
    CL_OK(rc, "clCreateBuffer (targets)");
    b->init_C = upload(b, pk->init_C, (size_t)pk->n * 8, &rc);
    CL_OK(rc, "clCreateBuffer (initial state)");
    b->init_P = upload(b, pk->init_P, (size_t)pk->n * 8, &rc);
    CL_OK(rc, "clCreateBuffer (initial state)");
    b->init_cnt = upload(b, pk->init_cnt, (size_t)pk->nplanes * 8, &rc);
    CL_OK(rc, "clCreateBuffer (initial state)");
    if (pk->event) {
        const void *ehost[EV_COUNT] = {pk->fail_off, pk->fail_list, pk->fail_base, pk->fail_pw,
                                       pk->ev,       pk->init_bits, pk->init_list};
        size_t ebytes[EV_COUNT] = {((size_t)pk->nfail + 1) * 4, (size_t)pk->fail_off[pk->nfail] * 4,
                                   (size_t)pk->nfail * 4,       (size_t)pk->nfail * FL_EVENT_PW * 8,
                                   (size_t)FL_EV * n1 * 4,      (size_t)fl_event_nbw(pk->n) * 8,
                                   (size_t)pk->ninit * 4};
        for (int i = 0; i < EV_COUNT; i++) {
            fixed += ebytes[i];
            b->ev[i] = upload(b, ehost[i], ebytes[i], &rc);
            CL_OK(rc, "clCreateBuffer (event form)");
        }
    }

    /* the state: 7/8 of the memory left, each buffer within max_alloc */
    cl_ulong total, largest;
    per_word(b, &total, &largest);
    cl_ulong room = global > fixed ? (global - fixed) / 8 * 7 : 0;
    cl_ulong cap = b->L->nw;
    if (room / total < cap)
        cap = room / total;
    if (largest && max_alloc / largest < cap)
        cap = max_alloc / largest;
    const char *env = getenv("FAULTLINE_CL_MAX_WORDS");
    if (env && *env && strtoul(env, NULL, 10) > 0 && strtoul(env, NULL, 10) < cap)
        cap = strtoul(env, NULL, 10);
    if (cap == 0) {
        snprintf(err, err_size,
                 "OpenCL device '%s' is too small: the graph takes %llu of its %llu bytes, one word of 64 trials "
                 "needs %llu more",
                 b->dev.name, (unsigned long long)fixed, (unsigned long long)global, (unsigned long long)total);
        return FL_E_BACKEND;
    }
    b->cap = (uint32_t)cap;
    return FL_OK;
}

static int alloc_state(cl_backend *b, char *err, size_t err_size)
{
    const fl_packed *pk = b->pk;
    size_t plane = pk->event ? 0 : (size_t)pk->n * b->cap * 8; /* the event form has bitmaps instead */
    cl_int rc;
    size_t ntr = pk->event ? (size_t)b->cap * 64 : 0; /* the event form's trials (cap: words) */
    b->bits = scratch(b, ntr * 8 * fl_event_nbw(pk->n), &rc);
    CL_OK(rc, "clCreateBuffer (event form)");
    for (int i = 0; i < 2; i++) {
        b->list[i] = scratch(b, ntr * 4 * b->room, &rc);
        CL_OK(rc, "clCreateBuffer (event form)");
        b->len[i] = scratch(b, ntr * 4, &rc);
        CL_OK(rc, "clCreateBuffer (event form)");
    }
    b->full = scratch(b, ntr * 4, &rc);
    CL_OK(rc, "clCreateBuffer (event form)");
    b->full_host = calloc(ntr + 1, sizeof *b->full_host);
    if (!b->full_host) {
        snprintf(err, err_size, "out of memory");
        return FL_E_NOMEM;
    }
    cl_mem *planes[] = {&b->C, &b->D0, &b->D1, &b->P, &b->B};
    for (size_t i = 0; i < sizeof planes / sizeof *planes; i++) {
        /* P and B (the last two) only where a vertex can be lost permanently */
        *planes[i] = scratch(b, i < 3 || pk->any_perm ? plane : 0, &rc);
        CL_OK(rc, "clCreateBuffer (state)");
    }
    b->G = scratch(b, pk->npool ? plane : 0, &rc);
    CL_OK(rc, "clCreateBuffer (grants)");
    int instant = b->L->propagation == FL_PROP_INSTANT;
    b->Cb = scratch(b, instant ? plane : 0, &rc);
    CL_OK(rc, "clCreateBuffer (instant state)");
    b->I = scratch(b, instant || push_steps(b) ? plane : 0, &rc);
    CL_OK(rc, "clCreateBuffer (hits)");
    b->In = scratch(b, push_steps(b) ? plane : 0, &rc);
    CL_OK(rc, "clCreateBuffer (hits)");
    b->Iv = scratch(b, push_steps(b) ? pk->n : 0, &rc);
    CL_OK(rc, "clCreateBuffer (hits)");
    b->Ivn = scratch(b, push_steps(b) ? pk->n : 0, &rc);
    CL_OK(rc, "clCreateBuffer (hits)");
    b->cnt = scratch(b, (size_t)pk->nplanes * b->cap * 8, &rc);
    CL_OK(rc, "clCreateBuffer (counters)");
    b->lanes = scratch(b, (size_t)b->cap * 8, &rc);
    CL_OK(rc, "clCreateBuffer (lanes)");
    b->changed = scratch(b, sizeof(cl_int), &rc);
    CL_OK(rc, "clCreateBuffer (flag)");
    b->out_vertex = scratch(b, (size_t)pk->n * 4, &rc);
    CL_OK(rc, "clCreateBuffer (tallies)");
    b->out_trials = scratch(b, (size_t)b->nblocks * b->cap * 64 * 4, &rc);
    CL_OK(rc, "clCreateBuffer (tallies)");
    b->out_system = scratch(b, (size_t)b->cap * 8, &rc);
    CL_OK(rc, "clCreateBuffer (tallies)");
    b->out_sub = scratch(b, (size_t)b->nsub * b->cap * 64 * 4, &rc);
    CL_OK(rc, "clCreateBuffer (tallies)");
    /* the tally slots in pinned host memory, so that their copies run while
     * the host goes on (from pageable memory a driver may copy at once) */
    size_t bytes = fl_i_tally_bytes(pk->n, b->cap);
    for (int i = 0; i < 2; i++) {
        b->host_tally[i] = clCreateBuffer(b->ctx, CL_MEM_READ_WRITE | CL_MEM_ALLOC_HOST_PTR, bytes, NULL, &rc);
        CL_OK(rc, "clCreateBuffer (host tallies)");
        b->tally_map[i] = clEnqueueMapBuffer(b->queue, b->host_tally[i], CL_TRUE, CL_MAP_READ | CL_MAP_WRITE, 0, bytes,
                                             0, NULL, NULL, &rc);
        CL_OK(rc, "clEnqueueMapBuffer (host tallies)");
        fl_i_tally_carve(&b->ty[i], b->tally_map[i], pk->n, b->cap);
    }
    return FL_OK;
}

/* ------------------------------------------------------------------ open */

static int cl_open(void **self, const fl_packed *pk, const fl_layout *L, char *err, size_t err_size)
{
    *self = NULL;
    cl_backend *b = calloc(1, sizeof *b);
    if (!b) {
        snprintf(err, err_size, "out of memory");
        return FL_E_NOMEM;
    }
    b->pk = pk;
    b->L = L;
    b->nblocks = (pk->n + FL_TALLY_BLOCK - 1) / FL_TALLY_BLOCK;
    b->nsub = (pk->n + TALLY_SUB - 1) / TALLY_SUB;
    b->room = pk->event ? fl_i_event_room(pk) : 0;
    const char *prof = getenv("FAULTLINE_CL_PROFILE");
    b->profile = prof && *prof && strcmp(prof, "0") != 0;
    int status = fl_i_cl_choose(L->platform, L->device, &b->dev, err, err_size);
    if (status != FL_OK)
        goto fail;
    snprintf(b->device, sizeof b->device, "%s", b->dev.name);
    snprintf(b->note, sizeof b->note, "OpenCL device %d.%d '%s' (%s, platform '%s')", b->dev.platform_index,
             b->dev.device_index, b->dev.name, fl_i_cl_type_name(b->dev.type), b->dev.platform_name);
    clGetDeviceInfo(b->dev.device, CL_DEVICE_MAX_WORK_ITEM_SIZES, sizeof b->max_item, b->max_item, NULL);
    cl_int rc;
    cl_context_properties props[] = {CL_CONTEXT_PLATFORM, (cl_context_properties)b->dev.platform, 0};
    b->ctx = clCreateContext(props, 1, &b->dev.device, NULL, NULL, &rc);
    if (rc == CL_SUCCESS)
        b->queue = clCreateCommandQueue(b->ctx, b->dev.device, b->profile ? CL_QUEUE_PROFILING_ENABLE : 0, &rc);
    if (rc != CL_SUCCESS) {
        snprintf(err, err_size, "OpenCL on '%s': cannot create a context and queue: %s (%d)", b->dev.name,
                 fl_i_cl_error_name(rc), (int)rc);
        status = FL_E_BACKEND;
        goto fail;
    }
    status = build_program(b, err, err_size);
    if (status == FL_OK)
        status = upload_graph(b, err, err_size);
    if (status == FL_OK)
        status = alloc_state(b, err, err_size);
    if (status != FL_OK)
        goto fail;
    *self = b;
    return FL_OK;
fail:
    *self = b;
    cl_close(self);
    return status;
}

static uint32_t cl_batch_words(void *self)
{
    return ((cl_backend *)self)->cap;
}

/* ------------------------------------------------------------- launching */

#define ARG(kernel, i, value)                                                                                          \
    CL_OK(clSetKernelArg(b->k[kernel], (cl_uint)(i), sizeof(value), &(value)), kernel_names[kernel])

/* Graph and state arguments of the step kernels, for a batch of nw words. */
static int set_step_args(cl_backend *b, int k, char *err, size_t err_size)
{
    ARG(k, A_N, b->pk->n);
    ARG(k, A_NW, b->nw);
    for (int i = 0; i < G_COUNT; i++)
        ARG(k, A_GRAPH + i, b->graph[i]);
    ARG(k, A_C, b->C);
    ARG(k, A_P, b->P);
    ARG(k, A_B, b->B);
    ARG(k, A_D, b->D0);
    ARG(k, A_DN, b->D1);
    ARG(k, A_G, b->G);
    ARG(k, A_CB, b->Cb);
    ARG(k, A_I, b->I);
    ARG(k, A_IN, b->In);
    ARG(k, A_IV, b->Iv);
    ARG(k, A_IVN, b->Ivn);
    ARG(k, A_CNT, b->cnt);
    if (k == K_POOL) {
        ARG(k, A_KEY0, b->pk->npool); /* the pool kernel has npool where the others have the seed */
    } else if (k == K_STEP || k == K_PUSH || k == K_BASE || k == K_HIT) {
        ARG(k, A_KEY0, b->L->key0);
        ARG(k, A_KEY1, b->L->key1);
        ARG(k, A_GWORD0, b->gword0);
        if (k == K_HIT)
            ARG(k, A_GWORD0 + 1, b->changed);
    }
    return FL_OK;
}

/* Runs kernel k over dim0 x dim1 work-items (1-D when dims is 1): dim0 the
 * words (or the vertices of a 1-D tally), dim1 the vertices, pools or
 * blocks.  The work-group is wg[k] work-items: as many words of a row as
 * there are, up to wg[k], and the rest in rows, so that consecutive
 * work-items read consecutive words.  Global sizes are rounded up to the
 * work-group (the kernels ignore the work-items outside). */
static int launch(cl_backend *b, int k, cl_uint dims, size_t dim0, size_t dim1, char *err, size_t err_size)
{
    if (dim0 == 0 || (dims == 2 && dim1 == 0))
        return FL_OK;
    size_t wg = b->wg[k], local[2], global[2];
    local[0] = dim0 < wg ? dim0 : wg;
    if (b->max_item[0] && local[0] > b->max_item[0])
        local[0] = b->max_item[0];
    local[1] = dims == 2 ? wg / local[0] : 1;
    if (dims == 2 && b->max_item[1] && local[1] > b->max_item[1])
        local[1] = b->max_item[1];
    if (local[1] == 0)
        local[1] = 1;
    global[0] = (dim0 + local[0] - 1) / local[0] * local[0];
    global[1] = (dim1 + local[1] - 1) / local[1] * local[1];
    cl_event ev = NULL;
    CL_OK(clEnqueueNDRangeKernel(b->queue, b->k[k], dims, NULL, global, local, 0, NULL, b->profile ? &ev : NULL),
          kernel_names[k]);
    if (ev) {
        cl_ulong start = 0, end = 0;
        clWaitForEvents(1, &ev);
        clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_START, sizeof start, &start, NULL);
        clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_END, sizeof end, &end, NULL);
        clReleaseEvent(ev);
        b->ns[k] += (double)(end - start);
        b->runs[k]++;
    }
    return FL_OK;
}

#define RUN(k, dims, d0, d1)                                                                                           \
    do {                                                                                                               \
        int st_ = launch(b, k, dims, d0, d1, err, err_size);                                                           \
        if (st_ != FL_OK)                                                                                              \
            return st_;                                                                                                \
    } while (0)

/* Zeroes the first `bytes` bytes of a buffer (push mode's hits and marks,
 * the event form's tallies), without waiting. */
static int fill_zero(cl_backend *b, cl_mem mem, size_t bytes, char *err, size_t err_size)
{
    static const cl_uchar zero = 0;
    if (bytes)
        CL_OK(clEnqueueFillBuffer(b->queue, mem, &zero, 1, 0, bytes, 0, NULL, NULL), "clEnqueueFillBuffer");
    return FL_OK;
}

/* The event form's kernels: their constant arguments, and the initial
 * state of the batch. */
static int event_begin(cl_backend *b, char *err, size_t err_size)
{
    const fl_packed *pk = b->pk;
    cl_uint ntr = b->nw * 64u;
    /* fl_k_event_init(n, ntr, init_bits, init_list, ninit, bits, list, len, room) */
    ARG(K_EV_INIT, 0, pk->n);
    ARG(K_EV_INIT, 1, ntr);
    ARG(K_EV_INIT, 2, b->ev[EV_INIT_BITS]);
    ARG(K_EV_INIT, 3, b->ev[EV_INIT_LIST]);
    ARG(K_EV_INIT, 4, pk->ninit);
    ARG(K_EV_INIT, 5, b->bits);
    ARG(K_EV_INIT, 6, b->list[0]);
    ARG(K_EV_INIT, 7, b->len[0]);
    ARG(K_EV_INIT, 8, b->room);
    RUN(K_EV_INIT, 1, ntr, 1);
    /* fl_k_event_step(n, out_dst, push_pw, fail_off .. ev, nfail, ntr, bits, cur, cur_len, nxt, nxt_len, room,
     * full, redo, key0, key1, t, gword0) */
    ARG(K_EV_STEP, 0, pk->n);
    ARG(K_EV_STEP, 1, b->graph[G_OUT_DST]);
    ARG(K_EV_STEP, 2, b->graph[G_PUSH_PW]);
    for (int i = 0; i <= EV_EV; i++)
        ARG(K_EV_STEP, 3 + i, b->ev[i]);
    ARG(K_EV_STEP, 8, pk->nfail);
    ARG(K_EV_STEP, 9, ntr);
    ARG(K_EV_STEP, 10, b->bits);
    ARG(K_EV_STEP, 16, b->full);
    ARG(K_EV_STEP, 18, b->L->key0);
    ARG(K_EV_STEP, 19, b->L->key1);
    ARG(K_EV_STEP, 21, b->gword0);
    /* fl_k_event_tally(ntr, lanes, list, len, room, vertex_down, parts) */
    ARG(K_EV_TALLY, 0, ntr);
    ARG(K_EV_TALLY, 1, b->lanes);
    ARG(K_EV_TALLY, 5, b->out_vertex);
    ARG(K_EV_TALLY, 6, b->out_trials);
    /* fl_k_event_system(n, nw, bits, target, ntarget, k, out) */
    ARG(K_EV_SYSTEM, 0, pk->n);
    ARG(K_EV_SYSTEM, 1, b->nw);
    ARG(K_EV_SYSTEM, 2, b->bits);
    ARG(K_EV_SYSTEM, 3, b->target);
    ARG(K_EV_SYSTEM, 4, pk->ntarget);
    ARG(K_EV_SYSTEM, 5, pk->target_k);
    ARG(K_EV_SYSTEM, 6, b->out_system);
    b->par = 0;
    CL_OK(clFinish(b->queue), "clFinish (initial state)");
    return FL_OK;
}

/* More room for the event form's lists (fl_i_event_more_room): both lists of
 * every trial move to new buffers (those of the trials whose step did not
 * fit are stepped again). */
static int event_grow(cl_backend *b, char *err, size_t err_size)
{
    size_t ntr = (size_t)b->cap * 64, room = fl_i_event_more_room(b->pk, b->room);
    if (room == 0) {
        snprintf(err, err_size, FL_EVENT_OVERFLOW, b->room);
        return FL_E_INTERNAL;
    }
    for (int i = 0; i < 2; i++) {
        cl_int rc;
        cl_mem list = scratch(b, ntr * 4 * room, &rc);
        CL_OK(rc, "clCreateBuffer (event form, more room)");
        size_t origin[3] = {0, 0, 0}, region[3] = {(size_t)b->room * 4, ntr, 1};
        rc = clEnqueueCopyBufferRect(b->queue, b->list[i], list, origin, origin, region, (size_t)b->room * 4, 0,
                                     room * 4, 0, 0, NULL, NULL);
        if (rc != CL_SUCCESS)
            clReleaseMemObject(list);
        CL_OK(rc, "clEnqueueCopyBufferRect (event form)");
        clReleaseMemObject(b->list[i]);
        b->list[i] = list;
    }
    b->room = (uint32_t)room;
    return FL_OK;
}

/* Step t in the event form: the trials whose lists were too small step
 * again once they are grown (the draws are addressed, so they draw the
 * same). */
static int event_step(cl_backend *b, uint32_t t, char *err, size_t err_size)
{
    size_t ntr = (size_t)b->nw * 64;
    for (cl_uint redo = 0;; redo = 1) {
        uint32_t cur = b->par, nxt = b->par ^ 1u;
        ARG(K_EV_STEP, 11, b->list[cur]);
        ARG(K_EV_STEP, 12, b->len[cur]);
        ARG(K_EV_STEP, 13, b->list[nxt]);
        ARG(K_EV_STEP, 14, b->len[nxt]);
        ARG(K_EV_STEP, 15, b->room);
        ARG(K_EV_STEP, 17, redo);
        ARG(K_EV_STEP, 20, t);
        RUN(K_EV_STEP, 1, ntr, 1);
        CL_OK(clEnqueueReadBuffer(b->queue, b->full, CL_TRUE, 0, ntr * 4, b->full_host, 0, NULL, NULL),
              "clEnqueueReadBuffer (event form)");
        int any = 0;
        for (size_t j = 0; j < ntr; j++)
            any |= b->full_host[j] != 0;
        if (!any)
            break;
        int st = event_grow(b, err, err_size);
        if (st != FL_OK)
            return st;
    }
    b->par ^= 1u;
    return FL_OK;
}

static int cl_begin(void *self, uint32_t w0, uint32_t nw, char *err, size_t err_size)
{
    cl_backend *b = self;
    const fl_packed *pk = b->pk;
    b->nw = nw;
    b->gword0 = b->L->gword0 + w0;
    CL_OK(clEnqueueWriteBuffer(b->queue, b->lanes, CL_TRUE, 0, (size_t)nw * 8, b->L->lanes + w0, 0, NULL, NULL),
          "clEnqueueWriteBuffer (lanes)");
    if (pk->event)
        return event_begin(b, err, err_size);
    for (int k = K_POOL; k <= K_COMMIT; k++) {
        int st = set_step_args(b, k, err, err_size);
        if (st != FL_OK)
            return st;
    }
    /* the initial state: fl_k_init_vertex(n, nw, init_C, init_P, C, P, B, D0, D1, G, Cb, I) */
    cl_mem vargs[] = {b->init_C, b->init_P, b->C, b->P, b->B, b->D0, b->D1, b->G, b->Cb, b->I};
    ARG(K_INIT_VERTEX, 0, pk->n);
    ARG(K_INIT_VERTEX, 1, b->nw);
    for (int i = 0; i < 10; i++)
        ARG(K_INIT_VERTEX, 2 + i, vargs[i]);
    cl_uint pooled = pk->npool ? 1 : 0, instant = b->L->propagation == FL_PROP_INSTANT;
    cl_uint perm = pk->any_perm;
    ARG(K_INIT_VERTEX, 12, pooled);
    ARG(K_INIT_VERTEX, 13, instant);
    ARG(K_INIT_VERTEX, 14, perm);
    RUN(K_INIT_VERTEX, 2, nw, pk->n);
    /* fl_k_init_planes(nplanes, nw, init_cnt, cnt) */
    ARG(K_INIT_PLANES, 0, pk->nplanes);
    ARG(K_INIT_PLANES, 1, b->nw);
    ARG(K_INIT_PLANES, 2, b->init_cnt);
    ARG(K_INIT_PLANES, 3, b->cnt);
    RUN(K_INIT_PLANES, 2, nw, pk->nplanes);
    if (push_steps(b)) { /* no hits pushed yet */
        cl_mem clear[] = {b->I, b->In, b->Iv, b->Ivn};
        size_t bytes[] = {(size_t)pk->n * nw * 8, (size_t)pk->n * nw * 8, pk->n, pk->n};
        for (int i = 0; i < 4; i++) {
            int st = fill_zero(b, clear[i], bytes[i], err, err_size);
            if (st != FL_OK)
                return st;
        }
    }
    b->pushed = UINT32_MAX;
    /* the tallies' constant arguments */
    uint32_t sub = TALLY_SUB, per = FL_TALLY_BLOCK / TALLY_SUB;
    ARG(K_TALLY_VERTEX, 0, pk->n);
    ARG(K_TALLY_VERTEX, 1, b->nw);
    ARG(K_TALLY_VERTEX, 3, b->lanes);
    ARG(K_TALLY_VERTEX, 4, b->out_vertex);
    ARG(K_TALLY_TRIALS, 0, pk->n);
    ARG(K_TALLY_TRIALS, 1, b->nw);
    ARG(K_TALLY_TRIALS, 3, sub);
    ARG(K_TALLY_TRIALS, 4, b->nsub);
    ARG(K_TALLY_TRIALS, 5, b->out_sub);
    /* fl_k_tally_sum(nw, nsub, per, nblocks, sub counts, out) */
    ARG(K_TALLY_SUM, 0, b->nw);
    ARG(K_TALLY_SUM, 1, b->nsub);
    ARG(K_TALLY_SUM, 2, per);
    ARG(K_TALLY_SUM, 3, b->nblocks);
    ARG(K_TALLY_SUM, 4, b->out_sub);
    ARG(K_TALLY_SUM, 5, b->out_trials);
    ARG(K_TALLY_SYSTEM, 0, b->nw);
    ARG(K_TALLY_SYSTEM, 2, b->target);
    ARG(K_TALLY_SYSTEM, 3, pk->ntarget);
    ARG(K_TALLY_SYSTEM, 4, pk->target_k);
    ARG(K_TALLY_SYSTEM, 5, b->out_system);
    CL_OK(clFinish(b->queue), "clFinish (initial state)");
    return FL_OK;
}

static int cl_step(void *self, uint32_t t, char *err, size_t err_size)
{
    cl_backend *b = self;
    uint32_t n = b->pk->n, nw = b->nw;
    if (b->pk->event)
        return event_step(b, t, err, err_size);
    for (int k = K_POOL; k <= K_COMMIT; k++) {
        ARG(k, A_D, b->D0);
        ARG(k, A_DN, b->D1);
        ARG(k, A_I, b->I);
        ARG(k, A_IN, b->In);
        ARG(k, A_IV, b->Iv);
        ARG(k, A_IVN, b->Ivn);
        if (k == K_STEP || k == K_PUSH || k == K_BASE || k == K_HIT)
            ARG(k, A_T, t);
    }
    RUN(K_POOL, 2, nw, b->pk->npool);
    if (b->L->propagation == FL_PROP_SYNCHRONOUS) {
        /* push mode: each step pushes D(t+1) for the next (kernels/step.h); the first pushes D(t) */
        if (push_steps(b) && b->pushed != t)
            RUN(K_PUSH, 2, nw, n);
        RUN(K_STEP, 2, nw, n);
        if (push_steps(b)) {
            cl_mem tmp = b->I;
            b->I = b->In; /* clear again: it takes the next step's hits */
            b->In = tmp;
            tmp = b->Iv;
            b->Iv = b->Ivn;
            b->Ivn = tmp;
            int st = fill_zero(b, b->Ivn, n, err, err_size);
            if (st != FL_OK)
                return st;
            b->pushed = t + 1;
        }
    } else {
        RUN(K_BASE, 2, nw, n);
        for (uint32_t round = 0;; round++) {
            static const cl_int zero = 0;
            cl_int changed = 0;
            CL_OK(clEnqueueWriteBuffer(b->queue, b->changed, CL_FALSE, 0, sizeof zero, &zero, 0, NULL, NULL),
                  "clEnqueueWriteBuffer (flag)");
            RUN(K_HIT, 2, nw, n);
            CL_OK(clEnqueueReadBuffer(b->queue, b->changed, CL_TRUE, 0, sizeof changed, &changed, 0, NULL, NULL),
                  "clEnqueueReadBuffer (flag)");
            if (!changed)
                break;
            if (round > n)
                return fl_i_no_fixpoint(t, n, err, err_size);
            RUN(K_DOWN, 2, nw, n);
        }
        RUN(K_COMMIT, 2, nw, n);
    }
    cl_mem tmp = b->D0;
    b->D0 = b->D1;
    b->D1 = tmp;
    return FL_OK;
}

/* The tally kernels and the copies to slot, all without waiting. */
static int cl_tally(void *self, int slot, char *err, size_t err_size)
{
    cl_backend *b = self;
    uint32_t n = b->pk->n, nw = b->nw;
    fl_tally *out = &b->ty[slot];
    if (b->pk->event) { /* fl_k_event_tally adds to vertex_down and writes the first block's row */
        int st = fill_zero(b, b->out_vertex, (size_t)n * 4, err, err_size);
        if (st == FL_OK)
            st = fill_zero(b, b->out_trials, (size_t)b->nblocks * nw * 64 * 4, err, err_size);
        if (st != FL_OK)
            return st;
        ARG(K_EV_TALLY, 2, b->list[b->par]);
        ARG(K_EV_TALLY, 3, b->len[b->par]);
        ARG(K_EV_TALLY, 4, b->room);
        RUN(K_EV_TALLY, 1, (size_t)nw * 64, 1);
        RUN(K_EV_SYSTEM, 1, nw, 1);
    } else {
        ARG(K_TALLY_VERTEX, 2, b->D0);
        ARG(K_TALLY_TRIALS, 2, b->D0);
        ARG(K_TALLY_SYSTEM, 1, b->D0);
        RUN(K_TALLY_VERTEX, 1, n, 1);
        RUN(K_TALLY_TRIALS, 2, nw, b->nsub);
        RUN(K_TALLY_SUM, 2, (size_t)nw * 64, b->nblocks);
        RUN(K_TALLY_SYSTEM, 1, nw, 1);
    }
    if (n)
        CL_OK(clEnqueueReadBuffer(b->queue, b->out_vertex, CL_FALSE, 0, (size_t)n * 4, out->vertex_down, 0, NULL, NULL),
              "clEnqueueReadBuffer (tallies)");
    if (b->nblocks)
        CL_OK(clEnqueueReadBuffer(b->queue, b->out_trials, CL_FALSE, 0, (size_t)b->nblocks * nw * 64 * 4,
                                  out->trial_parts, 0, NULL, NULL),
              "clEnqueueReadBuffer (tallies)");
    CL_OK(clEnqueueReadBuffer(b->queue, b->out_system, CL_FALSE, 0, (size_t)nw * 8, out->system_down, 0, NULL, NULL),
          "clEnqueueReadBuffer (tallies)");
    CL_OK(clFlush(b->queue), "clFlush");
    return FL_OK;
}

/* The queue runs in order and the engine starts nothing after a tally
 * before waiting for it: all that is queued ends with slot's copies. */
static int cl_tally_wait(void *self, int slot, const fl_tally **out, char *err, size_t err_size)
{
    cl_backend *b = self;
    CL_OK(clFinish(b->queue), "clFinish (tallies)");
    *out = &b->ty[slot];
    return FL_OK;
}

static const char *cl_device(void *self)
{
    return ((cl_backend *)self)->device;
}

static const char *cl_note(void *self)
{
    return ((cl_backend *)self)->note;
}

static void cl_close(void **self)
{
    cl_backend *b = self ? *self : NULL;
    if (!b)
        return;
    for (int i = 0; i < 2; i++)
        if (b->tally_map[i])
            clEnqueueUnmapMemObject(b->queue, b->host_tally[i], b->tally_map[i], 0, NULL, NULL);
    if (b->queue)
        clFinish(b->queue);
    if (b->profile) {
        fprintf(stderr, "faultline: OpenCL kernel times on '%s' (FAULTLINE_CL_PROFILE):\n", b->dev.name);
        for (int k = 0; k < K_COUNT; k++)
            if (b->runs[k])
                fprintf(stderr, "  %-20s %8lu runs %12.3f ms %10.1f us/run\n", kernel_names[k], b->runs[k],
                        b->ns[k] * 1e-6, b->ns[k] * 1e-3 / (double)b->runs[k]);
    }
    cl_mem mems[] = {b->target,
                     b->init_C,
                     b->init_P,
                     b->init_cnt,
                     b->C,
                     b->P,
                     b->B,
                     b->D0,
                     b->D1,
                     b->G,
                     b->Cb,
                     b->I,
                     b->In,
                     b->Iv,
                     b->Ivn,
                     b->cnt,
                     b->lanes,
                     b->changed,
                     b->out_vertex,
                     b->out_trials,
                     b->out_system,
                     b->out_sub,
                     b->host_tally[0],
                     b->host_tally[1],
                     b->bits,
                     b->list[0],
                     b->list[1],
                     b->len[0],
                     b->len[1],
                     b->full};
    for (size_t i = 0; i < sizeof mems / sizeof *mems; i++)
        if (mems[i])
            clReleaseMemObject(mems[i]);
    for (int i = 0; i < G_COUNT; i++)
        if (b->graph[i])
            clReleaseMemObject(b->graph[i]);
    for (int i = 0; i < EV_COUNT; i++)
        if (b->ev[i])
            clReleaseMemObject(b->ev[i]);
    for (int i = 0; i < K_COUNT; i++)
        if (b->k[i])
            clReleaseKernel(b->k[i]);
    if (b->program)
        clReleaseProgram(b->program);
    if (b->queue)
        clReleaseCommandQueue(b->queue);
    if (b->ctx)
        clReleaseContext(b->ctx);
    free(b->full_host);
    free(b);
    *self = NULL;
}

const fl_backend_ops fl_i_backend_opencl = {"opencl", cl_open,       cl_batch_words, cl_begin, cl_step,
                                            cl_tally, cl_tally_wait, cl_device,      cl_note,  cl_close};
