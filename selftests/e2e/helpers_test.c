// SPDX-License-Identifier: GPL-2.0
/*
 * The socket and trace ends of selftests/e2e/helpers.sh, built static for
 * the test VM (whose busybox has no UDP or TCP client that reports
 * ECONNREFUSED):
 *
 *   helpers_test trace PROG_ID LINES TIMEOUT_MS
 *       open KBPF_IOC_TRACE_OPEN for PROG_ID (0: all), print what read(2)
 *       returns until LINES lines or the timeout (poll(2)); exit 1 if fewer
 *   helpers_test udp-recv PORT TIMEOUT_MS      print "got N bytes, last B"
 *   helpers_test udp-send IP PORT SIZE BYTE
 *   helpers_test udp-refused IP PORT          "refused" when an ICMP port
 *       unreachable came back (ECONNREFUSED on a connected socket), else
 *       "no answer"
 *   helpers_test tcp-connect IP PORT          "connected" or "refused"
 *   helpers_test tcp-listen PORT SECONDS      accept and close, for SECONDS
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <linux/kbpf.h>

static int fail(const char *what)
{
	fprintf(stderr, "helpers_test: %s: %s\n", what, strerror(errno));
	return 1;
}

static struct sockaddr_in addr_of(const char *ip, const char *port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };

	sa.sin_port = htons((unsigned short)atoi(port));
	if (ip)
		inet_pton(AF_INET, ip, &sa.sin_addr);
	return sa;
}

static int cmd_trace(char **argv)
{
	struct kbpf_trace_open_attr attr = {
		.size = sizeof(attr),
		.prog_id = (unsigned int)atoi(argv[0]),
		.flags = KBPF_TRACE_NONBLOCK,
	};
	int want = atoi(argv[1]), timeout = atoi(argv[2]), lines = 0, dev, fd;
	char buf[4096];

	dev = open(KBPF_DEVICE_PATH, O_RDWR);
	if (dev < 0)
		return fail("open /dev/kbpf");
	fd = ioctl(dev, KBPF_IOC_TRACE_OPEN, &attr);
	if (fd < 0)
		return fail("KBPF_IOC_TRACE_OPEN");
	while (lines < want) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;
		int i;

		if (poll(&p, 1, timeout) <= 0)
			break;
		n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			break;
		fwrite(buf, 1, (size_t)n, stdout);
		for (i = 0; i < n; i++)
			lines += buf[i] == '\n';
	}
	fflush(stdout);
	return lines >= want ? 0 : 1;
}

static int cmd_udp_recv(char **argv)
{
	struct sockaddr_in sa = addr_of(NULL, argv[0]);
	struct pollfd p = { .events = POLLIN };
	static unsigned char buf[65536];
	ssize_t n;

	p.fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (p.fd < 0 || bind(p.fd, (struct sockaddr *)&sa, sizeof(sa)))
		return fail("udp bind");
	printf("listening\n");
	fflush(stdout);
	if (poll(&p, 1, atoi(argv[1])) <= 0) {
		printf("nothing\n");
		return 1;
	}
	n = recv(p.fd, buf, sizeof(buf), 0);
	if (n <= 0)
		return fail("recv");
	printf("got %zd bytes, last %u\n", n, buf[n - 1]);
	return 0;
}

static int cmd_udp_send(char **argv)
{
	struct sockaddr_in sa = addr_of(argv[0], argv[1]);
	size_t size = (size_t)atoi(argv[2]);
	unsigned char *buf = malloc(size ? size : 1);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (!buf || fd < 0)
		return fail("socket");
	memset(buf, atoi(argv[3]), size);
	if (sendto(fd, buf, size, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return fail("sendto");
	return 0;
}

static int cmd_udp_refused(char **argv)
{
	struct sockaddr_in sa = addr_of(argv[0], argv[1]);
	struct pollfd p = { .events = POLLIN };
	char c = 'x';
	int i;

	p.fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (p.fd < 0 || connect(p.fd, (struct sockaddr *)&sa, sizeof(sa)))
		return fail("udp connect");
	/* The ICMP error shows on the next operation after it arrived. */
	for (i = 0; i < 5; i++) {
		if (send(p.fd, &c, 1, 0) < 0 && errno == ECONNREFUSED)
			break;
		poll(&p, 1, 200);
		if (recv(p.fd, &c, 1, MSG_DONTWAIT) < 0 && errno == ECONNREFUSED)
			break;
	}
	printf(i < 5 ? "refused\n" : "no answer\n");
	return 0;
}

static int cmd_tcp_connect(char **argv)
{
	struct sockaddr_in sa = addr_of(argv[0], argv[1]);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		return fail("socket");
	if (!connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
		printf("connected\n");
	else if (errno == ECONNREFUSED)
		printf("refused\n");
	else
		printf("error %s\n", strerror(errno));
	return 0;
}

static int cmd_tcp_listen(char **argv)
{
	struct sockaddr_in sa = addr_of(NULL, argv[0]);
	time_t end = time(NULL) + atoi(argv[1]);
	int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		return fail("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 16))
		return fail("tcp listen");
	while (time(NULL) < end) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (poll(&p, 1, 200) > 0)
			close(accept(fd, NULL, NULL));
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int nargs;
		int (*fn)(char **argv);
	} cmds[] = {
		{ "trace", 3, cmd_trace },
		{ "udp-recv", 2, cmd_udp_recv },
		{ "udp-send", 4, cmd_udp_send },
		{ "udp-refused", 2, cmd_udp_refused },
		{ "tcp-connect", 2, cmd_tcp_connect },
		{ "tcp-listen", 2, cmd_tcp_listen },
	};
	unsigned int i;

	for (i = 0; argc > 1 && i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name) && argc == cmds[i].nargs + 2)
			return cmds[i].fn(argv + 2);
	fprintf(stderr, "usage: see selftests/e2e/helpers_test.c\n");
	return 2;
}
