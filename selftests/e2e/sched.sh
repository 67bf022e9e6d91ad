#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Scheduling end-to-end test, run as root inside the test VM: one
# dispatcher per hook point running a chain, in the order each policy
# promises, asserted through a map the programs write; DROP ending the
# chain; prog replace in place; the deadline policy's metered budgets with
# the miss verdict and the overrun counter; admission refusals with their
# figures; a bounded loop admitted on the worst case its trip count gives
# (sched_loop.bpf.o, beside SCHED_SPIN.bpf.o); hook list and prog show;
# run-time statistics switched on and off; kbpfctl printing the same
# through /dev/kbpf's control ioctls and through netlink.
#
#   netns $ns1: veth1 10.201.0.1  --->  netns $ns2: veth2 10.201.0.2
#                                       ipv4/local_in: the chain under test
#
# Then observers (mode observe): a dropping program that cannot drop, a
# counting program that sees every packet of a flood while ping keeps
# working, and rmmod and netns deletion with a slow observer's queue full
# under traffic.
#
# usage: sched.sh SCHED_CHAIN.bpf.o SCHED_SPIN.bpf.o ACCEPT_ALL.bpf.o \
#                 DROP_ICMP_ECHO.bpf.o COUNT_PROTOCOLS.bpf.o
# environment: KBPF_KO (kbpf.ko), KBPFCTL (default: kbpfctl in PATH)

set -u
e2e_name=sched.sh
chain_obj=${1:?usage: sched.sh SCHED_CHAIN.bpf.o SCHED_SPIN.bpf.o ACCEPT_ALL.bpf.o}
spin_obj=${2:?usage: sched.sh SCHED_CHAIN.bpf.o SCHED_SPIN.bpf.o ACCEPT_ALL.bpf.o}
accept_obj=${3:?usage: sched.sh SCHED_CHAIN.bpf.o SCHED_SPIN.bpf.o ACCEPT_ALL.bpf.o DROP.bpf.o COUNT.bpf.o}
drop_obj=${4:?usage: sched.sh SCHED_CHAIN.bpf.o SCHED_SPIN.bpf.o ACCEPT_ALL.bpf.o DROP.bpf.o COUNT.bpf.o}
count_obj=${5:?usage: sched.sh SCHED_CHAIN.bpf.o SCHED_SPIN.bpf.o ACCEPT_ALL.bpf.o DROP.bpf.o COUNT.bpf.o}
loop_obj=$(dirname "$spin_obj")/sched_loop.bpf.o
loop_cb_obj=$(dirname "$spin_obj")/sched_loop_cb.bpf.o
ns1=kbpf-sched-1
ns2=kbpf-sched-2
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ctl() { pretty "$ns2" "kbpfctl $*"; ip netns exec "$ns2" "$kbpfctl" "$@"; }
ctl_out() { ip netns exec "$ns2" "$kbpfctl" "$@" 2>&1; }
ping_ok() { ping_in "$ns1" 10.201.0.2; }
# Under a flood the kernel's own backlog may drop one request: three tries.
ping_ok_flood() { ping_ok || ping_ok || ping_ok; }

setup_topology()
{
	pp modprobe veth 2>/dev/null
	pp ip netns add "$ns1" || die "create $ns1"
	pp ip netns add "$ns2" || die "create $ns2"
	pp ip link add veth1 netns "$ns1" type veth peer name veth2 netns "$ns2" ||
		die "create the veth pair"
	ip netns exec "$ns1" ip addr add 10.201.0.1/24 dev veth1
	ip netns exec "$ns2" ip addr add 10.201.0.2/24 dev veth2
	ip netns exec "$ns1" ip link set veth1 up
	ip netns exec "$ns2" ip link set veth2 up
	ip netns exec "$ns1" ip link set lo up
	ip netns exec "$ns2" ip link set lo up
	ping_ok || die "ping $ns1 -> $ns2 works before kbpf is loaded"
}

