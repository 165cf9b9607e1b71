/*
 * status.c - status codes: their names and the sysexits(3) codes the
 * faultline command exits with, and the internal message helper.
 */
#include "faultline.h"
#include "say.h"

#include <stdarg.h>
#include <stdio.h>

int fl_status_exit_code(int status)
{
    switch (status) {
    case FL_OK: return 0;
    case FL_E_USAGE: return 64;       /* EX_USAGE */
    case FL_E_MODEL: return 65;       /* EX_DATAERR */
    case FL_E_NOINPUT: return 66;     /* EX_NOINPUT */
    case FL_E_BACKEND: return 69;     /* EX_UNAVAILABLE */
    case FL_E_OUTPUT: return 73;      /* EX_CANTCREAT */
    case FL_E_INTERRUPTED: return 75; /* EX_TEMPFAIL */
    case FL_E_NOMEM:                  /* EX_OSERR would hide the cause; 70 with a message */
    case FL_E_INTERNAL:
    default: return 70; /* EX_SOFTWARE */
    }
}

const char *fl_status_name(int status)
{
    switch (status) {
    case FL_OK: return "ok";
    case FL_E_USAGE: return "usage error";
    case FL_E_MODEL: return "bad model or data";
    case FL_E_NOINPUT: return "input missing";
    case FL_E_BACKEND: return "backend unavailable";
    case FL_E_OUTPUT: return "cannot create output";
    case FL_E_NOMEM: return "out of memory";
    case FL_E_INTERRUPTED: return "interrupted";
    case FL_E_INTERNAL:
    default: return "internal error";
    }
}

int fl_i_say(char *message, size_t size, int status, const char *fmt, ...)
{
    va_list ap;

    if (size == 0)
        return status;
    va_start(ap, fmt);
    vsnprintf(message, size, fmt, ap);
    va_end(ap);
    return status;
}
