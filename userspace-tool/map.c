// SPDX-License-Identifier: GPL-2.0
/* kbpfctl map {list | dump | help}. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "main.h"
#include "netlink.h"

static void print_map_json(const struct kbpf_map_info *info)
{
	jsonw_start_object(json_wtr);
	jsonw_uint_field(json_wtr, "id", info->id);
	jsonw_string_field(json_wtr, "name", info->name);
	jsonw_string_field(json_wtr, "type", kbpf_map_type_name(info->type));
	jsonw_uint_field(json_wtr, "key_size", info->key_size);
	jsonw_uint_field(json_wtr, "value_size", info->value_size);
	jsonw_uint_field(json_wtr, "max_entries", info->max_entries);
	jsonw_end_object(json_wtr);
}

static void print_map_plain(const struct kbpf_map_info *info)
{
	printf("%u: %s  name %s  key %uB  value %uB  max_entries %u\n",
	       info->id, kbpf_map_type_name(info->type), info->name,
	       info->key_size, info->value_size, info->max_entries);
}

static int show_map(const struct kbpf_map_info *info, void *arg)
{
	if (json_output)
		print_map_json(info);
	else
		print_map_plain(info);
	return 0;
}

static int show_one_map(struct kbpf_nl *nl, const struct obj_ref *ref)
{
	struct kbpf_map_info info;
	int err;

	err = kbpf_nl_map_get(nl, ref->id, ref->name, &info);
	if (!err)
		show_map(&info, NULL);
	return err;
}

static int show_all_maps(struct kbpf_nl *nl)
{
	return kbpf_nl_map_dump(nl, show_map, NULL);
}

static int do_list(int argc, char **argv)
{
	return list_objects(argc, argv, "map", show_one_map, show_all_maps);
}

/* ---- dump ------------------------------------------------------------- */

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

static void print_elem(const struct kbpf_map_info *info,
		       const unsigned char *key, const unsigned char *value)
{
	if (json_output) {
		jsonw_start_object(json_wtr);
		print_hex_json("key", key, info->key_size);
		print_hex_json("value", value, info->value_size);
		jsonw_end_object(json_wtr);
		return;
	}
	printf("key: ");
	print_hex_plain(key, info->key_size);
	printf("  value: ");
	print_hex_plain(value, info->value_size);
	printf("\n");
}

static int elem_op(int fd, unsigned long req, __u32 id, const void *key,
		   void *value)
{
	struct kbpf_map_elem_attr attr = { .size = sizeof(attr) };

	attr.map_id = id;
	attr.key = (__u64)(unsigned long)key;
	attr.value = (__u64)(unsigned long)value;
	return kbpf_dev_ioctl(fd, req, &attr);
}

/*
 * Walk keys with NEXT_KEY from "no key", looking each one up.  A key that
 * vanishes between the two calls was deleted meanwhile: skip it.
 */
static int dump_elems(int fd, const struct kbpf_map_info *info)
{
	unsigned char *key, *next, *value, *tmp;
	bool first = true;
	__u32 count = 0;
	int err;

	key = calloc(1, info->key_size ? info->key_size : 1);
	next = calloc(1, info->key_size ? info->key_size : 1);
	value = calloc(1, info->value_size ? info->value_size : 1);
	if (!key || !next || !value) {
		p_err("out of memory");
		err = -ENOMEM;
		goto out;
	}
	if (json_output)
		jsonw_start_array(json_wtr);
	for (;;) {
		err = elem_op(fd, KBPF_IOC_MAP_NEXT_KEY, info->id,
			      first ? NULL : key, next);
		if (err)
			break;
		first = false;
		tmp = key;
		key = next;
		next = tmp;
		err = elem_op(fd, KBPF_IOC_MAP_LOOKUP, info->id, key, value);
		if (err == -ENOENT)
			continue;
		if (err)
			break;
		print_elem(info, key, value);
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
		p_err("map %u: cannot read elements: %s", info->id,
		      strerror(-err));
	}
out:
	free(key);
	free(next);
	free(value);
	return err;
}

static int do_dump(int argc, char **argv)
{
	struct kbpf_map_info info;
	struct obj_ref ref;
	struct kbpf_nl nl;
	int fd, err;

	if (parse_last_obj_ref(argc, argv, "map", &ref))
		return -1;
	if (kbpf_nl_open(&nl))
		return -1;
	err = kbpf_nl_map_get(&nl, ref.id, ref.name, &info);
	kbpf_nl_close(&nl);
	if (err)
		return -1;
	fd = kbpf_dev_open();
	if (fd < 0)
		return -1;
	err = dump_elems(fd, &info);
	close(fd);
	return err ? -1 : 0;
}

static int do_destroy(int argc, char **argv)
{
	struct obj_ref ref;
	struct kbpf_nl nl;
	int err;

	if (parse_last_obj_ref(argc, argv, "map", &ref))
		return -1;
	if (kbpf_nl_open(&nl))
		return -1;
	err = kbpf_nl_map_destroy(&nl, ref.id, ref.name);
	kbpf_nl_close(&nl);
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
		"       %1$s %2$s dump MAP\n"
		"       %1$s %2$s destroy MAP\n"
		"       %1$s %2$s help\n"
		"\n"
		"       MAP := { ID | NAME | id ID | name NAME }\n"
		"       " HELP_SPEC_OPTIONS "\n",
		bin_name, "map");
	return 0;
}

static const struct cmd cmds[] = {
	{ "help",	do_help },
	{ "list",	do_list },
	{ "show",	do_list },
	{ "dump",	do_dump },
	{ "destroy",	do_destroy },
	{ NULL }
};

int do_map(int argc, char **argv)
{
	return cmd_select(cmds, argc, argv, do_help);
}