# trace[0] of sched_chain: map dump prints BTF-typed maps as "key: 0  value: N".
trace_value()
{
	local value

	value=$(ctl_out map dump name trace | sed -n 's/^key: 0  value: //p')
	echo "${value:-none}"
}

# expect_ping WANT(works|dropped) WHAT
expect_ping()
{
	if ping_ok; then
		[ "$1" = works ] && pass "$2: ping works" || fail "$2: ping must be dropped"
	else
		[ "$1" = dropped ] && pass "$2: ping dropped" || fail "$2: ping must work"
	fi
}

# expect_trace WANT WHAT: the chain wrote exactly WANT so far.
expect_trace()
{
	local got

	got=$(trace_value)
	if [ "$got" = "$1" ]; then
		pass "$2: run order trace is $1"
	else
		fail "$2: run order trace is $got, expected $1"
	fi
}

# The chain of the (only) hook point, as program names in run order.
chain_names()
{
	ctl_out -j hook list | grep -o '"prog_name":"[a-z_]*"' | cut -d'"' -f4 | tr '\n' ' '
}

expect_chain()
{
	local got

	got=$(chain_names)
	if [ "$got" = "$1" ]; then
		pass "$2: hook list shows the chain as '$1'"
	else
		fail "$2: hook list shows '$got', expected '$1'"
	fi
}

attach() { ctl prog attach "$@" || fail "prog attach $*"; }

check_chains()
{
	ctl load "$chain_obj" || die "kbpfctl load sched_chain.bpf.o"
	# Four programs at one hook point: one dispatcher, attach order.
	expect_chain "chain_a chain_b chain_c chain_d " "throughput, FIFO"
	expect_ping dropped "chain a b c d (d drops)"
	expect_trace 1234 "FIFO under throughput"

	ctl prog detach chain_d
	expect_ping works "chain a b c"
	expect_trace 1234123 "after detaching chain_d"

	for p in chain_a chain_b chain_c; do ctl prog detach "$p"; done
	attach chain_a hook ipv4/local_in sched-prio 1 deadline 300us
	attach chain_b hook ipv4/local_in sched-prio 5 deadline 200us
	attach chain_c hook ipv4/local_in sched-prio 3 deadline 100us
	attach chain_d hook ipv4/local_in sched-prio 4 deadline 150us
	expect_chain "chain_b chain_d chain_c chain_a " "throughput by sched-prio"
	expect_ping dropped "b d c a: d drops"
	expect_trace 123412324 "DROP ends the chain (c and a never ran)"

	ctl hook set ipv4/local_in policy deadline || fail "hook set policy deadline"
	expect_chain "chain_c chain_d chain_b chain_a " "deadline: EDF"
	expect_ping dropped "c d b a: d drops"
	expect_trace 12341232434 "EDF order until the drop"

	ctl prog detach chain_d
	expect_ping works "EDF chain c b a"
	expect_trace 12341232434321 "EDF order c b a"

	# chain_d takes chain_b's place: deadline 200us, between c and a.
	ctl prog replace chain_b chain_d || fail "prog replace chain_b chain_d"
	expect_chain "chain_c chain_d chain_a " "replace keeps the position"
	check "chain_d inherited chain_b's deadline and sched-prio" \
		grep -q 'sched-prio 5  budget [0-9]*  deadline 200000ns' \
		<<<"$(ctl_out prog show chain_d)"
	expect_ping dropped "after replace: d drops"
	expect_trace 1234123243432134 "replace: c then d"
	ctl prog replace chain_d chain_b || fail "prog replace chain_d chain_b"
	expect_ping works "replaced back"
	expect_trace 1234123243432134321 "replaced back: c b a"

	for p in chain_a chain_b chain_c chain_d; do ctl prog unload "$p"; done
	ctl map destroy name trace
}

# Overruns of prog $1 from prog show's "runs N accepts N drops N overruns N".
overruns_of()
{
	ctl_out prog show "$1" | sed -n 's/.*overruns \([0-9]*\).*/\1/p' | head -n 1
}

