// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Totals for -c/-C.  The syscall table has strace's layout and order (most
 * time first, then by syscall number); times are the wall time from entry
 * to return, which is what strace -c -w measures (strace's default is the
 * process's system CPU time, which pytrace cannot see per call).
 */
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "pytrace.h"
#include "summary.h"

#define SITES_SHOWN 15	/* rows of each call-site table in text */

struct sc_total {
	uint64_t calls, errors, ns;
};

struct site_row {
	char *key;		/* frames joined, the hash key */
	size_t keylen;
	struct summary_frame f[2];
	unsigned n;
	struct sc_total t;
};

struct summary {
	struct sc_total sc[PT_NR_SYSCALLS];
	struct site_row *rows;	/* open addressing on key */
	size_t cap, count;
};

struct summary *summary_new(void)
{
	return calloc(1, sizeof(struct summary));
}

void summary_free(struct summary *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->cap; i++)
		free(s->rows[i].key);	/* the frames point into it */
	free(s->rows);
	free(s);
}

static bool is_error(int64_t ret)
{
	return ret < 0 && ret >= -4095;
}

static void total_add(struct sc_total *t, int64_t ret, uint64_t ns)
{
	t->calls++;
	t->errors += is_error(ret);
	t->ns += ns;
}

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h;
}

static void build_key(struct sbuf *k, const struct summary_site *site)
{
	for (unsigned i = 0; i < site->n && i < 2; i++)
		sb_printf(k, "%s%c%d%c%s%c", site->f[i].file ?: "", 0,
			  site->f[i].line, 0, site->f[i].func ?: "", 0);
}

/* The frames of a row point into its key, so they live as long as it. */
static void row_init(struct site_row *r, const char *key, size_t len,
		     const struct summary_site *site)
{
	const char *p;

	r->key = malloc(len + 1);
	if (!r->key)
		return;
	memcpy(r->key, key, len);
	r->key[len] = '\0';
	r->keylen = len;
	r->n = site->n;
	p = r->key + 1;		/* key[0] is the length byte, see find_row */
	for (unsigned i = 0; i < site->n && i < 2; i++) {
		r->f[i].file = site->f[i].file ? p : NULL;
		p += strlen(p) + 1;
		r->f[i].line = site->f[i].line;
		p += strlen(p) + 1;
		r->f[i].func = site->f[i].func ? p : NULL;
		p += strlen(p) + 1;
	}
}

static int grow(struct summary *s)
{
	size_t ncap = s->cap ? 2 * s->cap : 256;
	struct site_row *nr = calloc(ncap, sizeof(*nr));

	if (!nr)
		return -1;
	for (size_t i = 0; i < s->cap; i++) {
		size_t j;

		if (!s->rows[i].key)
			continue;
		j = hash_str(s->rows[i].key + 1) & (ncap - 1);
		while (nr[j].key)
			j = (j + 1) & (ncap - 1);
		nr[j] = s->rows[i];
	}
	free(s->rows);
	s->rows = nr;
	s->cap = ncap;
	return 0;
}

/*
 * Keys hold NULs between fields, so rows are compared by length and memcmp;
 * the hash covers the first field (after a leading 'k', which keeps an
 * empty key non-empty), the file name, which is enough to spread them.
 */
static struct site_row *find_row(struct summary *s,
				 const struct summary_site *site)
{
	struct sbuf k = {};
	struct site_row *r = NULL;
	size_t j;

	sb_putc(&k, 'k');
	build_key(&k, site);
	sb_str(&k);
	if ((s->count + 1) * 2 > s->cap && grow(s))
		goto out;
	j = hash_str(k.p + 1) & (s->cap - 1);
	for (;; j = (j + 1) & (s->cap - 1)) {
		struct site_row *c = &s->rows[j];

		if (!c->key) {
			row_init(c, k.p, k.len, site);
			if (c->key) {
				s->count++;
				r = c;
			}
			break;
		}
		if (c->keylen == k.len && memcmp(c->key, k.p, k.len) == 0) {
			r = c;
			break;
		}
	}
out:
	sb_free(&k);
	return r;
}

