// SPDX-License-Identifier: GPL-2.0
/*
 * Names of kbpf's enums as the command line and the output spell them, and
 * small parsers shared by the object commands.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>

#include "main.h"
#include "ctl.h"

static const char * const family_names[] = {
	[KBPF_NF_FAMILY_IPV4]	= "ipv4",
	[KBPF_NF_FAMILY_NETDEV]	= "netdev",
	[KBPF_NF_FAMILY_IPV6]	= "ipv6",
};

static const char * const hook_names[] = {
	[KBPF_NF_HOOK_PRE_ROUTING]	= "pre_routing",
	[KBPF_NF_HOOK_LOCAL_IN]		= "local_in",
	[KBPF_NF_HOOK_FORWARD]		= "forward",
	[KBPF_NF_HOOK_LOCAL_OUT]	= "local_out",
	[KBPF_NF_HOOK_POST_ROUTING]	= "post_routing",
	[KBPF_NF_HOOK_INGRESS]		= "ingress",
};

static const char * const prog_type_names[] = {
	[KBPF_PROG_TYPE_UNSPEC]		= "unspec",
	[KBPF_PROG_TYPE_NETFILTER]	= "netfilter",
};

static const char * const map_type_names[] = {
	[KBPF_MAP_TYPE_UNSPEC]		= "unspec",
	[KBPF_MAP_TYPE_HASH]		= "hash",
	[KBPF_MAP_TYPE_ARRAY]		= "array",
	[KBPF_MAP_TYPE_PERCPU_HASH]	= "percpu_hash",
	[KBPF_MAP_TYPE_PERCPU_ARRAY]	= "percpu_array",
	[KBPF_MAP_TYPE_LPM_TRIE]	= "lpm_trie",
	[KBPF_MAP_TYPE_LRU_HASH]	= "lru_hash",
	[KBPF_MAP_TYPE_LRU_PERCPU_HASH]	= "lru_percpu_hash",
	[KBPF_MAP_TYPE_RINGBUF]		= "ringbuf",
	/* Linux's number, until the uapi names it (tail calls). */
	[3]				= "prog_array",
};

static const char *name_of(const char * const *names, size_t count, __u32 v)
{
	return v < count && names[v] ? names[v] : "unknown";
}

const char *kbpf_family_name(__u32 family)
{
	return name_of(family_names, ARRAY_SIZE(family_names), family);
}

const char *kbpf_hook_name(__u32 hook)
{
	return name_of(hook_names, ARRAY_SIZE(hook_names), hook);
}

const char *kbpf_prog_type_name(__u32 type)
{
	return name_of(prog_type_names, ARRAY_SIZE(prog_type_names), type);
}

const char *kbpf_map_type_name(__u32 type)
{
	return name_of(map_type_names, ARRAY_SIZE(map_type_names), type);
}

static int index_of(const char * const *names, size_t count, const char *s,
		    size_t len)
{
	size_t i;

	for (i = 0; i < count; i++)
		if (names[i] && strlen(names[i]) == len &&
		    !memcmp(names[i], s, len))
			return i;
	return -1;
}

int parse_hook(const char *s, __u32 *family, __u32 *hook)
{
	const char *slash = strchr(s, '/');
	int f, h;

	if (!slash) {
		p_err("hook '%s' is not FAMILY/HOOK (e.g. ipv4/local_in)", s);
		return -1;
	}
	f = index_of(family_names, ARRAY_SIZE(family_names), s, slash - s);
	if (f < 0) {
		p_err("unknown family '%.*s' in hook '%s' (ipv4, ipv6 or netdev)",
		      (int)(slash - s), s, s);
		return -1;
	}
	h = index_of(hook_names, ARRAY_SIZE(hook_names), slash + 1,
		     strlen(slash + 1));
	if (f == KBPF_NF_FAMILY_NETDEV && h != KBPF_NF_HOOK_INGRESS) {
		p_err("unknown hook '%s' in '%s' (netdev has only ingress)",
		      slash + 1, s);
		return -1;
	}
	if (f != KBPF_NF_FAMILY_NETDEV &&
	    (h < 0 || h == KBPF_NF_HOOK_INGRESS)) {
		p_err("unknown hook '%s' in '%s' (pre_routing, local_in, forward, local_out or post_routing; ingress is netdev/ingress)",
		      slash + 1, s);
		return -1;
	}
	*family = f;
	*hook = h;
	return 0;
}

