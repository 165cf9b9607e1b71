/*
 * main.c - the faultline command.  The only place that prints or exits:
 * it parses arguments, calls the library, reports progress on stderr and
 * maps statuses to sysexits codes (INTERFACE.md).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "faultline.h"

static const char usage_text[] = "usage: faultline COMMAND [ARGS]\n"
                                 "\n"
                                 "  run MODEL [-o OUT.h5] [--trials N] [--steps T] [--seed S] [--trial-offset I]\n"
                                 "            [--backend auto|openmp|opencl] [--platform P] [--device D]\n"
                                 "            [--threads N] [--vertex-series STRIDE] [--propagation MODE] [--quiet]\n"
                                 "            [--stats-json PATH] [--hits auto|pull|push|event]\n"
                                 "                      simulate; results to OUT.h5 (default: MODEL-stem.h5 here)\n"
                                 "  check MODEL         validate; print vertices, edges, classes, targets\n"
                                 "  info FILE.h5        summarize a results file\n"
                                 "  generate KIND [OPTIONS] -o OUT   synthetic graph (HDF5 graph; edge list for\n"
                                 "                      OUT.txt/.el/.tsv); --seed S, --threads N\n"
                                 "      er --n N --degree K [--directed]      Erdos-Renyi, mean degree K\n"
                                 "      rmat --scale S [--edge-factor 16] [--a 0.57 --b 0.19 --c 0.19]\n"
                                 "      fattree --k K [--vms-per-host 4] [--services-per-vm 4] [--capacity 2]\n"
                                 "              [--boot-delay 5]               k-ary fat-tree datacenter\n"
                                 "      grid --rows R --cols C                 4-neighbour grid\n"
                                 "  convert IN -o OUT.h5 [--deflate 0..9] [--deflate-edges 0..9]\n"
                                 "                      edge list (.gz), YAML model or HDF5 graph to the HDF5\n"
                                 "                      graph format (docs/graph-format.md); zlib levels: 4 and\n"
                                 "                      0 (per-edge datasets) unless given, also for generate\n"
                                 "  devices             list OpenCL platforms and devices\n"
                                 "  --help              this text\n"
                                 "  --version           versions of faultline and HDF5\n"
                                 "\n"
                                 "Backend: auto (the default) runs on an OpenCL GPU, else another OpenCL device,\n"
                                 "else OpenMP, and says which on stderr.  --platform and --device take an index\n"
                                 "or a case-insensitive name substring (see 'faultline devices'); the fallbacks\n"
                                 "are FAULTLINE_PLATFORM and FAULTLINE_DEVICE.\n"
                                 "Threads: --threads, else OMP_NUM_THREADS, else SLURM_CPUS_PER_TASK, else all cores.\n"
                                 "Exit codes: 0 ok, 64 usage, 65 bad model or data, 66 input missing,\n"
                                 "69 unavailable, 70 internal error, 73 cannot create output, 75 interrupted.\n"
                                 "Not in this version (exit 69): steady, merge, export,\n"
                                 "--burn-in, --checkpoint-every, --resume.\n";

int fl_cli_fail(int code, const char *fmt, ...)
{
    va_list ap;
    fputs("faultline: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return code;
}

/* Parses a whole decimal number in [lo, hi]; 0 on success. */
static int parse_u64(const char *text, unsigned long long lo, unsigned long long hi, unsigned long long *out)
{
    char *end = NULL;
    if (!text || !*text || *text == '-' || *text == '+')
        return -1;
    errno = 0;
    unsigned long long x = strtoull(text, &end, 10);
    if (errno || *end || x < lo || x > hi)
        return -1;
    *out = x;
    return 0;
}

