/* pdf.c: the document writer of pdf.h on cairo's PDF surface with pango layouts. */
#include <cairo-pdf.h>
#include <cairo.h>
#include <glib.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/timeutil.h"
#include "export/pdf.h"

#define FONT_FAMILY "Noto Sans CJK JP"
#define MM (72.0 / 25.4)
#define MARGIN (20.0 * MM)
#define FOOTER_GAP (8.0 * MM)
#define CELL_PAD 4.0
#define BODY_SIZE 10.0

struct pdf_doc {
	cairo_surface_t *surface;
	cairo_t *cr;
	PangoContext *pango;
	double page_w, page_h;
	double y;         /* top of the next block */
	int page;         /* 1-based number of the current page */
	bool page_dirty;  /* something was drawn on the current page */
	bool failed;      /* a cairo error or the page cap: only pdf_free is useful */
	bool finished;
	char *footer;
	struct buf out;   /* PDF bytes as cairo writes them */
};

static double content_w(const struct pdf_doc *d)
{
	return d->page_w - 2 * MARGIN;
}

static double bottom(const struct pdf_doc *d)
{
	return d->page_h - MARGIN;
}

static bool utf8_ok(const char *s)
{
	return !s || g_utf8_validate(s, -1, NULL);
}

static cairo_status_t write_bytes(void *closure, const unsigned char *data, unsigned int len)
{
	struct pdf_doc *d = closure;
	return buf_append(&d->out, data, len) == CSHQ_OK ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

static PangoLayout *layout_new(struct pdf_doc *d, const char *text, double size, bool bold,
			       double width)
{
	PangoLayout *l = pango_layout_new(d->pango);
	PangoFontDescription *fd = pango_font_description_new();
	pango_font_description_set_family(fd, FONT_FAMILY);
	pango_font_description_set_size(fd, (gint)(size * PANGO_SCALE));
	pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_text(l, text ? text : "", -1);
	return l;
}

static void draw_footer(struct pdf_doc *d)
{
	char num[32];
	snprintf(num, sizeof(num), "%d", d->page);
	cairo_set_source_rgb(d->cr, 0.35, 0.35, 0.35);
	double y = d->page_h - MARGIN + FOOTER_GAP / 2;
	if (d->footer && *d->footer) {
		PangoLayout *l = layout_new(d, d->footer, 7.5, false, content_w(d) - 40);
		pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
		cairo_move_to(d->cr, MARGIN, y);
		pango_cairo_show_layout(d->cr, l);
		g_object_unref(l);
	}
	PangoLayout *l = layout_new(d, num, 7.5, false, 40);
	pango_layout_set_alignment(l, PANGO_ALIGN_RIGHT);
	cairo_move_to(d->cr, d->page_w - MARGIN - 40, y);
	pango_cairo_show_layout(d->cr, l);
	g_object_unref(l);
	cairo_set_source_rgb(d->cr, 0, 0, 0);
}

static int check(struct pdf_doc *d)
{
	if (cairo_status(d->cr) != CAIRO_STATUS_SUCCESS || cairo_surface_status(d->surface) != CAIRO_STATUS_SUCCESS)
		d->failed = true;
	return d->failed ? CSHQ_ERR : CSHQ_OK;
}

static int new_page(struct pdf_doc *d)
{
	if (d->page >= PDF_MAX_PAGES) {
		d->failed = true;
		return CSHQ_ELIMIT;
	}
	draw_footer(d);
	cairo_show_page(d->cr);
	d->page++;
	d->y = MARGIN;
	d->page_dirty = false;
	return check(d);
}

/* Makes room for h points, breaking the page when they do not fit (unless the page is
 * still empty, where nothing would be gained). */
static int need(struct pdf_doc *d, double h)
{
	if (d->failed || d->finished)
		return CSHQ_ERR;
	if (d->y + h > bottom(d) && d->page_dirty)
		return new_page(d);
	return CSHQ_OK;
}

int pdf_doc_new(const struct pdf_meta *meta, struct pdf_doc **out)
{
	*out = NULL;
	if (!meta || !utf8_ok(meta->title) || !utf8_ok(meta->author) || !utf8_ok(meta->subject) ||
	    !utf8_ok(meta->footer))
		return CSHQ_EINVAL;
	struct pdf_doc *d = xcalloc(1, sizeof(*d));
	buf_init(&d->out, SIZE_MAX / 2);
	d->page_w = meta->landscape ? 841.89 : 595.28;
	d->page_h = meta->landscape ? 595.28 : 841.89;
	d->surface = cairo_pdf_surface_create_for_stream(write_bytes, d, d->page_w, d->page_h);
	d->cr = cairo_create(d->surface);
	if (cairo_surface_status(d->surface) != CAIRO_STATUS_SUCCESS || cairo_status(d->cr) != CAIRO_STATUS_SUCCESS) {
		pdf_free(d);
		return CSHQ_ERR;
	}
	if (meta->title)
		cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_TITLE, meta->title);
	if (meta->author)
		cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_AUTHOR, meta->author);
	if (meta->subject)
		cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_SUBJECT, meta->subject);
	cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_CREATOR, "cshq");
	char when[26];
	time_format_rfc3339(meta->created_at ? meta->created_at : time_now(), when);
	cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_CREATE_DATE, when);
	/* The calling thread's default font map (pango keeps one per thread, so documents on
	 * different threads share no pango state, and the faces stay loaded between documents);
	 * resolution 72 makes a point of text one unit of the PDF surface. */
	d->pango = pango_font_map_create_context(pango_cairo_font_map_get_default());
	pango_cairo_context_set_resolution(d->pango, 72.0);
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(d->pango, fo);
	cairo_font_options_destroy(fo);
	pango_cairo_update_context(d->cr, d->pango);
	d->footer = meta->footer ? xstrdup(meta->footer) : NULL;
	d->page = 1;
	d->y = MARGIN;
	*out = d;
	return CSHQ_OK;
}

