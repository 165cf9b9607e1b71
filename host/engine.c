/*
 * engine.c - the simulation view: chooses the backend, prepares the packed
 * graph and the trial words, drives the backend step by step, and turns the
 * per-step aggregates into the results of INTERFACE.md.
 *
 * Trials: the run covers trials I .. I+N-1.  Trial i lives in global word
 * i / 64, lane i % 64, whatever I is; the backend simulates whole words and
 * lanes outside the range are simply not counted.  So trial i's trajectory
 * depends only on (model, seed, i), and any split of a trial range gives the
 * same per-trial results (MODEL.md section 4).
 *
 * Batches: a backend may hold fewer words than the run has (an OpenCL
 * device too small for the whole state).  The words then run in batches,
 * each from step 0 to T, and the aggregates of the batches are added up:
 * record() accumulates integer counts (exact in doubles below 2^53) and
 * finish() divides once at the end, so the results do not depend on the
 * number of batches, bit for bit.
 */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend.h"
#include "faultline.h"
#include "graph.h"
#include "results.h"
#include "say.h"

int fl_i_no_fixpoint(uint32_t t, uint32_t n, char *err, size_t err_size)
{
    return fl_i_say(
        err, err_size, FL_E_INTERNAL,
        "instant propagation still changing after %u rounds in step %u (%u vertices): a bug, please report it", n + 1u,
        t, n);
}

size_t fl_i_tally_bytes(uint32_t n, uint32_t words)
{
    size_t nblocks = (n + FL_TALLY_BLOCK - 1) / FL_TALLY_BLOCK;
    return (size_t)words * sizeof(fl_word) + ((size_t)n + nblocks * words * 64) * sizeof(uint32_t);
}

void fl_i_tally_carve(fl_tally *t, void *block, uint32_t n, uint32_t words)
{
    t->system_down = block;
    t->vertex_down = (uint32_t *)(t->system_down + words);
    t->trial_parts = t->vertex_down + n;
}

struct fl_sim {
    char error[1024];
    const fl_model *model;
    fl_run_options opt;
    fl_packed pk;
    fl_layout L;
    fl_word *lanes;
    const fl_backend_ops *ops;
    void *backend;
    fl_results r;
    char note[512];     /* how the backend was chosen */
    uint64_t *down_acc; /* [T+1] down (vertex, trial) pairs per step */
    uint64_t *sys_acc;  /* [T+1] trials with the system down per step */
    uint32_t nclass_out;
    uint32_t *vertex_class_out; /* [n] column of class_down_fraction */
    uint64_t *class_size;       /* [nclass_out] vertices per column */
    uint64_t *unavail_acc;      /* [n] down (trial, step >= 1) pairs */
    double step_seconds;
    int ran;
};

