/*
 * test_cli.c - the faultline command of INTERFACE.md, run as a program.
 *
 * Every test runs the built binary (FL_TEST_BINARY) in a child process with
 * its stdout and stderr in files of tu_tmpdir(), and checks the exit code
 * (sysexits), what it printed and what it left on disk: usage errors, the
 * check and info commands, the run command's output file (written in full
 * or not at all), the default output name, progress lines, and the results
 * file itself, read with the HDF5 C API (datasets, types, shapes, scales,
 * root attributes), including the threads rule and thread-count invariance.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <hdf5.h>
#include <hdf5_hl.h>

#include "rng.h"
#include "testutil.h"

/* ------------------------------------------------------------ running */

/* What the last command did. */
static int code;          /* exit status, or 128 + signal */
static char out[1 << 16]; /* stdout, truncated */
static char err[1 << 16]; /* stderr, truncated */

/* TMPDIR/name in a rotating set of static buffers: for arguments; a path a
 * test keeps across commands is copied with PATH. */
static const char *tmp(const char *name)
{
    static char buf[32][512];
    static int next;
    char *p = buf[next++ % 32];
    snprintf(p, sizeof buf[0], "%s/%s", tu_tmpdir(), name);
    return p;
}

#define PATH(var, value)                                                                                               \
    char var[600];                                                                                                     \
    snprintf(var, sizeof var, "%s", value)

static void slurp(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(buf, 1, size - 1, f) : 0;
    buf[n] = '\0';
    if (f)
        fclose(f);
}

/*
 * Starts the binary with args (NULL-terminated, after argv[0]); an arg
 * "@NAME" stands for TMPDIR/NAME.  cwd (may be NULL) is the child's working
 * directory; env entries "NAME=VALUE" set and "NAME" unset a variable.
 * Returns the child's pid; stdout and stderr go to cli.out and cli.err.
 */
static pid_t start(const char *cwd, const char *const *env, const char *const *args)
{
    char *argv[32], opath[600], epath[600], dir[600];
    int argc = 0;
    snprintf(dir, sizeof dir, "%s", cwd ? cwd : "");
    snprintf(opath, sizeof opath, "%s/cli.out", tu_tmpdir());
    snprintf(epath, sizeof epath, "%s/cli.err", tu_tmpdir());
    argv[argc++] = (char *)FL_TEST_BINARY;
    for (; *args && argc < 31; args++)
        argv[argc++] = (*args)[0] == '@' ? strdup(tmp(*args + 1)) : strdup(*args);
    argv[argc] = NULL;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        int o = open(opath, O_WRONLY | O_CREAT | O_TRUNC, 0644), e = open(epath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int in = open("/dev/null", O_RDONLY);
        if (o < 0 || e < 0 || in < 0 || dup2(in, 0) < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
            _exit(126);
        if (dir[0] && chdir(dir) != 0)
            _exit(126);
        for (; env && *env; env++) {
            const char *eq = strchr(*env, '=');
            if (eq) {
                char name[128];
                snprintf(name, sizeof name, "%.*s", (int)(eq - *env), *env);
                setenv(name, eq + 1, 1);
            } else {
                unsetenv(*env);
            }
        }
        execv(argv[0], argv);
        _exit(127);
    }
    for (int i = 1; i < argc; i++)
        free(argv[i]);
    return pid;
}

/* Waits for pid (killing it after 5 minutes) and collects its exit code and output. */
static int finish(pid_t pid)
{
    int st = 0;
    code = -1;
    for (int i = 0; pid > 0; i++) {
        pid_t r = waitpid(pid, &st, WNOHANG);
        if (r == pid) {
            code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
            break;
        }
        if (r < 0 && errno != EINTR)
            break;
        if (i == 30000) {
            fprintf(stderr, "\n  faultline did not finish in 5 minutes: killed");
            kill(pid, SIGKILL);
        }
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    PATH(opath, tmp("cli.out"));
    PATH(epath, tmp("cli.err"));
    slurp(opath, out, sizeof out);
    slurp(epath, err, sizeof err);
    return code;
}

static int run_in(const char *cwd, const char *const *env, const char *const *args)
{
    return finish(start(cwd, env, args));
}

#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})
/* faultline ARGS... in TMPDIR/work with the environment as it is. */
#define CLI(...) run_in(tmp("work"), NULL, ARGS(__VA_ARGS__))

/* Prints what the command did when cond fails. */
#define CHECK_CLI(cond)                                                                                                \
    do {                                                                                                               \
        int ok_ = (cond);                                                                                              \
        if (!ok_)                                                                                                      \
            fprintf(stderr, "\n  line %d: exit %d\n  stdout: %s\n  stderr: %s\n", __LINE__, code, out, err);           \
        CU_ASSERT(ok_);                                                                                                \
    } while (0)

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Number of entries in a directory, -1 if it cannot be read; their names go to stderr when that is not expected. */
static int entries(const char *dir, int expected)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    if (!d)
        return -1;
    while ((e = readdir(d)) != NULL)
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    rewinddir(d);
    while (n != expected && (e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            fprintf(stderr, "\n  in %s: %s", dir, e->d_name);
    closedir(d);
    return n;
}

/* A fresh empty directory TMPDIR/name (emptied if it exists). */
static const char *fresh_dir(const char *name)
{
    const char *dir = tmp(name);
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        char path[1024];
        while ((e = readdir(d)) != NULL)
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
                snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
                remove(path);
            }
        closedir(d);
    } else {
        mkdir(dir, 0755);
    }
    return dir;
}

static uint64_t int_attr(hid_t f, const char *name);

/* Removes a tree of plain files and directories. */
static void rm_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *e;
        char sub[1024];
        while (d && (e = readdir(d)) != NULL)
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
                snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
                rm_tree(sub);
            }
        if (d)
            closedir(d);
    }
    remove(path);
}

