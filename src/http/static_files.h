/* static_files.h: serves the built browser UI (web/dist) with a strict path check; any
 * unknown path without an extension gets index.html so client-side routes load. */
#ifndef CSHQ_STATIC_FILES_H
#define CSHQ_STATIC_FILES_H

#include "http/http.h"

void static_files_serve(const char *web_dir, const char *url, struct http_response *res);

#endif
