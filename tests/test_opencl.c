/*
 * test_opencl.c - the OpenCL backend (label `opencl`): every numeric result
 * is bitwise identical to the OpenMP backend's (memcmp) for the conformance
 * models and a generated model of 20,000 vertices with supervision and
 * pools, over trial counts that are and are not multiples of 64, trial
 * offsets, vertex series, both propagation modes and batches of one word;
 * device choice, kernel build errors with their log, and the command
 * without any OpenCL platform (exit 69 for opencl, auto falls back).
 *
 * Where no OpenCL platform exists (or the build has no OpenCL) the
 * comparisons are skipped, saying so, and the suite passes; the
 * no-platform tests run everywhere.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

static int have_opencl; /* a usable OpenCL device exists */
static int run_hits;    /* the hit form run_on asks for (enum fl_hits) */

/* Runs md on a backend; NULL (and the message printed) on failure. */
static fl_sim *run_on(const fl_model *md, int backend, int64_t trials, int64_t steps, uint64_t offset, int propagation,
                      uint32_t series)
{
    fl_run_options o;
    fl_run_options_init(&o);
    o.backend = backend;
    o.trials = trials;
    o.steps = steps;
    o.seed = 7;
    o.trial_offset = offset;
    o.threads = 2;
    o.propagation = propagation;
    o.vertex_series = series;
    o.hits = run_hits;
    fl_sim *sim = NULL;
    char msg[4096];
    if (fl_sim_create(&sim, md, &o, msg, sizeof msg) != FL_OK) {
        fprintf(stderr, "\n  fl_sim_create (%s): %s\n", backend == FL_BACKEND_OPENCL ? "opencl" : "openmp", msg);
        return NULL;
    }
    if (fl_sim_run(sim) != FL_OK) {
        fprintf(stderr, "\n  fl_sim_run: %s\n", fl_sim_error(sim));
        fl_sim_destroy(&sim);
    }
    return sim;
}

/* Every numeric result of a and b, bit for bit; names the first that differs. */
static const char *first_difference(const fl_sim *a, const fl_sim *b, uint32_t n)
{
    size_t T1 = fl_sim_steps(a) + 1, N = fl_sim_trials(a);
    uint32_t pa = 0, pb = 0;
    const double *sa = fl_sim_vertex_down_series(a, &pa), *sb = fl_sim_vertex_down_series(b, &pb);
    if (memcmp(fl_sim_down_fraction(a), fl_sim_down_fraction(b), T1 * sizeof(double)))
        return "down_fraction";
    if (memcmp(fl_sim_system_down(a), fl_sim_system_down(b), T1 * sizeof(double)))
        return "system_down";
    if (memcmp(fl_sim_down_count(a), fl_sim_down_count(b), N * T1 * sizeof(uint32_t)))
        return "down_count";
    if (memcmp(fl_sim_system_down_trial(a), fl_sim_system_down_trial(b), N * T1))
        return "system_down_trial";
    if (memcmp(fl_sim_vertex_unavailability(a), fl_sim_vertex_unavailability(b), n * sizeof(double)))
        return "vertex_unavailability";
    if (memcmp(fl_sim_vertex_down_final(a), fl_sim_vertex_down_final(b), n * sizeof(double)))
        return "vertex_down_final";
    if (pa != pb || (sa == NULL) != (sb == NULL) || (sa && memcmp(sa, sb, (size_t)pa * n * sizeof(double))))
        return "vertex_down_series";
    return NULL;
}

/* Runs md on both backends and compares; returns 1 when equal. */
static int same_on_both(const fl_model *md, const char *name, int64_t trials, int64_t steps, uint64_t offset,
                        int propagation, uint32_t series)
{
    fl_sim *omp = run_on(md, FL_BACKEND_OPENMP, trials, steps, offset, propagation, series);
    fl_sim *ocl = run_on(md, FL_BACKEND_OPENCL, trials, steps, offset, propagation, series);
    const char *diff = "a run failed";
    if (omp && ocl) {
        diff = first_difference(omp, ocl, fl_model_vertex_count(md));
        if (strcmp(fl_sim_backend(ocl), "opencl") || strcmp(fl_sim_backend(omp), "openmp"))
            diff = "the backends were not the ones asked for";
    }
    if (diff)
        fprintf(stderr, "\n  %s: trials %lld, offset %llu, %s, series %u: %s differs\n", name, (long long)trials,
                (unsigned long long)offset, propagation == FL_PROP_INSTANT ? "instant" : "synchronous", series, diff);
    fl_sim_destroy(&omp);
    fl_sim_destroy(&ocl);
    return diff == NULL;
}