/* The threads rule of INTERFACE.md; 0 on a bad value (message printed). */
static int resolve_threads(const char *option)
{
    unsigned long long x;
    if (option) {
        if (parse_u64(option, 1, 4096, &x))
            return fl_cli_fail(0, "--threads: '%s' is not a number of threads in 1..4096", option);
        return (int)x;
    }
    const char *names[] = {"OMP_NUM_THREADS", "SLURM_CPUS_PER_TASK"};
    for (int i = 0; i < 2; i++) {
        const char *env = getenv(names[i]);
        if (env && *env) {
            char first[32];
            snprintf(first, sizeof first, "%.*s", (int)strcspn(env, ","), env);
            if (parse_u64(first, 1, 4096, &x))
                return fl_cli_fail(0, "%s: '%s' is not a number of threads in 1..4096", names[i], env);
            return (int)x;
        }
    }
    return omp_get_num_procs();
}

/* ------------------------------------------------------------ progress */

/* SIGTERM, SIGINT or SIGUSR1: finish the step, then stop (exit 75). */
static volatile sig_atomic_t stop_requested = 0;

static void request_stop(int sig)
{
    (void)sig;
    stop_requested = 1;
}

typedef struct progress {
    int quiet, tty;
    double start, last;
} progress;

static double wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int show_progress(void *data, uint32_t done, uint32_t total)
{
    progress *p = data;
    if (stop_requested)
        return 1;
    if (p->quiet)
        return 0;
    double now = wall();
    double pct = total ? 100.0 * done / total : 100.0;
    double eta = done ? (now - p->start) * (total - done) / done : 0.0;
    if (p->tty) {
        if (now - p->last < 0.1 && done != total)
            return 0;
        int width = 30, fill = (int)(width * pct / 100.0);
        fprintf(stderr, "\r[%.*s%*s] %5.1f%%  step %u/%u  eta %.0fs ", fill, "##############################",
                width - fill, "", pct, done, total, eta);
        if (done == total)
            fputc('\n', stderr);
    } else {
        if (now - p->last < 5.0 && done != total)
            return 0;
        char stamp[32];
        time_t t = time(NULL);
        strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
        fprintf(stderr, "%s faultline: step %u/%u (%.1f%%), eta %.0f s\n", stamp, done, total, pct, eta);
    }
    p->last = now;
    return 0;
}

/* ----------------------------------------------------------------- run */

static char *default_output(const char *model_path)
{
    const char *base = strrchr(model_path, '/');
    base = base ? base + 1 : model_path;
    const char *dot = strrchr(base, '.'); /* the stem: all but the last extension */
    size_t len = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    char *out = malloc(len + 4);
    if (out)
        snprintf(out, len + 4, "%.*s.h5", (int)len, base);
    return out;
}

/* Fails early (before a long run) when the output cannot be created; the
 * writer checks again, this is only to spare the user a wasted run. */
static int output_writable(const char *out)
{
    struct stat st;
    char dir[4096];
    const char *slash = strrchr(out, '/');
    if (slash)
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - out) + (slash == out), out);
    else
        snprintf(dir, sizeof dir, ".");
    if (stat(out, &st) == 0 && S_ISDIR(st.st_mode))
        return fl_cli_fail(73, "cannot write '%s': it is a directory", out);
    if (stat(dir, &st) != 0)
        return fl_cli_fail(73, "cannot write '%s': directory '%s' does not exist", out, dir);
    if (!S_ISDIR(st.st_mode))
        return fl_cli_fail(73, "cannot write '%s': '%s' is not a directory", out, dir);
    if (access(dir, W_OK) != 0)
        return fl_cli_fail(73, "cannot write '%s': directory '%s' is not writable (%s)", out, dir, strerror(errno));
    return 0;
}

static char *join_args(int argc, char **argv)
{
    size_t len = 1;
    for (int i = 0; i < argc; i++)
        len += strlen(argv[i]) + 1;
    char *s = calloc(len, 1);
    if (!s)
        return NULL;
    for (int i = 0; i < argc; i++) {
        if (i)
            strcat(s, " ");
        strcat(s, argv[i]);
    }
    return s;
}