int parse_dev(const char *s, __u32 *ifindex)
{
	unsigned int i = if_nametoindex(s);
	__s64 v;

	/* A number that names no device is an ifindex, checked by the module. */
	if (!i && is_all_digits(s)) {
		if (parse_s64(s, "ifindex", 1, UINT32_MAX, &v))
			return -1;
		i = v;
	}
	if (!i) {
		p_err("no device '%s' in this network namespace", s);
		return -1;
	}
	*ifindex = i;
	return 0;
}

int check_dev(__u32 family, __u32 ifindex)
{
	if (family == KBPF_NF_FAMILY_NETDEV && !ifindex) {
		p_err("netdev/ingress is per interface: add 'dev NAME'");
		return -1;
	}
	if (family != KBPF_NF_FAMILY_NETDEV && ifindex) {
		p_err("'dev' goes with netdev/ingress only: ipv4 and ipv6 hooks see every device");
		return -1;
	}
	return 0;
}

bool is_all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

int parse_s64(const char *s, const char *what, __s64 min, __s64 max,
	      __s64 *out)
{
	long long v;
	char *end;

	errno = 0;
	v = strtoll(s, &end, 0);
	if (!*s || *end || errno) {
		p_err("%s '%s' is not a number", what, s);
		return -1;
	}
	if (v < min || v > max) {
		p_err("%s %lld is out of range [%lld, %lld]", what, v,
		      (long long)min, (long long)max);
		return -1;
	}
	*out = v;
	return 0;
}

static bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '.';
}

void kbpf_obj_name(char dst[KBPF_OBJ_NAME_LEN], const char *src)
{
	size_t i;

	for (i = 0; i < KBPF_OBJ_NAME_LEN - 1 && src[i]; i++)
		dst[i] = is_name_char(src[i]) ? src[i] : '_';
	memset(dst + i, 0, KBPF_OBJ_NAME_LEN - i);
}

int parse_obj_ref(int *argc, char ***argv, const char *what,
		  struct obj_ref *ref)
{
	const char *word;
	__s64 id;

	if (*argc < 1) {
		p_err("expected %s ID or NAME", what);
		return -1;
	}
	word = **argv;
	if (!strcmp(word, "id") || !strcmp(word, "name")) {
		if (*argc < 2) {
			p_err("'%s' needs an argument", word);
			return -1;
		}
		NEXT_ARGP();
		if (word[0] == 'n')
			goto by_name;
		if (parse_s64(**argv, "id", 1, 0xffffffffLL, &id))
			return -1;
		goto by_id;
	}
	if (is_all_digits(word)) {
		if (parse_s64(word, "id", 1, 0xffffffffLL, &id))
			return -1;
		goto by_id;
	}
by_name:
	if (strlen(**argv) >= KBPF_OBJ_NAME_LEN) {
		p_err("%s name '%s' is longer than %d characters", what,
		      **argv, KBPF_OBJ_NAME_LEN - 1);
		return -1;
	}
	ref->id = 0;
	ref->name = **argv;
	NEXT_ARGP();
	return 0;
by_id:
	ref->id = id;
	ref->name = NULL;
	NEXT_ARGP();
	return 0;
}

int parse_last_obj_ref(int argc, char **argv, const char *what,
		       struct obj_ref *ref)
{
	if (parse_obj_ref(&argc, &argv, what, ref))
		return -1;
	if (argc)
		return BAD_ARG();
	return 0;
}

int list_objects(int argc, char **argv, const char *what,
		 int (*show_one)(struct kbpf_ctl *ctl, const struct obj_ref *ref),
		 int (*show_all)(struct kbpf_ctl *ctl))
{
	struct obj_ref ref;
	struct kbpf_ctl ctl;
	int err;

	if (argc && parse_last_obj_ref(argc, argv, what, &ref))
		return -1;
	if (kbpf_ctl_open(&ctl))
		return -1;
	if (argc) {
		err = show_one(&ctl, &ref);
	} else {
		if (json_output)
			jsonw_start_array(json_wtr);
		err = show_all(&ctl);
		if (json_output)
			jsonw_end_array(json_wtr);
	}
	kbpf_ctl_close(&ctl);
	return err ? -1 : 0;
}

int finish_quiet(int err)
{
	if (err)
		return -1;
	if (json_output)
		jsonw_null(json_wtr);
	return 0;
}