check_budgets()
{
	local n

	ctl prog load "$spin_obj" || die "prog load sched_spin.bpf.o"
	check "prog show: a tail call's worst case is unbounded" \
		grep -q 'worst_case unbounded' <<<"$(ctl_out prog show sched_spin)"
	# The hook point is still under the deadline policy (hook set above).
	attach sched_spin hook ipv4/local_in budget 200 miss drop
	expect_ping dropped "budget 200, miss drop"
	n=$(overruns_of sched_spin)
	if [ "${n:-0}" -ge 1 ]; then pass "budget overruns counted ($n)"; else fail "budget overruns counted (got '$n')"; fi
	ctl prog detach sched_spin
	attach sched_spin hook ipv4/local_in budget 200 miss accept
	expect_ping works "budget 200, miss accept"
	n=$(overruns_of sched_spin)
	if [ "${n:-0}" -ge 1 ]; then pass "overrun with miss accept counted ($n)"; else fail "overrun with miss accept counted (got '$n')"; fi
	ctl prog detach sched_spin
	attach sched_spin hook ipv4/local_in budget 100000 miss drop
	expect_ping works "budget 100000: the loop completes"
	n=$(overruns_of sched_spin)
	if [ "$n" = 0 ]; then pass "no overrun within budget"; else fail "no overrun within budget (got '$n')"; fi
}

check_admission()
{
	local worst

	ctl prog load "$accept_obj" || die "prog load accept_all.bpf.o"
	worst=$(ctl_out prog show accept_all | sed -n 's/.*worst_case \([0-9]*\).*/\1/p')
	check "prog show: accept_all's worst case is known ($worst)" [ -n "$worst" ]
	expect_refusal "known worst case over the budget" \
		"admission: prog accept_all: worst case $worst insns > budget $((worst - 1))" \
		ctl_out prog attach accept_all hook ipv4/local_in budget $((worst - 1))
	expect_refusal "program that cannot meet its own deadline" \
		"admission: prog accept_all: done at $worst insns x [0-9]+ ns = [0-9]+ ns > deadline 1 ns" \
		ctl_out prog attach accept_all hook ipv4/local_in deadline 1ns
	# sched_spin (budget 100000) stays attached: a 1us hook deadline cannot hold it.
	expect_refusal "chain over the hook deadline" \
		"admission: chain: 100000 insns x [0-9]+ ns = [0-9]+ ns > hook deadline 1000 ns" \
		ctl_out hook set ipv4/local_in deadline 1us
	check "hook deadline unchanged after the refusal" \
		grep -q 'policy deadline  deadline 10000000ns' <<<"$(ctl_out hook list)"
	attach accept_all hook ipv4/local_in budget "$worst"
	expect_ping works "accept_all admitted at budget = worst case"
	ctl prog unload accept_all
	ctl prog unload sched_spin
}

# A bounded loop is admitted on the worst case its proven trip count gives
# (the hook point is still under the deadline policy): one instruction less
# of budget is refused with the figures; at the worst case itself it runs
# with miss drop and never overruns.
check_bounded_loop()
{
	local worst n

	ctl prog load "$loop_obj" || die "prog load sched_loop.bpf.o"
	worst=$(ctl_out prog show sched_loop | sed -n 's/.*worst_case \([0-9]*\).*/\1/p')
	check "prog show: 100 iterations of a 6-8 insn loop body count ($worst insns)" \
		test "${worst:-0}" -ge 600 -a "${worst:-0}" -le 800
	expect_refusal "bounded loop over its budget" \
		"admission: prog sched_loop: worst case $worst insns > budget $((worst - 1))" \
		ctl_out prog attach sched_loop hook ipv4/local_in budget $((worst - 1))
	attach sched_loop hook ipv4/local_in budget "$worst" miss drop
	expect_ping works "bounded loop admitted at budget = worst case $worst"
	n=$(overruns_of sched_loop)
	check "the bounded loop ran ($(stat_of sched_loop runs) runs) and never overran (overruns $n)" \
		test "$n" = 0 -a "$(stat_of sched_loop runs)" -ge 1
	ctl prog unload sched_loop
}

