// SPDX-License-Identifier: GPL-2.0
/*
 * Map ioctls of kbpf.ko, run as root inside the test VM (selftests/e2e/
 * maps.sh).  Raw ioctls only, no library, static:
 *
 *  - per-CPU maps move round_up(value_size, 8) x possible CPUs through the
 *    element ioctls, each CPU's value in its own slot;
 *  - the largest maps the ABI can describe, of every type, fail with E2BIG
 *    and a one-line reason, as does a map over max_map_memory;
 *  - a ring buffer's descriptor: mmap of the consumer page read-write, the
 *    producer page and data read-only (never writable), poll;
 *  - with a program (a test run writing ringbuf records): records read in
 *    place through the mapping, and an epoll wait woken by a submit;
 *  - read-only maps: RDONLY_PROG/WRONLY_PROG at create, FREEZE (updates
 *    and deletes refused with EPERM after it, twice EBUSY, no map ENOENT),
 *    and a writable mapping and a freeze excluding each other.
 *
 * Prints "ok N - what" / "not ok N - what" and ends with "N passed, M
 * failed"; exits 0 only if nothing failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <poll.h>
#include <unistd.h>
#include <linux/kbpf.h>

static int dev = -1, passed, failed;

static void result(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s %d - ", ok ? "ok" : "not ok", passed + failed + 1);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (ok)
		passed++;
	else
		failed++;
}

/* -errno or the ioctl's non-negative result. */
static int kioctl(unsigned long cmd, void *arg)
{
	int r = ioctl(dev, cmd, arg);

	return r < 0 ? -errno : r;
}

static void expect_err(int got, int want, const char *what)
{
	if (got == want)
		result(1, "%s", what);
	else
		result(0, "%s: got %d (%s), expected %d (%s)", what, got,
		       strerror(-got), want, strerror(-want));
}

static int map_create_log(__u32 type, __u32 key, __u32 value, __u32 entries,
			  __u32 flags, char *log, __u32 log_size, __u32 *id)
{
	struct kbpf_map_create_attr a = {
		.size = sizeof(a), .map_type = type, .key_size = key,
		.value_size = value, .max_entries = entries, .flags = flags,
		.log_buf = (uintptr_t)log, .log_size = log_size,
	};
	int err = kioctl(KBPF_IOC_MAP_CREATE, &a);

	if (!err && id)
		*id = a.map_id;
	return err;
}

static int map_create(__u32 type, __u32 key, __u32 value, __u32 entries,
		      __u32 *id)
{
	return map_create_log(type, key, value, entries, 0, NULL, 0, id);
}

static int elem(unsigned long cmd, __u32 id, const void *key, void *value,
		__u64 flags)
{
	struct kbpf_map_elem_attr a = {
		.size = sizeof(a), .map_id = id, .key = (uintptr_t)key,
		.value = (uintptr_t)value, .flags = flags,
	};

	return kioctl(cmd, &a);
}

static int map_get_fd(__u32 id, __u32 flags)
{
	struct kbpf_map_get_fd_attr a = {
		.size = sizeof(a), .map_id = id, .flags = flags, .fd = -1,
	};
	int err = kioctl(KBPF_IOC_MAP_GET_FD, &a);

	return err ? err : a.fd;
}

/* Possible CPUs as libbpf counts them: /sys/devices/system/cpu/possible. */
static int possible_cpus(void)
{
	char buf[128], *p = buf;
	int n = 0, a, b;
	FILE *f = fopen("/sys/devices/system/cpu/possible", "r");

	if (!f || !fgets(buf, sizeof(buf), f)) {
		if (f)
			fclose(f);
		return -1;
	}
	fclose(f);
	while (*p && *p != '\n') {
		if (sscanf(p, "%d-%d", &a, &b) == 2)
			n += b - a + 1;
		else if (sscanf(p, "%d", &a) == 1)
			n++;
		p = strchr(p, ',');
		if (!p)
			break;
		p++;
	}
	return n;
}

/* ---- per-CPU layout ---------------------------------------------------- */