/* Draws a block of text line by line, breaking pages between lines. */
static int text_block(struct pdf_doc *d, const char *text, double size, bool bold, double grey,
		      double space_before, double space_after)
{
	if (!utf8_ok(text))
		return CSHQ_EINVAL;
	if (d->failed || d->finished)
		return CSHQ_ERR;
	int rc;
	if (d->page_dirty)
		d->y += space_before;
	PangoLayout *l = layout_new(d, text, size, bold, content_w(d));
	PangoLayoutIter *it = pango_layout_get_iter(l);
	cairo_set_source_rgb(d->cr, grey, grey, grey);
	double top_of_layout = d->y; /* layout y 0 maps here; moves on page breaks */
	do {
		int y0, y1;
		pango_layout_iter_get_line_yrange(it, &y0, &y1);
		double ly0 = (double)y0 / PANGO_SCALE, ly1 = (double)y1 / PANGO_SCALE;
		if (top_of_layout + ly1 > bottom(d) && d->page_dirty) {
			if ((rc = new_page(d)) != CSHQ_OK)
				break;
			cairo_set_source_rgb(d->cr, grey, grey, grey);
			top_of_layout = MARGIN - ly0;
		}
		PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
		int baseline = pango_layout_iter_get_baseline(it);
		cairo_move_to(d->cr, MARGIN, top_of_layout + (double)baseline / PANGO_SCALE);
		pango_cairo_show_layout_line(d->cr, line);
		d->page_dirty = true;
		d->y = top_of_layout + ly1;
		rc = CSHQ_OK;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	g_object_unref(l);
	cairo_set_source_rgb(d->cr, 0, 0, 0);
	d->y += space_after;
	return rc == CSHQ_OK ? check(d) : rc;
}

int pdf_title(struct pdf_doc *d, const char *text)
{
	return text_block(d, text, 16, true, 0, 6, 8);
}

int pdf_heading(struct pdf_doc *d, int level, const char *text)
{
	if (level < 1 || level > 2)
		return CSHQ_EINVAL;
	/* keep a heading with at least two lines of what follows */
	int rc = need(d, level == 1 ? 60 : 50);
	if (rc != CSHQ_OK)
		return rc;
	return level == 1 ? text_block(d, text, 13, true, 0, 12, 4) : text_block(d, text, 11, true, 0, 8, 3);
}

int pdf_paragraph(struct pdf_doc *d, const char *text)
{
	return text_block(d, text, BODY_SIZE, false, 0, 2, 4);
}

int pdf_note(struct pdf_doc *d, const char *text)
{
	return text_block(d, text, 8, false, 0.35, 1, 3);
}

int pdf_space(struct pdf_doc *d, double points)
{
	if (points < 0 || points > 400)
		return CSHQ_EINVAL;
	if (d->failed || d->finished)
		return CSHQ_ERR;
	d->y += points;
	return CSHQ_OK;
}

int pdf_page_break(struct pdf_doc *d)
{
	if (d->failed || d->finished)
		return CSHQ_ERR;
	return d->page_dirty ? new_page(d) : CSHQ_OK;
}

int pdf_page_count(const struct pdf_doc *d)
{
	return d ? d->page : 0;
}

/* Lays out one row's cells; returns the row height. */
static double row_layouts(struct pdf_doc *d, const char *const *cells, size_t ncols, const double *colw,
			  bool bold, PangoLayout **out)
{
	double h = 0;
	double max_h = bottom(d) - MARGIN - 40; /* a cell never exceeds a page (minus a header) */
	for (size_t c = 0; c < ncols; c++) {
		out[c] = layout_new(d, cells[c] ? cells[c] : "", BODY_SIZE - 1, bold, colw[c] - 2 * CELL_PAD);
		pango_layout_set_height(out[c], (int)((max_h - 2 * CELL_PAD) * PANGO_SCALE));
		pango_layout_set_ellipsize(out[c], PANGO_ELLIPSIZE_END);
		int w, lh;
		pango_layout_get_size(out[c], &w, &lh);
		double ch = (double)lh / PANGO_SCALE + 2 * CELL_PAD;
		if (ch > h)
			h = ch;
	}
	return h;
}

static void draw_row(struct pdf_doc *d, PangoLayout **ls, size_t ncols, const double *colw, double h,
		     bool header)
{
	double x = MARGIN;
	for (size_t c = 0; c < ncols; c++) {
		if (header) {
			cairo_set_source_rgb(d->cr, 0.90, 0.91, 0.93);
			cairo_rectangle(d->cr, x, d->y, colw[c], h);
			cairo_fill(d->cr);
		}
		cairo_set_source_rgb(d->cr, 0.55, 0.55, 0.55);
		cairo_set_line_width(d->cr, 0.5);
		cairo_rectangle(d->cr, x, d->y, colw[c], h);
		cairo_stroke(d->cr);
		cairo_set_source_rgb(d->cr, 0, 0, 0);
		cairo_move_to(d->cr, x + CELL_PAD, d->y + CELL_PAD);
		pango_cairo_show_layout(d->cr, ls[c]);
		x += colw[c];
	}
	d->y += h;
	d->page_dirty = true;
}

static void free_layouts(PangoLayout **ls, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ls[i])
			g_object_unref(ls[i]);
}

