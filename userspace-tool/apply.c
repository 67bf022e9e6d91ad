// SPDX-License-Identifier: GPL-2.0
/*
 * kbpfctl apply FILE [check]: make the running programs match a
 * configuration file (kbpf.conf(5)), the way `nft -f` makes the ruleset
 * match nftables.conf.
 *
 * The file names objects and where their programs attach.  What apply
 * loaded is remembered in a state file (/run/kbpf/apply.state), so a later
 * run knows which running programs it owns: an object whose file is
 * unchanged and whose programs still run is kept; a changed one is
 * reloaded; one the file no longer names is unloaded.  Programs loaded by
 * hand are never touched.
 *
 * Order of work, so that an error leaves the previous state in place:
 * everything that needs no module is checked first (file syntax, objects,
 * program names, hooks); then new objects are loaded, and all of them are
 * unloaded again if one fails; only then are old programs unloaded,
 * changed objects reloaded and attachments adjusted.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <net/if.h>
#include <unistd.h>

#include "main.h"
#include "load.h"
#include "ctl.h"

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE		71
#endif

#define APPLY_STATE_DIR		"/run/kbpf"
#define APPLY_STATE_FILE	APPLY_STATE_DIR "/apply.state"
#define APPLY_MAX_LINE		1024
#define APPLY_MAX_PROGS		64	/* per object */

/* ---- the configuration file -------------------------------------------- */

struct want_attach {
	char prog[KBPF_OBJ_NAME_LEN];
	__u32 family;
	__u32 hook;
	__s32 prio;
	char dev[IF_NAMESIZE];	/* netdev/ingress: the device, by name */
	__u32 ifindex;		/* and its index now */
	int line;
};

/* What the state file remembers of one loaded object. */
struct state_object {
	char path[PATH_MAX];
	__u64 hash;
	__u32 n_progs, n_maps;
	struct loaded progs[APPLY_MAX_PROGS];
	struct { __u32 id; char name[KBPF_OBJ_NAME_LEN]; } maps[APPLY_MAX_PROGS];
	bool claimed;		/* a configured object of the same path */
};

enum apply_action { APPLY_KEEP, APPLY_LOAD, APPLY_RELOAD };

struct conf_object {
	char path[PATH_MAX];
	int line;
	__u64 hash;
	struct kbpf_object *obj;
	struct want_attach *att;
	__u32 n_att;
	/* Programs of the file, in ELF order, with their sections. */
	__u32 n_progs;
	struct loaded progs[APPLY_MAX_PROGS];
	enum apply_action action;
	struct state_object *old;
	bool tried;		/* load_conf_object() ran (or was planned) */
	bool loaded;		/* progs[].id are valid in the module */
};

struct apply {
	const char *file;
	bool check_only;
	struct conf_object *objs;
	__u32 n_objs;
	struct state_object *state;
	__u32 n_state;
	struct kbpf_prog_info *running;
	__u32 n_running;
	__u64 netns_cookie;
	unsigned int changes;
	struct kbpf_ctl ctl;
};

static int conf_err(const struct apply *a, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int conf_err(const struct apply *a, int line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	p_err("%s:%d: %s", a->file, line, msg);
	return -EINVAL;
}

/* Split a line into words at blanks; a '#' starts a comment. */
static int split_words(char *line, char **words, int max)
{
	char *save = NULL, *w;
	int n = 0;

	line[strcspn(line, "#")] = '\0';
	for (w = strtok_r(line, " \t\r\n", &save); w;
	     w = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == max)
			return -1;
		words[n++] = w;
	}
	return n;
}

static struct conf_object *add_object(struct apply *a, const char *path,
				      int line)
{
	struct conf_object *o;
	__u32 i;

	if (path[0] != '/') {
		conf_err(a, line, "object '%s': give an absolute path", path);
		return NULL;
	}
	if (strlen(path) >= PATH_MAX) {
		conf_err(a, line, "object path too long");
		return NULL;
	}
	for (i = 0; i < a->n_objs; i++) {
		if (!strcmp(a->objs[i].path, path)) {
			conf_err(a, line, "object '%s' is already named on line %d",
				 path, a->objs[i].line);
			return NULL;
		}
	}
	o = realloc(a->objs, (a->n_objs + 1) * sizeof(*o));
	if (!o) {
		p_err("out of memory");
		return NULL;
	}
	a->objs = o;
	o = &a->objs[a->n_objs++];
	memset(o, 0, sizeof(*o));
	strcpy(o->path, path);
	o->line = line;
	return o;
}