# A bpf_loop callback with a bounded loop of its own counts that loop's
# proven trip count in every run (it was unbounded): 733 by hand from clang
# 14's code (selftests/progs/sched_loop_cb.bpf.c: the program's blocks
# 11 + 1 + 1, 8 callback runs of 4 + 10 x 8 + 6 = 90).  One instruction
# less of budget is refused; at the worst case every packet (which runs
# all 8 x 10 rounds, 732) passes with miss drop and no overrun.
check_bounded_loop_callback()
{
	local worst n

	ctl prog load "$loop_cb_obj" || die "prog load sched_loop_cb.bpf.o"
	worst=$(ctl_out prog show sched_loop_cb | sed -n 's/.*worst_case \([0-9]*\).*/\1/p')
	check "prog show: 8 runs of a callback looping 10 times count 733 ($worst insns)" \
		test "${worst:-0}" = 733
	expect_refusal "bounded loop in a callback over its budget" \
		"admission: prog sched_loop_cb: worst case 733 insns > budget 732" \
		ctl_out prog attach sched_loop_cb hook ipv4/local_in budget 732
	attach sched_loop_cb hook ipv4/local_in budget 733 miss drop
	expect_ping works "bounded loop in a callback admitted at budget = worst case 733"
	n=$(overruns_of sched_loop_cb)
	check "the callback's loop ran ($(stat_of sched_loop_cb runs) runs) and never overran (overruns $n)" \
		test "$n" = 0 -a "$(stat_of sched_loop_cb runs)" -ge 1
	ctl prog unload sched_loop_cb
}

# stat_of PROG FIELD: an attachment counter from prog show -j.
stat_of()
{
	ctl_out -j prog show "$1" | grep -o "\"$2\":[0-9]*" | head -n 1 | cut -d: -f2
}

# A counter of the first "stats" object of `kbpfctl -j ARGS...`: the
# attachment's for prog show, the hook point's for hook list.
stats_field()
{
	local field=$1

	shift
	ctl_out -j "$@" | grep -o '"stats":{[^}]*}' | head -n 1 |
		grep -o "\"$field\":[0-9]*" | cut -d: -f2
}

# A program's run_cnt ("run_cnt" of prog show -j) and its attachments' runs.
prog_run_cnt()
{
	ctl_out -j prog show "$1" | grep -o '"run_cnt":[0-9]*' | head -n 1 | cut -d: -f2
}

links_runs()
{
	ctl_out -j prog show "$1" | grep -o '"stats":{"runs":[0-9]*' |
		cut -d: -f3 | awk '{ n += $1 } END { print n + 0 }'
}

# Packets count in the run lists; an attachment's figures are what its
# lists counted, summed when read, and a program's run_cnt is its
# attachments' plus what attachments since detached or replaced ran:
# exact at every step (lists replaced, folded, freed), with no traffic in
# between.
check_prog_counts()
{
	local both in gone

	ctl prog load "$accept_obj" name count_a || die "prog load accept_all.bpf.o name count_a"
	ctl prog load "$accept_obj" name count_b || die "prog load accept_all.bpf.o name count_b"
	attach count_a hook ipv4/local_in
	attach count_a hook ipv4/local_out
	ping_ok && ping_ok
	both=$(links_runs count_a)
	check "run_cnt is the two attachments' runs ($(prog_run_cnt count_a) = $both)" \
		test "$(prog_run_cnt count_a)" = "$both" -a "$both" -ge 4
	# count_b joins local_in: count_a's counts there sit in the list just
	# unpublished, which is folded into the attachment a grace period on.
	attach count_b hook ipv4/local_in
	check "a new list keeps what the old one counted ($(prog_run_cnt count_a) = $both)" \
		test "$(prog_run_cnt count_a)" = "$both" -a "$(links_runs count_a)" = "$both"
	ctl prog detach count_b hook ipv4/local_in || fail "prog detach count_b local_in"
	ctl prog detach count_a hook ipv4/local_out || fail "prog detach count_a local_out"
	check "a detach keeps what the attachment ran ($(prog_run_cnt count_a) = $both)" \
		test "$(prog_run_cnt count_a)" = "$both"
	gone=$((both - $(links_runs count_a)))
	ping_ok
	in=$(links_runs count_a)
	check "then run_cnt grows with the attachment left ($(prog_run_cnt count_a) = $in + $gone)" \
		test "$(prog_run_cnt count_a)" = $((in + gone)) -a "$((in + gone))" -gt "$both"
	ctl prog replace count_a count_b || fail "prog replace count_a count_b"
	ping_ok
	check "after replace the old program keeps its count ($(prog_run_cnt count_a) = $((in + gone)))" \
		test "$(prog_run_cnt count_a)" = $((in + gone))
	check "and the new one counts from 0 ($(prog_run_cnt count_b) = $(links_runs count_b))" \
		test "$(prog_run_cnt count_b)" = "$(links_runs count_b)" -a \
		     "$(links_runs count_b)" -ge 1
	ctl prog unload count_b
	ctl prog unload count_a
}