/* ------------------------------------------------------------ models */

static const char small_yaml[] = "faultline: 1\n"
                                 "name: smallnet\n"
                                 "classes:\n"
                                 "  app: { p_fail: 0.05, p_repair: 0.2 }\n"
                                 "vertices:\n"
                                 "  - { name: db, p_fail: 0.02, p_repair: 0.1 }\n"
                                 "  - { name: w1, class: app }\n"
                                 "  - { name: w2, class: app }\n"
                                 "  - { name: lb, threshold: 2 }\n"
                                 "edges:\n"
                                 "  - { from: db, to: w1 }\n"
                                 "  - { from: db, to: w2 }\n"
                                 "  - { from: w1, to: lb }\n"
                                 "  - { from: w2, to: lb }\n"
                                 "targets: { vertices: [lb] }\n"
                                 "simulation: { steps: 20, trials: 64, seed: 3 }\n";
#define SMALL_N 4

static int cli_suite_init(void)
{
    tu_write("small.yaml", small_yaml);
    tu_write("my.model.yaml", small_yaml);
    tu_write("bad.yaml", "faultline: 1\nvertices:\n  - { name: a, p_fail: 1.5 }\n");
    tu_write("notes.txt", "not an HDF5 file\n");
    tu_write("nograph.yaml", "faultline: 1\ngraph: { path: nograph.txt }\n");
    fresh_dir("work");
    return 0;
}

/* ------------------------------------------------------------ usage and exit codes */

typedef struct cli_case {
    const char *args[8];
    int code;
    const char *in_out, *in_err; /* substrings of stdout and stderr, or NULL */
} cli_case;

static const cli_case cli_cases[] = {
    {{"--version"}, 0, FL_VERSION_STRING, NULL},
    {{"--version"}, 0, "HDF5", NULL},
    {{"--help"}, 0, "usage", NULL},
    {{NULL}, 64, NULL, "faultline"},
    {{"frobnicate"}, 64, NULL, "frobnicate"},
    {{"run", "@small.yaml", "--bogus"}, 64, NULL, "bogus"},
    {{"run", "@small.yaml", "--trials", "abc"}, 64, NULL, "--trials"},
    {{"run", "@small.yaml", "--trials", "0"}, 64, NULL, "--trials"},
    {{"run", "@small.yaml", "--trials", "1.5"}, 64, NULL, "--trials"},
    {{"run", "@small.yaml", "--steps", "-1"}, 64, NULL, "--steps"},
    {{"run", "@small.yaml", "--seed", "x"}, 64, NULL, "--seed"},
    {{"run", "@small.yaml", "--trial-offset", "-3"}, 64, NULL, "--trial-offset"},
    {{"run", "@small.yaml", "--threads", "0"}, 64, NULL, "--threads"},
    {{"run", "@small.yaml", "--vertex-series", "0"}, 64, NULL, "--vertex-series"},
    {{"run", "@small.yaml", "--backend", "cuda"}, 64, NULL, "--backend"},
    {{"run", "@small.yaml", "--hits", "every"}, 64, NULL, "--hits"},
    {{"run"}, 64, NULL, NULL},
    {{"run", "@small.yaml", "@small.yaml"}, 64, NULL, NULL},
    {{"check"}, 64, NULL, NULL},
    {{"info"}, 64, NULL, NULL},
    {{"run", "@small.yaml", "--backend", "opencl", "--platform", "no-such-platform"}, 69, NULL, "no-such-platform"},
    {{"steady", "@small.yaml"}, 69, NULL, "steady"},
    {{"check", "@bad.yaml"}, 65, NULL, "bad.yaml:3:"},
    {{"check", "@bad.yaml"}, 65, NULL, "'p_fail'"},
    {{"check", "@missing.yaml"}, 66, NULL, "missing.yaml"},
    {{"check", "@nograph.yaml"}, 66, NULL, "nograph.txt"},
    {{"run", "@missing.yaml", "-o", "@work/missing.h5"}, 66, NULL, "missing.yaml"},
    {{"info", "@missing.h5"}, 66, NULL, "missing.h5"},
    {{"info", "@notes.txt"}, 65, NULL, "notes.txt"},
    {{"info", "@small.yaml"}, 65, NULL, NULL},
};