static void print_summary(const fl_model *md, fl_sim *sim, const char *out, double seconds)
{
    uint32_t T = fl_sim_steps(sim), n = fl_model_vertex_count(md);
    const double *sys = fl_sim_system_down(sim), *df = fl_sim_down_fraction(sim);
    const double *un = fl_sim_vertex_unavailability(sim);
    double mean = 0;
    for (uint32_t t = 1; t <= T; t++)
        mean += sys[t];
    mean = T ? mean / T : sys[0];
    printf("model      %s: %u vertices, %llu edges, %llu supervision edges, %u pools\n", fl_model_name(md), n,
           (unsigned long long)fl_model_edge_count(md), (unsigned long long)fl_model_supervision_count(md),
           fl_model_pool_count(md));
    printf("run        %llu trials x %u steps, seed %llu, backend %s\n", (unsigned long long)fl_sim_trials(sim), T,
           (unsigned long long)fl_sim_seed(sim), fl_sim_backend(sim));
    printf("system     down in %.4f of (trial, step) pairs; %.4f of trials down at step %u\n", mean, sys[T], T);
    printf("vertices   %.4f down on average at step %u\n", df[T], T);
    /* the five most unavailable vertices */
    uint32_t top[5];
    int ntop = 0;
    for (uint32_t v = 0; v < n; v++) {
        int at = ntop < 5 ? ntop++ : 5;
        if (at == 5 && un[v] <= un[top[4]])
            continue;
        if (at == 5)
            at = 4;
        while (at > 0 && un[top[at - 1]] < un[v]) {
            top[at] = top[at - 1];
            at--;
        }
        top[at] = v;
    }
    printf("most down ");
    for (int i = 0; i < ntop; i++)
        printf(" %s %.4f%s", fl_model_vertex_name(md, top[i]), un[top[i]], i + 1 < ntop ? "," : "\n");
    if (ntop == 0)
        printf(" (no vertices)\n");
    printf("time       %.2f s (%.2f s stepping)\n", seconds, fl_sim_step_seconds(sim));
    printf("results    %s\n", out);
}

/* Seconds of each phase of a run, for --stats-json. */
typedef struct run_times {
    double load, run, write, total;
} run_times;

/* --stats-json: the sizes, the time of each phase and the peak memory of a
 * run, as one JSON object (benchmarks/run_workloads.py reads it).  Returns
 * 0, or 73 when PATH cannot be written (message printed). */
static int write_stats(const char *path, const fl_model *md, fl_sim *sim, const run_times *tm)
{
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    getrusage(RUSAGE_SELF, &ru);
    uint32_t T = fl_sim_steps(sim);
    double trials = (double)fl_sim_trials(sim), edges = (double)fl_model_edge_count(md);
    double stepping = fl_sim_step_seconds(sim), mean_down = 0;
    const double *df = fl_sim_down_fraction(sim);
    for (uint32_t t = 1; t <= T; t++)
        mean_down += df[t] / T;
    char device[256];
    snprintf(device, sizeof device, "%s", fl_sim_device(sim));
    for (char *c = device; *c; c++)
        if (*c == '"' || *c == '\\' || (unsigned char)*c < 0x20)
            *c = '\'';
    FILE *f = fopen(path, "w");
    if (!f)
        return fl_cli_fail(73, "--stats-json: cannot write '%s': %s", path, strerror(errno));
    fprintf(f,
            "{\n  \"vertices\": %u, \"edges\": %.0f, \"trials\": %.0f, \"steps\": %u,\n"
            "  \"backend\": \"%s\", \"device\": \"%s\", \"hits\": \"%s\",\n"
            "  \"load_s\": %.6f, \"run_s\": %.6f, \"step_s\": %.6g, \"stepping_s\": %.6f,\n"
            "  \"write_s\": %.6f, \"total_s\": %.6f,\n"
            "  \"peak_rss_bytes\": %.0f,\n"
            "  \"edge_trial_steps_per_s\": %.6g,\n"
            "  \"mean_down_fraction\": %.8f, \"final_down_fraction\": %.8f\n}\n",
            fl_model_vertex_count(md), edges, trials, T, fl_sim_backend(sim), device, fl_sim_hit_form(sim), tm->load,
            tm->run, T ? stepping / T : 0.0, stepping, tm->write, tm->total, (double)ru.ru_maxrss * 1024.0,
            stepping > 0 ? edges * trials * T / stepping : 0.0, T ? mean_down : df[0], df[T]);
    if (fclose(f) != 0)
        return fl_cli_fail(73, "--stats-json: cannot write '%s': %s", path, strerror(errno));
    return 0;
}

