// SPDX-License-Identifier: GPL-2.0
/*
 * kbpfctl's transport layer (userspace-tool/ctl.c, ctl_dev.c) without the
 * module: the device's control ioctls are answered by a fake module written
 * here from the uapi's contract (uapi/linux/kbpf.h, "Control ioctls"), and
 * the netlink transport is a stub that only records being opened.  Checked:
 * which transport the automatic choice takes; that lists walk ids and skip
 * objects gone meanwhile; that attachments outgrowing their buffer are
 * fetched again whole; that records and feature members land in the right
 * fields; that requests carry the flags their settings mean; and that a
 * failure prints the module's reason as netlink's extack would read.
 *
 * usage: test_ctl (exit 0 when every check passed)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "main.h"
#include "ctl.h"

/* ---- what the tool's other files would provide ------------------------ */

bool json_output;
bool verbose;
struct json_writer *json_wtr;
static char last_err[512];

void p_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_err, sizeof(last_err), fmt, ap);
	va_end(ap);
}

void p_info(const char *fmt, ...)
{
}

void usage(void)
{
	exit(2);
}

static int netlink_opens;

static int stub_nl_open(struct kbpf_ctl *ctl, bool quiet)
{
	netlink_opens++;
	return 0;
}

static void stub_nl_close(struct kbpf_ctl *ctl)
{
}

static int stub_nl_map_resize(struct kbpf_ctl *ctl, const struct obj_ref *ref,
			      __u32 max_entries)
{
	snprintf(ctl->msg, sizeof(ctl->msg), "resized over netlink");
	return -EBUSY;
}

const struct kbpf_ctl_ops kbpf_ctl_netlink = {
	.name		= "netlink",
	.open		= stub_nl_open,
	.close		= stub_nl_close,
	.map_resize	= stub_nl_map_resize,
};

/* ---- the fake module --------------------------------------------------- */

#define MAX_PROGS	4
#define MAX_RECS	80

struct fake_prog {
	__u32 id;
	const char *name;
	__u32 n_attach;
	bool gone;		/* listed by NEXT_ID, then ENOENT */
};

static struct {
	int open_err;			/* kbpf_dev_try_open's -errno */
	int ctl_err;			/* every control ioctl fails so */
	const char *profile;
	struct fake_prog progs[MAX_PROGS];
	__u32 n_progs;
	__u32 chain_len;		/* of the one hook point */
	__u32 info_calls;		/* PROG_GET_INFO requests */
	union {
		struct kbpf_prog_attach_attr attach;
		struct kbpf_prog_detach_attr detach;
		struct kbpf_hook_set_attr hook_set;
	} last;
} fake = { .profile = "embedded" };

/* A real descriptor, for the transport to close. */
int kbpf_dev_try_open(void)
{
	return fake.open_err ? fake.open_err : open("/dev/null", O_RDONLY);
}

bool kbpf_dev_absent(int err)
{
	return err == -ENOENT;
}

int kbpf_dev_open(void)
{
	p_err("kbpf module not loaded (no /dev/kbpf)");
	return -1;
}

/* A reason as the module writes one: a line cut to log_size. */
static int fail(struct kbpf_ctl_hdr *hdr, int err, const char *why)
{
	if (hdr->log_size && why)
		snprintf((char *)(unsigned long)hdr->log_buf, hdr->log_size,
			 "%s", why);
	return err;
}

static struct fake_prog *find_prog(__u32 id, const char *name)
{
	__u32 i;

	for (i = 0; i < fake.n_progs; i++)
		if (id ? fake.progs[i].id == id :
			 !strcmp(fake.progs[i].name, name))
			return &fake.progs[i];
	return NULL;
}

/* Record i of an array the caller owns, rec_size bytes apart. */
static struct kbpf_attach_info *rec(__u64 base, __u32 rec_size, __u32 i)
{
	return (void *)(unsigned long)(base + (__u64)rec_size * i);
}

static void fill_rec(struct kbpf_attach_info *r, __u32 prog_id, __u32 i)
{
	memset(r, 0, sizeof(*r));
	r->family = KBPF_NF_FAMILY_IPV4;
	r->hook = KBPF_NF_HOOK_LOCAL_IN;
	r->nf_prio = -(__s32)i;
	r->prog_id = prog_id;
	snprintf(r->prog_name, sizeof(r->prog_name), "p%u", prog_id);
	r->budget = 1000 + i;
	r->deadline_ns = 5000;
	r->miss_verdict = KBPF_NF_DROP;
	r->mode = KBPF_MODE_OBSERVE;
	r->policy = KBPF_SCHED_DEADLINE;
	r->stats.runs = 100 + i;
	r->stats.run_time_max_ns = 7;
}