#define ATTACH_SYNTAX	"'PROG hook FAMILY/HOOK [dev IFNAME] [prio N]'"

/* " dev NAME" after a netdev/ingress hook in messages, else "". */
static const char *dev_suffix(const struct want_attach *x, char *buf,
			      size_t size)
{
	if (!x->dev[0])
		return "";
	snprintf(buf, size, " dev %s", x->dev);
	return buf;
}

/* The words after PROG hook FAMILY/HOOK: each attribute at most once. */
static int parse_attach_attrs(struct apply *a, struct want_attach *x,
			      char **w, int n, int line)
{
	bool has_prio = false;
	__s64 prio = 0;
	int i;

	for (i = 0; i < n; i += 2) {
		if (strcmp(w[i], "prio") && strcmp(w[i], "dev"))
			return conf_err(a, line, "expected %s, not '%s'",
					ATTACH_SYNTAX, w[i]);
		if (i + 1 == n)
			return conf_err(a, line, "'%s' needs a value", w[i]);
		if ((!strcmp(w[i], "dev") && x->dev[0]) ||
		    (!strcmp(w[i], "prio") && has_prio))
			return conf_err(a, line, "'%s' given twice", w[i]);
		if (!strcmp(w[i], "prio")) {
			if (parse_s64(w[i + 1], "prio", KBPF_NF_PRIO_MIN,
				      KBPF_NF_PRIO_MAX, &prio))
				return conf_err(a, line, "see the priority above");
			x->prio = prio;
			has_prio = true;
			continue;
		}
		/* By name: an ifindex is not stable across boots. */
		if (!w[i + 1][0] || strlen(w[i + 1]) >= IF_NAMESIZE ||
		    is_all_digits(w[i + 1]))
			return conf_err(a, line, "'%s' is no interface name", w[i + 1]);
		strcpy(x->dev, w[i + 1]);
	}
	if (x->family == KBPF_NF_FAMILY_NETDEV && !x->dev[0])
		return conf_err(a, line, "netdev/ingress is per interface: add 'dev IFNAME'");
	if (x->family != KBPF_NF_FAMILY_NETDEV && x->dev[0])
		return conf_err(a, line, "'dev' goes with netdev/ingress only: ipv4 and ipv6 hooks see every device");
	return 0;
}

/* PROG hook FAMILY/HOOK [dev IFNAME] [prio N] */
static int add_attach(struct apply *a, struct conf_object *o, char **w,
		      int n, int line)
{
	struct want_attach *att, *x;
	char dev[IF_NAMESIZE + 8];
	__u32 i;

	if (n >= 2 && strcmp(w[1], "hook"))
		return conf_err(a, line, "expected %s, not '%s'", ATTACH_SYNTAX,
				w[1]);
	if (n < 3)
		return conf_err(a, line, "expected %s", ATTACH_SYNTAX);
	if (strlen(w[0]) >= KBPF_OBJ_NAME_LEN)
		return conf_err(a, line, "program name '%s' is longer than %d characters",
				w[0], KBPF_OBJ_NAME_LEN - 1);
	att = realloc(o->att, (o->n_att + 1) * sizeof(*att));
	if (!att) {
		p_err("out of memory");
		return -ENOMEM;
	}
	o->att = att;
	x = &att[o->n_att];
	memset(x, 0, sizeof(*x));
	strcpy(x->prog, w[0]);
	x->line = line;
	if (parse_hook(w[2], &x->family, &x->hook))
		return conf_err(a, line, "see the hook above");
	if (parse_attach_attrs(a, x, w + 3, n - 3, line))
		return -EINVAL;
	for (i = 0; i < o->n_att; i++) {
		if (!strcmp(att[i].prog, x->prog) && att[i].family == x->family &&
		    att[i].hook == x->hook && !strcmp(att[i].dev, x->dev))
			return conf_err(a, line, "'%s' is already attached to %s%s on line %d",
					x->prog, w[2], dev_suffix(x, dev, sizeof(dev)),
					att[i].line);
	}
	o->n_att++;
	return 0;
}

