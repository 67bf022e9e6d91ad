#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kbpf end-to-end test, run as root inside the test VM (selftests/e2e/run
# boots it with selftests/vm/run).  It drives the real path: insmod kbpf.ko,
# kbpfctl loads the example over /dev/kbpf and attaches it over netlink, the
# netfilter hook drops pings, detach and unload undo it, rmmod leaves nothing
# behind, and bad inputs get their one-line errors without side effects.
#
#   +----------------------+              +-------------------------------+
#   | netns $ns1           |              | netns $ns2                    |
#   |                      |              |                               |
#   |  veth1 10.200.0.1/24 |<--- veth --->|  veth2 10.200.0.2/24          |
#   |                      |              |                               |
#   |  ping 10.200.0.2 ------------------->  ipv4/local_in:               |
#   |                      |              |    drop_icmp_echo (kbpf)      |
#   +----------------------+              +-------------------------------+
#
# The addresses exist only inside the VM.
#
# usage: netfilter.sh DROP_ICMP_ECHO.bpf.o UNKNOWN_SECTION.bpf.o
#   DROP_ICMP_ECHO.bpf.o   examples/drop_icmp_echo.bpf.c, built
#   UNKNOWN_SECTION.bpf.o  an object whose program is in SEC("xdp")
# environment: KBPF_KO (kbpf.ko), KBPFCTL (default: kbpfctl in PATH)

set -u
e2e_name=netfilter.sh
drop_obj=${1:?usage: netfilter.sh DROP_ICMP_ECHO.bpf.o UNKNOWN_SECTION.bpf.o}
xdp_obj=${2:?usage: netfilter.sh DROP_ICMP_ECHO.bpf.o UNKNOWN_SECTION.bpf.o}
prog=drop_icmp_echo
ns1=kbpf-e2e-1
ns2=kbpf-e2e-2
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

n1() { pretty "$ns1" "$*"; ip netns exec "$ns1" "$@"; }
n2() { pretty "$ns2" "$*"; ip netns exec "$ns2" "$@"; }
ctl() { n2 "$kbpfctl" "$@"; }
# Like ctl, but for $(...): only kbpfctl's own output is captured.
ctl_out() { pretty "$ns2" "$kbpfctl $*"; ip netns exec "$ns2" "$kbpfctl" "$@" 2>&1; }

ping_from_ns1()
{
	pretty "$ns1" "ping -c 1 -W 2 10.200.0.2"
	ping_in "$ns1" 10.200.0.2
}

# The registry as JSON, to compare before and after a failed command.
prog_list_json() { ip netns exec "$ns2" "$kbpfctl" -j prog list 2>&1; }

setup_topology()
{
	# veth may be built in (KUnit kernel): let `ip link add` be the judge.
	pp modprobe veth 2>/dev/null
	pp ip netns add "$ns1" || die "create $ns1"
	pp ip netns add "$ns2" || die "create $ns2"
	pp ip link add veth1 netns "$ns1" type veth peer name veth2 netns "$ns2" ||
		die "create the veth pair"
	n1 ip addr add 10.200.0.1/24 dev veth1
	n2 ip addr add 10.200.0.2/24 dev veth2
	n1 ip link set lo up
	n2 ip link set lo up
	n1 ip link set veth1 up
	n2 ip link set veth2 up
	# Without a program, ping must work, or a "drop" below proves nothing.
	ping_from_ns1 || die "ping $ns1 -> $ns2 works before kbpf is loaded"
	pass "ping $ns1 -> $ns2 works before kbpf is loaded"
}

# expect_error TEXT REGEX CMD...: CMD fails, prints exactly one line on
# stderr matching REGEX (and nothing on stdout), and the registry does not
# change.
expect_error()
{
	local what=$1 regex=$2 before after err nlines

	shift 2
	before=$(prog_list_json)
	pretty "$ns2" "$* (must fail)"
	if ip netns exec "$ns2" "$@" >"$tmp/out" 2>"$tmp/err"; then
		fail "$what: command succeeded"
		return
	fi
	err=$(cat "$tmp/err")
	nlines=$(wc -l <"$tmp/err")
	echo "    stderr: $err"
	after=$(prog_list_json)
	if [ "$nlines" -ne 1 ] || ! grep -Eq -- "$regex" "$tmp/err"; then
		fail "$what: want one line matching /$regex/, got $nlines line(s)"
	elif [ -s "$tmp/out" ]; then
		fail "$what: unexpected stdout: $(head -n 3 "$tmp/out")"
	elif [ "$before" != "$after" ]; then
		fail "$what: prog list changed: '$before' -> '$after'"
	else
		pass "$what: one-line error, prog list unchanged"
	fi
}

