/*
 * fuzz_model.c - libFuzzer target for the model parsers: the input is
 * written as a model file (and, from its first NUL byte on, as the edge
 * list it imports) and loaded.  Any crash, hang, leak or sanitizer report
 * is a bug; every outcome must be FL_OK or an error with a message.
 *
 *   cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DFL_FUZZ=ON
 *   cmake --build build-fuzz --target fuzz_model
 *   build-fuzz/tests/fuzz/fuzz_model -max_total_time=60 tests/conformance
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "faultline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char dir[64];
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/faultline-fuzz-XXXXXX");
        if (!mkdtemp(dir))
            abort();
    }
    char model[128], graph[128];
    snprintf(model, sizeof model, "%s/m.yaml", dir);
    snprintf(graph, sizeof graph, "%s/g.txt", dir);
    const uint8_t *nul = memchr(data, 0, size);
    size_t model_size = nul ? (size_t)(nul - data) : size;
    FILE *f = fopen(model, "wb");
    fwrite(data, 1, model_size, f);
    fclose(f);
    f = fopen(graph, "wb");
    if (nul)
        fwrite(nul + 1, 1, size - model_size - 1, f);
    fclose(f);

    fl_model *md = fl_model_create();
    int status = fl_model_load(md, model);
    if (status != FL_OK && fl_model_error(md)[0] == '\0')
        abort(); /* an error must say what is wrong */
    fl_model_destroy(&md);
    return 0;
}
