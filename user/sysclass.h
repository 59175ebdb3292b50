/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * strace's syscall classes (-e trace=%file, %net...), as facts by name:
 * which syscalls strace 6.1 selects for each class on x86_64.
 */
#ifndef PT_SYSCLASS_H
#define PT_SYSCLASS_H

#include <stdint.h>

/* Sets in mask (PT_NR_SYSCALLS bits) every syscall of the class, given
 * without its '%' ("file", "%stat" for strace's %%stat).  0, or -1 for a
 * class that does not exist. */
int sysclass_fill(const char *cls, uint64_t *mask);
/* Names of the classes, NULL-terminated (for --help and tests). */
const char *const *sysclass_names(void);

#endif