static void test_exit_codes(void)
{
    for (size_t i = 0; i < sizeof cli_cases / sizeof cli_cases[0]; i++) {
        const cli_case *c = &cli_cases[i];
        run_in(tmp("work"), NULL, c->args);
        int ok = code == c->code && (!c->in_out || strstr(out, c->in_out)) && (!c->in_err || strstr(err, c->in_err));
        if (!ok) {
            fprintf(stderr, "\n  case %zu: faultline", i);
            for (int a = 0; c->args[a]; a++)
                fprintf(stderr, " %s", c->args[a]);
            fprintf(stderr, "\n  exit %d (expected %d)\n  stdout: %s\n  stderr: %s\n", code, c->code, out, err);
        }
        CU_ASSERT(ok);
    }
    /* none of them wrote anything in the working directory */
    CU_ASSERT_EQUAL(entries(tmp("work"), 0), 0);
}

/* The number on the line of stdout that starts with key, -1 if none. */
static long number_after(const char *text, const char *key)
{
    for (const char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
        if (!strncmp(line, key, strlen(key)))
            return strtol(line + strlen(key), NULL, 10);
    return -1;
}

static void test_check(void)
{
    CLI("check", tmp("small.yaml"));
    CHECK_CLI(code == 0 && number_after(out, "vertices") == SMALL_N && number_after(out, "edges") == 4);
    CHECK_CLI(strstr(out, "smallnet") != NULL && number_after(out, "classes") == 1 &&
              number_after(out, "targets") == 1);
}

/* ------------------------------------------------------------ run: files */

static void test_run_writes_file(void)
{
    PATH(dir, fresh_dir("runout"));
    PATH(res, tmp("runout/r.h5"));
    CLI("run", tmp("small.yaml"), "-o", res, "--trials", "50", "--steps", "8", "--quiet");
    CHECK_CLI(code == 0 && err[0] == '\0');
    CU_ASSERT(exists(res));
    CU_ASSERT_EQUAL(entries(dir, 1), 1); /* no temporary left beside it */
    /* options override the model's simulation block, which gives the rest */
    hid_t f = H5Fopen(res, H5F_ACC_RDONLY, H5P_DEFAULT);
    CU_ASSERT(f >= 0 && int_attr(f, "trials") == 50 && int_attr(f, "steps") == 8 && int_attr(f, "seed") == 3);
    if (f >= 0)
        H5Fclose(f);

    /* without --quiet, not on a terminal: timestamped progress lines, a summary */
    CLI("run", tmp("small.yaml"), "-o", res, "--trials", "50", "--steps", "8");
    int stamped = 0;
    for (const char *l = err; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
        int y, mo, d, h, mi, s;
        if (sscanf(l, "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s) == 6 && strstr(l, "step") &&
            strstr(l, "step") < strchr(l, '\n'))
            stamped++;
    }
    CHECK_CLI(code == 0 && stamped >= 1);
    CHECK_CLI(strstr(err, "backend auto: open") != NULL); /* --backend auto says what it picked */
    CHECK_CLI(strstr(out, "smallnet") != NULL && strstr(out, res) != NULL);
    CU_ASSERT_EQUAL(entries(dir, 1), 1);

    /* info on it */
    CLI("info", res);
    CHECK_CLI(code == 0 && strstr(out, "smallnet") != NULL);
}

/* --stats-json PATH: one JSON object with the sizes and the phase times;
 * an unwritable PATH fails before the run (exit 73) and leaves no OUT. */
static void test_run_stats_json(void)
{
    PATH(dir, fresh_dir("stats"));
    PATH(res, tmp("stats/r.h5"));
    PATH(js, tmp("stats/s.json"));
    CLI("run", tmp("small.yaml"), "-o", res, "--trials", "70", "--steps", "8", "--quiet", "--stats-json", js);
    CHECK_CLI(code == 0 && err[0] == '\0');
    static char text[4096];
    slurp(js, text, sizeof text);
    const char *keys[] = {"\"load_s\"",
                          "\"run_s\"",
                          "\"step_s\"",
                          "\"write_s\"",
                          "\"total_s\"",
                          "\"peak_rss_bytes\"",
                          "\"edge_trial_steps_per_s\"",
                          "\"backend\""};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        CU_ASSERT(strstr(text, keys[i]) != NULL);
    CU_ASSERT(strstr(text, "\"trials\": 70,") != NULL && strstr(text, "\"steps\": 8,") != NULL);
    CU_ASSERT(text[0] == '{' && strchr(text, '}') != NULL);
    PATH(res2, tmp("stats/r2.h5"));
    CLI("run", tmp("small.yaml"), "-o", res2, "--quiet", "--stats-json", tmp("stats/nodir/s.json"));
    CHECK_CLI(code == 73);
    CU_ASSERT(!exists(res2));
}

static void test_run_errors_leave_nothing(void)
{
    PATH(dir, fresh_dir("failout"));
    PATH(res, tmp("failout/r.h5"));
    /* a bad model: 65, the file and line on stderr, nothing in the directory */
    CLI("run", tmp("bad.yaml"), "-o", res);
    CHECK_CLI(code == 65 && strstr(err, "bad.yaml:3:") != NULL);
    CU_ASSERT_EQUAL(entries(dir, 0), 0);
    /* a missing model: 66 */
    CLI("run", tmp("nothere.yaml"), "-o", res);
    CHECK_CLI(code == 66);
    CU_ASSERT_EQUAL(entries(dir, 0), 0);
    /* the output's directory does not exist: 73, nothing created */
    CLI("run", tmp("small.yaml"), "-o", tmp("failout/nodir/r.h5"), "--quiet");
    CHECK_CLI(code == 73);
    CU_ASSERT(!exists(tmp("failout/nodir")));
    CU_ASSERT_EQUAL(entries(dir, 0), 0);
    /* the output is a directory: 73 */
    CLI("run", tmp("small.yaml"), "-o", dir, "--quiet");
    CHECK_CLI(code == 73);
    CU_ASSERT_EQUAL(entries(dir, 0), 0);
}

/* SIGTERM during a run: 75, and nothing at OUT (checkpoints are not in this version). */
static void test_interrupted_run(void)
{
    PATH(dir, fresh_dir("killout"));
    PATH(res, tmp("killout/r.h5"));
    char line[64];
    FILE *g = fopen(tmp("ring.txt"), "w");
    CU_ASSERT_FATAL(g != NULL);
    for (int i = 0; i < 20000; i++) {
        snprintf(line, sizeof line, "%d %d\n%d %d\n", i, (i + 1) % 20000, i, (i * 37 + 11) % 20000);
        fputs(line, g);
    }
    fclose(g);
    tu_write("long.yaml", "faultline: 1\ndefaults: { p_fail: 0.01, p_repair: 0.1 }\ngraph: { path: ring.txt }\n");
    pid_t pid =
        start(tmp("work"), NULL,
              ARGS("run", tmp("long.yaml"), "-o", res, "--trials", "2048", "--steps", "2000", "--threads", "1"));
    /* wait for the first progress line: by then the signal handlers are set */
    int seen = 0;
    PATH(epath, tmp("cli.err"));
    for (int i = 0; i < 3000 && !seen; i++) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
        slurp(epath, err, sizeof err);
        seen = strstr(err, "step") != NULL;
    }
    CU_ASSERT(seen);
    kill(pid, SIGTERM);
    finish(pid);
    CHECK_CLI(code == 75);
    CU_ASSERT(!exists(res));
    CU_ASSERT_EQUAL(entries(dir, 0), 0);
}

/* Default output: MODEL-stem.h5 in the current directory. */
static void test_default_output(void)
{
    PATH(cwd, fresh_dir("cwd"));
    run_in(cwd, NULL, ARGS("run", tmp("small.yaml"), "--trials", "8", "--steps", "2", "--quiet"));
    CHECK_CLI(code == 0);
    CU_ASSERT(exists(tmp("cwd/small.h5")));
    CU_ASSERT_EQUAL(entries(cwd, 1), 1);
}

/* The stem drops the last extension only, as the model's default name does. */
static void test_default_output_dotted(void)
{
    PATH(cwd, fresh_dir("cwd2"));
    run_in(cwd, NULL, ARGS("run", tmp("my.model.yaml"), "--trials", "8", "--steps", "2", "--quiet"));
    CHECK_CLI(code == 0);
    if (!exists(tmp("cwd2/my.model.h5")))
        entries(cwd, 0); /* shows what was written instead */
    CU_ASSERT(exists(tmp("cwd2/my.model.h5")));
}

/* ------------------------------------------------------------ the results file */

/* Reads a root attribute as a string (fixed or variable length) into buf; 0 or -1. */
static int str_attr(hid_t f, const char *name, char *buf, size_t size)
{
    int rc = -1;
    buf[0] = '\0';
    if (H5Aexists(f, name) <= 0)
        return -1;
    hid_t a = H5Aopen(f, name, H5P_DEFAULT), t = H5Aget_type(a), m = H5Tcopy(H5T_C_S1);
    if (H5Tget_class(t) == H5T_STRING) {
        if (H5Tis_variable_str(t) > 0) {
            char *s = NULL;
            H5Tset_size(m, H5T_VARIABLE);
            H5Tset_cset(m, H5Tget_cset(t));
            if (H5Aread(a, m, &s) >= 0 && s) {
                snprintf(buf, size, "%s", s);
                H5free_memory(s);
                rc = 0;
            }
        } else {
            size_t n = H5Tget_size(t);
            char *s = calloc(n + 1, 1);
            H5Tset_size(m, n);
            if (s && H5Aread(a, m, s) >= 0) {
                snprintf(buf, size, "%s", s);
                rc = 0;
            }
            free(s);
        }
    }
    H5Tclose(m);
    H5Tclose(t);
    H5Aclose(a);
    return rc;
}

/* A root attribute as an unsigned integer; UINT64_MAX when missing or not an integer. */
static uint64_t int_attr(hid_t f, const char *name)
{
    uint64_t v = UINT64_MAX;
    if (H5Aexists(f, name) <= 0)
        return v;
    hid_t a = H5Aopen(f, name, H5P_DEFAULT), t = H5Aget_type(a);
    if (H5Tget_class(t) != H5T_INTEGER || H5Aread(a, H5T_NATIVE_UINT64, &v) < 0)
        v = UINT64_MAX;
    H5Tclose(t);
    H5Aclose(a);
    return v;
}

/* Checks a dataset's type and shape; dims[1] < 0 means rank 1, dims[1] == 0 means any. */
typedef struct ds_spec {
    const char *name;
    H5T_class_t cls;
    size_t size;  /* bytes; 0 for strings */
    int sign;     /* H5T_SGN_2, H5T_SGN_NONE, or -1 (not an integer) */
    long dims[2]; /* in the file's dimension order */
} ds_spec;

static int check_dataset(hid_t f, const ds_spec *d)
{
    if (H5Lexists(f, d->name, H5P_DEFAULT) <= 0) {
        fprintf(stderr, "\n  dataset '%s' missing", d->name);
        return 0;
    }
    hid_t ds = H5Dopen2(f, d->name, H5P_DEFAULT), t = H5Dget_type(ds), sp = H5Dget_space(ds);
    hsize_t dims[2] = {0, 0};
    int rank = H5Sget_simple_extent_ndims(sp), want_rank = d->dims[1] < 0 ? 1 : 2;
    H5Sget_simple_extent_dims(sp, dims, NULL);
    int ok = H5Tget_class(t) == d->cls && rank == want_rank && (long)dims[0] == d->dims[0] &&
             (rank == 1 || d->dims[1] == 0 || (long)dims[1] == d->dims[1]);
    if (d->size)
        ok = ok && H5Tget_size(t) == d->size;
    if (d->sign >= 0)
        ok = ok && (int)H5Tget_sign(t) == d->sign;
    if (!ok)
        fprintf(stderr, "\n  dataset '%s': class %d size %zu sign %d rank %d dims %llu x %llu", d->name,
                (int)H5Tget_class(t), H5Tget_size(t), (int)H5Tget_sign(t), rank, (unsigned long long)dims[0],
                rank > 1 ? (unsigned long long)dims[1] : 0ull);
    H5Sclose(sp);
    H5Tclose(t);
    H5Dclose(ds);
    return ok;
}

/* Reads a whole dataset as mem_type into a new buffer of count elements; NULL if it fails. */
static void *read_all(hid_t f, const char *name, hid_t mem_type, size_t elem, size_t *count)
{
    if (H5Lexists(f, name, H5P_DEFAULT) <= 0)
        return NULL;
    hid_t ds = H5Dopen2(f, name, H5P_DEFAULT), sp = H5Dget_space(ds);
    hssize_t n = H5Sget_simple_extent_npoints(sp);
    void *buf = malloc(n > 0 ? (size_t)n * elem : 1);
    if (buf && H5Dread(ds, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0) {
        free(buf);
        buf = NULL;
    }
    *count = n > 0 ? (size_t)n : 0;
    H5Sclose(sp);
    H5Dclose(ds);
    return buf;
}

/* Is dataset name's dimension dim attached to the scale called scale? */
static int attached(hid_t f, const char *name, unsigned dim, const char *scale)
{
    hid_t ds = H5Dopen2(f, name, H5P_DEFAULT), sc = H5Dopen2(f, scale, H5P_DEFAULT);
    int ok = ds >= 0 && sc >= 0 && H5DSis_scale(sc) > 0 && H5DSis_attached(ds, sc, dim) > 0;
    if (sc >= 0)
        H5Dclose(sc);
    if (ds >= 0)
        H5Dclose(ds);
    return ok;
}

#define N_TRIALS 37
#define N_STEPS 12

static void test_results_content(void)
{
    PATH(res, tmp("content.h5"));
    CLI("run", tmp("small.yaml"), "-o", res, "--trials", "37", "--steps", "12", "--seed", "4242", "--trial-offset", "5",
        "--vertex-series", "3", "--quiet");
    CHECK_CLI(code == 0);
    hid_t f = H5Fopen(res, H5F_ACC_RDONLY, H5P_DEFAULT);
    CU_ASSERT_FATAL(f >= 0);

    /* root attributes */
    static const char *const attrs[] = {
        "Conventions", "title",  "faultline_version", "model_name", "model_yaml",  "model_sha256",
        "seed",        "trials", "trial_offset",      "steps",      "propagation", "backend",
        "device",      "hits",   "random_mapping",    "created",    "command",     "complete"};
    for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++) {
        if (H5Aexists(f, attrs[i]) <= 0)
            fprintf(stderr, "\n  attribute '%s' missing", attrs[i]);
        CU_ASSERT(H5Aexists(f, attrs[i]) > 0);
    }
    char s[4096];
    CU_ASSERT_EQUAL(int_attr(f, "complete"), 1);
    CU_ASSERT_EQUAL(int_attr(f, "trials"), N_TRIALS);
    CU_ASSERT_EQUAL(int_attr(f, "trial_offset"), 5);
    CU_ASSERT_EQUAL(int_attr(f, "steps"), N_STEPS);
    CU_ASSERT_EQUAL(int_attr(f, "seed"), 4242);
    CU_ASSERT(str_attr(f, "model_name", s, sizeof s) == 0 && !strcmp(s, "smallnet"));
    CU_ASSERT(str_attr(f, "faultline_version", s, sizeof s) == 0 && !strcmp(s, FL_VERSION_STRING));
    CU_ASSERT(str_attr(f, "model_yaml", s, sizeof s) == 0 && !strcmp(s, small_yaml));
    CU_ASSERT(str_attr(f, "propagation", s, sizeof s) == 0 && !strcmp(s, "synchronous"));
    CU_ASSERT(str_attr(f, "hits", s, sizeof s) == 0 && !strcmp(s, "pull")); /* thresholds 2, q = 1 */
    CU_ASSERT(str_attr(f, "random_mapping", s, sizeof s) == 0 && !strcmp(s, FL_RNG_MAPPING));
    CU_ASSERT(str_attr(f, "model_sha256", s, sizeof s) == 0 && strlen(s) == 64);
    CU_ASSERT(str_attr(f, "command", s, sizeof s) == 0 && strstr(s, "--trial-offset 5") != NULL);

    /* datasets: types and shapes; the class axis holds the model's classes */
    size_t ncls = 0;
    char **cls = NULL;
    if (H5Lexists(f, "class", H5P_DEFAULT) > 0) {
        hid_t m = H5Tcopy(H5T_C_S1);
        H5Tset_size(m, H5T_VARIABLE);
        H5Tset_cset(m, H5T_CSET_UTF8);
        cls = read_all(f, "class", m, sizeof(char *), &ncls);
        H5Tclose(m);
    }
    CU_ASSERT(cls && ncls >= 1 && cls[0] && !strcmp(cls[0], "app"));
    for (size_t i = 0; cls && i < ncls; i++)
        H5free_memory(cls[i]);
    free(cls);
    const long T1 = N_STEPS + 1, N = N_TRIALS, n = SMALL_N;
    const ds_spec specs[] = {
        {"time", H5T_INTEGER, 4, H5T_SGN_2, {T1, -1}},
        {"trial", H5T_INTEGER, 8, H5T_SGN_2, {N, -1}},
        {"vertex", H5T_INTEGER, 8, H5T_SGN_2, {n, -1}},
        {"vertex_name", H5T_STRING, 0, -1, {n, -1}},
        {"down_fraction", H5T_FLOAT, 8, -1, {T1, -1}},
        {"system_down", H5T_FLOAT, 8, -1, {T1, -1}},
        {"down_count", H5T_INTEGER, 4, H5T_SGN_NONE, {N, T1}},
        {"system_down_trial", H5T_INTEGER, 1, H5T_SGN_NONE, {N, T1}},
        {"vertex_unavailability", H5T_FLOAT, 8, -1, {n, -1}},
        {"vertex_down_final", H5T_FLOAT, 8, -1, {n, -1}},
        {"vertex_down_series", H5T_FLOAT, 8, -1, {5, n}}, /* steps 0, 3, 6, 9, 12 */
        {"vtime", H5T_INTEGER, 0, -1, {5, -1}},
        {"class", H5T_STRING, 0, -1, {(long)ncls, -1}},
        {"class_down_fraction", H5T_FLOAT, 8, -1, {T1, (long)ncls}},
    };
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++)
        CU_ASSERT(check_dataset(f, &specs[i]));
    /* chunked, with shuffle and deflate */
    hid_t ds = H5Dopen2(f, "down_count", H5P_DEFAULT), dcpl = H5Dget_create_plist(ds);
    int shuffle = 0, deflate = 0;
    for (int i = 0; i < H5Pget_nfilters(dcpl); i++) {
        unsigned flags, cd[8];
        size_t ncd = 8;
        char fname[64];
        H5Z_filter_t id = H5Pget_filter2(dcpl, (unsigned)i, &flags, &ncd, cd, sizeof fname, fname, NULL);
        shuffle |= id == H5Z_FILTER_SHUFFLE;
        deflate |= id == H5Z_FILTER_DEFLATE;
    }
    CU_ASSERT(H5Pget_layout(dcpl) == H5D_CHUNKED && shuffle && deflate);
    H5Pclose(dcpl);
    H5Dclose(ds);

    /* every axis a dimension scale, attached where it is used */
    CU_ASSERT(attached(f, "down_count", 0, "trial") && attached(f, "down_count", 1, "time"));
    CU_ASSERT(attached(f, "system_down_trial", 0, "trial") && attached(f, "system_down", 0, "time"));
    CU_ASSERT(attached(f, "vertex_unavailability", 0, "vertex") && attached(f, "class_down_fraction", 1, "class"));
    CU_ASSERT(attached(f, "vertex_down_series", 0, "vtime") && attached(f, "vertex_down_series", 1, "vertex"));

    /* values of the scales and consistency of the tallies */
    size_t cnt = 0, cnt2 = 0;
    int64_t *trial = read_all(f, "trial", H5T_NATIVE_INT64, 8, &cnt);
    CU_ASSERT_FATAL(trial && cnt == N_TRIALS);
    for (size_t i = 0; i < cnt; i++)
        CU_ASSERT_EQUAL(trial[i], 5 + (int64_t)i);
    free(trial);
    int32_t *time = read_all(f, "time", H5T_NATIVE_INT32, 4, &cnt);
    CU_ASSERT_FATAL(time && cnt == N_STEPS + 1);
    CU_ASSERT(time[0] == 0 && time[N_STEPS] == N_STEPS && time[5] == 5);
    free(time);
    int32_t *vtime = read_all(f, "vtime", H5T_NATIVE_INT32, 4, &cnt);
    CU_ASSERT(vtime && cnt == 5 && vtime[0] == 0 && vtime[1] == 3 && vtime[4] == 12);
    free(vtime);
    uint32_t *dc = read_all(f, "down_count", H5T_NATIVE_UINT32, 4, &cnt);
    double *df = read_all(f, "down_fraction", H5T_NATIVE_DOUBLE, 8, &cnt2);
    CU_ASSERT_FATAL(dc && df && cnt == (size_t)(N * T1) && cnt2 == (size_t)T1);
    for (long t = 0; t < T1; t++) {
        double sum = 0;
        for (long i = 0; i < N; i++)
            sum += dc[i * T1 + t];
        CU_ASSERT_DOUBLE_EQUAL(df[t], sum / (double)(N * n), 1e-12);
    }
    free(dc);
    free(df);
    H5Fclose(f);
}

