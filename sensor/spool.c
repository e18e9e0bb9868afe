/* spool.c: batch files "b-<first seq, 20 digits>-<count>.json" sort by name in the
 * order they were made, so the oldest is the first name. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spool.h"

#define SEQ_BLOCK 1000

static int write_durable(struct spool *s, const char *name, const char *data, size_t len)
{
	char tmp[128];
	snprintf(tmp, sizeof(tmp), ".%s.tmp", name);
	int fd = openat(s->dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return CSHQ_ERR;
	size_t off = 0;
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			unlinkat(s->dirfd, tmp, 0);
			return CSHQ_ERR;
		}
		off += (size_t)w;
	}
	if (fsync(fd) != 0) {
		close(fd);
		unlinkat(s->dirfd, tmp, 0);
		return CSHQ_ERR;
	}
	close(fd);
	if (renameat(s->dirfd, tmp, s->dirfd, name) != 0 || fsync(s->dirfd) != 0)
		return CSHQ_ERR;
	return CSHQ_OK;
}

static uint64_t read_number(struct spool *s, const char *name)
{
	char buf[32] = "";
	int fd = openat(s->dirfd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return strtoull(buf, NULL, 10);
}

static bool is_batch(const char *name)
{
	return strncmp(name, "b-", 2) == 0 && strlen(name) > 8 &&
	       strcmp(name + strlen(name) - 5, ".json") == 0;
}

uint32_t spool_batch_count(const char *name)
{
	const char *dash = strrchr(name, '-');
	return dash ? (uint32_t)strtoul(dash + 1, NULL, 10) : 0;
}

static uint64_t batch_first_seq(const char *name)
{
	return strtoull(name + 2, NULL, 10);
}

int spool_open(struct spool *s, const char *dir, uint64_t max_bytes, char *err, size_t errlen)
{
	memset(s, 0, sizeof(*s));
	s->dirfd = -1;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "spool %s: %s", dir, strerror(errno));
		return CSHQ_ERR;
	}
	s->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s->dirfd < 0) {
		snprintf(err, errlen, "spool %s: %s", dir, strerror(errno));
		return CSHQ_ERR;
	}
	s->dir = xstrdup(dir);
	s->max_bytes = max_bytes;
	pthread_mutex_init(&s->lock, NULL);
	s->next_seq = read_number(s, "seq");
	s->dropped = read_number(s, "dropped");
	DIR *d = opendir(dir);
	if (!d) {
		snprintf(err, errlen, "spool %s: %s", dir, strerror(errno));
		return CSHQ_ERR;
	}
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' && strstr(de->d_name, ".tmp")) {
			unlinkat(s->dirfd, de->d_name, 0); /* a write cut short by a crash */
			continue;
		}
		if (!is_batch(de->d_name))
			continue;
		struct stat sb;
		if (fstatat(s->dirfd, de->d_name, &sb, 0) == 0)
			s->bytes += (uint64_t)sb.st_size;
		s->batches++;
		/* belt and braces: never reuse a number present in the spool */
		uint64_t last = batch_first_seq(de->d_name) + spool_batch_count(de->d_name);
		if (last > s->next_seq)
			s->next_seq = last;
	}
	closedir(d);
	if (s->next_seq == 0)
		s->next_seq = 1;
	s->reserved_until = s->next_seq;
	return CSHQ_OK;
}

void spool_close(struct spool *s)
{
	if (!s || !s->dir)
		return;
	close(s->dirfd);
	free(s->dir);
	s->dir = NULL;
	pthread_mutex_destroy(&s->lock);
}

