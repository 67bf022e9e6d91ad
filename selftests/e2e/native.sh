#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Ahead-of-time compiled programs in the VM: a module built on the host by
# `kbpfctl prog build` from examples/drop_icmp_echo.bpf.c registers with
# kbpf.ko, the same program loaded with kbpfctl then runs as native code
# (prog list says so) and drops pings exactly as the interpreter does, and
# the module stays pinned while the program exists.
#
#   netns $ns1 (10.200.1.1) --veth-- netns $ns2 (10.200.1.2, ipv4/local_in:
#   drop_icmp_echo, native)
#
# Then examples/hello.bpf.c (bpf_printk, its format in .rodata) natively:
# the same trace lines as the interpreter's, and a module whose embedded
# .rodata differs is not bound to it.  Then examples/rate_limit.bpf.c: its
# classifier tail-calls (interpreted), its ICMP limiter runs natively.
#
# usage: native.sh DROP.bpf.o NATIVE.ko BAD_NATIVE.ko HELLO.bpf.o HELLO.ko
#                  OTHER_HELLO.ko RATE_LIMIT.bpf.o RL_ICMP.ko
#   NATIVE.ko      kbpf_prog_drop_icmp_echo.ko built for this kernel
#   BAD_NATIVE.ko  the same with its embedded bytecode broken: the verifier
#                  must refuse it at insmod
#   HELLO.ko       kbpf_prog_hello.ko built for this kernel
#   OTHER_HELLO.ko the same with another format string in its .rodata
#   RL_ICMP.ko     kbpf_prog_rl_icmp.ko, built from RATE_LIMIT.bpf.o
#   EMBEDDED.ko    optional: a KBPF_PROFILE=embedded kbpf.ko for this
#                  kernel (its exports are the same): NATIVE.ko registers
#                  with it too, from its pool
# environment: KBPF_KO, KBPFCTL

set -u
e2e_name=native.sh
usage="usage: native.sh DROP.bpf.o NATIVE.ko BAD_NATIVE.ko HELLO.bpf.o HELLO.ko OTHER_HELLO.ko RATE_LIMIT.bpf.o RL_ICMP.ko"
drop_obj=${1:?$usage}
native_ko=${2:?$usage}
bad_ko=${3:?$usage}
hello_obj=${4:?$usage}
hello_ko=${5:?$usage}
other_hello_ko=${6:?$usage}
rl_obj=${7:?$usage}
rl_icmp_ko=${8:?$usage}
embedded_ko=${9:-}
prog=drop_icmp_echo
native_mod=kbpf_prog_drop_icmp_echo
ns1=kbpf-native-1
ns2=kbpf-native-2
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

n1() { pretty "$ns1" "$*"; ip netns exec "$ns1" "$@"; }
n2() { pretty "$ns2" "$*"; ip netns exec "$ns2" "$@"; }
ctl_out() { pretty "$ns2" "$kbpfctl $*"; ip netns exec "$ns2" "$kbpfctl" "$@" 2>&1; }
module_loaded() { grep -q "^$1 " /proc/modules; }

setup_topology()
{
	pp modprobe veth 2>/dev/null
	pp ip netns add "$ns1" || die "create $ns1"
	pp ip netns add "$ns2" || die "create $ns2"
	on_exit ip netns del "$ns1"
	on_exit ip netns del "$ns2"
	pp ip link add veth1 netns "$ns1" type veth peer name veth2 netns "$ns2" ||
		die "create the veth pair"
	n1 ip addr add 10.200.1.1/24 dev veth1
	n2 ip addr add 10.200.1.2/24 dev veth2
	n1 ip link set veth1 up
	n2 ip link set veth2 up
	ping_in "$ns1" 10.200.1.2 || die "ping works before kbpf is loaded"
}