static void check_percpu_one(__u32 type, const char *name, int ncpus)
{
	/* value_size 12: each CPU's value padded to 16 bytes. */
	size_t stride = KBPF_PERCPU_VALUE_SIZE(12), size = stride * ncpus;
	unsigned char *in = calloc(1, size), *out = calloc(1, size);
	__u32 id, key = 1, missing = 7;
	int cpu, ok = 1;

	if (!in || !out || map_create(type, 4, 12, 4, &id)) {
		result(0, "%s: create", name);
		goto out;
	}
	for (cpu = 0; cpu < ncpus; cpu++)
		memset(in + cpu * stride, 0x10 + cpu, 12);
	expect_err(elem(KBPF_IOC_MAP_UPDATE, id, &key, in, KBPF_ANY), 0,
		   "per-CPU update of every CPU's value");
	memset(out, 0xff, size);
	expect_err(elem(KBPF_IOC_MAP_LOOKUP, id, &key, out, 0), 0,
		   "per-CPU lookup");
	for (cpu = 0; cpu < ncpus; cpu++) {
		unsigned char want[12];

		memset(want, 0x10 + cpu, 12);
		if (memcmp(out + cpu * stride, want, 12))
			ok = 0;
	}
	result(ok, "%s: CPU n's value at n * 16, for %d CPUs", name, ncpus);
	if (type != KBPF_MAP_TYPE_PERCPU_ARRAY)
		expect_err(elem(KBPF_IOC_MAP_LOOKUP, id, &missing, out, 0),
			   -ENOENT, "per-CPU lookup of a missing key");
out:
	free(in);
	free(out);
}

static void check_percpu(void)
{
	int ncpus = possible_cpus();

	if (ncpus < 1) {
		result(0, "read /sys/devices/system/cpu/possible");
		return;
	}
	check_percpu_one(KBPF_MAP_TYPE_PERCPU_ARRAY, "percpu_array", ncpus);
	check_percpu_one(KBPF_MAP_TYPE_PERCPU_HASH, "percpu_hash", ncpus);
	check_percpu_one(KBPF_MAP_TYPE_LRU_PERCPU_HASH, "lru_percpu_hash",
			 ncpus);
}

/* ---- LPM trie through the ioctls --------------------------------------- */

struct lpm_v4 {
	__u32 prefixlen;
	__u8 addr[4];
};

static void check_lpm(void)
{
	struct lpm_v4 k8 = { 8, { 10, 0, 0, 0 } }, k24 = { 24, { 10, 1, 2, 0 } };
	struct lpm_v4 q = { 32, { 10, 1, 2, 3 } }, next;
	__u32 id, v, n = 0;
	int err;

	if (map_create_log(KBPF_MAP_TYPE_LPM_TRIE, sizeof(k8), 4, 8,
			   KBPF_F_NO_PREALLOC, NULL, 0, &id)) {
		result(0, "lpm_trie: create");
		return;
	}
	v = 8;
	expect_err(elem(KBPF_IOC_MAP_UPDATE, id, &k8, &v, KBPF_ANY), 0,
		   "lpm_trie: insert 10.0.0.0/8");
	v = 24;
	expect_err(elem(KBPF_IOC_MAP_UPDATE, id, &k24, &v, KBPF_ANY), 0,
		   "lpm_trie: insert 10.1.2.0/24");
	v = 0;
	err = elem(KBPF_IOC_MAP_LOOKUP, id, &q, &v, 0);
	result(!err && v == 24, "lpm_trie: 10.1.2.3 finds the /24 (%d, %u)",
	       err, v);
	q.addr[1] = 9;
	err = elem(KBPF_IOC_MAP_LOOKUP, id, &q, &v, 0);
	result(!err && v == 8, "lpm_trie: 10.9.2.3 finds the /8 (%d, %u)", err,
	       v);
	for (err = elem(KBPF_IOC_MAP_NEXT_KEY, id, NULL, &next, 0); !err && n < 9;
	     err = elem(KBPF_IOC_MAP_NEXT_KEY, id, &q, &next, 0)) {
		q = next;
		n++;
	}
	result(err == -ENOENT && n == 2, "lpm_trie: next_key walks 2 prefixes");
	expect_err(map_create(KBPF_MAP_TYPE_LPM_TRIE, 8, 4, 8, &id), -EINVAL,
		   "lpm_trie without KBPF_F_NO_PREALLOC");
}

/* ---- memory bounds ----------------------------------------------------- */

