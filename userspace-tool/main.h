/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kbpfctl: command-line control of kbpf.ko.
 *
 * Grammar: kbpfctl [OPTIONS] OBJECT {COMMAND | help}.  Each object has a
 * table of commands; any unique prefix of a command or object selects it.
 * Commands return 0 on success and -1 after printing one error with p_err().
 */
#ifndef KBPFCTL_MAIN_H
#define KBPFCTL_MAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>
#include <linux/kbpf.h>

#include "json_writer.h"

/* Userspace code spells fixed-width types the uapi way. */
#pragma GCC poison u8 u16 u32 u64 s8 s16 s32 s64

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* Consume the current word; running out of words is a usage error. */
#define NEXT_ARG()	({ argc--; argv++; if (argc < 0) usage(); })
#define NEXT_ARGP()	({ (*argc)--; (*argv)++; if (*argc < 0) usage(); })

/* True if at least n words remain; otherwise says so and is false. */
#define REQ_ARGS(n)							\
	({								\
		int __need = (n);					\
		bool __ok = argc >= __need;				\
		if (!__ok)						\
			p_err("'%s' needs at least %d argument%s, %d found", \
			      argv[-1], __need, __need == 1 ? "" : "s", argc); \
		__ok;							\
	})

/* The current word makes no sense here. */
#define BAD_ARG()	({ p_err("what is '%s'?", *argv); -1; })

#define HELP_SPEC_OPTIONS \
	"OPTIONS := { {-j|--json} [{-p|--pretty}] | {-d|--debug} |\n" \
	"                   --via { dev | netlink | auto } }"

extern const char *bin_name;
extern bool json_output;
extern bool pretty_output;
extern bool verbose;
extern struct json_writer *json_wtr;

struct cmd {
	const char *cmd;
	int (*func)(int argc, char **argv);
};

int cmd_select(const struct cmd *cmds, int argc, char **argv,
	       int (*help)(int argc, char **argv));
bool is_prefix(const char *pfx, const char *str);
void usage(void) __attribute__((noreturn));

void p_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void p_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Objects. */
int do_prog(int argc, char **argv);
int do_map(int argc, char **argv);
int do_load(int argc, char **argv);
int do_verify(int argc, char **argv);
int do_apply(int argc, char **argv);
int do_prog_build(int argc, char **argv);	/* build.c */
int do_events(int argc, char **argv);
int do_capture(int argc, char **argv);
int do_trace(int argc, char **argv);
int do_hook(int argc, char **argv);
int do_feature(int argc, char **argv);
/*
 * Why a request failed: strerror(-err), but -ENOMEM from an embedded
 * module gives its pool's figures (hook.c), as the module's log does.
 */
const char *kbpf_strerror(int err);

/* ---- scheduling (hook.c) ---------------------------------------------- */

struct kbpf_stats_info;
struct kbpf_attachment;
const char *kbpf_policy_name(__u32 policy);
/* throughput | deadline | default; -1 with p_err() otherwise. */
int parse_policy(const char *s, __u32 *policy);
/* "10us" -> 10000; a bare number is nanoseconds; -1 with p_err(). */
int parse_duration(const char *s, const char *what, __u64 *ns);
void print_stats_json(const struct kbpf_stats_info *st);
void print_stats_plain(const char *indent, const struct kbpf_stats_info *st);
void print_attachment_json(const struct kbpf_attachment *a);
const char *dev_str(__u32 ifindex, const char *ifname);
void print_attachment_settings(const struct kbpf_attachment *a);

/* ---- names of hooks, families, types (common.c) ---------------------- */

const char *kbpf_family_name(__u32 family);
const char *kbpf_hook_name(__u32 hook);
const char *kbpf_prog_type_name(__u32 type);
const char *kbpf_map_type_name(__u32 type);
/* "ipv4/local_in" -> family and hook; -1 with p_err() on a bad name. */
int parse_hook(const char *s, __u32 *family, __u32 *hook);
/* "dev NAME" of netdev/ingress: a device of this namespace, or an ifindex. */
int parse_dev(const char *s, __u32 *ifindex);
/* A device is given for netdev/ingress, and only there. */
int check_dev(__u32 family, __u32 ifindex);
/* A whole decimal number in [min, max]; -1 with p_err() otherwise. */
int parse_s64(const char *s, const char *what, __s64 min, __s64 max,
	      __s64 *out);
bool is_all_digits(const char *s);
/* Copy a name into a kbpf object name: at most 15 bytes of [A-Za-z0-9_.]. */
void kbpf_obj_name(char dst[KBPF_OBJ_NAME_LEN], const char *src);

/* The fixed error texts every command shares. */
#define ERR_NO_MODULE	"kbpf module not loaded (no " KBPF_DEVICE_PATH ")"
#define ERR_NO_PERM	"permission denied: need CAP_NET_ADMIN"

/* ---- /dev/kbpf (dev.c) ------------------------------------------------ */

/* Open the device, or p_err() why not and return -1. */
int kbpf_dev_open(void);
/* Open the device quietly: a descriptor or -errno. */
int kbpf_dev_try_open(void);
/* That -errno of kbpf_dev_try_open() says the module is not loaded. */
bool kbpf_dev_absent(int err);
/* ioctl returning 0 or -errno. */
int kbpf_dev_ioctl(int fd, unsigned long req, void *arg);
/* KBPF_IOC_MAP_FREEZE of map id (name for messages); 0 or -errno after p_err(). */
int kbpf_dev_map_freeze(int fd, __u32 id, const char *name);

/* ---- object identification ------------------------------------------- */

/* A program or map named on the command line as ID, NAME, id ID, name NAME. */
struct obj_ref {
	__u32 id;		/* 0 when named */
	const char *name;	/* NULL when by id */
};

/* Parse an object reference and consume its words; -1 with p_err(). */
int parse_obj_ref(int *argc, char ***argv, const char *what,
		  struct obj_ref *ref);
/* Like parse_obj_ref(), for a reference that must be the last words. */
int parse_last_obj_ref(int argc, char **argv, const char *what,
		       struct obj_ref *ref);

/* ---- command endings shared by the object commands (common.c) -------- */

struct kbpf_ctl;

/*
 * "list [OBJ]": show the one object named, or every object.  show_one
 * fetches and prints the object ref names; show_all prints every object.
 * Both return 0 or a negative error they have reported with p_err().
 */
int list_objects(int argc, char **argv, const char *what,
		 int (*show_one)(struct kbpf_ctl *ctl, const struct obj_ref *ref),
		 int (*show_all)(struct kbpf_ctl *ctl));
/* End a command that prints nothing: JSON output still gets a value. */
int finish_quiet(int err);

#endif /* KBPFCTL_MAIN_H */