int spool_next_seq(struct spool *s, uint64_t *seq)
{
	int rc = CSHQ_OK;
	pthread_mutex_lock(&s->lock);
	if (s->next_seq >= s->reserved_until) {
		char buf[32];
		uint64_t until = s->next_seq + SEQ_BLOCK;
		int n = snprintf(buf, sizeof(buf), "%" PRIu64 "\n", until);
		rc = write_durable(s, "seq", buf, (size_t)n);
		if (rc == CSHQ_OK)
			s->reserved_until = until;
	}
	if (rc == CSHQ_OK)
		*seq = s->next_seq++;
	pthread_mutex_unlock(&s->lock);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted batch names; caller frees each and the array. */
static size_t list_batches(struct spool *s, char ***out)
{
	size_t n = 0, cap = 16;
	char **v = xmalloc(cap * sizeof(*v));
	int fd = dup(s->dirfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (d) {
		rewinddir(d);
		struct dirent *de;
		while ((de = readdir(d)))
			if (is_batch(de->d_name)) {
				if (n == cap) {
					cap *= 2;
					v = xrealloc(v, cap * sizeof(*v));
				}
				v[n++] = xstrdup(de->d_name);
			}
		closedir(d);
	} else if (fd >= 0) {
		close(fd);
	}
	qsort(v, n, sizeof(*v), cmp_str);
	*out = v;
	return n;
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void persist_dropped(struct spool *s)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%" PRIu64 "\n", s->dropped);
	write_durable(s, "dropped", buf, (size_t)n);
}

int spool_write(struct spool *s, uint64_t first_seq, uint32_t count, const char *data,
		size_t len)
{
	char name[64];
	int rc = CSHQ_OK;
	snprintf(name, sizeof(name), "b-%020" PRIu64 "-%06u.json", first_seq, count);
	pthread_mutex_lock(&s->lock);
	if (s->max_bytes && len > s->max_bytes) {
		s->dropped += count;
		persist_dropped(s);
		rc = CSHQ_ELIMIT;
		goto out;
	}
	if (s->max_bytes && s->bytes + len > s->max_bytes) {
		/* oldest first: the newest alerts describe what is happening now */
		char **v;
		size_t n = list_batches(s, &v);
		for (size_t i = 0; i < n && s->bytes + len > s->max_bytes; i++) {
			struct stat sb;
			if (fstatat(s->dirfd, v[i], &sb, 0) != 0)
				continue;
			if (unlinkat(s->dirfd, v[i], 0) == 0) {
				s->bytes -= (uint64_t)sb.st_size < s->bytes ? (uint64_t)sb.st_size : s->bytes;
				s->batches--;
				s->dropped += spool_batch_count(v[i]);
			}
		}
		free_list(v, n);
		fsync(s->dirfd);
		persist_dropped(s);
	}
	rc = write_durable(s, name, data, len);
	if (rc == CSHQ_OK) {
		s->bytes += len;
		s->batches++;
	}
out:
	pthread_mutex_unlock(&s->lock);
	return rc;
}

int spool_oldest(struct spool *s, char name[64])
{
	pthread_mutex_lock(&s->lock);
	char **v;
	size_t n = list_batches(s, &v);
	int rc = CSHQ_ENOTFOUND;
	if (n) {
		snprintf(name, 64, "%s", v[0]);
		rc = CSHQ_OK;
	}
	free_list(v, n);
	pthread_mutex_unlock(&s->lock);
	return rc;
}

int spool_read(struct spool *s, const char *name, char **data, size_t *len)
{
	int fd = openat(s->dirfd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return CSHQ_ENOTFOUND;
	struct stat sb;
	if (fstat(fd, &sb) != 0 || sb.st_size > (off_t)1 << 30) {
		close(fd);
		return CSHQ_ERR;
	}
	size_t n = (size_t)sb.st_size, off = 0;
	char *b = xmalloc(n + 1);
	while (off < n) {
		ssize_t r = read(fd, b + off, n - off);
		if (r <= 0) {
			if (r < 0 && errno == EINTR)
				continue;
			break;
		}
		off += (size_t)r;
	}
	close(fd);
	b[off] = '\0';
	*data = b;
	*len = off;
	return off == n ? CSHQ_OK : CSHQ_ERR;
}

int spool_remove(struct spool *s, const char *name)
{
	pthread_mutex_lock(&s->lock);
	struct stat sb;
	int rc = CSHQ_ERR;
	if (fstatat(s->dirfd, name, &sb, 0) == 0 && unlinkat(s->dirfd, name, 0) == 0) {
		fsync(s->dirfd);
		s->bytes -= (uint64_t)sb.st_size < s->bytes ? (uint64_t)sb.st_size : s->bytes;
		s->batches--;
		rc = CSHQ_OK;
	}
	pthread_mutex_unlock(&s->lock);
	return rc;
}

int spool_set_aside(struct spool *s, const char *name)
{
	char to[80];
	snprintf(to, sizeof(to), "rejected-%s", name);
	pthread_mutex_lock(&s->lock);
	struct stat sb;
	int rc = CSHQ_ERR;
	if (fstatat(s->dirfd, name, &sb, 0) == 0 && renameat(s->dirfd, name, s->dirfd, to) == 0) {
		fsync(s->dirfd);
		s->bytes -= (uint64_t)sb.st_size < s->bytes ? (uint64_t)sb.st_size : s->bytes;
		s->batches--;
		rc = CSHQ_OK;
	}
	pthread_mutex_unlock(&s->lock);
	return rc;
}

uint64_t spool_pending(struct spool *s)
{
	pthread_mutex_lock(&s->lock);
	uint64_t n = s->batches;
	pthread_mutex_unlock(&s->lock);
	return n;
}

void spool_usage(struct spool *s, uint64_t *batches, uint64_t *bytes)
{
	pthread_mutex_lock(&s->lock);
	*batches = s->batches;
	*bytes = s->bytes;
	pthread_mutex_unlock(&s->lock);
}

uint64_t spool_dropped(struct spool *s)
{
	pthread_mutex_lock(&s->lock);
	uint64_t n = s->dropped;
	pthread_mutex_unlock(&s->lock);
	return n;
}
