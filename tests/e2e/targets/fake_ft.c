// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * A stand-in for a free-threaded CPython (3.13t with -DFAKE_313T, 3.14t
 * otherwise), which this machine does not have.  It exports _PyRuntime and
 * Py_Version like libpython does, holds a _Py_DebugOffsets image and a
 * thread state, frames, code objects and strings laid out as the shared
 * reference (cpython-internals.md, tables 1, 5 and 6) describes those
 * builds, then opens a marker file so that pytrace walks this "stack".
 *
 *   fake_ft EXPECTED.json MARKER
 *
 * EXPECTED.json gets the stack a correct walker must print (innermost
 * first; "line": null where the instruction cannot be located), written
 * from the same description the objects are built from.
 *
 * Shapes: a frame running thread-local bytecode (3.14t: co_tlbc entry 1),
 * an interpreter shim frame (skipped), a code pointer with stackref tag
 * bits, a latin-1 and an ASCII name, and (3.14t) a frame whose tlbc index
 * is out of range: kept, with no line.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef FAKE_313T
#define VERSION 0x030d00f0ULL	/* 3.13.0 final */
/* _Py_DebugOffsets positions (table 6, 3.13) */
#define D_RT_SIZE 24
#define D_RT_HEAD 40
#define D_IS_SIZE 48
#define D_IS_NEXT 64
#define D_IS_THREADS 72
#define D_TS_SIZE 152
#define D_TS_NEXT 168
#define D_TS_FRAME 184
#define D_TS_TID 192
#define D_FR_SIZE 224
#define D_FR_PREV 232
#define D_FR_EXEC 240
#define D_FR_INSTR 248
#define D_FR_OWNER 264
#define D_CO_SIZE 272
#define D_CO_FILE 280
#define D_CO_QUAL 296
#define D_CO_LT 304
#define D_CO_FIRST 312
#define D_CO_ADAPT 344
#define D_BY_SIZE 512
#define D_BY_LEN 520
#define D_BY_DATA 528
#define D_UN_SIZE 536
#define D_UN_STATE 544
#define D_UN_LEN 552
#define D_UN_ASCII 560
/* 3.13t values (tables 1 and 5) */
#define RT_HEAD 632
#define IS_NEXT 7264
#define FR_OWNER 70
#define CO_FIRSTTRACEABLE 200
#define CO_ADAPT 216
#define STATE_SHIFT 2
#else
#define VERSION 0x030e07f0ULL	/* 3.14.7 final */
#define D_RT_SIZE 24
#define D_RT_HEAD 40
#define D_IS_SIZE 48
#define D_IS_NEXT 64
#define D_IS_THREADS 72
#define D_TS_SIZE 176
#define D_TS_NEXT 192
#define D_TS_FRAME 208
#define D_TS_TID 216
#define D_FR_SIZE 248
#define D_FR_PREV 256
#define D_FR_EXEC 264
#define D_FR_INSTR 272
#define D_FR_OWNER 288
#define D_FR_TLBC 304
#define D_CO_SIZE 312
#define D_CO_FILE 320
#define D_CO_QUAL 336
#define D_CO_LT 344
#define D_CO_FIRST 352
#define D_CO_ADAPT 384
#define D_CO_TLBC 392
#define D_BY_SIZE 592
#define D_BY_LEN 600
#define D_BY_DATA 608
#define D_UN_SIZE 616
#define D_UN_STATE 624
#define D_UN_LEN 632
#define D_UN_ASCII 640
#define RT_HEAD 808
#define IS_NEXT 7272
#define FR_OWNER 78
#define FR_TLBC 72
#define CO_FIRSTTRACEABLE 208
#define CO_ADAPT 232
#define CO_TLBC 224
#define STATE_SHIFT 8
#endif
/* The same in both free-threaded builds (32-byte object header). */
#define IS_THREADS 7344
#define TS_NEXT 8
#define TS_INTERP 16	/* prev, next, interp: every version */
#define TS_FRAME 72
#define TS_TID 152
#define FR_PREV 8
#define FR_EXEC 0
#define FR_INSTR 56
#define CO_FIRSTLINENO 84
#define CO_FILE 128
#define CO_QUAL 144
#define CO_LT 152
#define BY_LEN 32
#define BY_DATA 48
#define UN_LEN 32
#define UN_STATE 48
#define UN_ASCII 56
#define UN_COMPACT 72