/* Reads a results file's down_count; NULL if it cannot. */
static uint32_t *down_count(const char *path, size_t *count)
{
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0)
        return NULL;
    uint32_t *dc = read_all(f, "down_count", H5T_NATIVE_UINT32, 4, count);
    H5Fclose(f);
    return dc;
}

/* The hit form: a model in push mode (q < 1/32, thresholds 1) says which
 * form ran in --stats-json, in the results' `hits` attribute and in
 * `info`: by default the event form where the model predicts a sparse
 * state (p_fail 0.001), push mode where not (p_fail 0.02); --hits asks for
 * one, taken where the model allows it. */
static void test_run_hits(void)
{
    PATH(dir, fresh_dir("hits"));
    const char *model = "faultline: 1\nname: sparse\n"
                        "defaults: { on_dependency: crash, p_fail: %s, p_repair: 0.2 }\n"
                        "vertices: [{name: a}, {name: b}, {name: c}]\n"
                        "edges: [{from: a, to: b, q: 0.02}, {from: b, to: c, q: 0.02}, {from: c, to: a, q: 0.02}]\n"
                        "simulation: { steps: 30, trials: 500, seed: 9 }\n";
    static char text[4096];
    snprintf(text, sizeof text, model, "0.02");
    tu_write("hits/m02.yaml", text);
    snprintf(text, sizeof text, model, "0.001");
    tu_write("hits/m001.yaml", text);
    struct {
        const char *model, *hits, *form;
    } cases[] = {{"hits/m02.yaml", NULL, "push"},    {"hits/m02.yaml", "pull", "pull"},
                 {"hits/m02.yaml", "push", "push"},  {"hits/m02.yaml", "event", "event"},
                 {"hits/m001.yaml", NULL, "event"},  {"hits/m001.yaml", "push", "push"},
                 {"hits/m001.yaml", "auto", "event"}};
    int ncases = (int)(sizeof cases / sizeof cases[0]);
    for (int i = 0; i < ncases; i++) {
        char name[64];
        snprintf(name, sizeof name, "hits/%d.h5", i);
        PATH(res, tmp(name));
        snprintf(name, sizeof name, "hits/%d.json", i);
        PATH(js, tmp(name));
        if (cases[i].hits)
            CLI("run", tmp(cases[i].model), "-o", res, "--quiet", "--stats-json", js, "--hits", cases[i].hits);
        else
            CLI("run", tmp(cases[i].model), "-o", res, "--quiet", "--stats-json", js);
        CHECK_CLI(code == 0);
        slurp(js, text, sizeof text);
        char want[32];
        snprintf(want, sizeof want, "\"hits\": \"%s\"", cases[i].form);
        CU_ASSERT(strstr(text, want) != NULL);
        hid_t f = H5Fopen(res, H5F_ACC_RDONLY, H5P_DEFAULT);
        char s[64];
        CU_ASSERT(f >= 0 && str_attr(f, "hits", s, sizeof s) == 0 && !strcmp(s, cases[i].form));
        if (f >= 0)
            H5Fclose(f);
        CLI("info", res);
        snprintf(want, sizeof want, "hits          %s", cases[i].form);
        CHECK_CLI(code == 0 && strstr(out, want) != NULL);
        CHECK_CLI(strstr(out, "rng mapping   " FL_RNG_MAPPING) != NULL);
    }
    CU_ASSERT_EQUAL(entries(dir, 2 * ncases + 2), 2 * ncases + 2); /* no temporaries left */
}

