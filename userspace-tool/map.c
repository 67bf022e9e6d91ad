// SPDX-License-Identifier: GPL-2.0
/*
 * kbpfctl map {list | show | create | lookup | update | delete | dump |
 * resize | destroy | help}.
 *
 * Keys and values are given as bytes, as bpftool takes them ("key 1 0 0 0",
 * "key hex 01000000"), and printed as hex, or as typed values when the map
 * carries BTF (see map_btf.c).  Per-CPU maps move one value per possible CPU
 * through the element ioctls, as in Linux: update writes the value given to
 * every CPU, lookup and dump show each CPU's.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "main.h"
#include "map_btf.h"
#include "ctl.h"

/* ---- what an element operation needs to know about its map ------------ */

struct map_ctx {
	struct kbpf_map_info info;
	int fd;				/* /dev/kbpf */
	__u32 ncpus;			/* 1 unless per-CPU */
	__u32 value_stride;		/* bytes per CPU in a per-CPU value */
	__u32 value_buf_size;		/* what the ioctls move */
	struct map_btf btf;
};

static bool is_percpu(__u32 type)
{
	return type == KBPF_MAP_TYPE_PERCPU_HASH ||
	       type == KBPF_MAP_TYPE_PERCPU_ARRAY ||
	       type == KBPF_MAP_TYPE_LRU_PERCPU_HASH;
}

static int map_ctx_open(const struct obj_ref *ref, struct map_ctx *m)
{
	struct kbpf_ctl ctl;
	int ncpus, err;

	memset(m, 0, sizeof(*m));
	m->fd = -1;
	if (kbpf_ctl_open(&ctl))
		return -1;
	err = kbpf_ctl_map_get(&ctl, ref->id, ref->name, &m->info);
	kbpf_ctl_close(&ctl);
	if (err)
		return -1;
	m->ncpus = 1;
	m->value_stride = m->info.value_size;
	if (is_percpu(m->info.type)) {
		ncpus = libbpf_num_possible_cpus();
		if (ncpus <= 0) {
			p_err("cannot count the possible CPUs: %s",
			      strerror(-ncpus));
			return -1;
		}
		m->ncpus = ncpus;
		/* Linux rounds each CPU's slot up to 8 bytes. */
		m->value_stride = (m->info.value_size + 7) & ~7U;
	}
	m->value_buf_size = m->value_stride * m->ncpus;
	m->fd = kbpf_dev_open();
	if (m->fd < 0)
		return -1;
	map_btf_load(m->fd, &m->info, &m->btf);
	return 0;
}

static void map_ctx_close(struct map_ctx *m)
{
	map_btf_free(&m->btf);
	if (m->fd >= 0)
		close(m->fd);
}

static int elem_op(int fd, unsigned long req, __u32 id, const void *key,
		   void *value, __u64 flags)
{
	struct kbpf_map_elem_attr attr = { .size = sizeof(attr) };

	attr.map_id = id;
	attr.key = (__u64)(unsigned long)key;
	attr.value = (__u64)(unsigned long)value;
	attr.flags = flags;
	return kbpf_dev_ioctl(fd, req, &attr);
}

/* ---- parsing keys and values ---------------------------------------------- */

static bool is_keyword(const char *w)
{
	static const char * const kws[] = {
		"key", "value", "any", "exist", "noexist",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kws); i++)
		if (!strcmp(w, kws[i]))
			return true;
	return false;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* "0a00ff" -> bytes; returns how many, or -1 after p_err(). */
static int parse_hex_word(const char *what, const char *w, unsigned char *out,
			  __u32 room)
{
	size_t len = strlen(w), i;
	int hi, lo;

	if (!strncmp(w, "0x", 2) || !strncmp(w, "0X", 2)) {
		w += 2;
		len -= 2;
	}
	if (!len || len % 2) {
		p_err("%s: '%s' is not whole hex bytes", what, w);
		return -1;
	}
	for (i = 0; i < len / 2; i++) {
		hi = hex_digit(w[2 * i]);
		lo = hex_digit(w[2 * i + 1]);
		if (hi < 0 || lo < 0) {
			p_err("%s: '%s' is not hex", what, w);
			return -1;
		}
		if (i < room)
			out[i] = hi << 4 | lo;
	}
	return len / 2;
}

