// SPDX-License-Identifier: GPL-2.0
/*
 * BTF-typed data as JSON, the way bpftool's btf_dumper prints map elements:
 * integers as numbers (128-bit ones and pointers as hex strings), bools as
 * true/false, enums by name when a name matches, char arrays as strings,
 * other arrays as arrays, structs and unions as objects, a DATASEC (global
 * data) as an object of its variables.  Bitfields are extracted.
 */
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>

#include "main.h"
#include "map_btf.h"

/* Deep enough for real types; a malicious BTF loop stops here. */
#define BTF_JSON_MAX_DEPTH	32

static void value_at(struct json_writer *w, const struct btf *btf, __u32 id,
		     const unsigned char *data, int depth);

static __u64 read_uint(const unsigned char *p, __u32 size)
{
	__u64 v = 0;

	memcpy(&v, p, size > 8 ? 8 : size);	/* little-endian host */
	return v;
}

static __s64 sign_extend(__u64 v, __u32 bits)
{
	__u32 shift = 64 - bits;

	return bits >= 64 ? (__s64)v : (__s64)(v << shift) >> shift;
}

static void hex_string(struct json_writer *w, const unsigned char *p,
		       __u32 size)
{
	char buf[2 + 2 * 16 + 1];
	int i, n = 2;

	strcpy(buf, "0x");
	for (i = size - 1; i >= 0 && n < (int)sizeof(buf) - 2; i--)
		n += snprintf(buf + n, sizeof(buf) - n, "%02x", p[i]);
	jsonw_string(w, buf);
}

/* No JSON number writer for floats: print them as strings. */
static void float_value(struct json_writer *w, const struct btf_type *t,
			const unsigned char *data)
{
	char buf[32];
	double d;
	float f;

	if (t->size == 8) {
		memcpy(&d, data, 8);
	} else if (t->size == 4) {
		memcpy(&f, data, 4);
		d = f;
	} else {
		hex_string(w, data, t->size);
		return;
	}
	snprintf(buf, sizeof(buf), "%g", d);
	jsonw_string(w, buf);
}

static void int_value(struct json_writer *w, const struct btf_type *t,
		      const unsigned char *data)
{
	__u32 enc = btf_int_encoding(t), bits = btf_int_bits(t);
	__u32 off = btf_int_offset(t);
	__u64 v;

	if (t->size > 8) {
		hex_string(w, data, t->size);
		return;
	}
	v = read_uint(data, t->size) >> off;
	if (bits < 64)
		v &= (1ULL << bits) - 1;
	if (enc & BTF_INT_BOOL)
		jsonw_bool(w, v != 0);
	else if (enc & BTF_INT_SIGNED)
		jsonw_int(w, sign_extend(v, bits));
	else
		jsonw_uint(w, v);
}

static void enum_value(struct json_writer *w, const struct btf *btf,
		       const struct btf_type *t, const unsigned char *data)
{
	__u64 v = read_uint(data, t->size);
	__u16 i, n = btf_vlen(t);

	if (btf_is_enum(t)) {
		const struct btf_enum *e = btf_enum(t);

		for (i = 0; i < n; i++)
			if ((__u32)e[i].val == (__u32)v) {
				jsonw_string(w, btf__name_by_offset(btf, e[i].name_off));
				return;
			}
	} else {
		const struct btf_enum64 *e = btf_enum64(t);

		for (i = 0; i < n; i++)
			if (btf_enum64_value(&e[i]) == v) {
				jsonw_string(w, btf__name_by_offset(btf, e[i].name_off));
				return;
			}
	}
	jsonw_uint(w, v);
}

/* A char array holding a NUL-terminated printable string. */
static bool is_c_string(const unsigned char *p, __u32 n)
{
	__u32 i;

	for (i = 0; i < n && p[i]; i++)
		if (p[i] < 0x20 || p[i] > 0x7e)
			return false;
	return i < n;
}

static bool is_char(const struct btf *btf, __u32 id)
{
	const struct btf_type *t;

	id = btf__resolve_type(btf, id);
	t = btf__type_by_id(btf, id);
	return t && btf_is_int(t) && t->size == 1 &&
	       (btf_int_encoding(t) & BTF_INT_CHAR ||
		!strcmp(btf__name_by_offset(btf, t->name_off), "char"));
}