static void test_threads_identical(void)
{
    PATH(a, tmp("t1.h5"));
    PATH(b, tmp("t2.h5"));
    CLI("run", tmp("small.yaml"), "-o", a, "--trials", "300", "--steps", "30", "--threads", "1", "--quiet");
    CHECK_CLI(code == 0);
    CLI("run", tmp("small.yaml"), "-o", b, "--trials", "300", "--steps", "30", "--threads", "2", "--quiet");
    CHECK_CLI(code == 0);
    size_t na = 0, nb = 0;
    uint32_t *da = down_count(a, &na), *db = down_count(b, &nb);
    CU_ASSERT(da && db && na == 300 * 31 && na == nb && !memcmp(da, db, na * sizeof *da));
    free(da);
    free(db);
}

/* The thread count in the device attribute: the number before "thread". */
static long device_threads(const char *path)
{
    char dev[512];
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0)
        return -1;
    int rc = str_attr(f, "device", dev, sizeof dev);
    H5Fclose(f);
    const char *p = rc == 0 ? strstr(dev, "thread") : NULL;
    if (!p)
        return -1;
    while (p > dev && !(p[-1] >= '0' && p[-1] <= '9'))
        p--;
    while (p > dev && p[-1] >= '0' && p[-1] <= '9')
        p--;
    return strtol(p, NULL, 10);
}