/*
 * BYTES := [hex] WORD...  Without "hex" each word is one byte (0..255,
 * decimal or 0x-hex); with it each word is hex digits, two per byte.
 * Exactly size bytes must be given.
 */
static int parse_bytes(int *argc, char ***argv, const char *what,
		       unsigned char *out, __u32 size)
{
	bool hex = false;
	__u32 n = 0;
	__s64 v;
	int got;

	if (*argc && !strcmp(**argv, "hex")) {
		hex = true;
		NEXT_ARGP();
	}
	while (*argc && !is_keyword(**argv)) {
		if (hex) {
			got = parse_hex_word(what, **argv, out + n,
					     n < size ? size - n : 0);
			if (got < 0)
				return -1;
			n += got;
		} else {
			if (parse_s64(**argv, what, 0, 255, &v))
				return -1;
			if (n < size)
				out[n] = v;
			n++;
		}
		NEXT_ARGP();
	}
	if (n != size) {
		p_err("%s: %u byte%s given, the map's are %u bytes", what, n,
		      n == 1 ? "" : "s", size);
		return -1;
	}
	return 0;
}

/* "key BYTES" at the current word. */
static int parse_key(int *argc, char ***argv, const struct map_ctx *m,
		     unsigned char *key)
{
	if (!*argc || strcmp(**argv, "key")) {
		p_err("expected 'key BYTES'");
		return -1;
	}
	NEXT_ARGP();
	return parse_bytes(argc, argv, "key", key, m->info.key_size);
}

/* ---- printing ----------------------------------------------------------- */

static void print_hex_plain(const unsigned char *p, __u32 n)
{
	__u32 i;

	for (i = 0; i < n; i++)
		printf("%s%02x", i ? " " : "", p[i]);
}

static void print_hex_json(const char *name, const unsigned char *p, __u32 n)
{
	char byte[8];
	__u32 i;

	jsonw_name(json_wtr, name);
	jsonw_start_array(json_wtr);
	for (i = 0; i < n; i++) {
		snprintf(byte, sizeof(byte), "0x%02x", p[i]);
		jsonw_string(json_wtr, byte);
	}
	jsonw_end_array(json_wtr);
}

static void print_value_json(const struct map_ctx *m,
			     const unsigned char *value)
{
	__u32 cpu;

	if (m->ncpus == 1 && !is_percpu(m->info.type)) {
		print_hex_json("value", value, m->info.value_size);
		return;
	}
	jsonw_name(json_wtr, "values");
	jsonw_start_array(json_wtr);
	for (cpu = 0; cpu < m->ncpus; cpu++) {
		jsonw_start_object(json_wtr);
		jsonw_uint_field(json_wtr, "cpu", cpu);
		print_hex_json("value", value + cpu * m->value_stride,
			       m->info.value_size);
		jsonw_end_object(json_wtr);
	}
	jsonw_end_array(json_wtr);
}

/* One typed value, or its bytes when its type is unknown. */
static void typed_json(const struct map_ctx *m, const char *name, __u32 id,
		       const unsigned char *p, __u32 size)
{
	if (!id) {
		print_hex_json(name, p, size);
		return;
	}
	jsonw_name(json_wtr, name);
	btf_json_value(json_wtr, m->btf.btf, id, p);
}

/* bpftool's "formatted" member: the typed key and value(s). */
static void print_formatted_json(const struct map_ctx *m,
				 const unsigned char *key,
				 const unsigned char *value)
{
	__u32 cpu, vs = m->info.value_size;

	if (!m->btf.btf)
		return;
	jsonw_name(json_wtr, "formatted");
	jsonw_start_object(json_wtr);
	typed_json(m, "key", m->btf.key_id, key, m->info.key_size);
	if (!is_percpu(m->info.type)) {
		typed_json(m, "value", m->btf.value_id, value, vs);
	} else {
		jsonw_name(json_wtr, "values");
		jsonw_start_array(json_wtr);
		for (cpu = 0; cpu < m->ncpus; cpu++) {
			jsonw_start_object(json_wtr);
			jsonw_uint_field(json_wtr, "cpu", cpu);
			typed_json(m, "value", m->btf.value_id,
				   value + cpu * m->value_stride, vs);
			jsonw_end_object(json_wtr);
		}
		jsonw_end_array(json_wtr);
	}
	jsonw_end_object(json_wtr);
}

