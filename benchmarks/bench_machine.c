/*
 * bench_machine.c - the limits of this machine, as JSON on stdout: memory
 * bandwidth (a one-thread memcpy, and a read of all threads) and the rate
 * of Philox4x32-10 blocks on all threads.  benchmarks/run_workloads.py runs
 * it in the same run as the workloads, for their roofline.  With --opencl,
 * also the copy bandwidth and Philox rate of the OpenCL device that
 * `faultline run --backend opencl` would choose (machine_cl.h), under
 * "opencl".
 *
 * usage: bench_machine [--threads P] [--opencl [--platform P] [--device D]]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "machine.h"
#ifdef FL_BENCH_OPENCL
#include "machine_cl.h"
#endif

/* The "model name" line of /proc/cpuinfo, quotes and backslashes replaced. */
static void cpu_model(char *buf, size_t size)
{
    snprintf(buf, size, "unknown");
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[512];
    while (f && fgets(line, sizeof line, f)) {
        char *colon = strchr(line, ':');
        if (!strncmp(line, "model name", 10) && colon) {
            const char *name = colon + 1;
            while (*name == ' ' || *name == '\t')
                name++;
            snprintf(buf, size, "%s", name);
            buf[strcspn(buf, "\n")] = '\0';
            break;
        }
    }
    if (f)
        fclose(f);
    for (char *c = buf; *c; c++)
        if (*c == '"' || *c == '\\')
            *c = '\'';
}

int main(int argc, char **argv)
{
    int threads = omp_get_num_procs(), opencl = 0;
    const char *platform = NULL, *device = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--threads") && i + 1 < argc)
            threads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--opencl"))
            opencl = 1;
        else if (!strcmp(argv[i], "--platform") && i + 1 < argc)
            platform = argv[++i];
        else if (!strcmp(argv[i], "--device") && i + 1 < argc)
            device = argv[++i];
        else {
            fprintf(stderr, "usage: bench_machine [--threads P] [--opencl [--platform P] [--device D]]\n");
            return 64;
        }
    }
    if (threads < 1)
        threads = 1;
    char cpu[256];
    cpu_model(cpu, sizeof cpu);
    double copy = memory_bandwidth(), read = memory_read_bandwidth(threads), philox = philox_rate(threads);
    printf("{\n  \"cpu\": \"%s\", \"cores\": %d, \"threads\": %d,\n"
           "  \"memcpy_bytes_per_s\": %.4g, \"read_bytes_per_s\": %.4g,\n"
           "  \"philox_blocks_per_s\": %.4g",
           cpu, omp_get_num_procs(), threads, copy, read, philox);
    if (opencl) {
#ifdef FL_BENCH_OPENCL
        cl_machine m;
        cl_machine_measure(platform, device, &m);
        for (char *c = m.error; *c; c++)
            if (*c == '"' || *c == '\\' || *c == '\n')
                *c = '\'';
        printf(",\n  \"opencl\": {\"device\": \"%s\", \"platform\": \"%s\", \"copy_bytes_per_s\": %.4g,\n"
               "             \"philox_blocks_per_s\": %.4g, \"error\": \"%s\"}",
               m.device, m.platform, m.copy_bytes_per_s, m.philox_blocks_per_s, m.error);
#else
        (void)platform;
        (void)device;
        printf(",\n  \"opencl\": {\"error\": \"built without OpenCL\"}");
#endif
    }
    printf("\n}\n");
    return 0;
}