int pdf_table(struct pdf_doc *d, const struct pdf_table *t)
{
	if (!t || t->ncols == 0 || t->ncols > PDF_MAX_COLS || (t->nrows && !t->cells))
		return CSHQ_EINVAL;
	if (t->nrows > SIZE_MAX / t->ncols)
		return CSHQ_EINVAL;
	for (size_t i = 0; i < t->ncols; i++)
		if ((t->header && !utf8_ok(t->header[i])) || (t->widths && !(t->widths[i] > 0)))
			return CSHQ_EINVAL;
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		if (!utf8_ok(t->cells[i]))
			return CSHQ_EINVAL;
	if (d->failed || d->finished)
		return CSHQ_ERR;
	double colw[PDF_MAX_COLS], sum = 0;
	for (size_t c = 0; c < t->ncols; c++)
		sum += t->widths ? t->widths[c] : 1.0;
	for (size_t c = 0; c < t->ncols; c++)
		colw[c] = content_w(d) * (t->widths ? t->widths[c] : 1.0) / sum;
	if (d->page_dirty)
		d->y += 4;
	PangoLayout *hl[PDF_MAX_COLS] = {0}, *rl[PDF_MAX_COLS] = {0};
	double hh = t->header ? row_layouts(d, t->header, t->ncols, colw, true, hl) : 0;
	int rc = CSHQ_OK;
	bool header_drawn = false;
	for (size_t r = 0; r < t->nrows || (!header_drawn && t->header && r == 0); r++) {
		double h = 0;
		if (r < t->nrows)
			h = row_layouts(d, t->cells + r * t->ncols, t->ncols, colw, false, rl);
		bool fits = d->y + (header_drawn ? 0 : hh) + h <= bottom(d);
		if (!fits && d->page_dirty) {
			if ((rc = new_page(d)) != CSHQ_OK) {
				free_layouts(rl, t->ncols);
				break;
			}
			header_drawn = false;
		}
		if (!header_drawn && t->header) {
			draw_row(d, hl, t->ncols, colw, hh, true);
			header_drawn = true;
		}
		if (r < t->nrows)
			draw_row(d, rl, t->ncols, colw, h, false);
		free_layouts(rl, t->ncols);
		memset(rl, 0, sizeof(rl));
		if (r >= t->nrows)
			break;
	}
	free_layouts(hl, t->ncols);
	d->y += 6;
	return rc == CSHQ_OK ? check(d) : rc;
}

