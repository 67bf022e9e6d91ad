// SPDX-License-Identifier: GPL-2.0
/*
 * kbpfctl hook {list | set | help}: hook points, their scheduling policy
 * and their chains in run order; kbpfctl feature: the module's profile,
 * policy, limits and memory, and switching run-time statistics.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "main.h"
#include "ctl.h"

const char *kbpf_policy_name(__u32 policy)
{
	switch (policy) {
	case KBPF_SCHED_THROUGHPUT:
		return "throughput";
	case KBPF_SCHED_DEADLINE:
		return "deadline";
	default:
		return "default";
	}
}

int parse_policy(const char *s, __u32 *policy)
{
	if (!strcmp(s, "throughput"))
		*policy = KBPF_SCHED_THROUGHPUT;
	else if (!strcmp(s, "deadline"))
		*policy = KBPF_SCHED_DEADLINE;
	else if (!strcmp(s, "default"))
		*policy = KBPF_SCHED_DEFAULT;
	else {
		p_err("policy '%s': use throughput, deadline or default", s);
		return -1;
	}
	return 0;
}

int parse_duration(const char *s, const char *what, __u64 *ns)
{
	static const struct { const char *unit; __u64 mult; } units[] = {
		{ "ns", 1 }, { "us", 1000 }, { "ms", 1000000 },
		{ "s", 1000000000ULL }, { "", 1 },
	};
	unsigned long long v;
	char *end;
	size_t i;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (end == s || *s == '-' || errno)
		goto bad;
	for (i = 0; i < ARRAY_SIZE(units); i++) {
		if (strcmp(end, units[i].unit))
			continue;
		if (!v || v > ~0ULL / units[i].mult)
			goto bad;
		*ns = v * units[i].mult;
		return 0;
	}
bad:
	p_err("%s '%s' is not a positive duration such as 500ns, 10us, 2ms",
	      what, s);
	return -1;
}

void print_stats_json(const struct kbpf_stats_info *st)
{
	jsonw_name(json_wtr, "stats");
	jsonw_start_object(json_wtr);
	jsonw_uint_field(json_wtr, "runs", st->runs);
	jsonw_uint_field(json_wtr, "accepts", st->accepts);
	jsonw_uint_field(json_wtr, "drops", st->drops);
	jsonw_uint_field(json_wtr, "overruns", st->overruns);
	jsonw_uint_field(json_wtr, "deadline_misses", st->misses);
	jsonw_uint_field(json_wtr, "queued", st->queued);
	jsonw_uint_field(json_wtr, "queue_drops", st->queue_drops);
	jsonw_uint_field(json_wtr, "queue_hwm", st->queue_hwm);
	jsonw_uint_field(json_wtr, "run_time_ns", st->run_time_ns);
	jsonw_uint_field(json_wtr, "run_time_max_ns", st->run_time_max_ns);
	jsonw_end_object(json_wtr);
}

void print_stats_plain(const char *indent, const struct kbpf_stats_info *st)
{
	printf("%sruns %llu  accepts %llu  drops %llu  overruns %llu  misses %llu\n",
	       indent, (unsigned long long)st->runs,
	       (unsigned long long)st->accepts, (unsigned long long)st->drops,
	       (unsigned long long)st->overruns,
	       (unsigned long long)st->misses);
	if (st->queued || st->queue_drops)
		printf("%squeued %llu  queue_drops %llu  queue_hwm %llu\n",
		       indent, (unsigned long long)st->queued,
		       (unsigned long long)st->queue_drops,
		       (unsigned long long)st->queue_hwm);
	if (st->run_time_ns)
		printf("%srun_time_ns %llu  run_time_max_ns %llu\n", indent,
		       (unsigned long long)st->run_time_ns,
		       (unsigned long long)st->run_time_max_ns);
}

/* " dev NAME" of a netdev/ingress hook point, or "". */
const char *dev_str(__u32 ifindex, const char *ifname)
{
	static char buf[48];

	if (!ifindex)
		return "";
	if (ifname[0])
		snprintf(buf, sizeof(buf), " dev %s", ifname);
	else
		snprintf(buf, sizeof(buf), " dev %u", ifindex);
	return buf;
}

static void print_dev_json(__u32 ifindex, const char *ifname)
{
	if (!ifindex)
		return;
	jsonw_string_field(json_wtr, "dev", ifname);
	jsonw_uint_field(json_wtr, "ifindex", ifindex);
}