void fl_run_options_init(fl_run_options *o)
{
    memset(o, 0, sizeof *o);
    o->trials = -1;
    o->steps = -1;
    o->seed = -1;
    o->propagation = FL_PROP_DEFAULT;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int alloc_results(fl_sim *s)
{
    fl_results *r = &s->r;
    const fl_model *md = s->model;
    size_t T1 = (size_t)r->steps + 1, N = r->trials, n = md->n;
    r->down_fraction = calloc(T1, sizeof(double));
    r->system_down = calloc(T1, sizeof(double));
    r->down_count = calloc(N * T1, sizeof(uint32_t));
    r->system_down_trial = calloc(N * T1, sizeof(uint8_t));
    r->vertex_unavailability = calloc(n + 1, sizeof(double));
    r->vertex_down_final = calloc(n + 1, sizeof(double));
    s->unavail_acc = calloc(n + 1, sizeof(uint64_t));
    s->down_acc = calloc(T1, sizeof(uint64_t));
    s->sys_acc = calloc(T1, sizeof(uint64_t));
    s->vertex_class_out = calloc(n + 1, sizeof(uint32_t));
    r->class_out_name = calloc((size_t)md->nclass + 1, sizeof(char *));
    if (!r->down_fraction || !r->system_down || !r->down_count || !r->system_down_trial || !r->vertex_unavailability ||
        !r->vertex_down_final || !s->unavail_acc || !s->down_acc || !s->sys_acc || !s->vertex_class_out ||
        !r->class_out_name)
        return FL_E_NOMEM;

    /* classes in file order, then "(none)" if some vertex has no class */
    int unclassed = 0;
    for (uint32_t v = 0; v < n; v++)
        unclassed |= md->vertex_class[v] == FL_NONE;
    for (uint32_t c = 0; c < md->nclass; c++)
        r->class_out_name[c] = md->class_name[c];
    r->nclass_out = md->nclass;
    if (unclassed)
        r->class_out_name[r->nclass_out++] = "(none)";
    for (uint32_t v = 0; v < n; v++)
        s->vertex_class_out[v] = md->vertex_class[v] == FL_NONE ? md->nclass : md->vertex_class[v];
    r->class_down_fraction = calloc(T1 * r->nclass_out + 1, sizeof(double));
    s->class_size = calloc((size_t)r->nclass_out + 1, sizeof(uint64_t));
    if (!r->class_down_fraction || !s->class_size)
        return FL_E_NOMEM;
    for (uint32_t v = 0; v < n; v++)
        s->class_size[s->vertex_class_out[v]]++;

    if (r->series_stride) {
        r->nseries = r->steps / r->series_stride + 1;
        r->vertex_down_series = calloc((size_t)r->nseries * n + 1, sizeof(double));
        if (!r->vertex_down_series)
            return FL_E_NOMEM;
    }
    return FL_OK;
}

static const char *env_or(const char *value, const char *name)
{
    const char *env = value ? NULL : getenv(name);
    return value ? value : (env && *env ? env : NULL);
}

/* The backend of opt->backend: OpenCL when asked for (or, with auto, when
 * it opens), else OpenMP. */
static int open_backend(fl_sim *s, char *message, size_t message_size)
{
    int want = s->opt.backend;
    if (want != FL_BACKEND_OPENMP) {
        int status = fl_i_backend_opencl.open(&s->backend, &s->pk, &s->L, message, message_size);
        if (status == FL_OK) {
            s->ops = &fl_i_backend_opencl;
            snprintf(s->note, sizeof s->note, "%s", s->ops->note(s->backend));
            return FL_OK;
        }
        if (want == FL_BACKEND_OPENCL)
            return status;
        /* why not OpenCL, on one line (a build log follows the first) */
        int len = (int)strcspn(message, "\n");
        snprintf(s->note, sizeof s->note, "%.*s%s", len, message, message[len] ? " [...]" : "");
        message[0] = '\0';
    }
    s->ops = &fl_i_backend_openmp;
    return s->ops->open(&s->backend, &s->pk, &s->L, message, message_size);
}

int fl_sim_create(fl_sim **out, const fl_model *md, const fl_run_options *opt, char *message, size_t message_size)
{
    char scratch[8];
    if (!message) {
        message = scratch;
        message_size = sizeof scratch;
    }
    *out = NULL;
    int status = FL_E_NOMEM;
    fl_sim *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(message, message_size, "out of memory");
        return FL_E_NOMEM;
    }
    s->model = md;
    s->opt = *opt;
    fl_results *r = &s->r;
    r->model = md;
    r->trials = opt->trials >= 0 ? (uint64_t)opt->trials : md->trials;
    r->steps = opt->steps >= 0 ? (uint32_t)opt->steps : md->steps;
    r->seed = opt->seed >= 0 ? (uint64_t)opt->seed : md->seed;
    r->trial_offset = opt->trial_offset;
    r->propagation = opt->propagation != FL_PROP_DEFAULT ? opt->propagation : md->propagation;
    r->series_stride = opt->vertex_series;
    r->backend = "openmp";

    if (r->trials == 0 || r->trials > ((uint64_t)1 << 40)) {
        snprintf(message, message_size, "trials must be between 1 and 2^40");
        status = FL_E_USAGE;
        goto cleanup;
    }
    if (opt->steps > 1000000000 || (opt->steps < -1)) {
        snprintf(message, message_size, "steps must be between 0 and 10^9");
        status = FL_E_USAGE;
        goto cleanup;
    }
    uint64_t last = r->trial_offset + r->trials - 1;
    if (last < r->trial_offset || last / 64 > UINT32_MAX) {
        snprintf(message, message_size, "trial numbers must stay below 2^38");
        status = FL_E_USAGE;
        goto cleanup;
    }
    if (opt->propagation != FL_PROP_DEFAULT && opt->propagation != FL_PROP_SYNCHRONOUS &&
        opt->propagation != FL_PROP_INSTANT) {
        snprintf(message, message_size, "unknown propagation mode %d", opt->propagation);
        status = FL_E_USAGE;
        goto cleanup;
    }
    if (opt->backend != FL_BACKEND_AUTO && opt->backend != FL_BACKEND_OPENMP && opt->backend != FL_BACKEND_OPENCL) {
        snprintf(message, message_size, "unknown backend %d", opt->backend);
        status = FL_E_USAGE;
        goto cleanup;
    }
    if (opt->hits < FL_HITS_AUTO || opt->hits > FL_HITS_EVENT) {
        snprintf(message, message_size, "unknown hit form %d", opt->hits);
        status = FL_E_USAGE;
        goto cleanup;
    }

    s->L.threads = opt->threads > 0 ? opt->threads : omp_get_max_threads();
    status =
        fl_i_graph_pack(&s->pk, md, fl_i_step_form(opt->hits, r->propagation), s->L.threads, message, message_size);
    if (status != FL_OK)
        goto cleanup;

    uint32_t gword0 = (uint32_t)(r->trial_offset / 64), gword1 = (uint32_t)(last / 64);
    s->L.nw = gword1 - gword0 + 1;
    s->L.gword0 = gword0;
    s->L.key0 = (uint32_t)r->seed;
    s->L.key1 = (uint32_t)(r->seed >> 32);
    s->L.propagation = r->propagation;
    s->lanes = calloc(s->L.nw, sizeof *s->lanes);
    status = FL_E_NOMEM;
    if (!s->lanes)
        goto cleanup;
    for (uint32_t w = 0; w < s->L.nw; w++) {
        for (uint32_t lane = 0; lane < 64; lane++) {
            uint64_t trial = ((uint64_t)gword0 + w) * 64 + lane;
            if (trial >= r->trial_offset && trial <= last)
                s->lanes[w] |= (fl_word)1 << lane;
        }
    }
    s->L.lanes = s->lanes;
    s->L.platform = env_or(opt->platform, "FAULTLINE_PLATFORM");
    s->L.device = env_or(opt->device, "FAULTLINE_DEVICE");
    status = alloc_results(s);
    if (status != FL_OK) {
        snprintf(message, message_size, "out of memory for the results of %llu trials x %u steps",
                 (unsigned long long)r->trials, r->steps);
        goto cleanup;
    }
    status = open_backend(s, message, message_size);
    if (status != FL_OK)
        goto cleanup;
    r->backend = s->ops->name;
    r->device = s->ops->device(s->backend);
    r->hits = fl_sim_hit_form(s);
    r->random_mapping = FL_RNG_MAPPING;
    *out = s;
    return FL_OK;

cleanup:
    fl_sim_destroy(&s);
    return status;
}