/* Fill n records into the caller's room; ENOSPC when they do not fit. */
static int fill_array(struct kbpf_ctl_hdr *hdr, __u64 base, __u32 *cnt,
		      __u32 rec_size, __u32 n, __u32 prog_id)
{
	__u32 i, room = *cnt;

	if (!base && (*cnt || rec_size))
		return fail(hdr, -EINVAL, "a record count and size go with a buffer");
	*cnt = n;
	if (!base)
		return 0;
	if (rec_size != sizeof(struct kbpf_attach_info))
		return fail(hdr, -EINVAL, "unexpected record size");
	for (i = 0; i < n && i < room; i++)
		fill_rec(rec(base, rec_size, i), prog_id, i);
	return n > room ? -ENOSPC : 0;
}

static int prog_get_info(struct kbpf_prog_info_attr *a)
{
	struct fake_prog *p = find_prog(a->prog_id, a->name);

	fake.info_calls++;
	if (!p || p->gone)
		return fail(&a->hdr, -ENOENT, "no such program");
	a->prog_id = p->id;
	snprintf(a->name, sizeof(a->name), "%s", p->name);
	a->prog_type = KBPF_PROG_TYPE_NETFILTER;
	a->insn_cnt = 2;
	a->engine = KBPF_ENGINE_NATIVE;
	snprintf(a->native_module, sizeof(a->native_module), "kbpf_native_%u",
		 p->id);
	a->netns_cookie = 1;
	a->run_cnt = 3;
	a->worst_case = KBPF_WORST_CASE_UNBOUNDED;
	return fill_array(&a->hdr, a->attachments, &a->attach_cnt,
			  a->attach_rec_size, p->n_attach, p->id);
}

static int prog_next_id(struct kbpf_next_id_attr *a)
{
	__u32 i;

	for (i = 0; i < fake.n_progs; i++) {
		if (fake.progs[i].id > a->start_id) {
			a->next_id = fake.progs[i].id;
			return 0;
		}
	}
	return -ENOENT;
}

/* One hook point, ipv4/local_in prio 0, while its chain is not empty. */
static int hook_next(struct kbpf_hook_next_attr *a)
{
	if (a->start.family || !fake.chain_len)
		return -ENOENT;
	a->next.family = KBPF_NF_FAMILY_IPV4;
	a->next.hook = KBPF_NF_HOOK_LOCAL_IN;
	return 0;
}

static int hook_info(struct kbpf_hook_info_attr *a)
{
	a->policy = KBPF_SCHED_DEADLINE;
	a->deadline_ns = 20000;
	a->stats.drops = 9;
	return fill_array(&a->hdr, a->chain, &a->chain_cnt, a->chain_rec_size,
			  fake.chain_len, 5);
}

static int feature_get(struct kbpf_feature_get_attr *a)
{
	snprintf(a->profile, sizeof(a->profile), "%s", fake.profile);
	a->policy = KBPF_SCHED_DEADLINE;
	a->stats_enabled = 1;
	a->max_insns = 4096;
	a->max_chain = 16;
	a->pool_size = 65536;
	a->pool_used = 1234;
	a->trace_lines = 32;
	a->max_verifier_bytes = 1048576;
	return 0;
}

static bool hdr_ok(const struct kbpf_ctl_hdr *hdr, size_t size)
{
	return hdr->size == size && hdr->log_buf && hdr->log_size >= 128 &&
	       !hdr->__reserved;
}