static void array_value(struct json_writer *w, const struct btf *btf,
			const struct btf_type *t, const unsigned char *data,
			int depth)
{
	const struct btf_array *a = btf_array(t);
	__s64 esize = btf__resolve_size(btf, a->type);
	__u32 i;

	if (esize == 1 && is_char(btf, a->type) && is_c_string(data, a->nelems)) {
		jsonw_string(w, (const char *)data);
		return;
	}
	jsonw_start_array(w);
	for (i = 0; esize > 0 && i < a->nelems; i++)
		value_at(w, btf, a->type, data + i * esize, depth + 1);
	jsonw_end_array(w);
}

static void bitfield_value(struct json_writer *w, const unsigned char *data,
			   __u32 bit_off, __u32 bits)
{
	__u64 v = 0;
	__u32 i;

	for (i = 0; i < bits && i < 64; i++) {
		__u32 b = bit_off + i;

		if (data[b / 8] & (1U << (b % 8)))
			v |= 1ULL << i;
	}
	jsonw_uint(w, v);
}

static void struct_value(struct json_writer *w, const struct btf *btf,
			 const struct btf_type *t, const unsigned char *data,
			 int depth)
{
	const struct btf_member *m = btf_members(t);
	__u16 i, n = btf_vlen(t);
	__u32 off, bits;
	const char *name;

	jsonw_start_object(w);
	for (i = 0; i < n; i++) {
		name = btf__name_by_offset(btf, m[i].name_off);
		off = btf_member_bit_offset(t, i);
		bits = btf_member_bitfield_size(t, i);
		jsonw_name(w, name && *name ? name : "(anon)");
		if (bits)
			bitfield_value(w, data, off, bits);
		else
			value_at(w, btf, m[i].type, data + off / 8, depth + 1);
	}
	jsonw_end_object(w);
}

static void datasec_value(struct json_writer *w, const struct btf *btf,
			  const struct btf_type *t, const unsigned char *data,
			  int depth)
{
	const struct btf_var_secinfo *v = btf_var_secinfos(t);
	const struct btf_type *var;
	__u16 i, n = btf_vlen(t);

	jsonw_start_object(w);
	for (i = 0; i < n; i++) {
		var = btf__type_by_id(btf, v[i].type);
		if (!var || v[i].offset + (__u64)v[i].size > t->size)
			continue;
		jsonw_name(w, btf__name_by_offset(btf, var->name_off));
		value_at(w, btf, v[i].type, data + v[i].offset, depth + 1);
	}
	jsonw_end_object(w);
}

static void value_at(struct json_writer *w, const struct btf *btf, __u32 id,
		     const unsigned char *data, int depth)
{
	const struct btf_type *t = btf__type_by_id(btf, id);

	if (!t || depth > BTF_JSON_MAX_DEPTH) {
		jsonw_null(w);
		return;
	}
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
		int_value(w, t, data);
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		enum_value(w, btf, t, data);
		break;
	case BTF_KIND_PTR:
		hex_string(w, data, 8);
		break;
	case BTF_KIND_ARRAY:
		array_value(w, btf, t, data, depth);
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		struct_value(w, btf, t, data, depth);
		break;
	case BTF_KIND_DATASEC:
		datasec_value(w, btf, t, data, depth);
		break;
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
	case BTF_KIND_VAR:
		value_at(w, btf, t->type, data, depth + 1);
		break;
	case BTF_KIND_FLOAT:
		float_value(w, t, data);
		break;
	default:
		jsonw_null(w);
	}
}

void btf_json_value(struct json_writer *w, const struct btf *btf, __u32 id,
		    const void *data)
{
	value_at(w, btf, id, data, 0);
}

void btf_plain_value(FILE *out, const struct btf *btf, __u32 id,
		     const void *data)
{
	struct json_writer *w;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;

	mem = open_memstream(&buf, &len);
	w = mem ? jsonw_new(mem, false) : NULL;
	if (!w) {
		if (mem)
			fclose(mem);
		fputs("?", out);
		return;
	}
	value_at(w, btf, id, data, 0);
	jsonw_destroy(&w);
	fclose(mem);
	while (len && buf[len - 1] == '\n')
		buf[--len] = '\0';
	fputs(buf, out);
	free(buf);
}