void fl_sim_destroy(fl_sim **sp)
{
    fl_sim *s = sp ? *sp : NULL;
    if (!s)
        return;
    if (s->ops)
        s->ops->close(&s->backend);
    fl_i_graph_free(&s->pk);
    free(s->lanes);
    free(s->unavail_acc);
    free(s->down_acc);
    free(s->sys_acc);
    free(s->vertex_class_out);
    free(s->class_size);
    fl_results *r = &s->r;
    free(r->down_fraction);
    free(r->system_down);
    free(r->down_count);
    free(r->system_down_trial);
    free(r->vertex_unavailability);
    free(r->vertex_down_final);
    free((void *)r->class_out_name);
    free(r->class_down_fraction);
    free(r->vertex_down_series);
    free(s);
    *sp = NULL;
}

/* Adds the aggregates of words w0 .. w0+nw-1 at step t to the results
 * (counts; finish() turns them into fractions). */
static void record(fl_sim *s, const fl_tally *ty, uint32_t t, uint32_t w0, uint32_t nw)
{
    fl_results *r = &s->r;
    const fl_model *md = s->model;
    uint32_t n = md->n, T1 = r->steps + 1;
    uint32_t nblocks = (n + FL_TALLY_BLOCK - 1) / FL_TALLY_BLOCK;

    uint64_t total = 0;
    double *cls = r->class_down_fraction + (size_t)t * r->nclass_out;
    /* on all threads: the sums are of integers (exact in a double below
     * 2^53), so their order cannot change a bit */
#pragma omp parallel for schedule(static) num_threads(s->L.threads) reduction(+ : total) \
    reduction(+ : cls[:r->nclass_out])
    for (uint32_t v = 0; v < n; v++) {
        uint32_t c = ty->vertex_down[v];
        total += c;
        cls[s->vertex_class_out[v]] += c;
        if (t > 0)
            s->unavail_acc[v] += c;
    }
    s->down_acc[t] += total;
    if (t == r->steps)
        for (uint32_t v = 0; v < n; v++)
            r->vertex_down_final[v] += ty->vertex_down[v];
    if (r->series_stride && t % r->series_stride == 0) {
        double *row = r->vertex_down_series + (size_t)(t / r->series_stride) * n;
        for (uint32_t v = 0; v < n; v++)
            row[v] += ty->vertex_down[v];
    }

    uint64_t sys = 0;
    for (uint32_t w = 0; w < nw; w++) {
        fl_word lanes = s->lanes[w0 + w];
        for (uint32_t lane = 0; lane < 64; lane++) {
            if (!((lanes >> lane) & 1u))
                continue;
            uint64_t trial = ((uint64_t)s->L.gword0 + w0 + w) * 64 + lane - r->trial_offset;
            uint32_t count = 0;
            for (uint32_t blk = 0; blk < nblocks; blk++)
                count += ty->trial_parts[((size_t)blk * nw + w) * 64 + lane];
            uint8_t down = (uint8_t)((ty->system_down[w] >> lane) & 1u);
            r->down_count[trial * T1 + t] = count;
            r->system_down_trial[trial * T1 + t] = down;
            sys += down;
        }
    }
    s->sys_acc[t] += sys;
}

