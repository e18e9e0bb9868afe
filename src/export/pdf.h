/* pdf.h: a small document writer for regulator-ready PDF exports in Japanese (cases,
 * reports, audit results, risk reports). Built on cairo (PDF surface) and pango (text
 * layout, line breaking of Japanese) with the Noto CJK fonts of Debian (fonts-noto-cjk).
 *
 * A document is written top to bottom: a title, headings, paragraphs, notes, tables and
 * explicit page breaks; pages break by themselves between lines of a paragraph and between
 * rows of a table (the header row of a table is repeated on each page). Each page has a
 * footer with the document's footer text and the page number.
 *
 * All text is UTF-8 and is laid out as plain text (never as pango markup), so content from
 * users cannot change the formatting. Invalid UTF-8 is refused (CSHQ_EINVAL) rather than
 * repaired. A table cell taller than a page is cut at the page height and ends with "…".
 *
 * Usage:
 *   struct pdf_doc *d;
 *   struct pdf_meta m = {.title = "特定重大事象 2024-0001", .footer = "機密性3"};
 *   if (pdf_doc_new(&m, &d) == CSHQ_OK) {
 *           pdf_title(d, "...");
 *           pdf_paragraph(d, "...");
 *           rc = pdf_finish(d, &out);   // appends the PDF bytes to a struct buf
 *   }
 *   pdf_free(d);
 *
 * Not thread-shared: one document belongs to one thread; several threads may each write
 * their own documents at the same time (each thread has its own pango font map).
 *
 * Known: cairo 1.16 (Debian 12) leaks about 768 bytes per document when it subsets the
 * CID-keyed CFF fonts of Noto CJK; the sanitizer runs suppress that one library leak
 * (tests/unit/export/lsan.supp). */
#ifndef CSHQ_PDF_H
#define CSHQ_PDF_H

#include "core/buf.h"
#include "core/common.h"

struct pdf_doc;

struct pdf_meta {
	const char *title;   /* PDF metadata title; may be NULL */
	const char *author;  /* PDF metadata author; may be NULL */
	const char *subject; /* PDF metadata subject; may be NULL */
	const char *footer;  /* printed at the left of every page's footer; may be NULL */
	int64_t created_at;  /* epoch seconds for the metadata creation date; 0 = now */
	bool landscape;      /* A4 landscape instead of portrait */
};

/* Creates an empty document (A4, 20 mm margins, Noto Sans CJK JP). CSHQ_OK, or CSHQ_EINVAL
 * for invalid UTF-8 in meta, CSHQ_ERR when cairo cannot create the surface. */
int pdf_doc_new(const struct pdf_meta *meta, struct pdf_doc **out);

/* Text blocks. Each returns CSHQ_OK, CSHQ_EINVAL (invalid UTF-8 or arguments), CSHQ_ELIMIT
 * (the document grew beyond PDF_MAX_PAGES) or CSHQ_ERR (a cairo error; the document is then
 * unusable and pdf_finish fails). NULL text counts as "". */
#define PDF_MAX_PAGES 2000
int pdf_title(struct pdf_doc *d, const char *text);              /* large, bold */
int pdf_heading(struct pdf_doc *d, int level, const char *text); /* level 1 or 2 */
int pdf_paragraph(struct pdf_doc *d, const char *text);          /* body text; '\n' breaks lines */
int pdf_note(struct pdf_doc *d, const char *text);               /* small grey text */
/* Vertical space in points. */
int pdf_space(struct pdf_doc *d, double points);
int pdf_page_break(struct pdf_doc *d);

/* A table: ncols columns whose widths are in the proportions of widths (NULL = equal), an
 * optional header row (ncols strings, drawn bold on grey and repeated after a page break),
 * and nrows rows of ncols cells each in row-major order (a NULL cell is empty). */
struct pdf_table {
	size_t ncols;
	const double *widths;
	const char *const *header;
	const char *const *cells;
	size_t nrows;
};
#define PDF_MAX_COLS 12
int pdf_table(struct pdf_doc *d, const struct pdf_table *t);

/* Label/value pairs as a two-column table without header: pairs[2*i] is the label,
 * pairs[2*i+1] the value. */
int pdf_fields(struct pdf_doc *d, const char *const *pairs, size_t n);

/* Number of pages so far (the current page included). */
int pdf_page_count(const struct pdf_doc *d);

/* Ends the document and appends the PDF bytes to out (whose cap limits the size:
 * CSHQ_ELIMIT when exceeded, out then unchanged). After it only pdf_free may be called. */
int pdf_finish(struct pdf_doc *d, struct buf *out);
/* The same into a file (created or truncated). */
int pdf_finish_file(struct pdf_doc *d, const char *path);

/* Frees the document (finished or not). Accepts NULL. */
void pdf_free(struct pdf_doc *d);

/* Releases the calling thread's pango font map (other threads' maps go with their
 * threads). For the end of a thread or process, after its documents are freed. */
void pdf_library_release(void);

#endif