# Run-time statistics (issue 7 item 7): off by default, so the throughput
# policy reads no clock and the run time stays 0; switched on over netlink
# (kbpfctl feature stats on) the attachment, the hook point and the program
# accumulate a total and a maximum; switched off by the module parameter the
# total stops growing while runs still count.
check_stats()
{
	local runs total max hook_total hook_max prog_total hook_before t0 t1

	ctl hook set ipv4/local_in policy throughput || fail "hook set policy throughput"
	ctl prog load "$accept_obj" || die "prog load accept_all.bpf.o"
	attach accept_all hook ipv4/local_in
	check "stats are off by default (feature)" \
		grep -q '^stats off$' <<<"$(ctl_out feature)"
	# The hook point's total holds what the deadline policy timed above.
	hook_before=$(stats_field run_time_ns hook list)
	ping_ok
	check "stats off: runs counted ($(stats_field runs prog show accept_all))" \
		test "$(stats_field runs prog show accept_all)" -ge 1
	check "stats off: no run time measured" \
		test "$(stats_field run_time_ns prog show accept_all)" = 0 -a \
		     "$(stats_field run_time_ns hook list)" = "$hook_before"

	ctl feature stats on || fail "feature stats on"
	check "the module parameter follows netlink" \
		grep -qx 1 /sys/module/kbpf/parameters/stats
	t0=${EPOCHREALTIME/./}
	ping_ok && ping_ok
	t1=${EPOCHREALTIME/./}
	runs=$(stats_field runs prog show accept_all)
	total=$(stats_field run_time_ns prog show accept_all)
	max=$(stats_field run_time_max_ns prog show accept_all)
	hook_total=$(stats_field run_time_ns hook list)
	hook_max=$(stats_field run_time_max_ns hook list)
	prog_total=$(ctl_out -j prog show accept_all | grep -o '"run_time_ns":[0-9]*' | head -n 1 | cut -d: -f2)
	echo "    stats on: runs $runs run_time_ns $total run_time_max_ns $max; hook point $hook_total/$hook_max; program $prog_total"
	check "stats on: the attachment's run time grows ($total ns)" test "${total:-0}" -gt 0
	check "stats on: 0 < max $max <= total $total" \
		test "${max:-0}" -gt 0 -a "${max:-0}" -le "${total:-0}"
	# Timed runs all happened between t0 and t1 (bash's clock, in us):
	# nanoseconds, not ticks.
	check "stats on: run time $total ns within the pings' $(((t1 - t0) * 1000)) ns" \
		test "${total:-0}" -le $(((t1 - t0) * 1000))
	check "stats on: the hook point's run time grows ($hook_before -> $hook_total ns)" \
		test "${hook_total:-0}" -gt "${hook_before:-0}"
	check "stats on: the hook point's 0 < max $hook_max <= total $hook_total" \
		test "${hook_max:-0}" -gt 0 -a "${hook_max:-0}" -le "${hook_total:-0}"
	check "stats on: the program's run time grows ($prog_total ns)" \
		test "${prog_total:-0}" -gt 0

	echo 0 >/sys/module/kbpf/parameters/stats || fail "stats=0 through the module parameter"
	check "feature follows the module parameter" \
		grep -q '^stats off$' <<<"$(ctl_out feature)"
	runs=$(stats_field runs prog show accept_all)
	total=$(stats_field run_time_ns prog show accept_all)
	max=$(stats_field run_time_max_ns prog show accept_all)
	hook_total=$(stats_field run_time_ns hook list)
	ping_ok && ping_ok
	check "stats off again: runs still counted" \
		test "$(stats_field runs prog show accept_all)" -gt "$runs"
	check "stats off again: the run time stops growing ($total ns)" \
		test "$(stats_field run_time_ns prog show accept_all)" = "$total" -a \
		     "$(stats_field run_time_max_ns prog show accept_all)" = "$max" -a \
		     "$(stats_field run_time_ns hook list)" = "$hook_total"
	check_transports_agree
	ctl prog unload accept_all
}

