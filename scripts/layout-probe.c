// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Prints one entry of user/layouts_gen.h: the struct pt_layout of the CPython
 * whose headers this is compiled against.  Every number is an offsetof() or
 * sizeof() of the real structs, so the table follows the headers, not memory.
 * Built and run by scripts/gen-layouts.sh; never linked into pytrace.
 *
 * Which header holds what moved between versions:
 *   _PyRuntimeState     3.7 internal/pystate.h, 3.8 internal/pycore_pystate.h,
 *                       3.9+ internal/pycore_runtime.h
 *   PyInterpreterState  3.7 pystate.h, 3.8 internal/pycore_pystate.h,
 *                       3.9+ internal/pycore_interp.h
 *   frames              <= 3.10 PyFrameObject (frameobject.h),
 *                       3.11+ _PyInterpreterFrame (internal/pycore_frame.h)
 */
#define Py_BUILD_CORE 1

#include <Python.h>
#include <stddef.h>
#include <stdio.h>

#if PY_VERSION_HEX < 0x03070000
#error "no _PyRuntime before 3.7"
#elif PY_VERSION_HEX < 0x03080000
#include <frameobject.h>
#include "internal/pystate.h"
#elif PY_VERSION_HEX < 0x03090000
#include <frameobject.h>
#include "internal/pycore_pystate.h"
#elif PY_VERSION_HEX < 0x030b0000
#include <frameobject.h>
#include "internal/pycore_runtime.h"
#include "internal/pycore_interp.h"
#else
#include "internal/pycore_frame.h"
#include "internal/pycore_runtime.h"
#include "internal/pycore_interp.h"
#endif

#if PY_VERSION_HEX >= 0x030e0000
#error "3.14+ tags f_executable; add its rows before trusting this probe"
#endif

#define NOFF "PT_NOFF"

static void field(const char *name, size_t off)
{
	printf("\t\t.%s = %zu,\n", name, off);
}

static void absent(const char *name)
{
	printf("\t\t.%s = " NOFF ",\n", name);
}

#define F(name, type, member) field(#name, offsetof(type, member))
#define S(name, type) field(#name, sizeof(type))

static void threads(void)
{
	F(rt_interp_head, _PyRuntimeState, interpreters.head);
	F(interp_next, PyInterpreterState, next);
#if PY_VERSION_HEX < 0x030b0000
	F(interp_threads_head, PyInterpreterState, tstate_head);
#else
	F(interp_threads_head, PyInterpreterState, threads.head);
#endif
	F(ts_next, PyThreadState, next);
	F(ts_thread_id, PyThreadState, thread_id);
#if PY_VERSION_HEX < 0x030b0000
	/* 3.10 has a cframe too, but it only carries use_tracing. */
	F(ts_frame, PyThreadState, frame);
	absent("ts_cframe");
	absent("cframe_frame");
#elif PY_VERSION_HEX < 0x030d0000
	absent("ts_frame");
	F(ts_cframe, PyThreadState, cframe);
	F(cframe_frame, _PyCFrame, current_frame);
#else
	F(ts_frame, PyThreadState, current_frame);
	absent("ts_cframe");
	absent("cframe_frame");
#endif
}

static void frames(void)
{
#if PY_VERSION_HEX < 0x030b0000
	F(fr_back, PyFrameObject, f_back);
	F(fr_code, PyFrameObject, f_code);
	F(fr_lasti, PyFrameObject, f_lasti);
	absent("fr_instr");
	absent("fr_owner");
#else
	F(fr_back, _PyInterpreterFrame, previous);
#if PY_VERSION_HEX < 0x030d0000
	F(fr_code, _PyInterpreterFrame, f_code);
	F(fr_instr, _PyInterpreterFrame, prev_instr);
#else
	F(fr_code, _PyInterpreterFrame, f_executable);
	F(fr_instr, _PyInterpreterFrame, instr_ptr);
#endif
	absent("fr_lasti");
	F(fr_owner, _PyInterpreterFrame, owner);
#endif
}

static void code(void)
{
	F(co_filename, PyCodeObject, co_filename);
#if PY_VERSION_HEX < 0x030b0000
	F(co_name, PyCodeObject, co_name);
#else
	F(co_name, PyCodeObject, co_qualname);
#endif
#if PY_VERSION_HEX < 0x030a0000
	F(co_linetable, PyCodeObject, co_lnotab);
#else
	F(co_linetable, PyCodeObject, co_linetable);
#endif
	F(co_firstlineno, PyCodeObject, co_firstlineno);
#if PY_VERSION_HEX < 0x030b0000
	absent("co_code_adaptive");
	absent("co_firsttraceable");
#else
	F(co_code_adaptive, PyCodeObject, co_code_adaptive);
	F(co_firsttraceable, PyCodeObject, _co_firsttraceable);
#endif
}

static void strings(void)
{
	F(str_length, PyASCIIObject, length);
	F(str_state, PyASCIIObject, state);
	S(str_ascii_data, PyASCIIObject);
	S(str_compact_data, PyCompactUnicodeObject);
	F(str_data, PyUnicodeObject, data);
	F(bytes_size, PyBytesObject, ob_base.ob_size);
	F(bytes_data, PyBytesObject, ob_sval);
}

static void formats(void)
{
	/* The kind bits start at bit 2 of state in every GIL build. */
	printf("\t\t.str_state_shift = 2,\n");
#if PY_VERSION_HEX < 0x030b0000
	printf("\t\t.owner_generator = 0,\t/* no owner field */\n");
	printf("\t\t.owner_skip_min = 0,\n");
#elif PY_VERSION_HEX < 0x030c0000
	printf("\t\t.owner_generator = %d,\n", FRAME_OWNED_BY_GENERATOR);
	printf("\t\t.owner_skip_min = 0,\t/* no C-stack shim frames */\n");
#else
	printf("\t\t.owner_generator = %d,\n", FRAME_OWNED_BY_GENERATOR);
	printf("\t\t.owner_skip_min = %d,\t/* FRAME_OWNED_BY_CSTACK */\n",
	       FRAME_OWNED_BY_CSTACK);
#endif
#if PY_VERSION_HEX < 0x030a0000
	printf("\t\t.line_format = PT_LINES_LNOTAB,\n");
#elif PY_VERSION_HEX < 0x030b0000
	printf("\t\t.line_format = PT_LINES_310,\n");
#else
	printf("\t\t.line_format = PT_LINES_311,\n");
#endif
	printf("\t\t.code_ptr_mask = ~0ULL,\n");
}

int main(void)
{
	/* Layouts assume the plain x86_64 object header of a release build. */
	if (offsetof(PyObject, ob_type) != 8 || sizeof(void *) != 8) {
		fprintf(stderr, "layout-probe: unexpected PyObject header\n");
		return 1;
	}
	printf("\t{ %d, %d, \"%s\", {\n", PY_MAJOR_VERSION, PY_MINOR_VERSION,
	       PY_VERSION);
	threads();
	frames();
	code();
	strings();
	formats();
	printf("\t} },\n");
	return 0;
}