static const struct {
	__u32 type;
	const char *name;
	__u32 key, flags;
} all_types[] = {
	{ KBPF_MAP_TYPE_HASH, "hash", 512, 0 },
	{ KBPF_MAP_TYPE_ARRAY, "array", 4, 0 },
	{ KBPF_MAP_TYPE_PERCPU_HASH, "percpu_hash", 512, 0 },
	{ KBPF_MAP_TYPE_PERCPU_ARRAY, "percpu_array", 4, 0 },
	{ KBPF_MAP_TYPE_LRU_HASH, "lru_hash", 512, 0 },
	{ KBPF_MAP_TYPE_LRU_PERCPU_HASH, "lru_percpu_hash", 512, 0 },
	{ KBPF_MAP_TYPE_LPM_TRIE, "lpm_trie", 4 + 256, KBPF_F_NO_PREALLOC },
};

static void check_largest_maps(void)
{
	char log[256];
	unsigned int i;
	int err;

	for (i = 0; i < sizeof(all_types) / sizeof(all_types[0]); i++) {
		/* The profile's largest sizes: 512-byte keys, 64 KiB values
		 * (per-CPU: 32 KiB), 2^20 entries -- 64 GiB and more.
		 */
		__u32 value = all_types[i].type == KBPF_MAP_TYPE_PERCPU_HASH ||
			      all_types[i].type == KBPF_MAP_TYPE_PERCPU_ARRAY ||
			      all_types[i].type == KBPF_MAP_TYPE_LRU_PERCPU_HASH ?
			      32768 : 65536;

		log[0] = '\0';
		err = map_create_log(all_types[i].type, all_types[i].key, value,
				     1U << 20, all_types[i].flags, log,
				     sizeof(log), NULL);
		result(err == -E2BIG && strstr(log, "per-map limit"),
		       "largest %s: E2BIG (%d), reason \"%s\"",
		       all_types[i].name, err, log);
		err = map_create_log(all_types[i].type, all_types[i].key,
				     0xffffffff, 0xffffffff, all_types[i].flags,
				     log, sizeof(log), NULL);
		result(err == -E2BIG && log[0],
		       "%s with u32 sizes: E2BIG (%d), reason \"%s\"",
		       all_types[i].name, err, log);
	}
	err = map_create_log(KBPF_MAP_TYPE_RINGBUF, 0, 0, 1U << 31, 0, log,
			     sizeof(log), NULL);
	result(err == -E2BIG && strstr(log, "per-map limit"),
	       "2 GiB ring buffer: E2BIG (%d), reason \"%s\"", err, log);
	/* A log buffer of 1 byte gets just the NUL. */
	log[0] = 'x';
	err = map_create_log(KBPF_MAP_TYPE_ARRAY, 4, 65536, 1U << 20, 0, log, 1,
			     NULL);
	result(err == -E2BIG && log[0] == '\0', "a 1-byte log gets its NUL");
	expect_err(map_create_log(KBPF_MAP_TYPE_ARRAY, 4, 8, 4, 0, NULL, 16,
				  NULL), -EINVAL, "log_size without log_buf");
	expect_err(map_create_log(KBPF_MAP_TYPE_ARRAY, 4, 65536, 1U << 20, 0,
				  (char *)8, 16, NULL), -EFAULT,
		   "a reason for an unwritable log_buf: EFAULT");
}

/* max_map_memory is the budget of all maps; lowering it refuses more. */
static void check_total_budget(const char *param)
{
	char log[256] = "", old[64] = "";
	__u32 id;
	int fd, err;
	ssize_t n;

	fd = open(param, O_RDWR);
	if (fd < 0 || (n = read(fd, old, sizeof(old) - 1)) <= 0) {
		result(0, "read %s", param);
		if (fd >= 0)
			close(fd);
		return;
	}
	result(strtoull(old, NULL, 0) > 0, "max_map_memory is %s", strtok(old, "\n"));
	if (pwrite(fd, "65536", 5, 0) != 5) {
		result(0, "lower max_map_memory");
		close(fd);
		return;
	}
	err = map_create_log(KBPF_MAP_TYPE_ARRAY, 4, 1024, 128, 0, log,
			     sizeof(log), &id);
	result(err == -E2BIG && strstr(log, "limit for all maps"),
	       "a 128 KiB map over a 64 KiB total: E2BIG (%d), \"%s\"", err,
	       log);
	err = map_create(KBPF_MAP_TYPE_ARRAY, 4, 8, 16, &id);
	expect_err(err, 0, "a small map still fits");
	result(pwrite(fd, old, strlen(old), 0) == (ssize_t)strlen(old),
	       "restore max_map_memory");
	close(fd);
}