static int cmd_run(int argc, char **argv)
{
    static const struct option longs[] = {{"output", required_argument, 0, 'o'},
                                          {"trials", required_argument, 0, 'n'},
                                          {"steps", required_argument, 0, 't'},
                                          {"seed", required_argument, 0, 's'},
                                          {"trial-offset", required_argument, 0, 'i'},
                                          {"backend", required_argument, 0, 'b'},
                                          {"platform", required_argument, 0, 'P'},
                                          {"device", required_argument, 0, 'D'},
                                          {"threads", required_argument, 0, 'j'},
                                          {"vertex-series", required_argument, 0, 'v'},
                                          {"propagation", required_argument, 0, 'p'},
                                          {"burn-in", required_argument, 0, 'B'},
                                          {"checkpoint-every", required_argument, 0, 'C'},
                                          {"resume", required_argument, 0, 'R'},
                                          {"quiet", no_argument, 0, 'q'},
                                          {"stats-json", required_argument, 0, 'S'},
                                          {"hits", required_argument, 0, 'H'},
                                          {"help", no_argument, 0, 'h'},
                                          {0, 0, 0, 0}};
    fl_run_options opt;
    fl_run_options_init(&opt);
    const char *out = NULL, *threads = NULL, *backend = "auto", *stats = NULL;
    int quiet = 0;
    run_times tm = {0, 0, 0, 0};
    unsigned long long x;
    double started = wall();
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "o:qh", longs, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'n':
            if (parse_u64(optarg, 1, 1ULL << 40, &x))
                return fl_cli_fail(64, "--trials: '%s' is not a number of trials in 1..2^40", optarg);
            opt.trials = (int64_t)x;
            break;
        case 't':
            if (parse_u64(optarg, 0, 1000000000ULL, &x))
                return fl_cli_fail(64, "--steps: '%s' is not a number of steps in 0..10^9", optarg);
            opt.steps = (int64_t)x;
            break;
        case 's':
            if (parse_u64(optarg, 0, (1ULL << 63) - 1, &x))
                return fl_cli_fail(64, "--seed: '%s' is not a seed in 0..2^63-1", optarg);
            opt.seed = (int64_t)x;
            break;
        case 'i':
            if (parse_u64(optarg, 0, 1ULL << 38, &x))
                return fl_cli_fail(64, "--trial-offset: '%s' is not a trial number in 0..2^38", optarg);
            opt.trial_offset = x;
            break;
        case 'v':
            if (parse_u64(optarg, 1, 1000000000ULL, &x))
                return fl_cli_fail(64, "--vertex-series: '%s' is not a stride >= 1", optarg);
            opt.vertex_series = (uint32_t)x;
            break;
        case 'p':
            if (!strcmp(optarg, "synchronous"))
                opt.propagation = FL_PROP_SYNCHRONOUS;
            else if (!strcmp(optarg, "instant"))
                opt.propagation = FL_PROP_INSTANT;
            else
                return fl_cli_fail(64, "--propagation: '%s' is not synchronous or instant", optarg);
            break;
        case 'H':
            if (!strcmp(optarg, "auto"))
                opt.hits = FL_HITS_AUTO;
            else if (!strcmp(optarg, "pull"))
                opt.hits = FL_HITS_PULL;
            else if (!strcmp(optarg, "push"))
                opt.hits = FL_HITS_PUSH;
            else if (!strcmp(optarg, "event"))
                opt.hits = FL_HITS_EVENT;
            else
                return fl_cli_fail(64, "--hits: '%s' is not auto, pull, push or event", optarg);
            break;
        case 'b': backend = optarg; break;
        case 'P': opt.platform = optarg; break;
        case 'D': opt.device = optarg; break;
        case 'j': threads = optarg; break;
        case 'q': quiet = 1; break;
        case 'S': stats = optarg; break;
        case 'B': return fl_cli_fail(69, "--burn-in (the long-run view) is not available in this version");
        case 'C':
        case 'R': return fl_cli_fail(69, "checkpoint and restart are not available in this version");
        case 'h': fputs(usage_text, stdout); return 0;
        default: return fl_cli_fail(64, "run: see 'faultline --help'");
        }
    }
    if (optind != argc - 1)
        return fl_cli_fail(64, "run: expected exactly one MODEL file (see 'faultline --help')");
    if (!strcmp(backend, "auto"))
        opt.backend = FL_BACKEND_AUTO;
    else if (!strcmp(backend, "openmp"))
        opt.backend = FL_BACKEND_OPENMP;
    else if (!strcmp(backend, "opencl"))
        opt.backend = FL_BACKEND_OPENCL;
    else
        return fl_cli_fail(64, "--backend: '%s' is not auto, openmp or opencl", backend);
    opt.threads = resolve_threads(threads);
    if (opt.threads == 0)
        return 64;
    omp_set_num_threads(opt.threads); /* the model's loading too, not only the steps */

    const char *model_path = argv[optind];
    char *out_owned = NULL, *command = NULL;
    fl_model *md = NULL;
    fl_sim *sim = NULL;
    int code = 70;
    char message[8192]; /* room for an OpenCL build log */
    progress pr = {quiet, isatty(2), wall(), 0.0};
    opt.progress = show_progress;
    opt.progress_data = &pr;

    if (!out)
        out = out_owned = default_output(model_path);
    md = fl_model_create();
    command = join_args(argc + 1, argv - 1); /* argv[-1] is the program name */
    if (!md || !out || !command) {
        code = fl_cli_fail(70, "out of memory");
        goto cleanup;
    }
    double t0 = wall();
    int status = fl_model_load(md, model_path);
    tm.load = wall() - t0;
    if (status != FL_OK) {
        code = fl_cli_fail(fl_status_exit_code(status), "%s", fl_model_error(md));
        goto cleanup;
    }
    code = output_writable(out);
    if (!code && stats)
        code = output_writable(stats);
    if (code)
        goto cleanup;
    status = fl_sim_create(&sim, md, &opt, message, sizeof message);
    if (status != FL_OK) {
        code = fl_cli_fail(fl_status_exit_code(status), "%s%s",
                           status == FL_E_BACKEND && opt.backend == FL_BACKEND_OPENCL ? "--backend opencl: " : "",
                           message);
        goto cleanup;
    }
    if (!quiet && opt.backend != FL_BACKEND_OPENMP) {
        const char *note = fl_sim_backend_note(sim);
        if (!strcmp(fl_sim_backend(sim), "opencl"))
            fprintf(stderr, "faultline: backend %s: opencl on %s\n", backend, note);
        else
            fprintf(stderr, "faultline: backend auto: openmp, %d threads (OpenCL not used: %s)\n", opt.threads, note);
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = request_stop;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGUSR1, &sa, NULL);
    t0 = wall();
    status = fl_sim_run(sim);
    tm.run = wall() - t0;
    if (status == FL_E_INTERRUPTED) {
        code = fl_cli_fail(75, "%s; checkpoints are not in this version, so nothing was written", fl_sim_error(sim));
        goto cleanup;
    }
    if (status == FL_OK) {
        t0 = wall();
        status = fl_sim_write(sim, out, command);
        tm.write = wall() - t0;
    }
    if (status != FL_OK) {
        code = fl_cli_fail(fl_status_exit_code(status), "%s", fl_sim_error(sim));
        goto cleanup;
    }
    tm.total = wall() - started;
    if (stats && (code = write_stats(stats, md, sim, &tm)) != 0)
        goto cleanup;
    if (!quiet)
        print_summary(md, sim, out, wall() - started);
    code = 0;