#define NEEDS_OPENCL                                                                                                   \
    do {                                                                                                               \
        if (!have_opencl) {                                                                                            \
            fprintf(stderr, " skipped (no OpenCL) ");                                                                  \
            return;                                                                                                    \
        }                                                                                                              \
    } while (0)

/* The conformance models, in file order. */
static int conformance_models(char names[][64], int max)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/conformance", FL_TEST_DATA);
    DIR *d = opendir(dir);
    int count = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL && count < max) {
        size_t len = strlen(e->d_name);
        if (len > 5 && len < 64 && !strcmp(e->d_name + len - 5, ".yaml"))
            memcpy(names[count++], e->d_name, len + 1);
    }
    if (d)
        closedir(d);
    /* sorted, for a readable log */
    for (int i = 1; i < count; i++)
        for (int j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            char t[64];
            memcpy(t, names[j], 64);
            memcpy(names[j], names[j - 1], 64);
            memcpy(names[j - 1], t, 64);
        }
    return count;
}

static const int64_t trial_counts[] = {1, 63, 64, 65, 200};
static const uint64_t offsets[] = {0, 37};

static void test_conformance_models(void)
{
    NEEDS_OPENCL;
    char names[16][64];
    int count = conformance_models(names, 16);
    CU_ASSERT(count >= 5);
    for (int i = 0; i < count; i++) {
        char path[1200];
        snprintf(path, sizeof path, "%s/conformance/%s", FL_TEST_DATA, names[i]);
        fl_model *md = tu_load(path);
        CU_ASSERT_PTR_NOT_NULL_FATAL(md);
        for (size_t t = 0; t < sizeof trial_counts / sizeof *trial_counts; t++)
            for (size_t o = 0; o < sizeof offsets / sizeof *offsets; o++)
                for (int prop = FL_PROP_SYNCHRONOUS; prop <= FL_PROP_INSTANT; prop++)
                    CU_ASSERT(same_on_both(md, names[i], trial_counts[t], 25, offsets[o], prop, t % 2 ? 1 : 4));
        fl_model_destroy(&md);
    }
}

/* 20,000 vertices, 60,000 edges, pools, supervisors, thresholds, quorums:
 * several tally blocks and every kernel at a size a GPU would see. */
static void test_large_generated_model(void)
{
    NEEDS_OPENCL;
    fl_model *md = tu_load_generated(20000, 5);
    CU_ASSERT_PTR_NOT_NULL_FATAL(md);
    CU_ASSERT(fl_model_vertex_count(md) == 20000 && fl_model_pool_count(md) > 0 && fl_model_supervision_count(md) > 0);
    for (int prop = FL_PROP_SYNCHRONOUS; prop <= FL_PROP_INSTANT; prop++) {
        CU_ASSERT(same_on_both(md, "generated 20000", 200, 12, 37, prop, 5));
        CU_ASSERT(same_on_both(md, "generated 20000", 65, 8, 0, prop, 0));
    }
    fl_model_destroy(&md);
}

/* The event form (genmodel.h, seed 12): 20,000 vertices, trials starting
 * and ending inside a word, in one batch, with lists that must grow, and
 * in batches of one word. */
