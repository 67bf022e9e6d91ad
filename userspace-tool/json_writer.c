// SPDX-License-Identifier: GPL-2.0
/*
 * Streaming JSON writer.  Each nesting level remembers whether it already
 * holds a value, which is all that is needed to place separators.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "json_writer.h"

#define JSONW_MAX_DEPTH	64

struct json_writer {
	FILE *out;
	bool pretty;
	bool after_name;		/* a key was written, its value is next */
	bool wrote;			/* anything at all was written */
	unsigned int depth;
	bool has_items[JSONW_MAX_DEPTH];
	char closers[JSONW_MAX_DEPTH];
};

struct json_writer *jsonw_new(FILE *out, bool pretty)
{
	struct json_writer *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->out = out;
	w->pretty = pretty;
	return w;
}

static void jsonw_indent(struct json_writer *w)
{
	unsigned int i;

	if (!w->pretty)
		return;
	fputc('\n', w->out);
	for (i = 0; i < w->depth; i++)
		fputs("    ", w->out);
}

/* Write what must precede a new value or key at the current level. */
static void jsonw_separate(struct json_writer *w)
{
	w->wrote = true;
	if (w->after_name) {
		w->after_name = false;
		return;
	}
	if (w->depth == 0)
		return;
	if (w->has_items[w->depth])
		fputc(',', w->out);
	w->has_items[w->depth] = true;
	jsonw_indent(w);
}

static void jsonw_open(struct json_writer *w, char open, char close)
{
	jsonw_separate(w);
	fputc(open, w->out);
	if (w->depth + 1 >= JSONW_MAX_DEPTH)
		return;		/* deeper than any kbpfctl output; stays flat */
	w->depth++;
	w->has_items[w->depth] = false;
	w->closers[w->depth] = close;
}

static void jsonw_close(struct json_writer *w)
{
	bool had_items;

	if (w->depth == 0)
		return;
	had_items = w->has_items[w->depth];
	w->depth--;
	if (had_items)
		jsonw_indent(w);
	fputc(w->closers[w->depth + 1], w->out);
	if (w->depth == 0 && w->pretty)
		fputc('\n', w->out);
}

void jsonw_start_object(struct json_writer *w)
{
	jsonw_open(w, '{', '}');
}

void jsonw_end_object(struct json_writer *w)
{
	jsonw_close(w);
}

void jsonw_start_array(struct json_writer *w)
{
	jsonw_open(w, '[', ']');
}

void jsonw_end_array(struct json_writer *w)
{
	jsonw_close(w);
}

static void jsonw_quote(struct json_writer *w, const char *s)
{
	const unsigned char *p;

	fputc('"', w->out);
	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", w->out);
			break;
		case '\\':
			fputs("\\\\", w->out);
			break;
		case '\n':
			fputs("\\n", w->out);
			break;
		case '\t':
			fputs("\\t", w->out);
			break;
		case '\r':
			fputs("\\r", w->out);
			break;
		default:
			if (*p < 0x20)
				fprintf(w->out, "\\u%04x", *p);
			else
				fputc(*p, w->out);
		}
	}
	fputc('"', w->out);
}

void jsonw_name(struct json_writer *w, const char *name)
{
	jsonw_separate(w);
	jsonw_quote(w, name);
	fputs(w->pretty ? ": " : ":", w->out);
	w->after_name = true;
}

void jsonw_string(struct json_writer *w, const char *s)
{
	jsonw_separate(w);
	jsonw_quote(w, s);
}

void jsonw_vprintf_string(struct json_writer *w, const char *fmt, va_list ap)
{
	char *s = NULL;

	if (vasprintf(&s, fmt, ap) < 0) {
		jsonw_string(w, "(out of memory)");
		return;
	}
	jsonw_string(w, s);
	free(s);
}

void jsonw_uint(struct json_writer *w, __u64 v)
{
	jsonw_separate(w);
	fprintf(w->out, "%" PRIu64, (uint64_t)v);
}

void jsonw_int(struct json_writer *w, __s64 v)
{
	jsonw_separate(w);
	fprintf(w->out, "%" PRId64, (int64_t)v);
}

void jsonw_bool(struct json_writer *w, bool v)
{
	jsonw_separate(w);
	fputs(v ? "true" : "false", w->out);
}

void jsonw_null(struct json_writer *w)
{
	jsonw_separate(w);
	fputs("null", w->out);
}

void jsonw_string_field(struct json_writer *w, const char *name, const char *s)
{
	jsonw_name(w, name);
	jsonw_string(w, s);
}

void jsonw_uint_field(struct json_writer *w, const char *name, __u64 v)
{
	jsonw_name(w, name);
	jsonw_uint(w, v);
}

void jsonw_int_field(struct json_writer *w, const char *name, __s64 v)
{
	jsonw_name(w, name);
	jsonw_int(w, v);
}

void jsonw_bool_field(struct json_writer *w, const char *name, bool v)
{
	jsonw_name(w, name);
	jsonw_bool(w, v);
}

void jsonw_destroy(struct json_writer **wp)
{
	struct json_writer *w = *wp;

	if (!w)
		return;
	while (w->depth)
		jsonw_close(w);
	if (w->wrote && !w->pretty)
		fputc('\n', w->out);
	fflush(w->out);
	free(w);
	*wp = NULL;
}