check_without_kbpf()
{
	local out

	out=$(insmod "$native_ko" 2>&1)
	if module_loaded "$native_mod"; then
		fail "a native module refuses to load without kbpf"
		rmmod "$native_mod"
	elif dmesg | grep -q "kbpf is not loaded (modprobe kbpf)"; then
		pass "a native module refuses to load without kbpf, saying so"
	else
		fail "no 'kbpf is not loaded' message: $out"
	fi
}

check_bad_bytecode()
{
	insmod "$bad_ko" 2>/dev/null
	if module_loaded "$native_mod"; then
		fail "broken embedded bytecode is refused at insmod"
		rmmod "$native_mod"
	elif dmesg | grep -q "native program $prog refused by the verifier"; then
		pass "broken embedded bytecode is refused at insmod by the verifier"
	else
		fail "no verifier refusal in the kernel log"
	fi
}

# shows_engine [-j] TEXT: `prog show` of the program, seen from $ns2, says TEXT.
shows_engine()
{
	ip netns exec "$ns2" "$kbpfctl" $1 prog show name "$prog" 2>&1 | grep -qF -- "$2"
}

# run_verdict PACKET: the verdict `kbpfctl prog run` reports.  Objects are
# found by name in the namespace that loaded them (uapi: Permissions).
run_verdict()
{
	ip netns exec "$ns2" "$kbpfctl" prog run "$prog" --data "$1" --repeat 100 2>&1 |
		sed -n 's/^retval [0-9]* (\(.*\))$/\1/p'
}

check_native_runs()
{
	local out

	pp insmod "$native_ko" || die "insmod $native_ko"
	check "registration is logged" \
		sh -c "dmesg | grep -q 'native program $prog registered by $native_mod'"
	check_not "kbpf cannot be removed while a native module uses it" rmmod kbpf
	n2 "$kbpfctl" load "$drop_obj" || die "kbpfctl load $drop_obj"
	out=$(ctl_out prog list)
	indent <<<"$out"
	if echo "$out" | grep -q "name $prog .*engine native ($native_mod)"; then
		pass "prog list: $prog runs as native code in $native_mod"
	else
		fail "prog list does not show engine native ($native_mod)"
	fi
	check "json says engine native" shows_engine -j '"engine":"native"'
	check_not "ping is dropped by the native program" ping_in "$ns1" 10.200.1.2
	check "echo request: drop (native test run)" \
		test "$(run_verdict "$echo_req")" = drop
	check "echo reply: accept (native test run)" \
		test "$(run_verdict "$echo_reply")" = accept
	check_not "the native module cannot be removed while bound" \
		rmmod "$native_mod"
	check "the native module is still loaded" module_loaded "$native_mod"
	n2 "$kbpfctl" prog unload "$prog"
	check "ping passes after unload" ping_in "$ns1" 10.200.1.2
	check "the native module can be removed once unbound" \
		rmmod "$native_mod"
}

check_interpreter_again()
{
	n2 "$kbpfctl" load "$drop_obj" || die "kbpfctl load $drop_obj"
	check "without the module the interpreter runs it" \
		shows_engine "" 'engine interpreter'
	check_not "ping is dropped by the interpreter too" ping_in "$ns1" 10.200.1.2
	check "echo request: drop (interpreter)" \
		test "$(run_verdict "$echo_req")" = drop
	n2 "$kbpfctl" prog unload "$prog"
}

# Programs leave their maps behind; the next load makes its own.
unload_hello()
{
	n2 "$kbpfctl" prog unload hello
	n2 "$kbpfctl" map destroy hello.rodata
}

# hello_lines: three pings, then the messages of hello's three trace lines.
hello_lines()
{
	local i

	for i in 1 2 3; do
		ping_in "$ns1" 10.200.1.2 || echo "ping $i lost" >&2
	done
	ip netns exec "$ns2" "$kbpfctl" trace hello count 3 timeout 10 2>&1 |
		sed -n 's/^.* prog [0-9]* hello: //p'
}