/* --threads, else OMP_NUM_THREADS, else SLURM_CPUS_PER_TASK (INTERFACE.md). */
static void test_threads_rule(void)
{
    static const struct {
        const char *env[3];
        const char *threads; /* --threads, or NULL */
        long expected;
    } cases[] = {
        {{"OMP_NUM_THREADS=1", "SLURM_CPUS_PER_TASK"}, NULL, 1},
        {{"OMP_NUM_THREADS", "SLURM_CPUS_PER_TASK=3"}, NULL, 3},
        {{"OMP_NUM_THREADS=2", "SLURM_CPUS_PER_TASK=3"}, NULL, 2},
        {{"OMP_NUM_THREADS=1", "SLURM_CPUS_PER_TASK=3"}, "2", 2},
    };
    PATH(res, tmp("threads.h5"));
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        remove(res);
        if (cases[i].threads)
            run_in(tmp("work"), cases[i].env,
                   ARGS("run", tmp("small.yaml"), "-o", res, "--trials", "8", "--steps", "2", "--quiet", "--backend",
                        "openmp", "--threads", cases[i].threads));
        else
            run_in(tmp("work"), cases[i].env,
                   ARGS("run", tmp("small.yaml"), "-o", res, "--trials", "8", "--steps", "2", "--quiet", "--backend",
                        "openmp"));
        long got = device_threads(res);
        if (code != 0 || got != cases[i].expected)
            fprintf(stderr, "\n  threads case %zu: exit %d, %ld threads (expected %ld)\n  stderr: %s\n", i, code, got,
                    cases[i].expected, err);
        CU_ASSERT(code == 0 && got == cases[i].expected);
    }
}

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL); /* failed opens are reported by the tests */
    CU_pSuite s = CU_add_suite("cli", cli_suite_init, NULL);
    CU_add_test(s, "usage errors and exit codes", test_exit_codes);
    CU_add_test(s, "check prints the model's sizes", test_check);
    CU_add_test(s, "run writes OUT, progress, summary; info reads it", test_run_writes_file);
    CU_add_test(s, "--stats-json writes the phase times; a bad PATH fails first", test_run_stats_json);
    CU_add_test(s, "--hits: the event form or push mode where the model allows it, else pull", test_run_hits);
    CU_add_test(s, "a failed run leaves nothing at OUT", test_run_errors_leave_nothing);
    CU_add_test(s, "SIGTERM: exit 75 and nothing at OUT", test_interrupted_run);
    CU_add_test(s, "default output MODEL-stem.h5 in the current directory", test_default_output);
    CU_add_test(s, "default output of a dotted model name keeps all but the last extension",
                test_default_output_dotted);
    CU_add_test(s, "results file: attributes, datasets, types, shapes, scales", test_results_content);
    CU_add_test(s, "--threads 1 and 2 write identical down_count", test_threads_identical);
    CU_add_test(s, "threads: --threads, else OMP_NUM_THREADS, else SLURM_CPUS_PER_TASK", test_threads_rule);
    int rc = tu_main();
    if (rc == 0)
        rm_tree(tu_tmpdir()); /* kept for a look when something failed */
    return rc;
}
