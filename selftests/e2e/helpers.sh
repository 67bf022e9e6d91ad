#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The helpers on live hooks, between two network namespaces joined by veth
# (server hesrv 10.203.0.1, client hecli 10.203.0.2), programs loaded and
# attached in the server's namespace:
#
#  - trace: bpf_printk per ICMP packet after writing ctx->mark; the lines
#    read back through KBPF_IOC_TRACE_OPEN carry time, CPU, program id and
#    name, and the mark the program wrote;
#  - packet writes: UDP to port 7000 is rewritten to 7001 with its checksum
#    fixed, and a socket on 7001 receives it (the stack accepted it);
#  - skb_load_bytes past the linear part: a 4000-byte UDP datagram (sent in
#    fragments, reassembled before local_in) has its last byte read;
#  - reject: TCP to 7100 is refused (reset) and UDP to 7101 gets an ICMP
#    port unreachable, although sockets listen on both; TCP to 7102 connects;
#  - tail call + bpf_loop: the attached program's tail call reaches the
#    program in its prog_array, whose bpf_loop sums 1..4.
#
# usage: helpers.sh PROGS_DIR HELPERS_TEST
# environment: KBPF_KO (kbpf.ko), KBPFCTL (default: kbpfctl in PATH)

set -u
e2e_name=helpers.sh
usage="usage: helpers.sh PROGS_DIR HELPERS_TEST"
progs=${1:?$usage}
ht=${2:?$usage}
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SRV=10.203.0.1
CLI=10.203.0.2
in_srv() { "$(command -v ip)" netns exec hesrv "$@"; }
in_cli() { "$(command -v ip)" netns exec hecli "$@"; }
srv_ctl() { pretty srv "kbpfctl $*"; in_srv "$kbpfctl" "$@"; }

setup_namespaces()
{
	ip netns add hesrv && ip netns add hecli || die "create namespaces"
	on_exit "ip netns del hesrv; ip netns del hecli"
	ip link add hev0 netns hesrv type veth peer name hev1 netns hecli ||
		die "create the veth pair"
	in_srv ip addr add "$SRV/24" dev hev0
	in_cli ip addr add "$CLI/24" dev hev1
	in_srv ip link set hev0 up
	in_cli ip link set hev1 up
	in_srv ip link set lo up
	in_cli ip link set lo up
	in_cli ping -c 1 -W 2 "$SRV" >/dev/null || die "the namespaces reach each other"
}

unload()
{
	srv_ctl prog unload "$1" >/dev/null || fail "unload $1"
}

test_trace()
{
	local out re

	srv_ctl load "$progs/helpers_trace.bpf.o" || { fail "load helpers_trace.bpf.o"; return; }
	in_cli ping -c 2 -W 2 "$SRV" >/dev/null
	out=$(in_srv "$ht" trace 0 2 3000)
	indent <<<"$out"
	re='^[0-9]+\.[0-9]{6} [0-9]+ [0-9]+ trace_icmp: icmp len 84 mark 2a ttl 64$'
	check "trace: two lines with time, cpu, id, name and the written mark" \
		test "$(grep -Ec "$re" <<<"$out")" = 2
	unload trace_icmp
	check "trace: a one-program descriptor of an unloaded program is refused" \
		test "$(in_srv "$ht" trace 1 1 100 2>&1 | grep -c 'No such file')" = 1
}

test_packet_writes()
{
	local out

	srv_ctl load "$progs/helpers_pkt.bpf.o" || { fail "load helpers_pkt.bpf.o"; return; }
	in_srv "$ht" udp-recv 7001 4000 >"$tmp/recv" &
	sleep 0.5
	in_cli "$ht" udp-send "$SRV" 7000 100 7
	wait
	indent <"$tmp/recv"
	check "store_bytes + l4_csum_replace: the datagram for 7000 arrives on 7001" \
		grep -q '^got 100 bytes, last 7$' "$tmp/recv"

	in_srv "$ht" udp-recv 7002 4000 >"$tmp/recv" &
	sleep 0.5
	in_cli "$ht" udp-send "$SRV" 7002 4000 9
	wait
	indent <"$tmp/recv"
	out=$(in_srv "$kbpfctl" -j map lookup seen key 0 0 0 0 2>&1)
	indent <<<"$out"
	check "skb_load_bytes: the 4028-byte datagram was seen whole" \
		grep -q '"len":4028' <<<"$out"
	check "skb_load_bytes: its linear part was shorter" \
		test "$(sed -n 's/.*"headlen":\([0-9]*\).*/\1/p' <<<"$out")" -lt 4028
	check "skb_load_bytes: returned 0 and read the last byte (9)" \
		grep -q '"err":0,"last":9' <<<"$out"
	unload pkt_helpers
}

test_reject()
{
	local tcp_rej udp_rej tcp_ok

	srv_ctl load "$progs/helpers_reject.bpf.o" || { fail "load helpers_reject.bpf.o"; return; }
	in_srv "$ht" tcp-listen 7100 4 &
	in_srv "$ht" tcp-listen 7102 4 &
	in_srv "$ht" udp-recv 7101 4000 >/dev/null &
	sleep 0.5
	tcp_rej=$(in_cli "$ht" tcp-connect "$SRV" 7100 2>&1)
	udp_rej=$(in_cli "$ht" udp-refused "$SRV" 7101 2>&1)
	tcp_ok=$(in_cli "$ht" tcp-connect "$SRV" 7102 2>&1)
	wait
	check "reject: TCP to 7100 is reset (got: $tcp_rej)" test "$tcp_rej" = refused
	check "reject: UDP to 7101 gets a port unreachable (got: $udp_rej)" \
		test "$udp_rej" = refused
	check "reject: TCP to 7102 (not rejected) connects (got: $tcp_ok)" \
		test "$tcp_ok" = connected
	unload reject_ports
}

test_tail_call()
{
	local out

	srv_ctl load "$progs/helpers_tail.bpf.o" || { fail "load helpers_tail.bpf.o"; return; }
	in_cli ping -c 3 -W 2 "$SRV" >/dev/null
	out=$(in_srv "$kbpfctl" map dump counts 2>&1)
	indent <<<"$out"
	check "tail call: the target ran, the fall-through never did, bpf_loop summed 10" \
		test "$(in_srv "$kbpfctl" -j map lookup counts key 1 0 0 0 2>&1 | grep -c '"value":0\b')$(in_srv "$kbpfctl" -j map lookup counts key 2 0 0 0 2>&1 | grep -c '"value":10\b')" = 11
	unload tail_entry
	unload tail_target
}

e2e_begin
# What KBPF_NF_REJECT answers with; kbpf.ko also asks for them itself.
modprobe -q nf_reject_ipv4
modprobe -q nf_reject_ipv6
insmod_kbpf
setup_namespaces
test_trace
test_packet_writes
test_reject
test_tail_call
check_kernel_log
check_rmmod "rmmod after the helpers tests"
e2e_end