int pdf_fields(struct pdf_doc *d, const char *const *pairs, size_t n)
{
	static const double w[2] = {1, 3};
	struct pdf_table t = {.ncols = 2, .widths = w, .header = NULL, .cells = pairs, .nrows = n};
	return pdf_table(d, &t);
}

static int finish(struct pdf_doc *d)
{
	if (d->failed || d->finished)
		return CSHQ_ERR;
	draw_footer(d);
	cairo_show_page(d->cr);
	cairo_destroy(d->cr);
	d->cr = NULL;
	cairo_surface_finish(d->surface);
	d->finished = true;
	return cairo_surface_status(d->surface) == CAIRO_STATUS_SUCCESS ? CSHQ_OK : CSHQ_ERR;
}

int pdf_finish(struct pdf_doc *d, struct buf *out)
{
	int rc = finish(d);
	if (rc != CSHQ_OK)
		return rc;
	return buf_append(out, d->out.data, d->out.len);
}

int pdf_finish_file(struct pdf_doc *d, const char *path)
{
	int rc = finish(d);
	if (rc != CSHQ_OK)
		return rc;
	FILE *f = fopen(path, "wb");
	if (!f)
		return CSHQ_ERR;
	bool ok = fwrite(d->out.data, 1, d->out.len, f) == d->out.len;
	ok = fclose(f) == 0 && ok;
	return ok ? CSHQ_OK : CSHQ_ERR;
}

void pdf_free(struct pdf_doc *d)
{
	if (!d)
		return;
	if (d->cr)
		cairo_destroy(d->cr);
	if (d->surface)
		cairo_surface_destroy(d->surface); /* finishes it if needed; writes go to d->out */
	if (d->pango)
		g_object_unref(d->pango);
	buf_release(&d->out);
	free(d->footer);
	free(d);
}

void pdf_library_release(void)
{
	pango_cairo_font_map_set_default(NULL);
}
