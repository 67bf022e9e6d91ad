// SPDX-License-Identifier: GPL-2.0
/*
 * kbpfctl trace [PROG]: stream the bpf_printk lines of one program, or of
 * every program, from the module's per-program buffers
 * (KBPF_IOC_TRACE_OPEN), each tagged with the time, CPU, program id and
 * name.  The module never makes a program wait for this reader: lines it
 * could not keep are counted and reported as "N dropped".
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "main.h"
#include "ctl.h"
#include "ringbuf.h"
#include "stream.h"

/* One line of the module, as uapi/linux/kbpf.h describes it. */
struct trace_line {
	__u64 boot_ns;
	__u32 cpu;
	__u32 prog_id;
	char name[KBPF_OBJ_NAME_LEN];
	bool dropped;			/* "! N dropped" */
	__u64 dropped_cnt;
	const char *message;
};

struct trace_ctx {
	__s64 boot_to_real_ns;
	__u64 lines;
	__u64 count;			/* stop after this many; 0: never */
};

/* "<sec>.<usec> <cpu> <id> <name>: <message>" or "... <name>! <n> dropped". */
static int parse_line(char *s, struct trace_line *l)
{
	unsigned long long sec, usec, n;
	char name[KBPF_OBJ_NAME_LEN + 1];
	unsigned int cpu, id;
	char sep;
	int used = 0;

	if (sscanf(s, "%llu.%6llu %u %u %16[^:! ]%c%n", &sec, &usec, &cpu, &id,
		   name, &sep, &used) != 6 || (sep != ':' && sep != '!'))
		return -1;
	memset(l, 0, sizeof(*l));
	l->boot_ns = sec * 1000000000ULL + usec * 1000;
	l->cpu = cpu;
	l->prog_id = id;
	snprintf(l->name, sizeof(l->name), "%.*s", KBPF_OBJ_NAME_LEN - 1, name);
	l->message = s + used + (s[used] == ' ');
	if (sep == '!') {
		if (sscanf(l->message, "%llu dropped", &n) != 1)
			return -1;
		l->dropped = true;
		l->dropped_cnt = n;
	}
	return 0;
}

static void print_time(__s64 real_ns)
{
	time_t sec = real_ns / 1000000000;
	struct tm tm;
	char buf[32];

	localtime_r(&sec, &tm);
	strftime(buf, sizeof(buf), "%H:%M:%S", &tm);
	printf("%s.%06lld", buf, (long long)(real_ns % 1000000000) / 1000);
}

static void print_line(const struct trace_ctx *c, const struct trace_line *l)
{
	__s64 real = (__s64)l->boot_ns + c->boot_to_real_ns;

	if (json_output) {
		jsonw_start_object(json_wtr);
		jsonw_int_field(json_wtr, "time_ns", real);
		jsonw_uint_field(json_wtr, "boot_ns", l->boot_ns);
		jsonw_uint_field(json_wtr, "cpu", l->cpu);
		jsonw_uint_field(json_wtr, "prog_id", l->prog_id);
		jsonw_string_field(json_wtr, "prog_name", l->name);
		if (l->dropped)
			jsonw_uint_field(json_wtr, "dropped", l->dropped_cnt);
		else
			jsonw_string_field(json_wtr, "message", l->message);
		jsonw_end_object(json_wtr);
	} else {
		print_time(real);
		printf(" cpu %u prog %u %s", l->cpu, l->prog_id, l->name);
		if (l->dropped)
			printf("! %llu lines dropped (the reader was too slow)\n",
			       (unsigned long long)l->dropped_cnt);
		else
			printf(": %s\n", l->message);
	}
	fflush(stdout);
}

/* Print every whole line of buf; 1 once count lines were printed. */
static int print_lines(struct trace_ctx *c, char *buf)
{
	struct trace_line l;
	char *line, *nl;

	for (line = buf; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl)
			break;
		*nl = '\0';
		if (parse_line(line, &l)) {
			p_info("(unparsed trace line: %s)", line);
			continue;
		}
		print_line(c, &l);
		if (!l.dropped && c->count && ++c->lines >= c->count)
			return 1;
	}
	return 0;
}