/* ---- ring buffer descriptor --------------------------------------------- */

static void check_ringbuf_fd(void)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t size = 4 * page;
	__u32 id, arr;
	void *cons, *prod;
	struct pollfd pfd;
	int fd;

	if (map_create(KBPF_MAP_TYPE_RINGBUF, 0, 0, size, &id) ||
	    map_create(KBPF_MAP_TYPE_ARRAY, 4, 8, 1, &arr)) {
		result(0, "create a ring buffer and an array");
		return;
	}
	expect_err(map_get_fd(arr, 0), -EINVAL, "GET_FD of an array");
	expect_err(map_get_fd(id, 1), -EINVAL, "GET_FD with flags");
	expect_err(map_get_fd(0x7ffffff0, 0), -ENOENT, "GET_FD of no map");
	fd = map_get_fd(id, 0);
	result(fd >= 0, "GET_FD of a ring buffer: fd %d", fd);
	if (fd < 0)
		return;
	result(fcntl(fd, F_GETFD) & FD_CLOEXEC, "the descriptor is close-on-exec");
	cons = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	result(cons != MAP_FAILED, "consumer page maps read-write");
	prod = mmap(NULL, page + 2 * size, PROT_READ, MAP_SHARED, fd, page);
	result(prod != MAP_FAILED, "producer page and data twice map read-only");
	result(mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, page) ==
	       MAP_FAILED && errno == EPERM, "producer page read-write: EPERM");
	result(mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) ==
	       MAP_FAILED && errno == EPERM, "two pages read-write: EPERM");
	result(mmap(NULL, 2 * page + 2 * size, PROT_READ, MAP_SHARED, fd, page) ==
	       MAP_FAILED && errno == EINVAL, "past the end: EINVAL");
	result(mmap(NULL, page, PROT_READ, MAP_PRIVATE, fd, 0) == MAP_FAILED,
	       "a private mapping is refused");
	if (prod != MAP_FAILED) {
		result(mprotect(prod, page, PROT_READ | PROT_WRITE) < 0,
		       "mprotect cannot make the producer page writable");
		result(*(volatile __u64 *)prod == 0, "producer_pos starts at 0");
	}
	if (cons != MAP_FAILED)
		result(*(volatile __u64 *)cons == 0, "consumer_pos starts at 0");
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	result(poll(&pfd, 1, 0) == 0, "poll: nothing to read yet");
	if (cons != MAP_FAILED)
		munmap(cons, page);
	if (prod != MAP_FAILED)
		munmap(prod, page + 2 * size);
	close(fd);
}

/* ---- read-only maps: program access flags, freeze ------------------------ */

static int map_freeze(__u32 id, __u32 flags, char *log, __u32 log_size)
{
	struct kbpf_map_freeze_attr a = {
		.hdr = { .size = sizeof(a), .flags = flags,
			 .log_buf = (uintptr_t)log, .log_size = log_size },
		.map_id = id,
	};

	if (log)
		log[0] = '\0';
	return kioctl(KBPF_IOC_MAP_FREEZE, &a);
}

static void expect_reason(const char *log, const char *want, const char *what)
{
	result(strstr(log, want) != NULL, "%s: '%s'", what, log);
}

static void check_access_flags(void)
{
	char log[256] = "";

	expect_err(map_create_log(KBPF_MAP_TYPE_HASH, 4, 8, 4,
				  KBPF_F_RDONLY_PROG | KBPF_F_WRONLY_PROG, log,
				  sizeof(log), NULL),
		   -EINVAL, "RDONLY_PROG and WRONLY_PROG together: EINVAL");
	expect_reason(log, "exclude each other", "both flags: reason");
	expect_err(map_create_log(KBPF_MAP_TYPE_RINGBUF, 0, 0,
				  sysconf(_SC_PAGESIZE), KBPF_F_RDONLY_PROG,
				  log, sizeof(log), NULL),
		   -EINVAL, "RDONLY_PROG ring buffer: EINVAL");
	expect_reason(log, "takes no RDONLY_PROG or WRONLY_PROG",
		      "ring buffer: reason");
}