void summary_add(struct summary *s, unsigned nr, int64_t ret, uint64_t ns,
		 const struct summary_site *site)
{
	static const struct summary_site none;
	struct site_row *r;

	if (!s || nr >= PT_NR_SYSCALLS)
		return;
	total_add(&s->sc[nr], ret, ns);
	r = find_row(s, site ? site : &none);
	if (r)
		total_add(&r->t, ret, ns);
}

/* ---- printing ------------------------------------------------------------ */

static const char rule[] =
	"------ ----------- ----------- --------- --------- ----------------\n";

static void put_row(struct sbuf *o, const struct sc_total *t, uint64_t all_ns,
		    const char *name)
{
	/* strace's total row says 100.00 even when no time was measured */
	double pct = all_ns ? 100.0 * (double)t->ns / (double)all_ns
		   : strcmp(name, "total") ? 0.0 : 100.0;

	sb_printf(o, "%6.2f %11.6f %11llu %9llu ", pct, t->ns / 1e9,
		  (unsigned long long)(t->calls ? t->ns / 1000 / t->calls : 0),
		  (unsigned long long)t->calls);
	if (t->errors)
		sb_printf(o, "%9llu", (unsigned long long)t->errors);
	else
		sb_printf(o, "%9s", "");
	sb_printf(o, " %s\n", name);
}

static const struct summary *sort_ctx;

/* strace's default order: most time first, then by syscall number. */
static int by_time(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
	uint64_t tx = sort_ctx->sc[x].ns, ty = sort_ctx->sc[y].ns;

	if (tx != ty)
		return tx < ty ? 1 : -1;
	return x < y ? -1 : x > y;
}

/* Call sites: most calls first, then most time, then by key. */
static int by_calls(const void *a, const void *b)
{
	const struct site_row *x = *(const struct site_row *const *)a;
	const struct site_row *y = *(const struct site_row *const *)b;

	if (x->t.calls != y->t.calls)
		return x->t.calls < y->t.calls ? 1 : -1;
	if (x->t.ns != y->t.ns)
		return x->t.ns < y->t.ns ? 1 : -1;
	return strcmp(x->key + 1, y->key + 1);
}

static unsigned sorted_syscalls(struct summary *s, unsigned *order,
				struct sc_total *all)
{
	unsigned n = 0;

	for (unsigned nr = 0; nr < PT_NR_SYSCALLS; nr++) {
		if (!s->sc[nr].calls)
			continue;
		order[n++] = nr;
		all->calls += s->sc[nr].calls;
		all->errors += s->sc[nr].errors;
		all->ns += s->sc[nr].ns;
	}
	sort_ctx = s;
	qsort(order, n, sizeof(*order), by_time);
	return n;
}

/* Call sites: most time first, then most calls, then by key. */
static int by_time_site(const void *a, const void *b)
{
	const struct site_row *x = *(const struct site_row *const *)a;
	const struct site_row *y = *(const struct site_row *const *)b;

	if (x->t.ns != y->t.ns)
		return x->t.ns < y->t.ns ? 1 : -1;
	return by_calls(a, b);
}

static struct site_row **sorted_sites(struct summary *s)
{
	struct site_row **v = calloc(s->count + 1, sizeof(*v));
	size_t n = 0;

	if (!v)
		return NULL;
	for (size_t i = 0; i < s->cap; i++)
		if (s->rows[i].key)
			v[n++] = &s->rows[i];
	qsort(v, n, sizeof(*v), by_calls);
	return v;
}

static void put_frame_text(struct sbuf *o, const struct summary_frame *f)
{
	if (f->line >= 0)
		sb_printf(o, "%s:%d %s", f->file ?: "<unknown>", f->line,
			  f->func ?: "?");
	else
		sb_printf(o, "%s:? %s", f->file ?: "<unknown>", f->func ?: "?");
}