void print_attachment_json(const struct kbpf_attachment *a)
{
	jsonw_string_field(json_wtr, "family", kbpf_family_name(a->family));
	jsonw_string_field(json_wtr, "hook", kbpf_hook_name(a->hook));
	print_dev_json(a->ifindex, a->ifname);
	jsonw_int_field(json_wtr, "prio", a->priority);
	jsonw_uint_field(json_wtr, "netns_cookie", a->netns_cookie);
	jsonw_uint_field(json_wtr, "prog_id", a->prog_id);
	jsonw_string_field(json_wtr, "prog_name", a->prog_name);
	jsonw_string_field(json_wtr, "policy", kbpf_policy_name(a->policy));
	jsonw_int_field(json_wtr, "sched_prio", a->sched_prio);
	jsonw_uint_field(json_wtr, "budget", a->budget);
	jsonw_uint_field(json_wtr, "deadline_ns", a->deadline_ns);
	jsonw_string_field(json_wtr, "miss",
			   a->miss_verdict == KBPF_NF_DROP ? "drop" : "accept");
	jsonw_string_field(json_wtr, "mode",
			   a->mode == KBPF_MODE_OBSERVE ? "observe" : "inline");
	print_stats_json(&a->stats);
}

/* "sched-prio 0  budget 16384  deadline 1000000ns  miss accept  mode inline" */
void print_attachment_settings(const struct kbpf_attachment *a)
{
	printf("sched-prio %d  budget %u  deadline %lluns  miss %s  mode %s",
	       a->sched_prio, a->budget, (unsigned long long)a->deadline_ns,
	       a->miss_verdict == KBPF_NF_DROP ? "drop" : "accept",
	       a->mode == KBPF_MODE_OBSERVE ? "observe" : "inline");
}

/* ---- hook list -------------------------------------------------------- */

static void print_hook_json(const struct kbpf_hook_info *h)
{
	__u32 i;

	jsonw_start_object(json_wtr);
	jsonw_string_field(json_wtr, "family", kbpf_family_name(h->family));
	jsonw_string_field(json_wtr, "hook", kbpf_hook_name(h->hook));
	print_dev_json(h->ifindex, h->ifname);
	jsonw_int_field(json_wtr, "prio", h->priority);
	jsonw_string_field(json_wtr, "policy", kbpf_policy_name(h->policy));
	jsonw_uint_field(json_wtr, "deadline_ns", h->deadline_ns);
	print_stats_json(&h->stats);
	jsonw_name(json_wtr, "chain");
	jsonw_start_array(json_wtr);
	for (i = 0; i < h->chain_cnt && i < KBPF_MAX_CHAIN; i++) {
		jsonw_start_object(json_wtr);
		print_attachment_json(&h->chain[i]);
		jsonw_end_object(json_wtr);
	}
	jsonw_end_array(json_wtr);
	jsonw_end_object(json_wtr);
}

static void print_hook_plain(const struct kbpf_hook_info *h)
{
	__u32 i;

	printf("%s/%s%s prio %d  policy %s  deadline %lluns  programs %u\n",
	       kbpf_family_name(h->family), kbpf_hook_name(h->hook),
	       dev_str(h->ifindex, h->ifname), h->priority,
	       kbpf_policy_name(h->policy),
	       (unsigned long long)h->deadline_ns, h->chain_cnt);
	print_stats_plain("\t", &h->stats);
	for (i = 0; i < h->chain_cnt && i < KBPF_MAX_CHAIN; i++) {
		const struct kbpf_attachment *a = &h->chain[i];

		printf("\t%u. prog %u %s  ", i + 1, a->prog_id, a->prog_name);
		print_attachment_settings(a);
		printf("\n");
		print_stats_plain("\t   ", &a->stats);
	}
}

static int show_hook(const struct kbpf_hook_info *h, void *arg)
{
	if (json_output)
		print_hook_json(h);
	else
		print_hook_plain(h);
	return 0;
}

static int do_hook_list(int argc, char **argv)
{
	struct kbpf_ctl ctl;
	int err;

	if (argc) {
		p_err("'hook list' takes no arguments");
		return -1;
	}
	if (kbpf_ctl_open(&ctl))
		return -1;
	if (json_output)
		jsonw_start_array(json_wtr);
	err = kbpf_ctl_hook_dump(&ctl, show_hook, NULL);
	if (json_output)
		jsonw_end_array(json_wtr);
	kbpf_ctl_close(&ctl);
	return err ? -1 : 0;
}