/* Userspace changes after a freeze: EPERM; lookups still work. */
static void check_freeze_array(void)
{
	__u64 v = 42, out = 0;
	char log[256];
	__u32 id, k = 0;

	if (map_create_log(KBPF_MAP_TYPE_ARRAY, 4, 8, 2, KBPF_F_RDONLY_PROG,
			   NULL, 0, &id)) {
		result(0, "create an RDONLY_PROG array");
		return;
	}
	expect_err(elem(KBPF_IOC_MAP_UPDATE, id, &k, &v, KBPF_ANY), 0,
		   "update before the freeze");
	expect_err(map_freeze(id, 1, log, sizeof(log)), -EINVAL,
		   "FREEZE with flags: EINVAL");
	expect_reason(log, "unknown flags", "FREEZE with flags: reason");
	expect_err(map_freeze(0x7ffffff0, 0, log, sizeof(log)), -ENOENT,
		   "FREEZE of no map: ENOENT");
	expect_err(map_freeze(id, 0, log, sizeof(log)), 0, "FREEZE");
	v = 43;
	expect_err(elem(KBPF_IOC_MAP_UPDATE, id, &k, &v, KBPF_ANY), -EPERM,
		   "update after the freeze: EPERM");
	expect_err(elem(KBPF_IOC_MAP_DELETE, id, &k, NULL, 0), -EPERM,
		   "delete after the freeze: EPERM");
	expect_err(elem(KBPF_IOC_MAP_LOOKUP, id, &k, &out, 0), 0,
		   "lookup after the freeze");
	result(out == 42, "the value is the one before the freeze: %llu",
	       (unsigned long long)out);
	expect_err(map_freeze(id, 0, log, sizeof(log)), -EBUSY,
		   "FREEZE twice: EBUSY");
	expect_reason(log, "the map is frozen already", "FREEZE twice: reason");
}

/* A ring buffer's writable consumer page and a freeze exclude each other. */
static void check_freeze_mapped(void)
{
	long page = sysconf(_SC_PAGESIZE);
	char log[256];
	void *cons, *ro;
	__u32 id;
	int fd;

	if (map_create(KBPF_MAP_TYPE_RINGBUF, 0, 0, page, &id)) {
		result(0, "create a ring buffer");
		return;
	}
	fd = map_get_fd(id, 0);
	cons = fd < 0 ? MAP_FAILED :
	       mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (cons == MAP_FAILED) {
		result(0, "map the consumer page read-write");
		if (fd >= 0)
			close(fd);
		return;
	}
	expect_err(map_freeze(id, 0, log, sizeof(log)), -EBUSY,
		   "FREEZE while mapped writable: EBUSY");
	expect_reason(log, "mapped writable 1 time(s)",
		      "FREEZE while mapped writable: reason");
	munmap(cons, page);
	expect_err(map_freeze(id, 0, log, sizeof(log)), 0,
		   "FREEZE once unmapped");
	result(mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) ==
	       MAP_FAILED && errno == EPERM,
	       "writable mapping of a frozen map: EPERM");
	ro = mmap(NULL, page, PROT_READ, MAP_SHARED, fd, 0);
	result(ro != MAP_FAILED, "read-only mapping of a frozen map");
	if (ro != MAP_FAILED) {
		result(mprotect(ro, page, PROT_READ | PROT_WRITE) < 0,
		       "mprotect cannot make it writable");
		munmap(ro, page);
	}
	close(fd);
}

int main(void)
{
	const char *param = "/sys/module/kbpf/parameters/max_map_memory";

	setvbuf(stdout, NULL, _IOLBF, 0);
	dev = open(KBPF_DEVICE_PATH, O_RDWR);
	if (dev < 0) {
		perror(KBPF_DEVICE_PATH);
		return 2;
	}
	check_percpu();
	check_lpm();
	check_largest_maps();
	check_total_budget(param);
	check_ringbuf_fd();
	check_access_flags();
	check_freeze_array();
	check_freeze_mapped();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