#define OWNER_THREAD 0
#define OWNER_INTERPRETER 3	/* 3.13: FRAME_OWNED_BY_CSTACK, also 3 */
#ifdef FAKE_313T
#define TAG 0			/* f_executable is a plain PyObject * */
#else
#define TAG 1			/* a _PyStackRef: low bits are tags */
#endif

/* _PyRuntime: _Py_DebugOffsets first, statically initialised as CPython
 * does it, so that it is right from the first instruction. */
#define Q(pos) [(pos) / 8]
uint64_t _PyRuntime[1024] __attribute__((aligned(64))) = {
	[0] = 0x7970677562656478ULL,	/* "xdebugpy" */
	[1] = VERSION,
	[2] = 1,			/* free_threaded */
	Q(D_RT_SIZE) = 8192, Q(D_RT_HEAD) = RT_HEAD,
	Q(D_IS_SIZE) = 8192, Q(D_IS_NEXT) = IS_NEXT,
	Q(D_IS_THREADS) = IS_THREADS,
	Q(D_TS_SIZE) = 400, Q(D_TS_NEXT) = TS_NEXT, Q(D_TS_FRAME) = TS_FRAME,
	Q(D_TS_TID) = TS_TID,
	Q(D_FR_SIZE) = 96, Q(D_FR_PREV) = FR_PREV, Q(D_FR_EXEC) = FR_EXEC,
	Q(D_FR_INSTR) = FR_INSTR, Q(D_FR_OWNER) = FR_OWNER,
	Q(D_CO_SIZE) = 240, Q(D_CO_FILE) = CO_FILE, Q(D_CO_QUAL) = CO_QUAL,
	Q(D_CO_LT) = CO_LT, Q(D_CO_FIRST) = CO_FIRSTLINENO,
	Q(D_CO_ADAPT) = CO_ADAPT,
#ifdef D_FR_TLBC
	Q(D_FR_TLBC) = FR_TLBC, Q(D_CO_TLBC) = CO_TLBC,
#endif
	Q(D_BY_SIZE) = 64, Q(D_BY_LEN) = BY_LEN, Q(D_BY_DATA) = BY_DATA,
	Q(D_UN_SIZE) = 80, Q(D_UN_STATE) = UN_STATE, Q(D_UN_LEN) = UN_LEN,
	Q(D_UN_ASCII) = UN_ASCII,
};
const uint64_t Py_Version = VERSION;

static void *obj(size_t size)
{
	void *p = aligned_alloc(64, (size + 63) & ~(size_t)63);

	if (!p)
		exit(2);
	memset(p, 0, size);
	return p;
}

static void put64(void *base, size_t off, uint64_t v)
{
	memcpy((char *)base + off, &v, sizeof(v));
}

static void put32(void *base, size_t off, uint32_t v)
{
	memcpy((char *)base + off, &v, sizeof(v));
}

/* A compact latin-1 string (ASCII when every byte is < 0x80). */
static void *str(const char *latin1)
{
	size_t n = strlen(latin1);
	int ascii = 1;
	char *o;

	for (size_t i = 0; i < n; i++)
		if ((unsigned char)latin1[i] >= 0x80)
			ascii = 0;
	o = obj(UN_COMPACT + n + 1);
	put64(o, UN_LEN, n);
	put32(o, UN_STATE, (1u << STATE_SHIFT) | (1u << (STATE_SHIFT + 3)) |
				   ((unsigned)ascii << (STATE_SHIFT + 4)));
	memcpy(o + (ascii ? UN_ASCII : UN_COMPACT), latin1, n);
	return o;
}

/*
 * A 3.11+ location table: code units 0-7 on firstlineno, 8-15 one line
 * further, 16-23 three lines further (codes 10, 11, 12: a delta of
 * code - 10 and two column bytes).
 */
static void *linetable(void)
{
	static const uint8_t t[] = { 0x80 | 10 << 3 | 7, 1, 2,
				     0x80 | 11 << 3 | 7, 1, 2,
				     0x80 | 12 << 3 | 7, 1, 2 };
	char *o = obj(BY_DATA + sizeof(t) + 1);

	put64(o, BY_LEN, sizeof(t));
	memcpy(o + BY_DATA, t, sizeof(t));
	return o;
}

static int line_of(int first, int unit)
{
	return unit < 8 ? first : unit < 16 ? first + 1 : first + 3;
}