cleanup:
    fl_sim_destroy(&sim);
    fl_model_destroy(&md);
    free(command);
    free(out_owned);
    return code;
}

/* ------------------------------------------------------------- devices */

static int cmd_devices(int argc, char **argv)
{
    (void)argv;
    if (argc != 1)
        return fl_cli_fail(64, "devices: takes no arguments");
    char message[512];
    size_t count = 0;
    int status = fl_devices_list(NULL, 0, &count, message, sizeof message);
    if (status != FL_OK)
        return fl_cli_fail(fl_status_exit_code(status), "%s", message);
    fl_device_info *dev = calloc(count + 1, sizeof *dev);
    if (!dev)
        return fl_cli_fail(70, "out of memory");
    status = fl_devices_list(dev, count, &count, message, sizeof message);
    if (status != FL_OK) {
        free(dev);
        return fl_cli_fail(fl_status_exit_code(status), "%s", message);
    }
    for (size_t i = 0; i < count; i++) {
        const fl_device_info *d = &dev[i];
        if (i == 0 || d->platform_index != dev[i - 1].platform_index)
            printf("platform %d: %s\n", d->platform_index, d->platform_name);
        if (d->device_index < 0) {
            printf("  (no devices)\n");
            continue;
        }
        printf("  device %d: %s\n", d->device_index, d->name);
        printf("    type %s, %u compute units, %.1f GiB global memory, %s%s\n", d->type, d->compute_units,
               (double)d->global_memory / (1024.0 * 1024.0 * 1024.0), d->version,
               d->usable ? "" : " (not usable: unavailable or no compiler)");
    }
    free(dev);
    return 0;
}

