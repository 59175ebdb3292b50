/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Finding the Python runtime in a live process, without debug symbols:
 * which mapped ELF holds _PyRuntime, where it is loaded, which version it is,
 * and which layout describes it.
 */
#ifndef PT_PYPROC_H
#define PT_PYPROC_H

#include <stdint.h>
#include <sys/types.h>

#include "pytrace.h"

enum pyproc_result {
	PYPROC_OK = 0,
	PYPROC_NOT_PYTHON,	/* no mapped object exports _PyRuntime */
	PYPROC_UNSUPPORTED,	/* Python, but a version without a layout */
	PYPROC_GONE,		/* the process vanished or cannot be read */
	PYPROC_NOT_READY,	/* Python, but not all mapped yet: ask later */
};

struct pyproc_info {
	uint64_t runtime;	/* address of _PyRuntime in the target */
	uint32_t version_hex;	/* PY_VERSION_HEX, 0 if unknown (major.minor
				   then in version_major/minor) */
	unsigned version_major, version_minor;
	char object[4096];	/* path of the ELF that holds _PyRuntime (as
				   /proc/PID/maps shows it, " (deleted)" too) */
	uint64_t eval_offset;	/* file offset of _PyEval_EvalFrameDefault in
				   that ELF, 0 if it has none */
	uint64_t code_dealloc_offset; /* file offset of PyCode_Type's
				   tp_dealloc (code_dealloc) in that ELF, 0 if
				   unknown */
	uint64_t object_start, object_end; /* its mapping of offset 0: with
				   /proc/PID/map_files, a path to the very
				   file, deleted or in another namespace */
	uint64_t bias;		/* load bias of that ELF: runtime address minus
				   file vaddr (0 for a non-PIE executable) */
	const char *version_from; /* how the version was found: "Py_Version",
				   "_Py_DebugOffsets", "SONAME", "file name",
				   "symbols" (exports new in each release);
				   static string, NULL if not found */
	bool free_threaded;
	bool debug_offsets;	/* 3.13+: offsets taken from the live
				   _Py_DebugOffsets */
	unsigned dbg_changed;	/* of those, how many differ from the table */
	struct pt_layout layout;
	char why[256];		/* for non-OK results: one-line reason */
};

/* Inspects /proc/PID/maps and the mapped ELF files (through
 * /proc/PID/map_files, so deleted files and other mount namespaces work). */
enum pyproc_result pyproc_detect(pid_t pid, struct pyproc_info *out);

#endif