static void test_event_form(void)
{
    NEEDS_OPENCL;
    fl_model *md = tu_load_generated(20000, 12);
    CU_ASSERT_PTR_NOT_NULL_FATAL(md);
    run_hits = FL_HITS_EVENT;
    fl_sim *sim = run_on(md, FL_BACKEND_OPENCL, 64, 1, 0, FL_PROP_SYNCHRONOUS, 0);
    CU_ASSERT(sim && !strcmp(fl_sim_hit_form(sim), "event"));
    fl_sim_destroy(&sim);
    CU_ASSERT(same_on_both(md, "generated 20000, event form", 200, 30, 37, FL_PROP_SYNCHRONOUS, 4));
    /* lists grown from a room of 2 vertices */
    CU_ASSERT_FATAL(setenv("FAULTLINE_EVENT_ROOM", "2", 1) == 0);
    CU_ASSERT(same_on_both(md, "generated 20000, event form, room 2", 200, 30, 37, FL_PROP_SYNCHRONOUS, 4));
    CU_ASSERT_FATAL(unsetenv("FAULTLINE_EVENT_ROOM") == 0);
    CU_ASSERT_FATAL(setenv("FAULTLINE_CL_MAX_WORDS", "1", 1) == 0);
    CU_ASSERT(same_on_both(md, "generated 20000, event form in batches", 130, 12, 100, FL_PROP_SYNCHRONOUS, 1));
    CU_ASSERT_FATAL(unsetenv("FAULTLINE_CL_MAX_WORDS") == 0);
    run_hits = FL_HITS_AUTO;
    fl_model_destroy(&md);
}

/* Small generated models with all the features, several seeds. */
static void test_generated_models(void)
{
    NEEDS_OPENCL;
    for (uint32_t seed = 1; seed <= 6; seed++) {
        fl_model *md = tu_load_generated(60 + 13 * seed, seed);
        CU_ASSERT_PTR_NOT_NULL_FATAL(md);
        for (int prop = FL_PROP_SYNCHRONOUS; prop <= FL_PROP_INSTANT; prop++)
            CU_ASSERT(same_on_both(md, "generated", 130 + seed, 30, seed * 11, prop, 2));
        fl_model_destroy(&md);
    }
}

/* Runs long enough for whole groups of 16 words (1024 trials), which the
 * OpenMP backend steps together (one crash stream, the in-neighbour count in
 * vectors) and an OpenCL work-item one word at a time: words 10 .. 51, a
 * partial group, two whole ones and a partial one. */
static void test_whole_groups(void)
{
    NEEDS_OPENCL;
    fl_model *md = tu_load_generated(3000, 7);
    CU_ASSERT_PTR_NOT_NULL_FATAL(md);
    for (int prop = FL_PROP_SYNCHRONOUS; prop <= FL_PROP_INSTANT; prop++)
        CU_ASSERT(same_on_both(md, "generated 3000, 2600 trials", 2600, 10, 700, prop, 3));
    fl_model_destroy(&md);
}

/* One word per batch: the engine runs the words one after the other, and
 * the results still equal OpenMP's single batch. */
static void test_batches(void)
{
    NEEDS_OPENCL;
    CU_ASSERT_FATAL(setenv("FAULTLINE_CL_MAX_WORDS", "1", 1) == 0);
    fl_model *md = tu_load_conformance("03_pool_replacement");
    CU_ASSERT_PTR_NOT_NULL_FATAL(md);
    for (int prop = FL_PROP_SYNCHRONOUS; prop <= FL_PROP_INSTANT; prop++) {
        CU_ASSERT(same_on_both(md, "03 in batches", 200, 25, 37, prop, 3));
        CU_ASSERT(same_on_both(md, "03 in batches", 65, 25, 0, prop, 1));
    }
    fl_model_destroy(&md);
    md = tu_load_generated(5000, 9);
    CU_ASSERT_PTR_NOT_NULL_FATAL(md);
    for (int prop = FL_PROP_SYNCHRONOUS; prop <= FL_PROP_INSTANT; prop++)
        CU_ASSERT(same_on_both(md, "generated 5000 in batches", 300, 10, 37, prop, 2));
    /* 3 words per batch: a last batch of 2 (8 words in all) */
    CU_ASSERT_FATAL(setenv("FAULTLINE_CL_MAX_WORDS", "3", 1) == 0);
    CU_ASSERT(same_on_both(md, "generated 5000 in batches of 3", 500, 10, 5, FL_PROP_SYNCHRONOUS, 3));
    fl_model_destroy(&md);
    unsetenv("FAULTLINE_CL_MAX_WORDS");
}