/* ---- hook set --------------------------------------------------------- */

static int do_hook_set(int argc, char **argv)
{
	struct kbpf_hook_req req = { .policy = 0 };
	__s64 prio = 0;
	struct kbpf_ctl ctl;
	int err;

	if (!REQ_ARGS(1) || parse_hook(*argv, &req.family, &req.hook))
		return -1;
	NEXT_ARG();
	while (argc) {
		if (is_prefix(*argv, "policy")) {
			NEXT_ARG();
			if (!REQ_ARGS(1) || parse_policy(*argv, &req.policy))
				return -1;
			req.has_policy = true;
		} else if (is_prefix(*argv, "deadline")) {
			NEXT_ARG();
			if (!REQ_ARGS(1))
				return -1;
			if (!strcmp(*argv, "default"))
				req.deadline_ns = 0;
			else if (parse_duration(*argv, "deadline",
						&req.deadline_ns))
				return -1;
			req.has_deadline = true;
		} else if (is_prefix(*argv, "prio")) {
			NEXT_ARG();
			if (!REQ_ARGS(1) ||
			    parse_s64(*argv, "priority", KBPF_NF_PRIO_MIN,
				      KBPF_NF_PRIO_MAX, &prio))
				return -1;
		} else if (!strcmp(*argv, "dev")) {
			NEXT_ARG();
			if (!REQ_ARGS(1) || parse_dev(*argv, &req.ifindex))
				return -1;
		} else {
			return BAD_ARG();
		}
		NEXT_ARG();
	}
	if (!req.has_policy && !req.has_deadline) {
		p_err("'hook set' needs 'policy POLICY' or 'deadline TIME'");
		return -1;
	}
	req.priority = prio;
	if (check_dev(req.family, req.ifindex))
		return -1;
	if (kbpf_ctl_open(&ctl))
		return -1;
	err = kbpf_ctl_hook_set(&ctl, &req);
	kbpf_ctl_close(&ctl);
	return finish_quiet(err);
}

static int do_hook_help(int argc, char **argv)
{
	if (json_output) {
		jsonw_null(json_wtr);
		return 0;
	}
	fprintf(stderr,
		"Usage: %1$s hook list\n"
		"       %1$s hook set HOOK [dev DEV] [prio PRIO] { policy POLICY | deadline TIME }...\n"
		"       %1$s hook help\n"
		"\n"
		"       HOOK := { FAMILY/{ pre_routing | local_in | forward | local_out |\n"
		"                 post_routing } | netdev/ingress }  (FAMILY := { ipv4 | ipv6 })\n"
		"       DEV := interface of netdev/ingress (name or ifindex)\n"
		"       POLICY := { throughput | deadline | default }\n"
		"       TIME := N{ns|us|ms|s} | default\n"
		"       Programs at one hook point (namespace, HOOK, PRIO) run as a chain:\n"
		"       DROP ends it, ACCEPT passes the packet on.  throughput runs by\n"
		"       sched-prio (higher first), then attach order; deadline runs\n"
		"       earliest deadline first, meters budgets and admits chains that fit TIME.\n"
		"       " HELP_SPEC_OPTIONS "\n",
		bin_name);
	return 0;
}

static const struct cmd hook_cmds[] = {
	{ "help",	do_hook_help },
	{ "list",	do_hook_list },
	{ "show",	do_hook_list },
	{ "set",	do_hook_set },
	{ NULL }
};

int do_hook(int argc, char **argv)
{
	return cmd_select(hook_cmds, argc, argv, do_hook_help);
}

/* ---- feature ---------------------------------------------------------- */

