/*
 * cli.h - the subcommands of the faultline command (host/cli/).
 *
 * Each takes its streams rather than using stdout and stderr itself, so
 * that tests can capture what it prints, and returns a sysexits(3) code
 * for main() to exit with.
 */
#ifndef FL_CLI_H
#define FL_CLI_H

#include <stdio.h>

/* Prints "faultline: MESSAGE" on stderr and returns code (host/cli/main.c). */
int fl_cli_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * faultline info FILE.h5: prints a summary of a results file (INTERFACE.md
 * "Results of run") to out: the run's attributes, each dataset's type and
 * named dimensions, system_down and down_fraction, and the five vertices
 * with the highest vertex_unavailability.  Problems go to err.
 * Returns 0, 66 (EX_NOINPUT: missing or unreadable) or 65 (EX_DATAERR: not
 * a faultline results file, or incomplete: no `complete` = 1).
 * Cost: reads the attributes, system_down, down_fraction and
 * vertex_unavailability, and five vertex names.
 */
int fl_cli_info(const char *path, FILE *out, FILE *err);

/*
 * faultline generate KIND [options] -o OUT and faultline convert IN -o OUT
 * (host/cli/graph_cmds.c, docs/graph-format.md).  argv[0] is the command
 * name.  Print a one-line summary on stdout and errors on stderr; return
 * 0, 64 (usage), 65 (bad input), 66 (input missing), 73 (cannot write OUT)
 * or 70.
 */
int fl_cli_generate(int argc, char **argv);
int fl_cli_convert(int argc, char **argv);

#endif
