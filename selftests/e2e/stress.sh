#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Lifetime stress of kbpf.ko, run as root inside the test VM: the paths
# where an attachment goes away while packets may be running through it.
#
#  - a dying network namespace drops its attachments (pernet pre_exit), for
#    several namespaces at once, each with its own traffic;
#  - 30 attach/detach cycles while a ping loop runs over loopback;
#  - `prog unload` of a program that is attached, under the same load;
#  - `rmmod kbpf` with programs attached in two namespaces and a map in use,
#    then insmod + rmmod again;
#  - the kernel log has no warning, oops or leak report (and, on a kernel
#    with kmemleak, a scan finds nothing).
#
# The drop program is examples/drop_icmp_echo (drops ICMP echo requests):
# on ipv4/local_out it makes `ping 127.0.0.1` fail at once.
#
# usage: stress.sh DROP_ICMP_ECHO.bpf.o COUNT_PROTOCOLS.bpf.o
# environment: KBPF_KO (kbpf.ko), KBPFCTL (default: kbpfctl in PATH),
#   STRESS_CYCLES (attach/detach cycles, default 30)

set -u
e2e_name=stress.sh
usage="usage: stress.sh DROP_ICMP_ECHO.bpf.o COUNT_PROTOCOLS.bpf.o"
drop_obj=${1:?$usage}
count_obj=${2:?$usage}
cycles=${STRESS_CYCLES:-30}
prog=drop_icmp_echo
hook=ipv4/local_out
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ctl() { "$kbpfctl" "$@" >/dev/null 2>"$tmp/ctl.err" || { cat "$tmp/ctl.err" >&2; return 1; }; }
ctl_in() { local ns=$1; shift; ip netns exec "$ns" "$kbpfctl" "$@" >/dev/null; }

ping_loop_pid=
# Ping 127.0.0.1 without pause until stop_ping_load; counts go to $tmp/pings.
start_ping_load()
{
	: >"$tmp/pings"
	(
		while :; do
			if ping_in "" 127.0.0.1; then echo ok; else echo dropped; fi
		done >>"$tmp/pings"
	) &
	ping_loop_pid=$!
	on_exit "kill $ping_loop_pid"
}

stop_ping_load()
{
	kill "$ping_loop_pid" 2>/dev/null
	wait "$ping_loop_pid" 2>/dev/null
	echo "    ping load: $(grep -c ok "$tmp/pings") passed, $(grep -c dropped "$tmp/pings") dropped"
}

check_drop_and_detach()
{
	ctl prog load "$drop_obj" || die "kbpfctl prog load $drop_obj"
	ctl prog attach "$prog" hook "$hook" || die "kbpfctl prog attach $prog hook $hook"
	check_not "ping 127.0.0.1 is dropped with $prog on $hook" ping_in "" 127.0.0.1
	check "kbpfctl prog detach" ctl prog detach "$prog"
	check "ping 127.0.0.1 works after detach" ping_in "" 127.0.0.1
}

# Attach in N namespaces, ping in each (dropped), delete them all: their
# attachments must go, and only theirs.
check_netns_teardown()
{
	local n=5 i dropped=0

	ctl prog attach "$prog" hook ipv4/local_in || die "attach $prog in the initial namespace"
	for i in $(seq $n); do
		ip netns add "kbpf-stress-$i" || die "ip netns add kbpf-stress-$i"
		on_exit "ip netns del kbpf-stress-$i"
		ip -n "kbpf-stress-$i" link set lo up
		ctl_in "kbpf-stress-$i" prog attach "$prog" hook "$hook" ||
			die "attach $prog in kbpf-stress-$i"
		ping_in "kbpf-stress-$i" 127.0.0.1 || dropped=$((dropped + 1))
	done
	check "$n namespaces plus the initial one: $((n + 1)) attachments" attachments_are $((n + 1))
	check "ping is dropped inside each of the $n namespaces" test $dropped -eq $n
	for i in $(seq $n); do
		pp ip netns del "kbpf-stress-$i"
	done
	# Namespaces die in a workqueue after the last reference goes.
	check "deleting the namespaces drops their attachments (1 left)" \
		wait_for 15 attachments_are 1
	check "the initial namespace keeps its attachment" \
		grep -q "attached ipv4/local_in" <<<"$("$kbpfctl" prog list 2>&1)"
	ctl prog detach "$prog"
}

check_cycles_under_load()
{
	local i errs=0

	start_ping_load
	pretty "" "$cycles x { prog attach $prog hook $hook; prog detach $prog } under ping load"
	for i in $(seq "$cycles"); do
		ctl prog attach "$prog" hook "$hook" || errs=$((errs + 1))
		ctl prog detach "$prog" || errs=$((errs + 1))
	done
	check "$cycles attach/detach cycles under ping load succeed" test $errs -eq 0
	check "no attachment left after the cycles" attachments_are 0

	# Unload while attached, with packets still flowing.
	ctl prog attach "$prog" hook "$hook" || fail "attach before unload"
	sleep 0.3
	check "kbpfctl prog unload of an attached program, under ping load" ctl prog unload "$prog"
	stop_ping_load
	check "prog list is empty after unloading an attached program" test "$(prog_count)" -eq 0
	check "ping works after the unload" ping_in "" 127.0.0.1
	if grep -q ok "$tmp/pings" && grep -q dropped "$tmp/pings"; then
		pass "the ping load saw both passing and dropped pings"
	else
		fail "the ping load saw both passing and dropped pings"
	fi
}

# rmmod must detach and free everything: programs attached in two
# namespaces (one still alive), a program holding a map.
check_rmmod_while_attached()
{
	ip netns add kbpf-stress-live || die "ip netns add kbpf-stress-live"
	on_exit "ip netns del kbpf-stress-live"
	ip -n kbpf-stress-live link set lo up
	ctl prog load "$drop_obj" || die "kbpfctl prog load $drop_obj"
	ctl prog attach "$prog" hook "$hook" || die "attach $prog"
	ctl_in kbpf-stress-live prog attach "$prog" hook "$hook" || die "attach $prog in kbpf-stress-live"
	ctl load "$count_obj" || die "kbpfctl load $count_obj"
	check "before rmmod: 3 attachments, ping dropped" \
		eval 'attachments_are 3 && ! ping_in "" 127.0.0.1'
	check_rmmod "rmmod with programs attached in two namespaces and a map in use"
	check "ping works after rmmod" ping_in "" 127.0.0.1
	check "ping works in the live namespace after rmmod" ping_in kbpf-stress-live 127.0.0.1
	pp ip netns del kbpf-stress-live

	insmod_kbpf
	check "the reloaded module starts empty" test "$(prog_count)" -eq 0
	check_rmmod "rmmod of the reloaded module"
}

main()
{
	e2e_begin "$drop_obj" "$count_obj"
	insmod_kbpf
	check_drop_and_detach
	check_netns_teardown
	check_cycles_under_load
	check_rmmod_while_attached
	check_kernel_log
	e2e_end
}

main