static void print_typed_plain(const struct map_ctx *m, __u32 id,
			      const unsigned char *p, __u32 size)
{
	if (m->btf.btf && id)
		btf_plain_value(stdout, m->btf.btf, id, p);
	else
		print_hex_plain(p, size);
}

static void print_key_plain(const struct map_ctx *m, const unsigned char *key)
{
	print_typed_plain(m, m->btf.key_id, key, m->info.key_size);
}

static void print_value_plain(const struct map_ctx *m,
			      const unsigned char *value)
{
	print_typed_plain(m, m->btf.value_id, value, m->info.value_size);
}

static void print_elem(const struct map_ctx *m, const unsigned char *key,
		       const unsigned char *value)
{
	__u32 cpu;

	if (json_output) {
		jsonw_start_object(json_wtr);
		print_hex_json("key", key, m->info.key_size);
		print_value_json(m, value);
		print_formatted_json(m, key, value);
		jsonw_end_object(json_wtr);
		return;
	}
	printf("key: ");
	print_key_plain(m, key);
	if (!is_percpu(m->info.type)) {
		printf("  value: ");
		print_value_plain(m, value);
		printf("\n");
		return;
	}
	printf("\n");
	for (cpu = 0; cpu < m->ncpus; cpu++) {
		printf("  value (CPU %02u): ", cpu);
		print_value_plain(m, value + cpu * m->value_stride);
		printf("\n");
	}
}

/* One error line for a failed element operation. */
static int elem_error(const struct map_ctx *m, const char *op, int err)
{
	const char *name = m->info.name;

	/*
	 * The map was just found with these very rights (elem_begin()), so
	 * a change refused with EPERM is the freeze's, not a privilege's.
	 */
	if (err == -EPERM && strcmp(op, "lookup"))
		p_err("map '%s': frozen, userspace may not change it (map freeze; kbpfctl freezes an object's .rodata once written, as libbpf does)",
		      name);
	else if (err == -EPERM || err == -EACCES)
		p_err(ERR_NO_PERM);
	else if (err == -ENOENT)
		p_err("map '%s': no such key", name);
	else if (err == -EEXIST)
		p_err("map '%s': the key exists (noexist was given)", name);
	else if (err == -E2BIG)
		p_err("map '%s': full (%u entries)", name, m->info.max_entries);
	else if (err == -ENOMEM && !strcmp(op, "update"))
		p_err("map '%s': no memory for the element: %s (deleted elements count against the map until their grace period ends; the module waited for it)",
		      name, kbpf_strerror(err));
	else
		p_err("map '%s': %s failed: %s", name, op, kbpf_strerror(err));
	return -1;
}

/* ---- list / show ----------------------------------------------------------- */

/* The KBPF_F_* creation flags by name, as uapi/linux/kbpf.h spells them. */
static const struct {
	__u32 flag;
	const char *name;
} map_flags[] = {
	{ KBPF_F_NO_PREALLOC, "no_prealloc" },
	{ KBPF_F_RDONLY_PROG, "rdonly_prog" },
	{ KBPF_F_WRONLY_PROG, "wronly_prog" },
};

/*
 * Each flag set in flags by name, in bit order; fn gets the name of a known
 * one, or NULL and the bits no name covers (printed as a hex number).
 */
typedef void (*map_flag_fn)(const char *name, __u32 unknown, void *arg);

static void for_each_map_flag(__u32 flags, map_flag_fn fn, void *arg)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(map_flags); i++) {
		if (flags & map_flags[i].flag)
			fn(map_flags[i].name, 0, arg);
		flags &= ~map_flags[i].flag;
	}
	if (flags)
		fn(NULL, flags, arg);
}

static void flag_json(const char *name, __u32 unknown, void *arg)
{
	char hex[16];

	snprintf(hex, sizeof(hex), "0x%x", unknown);
	jsonw_string(json_wtr, name ?: hex);
}

/* *arg: what goes before the name ("  flags " first, then ","). */
static void flag_plain(const char *name, __u32 unknown, void *arg)
{
	const char **sep = arg;

	printf("%s", *sep);
	*sep = ",";
	if (name)
		printf("%s", name);
	else
		printf("0x%x", unknown);
}

