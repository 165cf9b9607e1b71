/*
 * say.h - error messages into a caller's buffer (internal).
 */
#ifndef FL_SAY_H
#define FL_SAY_H

#include <stddef.h>

/* Formats into message (when size > 0) and returns status, so that an
 * error path reads `return fl_i_say(msg, size, FL_E_MODEL, "...", ...);`. */
int fl_i_say(char *message, size_t size, int status, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
