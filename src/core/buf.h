/* buf.h: a growable byte buffer with a hard cap. Every append checks the cap and
 * overflow before growing, so hostile input can never make it grow without bound. */
#ifndef CSHQ_BUF_H
#define CSHQ_BUF_H

#include <stdarg.h>

#include "core/common.h"

struct buf {
	char *data; /* always NUL-terminated when len > 0 or after buf_cstr */
	size_t len;
	size_t cap;
	size_t max; /* hard cap on len */
};

#define BUF_INIT(maxlen) {NULL, 0, 0, (maxlen)}

void buf_init(struct buf *b, size_t max);
/* Frees the storage; the buffer may be reused after buf_init. Accepts NULL. */
void buf_release(struct buf *b);
void buf_reset(struct buf *b);
/* Each returns CSHQ_OK or CSHQ_ELIMIT (the cap would be exceeded; the buffer is unchanged). */
int buf_append(struct buf *b, const void *p, size_t n);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* The contents as a C string ("" when empty); owned by the buffer. */
const char *buf_cstr(struct buf *b);
/* Hands the storage to the caller (free() it); the buffer becomes empty. */
char *buf_detach(struct buf *b, size_t *len);

#endif
