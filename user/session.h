/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Checks before tracing starts: privileges, kernel support, targets. */
#ifndef PT_SESSION_H
#define PT_SESSION_H

#include <stddef.h>

#include "options.h"

/* Exits with one clear line if pytrace cannot run or a target is invalid;
 * turns thread ids given to -p into their process ids. */
void session_preflight(struct options *o);
/* Resolves a command name through PATH, as execvp would; 0 or -1. */
int session_find_program(const char *name, char *out, size_t len);

int tracer_run(struct options *o);

#endif