/* bpftool's members (flags as a number, frozen 0 or 1), and the names. */
static void print_map_json(const struct kbpf_map_info *info)
{
	jsonw_start_object(json_wtr);
	jsonw_uint_field(json_wtr, "id", info->id);
	jsonw_string_field(json_wtr, "name", info->name);
	jsonw_string_field(json_wtr, "type", kbpf_map_type_name(info->type));
	jsonw_uint_field(json_wtr, "key_size", info->key_size);
	jsonw_uint_field(json_wtr, "value_size", info->value_size);
	jsonw_uint_field(json_wtr, "max_entries", info->max_entries);
	jsonw_uint_field(json_wtr, "flags", info->flags);
	jsonw_name(json_wtr, "flag_names");
	jsonw_start_array(json_wtr);
	for_each_map_flag(info->flags, flag_json, NULL);
	jsonw_end_array(json_wtr);
	jsonw_uint_field(json_wtr, "frozen", info->frozen);
	jsonw_end_object(json_wtr);
}

/* Flags and "frozen" only when there are some: a plain map's line is short. */
static void print_map_plain(const struct kbpf_map_info *info)
{
	const char *sep = "  flags ";

	printf("%u: %s  name %s  key %uB  value %uB  max_entries %u",
	       info->id, kbpf_map_type_name(info->type), info->name,
	       info->key_size, info->value_size, info->max_entries);
	for_each_map_flag(info->flags, flag_plain, &sep);
	printf("%s\n", info->frozen ? "  frozen" : "");
}

static int show_map(const struct kbpf_map_info *info, void *arg)
{
	if (json_output)
		print_map_json(info);
	else
		print_map_plain(info);
	return 0;
}

static int show_one_map(struct kbpf_ctl *ctl, const struct obj_ref *ref)
{
	struct kbpf_map_info info;
	int err;

	err = kbpf_ctl_map_get(ctl, ref->id, ref->name, &info);
	if (!err)
		show_map(&info, NULL);
	return err;
}

static int show_all_maps(struct kbpf_ctl *ctl)
{
	return kbpf_ctl_map_dump(ctl, show_map, NULL);
}

static int do_list(int argc, char **argv)
{
	return list_objects(argc, argv, "map", show_one_map, show_all_maps);
}

/* ---- create ----------------------------------------------------------------- */

static int parse_map_type(const char *s, __u32 *type)
{
	__u32 t;

	for (t = 1; t < 64; t++) {
		if (!strcmp(kbpf_map_type_name(t), s)) {
			*type = t;
			return 0;
		}
	}
	p_err("unknown map type '%s' (run 'kbpfctl map help')", s);
	return -1;
}

struct create_args {
	struct kbpf_map_create_attr attr;
	bool has_type, has_key, has_value, has_entries, has_name;
};

static int parse_create_word(int *argc, char ***argv, struct create_args *c)
{
	const char *kw = **argv;
	__s64 v;

	NEXT_ARGP();
	if (!*argc) {
		p_err("'%s' needs an argument", kw);
		return -1;
	}
	if (!strcmp(kw, "type")) {
		c->has_type = !parse_map_type(**argv, &c->attr.map_type);
		if (!c->has_type)
			return -1;
	} else if (!strcmp(kw, "name")) {
		if (strlen(**argv) >= KBPF_OBJ_NAME_LEN) {
			p_err("map name '%s' is longer than %d characters",
			      **argv, KBPF_OBJ_NAME_LEN - 1);
			return -1;
		}
		strcpy(c->attr.name, **argv);
		c->has_name = true;
	} else {
		if (parse_s64(**argv, kw, 0, 0xffffffffLL, &v))
			return -1;
		if (!strcmp(kw, "key"))
			c->attr.key_size = v, c->has_key = true;
		else if (!strcmp(kw, "value"))
			c->attr.value_size = v, c->has_value = true;
		else if (!strcmp(kw, "entries"))
			c->attr.max_entries = v, c->has_entries = true;
		else
			c->attr.flags = v;
	}
	NEXT_ARGP();
	return 0;
}