/* Progress counts the steps of all batches; stopping works in any batch. */
static int count_progress(void *data, uint32_t done, uint32_t total)
{
    uint32_t *seen = data;
    seen[0]++;
    seen[1] = done;
    seen[2] = total;
    return 0;
}

static void test_batch_progress(void)
{
    NEEDS_OPENCL;
    CU_ASSERT_FATAL(setenv("FAULTLINE_CL_MAX_WORDS", "1", 1) == 0);
    fl_model *md = tu_load_conformance("01_sis_triangle");
    CU_ASSERT_PTR_NOT_NULL_FATAL(md);
    fl_run_options o;
    fl_run_options_init(&o);
    o.backend = FL_BACKEND_OPENCL;
    o.trials = 256; /* 4 words, 4 batches */
    o.steps = 10;
    uint32_t seen[3] = {0, 0, 0};
    o.progress = count_progress;
    o.progress_data = seen;
    fl_sim *sim = NULL;
    CU_ASSERT_FATAL(fl_sim_create(&sim, md, &o, NULL, 0) == FL_OK);
    CU_ASSERT(fl_sim_run(sim) == FL_OK);
    CU_ASSERT(seen[0] == 40 && seen[1] == 40 && seen[2] == 40);
    fl_sim_destroy(&sim);
    fl_model_destroy(&md);
    unsetenv("FAULTLINE_CL_MAX_WORDS");
}

/* ------------------------------------------------------------- devices */

static void test_devices_and_choice(void)
{
    NEEDS_OPENCL;
    size_t count = 0;
    char msg[4096];
    CU_ASSERT_FATAL(fl_devices_list(NULL, 0, &count, msg, sizeof msg) == FL_OK);
    CU_ASSERT_FATAL(count >= 1);
    fl_device_info *dev = calloc(count, sizeof *dev);
    CU_ASSERT_FATAL(dev != NULL);
    CU_ASSERT(fl_devices_list(dev, count, &count, msg, sizeof msg) == FL_OK);
    const fl_device_info *use = NULL;
    for (size_t i = 0; i < count && !use; i++)
        if (dev[i].usable && dev[i].device_index >= 0)
            use = &dev[i];
    CU_ASSERT_FATAL(use != NULL);
    CU_ASSERT(use->name[0] && use->platform_name[0] && use->compute_units > 0 && use->global_memory > 0);

    fl_model *md = tu_load_conformance("01_sis_triangle");
    CU_ASSERT_PTR_NOT_NULL_FATAL(md);
    fl_run_options o;
    fl_run_options_init(&o);
    o.trials = 10;
    o.steps = 2;
    fl_sim *sim = NULL;

    /* by index and by a name substring in another case */
    char pidx[16], didx[16], sub[8];
    snprintf(pidx, sizeof pidx, "%d", use->platform_index);
    snprintf(didx, sizeof didx, "%d", use->device_index);
    snprintf(sub, sizeof sub, "%.3s", use->name);
    for (char *c = sub; *c; c++)
        *c = (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : (*c >= 'A' && *c <= 'Z' ? *c + 32 : *c));
    o.backend = FL_BACKEND_OPENCL;
    o.platform = pidx;
    o.device = didx;
    CU_ASSERT(fl_sim_create(&sim, md, &o, msg, sizeof msg) == FL_OK);
    CU_ASSERT(sim && !strcmp(fl_sim_backend(sim), "opencl") && !strcmp(fl_sim_device(sim), use->name));
    CU_ASSERT(sim && strstr(fl_sim_backend_note(sim), use->name) != NULL);
    fl_sim_destroy(&sim);
    o.platform = NULL;
    o.device = sub;
    CU_ASSERT(fl_sim_create(&sim, md, &o, msg, sizeof msg) == FL_OK);
    fl_sim_destroy(&sim);

    /* no such device: an error for opencl, OpenMP for auto */
    o.device = "no-such-device-xyz";
    CU_ASSERT(fl_sim_create(&sim, md, &o, msg, sizeof msg) == FL_E_BACKEND);
    CU_ASSERT(sim == NULL && strstr(msg, "no-such-device-xyz") != NULL);
    o.device = NULL;
    o.platform = "99";
    CU_ASSERT(fl_sim_create(&sim, md, &o, msg, sizeof msg) == FL_E_BACKEND);
    o.backend = FL_BACKEND_AUTO;
    CU_ASSERT(fl_sim_create(&sim, md, &o, msg, sizeof msg) == FL_OK);
    CU_ASSERT(sim && !strcmp(fl_sim_backend(sim), "openmp") && strstr(fl_sim_backend_note(sim), "99") != NULL);
    fl_sim_destroy(&sim);

    /* the environment is the fallback; the option wins over it */
    o.platform = NULL;
    CU_ASSERT_FATAL(setenv("FAULTLINE_DEVICE", "no-such-device-xyz", 1) == 0);
    o.backend = FL_BACKEND_OPENCL;
    CU_ASSERT(fl_sim_create(&sim, md, &o, msg, sizeof msg) == FL_E_BACKEND);
    o.device = didx;
    o.platform = pidx;
    CU_ASSERT(fl_sim_create(&sim, md, &o, msg, sizeof msg) == FL_OK);
    fl_sim_destroy(&sim);
    unsetenv("FAULTLINE_DEVICE");

    /* auto prefers an OpenCL device to OpenMP */
    o.backend = FL_BACKEND_AUTO;
    o.platform = o.device = NULL;
    CU_ASSERT(fl_sim_create(&sim, md, &o, msg, sizeof msg) == FL_OK);
    CU_ASSERT(sim && !strcmp(fl_sim_backend(sim), "opencl"));
    fl_sim_destroy(&sim);
    fl_model_destroy(&md);
    free(dev);
}

