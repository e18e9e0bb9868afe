/* common.c: invariant failures and allocation that aborts on out-of-memory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"

void cshq_assert_fail(const char *expr, const char *file, int line)
{
	fprintf(stderr, "cshq: invariant broken: %s (%s:%d)\n", expr, file, line);
	abort();
}

static void *oom(size_t n)
{
	fprintf(stderr, "cshq: out of memory allocating %zu bytes\n", n);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	return p ? p : oom(n);
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	return p ? p : oom(n * size);
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	return q ? q : oom(n);
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}