static int do_create(int argc, char **argv)
{
	static const char * const words[] = {
		"type", "key", "value", "entries", "name", "flags",
	};
	struct create_args c = { .attr.size = sizeof(c.attr) };
	char reason[256] = "";
	size_t i;
	int fd, err;

	while (argc) {
		for (i = 0; i < ARRAY_SIZE(words); i++)
			if (!strcmp(*argv, words[i]))
				break;
		if (i == ARRAY_SIZE(words))
			return BAD_ARG();
		if (parse_create_word(&argc, &argv, &c))
			return -1;
	}
	if (!c.has_type || !c.has_key || !c.has_value || !c.has_entries ||
	    !c.has_name) {
		p_err("'create' needs type, key, value, entries and name");
		return -1;
	}
	fd = kbpf_dev_open();
	if (fd < 0)
		return -1;
	c.attr.log_buf = (__u64)(unsigned long)reason;
	c.attr.log_size = sizeof(reason);
	err = kbpf_dev_ioctl(fd, KBPF_IOC_MAP_CREATE, &c.attr);
	reason[sizeof(reason) - 1] = '\0';
	close(fd);
	if (err == -EPERM || err == -EACCES) {
		p_err(ERR_NO_PERM);
		return -1;
	} else if (err == -EEXIST) {
		p_err("map '%s': a map with this name already exists",
		      c.attr.name);
		return -1;
	} else if (err) {
		p_err("map '%s': cannot create (%s, key %u, value %u, max_entries %u): %s",
		      c.attr.name, kbpf_map_type_name(c.attr.map_type),
		      c.attr.key_size, c.attr.value_size,
		      c.attr.max_entries, reason[0] ? reason : strerror(-err));
		return -1;
	}
	if (json_output) {
		jsonw_start_object(json_wtr);
		jsonw_uint_field(json_wtr, "id", c.attr.map_id);
		jsonw_string_field(json_wtr, "name", c.attr.name);
		jsonw_end_object(json_wtr);
	} else {
		printf("map '%s' created: id %u\n", c.attr.name,
		       c.attr.map_id);
	}
	return 0;
}

/* ---- lookup / update / delete -------------------------------------------- */

/* Buffers for one element of m, zeroed; freed by free_elem(). */
static int alloc_elem(const struct map_ctx *m, unsigned char **key,
		      unsigned char **value)
{
	*key = calloc(1, m->info.key_size ? m->info.key_size : 1);
	*value = calloc(1, m->value_buf_size ? m->value_buf_size : 1);
	if (*key && *value)
		return 0;
	free(*key);
	free(*value);
	*key = *value = NULL;
	p_err("out of memory");
	return -1;
}

static void free_elem(unsigned char *key, unsigned char *value)
{
	free(key);
	free(value);
}

/*
 * The common start of lookup, update and delete: MAP, then "key BYTES".
 * On success the caller owns m (map_ctx_close()) and the buffers.
 */
static int elem_begin(int *argc, char ***argv, struct map_ctx *m,
		      unsigned char **key, unsigned char **value)
{
	struct obj_ref ref;

	*key = *value = NULL;
	if (parse_obj_ref(argc, argv, "map", &ref))
		return -1;
	if (map_ctx_open(&ref, m))
		goto err;
	if (alloc_elem(m, key, value))
		goto err;
	if (parse_key(argc, argv, m, *key))
		goto err;
	return 0;
err:
	free_elem(*key, *value);
	map_ctx_close(m);
	return -1;
}

static int do_lookup(int argc, char **argv)
{
	unsigned char *key, *value;
	struct map_ctx m;
	int err;

	if (elem_begin(&argc, &argv, &m, &key, &value))
		return -1;
	if (argc) {
		err = BAD_ARG();
		goto out;
	}
	err = elem_op(m.fd, KBPF_IOC_MAP_LOOKUP, m.info.id, key, value, 0);
	if (err)
		err = elem_error(&m, "lookup", err);
	else
		print_elem(&m, key, value);
out:
	free_elem(key, value);
	map_ctx_close(&m);
	return err;
}

static int parse_update_flags(int argc, char **argv, __u64 *flags)
{
	if (!argc) {
		*flags = KBPF_ANY;
		return 0;
	}
	if (!strcmp(*argv, "any"))
		*flags = KBPF_ANY;
	else if (!strcmp(*argv, "noexist"))
		*flags = KBPF_NOEXIST;
	else if (!strcmp(*argv, "exist"))
		*flags = KBPF_EXIST;
	else
		return BAD_ARG();
	if (argc > 1) {
		argv++;
		return BAD_ARG();
	}
	return 0;
}