/* The counts of record() as fractions. */
static void finish(fl_sim *s)
{
    fl_results *r = &s->r;
    uint32_t n = s->model->n;
    double N = (double)r->trials;
    for (uint32_t t = 0; t <= r->steps; t++) {
        r->down_fraction[t] = n ? (double)s->down_acc[t] / ((double)n * N) : 0.0;
        r->system_down[t] = (double)s->sys_acc[t] / N;
        double *cls = r->class_down_fraction + (size_t)t * r->nclass_out;
        for (uint32_t c = 0; c < r->nclass_out; c++)
            cls[c] = s->class_size[c] ? cls[c] / ((double)s->class_size[c] * N) : 0.0;
    }
    for (uint32_t v = 0; v < n; v++)
        r->vertex_down_final[v] /= N;
    for (size_t i = 0; r->series_stride && i < (size_t)r->nseries * n; i++)
        r->vertex_down_series[i] /= N;
    double pairs = (double)r->trials * (double)r->steps;
    for (uint32_t v = 0; v < n; v++)
        r->vertex_unavailability[v] = pairs > 0 ? (double)s->unavail_acc[v] / pairs : 0.0;
}

/* Progress over all batches, scaled to 32 bits when it does not fit. */
static int report(fl_sim *s, uint64_t done, uint64_t total)
{
    if (!s->opt.progress)
        return 0;
    if (total > UINT32_MAX) {
        done = (uint64_t)((double)done / (double)total * UINT32_MAX);
        total = UINT32_MAX;
    }
    return s->opt.progress(s->opt.progress_data, (uint32_t)done, (uint32_t)total);
}