check_hello_native()
{
	local native interp want

	want=$(printf 'hello: proto 1 len 84\n%.0s' 1 2 3)
	pp insmod "$other_hello_ko" || { fail "insmod $other_hello_ko"; return; }
	n2 "$kbpfctl" load "$hello_obj" || die "kbpfctl load $hello_obj"
	check "hello with other .rodata in the module: not bound, interpreted" \
		shows_hello_engine 'engine interpreter'
	unload_hello
	pp rmmod kbpf_prog_hello

	pp insmod "$hello_ko" || { fail "insmod $hello_ko"; return; }
	n2 "$kbpfctl" load "$hello_obj" || die "kbpfctl load $hello_obj"
	check "hello (bpf_printk, .rodata) runs as native code" \
		shows_hello_engine 'engine native (kbpf_prog_hello)'
	native=$(hello_lines)
	indent <<<"$native"
	unload_hello
	check "the hello module can be removed once unbound" rmmod kbpf_prog_hello

	n2 "$kbpfctl" load "$hello_obj" || die "kbpfctl load $hello_obj"
	check "hello without its module: interpreted" \
		shows_hello_engine 'engine interpreter'
	interp=$(hello_lines)
	unload_hello
	check "native hello traces 3 lines 'hello: proto 1 len 84'" \
		test "$native" = "$want"
	check "native and interpreted hello trace the same lines" \
		test "$native" = "$interp"
}

# Registration's scratch maps are charged to the module-wide map budget
# while they exist: at max_map_memory = in use + the map's size the module
# registers and the program still loads (the scratch map was given back);
# one byte less and the insmod is refused, saying why.
check_scratch_budget()
{
	local param=/sys/module/kbpf/parameters/max_map_memory old line bytes used

	old=$(cat "$param")
	echo 1 >"$param"
	insmod "$hello_ko" 2>/dev/null
	echo "$old" >"$param"
	line=$(dmesg | grep "native program hello: map hello.rodata: map of" | tail -n 1)
	indent <<<"$line"
	if module_loaded kbpf_prog_hello; then
		fail "a registration over the map budget is refused"
		rmmod kbpf_prog_hello
		return
	fi
	bytes=$(sed -n 's/.*map of \([0-9]*\) bytes is over the limit for all maps: \([0-9]*\) of .*/\1/p' <<<"$line")
	used=$(sed -n 's/.*map of \([0-9]*\) bytes is over the limit for all maps: \([0-9]*\) of .*/\2/p' <<<"$line")
	if [ -z "$bytes" ] || [ -z "$used" ]; then
		fail "no map budget refusal in the kernel log"
		return
	fi
	pass "registration over the map budget is refused: $bytes bytes with $used in use"
	echo $((used + bytes - 1)) >"$param"
	check_not "one byte under the bound: refused" insmod "$hello_ko"
	module_loaded kbpf_prog_hello && pp rmmod kbpf_prog_hello
	echo $((used + bytes)) >"$param"
	check "at the bound: the module registers" insmod "$hello_ko"
	n2 "$kbpfctl" load "$hello_obj"
	check "and the scratch map was given back: hello loads at the bound" \
		shows_hello_engine 'engine native (kbpf_prog_hello)'
	echo "$old" >"$param"
	unload_hello
	module_loaded kbpf_prog_hello && pp rmmod kbpf_prog_hello
}

