/* tls.c: ClientHello parsing and fingerprints. JA3 per Salesforce's definition (MD5 of
 * "version,ciphers,extensions,groups,point formats", GREASE removed); JA4 per FoxIO's
 * JA4 specification (TCP form "t"). */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "decode/tls.h"

static bool is_grease(uint16_t v)
{
	return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

bool tls_looks_like_handshake(const uint8_t *d, size_t len)
{
	if (len < 1 || d[0] != 22)
		return false;
	if (len >= 2 && d[1] != 3)
		return false;
	return true;
}

static void hex(const uint8_t *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = '\0';
}

static void digest_hex(const EVP_MD *md, const void *data, size_t len, char *out, size_t keep)
{
	unsigned char h[EVP_MAX_MD_SIZE];
	unsigned int hl = 0;
	char full[2 * EVP_MAX_MD_SIZE + 1];
	EVP_Digest(data, len, h, &hl, md, NULL);
	hex(h, hl, full);
	memcpy(out, full, keep);
	out[keep] = '\0';
}

static int cmp_u16(const void *a, const void *b)
{
	uint16_t x = *(const uint16_t *)a, y = *(const uint16_t *)b;
	return (x > y) - (x < y);
}

struct u16list {
	uint16_t *v;
	size_t n;
};

static void list_join(struct buf *b, const struct u16list *l, const char *sep, bool hexfmt)
{
	for (size_t i = 0; i < l->n; i++) {
		if (i)
			buf_puts(b, sep);
		if (hexfmt)
			buf_printf(b, "%04x", l->v[i]);
		else
			buf_printf(b, "%u", l->v[i]);
	}
}

static const char *ja4_version(uint16_t v)
{
	switch (v) {
	case 0x0304:
		return "13";
	case 0x0303:
		return "12";
	case 0x0302:
		return "11";
	case 0x0301:
		return "10";
	case 0x0300:
		return "s3";
	case 0x0200:
		return "s2";
	case 0xfeff:
		return "d1";
	case 0xfefd:
		return "d2";
	case 0xfefc:
		return "d3";
	default:
		return "00";
	}
}

static bool alnum(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Parses the ClientHello body h[0..n). */
static int parse_hello(const uint8_t *h, size_t n, struct tls_client_hello *out)
{
	int rc = PARSE_ERR;
	struct u16list ciphers = {NULL, 0}, exts = {NULL, 0}, groups = {NULL, 0},
		       formats = {NULL, 0}, sigalgs = {NULL, 0};
	struct buf b = BUF_INIT(256 * 1024);
	const uint8_t *alpn = NULL;
	size_t alpn_len = 0;
	bool have_sni = false;

	if (n < 35)
		goto out;
	out->legacy_version = rd16(h);
	out->version = out->legacy_version;
	size_t p = 34;
	size_t sid = h[p];
	p += 1 + sid;
	if (p + 2 > n)
		goto out;
	size_t cl = rd16(h + p);
	p += 2;
	if ((cl & 1) || cl > n - p)
		goto out;
	/* every list fits in n/2 entries: n is capped by TLS_MAX_HANDSHAKE */
	ciphers.v = xmalloc(n);
	exts.v = xmalloc(n);
	groups.v = xmalloc(n);
	formats.v = xmalloc(n * 2);
	sigalgs.v = xmalloc(n);
	for (size_t i = 0; i < cl; i += 2) {
		uint16_t c = rd16(h + p + i);
		if (!is_grease(c))
			ciphers.v[ciphers.n++] = c;
	}
	p += cl;
	if (p + 1 > n)
		goto out;
	size_t comp = h[p];
	p += 1 + comp;
	if (p > n)
		goto out;
	if (p + 2 <= n) {
		size_t el = rd16(h + p);
		p += 2;
		if (el > n - p)
			goto out;
		size_t end = p + el;
		while (p < end) {
			if (end - p < 4)
				goto out;
			uint16_t type = rd16(h + p);
			size_t len = rd16(h + p + 2);
			p += 4;
			if (len > end - p)
				goto out;
			const uint8_t *e = h + p;
			if (!is_grease(type))
				exts.v[exts.n++] = type;
			if (type == 0x0000 && len >= 5) { /* server_name */
				size_t nl = rd16(e + 3);
				if (e[2] == 0 && nl <= len - 5) {
					size_t k = nl < sizeof(out->sni) - 1 ? nl : sizeof(out->sni) - 1;
					for (size_t i = 0; i < k; i++) {
						uint8_t c = e[5 + i];
						out->sni[i] = (c > 0x20 && c < 0x7f) ? (char)c : '?';
					}
					out->sni[k] = '\0';
					have_sni = true;
				}
			} else if (type == 0x000a && len >= 2) {
				size_t gl = rd16(e);
				for (size_t i = 0; i + 1 < gl && 2 + i + 1 < len; i += 2) {
					uint16_t g = rd16(e + 2 + i);
					if (!is_grease(g))
						groups.v[groups.n++] = g;
				}
			} else if (type == 0x000b && len >= 1) {
				size_t fl = e[0];
				for (size_t i = 0; i < fl && 1 + i < len; i++)
					formats.v[formats.n++] = e[1 + i];
			} else if (type == 0x000d && len >= 2) {
				size_t sl = rd16(e);
				for (size_t i = 0; i + 1 < sl && 2 + i + 1 < len; i += 2) {
					uint16_t s = rd16(e + 2 + i);
					if (!is_grease(s))
						sigalgs.v[sigalgs.n++] = s;
				}
			} else if (type == 0x0010 && len >= 3) {
				size_t l1 = e[2];
				if (l1 <= len - 3) {
					alpn = e + 3;
					alpn_len = l1;
				}
			} else if (type == 0x002b && len >= 1) {
				size_t vl = e[0];
				uint16_t best = 0;
				for (size_t i = 0; i + 1 < vl && 1 + i + 1 < len; i += 2) {
					uint16_t v = rd16(e + 1 + i);
					if (!is_grease(v) && v > best)
						best = v;
				}
				if (best)
					out->version = best;
			}
			p += len;
		}
	}
	if (alpn) {
		size_t k = alpn_len < sizeof(out->alpn) - 1 ? alpn_len : sizeof(out->alpn) - 1;
		for (size_t i = 0; i < k; i++)
			out->alpn[i] = (alpn[i] > 0x20 && alpn[i] < 0x7f) ? (char)alpn[i] : '?';
		out->alpn[k] = '\0';
	}

	/* JA3 */
	buf_printf(&b, "%u,", out->legacy_version);
	list_join(&b, &ciphers, "-", false);
	buf_putc(&b, ',');
	list_join(&b, &exts, "-", false);
	buf_putc(&b, ',');
	list_join(&b, &groups, "-", false);
	buf_putc(&b, ',');
	list_join(&b, &formats, "-", false);
	const char *s = buf_cstr(&b);
	digest_hex(EVP_md5(), s, b.len, out->ja3, 32);
	snprintf(out->ja3_string, sizeof(out->ja3_string), "%s", s);

	/* JA4_a */
	char a_alpn[3] = "00";
	if (alpn && alpn_len > 0) {
		if (alnum(alpn[0]) && alnum(alpn[alpn_len - 1])) {
			a_alpn[0] = (char)alpn[0];
			a_alpn[1] = (char)alpn[alpn_len - 1];
		} else {
			char h1[3], h2[3];
			hex(alpn, 1, h1);
			hex(alpn + alpn_len - 1, 1, h2);
			a_alpn[0] = h1[0];
			a_alpn[1] = h2[1];
		}
	}
	char part_b[13], part_c[13];
	qsort(ciphers.v, ciphers.n, sizeof(uint16_t), cmp_u16);
	buf_reset(&b);
	list_join(&b, &ciphers, ",", true);
	if (ciphers.n)
		digest_hex(EVP_sha256(), buf_cstr(&b), b.len, part_b, 12);
	else
		snprintf(part_b, sizeof(part_b), "000000000000");
	size_t ext_count = exts.n;
	size_t k = 0;
	for (size_t i = 0; i < exts.n; i++)
		if (exts.v[i] != 0x0000 && exts.v[i] != 0x0010)
			exts.v[k++] = exts.v[i];
	exts.n = k;
	qsort(exts.v, exts.n, sizeof(uint16_t), cmp_u16);
	buf_reset(&b);
	list_join(&b, &exts, ",", true);
	if (sigalgs.n) {
		buf_putc(&b, '_');
		list_join(&b, &sigalgs, ",", true);
	}
	if (exts.n || sigalgs.n)
		digest_hex(EVP_sha256(), buf_cstr(&b), b.len, part_c, 12);
	else
		snprintf(part_c, sizeof(part_c), "000000000000");
	snprintf(out->ja4, sizeof(out->ja4), "t%s%c%02zu%02zu%s_%s_%s", ja4_version(out->version),
		 have_sni ? 'd' : 'i', ciphers.n > 99 ? (size_t)99 : ciphers.n,
		 ext_count > 99 ? (size_t)99 : ext_count, a_alpn, part_b, part_c);
	rc = PARSE_OK;
out:
	free(ciphers.v);
	free(exts.v);
	free(groups.v);
	free(formats.v);
	free(sigalgs.v);
	buf_release(&b);
	return rc;
}

int tls_parse_client_hello(const uint8_t *d, size_t len, struct tls_client_hello *out)
{
	memset(out, 0, sizeof(*out));
	if (!tls_looks_like_handshake(d, len))
		return PARSE_ERR;
	/* Fast path: the whole handshake message in the first record. */
	if (len >= 9) {
		size_t rl = rd16(d + 3);
		if (d[5] != 1)
			return PARSE_ERR; /* not a ClientHello */
		size_t hl = ((size_t)d[6] << 16) | ((size_t)d[7] << 8) | d[8];
		if (hl > TLS_MAX_HANDSHAKE || rl == 0)
			return PARSE_ERR;
		if (rl >= hl + 4 && len >= 9 + hl)
			return parse_hello(d + 9, hl, out);
	}
	/* Slow path: the message is split over several records; gather the fragments. */
	uint8_t *hs = xmalloc(TLS_MAX_HANDSHAKE + 4);
	size_t have = 0, pos = 0, need = 4;
	int rc = PARSE_MORE;
	while (have < need) {
		if (len - pos < 5)
			goto out;
		if (d[pos] != 22 || d[pos + 1] != 3) {
			rc = PARSE_ERR;
			goto out;
		}
		size_t rl = rd16(d + pos + 3);
		if (rl == 0 || rl > 16384 + 2048) {
			rc = PARSE_ERR;
			goto out;
		}
		size_t avail = len - pos - 5 < rl ? len - pos - 5 : rl;
		size_t take = avail < TLS_MAX_HANDSHAKE + 4 - have ? avail : TLS_MAX_HANDSHAKE + 4 - have;
		memcpy(hs + have, d + pos + 5, take);
		have += take;
		if (have >= 4) {
			if (hs[0] != 1) {
				rc = PARSE_ERR;
				goto out;
			}
			need = 4 + (((size_t)hs[1] << 16) | ((size_t)hs[2] << 8) | hs[3]);
			if (need > TLS_MAX_HANDSHAKE + 4) {
				rc = PARSE_ERR;
				goto out;
			}
		}
		if (avail < rl)
			break; /* the record itself is incomplete */
		pos += 5 + rl;
	}
	if (have >= need)
		rc = parse_hello(hs + 4, need - 4, out);
out:
	free(hs);
	return rc;
}
