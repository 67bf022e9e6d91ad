/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small streaming JSON writer for kbpfctl's -j/-p output.  Values are
 * written as they come; the writer tracks nesting only to place commas and,
 * in pretty mode, newlines and indentation.
 */
#ifndef KBPFCTL_JSON_WRITER_H
#define KBPFCTL_JSON_WRITER_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>

struct json_writer;

struct json_writer *jsonw_new(FILE *out, bool pretty);
/* Closes any object or array left open, flushes, frees. */
void jsonw_destroy(struct json_writer **wp);

void jsonw_start_object(struct json_writer *w);
void jsonw_end_object(struct json_writer *w);
void jsonw_start_array(struct json_writer *w);
void jsonw_end_array(struct json_writer *w);

/* Key of the next value inside an object. */
void jsonw_name(struct json_writer *w, const char *name);

void jsonw_string(struct json_writer *w, const char *s);
void jsonw_vprintf_string(struct json_writer *w, const char *fmt, va_list ap);
void jsonw_uint(struct json_writer *w, __u64 v);
void jsonw_int(struct json_writer *w, __s64 v);
void jsonw_bool(struct json_writer *w, bool v);
void jsonw_null(struct json_writer *w);

/* "name": value shorthands. */
void jsonw_string_field(struct json_writer *w, const char *name, const char *s);
void jsonw_uint_field(struct json_writer *w, const char *name, __u64 v);
void jsonw_int_field(struct json_writer *w, const char *name, __s64 v);
void jsonw_bool_field(struct json_writer *w, const char *name, bool v);

#endif /* KBPFCTL_JSON_WRITER_H */