# rate_limit: the classifier (tail calls) interpreted, rl_icmp native.
check_tail_call_target()
{
	local out passed dropped answered

	pp insmod "$rl_icmp_ko" || { fail "insmod $rl_icmp_ko"; return; }
	n2 "$kbpfctl" load "$rl_obj" || die "kbpfctl load $rl_obj"
	out=$(ctl_out prog list)
	indent <<<"$out"
	check "rate_limit's classifier runs in the interpreter" \
		grep -q "name rate_limit .*engine interpreter" <<<"$out"
	check "its tail-call target rl_icmp runs as native code" \
		grep -q "name rl_icmp .*engine native (kbpf_prog_rl_icmp)" <<<"$out"
	answered=$(ip netns exec "$ns1" ping -c 20 -i 0.1 -W 1 10.200.1.2 2>&1 |
		sed -n 's/.* \([0-9]*\) packets received.*/\1/p')
	out=$(ctl_out map lookup rl_stats key 1 0 0 0)
	indent <<<"$out"
	passed=$(sed -n 's/.*"passed":\([0-9]*\).*/\1/p' <<<"$out")
	dropped=$(sed -n 's/.*"dropped":\([0-9]*\).*/\1/p' <<<"$out")
	check "20 requests through the native limiter: passed ${passed:-?} + dropped ${dropped:-?}" \
		test "$((${passed:-0} + ${dropped:-0}))" = 20
	# 2 s of pings: the burst of 5 plus 2 a second, give or take one.
	check "the bucket let 5..10 through" \
		test "${passed:-0}" -ge 5 -a "${passed:-0}" -le 10
	check "exactly the passed ones were answered (${answered:-?})" \
		test "${answered:-x}" = "${passed:-y}"
	check_not "the limiter's module cannot be removed while bound" \
		rmmod kbpf_prog_rl_icmp
	for p in rate_limit rl_icmp rl_udp; do
		n2 "$kbpfctl" prog unload "$p"
	done
	for m in rl_jump rl_buckets rl_stats; do
		n2 "$kbpfctl" map destroy "$m"
	done
	check "and can be once the programs and their prog array are gone" \
		rmmod kbpf_prog_rl_icmp
}

# The embedded profile: a native module's registration entry comes from
# the pool (taken at insmod, given back at rmmod; the verification's log
# and scratch maps are back before insmod returns), and its program runs
# natively there too.
check_embedded_native()
{
	local base registered out

	pp insmod "$embedded_ko" pool_size=65536 || { fail "insmod $embedded_ko"; return; }
	base=$(ctl_out feature | sed -n 's/^pool_used //p')
	pp insmod "$native_ko" || { fail "insmod $native_ko into the embedded kbpf"; rmmod kbpf; return; }
	registered=$(ctl_out feature | sed -n 's/^pool_used //p')
	check "embedded: the registration entry comes from the pool ($base -> $registered bytes)" \
		test "$registered" -gt "$base" -a "$((registered - base))" -le 64
	n2 "$kbpfctl" load "$drop_obj" || fail "embedded: kbpfctl load $drop_obj"
	out=$(ctl_out prog list)
	check "embedded: $prog runs as native code" \
		grep -q "name $prog .*engine native ($native_mod)" <<<"$out"
	check_not "embedded: ping is dropped by the native program" ping_in "$ns1" 10.200.1.2
	n2 "$kbpfctl" prog unload "$prog"
	check "embedded: the native module goes" rmmod "$native_mod"
	check "embedded: its entry goes back to the pool ($base bytes)" \
		test "$(ctl_out feature | sed -n 's/^pool_used //p')" -eq "$base"
	check_rmmod "rmmod the embedded kbpf"
}

shows_hello_engine()
{
	ip netns exec "$ns2" "$kbpfctl" prog show name hello 2>&1 | grep -qF -- "$1"
}

e2e_begin "$drop_obj" "$native_ko" "$bad_ko" "$hello_obj" "$hello_ko" \
	"$other_hello_ko" "$rl_obj" "$rl_icmp_ko"
echo_req=$tmp/echo_request
echo_reply=$tmp/echo_reply
write_icmp_packet "$echo_req" 8
write_icmp_packet "$echo_reply" 0
setup_topology
check_without_kbpf
insmod_kbpf
check_bad_bytecode
check_native_runs
check_interpreter_again
check_hello_native
check_scratch_budget
check_tail_call_target
check_rmmod "rmmod kbpf after the native module is gone"
[ -n "$embedded_ko" ] && check_embedded_native
check_kernel_log
e2e_end
