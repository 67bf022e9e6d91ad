// SPDX-License-Identifier: GPL-2.0
/*
 * kbpfctl events MAP: stream the records programs write into a RINGBUF map,
 * as hex or, with "type TYPE", typed from the BTF kept with the map (the
 * object's BTF: any struct the object defines, e.g. "type struct event").
 * kbpfctl capture MAP -w FILE: the same records, read as struct
 * kbpf_capture_hdr + packet, written as a pcap file (capture.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/btf.h>

#include "main.h"
#include "map_btf.h"
#include "ctl.h"
#include "ringbuf.h"
#include "stream.h"

/* ---- what events and capture share --------------------------------------- */

int stream_parse_limits(int *argc, char ***argv, struct stream_limits *l)
{
	const char *kw = **argv;
	__s64 v;

	if (strcmp(kw, "count") && strcmp(kw, "timeout"))
		return 1;
	NEXT_ARGP();
	if (!*argc) {
		p_err("'%s' needs an argument", kw);
		return -1;
	}
	if (kw[0] == 'c') {
		if (parse_s64(**argv, "count", 1, 0xffffffffLL, &v))
			return -1;
		l->count = v;
	} else {
		if (parse_s64(**argv, "timeout", 0, 86400, &v))
			return -1;
		l->timeout_ms = v * 1000;
	}
	NEXT_ARGP();
	return 0;
}

int stream_open(const struct obj_ref *ref, struct stream *s)
{
	struct kbpf_ctl ctl;
	int err;

	memset(s, 0, sizeof(*s));
	s->dev_fd = -1;
	s->rb.fd = -1;
	if (kbpf_ctl_open(&ctl))
		return -1;
	err = kbpf_ctl_map_get(&ctl, ref->id, ref->name, &s->info);
	kbpf_ctl_close(&ctl);
	if (err)
		return -1;
	s->dev_fd = kbpf_dev_open();
	if (s->dev_fd < 0)
		return -1;
	if (ringbuf_open(s->dev_fd, &s->info, &s->rb))
		return -1;
	ringbuf_stop_on_signals();
	return 0;
}

void stream_close(struct stream *s)
{
	ringbuf_close(&s->rb);
	if (s->dev_fd >= 0)
		close(s->dev_fd);
}

/* ---- events ---------------------------------------------------------------- */

struct events_ctx {
	struct map_btf btf;
	__u32 type_id;			/* 0: hex */
	__u32 type_size;
	__u64 n;
};

/* "struct event", "event", "union u", "enum e", a typedef name. */
static int find_type(const struct btf *btf, const char *spec, __u32 *id)
{
	static const struct {
		const char *word;
		int kind;
	} kinds[] = {
		{ "struct ", BTF_KIND_STRUCT },
		{ "union ", BTF_KIND_UNION },
		{ "enum ", BTF_KIND_ENUM },
	};
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		if (strncmp(spec, kinds[i].word, strlen(kinds[i].word)))
			continue;
		ret = btf__find_by_name_kind(btf, spec + strlen(kinds[i].word),
					     kinds[i].kind);
		goto out;
	}
	ret = btf__find_by_name(btf, spec);
out:
	if (ret <= 0)
		return -1;
	*id = ret;
	return 0;
}

static int events_set_type(struct events_ctx *c, const struct stream *s,
			   const char *type)
{
	__s64 size;

	map_btf_load_any(s->dev_fd, &s->info, &c->btf);
	if (!c->btf.btf) {
		p_err("map '%s' has no BTF to find type '%s' in (it was not created from an object with BTF)",
		      s->info.name, type);
		return -1;
	}
	if (find_type(c->btf.btf, type, &c->type_id)) {
		p_err("map '%s': no type '%s' in its BTF", s->info.name, type);
		return -1;
	}
	size = btf__resolve_size(c->btf.btf, c->type_id);
	if (size <= 0) {
		p_err("map '%s': type '%s' has no size", s->info.name, type);
		return -1;
	}
	c->type_size = size;
	return 0;
}

static void print_hex(const unsigned char *p, __u32 n)
{
	__u32 i;

	for (i = 0; i < n; i++)
		printf("%s%02x", i ? " " : "", p[i]);
}

static int print_event(void *arg, const void *rec, __u32 len)
{
	struct events_ctx *c = arg;
	bool typed = c->type_id && len >= c->type_size;
	char byte[8];
	__u32 i;

	c->n++;
	if (json_output) {
		jsonw_start_object(json_wtr);
		jsonw_uint_field(json_wtr, "len", len);
		jsonw_name(json_wtr, "data");
		jsonw_start_array(json_wtr);
		for (i = 0; i < len; i++) {
			snprintf(byte, sizeof(byte), "0x%02x",
				 ((const unsigned char *)rec)[i]);
			jsonw_string(json_wtr, byte);
		}
		jsonw_end_array(json_wtr);
		if (typed) {
			jsonw_name(json_wtr, "formatted");
			btf_json_value(json_wtr, c->btf.btf, c->type_id, rec);
		}
		jsonw_end_object(json_wtr);
	} else if (typed) {
		btf_plain_value(stdout, c->btf.btf, c->type_id, rec);
		putchar('\n');
	} else {
		printf("len %u: ", len);
		print_hex(rec, len);
		putchar('\n');
	}
	fflush(stdout);
	return ferror(stdout) ? -EPIPE : 0;
}

int do_events(int argc, char **argv)
{
	struct stream_limits lim = { .count = 0, .timeout_ms = -1 };
	struct events_ctx c = { .type_id = 0 };
	const char *type = NULL;
	struct obj_ref ref;
	struct stream s;
	int ret, err = -1;

	if (argc == 1 && is_prefix(*argv, "help"))
		return do_events_help();
	if (parse_obj_ref(&argc, &argv, "map", &ref))
		return -1;
	while (argc) {
		ret = stream_parse_limits(&argc, &argv, &lim);
		if (ret < 0)
			return -1;
		if (!ret)
			continue;
		if (strcmp(*argv, "type"))
			return BAD_ARG();
		NEXT_ARG();
		if (!REQ_ARGS(1))
			return -1;
		type = *argv;
		NEXT_ARG();
	}
	if (stream_open(&ref, &s))
		goto out;
	if (type && events_set_type(&c, &s, type))
		goto out;
	if (json_output)
		jsonw_start_array(json_wtr);
	err = ringbuf_consume(&s.rb, print_event, &c, lim.count,
			      lim.timeout_ms);
	if (json_output)
		jsonw_end_array(json_wtr);
	if (!err && !json_output)
		fprintf(stderr, "%llu record%s\n", (unsigned long long)c.n,
			c.n == 1 ? "" : "s");
out:
	map_btf_free(&c.btf);
	stream_close(&s);
	return err ? -1 : 0;
}

int do_events_help(void)
{
	if (json_output) {
		jsonw_null(json_wtr);
		return 0;
	}
	fprintf(stderr,
		"Usage: %1$s events MAP [type TYPE] [count N] [timeout SECS]\n"
		"       Print the records programs write into the ringbuf MAP as they\n"
		"       come, as hex, or typed as TYPE (e.g. 'struct event') from the BTF\n"
		"       of the object the map was created from.  Stops after N records,\n"
		"       after SECS seconds, or on Ctrl-C.\n"
		"       MAP := { ID | NAME | id ID | name NAME }\n"
		"       " HELP_SPEC_OPTIONS "\n",
		bin_name);
	return 0;
}