/* ------------------------------------------------- kernel source on disk */

static int create_with_source(const fl_model *md, const char *source_path, char *msg, size_t size)
{
    fl_run_options o;
    fl_run_options_init(&o);
    o.backend = FL_BACKEND_OPENCL;
    o.trials = 100;
    o.steps = 5;
    fl_sim *sim = NULL;
    setenv("FAULTLINE_KERNEL_SOURCE", source_path, 1);
    int status = fl_sim_create(&sim, md, &o, msg, size);
    unsetenv("FAULTLINE_KERNEL_SOURCE");
    if (status == FL_OK)
        status = fl_sim_run(sim);
    fl_sim_destroy(&sim);
    return status;
}

static void test_kernel_source(void)
{
    NEEDS_OPENCL;
    char path[600], msg[8192];
    fl_model *md = tu_load_conformance("02_supervised_pair");
    CU_ASSERT_PTR_NOT_NULL_FATAL(md);

    /* the source tree's step.cl, with its headers found on the include path */
    snprintf(path, sizeof path, "%s/../kernels/step.cl", FL_TEST_DATA);
    CU_ASSERT(create_with_source(md, path, msg, sizeof msg) == FL_OK);

    /* a syntax error: FL_E_BACKEND with the compiler's log */
    const char *broken = tu_write("broken.cl", "#include \"step.cl\"\n__kernel void fl_broken(void) { int x = ; }\n");
    CU_ASSERT(create_with_source(md, broken, msg, sizeof msg) == FL_E_BACKEND);
    CU_ASSERT(strstr(msg, "build log") != NULL && strstr(msg, "error") != NULL);

    /* a warning is an error (-Werror) */
    const char *warns = tu_write("warns.cl", "#warning faultline-test-warning\n#include \"step.cl\"\n");
    CU_ASSERT(create_with_source(md, warns, msg, sizeof msg) == FL_E_BACKEND);
    CU_ASSERT(strstr(msg, "faultline-test-warning") != NULL);

    /* missing file */
    CU_ASSERT(create_with_source(md, "/nonexistent/step.cl", msg, sizeof msg) == FL_E_BACKEND);
    CU_ASSERT(strstr(msg, "/nonexistent/step.cl") != NULL);
    fl_model_destroy(&md);
}

/* -------------------------------------------------- without any platform */

/* Runs the faultline command with OCL_ICD_VENDORS=/nonexistent (the ICD
 * loader then finds no driver); returns the exit code, stderr in err. */