static char *code(const char *file, const char *name, int first)
{
	char *c = obj(CO_ADAPT + 64);

	put64(c, CO_FILE, (uint64_t)str(file));
	put64(c, CO_QUAL, (uint64_t)str(name));
	put64(c, CO_LT, (uint64_t)linetable());
	put32(c, CO_FIRSTLINENO, (uint32_t)first);
	put32(c, CO_FIRSTTRACEABLE, 0);
	return c;
}

static char *frame(char *prev, uint64_t executable, uint64_t instr,
		   int owner)
{
	char *f = obj(96);

	put64(f, FR_PREV, (uint64_t)prev);
	put64(f, FR_EXEC, executable);
	put64(f, FR_INSTR, instr);
	f[FR_OWNER] = (char)owner;
	return f;
}

int main(int argc, char **argv)
{
	char *interp = obj(8192), *ts = obj(400);
	char *c_outer, *c_mid, *c_inner, *f_outer, *f_mid, *f_shim, *f_inner;
	uint64_t inner_instr;
	FILE *out;

	if (argc != 3) {
		fprintf(stderr, "usage: fake_ft EXPECTED.json MARKER\n");
		return 2;
	}
	c_outer = code("/srv/app/main.py", "main", 10);
	c_mid = code("/srv/app/jobs.py", "Job.run", 40);
	c_inner = code("/srv/app/caf\xe9.py", "caf\xe9_open", 70);

	f_outer = frame(NULL, (uint64_t)c_outer,
			(uint64_t)(c_outer + CO_ADAPT + 2 * 3), OWNER_THREAD);
	/* Tag bits on the code pointer, as a _PyStackRef has. */
	f_mid = frame(f_outer, (uint64_t)c_mid | TAG,
		      (uint64_t)(c_mid + CO_ADAPT + 2 * 17), OWNER_THREAD);
	/* An entry shim: f_executable is None (tagged), skipped. */
	f_shim = frame(f_mid, (uint64_t)str("None") | TAG, 0,
		       OWNER_INTERPRETER);
	inner_instr = (uint64_t)(c_inner + CO_ADAPT + 2 * 10);
#ifdef CO_TLBC
	{
		/* This thread runs its own copy of c_inner's bytecode. */
		char *copy = obj(64), *arr = obj(8 + 2 * 8);

		put64(arr, 0, 2);
		put64(arr, 8, (uint64_t)(c_inner + CO_ADAPT));
		put64(arr, 16, (uint64_t)copy);
		put64(c_inner, CO_TLBC, (uint64_t)arr);
		put64(c_outer, CO_TLBC, (uint64_t)arr);	/* index 7 > size */
		put64(c_mid, CO_TLBC, (uint64_t)arr);
		inner_instr = (uint64_t)(copy + 2 * 10);
	}
#endif
	f_inner = frame(f_shim, (uint64_t)c_inner, inner_instr, OWNER_THREAD);
#ifdef FR_TLBC
	put32(f_inner, FR_TLBC, 1);
	put32(f_outer, FR_TLBC, 7);
#endif

	put64(ts, TS_NEXT, 0);
	put64(ts, TS_INTERP, (uint64_t)interp);
	put64(ts, TS_TID, (uint64_t)pthread_self());
	put64(ts, TS_FRAME, (uint64_t)f_inner);
	put64(interp, IS_NEXT, 0);
	put64(interp, IS_THREADS, (uint64_t)ts);
	put64(_PyRuntime, RT_HEAD, (uint64_t)interp);

	out = fopen(argv[1], "w");
	if (!out)
		return 2;
	fprintf(out, "[{\"file\": \"/srv/app/caf\\u00e9.py\", \"line\": %d, "
		     "\"name\": \"caf\\u00e9_open\"},\n",
		line_of(70, 10));
	fprintf(out, " {\"file\": \"/srv/app/jobs.py\", \"line\": %d, "
		     "\"name\": \"Job.run\"},\n", line_of(40, 17));
#ifdef FR_TLBC
	fprintf(out, " {\"file\": \"/srv/app/main.py\", \"line\": null, "
		     "\"name\": \"main\"}]\n");
#else
	fprintf(out, " {\"file\": \"/srv/app/main.py\", \"line\": %d, "
		     "\"name\": \"main\"}]\n", line_of(10, 3));
#endif
	fclose(out);

	/* pytrace looks at a new image right after exec: give it a moment,
	 * then open the marker a few times. */
	for (int i = 0; i < 5; i++) {
		int fd;

		usleep(100000);
		fd = open(argv[2], O_RDONLY);
		if (fd >= 0)
			close(fd);
	}
	return 0;
}
