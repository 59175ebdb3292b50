// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * /proc/PID/maps lines look like
 *   7f3a1c000000-7f3a1c021000 r-xp 00001000 fd:01 1234567    /usr/lib/x.so
 * The path is whatever the file is called, spaces included, with
 * " (deleted)" appended once it is unlinked (newlines come as "\012").
 * Nothing in it is trusted: fields are parsed strictly, lines are bounded.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "procmaps.h"

#define MAX_LINE (4 * 4096 + 256)	/* PATH_MAX, every byte escaped */
#define MAX_FILE (256u << 20)
#define DELETED " (deleted)"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int parse_hex(const char **p, const char *end, uint64_t *out)
{
	uint64_t v = 0;
	int n = 0, d;

	while (*p < end && (d = hexval(**p)) >= 0) {
		if (++n > 16)
			return -1;
		v = v << 4 | (uint64_t)d;
		(*p)++;
	}
	*out = v;
	return n ? 0 : -1;
}

static int parse_dec(const char **p, const char *end, uint64_t *out)
{
	uint64_t v = 0;
	int n = 0;

	while (*p < end && **p >= '0' && **p <= '9') {
		unsigned d = (unsigned)(**p - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
		n++;
		(*p)++;
	}
	*out = v;
	return n ? 0 : -1;
}

static int expect(const char **p, const char *end, char c)
{
	if (*p >= end || **p != c)
		return -1;
	(*p)++;
	return 0;
}

/* One line, [line, end), NUL at *end allowed to be written. */
static int parse_line(char *line, char *end, struct procmap *m)
{
	const char *p = line;
	uint64_t maj, min;

	memset(m, 0, sizeof(*m));
	if (parse_hex(&p, end, &m->start) || expect(&p, end, '-') ||
	    parse_hex(&p, end, &m->end) || expect(&p, end, ' '))
		return -1;
	if (end - p < 5 || p[4] != ' ')
		return -1;
	memcpy(m->perms, p, 4);
	p += 5;
	if (parse_hex(&p, end, &m->offset) || expect(&p, end, ' ') ||
	    parse_hex(&p, end, &maj) || expect(&p, end, ':') ||
	    parse_hex(&p, end, &min) || expect(&p, end, ' ') ||
	    parse_dec(&p, end, &m->inode))
		return -1;
	if (m->start >= m->end || maj > 0xffffffffu || min > 0xffffffffu)
		return -1;
	m->dev_major = (unsigned)maj;
	m->dev_minor = (unsigned)min;
	if (p < end && *p != ' ')
		return -1;
	while (p < end && *p == ' ')
		p++;
	*end = '\0';
	if ((size_t)(end - p) >= sizeof(DELETED) - 1 &&
	    !memcmp(end - (sizeof(DELETED) - 1), DELETED, sizeof(DELETED) - 1)) {
		m->deleted = true;
		end[-(long)(sizeof(DELETED) - 1)] = '\0';
	}
	m->path = p;
	return 0;
}

int procmaps_parse(char *text, size_t len, struct procmaps *out)
{
	size_t cap = 0;
	char *p = text, *end = text + len;

	out->v = NULL;
	out->n = out->skipped = 0;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *le = nl ? nl : end;
		struct procmap m;

		if (le - p > MAX_LINE || parse_line(p, le, &m)) {
			out->skipped++;
		} else {
			if (out->n == cap) {
				size_t ncap = cap ? cap * 2 : 64;
				void *nv = realloc(out->v, ncap * sizeof(*out->v));

				if (!nv)
					return -ENOMEM;
				out->v = nv;
				cap = ncap;
			}
			out->v[out->n++] = m;
		}
		p = le + 1;
	}
	return 0;
}

static int read_all(int fd, char **buf, size_t *len)
{
	size_t cap = 64 * 1024, n = 0;
	char *b = malloc(cap + 1);

	if (!b)
		return -ENOMEM;
	for (;;) {
		ssize_t r;

		if (n == cap) {
			char *nb;

			if (cap >= MAX_FILE) {
				free(b);
				return -EFBIG;
			}
			cap *= 2;
			nb = realloc(b, cap + 1);
			if (!nb) {
				free(b);
				return -ENOMEM;
			}
			b = nb;
		}
		r = read(fd, b + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int err = -errno;

			free(b);
			return err;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

int procmaps_read(pid_t pid, struct procmaps *out)
{
	char path[64];
	size_t len = 0;
	int fd, err;

	memset(out, 0, sizeof(*out));
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	err = read_all(fd, &out->text, &len);
	close(fd);
	if (err)
		return err;
	return procmaps_parse(out->text, len, out);
}

const struct procmap *procmaps_find(const struct procmaps *m, uint64_t addr)
{
	size_t lo = 0, hi = m->n;

	/* The kernel lists mappings in address order. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct procmap *v = &m->v[mid];

		if (addr < v->start)
			hi = mid;
		else if (addr >= v->end)
			lo = mid + 1;
		else
			return v;
	}
	return NULL;
}

void procmaps_free(struct procmaps *m)
{
	free(m->v);
	free(m->text);
	memset(m, 0, sizeof(*m));
}