# transports_agree ARGS...: kbpfctl ARGS prints the same, and something,
# through both doors (outputs left in $tmp/via-dev and $tmp/via-netlink).
# A stray packet (IPv6 neighbour discovery on veth2) may move a counter
# between the two runs, so the pair is taken again, up to five times; a
# real difference between the doors never matches.
transports_agree()
{
	local try

	for try in 1 2 3 4 5; do
		ctl_out --via dev "$@" >"$tmp/via-dev"
		ctl_out --via netlink "$@" >"$tmp/via-netlink"
		[ -s "$tmp/via-dev" ] || return 1
		cmp -s "$tmp/via-dev" "$tmp/via-netlink" && return 0
	done
	return 1
}

# kbpfctl prints the same through the device's control ioctls as through
# netlink (--via), for every listing, the counters above included, and
# for a refusal's reason; with hook points made in an order that is not
# the one they are listed in (netdev before ipv4), an observer, a device.
check_transports_agree()
{
	local args

	attach accept_all hook netdev/ingress dev veth2 deadline 20us
	attach accept_all hook ipv4/pre_routing prio -5 mode observe sched-prio 3
	for args in "-j prog show accept_all" "-j prog list" "prog list" \
		    "-j hook list" "hook list" "-j feature" "feature" \
		    "-j map list" "-j version" "prog show nosuch" \
		    "prog attach accept_all hook ipv4/local_in"; do
		# shellcheck disable=SC2086 # the words are split on purpose
		if transports_agree $args; then
			pass "--via dev and --via netlink print the same: kbpfctl $args ($(wc -c <"$tmp/via-dev") bytes)"
		else
			fail "--via dev and --via netlink print the same: kbpfctl $args"
			diff "$tmp/via-dev" "$tmp/via-netlink" | head -n 20 | indent
		fi
	done
	ctl prog detach accept_all hook netdev/ingress dev veth2 || fail "detach from netdev/ingress"
	ctl prog detach accept_all hook ipv4/pre_routing || fail "detach from ipv4/pre_routing"
}

# flood_start SECONDS [SIZE]: back-to-back pings from $ns1, three at a
# time, in the background.  A SIZE above the MTU sends each request as a
# burst of fragments, which pre_routing sees one by one in one softirq.
flood_start()
{
	local i

	flood_pids=()
	for i in 1 2 3; do
		ip netns exec "$ns1" ping -A -q -w "$1" -s "${2:-56}" 10.201.0.2 >/dev/null 2>&1 &
		flood_pids+=($!)
	done
}

flood_wait() { wait "${flood_pids[@]}" 2>/dev/null; }