#define CHECK_HDR(type)							\
	do {								\
		if (!hdr_ok(arg, sizeof(type)))				\
			return fail(arg, -EINVAL, "bad header for " #type); \
	} while (0)

int kbpf_dev_ioctl(int fd, unsigned long req, void *arg)
{
	if (fake.ctl_err)
		return fake.ctl_err;
	switch (req) {
	case KBPF_IOC_FEATURE_GET:
		CHECK_HDR(struct kbpf_feature_get_attr);
		return feature_get(arg);
	case KBPF_IOC_PROG_GET_NEXT_ID:
		CHECK_HDR(struct kbpf_next_id_attr);
		return prog_next_id(arg);
	case KBPF_IOC_PROG_GET_INFO:
		CHECK_HDR(struct kbpf_prog_info_attr);
		return prog_get_info(arg);
	case KBPF_IOC_PROG_ATTACH:
		CHECK_HDR(struct kbpf_prog_attach_attr);
		memcpy(&fake.last.attach, arg, sizeof(fake.last.attach));
		return 0;
	case KBPF_IOC_PROG_DETACH:
		CHECK_HDR(struct kbpf_prog_detach_attr);
		memcpy(&fake.last.detach, arg, sizeof(fake.last.detach));
		return 0;
	case KBPF_IOC_HOOK_SET:
		CHECK_HDR(struct kbpf_hook_set_attr);
		memcpy(&fake.last.hook_set, arg, sizeof(fake.last.hook_set));
		return 0;
	case KBPF_IOC_PROG_UNLOAD:
		CHECK_HDR(struct kbpf_obj_attr);
		if (!find_prog(((struct kbpf_obj_attr *)arg)->id,
			       ((struct kbpf_obj_attr *)arg)->name))
			return fail(arg, -ENOENT, "no such program");
		return fail(arg, -EPERM, NULL);
	case KBPF_IOC_HOOK_GET_NEXT:
		CHECK_HDR(struct kbpf_hook_next_attr);
		return hook_next(arg);
	case KBPF_IOC_HOOK_GET_INFO:
		CHECK_HDR(struct kbpf_hook_info_attr);
		return hook_info(arg);
	default:
		return -ENOTTY;
	}
}

/* ---- the checks ------------------------------------------------------- */

static int failures, checks;

#define CHECK(cond, ...)						\
	do {								\
		checks++;						\
		if (!(cond)) {						\
			failures++;					\
			printf("FAIL %s:%d: ", __FILE__, __LINE__);	\
			printf(__VA_ARGS__);				\
			printf("\n");					\
		}							\
	} while (0)

/* The transport the automatic choice takes, in a child: it is made once. */
static const char *auto_choice(int open_err, int ctl_err, const char *profile)
{
	static const char * const names[] = { "dev", "netlink", "error" };
	struct kbpf_ctl ctl;
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		fake.open_err = open_err;
		fake.ctl_err = ctl_err;
		fake.profile = profile;
		if (kbpf_ctl_open(&ctl))
			_exit(2);
		_exit(strcmp(kbpf_ctl_via(&ctl), "dev") ? 1 : 0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return "error";
	return names[WEXITSTATUS(status) > 2 ? 2 : WEXITSTATUS(status)];
}

/*
 * Chosen automatically, the device leaves what it does not carry (map
 * resize) to netlink; the reason comes back from there.
 */
static void check_auto_fallback(void)
{
	struct kbpf_ctl ctl;
	int status, err;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		if (kbpf_ctl_open(&ctl) || strcmp(kbpf_ctl_via(&ctl), "dev"))
			_exit(2);
		err = kbpf_ctl_map_resize(&ctl, 3, NULL, 8);
		_exit(err == -EBUSY && netlink_opens == 1 &&
		      !strcmp(last_err, "cannot resize map 3: resized over netlink") ?
		      0 : 1);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	      !WEXITSTATUS(status),
	      "auto: map resize, which the device does not carry, goes over netlink");
}

static void check_auto_choice(void)
{
	const char *via;

	via = auto_choice(0, 0, "embedded");
	CHECK(!strcmp(via, "dev"), "embedded module: device expected, got %s", via);
	via = auto_choice(0, 0, "cloud");
	CHECK(!strcmp(via, "netlink"), "cloud module: netlink expected, got %s", via);
	via = auto_choice(-ENOENT, 0, "embedded");
	CHECK(!strcmp(via, "netlink"), "no device: netlink expected, got %s", via);
	via = auto_choice(-EACCES, 0, "embedded");
	CHECK(!strcmp(via, "netlink"), "device not ours to open: netlink expected, got %s", via);
	via = auto_choice(0, -ENOTTY, "embedded");
	CHECK(!strcmp(via, "netlink"), "module without control ioctls: netlink expected, got %s", via);
}

struct seen {
	__u32 ids[8];
	__u32 attach_cnt[8];
	struct kbpf_attachment last_attach;
	__u32 n;
};

static int collect(const struct kbpf_prog_info *info, void *arg)
{
	struct seen *s = arg;

	if (s->n < 8) {
		s->ids[s->n] = info->id;
		s->attach_cnt[s->n++] = info->attach_cnt;
	}
	if (info->attach_cnt)
		s->last_attach = info->attach[info->attach_cnt - 1];
	return 0;
}

static void check_prog_walk(struct kbpf_ctl *ctl)
{
	struct seen s = { .n = 0 };
	const struct kbpf_attachment *a = &s.last_attach;
	struct kbpf_prog_info info;
	int err;

	fake.progs[0] = (struct fake_prog){ .id = 1, .name = "first" };
	fake.progs[1] = (struct fake_prog){ .id = 4, .name = "busy", .n_attach = 20 };
	fake.progs[2] = (struct fake_prog){ .id = 7, .name = "gone", .gone = true };
	fake.progs[3] = (struct fake_prog){ .id = 9, .name = "last", .n_attach = 3 };
	fake.n_progs = 4;
	err = kbpf_ctl_prog_dump(ctl, collect, &s);
	CHECK(!err, "prog dump: %d (%s)", err, last_err);
	CHECK(s.n == 3 && s.ids[0] == 1 && s.ids[1] == 4 && s.ids[2] == 9,
	      "prog dump walks 1, 4, 9 and skips 7, gone meanwhile: got %u programs", s.n);
	CHECK(s.attach_cnt[1] == 20,
	      "prog 4's 20 attachments, past the first buffer, all come: %u", s.attach_cnt[1]);
	CHECK(a->prog_id == 9 && a->priority == -2 && a->budget == 1002 &&
	      a->miss_verdict == KBPF_NF_DROP && a->mode == KBPF_MODE_OBSERVE &&
	      a->policy == KBPF_SCHED_DEADLINE && a->stats.runs == 102 &&
	      a->stats.run_time_max_ns == 7 && !strcmp(a->prog_name, "p9"),
	      "an attachment record lands in kbpf_attachment's fields");

	s.n = 0;
	err = kbpf_ctl_prog_show(ctl, 0, "busy", collect, &s);
	CHECK(!err && s.n == 1 && s.ids[0] == 4 && s.attach_cnt[0] == 20,
	      "prog show by name: one program, all its attachments");

	err = kbpf_ctl_prog_get(ctl, 4, NULL, &info);
	CHECK(!err && info.attach_total == 20 && !info.attach_cnt &&
	      !info.attach && !strcmp(info.native_module, "kbpf_native_4") &&
	      info.worst_case == KBPF_WORST_CASE_UNBOUNDED,
	      "prog get: counts the attachments, lists none");

	last_err[0] = '\0';
	err = kbpf_ctl_prog_show(ctl, 0, "nosuch", collect, &s);
	CHECK(err == -ENOENT && !strcmp(last_err, "cannot show prog 'nosuch': no such program"),
	      "a missing program: the module's reason, got '%s'", last_err);
}

static void check_requests(struct kbpf_ctl *ctl)
{
	struct kbpf_attach_req att = {
		.family = KBPF_NF_FAMILY_NETDEV, .hook = KBPF_NF_HOOK_INGRESS,
		.priority = -5, .sched_prio = 3, .budget = 77,
		.deadline_ns = 10000, .miss_verdict = KBPF_NF_DROP,
		.mode = KBPF_MODE_OBSERVE, .ifindex = 2,
	};
	struct kbpf_detach_req det = { .has_hook = false };
	struct kbpf_hook_req hs = {
		.family = KBPF_NF_FAMILY_IPV6, .hook = KBPF_NF_HOOK_FORWARD,
		.has_deadline = true, .deadline_ns = 20000,
	};
	int err;

	err = kbpf_ctl_prog_attach(ctl, 0, "first", &att);
	CHECK(!err && fake.last.attach.hdr.flags == KBPF_ATTACH_F_MISS_DROP &&
	      !fake.last.attach.prog_id && !strcmp(fake.last.attach.name, "first") &&
	      fake.last.attach.hook.nf_prio == -5 &&
	      fake.last.attach.hook.ifindex == 2 &&
	      fake.last.attach.sched_prio == 3 && fake.last.attach.budget == 77 &&
	      fake.last.attach.deadline_ns == 10000 &&
	      fake.last.attach.mode == KBPF_MODE_OBSERVE,
	      "attach: every setting, 'miss drop' as its flag");
	att.miss_verdict = KBPF_NF_ACCEPT;
	kbpf_ctl_prog_attach(ctl, 4, NULL, &att);
	CHECK(!fake.last.attach.hdr.flags && fake.last.attach.prog_id == 4,
	      "attach: 'miss accept' is no flag; by id");

	err = kbpf_ctl_prog_detach(ctl, 4, NULL, &det);
	CHECK(!err && fake.last.detach.hdr.flags == KBPF_DETACH_F_ALL &&
	      !fake.last.detach.family && !fake.last.detach.hook,
	      "detach without a hook: from every hook (KBPF_DETACH_F_ALL)");
	det = (struct kbpf_detach_req){ .has_hook = true,
		.family = KBPF_NF_FAMILY_IPV4, .hook = KBPF_NF_HOOK_LOCAL_OUT };
	kbpf_ctl_prog_detach(ctl, 4, NULL, &det);
	CHECK(!fake.last.detach.hdr.flags &&
	      fake.last.detach.hook == KBPF_NF_HOOK_LOCAL_OUT,
	      "detach from one hook");

	err = kbpf_ctl_hook_set(ctl, &hs);
	CHECK(!err && fake.last.hook_set.hdr.flags == KBPF_HOOK_SET_F_DEADLINE &&
	      fake.last.hook_set.deadline_ns == 20000 &&
	      fake.last.hook_set.hook.family == KBPF_NF_FAMILY_IPV6,
	      "hook set: only the deadline's flag");

	last_err[0] = '\0';
	err = kbpf_ctl_prog_unload(ctl, 0, "ghost");
	CHECK(err == -ENOENT &&
	      !strcmp(last_err, "cannot unload prog 'ghost': no such program"),
	      "unload: the module's reason, got '%s'", last_err);
	err = kbpf_ctl_prog_unload(ctl, 1, NULL);
	CHECK(err == -EPERM &&
	      !strcmp(last_err, "permission denied: need CAP_NET_ADMIN"),
	      "EPERM without a reason: the usual line, got '%s'", last_err);
	err = kbpf_ctl_map_resize(ctl, 1, NULL, 8);
	CHECK(err == -EOPNOTSUPP && strstr(last_err, "cannot resize map 1: "),
	      "an operation the device does not carry says so: '%s'", last_err);
}

static int keep_hook(const struct kbpf_hook_info *h, void *arg)
{
	memcpy(arg, h, sizeof(*h));
	return 0;
}

static void check_hooks_and_features(struct kbpf_ctl *ctl)
{
	struct kbpf_hook_info *h = calloc(1, sizeof(*h));
	struct kbpf_feature_info f;
	int err;

	fake.chain_len = 70;
	err = kbpf_ctl_hook_dump(ctl, keep_hook, h);
	CHECK(!err && h->chain_cnt == 70 && h->chain[63].budget == 1063 &&
	      h->chain[0].prog_id == 5 && h->policy == KBPF_SCHED_DEADLINE &&
	      h->deadline_ns == 20000 && h->stats.drops == 9 &&
	      h->family == KBPF_NF_FAMILY_IPV4,
	      "a chain longer than kbpfctl keeps: 64 records, 70 counted (err %d)", err);
	free(h);

	err = kbpf_ctl_feature_get(ctl, &f);
	CHECK(!err && !strcmp(f.profile, "embedded") && f.stats_enabled &&
	      f.feat[KBPF_FEAT_A_MAX_INSNS] == 4096 &&
	      f.feat[KBPF_FEAT_A_MAX_CHAIN] == 16 &&
	      f.feat[KBPF_FEAT_A_POOL_SIZE] == 65536 &&
	      f.feat[KBPF_FEAT_A_POOL_USED] == 1234 &&
	      f.feat[KBPF_FEAT_A_TRACE_LINES] == 32 &&
	      f.feat[KBPF_FEAT_A_MAX_VERIFIER_BYTES] == 1048576 &&
	      !f.feat[KBPF_FEAT_A_POOL_PEAK],
	      "features: each member at its KBPF_FEAT_A_* index");
}

int main(void)
{
	struct kbpf_ctl ctl;

	check_auto_choice();
	check_auto_fallback();
	if (kbpf_ctl_set_via("dev") || kbpf_ctl_open(&ctl)) {
		printf("FAIL: --via dev does not open the fake device\n");
		return 1;
	}
	CHECK(!strcmp(kbpf_ctl_via(&ctl), "dev"), "--via dev uses the device");
	check_prog_walk(&ctl);
	check_requests(&ctl);
	check_hooks_and_features(&ctl);
	kbpf_ctl_close(&ctl);
	CHECK(!netlink_opens, "nothing went over netlink in the parent");
	CHECK(kbpf_ctl_set_via("ioctl") == -1 &&
	      !strcmp(last_err, "transport 'ioctl': use dev, netlink or auto"),
	      "an unknown transport is refused: '%s'", last_err);
	printf("kbpfctl transport (test_ctl): %d checks, %d failed\n", checks,
	       failures);
	return failures ? 1 : 0;
}