int fl_sim_run(fl_sim *s)
{
    fl_results *r = &s->r;
    uint32_t nw = s->L.nw;
    uint32_t batch = s->ops->batch_words(s->backend);
    uint32_t nbatch = (nw + batch - 1) / batch;
    if (s->ran) {
        snprintf(s->error, sizeof s->error, "fl_sim_run called twice on the same simulation");
        return FL_E_USAGE;
    }
    s->ran = 1;
    double t0 = now_seconds();
    int status = FL_OK;
    for (uint32_t b = 0; b < nbatch && status == FL_OK; b++) {
        uint32_t w0 = b * batch, bw = nw - w0 < batch ? nw - w0 : batch;
        char *err = s->error;
        size_t es = sizeof s->error;
        const fl_tally *ty = NULL; /* the tally of state `at`, not yet recorded */
        uint32_t at = 0;
        int slot = 0;
        status = s->ops->begin(s->backend, w0, bw, err, es);
        if (status == FL_OK)
            status = s->ops->tally(s->backend, slot, err, es);
        if (status == FL_OK)
            status = s->ops->tally_wait(s->backend, slot, &ty, err, es);
        for (uint32_t t = 0; t < r->steps && status == FL_OK; t++) {
            status = s->ops->step(s->backend, t, err, es);
            if (status == FL_OK)
                status = s->ops->tally(s->backend, slot ^ 1, err, es);
            if (status != FL_OK)
                break;
            /* state t is recorded while the device computes t + 1 */
            record(s, ty, at, w0, bw);
            ty = NULL;
            status = s->ops->tally_wait(s->backend, slot ^ 1, &ty, err, es);
            slot ^= 1;
            at = t + 1;
            if (status == FL_OK && report(s, (uint64_t)b * r->steps + t + 1, (uint64_t)nbatch * r->steps)) {
                snprintf(s->error, sizeof s->error, "interrupted after step %u of %u", t + 1, r->steps);
                if (nbatch > 1)
                    snprintf(s->error + strlen(s->error), sizeof s->error - strlen(s->error), " of batch %u of %u",
                             b + 1, nbatch);
                status = FL_E_INTERRUPTED;
            }
        }
        if (ty && (status == FL_OK || status == FL_E_INTERRUPTED))
            record(s, ty, at, w0, bw);
    }
    s->step_seconds = now_seconds() - t0;
    finish(s);
    return status;
}

int fl_sim_write(fl_sim *s, const char *path, const char *command)
{
    if (!s->ran) {
        snprintf(s->error, sizeof s->error, "fl_sim_write before fl_sim_run");
        return FL_E_USAGE;
    }
    return fl_i_results_write(&s->r, path, command, s->error, sizeof s->error);
}

const char *fl_sim_error(const fl_sim *s)
{
    return s->error;
}
uint64_t fl_sim_trials(const fl_sim *s)
{
    return s->r.trials;
}
uint32_t fl_sim_steps(const fl_sim *s)
{
    return s->r.steps;
}
uint64_t fl_sim_seed(const fl_sim *s)
{
    return s->r.seed;
}
const char *fl_sim_backend(const fl_sim *s)
{
    return s->r.backend;
}
const char *fl_sim_device(const fl_sim *s)
{
    return s->r.device;
}
const char *fl_sim_backend_note(const fl_sim *s)
{
    return s->note;
}
const char *fl_sim_hit_form(const fl_sim *s)
{
    return s->pk.event ? "event" : s->pk.push ? "push" : "pull";
}
const double *fl_sim_down_fraction(const fl_sim *s)
{
    return s->r.down_fraction;
}
const double *fl_sim_system_down(const fl_sim *s)
{
    return s->r.system_down;
}
const uint32_t *fl_sim_down_count(const fl_sim *s)
{
    return s->r.down_count;
}
const uint8_t *fl_sim_system_down_trial(const fl_sim *s)
{
    return s->r.system_down_trial;
}
const double *fl_sim_vertex_unavailability(const fl_sim *s)
{
    return s->r.vertex_unavailability;
}
const double *fl_sim_vertex_down_final(const fl_sim *s)
{
    return s->r.vertex_down_final;
}
const double *fl_sim_vertex_down_series(const fl_sim *s, uint32_t *points)
{
    if (points)
        *points = s->r.nseries;
    return s->r.vertex_down_series;
}
double fl_sim_step_seconds(const fl_sim *s)
{
    return s->step_seconds;
}
