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
#include <stdint.h>
#include <stdio.h>
#include <string.h>

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
#elif PY_VERSION_HEX < 0x030e0000
#include "internal/pycore_frame.h"
#include "internal/pycore_runtime.h"
#include "internal/pycore_interp.h"
#else
#include "internal/pycore_interpframe_structs.h"
#include "internal/pycore_runtime.h"
#include "internal/pycore_interp.h"
#include "internal/pycore_debug_offsets.h"
#endif

#if PY_VERSION_HEX >= 0x03100000
#error "a CPython after 3.15: check its frames and strings before adding it"
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

/* Where the kind bits start in the state word: set kind through the
 * bitfield and look which bit moved (2 in GIL builds, 8 in 3.14t). */
static unsigned kind_shift(void)
{
	PyASCIIObject o;
	uint32_t raw;

	memset(&o, 0, sizeof(o));
	o.state.kind = 1;
	memcpy(&raw, (char *)&o + offsetof(PyASCIIObject, state), sizeof(raw));
	return raw ? (unsigned)__builtin_ctz(raw) : 0;
}

static void formats(void)
{
	printf("\t\t.str_state_shift = %u,\n", kind_shift());
#if PY_VERSION_HEX < 0x030b0000
	printf("\t\t.owner_generator = 0,\t/* no owner field */\n");
	printf("\t\t.owner_skip_min = 0,\n");
#elif PY_VERSION_HEX < 0x030c0000
	printf("\t\t.owner_generator = %d,\n", FRAME_OWNED_BY_GENERATOR);
	printf("\t\t.owner_skip_min = 0,\t/* no C-stack shim frames */\n");
#elif PY_VERSION_HEX < 0x030e0000
	printf("\t\t.owner_generator = %d,\n", FRAME_OWNED_BY_GENERATOR);
	printf("\t\t.owner_skip_min = %d,\t/* FRAME_OWNED_BY_CSTACK */\n",
	       FRAME_OWNED_BY_CSTACK);
#else
	printf("\t\t.owner_generator = %d,\n", FRAME_OWNED_BY_GENERATOR);
	/* Entry shims and (3.14) C-stack frames come after the rest. */
	printf("\t\t.owner_skip_min = %d,\t/* FRAME_OWNED_BY_INTERPRETER */\n",
	       FRAME_OWNED_BY_INTERPRETER);
#endif
#if PY_VERSION_HEX < 0x030a0000
	printf("\t\t.line_format = PT_LINES_LNOTAB,\n");
#elif PY_VERSION_HEX < 0x030b0000
	printf("\t\t.line_format = PT_LINES_310,\n");
#else
	printf("\t\t.line_format = PT_LINES_311,\n");
#endif
#if PY_VERSION_HEX < 0x030e0000
	printf("\t\t.code_ptr_mask = ~0ULL,\n");
#else
	/* f_executable is a _PyStackRef: the low bits are tags (1 in GIL
	 * builds, up to 3 in others); objects are 16-byte aligned. */
	printf("\t\t.code_ptr_mask = ~3ULL,\n");
#endif
#if defined(Py_GIL_DISABLED) && PY_VERSION_HEX >= 0x030e0000
	F(fr_tlbc_index, _PyInterpreterFrame, tlbc_index);
	F(co_tlbc, PyCodeObject, co_tlbc);
#else
	absent("fr_tlbc_index");
	absent("co_tlbc");
#endif
}

/*
 * 3.13+: which u64 of _Py_DebugOffsets holds each offset the walker needs,
 * and which one holds the size of the struct it is in (its bound).  A width
 * of 0 marks a value that is itself a size.
 */
#if PY_VERSION_HEX >= 0x030d0000
#define D(name, member, bound, width)                                        \
	printf("\t\t{ PT_LF(%s), %zu, %zu, %d },\n", #name,                  \
	       offsetof(_Py_DebugOffsets, member),                           \
	       offsetof(_Py_DebugOffsets, bound), width)

static void debug_offsets(void)
{
	printf("\t}, { %zu, (const struct dbg_field[]) {\n",
	       sizeof(_Py_DebugOffsets));
	D(rt_interp_head, runtime_state.interpreters_head, runtime_state.size, 8);
	D(interp_next, interpreter_state.next, interpreter_state.size, 8);
	D(interp_threads_head, interpreter_state.threads_head,
	  interpreter_state.size, 8);
	D(ts_next, thread_state.next, thread_state.size, 8);
	D(ts_thread_id, thread_state.thread_id, thread_state.size, 8);
	D(ts_frame, thread_state.current_frame, thread_state.size, 8);
	D(fr_back, interpreter_frame.previous, interpreter_frame.size, 8);
	D(fr_code, interpreter_frame.executable, interpreter_frame.size, 8);
	D(fr_instr, interpreter_frame.instr_ptr, interpreter_frame.size, 8);
	D(fr_owner, interpreter_frame.owner, interpreter_frame.size, 1);
	D(co_filename, code_object.filename, code_object.size, 8);
	D(co_name, code_object.qualname, code_object.size, 8);
	D(co_linetable, code_object.linetable, code_object.size, 8);
	D(co_firstlineno, code_object.firstlineno, code_object.size, 4);
	D(co_code_adaptive, code_object.co_code_adaptive, code_object.size, 0);
	D(bytes_size, bytes_object.ob_size, bytes_object.size, 8);
	D(bytes_data, bytes_object.ob_sval, bytes_object.size, 0);
	D(str_state, unicode_object.state, unicode_object.size, 4);
	D(str_length, unicode_object.length, unicode_object.size, 8);
	D(str_ascii_data, unicode_object.asciiobject_size, unicode_object.size, 0);
#if PY_VERSION_HEX >= 0x030e0000 && defined(Py_GIL_DISABLED)
	D(fr_tlbc_index, interpreter_frame.tlbc_index, interpreter_frame.size, 4);
	D(co_tlbc, code_object.co_tlbc, code_object.size, 8);
#endif
	printf("\t\t{ PT_LF_END, 0, 0, 0 } } } },\n");
}
#else
static void debug_offsets(void)
{
	printf("\t}, { 0, NULL } },\n");
}
#endif

int main(void)
{
	/* A release build's object header: 16 bytes, 32 free-threaded. */
#ifdef Py_GIL_DISABLED
	const size_t ob_type = 24;
	const char *ft = "true";
#else
	const size_t ob_type = 8;
	const char *ft = "false";
#endif
	if (offsetof(PyObject, ob_type) != ob_type || sizeof(void *) != 8) {
		fprintf(stderr, "layout-probe: unexpected PyObject header\n");
		return 1;
	}
	printf("\t{ %d, %d, %s, \"%s\", {\n", PY_MAJOR_VERSION, PY_MINOR_VERSION,
	       ft, PY_VERSION);
	threads();
	frames();
	code();
	strings();
	formats();
	debug_offsets();
	return 0;
}