static void print_site_table(struct sbuf *o, struct site_row **v, size_t n,
			     uint64_t all_ns, const char *what)
{
	sb_printf(o, "\n%% time     seconds  usecs/call     calls    errors "
		     "python call site, %s (innermost frame <- caller)\n", what);
	sb_puts(o, rule);
	for (size_t i = 0; i < n && i < SITES_SHOWN; i++) {
		struct sbuf name = {};

		if (!v[i]->n)
			sb_puts(&name, "[no Python frames]");
		for (unsigned k = 0; k < v[i]->n; k++) {
			if (k)
				sb_puts(&name, " <- ");
			put_frame_text(&name, &v[i]->f[k]);
		}
		put_row(o, &v[i]->t, all_ns, sb_str(&name));
		sb_free(&name);
	}
	if (n > SITES_SHOWN)
		sb_printf(o, "(%zu more call sites; --json lists them all)\n",
			  n - SITES_SHOWN);
}

/* The sites that made the most calls, then those that took the most time
 * (often not the same: one slow connect against many fast reads). */
static void print_sites_text(struct summary *s, struct sbuf *o, uint64_t all_ns)
{
	struct site_row **v = sorted_sites(s);

	if (!v)
		return;
	print_site_table(o, v, s->count, all_ns, "most calls");
	qsort(v, s->count, sizeof(*v), by_time_site);
	print_site_table(o, v, s->count, all_ns, "most time");
	free(v);
}

static void put_json_str(struct sbuf *o, const char *s)
{
	if (s)
		json_str(o, (const unsigned char *)s, strlen(s));
	else
		sb_puts(o, "null");
}

static void put_total_json(struct sbuf *o, const struct sc_total *t,
			   uint64_t all_ns)
{
	sb_printf(o, "\"calls\":%llu,\"errors\":%llu,\"ns\":%llu,\"percent\":%.2f",
		  (unsigned long long)t->calls, (unsigned long long)t->errors,
		  (unsigned long long)t->ns,
		  all_ns ? 100.0 * (double)t->ns / (double)all_ns : 0.0);
}

static void print_json(struct summary *s, struct sbuf *o, const unsigned *order,
		       unsigned n, const struct sc_total *all)
{
	struct site_row **v = sorted_sites(s);
	char tmp[32];

	sb_puts(o, "{\"v\":1,\"type\":\"syscall_summary\",\"syscalls\":[");
	for (unsigned i = 0; i < n; i++) {
		sb_printf(o, "%s{\"syscall\":\"%s\",", i ? "," : "",
			  decode_name(order[i], tmp, sizeof(tmp)));
		put_total_json(o, &s->sc[order[i]], all->ns);
		sb_putc(o, '}');
	}
	sb_puts(o, "],\"total\":{");
	put_total_json(o, all, all->ns);
	sb_puts(o, "},\"sites\":[");
	for (size_t i = 0; v && i < s->count; i++) {
		sb_puts(o, i ? ",{\"frames\":[" : "{\"frames\":[");
		for (unsigned k = 0; k < v[i]->n; k++) {
			sb_puts(o, k ? ",{\"file\":" : "{\"file\":");
			put_json_str(o, v[i]->f[k].file);
			sb_printf(o, ",\"line\":%d,\"func\":", v[i]->f[k].line);
			put_json_str(o, v[i]->f[k].func);
			sb_putc(o, '}');
		}
		sb_puts(o, "],");
		put_total_json(o, &v[i]->t, all->ns);
		sb_putc(o, '}');
	}
	sb_puts(o, "]}\n");
	free(v);
}

void summary_print(struct summary *s, struct sbuf *out, bool json)
{
	unsigned order[PT_NR_SYSCALLS];
	struct sc_total all = {};
	unsigned n;
	char tmp[32];

	if (!s)
		return;
	n = sorted_syscalls(s, order, &all);
	if (json) {
		print_json(s, out, order, n, &all);
		return;
	}
	sb_puts(out, "% time     seconds  usecs/call     calls    errors syscall\n");
	sb_puts(out, rule);
	for (unsigned i = 0; i < n; i++)
		put_row(out, &s->sc[order[i]], all.ns,
			decode_name(order[i], tmp, sizeof(tmp)));
	sb_puts(out, rule);
	put_row(out, &all, all.ns, "total");
	print_sites_text(s, out, all.ns);
}