static const struct {
	int attr;
	const char *name;
} feature_names[] = {
	{ KBPF_FEAT_A_MAX_INSNS,		"max_insns" },
	{ KBPF_FEAT_A_MAX_PROCESSED_INSNS,	"max_processed_insns" },
	{ KBPF_FEAT_A_MAX_STATES,		"max_states" },
	{ KBPF_FEAT_A_MAX_MAPS_PER_PROG,	"max_maps_per_prog" },
	{ KBPF_FEAT_A_MAX_KEY_SIZE,		"max_key_size" },
	{ KBPF_FEAT_A_MAX_VALUE_SIZE,		"max_value_size" },
	{ KBPF_FEAT_A_MAX_ENTRIES,		"max_entries" },
	{ KBPF_FEAT_A_MAX_VERIFIER_BYTES,	"max_verifier_bytes" },
	{ KBPF_FEAT_A_MAX_PROGS,		"max_progs" },
	{ KBPF_FEAT_A_MAX_MAPS,			"max_maps" },
	{ KBPF_FEAT_A_MAX_MAP_BYTES,		"max_map_bytes" },
	{ KBPF_FEAT_A_MAX_MAPS_BYTES,		"max_maps_bytes" },
	{ KBPF_FEAT_A_MAPS_BYTES_USED,		"maps_bytes_used" },
	{ KBPF_FEAT_A_TRACE_LINES,		"trace_lines" },
	{ KBPF_FEAT_A_MAX_CHAIN,		"max_chain" },
	{ KBPF_FEAT_A_DEFAULT_BUDGET,		"default_budget" },
	{ KBPF_FEAT_A_DEFAULT_DEADLINE_NS,	"default_deadline_ns" },
	{ KBPF_FEAT_A_NS_PER_INSN,		"ns_per_insn" },
	{ KBPF_FEAT_A_QUEUE_LEN,		"queue_len" },
	{ KBPF_FEAT_A_SNAP_LEN,			"snap_len" },
	{ KBPF_FEAT_A_POOL_SIZE,		"pool_size" },
	{ KBPF_FEAT_A_POOL_USED,		"pool_used" },
	{ KBPF_FEAT_A_POOL_PEAK,		"pool_peak" },
};

static void print_features(const struct kbpf_feature_info *f)
{
	size_t i;

	if (json_output) {
		jsonw_start_object(json_wtr);
		jsonw_string_field(json_wtr, "profile", f->profile);
		jsonw_string_field(json_wtr, "policy", kbpf_policy_name(f->policy));
		jsonw_bool_field(json_wtr, "stats", f->stats_enabled);
		for (i = 0; i < ARRAY_SIZE(feature_names); i++)
			jsonw_uint_field(json_wtr, feature_names[i].name,
					 f->feat[feature_names[i].attr]);
		jsonw_end_object(json_wtr);
		return;
	}
	printf("profile %s\npolicy %s\nstats %s\n", f->profile,
	       kbpf_policy_name(f->policy), f->stats_enabled ? "on" : "off");
	for (i = 0; i < ARRAY_SIZE(feature_names); i++)
		printf("%s %llu\n", feature_names[i].name,
		       (unsigned long long)f->feat[feature_names[i].attr]);
}

/*
 * The ioctls whose copies come from the embedded pool have no log to say
 * why they failed: ask the module (a feature request needs no pool) and
 * say it as the module's log does.
 */
const char *kbpf_strerror(int err)
{
	static char why[96];
	struct kbpf_feature_info f;
	struct kbpf_ctl ctl;
	int ferr;

	if (err != -ENOMEM || kbpf_ctl_open(&ctl))
		return strerror(-err);
	ferr = kbpf_ctl_feature_get(&ctl, &f);
	kbpf_ctl_close(&ctl);
	if (ferr || !f.feat[KBPF_FEAT_A_POOL_SIZE])
		return strerror(-err);
	snprintf(why, sizeof(why),
		 "embedded pool exhausted: %llu of %llu bytes in use",
		 (unsigned long long)f.feat[KBPF_FEAT_A_POOL_USED],
		 (unsigned long long)f.feat[KBPF_FEAT_A_POOL_SIZE]);
	return why;
}

int do_feature(int argc, char **argv)
{
	struct kbpf_feature_info f;
	struct kbpf_ctl ctl;
	int err;

	if (argc == 1 && is_prefix(*argv, "help")) {
		fprintf(stderr,
			"Usage: %1$s feature [stats { on | off }]\n"
			"       Show the profile, default policy, every limit and the pool's\n"
			"       usage, or switch run-time statistics (two clock reads per run).\n",
			bin_name);
		return 0;
	}
	if (argc && (argc != 2 || !is_prefix(argv[0], "stats") ||
		     (strcmp(argv[1], "on") && strcmp(argv[1], "off")))) {
		p_err("usage: feature [stats { on | off }]");
		return -1;
	}
	if (kbpf_ctl_open(&ctl))
		return -1;
	if (argc)
		err = kbpf_ctl_stats_set(&ctl, !strcmp(argv[1], "on"));
	else
		err = kbpf_ctl_feature_get(&ctl, &f);
	kbpf_ctl_close(&ctl);
	if (err)
		return -1;
	if (argc)
		return finish_quiet(0);
	print_features(&f);
	return 0;
}