static int run_without_platform(const char *const *args, char *err, size_t err_size)
{
    char epath[600];
    snprintf(epath, sizeof epath, "%s/noplatform.err", tu_tmpdir());
    const char *argv[16];
    int argc = 0;
    argv[argc++] = FL_TEST_BINARY;
    for (; *args && argc < 15; args++)
        argv[argc++] = *args;
    argv[argc] = NULL;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        int e = open(epath, O_WRONLY | O_CREAT | O_TRUNC, 0644), o = open("/dev/null", O_WRONLY);
        if (e < 0 || o < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
            _exit(126);
        setenv("OCL_ICD_VENDORS", "/nonexistent", 1);
        unsetenv("OPENCL_VENDOR_PATH");
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    err[0] = '\0';
    FILE *f = fopen(epath, "r");
    if (f) {
        size_t len = fread(err, 1, err_size - 1, f);
        err[len] = '\0';
        fclose(f);
    }
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static void test_no_platform(void)
{
    char model[600], out[600], err[8192];
    snprintf(model, sizeof model, "%s/conformance/01_sis_triangle.yaml", FL_TEST_DATA);
    snprintf(out, sizeof out, "%s/noplatform.h5", tu_tmpdir());

    const char *opencl[] = {"run", model, "-o", out, "--trials", "10", "--steps", "3", "--backend", "opencl", NULL};
    int code = run_without_platform(opencl, err, sizeof err);
    CU_ASSERT(code == 69);
    CU_ASSERT(strstr(err, "OpenCL") != NULL);
    CU_ASSERT(access(out, F_OK) != 0);
    if (code != 69)
        fprintf(stderr, "\n  --backend opencl without a platform: exit %d, stderr: %s\n", code, err);

    const char *autob[] = {"run", model, "-o", out, "--trials", "10", "--steps", "3", "--backend", "auto", NULL};
    code = run_without_platform(autob, err, sizeof err);
    CU_ASSERT(code == 0);
    CU_ASSERT(strstr(err, "openmp") != NULL);
    CU_ASSERT(access(out, F_OK) == 0);
    if (code != 0 || !strstr(err, "openmp"))
        fprintf(stderr, "\n  --backend auto without a platform: exit %d, stderr: %s\n", code, err);
    unlink(out);

    const char *devices[] = {"devices", NULL};
    CU_ASSERT(run_without_platform(devices, err, sizeof err) == 69);
    CU_ASSERT(strstr(err, "OpenCL") != NULL);
}

int main(void)
{
    char msg[1024];
    size_t count = 0;
    int status = fl_devices_list(NULL, 0, &count, msg, sizeof msg);
    fl_device_info *dev = count ? calloc(count, sizeof *dev) : NULL;
    if (status == FL_OK && dev && fl_devices_list(dev, count, &count, msg, sizeof msg) == FL_OK)
        for (size_t i = 0; i < count; i++)
            have_opencl |= dev[i].usable && dev[i].device_index >= 0;
    free(dev);
    if (!have_opencl)
        printf("test_opencl: SKIPPING the OpenCL comparisons: %s\n", status == FL_OK ? "no usable OpenCL device" : msg);

    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    CU_pSuite s = CU_add_suite("opencl", NULL, NULL);
    CU_add_test(s, "conformance models: OpenCL equals OpenMP bit for bit", test_conformance_models);
    CU_add_test(s, "generated models with every feature: OpenCL equals OpenMP", test_generated_models);
    CU_add_test(s, "a generated model of 20,000 vertices: OpenCL equals OpenMP", test_large_generated_model);
    CU_add_test(s, "whole groups of 1024 trials: OpenCL equals OpenMP", test_whole_groups);
    CU_add_test(s, "the event form: OpenCL equals OpenMP, in one batch and in batches", test_event_form);
    CU_add_test(s, "trial words in batches of 1 and 3 give the same results", test_batches);
    CU_add_test(s, "progress counts the steps of every batch", test_batch_progress);
    CU_add_test(s, "devices are listed and chosen by index, name and environment", test_devices_and_choice);
    CU_add_test(s, "kernels from FAULTLINE_KERNEL_SOURCE; build errors carry the log", test_kernel_source);
    CU_add_test(s, "without an OpenCL platform: opencl exits 69, auto runs on openmp", test_no_platform);
    return tu_main();
}