/*
 * Devices are looked up when the file is checked, in this network
 * namespace, so that a missing one changes nothing.
 */
static int resolve_devices(struct apply *a, struct conf_object *o)
{
	struct want_attach *x;
	__u32 i;

	for (i = 0; i < o->n_att; i++) {
		x = &o->att[i];
		if (!x->dev[0])
			continue;
		x->ifindex = if_nametoindex(x->dev);
		if (!x->ifindex)
			return conf_err(a, x->line, "no device '%s' in this network namespace",
					x->dev);
	}
	return 0;
}

static int parse_conf(struct apply *a)
{
	char buf[APPLY_MAX_LINE], *w[8];
	struct conf_object *cur = NULL;
	int line = 0, n, err = 0;
	FILE *f;

	f = fopen(a->file, "r");
	if (!f) {
		p_err("cannot open '%s': %s", a->file, strerror(errno));
		return -errno;
	}
	while (!err && fgets(buf, sizeof(buf), f)) {
		line++;
		if (!strchr(buf, '\n') && !feof(f)) {
			err = conf_err(a, line, "line longer than %d characters",
				       APPLY_MAX_LINE - 2);
			break;
		}
		n = split_words(buf, w, ARRAY_SIZE(w));
		if (n < 0)
			err = conf_err(a, line, "too many words");
		else if (n == 0)
			continue;
		else if (!strcmp(w[0], "object"))
			err = n == 2 ? ((cur = add_object(a, w[1], line)) ? 0 : -EINVAL)
				     : conf_err(a, line, "expected 'object PATH'");
		else if (!cur)
			err = conf_err(a, line, "'%s' before the first 'object' line", w[0]);
		else
			err = add_attach(a, cur, w, n, line);
	}
	if (!err && ferror(f))
		err = conf_err(a, line, "read error");
	fclose(f);
	return err;
}

/* ---- objects: the checks that need no module ------------------------------ */