static int do_update(int argc, char **argv)
{
	unsigned char *key, *value;
	struct map_ctx m;
	__u64 flags;
	__u32 cpu;
	int err = -1;

	if (elem_begin(&argc, &argv, &m, &key, &value))
		return -1;
	if (!argc || strcmp(*argv, "value")) {
		p_err("expected 'value BYTES'");
		goto out;
	}
	NEXT_ARG();
	if (parse_bytes(&argc, &argv, "value", value, m.info.value_size) ||
	    parse_update_flags(argc, argv, &flags))
		goto out;
	/* A per-CPU map gets the value on every CPU, as bpftool does. */
	for (cpu = 1; cpu < m.ncpus; cpu++)
		memcpy(value + cpu * m.value_stride, value, m.info.value_size);
	err = elem_op(m.fd, KBPF_IOC_MAP_UPDATE, m.info.id, key, value, flags);
	if (err)
		err = elem_error(&m, "update", err);
	else
		err = finish_quiet(0);
out:
	free_elem(key, value);
	map_ctx_close(&m);
	return err;
}

static int do_delete(int argc, char **argv)
{
	unsigned char *key, *value;
	struct map_ctx m;
	int err;

	if (elem_begin(&argc, &argv, &m, &key, &value))
		return -1;
	if (argc) {
		err = BAD_ARG();
		goto out;
	}
	err = elem_op(m.fd, KBPF_IOC_MAP_DELETE, m.info.id, key, NULL, 0);
	if (err == -EINVAL && (m.info.type == KBPF_MAP_TYPE_ARRAY ||
			       m.info.type == KBPF_MAP_TYPE_PERCPU_ARRAY)) {
		p_err("map '%s': elements of an array cannot be deleted (update them instead)",
		      m.info.name);
		err = -1;
	} else if (err) {
		err = elem_error(&m, "delete", err);
	} else {
		err = finish_quiet(0);
	}
out:
	free_elem(key, value);
	map_ctx_close(&m);
	return err;
}

/* ---- dump ------------------------------------------------------------------ */

/*
 * Walk keys with NEXT_KEY from "no key", looking each one up.  A key that
 * vanishes between the two calls was deleted meanwhile: skip it.
 */
static int dump_elems(const struct map_ctx *m)
{
	unsigned char *key, *next, *value, *tmp;
	bool first = true;
	__u32 count = 0;
	int err;

	if (alloc_elem(m, &key, &value))
		return -ENOMEM;
	next = calloc(1, m->info.key_size ? m->info.key_size : 1);
	if (!next) {
		free_elem(key, value);
		p_err("out of memory");
		return -ENOMEM;
	}
	if (json_output)
		jsonw_start_array(json_wtr);
	for (;;) {
		err = elem_op(m->fd, KBPF_IOC_MAP_NEXT_KEY, m->info.id,
			      first ? NULL : key, next, 0);
		if (err)
			break;
		first = false;
		tmp = key;
		key = next;
		next = tmp;
		err = elem_op(m->fd, KBPF_IOC_MAP_LOOKUP, m->info.id, key,
			      value, 0);
		if (err == -ENOENT)
			continue;
		if (err)
			break;
		print_elem(m, key, value);
		count++;
	}
	if (json_output)
		jsonw_end_array(json_wtr);
	if (err == -ENOENT) {
		err = 0;
		if (!json_output)
			printf("Found %u element%s\n", count,
			       count == 1 ? "" : "s");
	} else if (err == -EPERM || err == -EACCES) {
		p_err(ERR_NO_PERM);
	} else {
		p_err("map %u: cannot read elements: %s", m->info.id,
		      strerror(-err));
	}
	free(next);
	free_elem(key, value);
	return err;
}

static int do_dump(int argc, char **argv)
{
	struct obj_ref ref;
	struct map_ctx m;
	int err;

	if (parse_last_obj_ref(argc, argv, "map", &ref))
		return -1;
	if (map_ctx_open(&ref, &m)) {
		map_ctx_close(&m);
		return -1;
	}
	err = dump_elems(&m);
	map_ctx_close(&m);
	return err ? -1 : 0;
}

