/* tls.h: TLS ClientHello parser: SNI, ALPN, and the JA3 and JA4 fingerprints. */
#ifndef CSHQ_SENSOR_TLS_H
#define CSHQ_SENSOR_TLS_H

#include "decode/decode.h"

/* ClientHellos larger than this are not inspected (post-quantum key shares make them
 * ~2 KB today; the cap leaves room while bounding the per-flow buffer). */
#define TLS_MAX_HANDSHAKE 32768
#define TLS_JA3_STRING_MAX 2048

struct tls_client_hello {
	uint16_t legacy_version;
	uint16_t version; /* highest of supported_versions, else legacy_version */
	char sni[256];    /* "" when absent; bytes outside printable ASCII as '?' */
	char alpn[64];    /* first ALPN protocol, "" when absent */
	char ja3[33];     /* MD5 of ja3_string, lowercase hex */
	char ja3_string[TLS_JA3_STRING_MAX]; /* truncated for display when longer */
	char ja4[40];
};

/* d/len: the client's byte stream from its first byte (one or more TLS records).
 * PARSE_OK: out is filled. PARSE_MORE: a valid prefix, call again with more bytes.
 * PARSE_ERR: not a TLS handshake starting with a ClientHello, or malformed. */
int tls_parse_client_hello(const uint8_t *d, size_t len, struct tls_client_hello *out);

/* Whether the bytes can start a TLS handshake record (for protocol detection). */
bool tls_looks_like_handshake(const uint8_t *d, size_t len);

#endif