/* FNV-1a over the object file: tells whether it changed since last time. */
static int hash_file(const char *path, __u64 *hash)
{
	unsigned char buf[65536];
	__u64 h = 0xcbf29ce484222325ULL;
	size_t n, i;
	FILE *f;

	f = fopen(path, "rb");
	if (!f) {
		p_err("cannot open '%s': %s", path, strerror(errno));
		return -errno;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		for (i = 0; i < n; i++)
			h = (h ^ buf[i]) * 0x100000001b3ULL;
	fclose(f);
	*hash = h;
	return 0;
}

static struct loaded *object_prog(struct conf_object *o, const char *name)
{
	__u32 i;

	for (i = 0; i < o->n_progs; i++)
		if (!strcmp(o->progs[i].name, name))
			return &o->progs[i];
	return NULL;
}

/* Open the object, list its programs, check the attachment lines. */
static int check_object(struct apply *a, struct conf_object *o)
{
	struct bpf_program *prog = NULL;
	struct want_attach *x;
	struct loaded *l;
	__u32 i;

	if (hash_file(o->path, &o->hash) || kbpf_object_open(o->path, &o->obj))
		return conf_err(a, o->line, "object '%s' cannot be used", o->path);
	while ((prog = kbpf_object_next_prog(o->obj, prog))) {
		if (o->n_progs == APPLY_MAX_PROGS)
			return conf_err(a, o->line, "'%s' has more than %d programs",
					o->path, APPLY_MAX_PROGS);
		l = &o->progs[o->n_progs++];
		kbpf_obj_name(l->name, kbpf_prog_name(prog));
		if (kbpf_parse_section(prog, &l->sec))
			return conf_err(a, o->line, "object '%s' cannot be used", o->path);
	}
	if (!o->n_progs)
		return conf_err(a, o->line, "'%s' contains no BPF program", o->path);
	for (i = 0; i < o->n_att; i++) {
		if (!object_prog(o, o->att[i].prog))
			return conf_err(a, o->att[i].line, "'%s' has no program '%s'",
					o->path, o->att[i].prog);
	}
	if (o->n_att)
		return resolve_devices(a, o);
	/* No attachment lines: every program goes where its section says. */
	for (i = 0; i < o->n_progs; i++) {
		l = &o->progs[i];
		if (!l->sec.has_hook && l->sec.family == KBPF_NF_FAMILY_NETDEV)
			return conf_err(a, o->line, "program '%s' of '%s' is for netdev/ingress, per interface: add a '%s hook netdev/ingress dev IFNAME' line",
					l->name, o->path, l->name);
		if (!l->sec.has_hook)
			return conf_err(a, o->line, "program '%s' of '%s': its section names no hook; add a '%s hook FAMILY/HOOK' line",
					l->name, o->path, l->name);
		x = realloc(o->att, (o->n_att + 1) * sizeof(*x));
		if (!x) {
			p_err("out of memory");
			return -ENOMEM;
		}
		o->att = x;
		x = &o->att[o->n_att++];
		memset(x, 0, sizeof(*x));
		strcpy(x->prog, l->name);
		x->family = l->sec.family;
		x->hook = l->sec.hook;
		x->prio = l->sec.priority;
		x->line = o->line;
	}
	return 0;
}

static int check_unique_names(struct apply *a)
{
	__u32 i, j, k, m;

	for (i = 0; i < a->n_objs; i++)
		for (j = 0; j < a->objs[i].n_progs; j++)
			for (k = i; k < a->n_objs; k++)
				for (m = k == i ? j + 1 : 0; m < a->objs[k].n_progs; m++)
					if (!strcmp(a->objs[i].progs[j].name,
						    a->objs[k].progs[m].name))
						return conf_err(a, a->objs[k].line,
								"program '%s' of '%s' has the name of one in '%s' (line %d)",
								a->objs[k].progs[m].name,
								a->objs[k].path, a->objs[i].path,
								a->objs[i].line);
	return 0;
}

/* ---- the state file ------------------------------------------------------ */

static int read_state(struct apply *a)
{
	char buf[PATH_MAX + 64], kind[8], name[PATH_MAX];
	struct state_object *s = NULL, *more;
	unsigned long long hash;
	unsigned int id;
	FILE *f;

	f = fopen(APPLY_STATE_FILE, "r");
	if (!f)
		return errno == ENOENT ? 0 : (p_err("cannot read %s: %s",
					APPLY_STATE_FILE, strerror(errno)), -errno);
	while (fgets(buf, sizeof(buf), f)) {
		if (sscanf(buf, "object %llx %4095s", &hash, name) == 2) {
			more = realloc(a->state, (a->n_state + 1) * sizeof(*more));
			if (!more)
				break;
			a->state = more;
			s = &a->state[a->n_state++];
			memset(s, 0, sizeof(*s));
			strcpy(s->path, name);
			s->hash = hash;
		} else if (s && sscanf(buf, "%7s %u %15s", kind, &id, name) == 3 &&
			   s->n_progs < APPLY_MAX_PROGS && s->n_maps < APPLY_MAX_PROGS) {
			if (!strcmp(kind, "prog")) {
				s->progs[s->n_progs].id = id;
				strcpy(s->progs[s->n_progs++].name, name);
			} else if (!strcmp(kind, "map")) {
				s->maps[s->n_maps].id = id;
				strcpy(s->maps[s->n_maps++].name, name);
			}
		}
	}
	fclose(f);
	return 0;
}

static void write_object_state(FILE *f, const char *path, __u64 hash,
			       const struct loaded *progs, __u32 n_progs,
			       const __u32 *map_ids, const char (*map_names)[KBPF_OBJ_NAME_LEN],
			       __u32 n_maps)
{
	__u32 i;

	fprintf(f, "object %llx %s\n", (unsigned long long)hash, path);
	for (i = 0; i < n_progs; i++)
		fprintf(f, "prog %u %s\n", progs[i].id, progs[i].name);
	for (i = 0; i < n_maps; i++)
		fprintf(f, "map %u %s\n", map_ids[i], map_names[i]);
}

/*
 * Record what runs now: every configured object that is loaded, and every
 * old object that could not be removed (so a later run retries).
 */
static int write_state(struct apply *a)
{
	char names[APPLY_MAX_PROGS][KBPF_OBJ_NAME_LEN];
	__u32 ids[APPLY_MAX_PROGS];
	const __u32 *created;
	__u32 i, j, n;
	FILE *f;

	if (mkdir(APPLY_STATE_DIR, 0700) && errno != EEXIST) {
		p_err("cannot create %s: %s", APPLY_STATE_DIR, strerror(errno));
		return -errno;
	}
	f = fopen(APPLY_STATE_FILE ".tmp", "w");
	if (!f) {
		p_err("cannot write %s: %s", APPLY_STATE_FILE, strerror(errno));
		return -errno;
	}
	fprintf(f, "# kbpfctl apply: what it loaded (do not edit)\n");
	for (i = 0; i < a->n_objs; i++) {
		struct conf_object *o = &a->objs[i];

		if (!o->loaded)
			continue;
		if (o->action == APPLY_KEEP) {
			struct state_object *s = o->old;

			for (j = 0; j < s->n_maps; j++) {
				ids[j] = s->maps[j].id;
				strcpy(names[j], s->maps[j].name);
			}
			n = s->n_maps;
		} else {
			n = kbpf_object_created_maps(o->obj, &created);
			if (n > APPLY_MAX_PROGS)
				n = APPLY_MAX_PROGS;
			for (j = 0; j < n; j++) {
				struct kbpf_map_info info;

				ids[j] = created[j];
				snprintf(names[j], sizeof(names[j]), "map%u", created[j]);
				if (!kbpf_ctl_map_get(&a->ctl, created[j], NULL, &info))
					strcpy(names[j], info.name);
			}
		}
		write_object_state(f, o->path, o->hash, o->progs, o->n_progs,
				   ids, (const char (*)[KBPF_OBJ_NAME_LEN])names, n);
	}
	for (i = 0; i < a->n_state; i++) {
		struct state_object *s = &a->state[i];

		if (s->claimed || !s->n_progs)
			continue;
		for (j = 0; j < s->n_maps; j++) {
			ids[j] = s->maps[j].id;
			strcpy(names[j], s->maps[j].name);
		}
		write_object_state(f, s->path, s->hash, s->progs, s->n_progs,
				   ids, (const char (*)[KBPF_OBJ_NAME_LEN])names,
				   s->n_maps);
	}
	if (fclose(f) || rename(APPLY_STATE_FILE ".tmp", APPLY_STATE_FILE)) {
		p_err("cannot write %s: %s", APPLY_STATE_FILE, strerror(errno));
		return -errno;
	}
	return 0;
}

/* ---- what runs ------------------------------------------------------------ */

static int collect_running(const struct kbpf_prog_info *info, void *arg)
{
	struct apply *a = arg;
	struct kbpf_prog_info *more;

	more = realloc(a->running, (a->n_running + 1) * sizeof(*more));
	if (!more)
		return -ENOMEM;
	a->running = more;
	a->running[a->n_running] = *info;
	/* Attachments belong to the dump; only sync_attachments() needs them. */
	a->running[a->n_running].attach = NULL;
	a->running[a->n_running++].attach_cnt = 0;
	return 0;
}

static int read_running(struct apply *a)
{
	free(a->running);
	a->running = NULL;
	a->n_running = 0;
	return kbpf_ctl_prog_dump(&a->ctl, collect_running, a);
}

static const struct kbpf_prog_info *running_by_name(const struct apply *a,
						    const char *name)
{
	__u32 i;

	for (i = 0; i < a->n_running; i++)
		if (!strcmp(a->running[i].name, name))
			return &a->running[i];
	return NULL;
}

static bool state_object_runs(const struct apply *a,
			      const struct state_object *s)
{
	const struct kbpf_prog_info *r;
	__u32 i;

	for (i = 0; i < s->n_progs; i++) {
		r = running_by_name(a, s->progs[i].name);
		if (!r || r->id != s->progs[i].id)
			return false;
	}
	return s->n_progs > 0;
}

/* The state's program of this name, if apply loaded it and it still runs. */
static bool owned_by_apply(const struct apply *a, const char *name)
{
	const struct kbpf_prog_info *r = running_by_name(a, name);
	__u32 i, j;

	for (i = 0; r && i < a->n_state; i++)
		for (j = 0; j < a->state[i].n_progs; j++)
			if (a->state[i].progs[j].id == r->id)
				return true;
	return false;
}

/* The current network namespace's cookie, as attachments report it. */
static __u64 current_netns_cookie(void)
{
	socklen_t len = sizeof(__u64);
	__u64 cookie = 0;
	int fd;

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		return 0;
	if (getsockopt(fd, SOL_SOCKET, SO_NETNS_COOKIE, &cookie, &len))
		cookie = 0;
	close(fd);
	return cookie;
}

/* ---- planning ------------------------------------------------------------ */

static struct state_object *state_for(struct apply *a, const char *path)
{
	__u32 i;

	for (i = 0; i < a->n_state; i++)
		if (!strcmp(a->state[i].path, path))
			return &a->state[i];
	return NULL;
}

static int plan(struct apply *a)
{
	const struct kbpf_prog_info *r;
	struct conf_object *o;
	__u32 i, j;

	for (i = 0; i < a->n_objs; i++) {
		o = &a->objs[i];
		o->old = state_for(a, o->path);
		if (o->old)
			o->old->claimed = true;
		if (o->old && o->old->hash == o->hash && state_object_runs(a, o->old) &&
		    o->old->n_progs == o->n_progs) {
			o->action = APPLY_KEEP;
			for (j = 0; j < o->n_progs; j++) {
				r = running_by_name(a, o->progs[j].name);
				if (!r)
					break;
				o->progs[j].id = r->id;
			}
			if (j == o->n_progs) {
				o->loaded = true;
				continue;
			}
		}
		o->action = o->old ? APPLY_RELOAD : APPLY_LOAD;
		/* A name held by a program apply does not own is a conflict. */
		for (j = 0; j < o->n_progs; j++) {
			if (running_by_name(a, o->progs[j].name) &&
			    !owned_by_apply(a, o->progs[j].name))
				return conf_err(a, o->line,
						"program '%s' of '%s' is already loaded, not by apply (kbpfctl prog unload %s)",
						o->progs[j].name, o->path, o->progs[j].name);
		}
	}
	return 0;
}

/* Does a new object need a name an old program still holds? */
static bool needs_room(const struct apply *a, const struct conf_object *o)
{
	__u32 j;

	for (j = 0; j < o->n_progs; j++)
		if (running_by_name(a, o->progs[j].name))
			return true;
	return false;
}

static void say(struct apply *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void say(struct apply *a, const char *fmt, ...)
{
	va_list ap;

	a->changes++;
	if (json_output)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* ---- doing -------------------------------------------------------------- */

static int load_conf_object(struct apply *a, struct conf_object *o)
{
	struct loaded done[APPLY_MAX_PROGS];
	struct loaded *l;
	__u32 n, i;

	o->tried = true;
	if (a->check_only) {
		say(a, "%s %s", o->action == APPLY_RELOAD ? "reload" : "load", o->path);
		return 0;
	}
	if (load_object_programs(o->obj, done, &n))
		return -1;
	for (i = 0; i < n; i++) {
		l = object_prog(o, done[i].name);
		if (l)
			l->id = done[i].id;
	}
	o->loaded = true;
	say(a, "%s %s", o->action == APPLY_RELOAD ? "reloaded" : "loaded", o->path);
	return 0;
}

/* Undo load_conf_object(): its programs, then the maps it made. */
static void unload_conf_object(struct apply *a, struct conf_object *o)
{
	bool saved = json_output;
	const __u32 *maps;
	__u32 i, n;

	json_output = false;
	for (i = 0; i < o->n_progs; i++)
		kbpf_ctl_prog_unload(&a->ctl, o->progs[i].id, NULL);
	n = kbpf_object_created_maps(o->obj, &maps);
	for (i = 0; i < n; i++)
		kbpf_ctl_map_destroy(&a->ctl, maps[i], NULL);
	json_output = saved;
	o->loaded = false;
}

/* Unload what an old object loaded: its programs, then its maps. */
static int remove_state_object(struct apply *a, struct state_object *s,
			       bool quiet)
{
	const struct kbpf_prog_info *r;
	int err = 0;
	__u32 i;

	if (a->check_only) {
		if (!quiet)
			say(a, "unload %s", s->path);
		return 0;
	}
	for (i = 0; i < s->n_progs; i++) {
		r = running_by_name(a, s->progs[i].name);
		if (r && r->id == s->progs[i].id &&
		    kbpf_ctl_prog_unload(&a->ctl, r->id, NULL))
			err = -1;
	}
	for (i = 0; i < s->n_maps; i++) {
		struct kbpf_map_info info;
		bool saved = json_output;

		json_output = false;
		if (!kbpf_ctl_map_get(&a->ctl, s->maps[i].id, NULL, &info) &&
		    !strcmp(info.name, s->maps[i].name))
			kbpf_ctl_map_destroy(&a->ctl, s->maps[i].id, NULL);
		json_output = saved;
	}
	if (!err) {
		s->n_progs = 0;
		if (!quiet)
			say(a, "unloaded %s", s->path);
	}
	return err;
}

static bool wanted(const struct conf_object *o, const char *prog,
		   const struct kbpf_attachment *at)
{
	__u32 i;

	for (i = 0; i < o->n_att; i++)
		if (!strcmp(o->att[i].prog, prog) && o->att[i].family == at->family &&
		    o->att[i].hook == at->hook && o->att[i].prio == at->priority &&
		    o->att[i].ifindex == at->ifindex)
			return true;
	return false;
}

static bool attached(const struct kbpf_prog_info *info, __u64 cookie,
		     const struct want_attach *w)
{
	__u32 i, n = info->attach_cnt;

	for (i = 0; i < n; i++) {
		const struct kbpf_attachment *at = &info->attach[i];

		if ((!cookie || at->netns_cookie == cookie) &&
		    at->family == w->family && at->hook == w->hook &&
		    at->priority == w->prio && at->ifindex == w->ifindex)
			return true;
	}
	return false;
}

static int attach_one(struct apply *a, const struct loaded *l,
		      const struct want_attach *w)
{
	struct kbpf_attach_req req = {
		.family = w->family, .hook = w->hook, .priority = w->prio,
		.miss_verdict = KBPF_NF_ACCEPT, .ifindex = w->ifindex,
	};

	return kbpf_ctl_prog_attach(&a->ctl, l->id, NULL, &req);
}

static int detach_one(struct apply *a, const struct loaded *l,
		      const struct kbpf_attachment *at)
{
	struct kbpf_detach_req req = {
		.has_hook = true, .family = at->family, .hook = at->hook,
		.ifindex = at->ifindex,
	};

	return kbpf_ctl_prog_detach(&a->ctl, l->id, NULL, &req);
}

/* Attach and detach one program until it sits exactly where o says. */
static int sync_attachments(struct apply *a, struct conf_object *o,
			    const struct loaded *l)
{
	char dev[IF_NAMESIZE + 8];
	struct kbpf_prog_info info;
	struct kbpf_attachment *at;
	__u32 i, n;
	int err = 0;

	if (a->check_only && !o->loaded) {
		for (i = 0; i < o->n_att; i++)
			if (!strcmp(o->att[i].prog, l->name))
				say(a, "attach %s %s/%s%s prio %d", l->name,
				    kbpf_family_name(o->att[i].family),
				    kbpf_hook_name(o->att[i].hook),
				    dev_suffix(&o->att[i], dev, sizeof(dev)),
				    o->att[i].prio);
		return 0;
	}
	if (kbpf_ctl_prog_get_all(&a->ctl, l->id, NULL, &info))
		return -1;
	n = info.attach_cnt;
	for (i = 0; i < n; i++) {
		at = &info.attach[i];
		if (a->netns_cookie && at->netns_cookie != a->netns_cookie)
			continue;
		if (wanted(o, l->name, at))
			continue;
		if (!a->check_only &&
		    detach_one(a, l, at)) {
			err = -1;
			continue;
		}
		say(a, "%s %s %s/%s%s%s prio %d",
		    a->check_only ? "detach" : "detached", l->name,
		    kbpf_family_name(at->family), kbpf_hook_name(at->hook),
		    at->ifname[0] ? " dev " : "", at->ifname, at->priority);
	}
	for (i = 0; i < o->n_att; i++) {
		const struct want_attach *w = &o->att[i];

		if (strcmp(w->prog, l->name) || attached(&info, a->netns_cookie, w))
			continue;
		if (!a->check_only && attach_one(a, l, w)) {
			err = -1;
			continue;
		}
		say(a, "%s %s %s/%s%s prio %d",
		    a->check_only ? "attach" : "attached", l->name,
		    kbpf_family_name(w->family), kbpf_hook_name(w->hook),
		    dev_suffix(w, dev, sizeof(dev)), w->prio);
	}
	kbpf_prog_info_release(&info);
	return err;
}

/* New objects whose names are free: all load, or none stays. */
static int load_new_objects(struct apply *a)
{
	__u32 i, j;

	for (i = 0; i < a->n_objs; i++) {
		struct conf_object *o = &a->objs[i];

		if (o->action != APPLY_LOAD || needs_room(a, o))
			continue;
		if (load_conf_object(a, o)) {
			for (j = 0; j < i; j++)
				if (a->objs[j].action == APPLY_LOAD && a->objs[j].loaded)
					unload_conf_object(a, &a->objs[j]);
			p_err("%s: nothing was changed", a->file);
			return -1;
		}
	}
	return 0;
}

static int apply_changes(struct apply *a)
{
	__u32 i, j;
	int err = 0;

	if (load_new_objects(a))
		return -1;
	/* Past this point an error no longer undoes what is done. */
	for (i = 0; i < a->n_state; i++)
		if (!a->state[i].claimed && remove_state_object(a, &a->state[i], false))
			err = -1;
	for (i = 0; i < a->n_objs; i++) {
		struct conf_object *o = &a->objs[i];

		if (o->action == APPLY_RELOAD && remove_state_object(a, o->old, true))
			err = -1;
	}
	if (!a->check_only && read_running(a))
		return -1;
	for (i = 0; i < a->n_objs; i++) {
		struct conf_object *o = &a->objs[i];

		if (o->action != APPLY_KEEP && !o->tried && load_conf_object(a, o))
			err = -1;
	}
	for (i = 0; i < a->n_objs; i++) {
		struct conf_object *o = &a->objs[i];

		if (!o->loaded && !a->check_only)
			continue;
		for (j = 0; j < o->n_progs; j++)
			if (sync_attachments(a, o, &o->progs[j]))
				err = -1;
	}
	return err;
}

/* ---- the command ---------------------------------------------------------- */

static void apply_free(struct apply *a)
{
	__u32 i;

	for (i = 0; i < a->n_objs; i++) {
		kbpf_object_close(a->objs[i].obj);
		free(a->objs[i].att);
	}
	free(a->objs);
	free(a->state);
	free(a->running);
	kbpf_ctl_close(&a->ctl);
}

static int apply_help(void)
{
	if (json_output) {
		jsonw_null(json_wtr);
		return 0;
	}
	fprintf(stderr,
		"Usage: %1$s apply FILE [check]\n"
		"       Make the loaded programs match FILE (kbpf.conf(5)): load what\n"
		"       is missing, reload what changed, attach and detach as it says,\n"
		"       unload what an earlier apply loaded and FILE no longer names.\n"
		"       'check' prints what would change and changes nothing.\n",
		bin_name);
	return 0;
}

int do_apply(int argc, char **argv)
{
	struct apply a = { 0 };
	int err;
	__u32 i;

	if (argc == 1 && is_prefix(*argv, "help"))
		return apply_help();
	if (!REQ_ARGS(1))
		return -1;
	a.file = argv[0];
	if (argc == 2 && is_prefix(argv[1], "check")) {
		a.check_only = true;
	} else if (argc > 1) {
		argv++;
		return BAD_ARG();
	}

	err = parse_conf(&a);
	for (i = 0; !err && i < a.n_objs; i++)
		err = check_object(&a, &a.objs[i]);
	if (!err)
		err = check_unique_names(&a);
	if (!err)
		err = kbpf_ctl_open(&a.ctl);
	if (!err)
		err = read_state(&a);
	if (!err)
		err = read_running(&a);
	if (!err) {
		a.netns_cookie = current_netns_cookie();
		err = plan(&a);
	}
	if (!err) {
		err = apply_changes(&a);
		if (!a.check_only && write_state(&a))
			err = -1;
	}
	if (!err || a.changes) {
		if (json_output) {
			jsonw_start_object(json_wtr);
			jsonw_uint_field(json_wtr, "changes", a.changes);
			jsonw_bool_field(json_wtr, "applied", !err && !a.check_only);
			jsonw_end_object(json_wtr);
		} else if (!a.changes) {
			printf("%s: nothing to change\n", a.file);
		}
	}
	apply_free(&a);
	return err ? -1 : 0;
}