/* map resize MAP [entries] ENTRIES */
static int do_resize(int argc, char **argv)
{
	struct obj_ref ref;
	struct kbpf_ctl ctl;
	__s64 entries;
	int err;

	if (parse_obj_ref(&argc, &argv, "map", &ref))
		return -1;
	if (argc == 2 && !strcmp(argv[0], "entries")) {
		argc--;
		argv++;
	}
	if (argc != 1) {
		p_err("'resize' needs MAP and the new number of entries");
		return -1;
	}
	if (parse_s64(argv[0], "entries", 0, UINT32_MAX, &entries))
		return -1;
	if (kbpf_ctl_open(&ctl))
		return -1;
	err = kbpf_ctl_map_resize(&ctl, ref.id, ref.name, (__u32)entries);
	kbpf_ctl_close(&ctl);
	return finish_quiet(err);
}

static int do_destroy(int argc, char **argv)
{
	struct obj_ref ref;
	struct kbpf_ctl ctl;
	int err;

	if (parse_last_obj_ref(argc, argv, "map", &ref))
		return -1;
	if (kbpf_ctl_open(&ctl))
		return -1;
	err = kbpf_ctl_map_destroy(&ctl, ref.id, ref.name);
	kbpf_ctl_close(&ctl);
	return finish_quiet(err);
}

static int do_help(int argc, char **argv)
{
	if (json_output) {
		jsonw_null(json_wtr);
		return 0;
	}
	fprintf(stderr,
		"Usage: %1$s %2$s { list | show } [MAP]\n"
		"       %1$s %2$s create type TYPE key KEY_SIZE value VALUE_SIZE entries MAX_ENTRIES name NAME [flags FLAGS]\n"
		"       %1$s %2$s lookup MAP key BYTES\n"
		"       %1$s %2$s update MAP key BYTES value BYTES [UPDATE_FLAGS]\n"
		"       %1$s %2$s delete MAP key BYTES\n"
		"       %1$s %2$s dump MAP\n"
		"       %1$s %2$s resize MAP [entries] ENTRIES\n"
		"       %1$s %2$s freeze MAP\n"
		"       %1$s %2$s destroy MAP\n"
		"       %1$s %2$s help\n"
		"\n"
		"       MAP := { ID | NAME | id ID | name NAME }\n"
		"       BYTES := { BYTE... | hex HEX... }  (BYTE: 0..255 or 0x00..0xff; HEX: two digits a byte)\n"
		"       UPDATE_FLAGS := { any | exist | noexist }  (default any)\n"
		"       TYPE := { hash | array | percpu_hash | percpu_array | lru_hash |\n"
		"                 lru_percpu_hash | lpm_trie | prog_array | ringbuf }\n"
		"       Keys and values print as hex, and typed when the map was created from\n"
		"       an object with BTF (kbpfctl load / prog load keep its types with the map).\n"
		"       Per-CPU maps: update writes the value to every CPU; lookup and dump show each.\n"
		"       resize (cloud profile; array, percpu_array and hash types): arrays keep the\n"
		"       elements both sizes have and zero new ones; a hash map does not shrink below\n"
		"       its element count (an LRU one evicts).\n"
		"       freeze: userspace may no longer update, delete or resize (for good; .rodata\n"
		"       of a loaded object is frozen); programs keep what the map's flags allow.\n"
		"       " HELP_SPEC_OPTIONS "\n",
		bin_name, "map");
	return 0;
}

/* bpftool map freeze: userspace may change the map no more. */
static int do_freeze(int argc, char **argv)
{
	struct obj_ref ref;
	struct map_ctx m;
	int err;

	if (parse_obj_ref(&argc, &argv, "map", &ref))
		return -1;
	if (argc)
		return BAD_ARG();
	if (map_ctx_open(&ref, &m))
		return -1;
	err = kbpf_dev_map_freeze(m.fd, m.info.id, m.info.name);
	map_ctx_close(&m);
	return finish_quiet(err);
}

static const struct cmd cmds[] = {
	{ "help",	do_help },
	{ "list",	do_list },
	{ "show",	do_list },
	{ "create",	do_create },
	{ "lookup",	do_lookup },
	{ "update",	do_update },
	{ "delete",	do_delete },
	{ "dump",	do_dump },
	{ "resize",	do_resize },
	{ "freeze",	do_freeze },
	{ "destroy",	do_destroy },
	{ NULL }
};

int do_map(int argc, char **argv)
{
	return cmd_select(cmds, argc, argv, do_help);
}
