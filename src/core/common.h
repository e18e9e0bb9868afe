/* common.h: what every translation unit of cshq needs: fixed-width types, the status
 * codes shared by all layers, and the banned-function guard. */
#ifndef CSHQ_COMMON_H
#define CSHQ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Status codes. Functions return one of these; outputs go through out-parameters. */
enum cshq_rc {
	CSHQ_OK = 0,
	CSHQ_ERR = -1,      /* internal failure (store, I/O) */
	CSHQ_ENOMEM = -2,   /* allocation failed */
	CSHQ_EINVAL = -3,   /* bad input from the caller */
	CSHQ_ENOTFOUND = -4,/* unknown, or not visible to the caller */
	CSHQ_ELIMIT = -5,   /* a hard size or count cap would be exceeded */
	CSHQ_ECONFLICT = -6,/* the state or the regime forbids it */
	CSHQ_EDENIED = -7,  /* visible but the caller may not change it */
};

#define CSHQ_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Abort on a broken invariant; never used for bad input. */
#define CSHQ_ASSERT(cond)                                                                    \
	do {                                                                                 \
		if (!(cond))                                                                 \
			cshq_assert_fail(#cond, __FILE__, __LINE__);                         \
	} while (0)
_Noreturn void cshq_assert_fail(const char *expr, const char *file, int line);

/* Allocation that aborts on out-of-memory: the only other abort-worthy condition. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#include "core/banned.h"

#endif