static int trace_open(__u32 prog_id)
{
	struct kbpf_trace_open_attr attr = { .size = sizeof(attr) };
	int dev, fd;

	dev = kbpf_dev_open();
	if (dev < 0)
		return -1;
	attr.prog_id = prog_id;
	attr.flags = KBPF_TRACE_NONBLOCK;
	fd = ioctl(dev, KBPF_IOC_TRACE_OPEN, &attr);
	if (fd < 0) {
		if (errno == EPERM || errno == EACCES)
			p_err(ERR_NO_PERM);
		else
			p_err("cannot open the trace of %s: %s",
			      prog_id ? "the program" : "the programs",
			      strerror(errno));
	}
	close(dev);
	return fd < 0 ? -1 : fd;
}

static __s64 clock_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (__s64)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Read until count lines, the deadline, end of file, or a signal. */
static int trace_loop(int fd, struct trace_ctx *c, int timeout_ms)
{
	__s64 deadline = timeout_ms >= 0 ?
			 clock_ns(CLOCK_MONOTONIC) / 1000000 + timeout_ms : -1;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char buf[4 * KBPF_TRACE_LINE_MAX + 1];
	__s64 left;
	ssize_t n;

	for (;;) {
		n = read(fd, buf, sizeof(buf) - 1);
		if (n > 0) {
			buf[n] = '\0';
			if (print_lines(c, buf))
				return 0;
			continue;
		}
		if (n == 0)
			return 0;	/* the program was unloaded */
		if (errno != EAGAIN && errno != EINTR) {
			p_err("reading the trace: %s", strerror(errno));
			return -1;
		}
		if (ringbuf_stop_requested())
			return 0;
		left = 1000;
		if (deadline >= 0) {
			left = deadline - clock_ns(CLOCK_MONOTONIC) / 1000000;
			if (left <= 0)
				return 0;
		}
		if (poll(&pfd, 1, left < 1000 ? left : 1000) < 0 &&
		    errno != EINTR) {
			p_err("poll: %s", strerror(errno));
			return -1;
		}
	}
}

static int trace_help(void)
{
	if (json_output) {
		jsonw_null(json_wtr);
		return 0;
	}
	fprintf(stderr,
		"Usage: %1$s trace [PROG] [count N] [timeout SECS]\n"
		"       Print what programs say with bpf_printk(), one program's or\n"
		"       every program's, each line tagged with the time, CPU, program\n"
		"       id and name.  A program never waits for this reader: lines it\n"
		"       could not keep are counted and shown as 'N lines dropped'.\n"
		"       Stops after N lines, after SECS seconds, when PROG is unloaded,\n"
		"       or on Ctrl-C.\n"
		"       PROG := { ID | NAME | id ID | name NAME }\n"
		"       " HELP_SPEC_OPTIONS "\n",
		bin_name);
	return 0;
}

int do_trace(int argc, char **argv)
{
	struct stream_limits lim = { .count = 0, .timeout_ms = -1 };
	struct trace_ctx c = { .lines = 0 };
	struct obj_ref ref = { .id = 0, .name = NULL };
	__u32 id = 0;
	int fd, ret, err;

	if (argc == 1 && is_prefix(*argv, "help"))
		return trace_help();
	/* PROG is optional: without it, every program's lines. */
	if (argc && strcmp(*argv, "count") && strcmp(*argv, "timeout") &&
	    parse_obj_ref(&argc, &argv, "prog", &ref))
		return -1;
	while (argc) {
		ret = stream_parse_limits(&argc, &argv, &lim);
		if (ret < 0)
			return -1;
		if (ret)
			return BAD_ARG();
	}
	if ((ref.id || ref.name) && kbpf_ctl_prog_id(&ref, &id))
		return -1;
	fd = trace_open(id);
	if (fd < 0)
		return -1;
	ringbuf_stop_on_signals();
	c.count = lim.count;
	c.boot_to_real_ns = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME);
	if (json_output)
		jsonw_start_array(json_wtr);
	err = trace_loop(fd, &c, lim.timeout_ms);
	if (json_output)
		jsonw_end_array(json_wtr);
	close(fd);
	return err ? -1 : 0;
}