check_observers()
{
	local runs queued qdrops icmp hwm

	ctl hook set ipv4/local_in policy throughput || fail "hook set policy throughput"
	ctl prog load "$drop_obj" || die "prog load drop_icmp_echo.bpf.o"
	attach drop_icmp_echo hook ipv4/local_in mode observe
	expect_ping works "an observer's drop verdict is ignored"
	wait_for 5 test "$(stat_of drop_icmp_echo drops)" -ge 1 2>/dev/null
	check "the observer ran and returned drop ($(stat_of drop_icmp_echo drops))" \
		test "$(stat_of drop_icmp_echo drops)" -ge 1
	ctl prog unload drop_icmp_echo

	ctl prog load "$count_obj" || die "prog load count_protocols.bpf.o"
	attach count_protocols hook ipv4/local_in mode observe
	flood_start 3
	sleep 1
	check "ping works during a flood observed by count_protocols" ping_ok_flood
	flood_wait
	# Let the workers drain what is queued.
	wait_for 5 test "$(stat_of count_protocols runs)" = "$(stat_of count_protocols queued)"
	runs=$(stat_of count_protocols runs)
	queued=$(stat_of count_protocols queued)
	qdrops=$(stat_of count_protocols queue_drops)
	hwm=$(stat_of count_protocols queue_hwm)
	icmp=$(ctl_out map dump name proto_count | sed -n 's/^key: 1  value: //p')
	echo "    observer: runs $runs queued $queued queue_drops $qdrops queue_hwm $hwm, ICMP counted $icmp"
	check "the flood was observed (runs $runs > 100)" test "${runs:-0}" -gt 100
	check "every queued request ran ($runs of $queued)" test "$runs" = "$queued"
	check "the map counts what the observer ran ($icmp = $runs)" test "$icmp" = "$runs"
	ctl prog unload count_protocols
	ctl map destroy name proto_count
	ctl hook set ipv4/local_in policy default

	check_rmmod "rmmod between the observer tests"

	# A slow observer with 4-request queues at pre_routing, where each
	# 20000-byte ping arrives as 14 fragments in one burst: the queue fills
	# up, the packet path drops requests and never waits.
	pp insmod "$kbpf_ko" queue_len=4 || die "insmod $kbpf_ko queue_len=4"
	check "feature shows queue_len 4" grep -q '^queue_len 4$' <<<"$(ctl_out feature)"
	ctl prog load "$spin_obj" || die "prog load sched_spin.bpf.o"
	attach sched_spin hook ipv4/pre_routing mode observe
	flood_start 4 20000
	sleep 2
	qdrops=$(stat_of sched_spin queue_drops)
	hwm=$(stat_of sched_spin queue_hwm)
	echo "    slow observer: queue_hwm $hwm queue_drops $qdrops"
	check "the slow observer's queue filled (high-water mark $hwm = 4)" test "${hwm:-0}" -eq 4
	check "a full queue drops and counts ($qdrops queue drops)" test "${qdrops:-0}" -gt 0
	check "ping works while the observer's queue is full" ping_ok_flood
	# Module removal with requests queued and packets arriving.
	check_rmmod "rmmod with a full observer queue under a flood"
	flood_wait

	insmod_kbpf
	ctl prog load "$spin_obj" || die "prog load sched_spin.bpf.o again"
	attach sched_spin hook ipv4/local_in mode observe
	flood_start 3
	sleep 1
	pp ip netns del "$ns2"
	check "netns deletion under a flood took the attachment along" \
		test "$(attachment_count)" -eq 0
	flood_wait
	"$kbpfctl" prog unload sched_spin
	check_rmmod "rmmod after the namespace went"
}

main()
{
	e2e_begin "$chain_obj" "$spin_obj" "$accept_obj" "$drop_obj" "$count_obj" "$loop_obj" "$loop_cb_obj"
	on_exit "ip netns del $ns2"
	on_exit "ip netns del $ns1"
	setup_topology
	insmod_kbpf
	check_chains
	check_budgets
	check_admission
	check_bounded_loop
	check_bounded_loop_callback
	check_stats
	check_prog_counts
	check_observers
	pp ip netns del "$ns1"
	check_kernel_log
	e2e_end
}

main
