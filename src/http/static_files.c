/* static_files.c: a read-only file server for the UI bundle. Only [A-Za-z0-9._-/] paths,
 * no "..", no hidden files, regular files only, capped size. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "http/static_files.h"

#define STATIC_FILE_MAX (16 * 1024 * 1024)

static bool safe_path(const char *url)
{
	if (url[0] != '/' || strstr(url, "..") || strstr(url, "/."))
		return false;
	for (const char *p = url; *p; p++) {
		char c = *p;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-' || c == '/'))
			return false;
	}
	return strlen(url) < 256;
}

static const char *mime_of(const char *path)
{
	const char *dot = strrchr(path, '.');
	if (!dot)
		return "application/octet-stream";
	static const char *const map[][2] = {
		{".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
		{".css", "text/css; charset=utf-8"},   {".svg", "image/svg+xml"},
		{".png", "image/png"},                 {".ico", "image/x-icon"},
		{".json", "application/json"},         {".woff2", "font/woff2"},
		{".txt", "text/plain; charset=utf-8"},
	};
	for (size_t i = 0; i < CSHQ_ARRAY_LEN(map); i++)
		if (strcmp(dot, map[i][0]) == 0)
			return map[i][1];
	return "application/octet-stream";
}

static bool load(const char *path, struct http_response *res)
{
	struct stat sb;
	if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size > STATIC_FILE_MAX)
		return false;
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	char chunk[16384];
	size_t n;
	buf_reset(&res->body);
	bool ok = true;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (buf_append(&res->body, chunk, n) != CSHQ_OK)
			ok = false;
	fclose(f);
	if (!ok)
		return false;
	res->status = 200;
	res->content_type = mime_of(path);
	res->cacheable = strncmp(strrchr(path, '/') ? strrchr(path, '/') : path, "/index.html", 11) != 0;
	return true;
}

void static_files_serve(const char *web_dir, const char *url, struct http_response *res)
{
	char path[512];
	if (!web_dir || !safe_path(url)) {
		http_not_found(res);
		return;
	}
	const char *rel = strcmp(url, "/") == 0 ? "/index.html" : url;
	snprintf(path, sizeof(path), "%s%s", web_dir, rel);
	if (load(path, res))
		return;
	const char *last = strrchr(url, '/');
	if (last && !strchr(last, '.')) {
		snprintf(path, sizeof(path), "%s/index.html", web_dir);
		if (load(path, res))
			return;
	}
	http_not_found(res);
}