/* --------------------------------------------------------------- check */

static int cmd_check(int argc, char **argv)
{
    if (argc != 2)
        return fl_cli_fail(64, "check: expected exactly one MODEL file");
    fl_model *md = fl_model_create();
    if (!md)
        return fl_cli_fail(70, "out of memory");
    int status = fl_model_load(md, argv[1]);
    if (status != FL_OK) {
        int code = fl_cli_fail(fl_status_exit_code(status), "%s", fl_model_error(md));
        fl_model_destroy(&md);
        return code;
    }
    printf("model       %s (%s): valid\n", fl_model_name(md), argv[1]);
    printf("vertices    %u\n", fl_model_vertex_count(md));
    printf("edges       %llu\n", (unsigned long long)fl_model_edge_count(md));
    printf("supervision %llu\n", (unsigned long long)fl_model_supervision_count(md));
    printf("pools       %u\n", fl_model_pool_count(md));
    printf("classes     %u", fl_model_class_count(md));
    for (uint32_t c = 0; c < fl_model_class_count(md); c++)
        printf("%s%s", c ? ", " : ": ", fl_model_class_name(md, c));
    printf("\ntargets     %u (system down when >= %u down)", fl_model_target_count(md), fl_model_target_k(md));
    for (uint32_t i = 0; i < fl_model_target_count(md) && i < 20; i++)
        printf("%s%s", i ? ", " : ": ", fl_model_vertex_name(md, fl_model_target(md, i)));
    printf("%s\n", fl_model_target_count(md) > 20 ? ", ..." : "");
    fl_model_destroy(&md);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return fl_cli_fail(64, "no command given; see 'faultline --help'");
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version")) {
        printf("faultline %s (HDF5 %s, OpenMP %d)\n", FL_VERSION_STRING, fl_hdf5_version(), _OPENMP);
        return 0;
    }
    if (!strcmp(cmd, "run"))
        return cmd_run(argc - 1, argv + 1);
    if (!strcmp(cmd, "check"))
        return cmd_check(argc - 1, argv + 1);
    if (!strcmp(cmd, "devices"))
        return cmd_devices(argc - 1, argv + 1);
    if (!strcmp(cmd, "info")) {
        if (argc != 3)
            return fl_cli_fail(64, "info: expected exactly one results FILE.h5");
        return fl_cli_info(argv[2], stdout, stderr);
    }
    if (!strcmp(cmd, "generate"))
        return fl_cli_generate(argc - 1, argv + 1);
    if (!strcmp(cmd, "convert"))
        return fl_cli_convert(argc - 1, argv + 1);
    const char *later[] = {"steady", "merge", "export"};
    for (size_t i = 0; i < sizeof later / sizeof *later; i++)
        if (!strcmp(cmd, later[i]))
            return fl_cli_fail(69, "'%s' is not available in this version", cmd);
    return fl_cli_fail(64, "unknown command '%s'; see 'faultline --help'", cmd);
}