check_bad_inputs()
{
	printf 'this is not an ELF file\n' >"$tmp/not-elf.bpf.o"
	chmod 0644 "$tmp/not-elf.bpf.o"
	chmod 0755 "$tmp"

	expect_error "missing file" \
		"^Error: cannot open '$tmp/missing.bpf.o': No such file or directory$" \
		"$kbpfctl" load "$tmp/missing.bpf.o"
	expect_error "not an ELF file" \
		"^Error: '$tmp/not-elf.bpf.o' is not a BPF ELF object" \
		"$kbpfctl" load "$tmp/not-elf.bpf.o"
	expect_error "unknown section" \
		"^Error: .*unknown section 'xdp'" \
		"$kbpfctl" load "$xdp_obj"
	expect_error "unprivileged load" \
		"^Error: permission denied" \
		su -s /bin/sh nobody -c "$kbpfctl load $drop_obj"
	expect_error "unprivileged unload" \
		"^Error: permission denied" \
		su -s /bin/sh nobody -c "$kbpfctl prog unload $prog"
}

# The program is listed in $ns2's view with its attachment (or without).
expect_listed()
{
	local what=$1 want_attached=$2 out

	out=$(ctl_out prog list)
	indent <<<"$out"
	if ! echo "$out" | grep -Eq "^[0-9]+: .*name $prog "; then
		fail "$what: $prog not in prog list"
	elif [ "$want_attached" = yes ] && ! echo "$out" | grep -q 'attached ipv4/local_in'; then
		fail "$what: $prog not attached to ipv4/local_in"
	elif [ "$want_attached" = no ] && echo "$out" | grep -q 'attached '; then
		fail "$what: $prog still attached"
	else
		pass "$what"
	fi
}

check_load_drop_detach_unload()
{
	local out

	ctl load "$drop_obj" || die "kbpfctl load $drop_obj"
	pass "kbpfctl load $drop_obj"
	expect_listed "prog list shows $prog attached to ipv4/local_in" yes
	if ping_from_ns1; then
		fail "ping $ns1 -> $ns2 is dropped while $prog is attached"
	else
		pass "ping $ns1 -> $ns2 is dropped while $prog is attached"
	fi

	check_bad_inputs

	if ctl prog detach "$prog"; then
		pass "kbpfctl prog detach $prog"
	else
		fail "kbpfctl prog detach $prog"
	fi
	expect_listed "prog list shows $prog loaded but detached" no
	if ping_from_ns1; then
		pass "ping $ns1 -> $ns2 works again after detach"
	else
		fail "ping $ns1 -> $ns2 works again after detach"
	fi

	if ctl prog unload "$prog"; then
		pass "kbpfctl prog unload $prog"
	else
		fail "kbpfctl prog unload $prog"
	fi
	out=$(ctl_out prog list)
	if [ -z "$out" ]; then
		pass "prog list is empty after unload"
	else
		fail "prog list is empty after unload, got: $out"
	fi
}

check_module_unload()
{
	if pp rmmod kbpf; then
		pass "rmmod kbpf"
	else
		fail "rmmod kbpf"
	fi
	if [ -e /sys/module/kbpf ] || [ -e /dev/kbpf ]; then
		fail "kbpf is gone after rmmod (/sys/module/kbpf, /dev/kbpf)"
	else
		pass "kbpf is gone after rmmod"
	fi
	expect_error "module not loaded" \
		"^Error: kbpf module not loaded" \
		"$kbpfctl" prog list
}

main()
{
	e2e_begin "$drop_obj" "$xdp_obj"
	on_exit "ip netns del $ns2"
	on_exit "ip netns del $ns1"

	setup_topology
	pp insmod "$kbpf_ko" || die "insmod $kbpf_ko"
	pass "insmod kbpf.ko"
	if [ -c /dev/kbpf ]; then
		pass "/dev/kbpf exists"
	else
		fail "/dev/kbpf exists"
	fi
	check_load_drop_detach_unload
	# rmmod with the namespaces still alive, then tear them down.
	check_module_unload
	pp ip netns del "$ns1"
	pp ip netns del "$ns2"
	check_kernel_log
	e2e_end
}

main
