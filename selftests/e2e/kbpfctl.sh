#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kbpfctl against kbpf.ko with the objects netfilter.sh does not cover, run
# as root inside the test VM:
#
#  - a program the verifier rejects (selftests/progs/unchecked_packet_read:
#    a packet read with no data_end check): `kbpfctl prog load` exits 1,
#    prints the verifier's message (the instruction and the reason) and
#    "Error: verifier rejected program ...", and loads nothing;
#  - a program with a libbpf map definition (examples/count_protocols):
#    `kbpfctl load` creates the map and attaches the program to
#    ipv4/local_in, pings over loopback are counted under protocol 1 (ICMP)
#    in `kbpfctl map dump`, and unload + `map destroy` leave nothing;
#  - `kbpfctl prog run` (the test-run ioctl) on the drop example, loaded but
#    not attached: an ICMP echo request gives r0 = 0 (drop), an echo reply
#    r0 = 1 (accept), and --repeat reports the runs it made.
#
# usage: kbpfctl.sh UNCHECKED_PACKET_READ.bpf.o COUNT_PROTOCOLS.bpf.o DROP_ICMP_ECHO.bpf.o
# environment: KBPF_KO (kbpf.ko), KBPFCTL (default: kbpfctl in PATH)

set -u
e2e_name=kbpfctl.sh
usage="usage: kbpfctl.sh UNCHECKED_PACKET_READ.bpf.o COUNT_PROTOCOLS.bpf.o DROP_ICMP_ECHO.bpf.o"
reject_obj=${1:?$usage}
count_obj=${2:?$usage}
drop_obj=${3:?$usage}
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ctl() { pp "$kbpfctl" "$@"; }
registry() { "$kbpfctl" -j prog list 2>&1; "$kbpfctl" -j map list 2>&1; }

check_verifier_rejection()
{
	local before after rc

	before=$(registry)
	pretty "" "$kbpfctl prog load $reject_obj (must fail)"
	"$kbpfctl" prog load "$reject_obj" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	indent <"$tmp/err"
	after=$(registry)
	if [ $rc -eq 1 ]; then
		pass "verifier rejection: kbpfctl exits 1"
	else
		fail "verifier rejection: kbpfctl exits 1, got $rc"
	fi
	# The verifier's log names the instruction ("N: (op) ...") and why.
	if grep -Eq '^[0-9]+: \([0-9a-f]{2}\) ' "$tmp/err" &&
	   grep -Eiq 'packet|data_end' "$tmp/err"; then
		pass "verifier rejection: the verifier's message (instruction and reason) is printed"
	else
		fail "verifier rejection: the verifier's message (instruction and reason) is printed"
	fi
	if tail -n 1 "$tmp/err" | grep -Eq "^Error: verifier rejected program 'unchecked_read'"; then
		pass "verifier rejection: last line is \"Error: verifier rejected program 'unchecked_read' ...\""
	else
		fail "verifier rejection: last line is \"Error: verifier rejected program ...\", got: $(tail -n 1 "$tmp/err")"
	fi
	if [ -s "$tmp/out" ]; then
		fail "verifier rejection: nothing on stdout, got: $(head -n 3 "$tmp/out")"
	elif [ "$before" != "$after" ]; then
		fail "verifier rejection: prog list and map list unchanged: '$before' -> '$after'"
	else
		pass "verifier rejection: nothing on stdout, prog list and map list unchanged"
	fi
}

# The u64 count of IP protocol PROTO in proto_count, from `map dump`'s
# typed line "key: 1  value: 4" (the map keeps the object's BTF).
proto_count_of()
{
	local value

	value=$("$kbpfctl" map dump name proto_count 2>/dev/null |
		sed -n "s/^key: $1  value: //p")
	echo "${value:-none}"
}

check_map_counts()
{
	local pings=3 ok=0 count out

	ctl load "$count_obj" || die "kbpfctl load $count_obj"
	pass "kbpfctl load count_protocols.bpf.o (a libbpf .maps definition)"
	out=$("$kbpfctl" map list 2>&1)
	indent <<<"$out"
	if grep -q 'proto_count' <<<"$out" && grep -q 'max_entries 256' <<<"$out"; then
		pass "map list shows proto_count with 256 entries"
	else
		fail "map list shows proto_count with 256 entries"
	fi
	check "count_protocols is attached to ipv4/local_in" \
		grep -q 'attached ipv4/local_in' <<<"$("$kbpfctl" prog list 2>&1)"

	count=$(proto_count_of 1)
	check "protocol 1 counts 0 before any ping (got $count)" test "$count" = 0
	for _ in $(seq $pings); do
		ping_in "" 127.0.0.1 && ok=$((ok + 1))
	done
	check "$pings pings over loopback pass (the program accepts)" test $ok -eq $pings
	ctl map dump name proto_count | grep -v ' value: 0$' | indent
	count=$(proto_count_of 1)
	# Over loopback both the request and the reply arrive at local_in.
	if [ "$count" = $((2 * ok)) ]; then
		pass "map dump: protocol 1 (ICMP) counts $count, a request and a reply per ping"
	else
		fail "map dump: protocol 1 (ICMP) counts $((2 * ok)), got $count"
	fi

	check "kbpfctl prog unload count_protocols" ctl prog unload count_protocols
	check "kbpfctl map destroy proto_count" ctl map destroy name proto_count
	check "prog list and map list are empty" \
		test -z "$("$kbpfctl" prog list 2>&1)$("$kbpfctl" map list 2>&1)"
}

check_test_run()
{
	local out

	ctl prog load "$drop_obj" || die "kbpfctl prog load $drop_obj"
	write_icmp_packet "$tmp/echo_request" 8
	write_icmp_packet "$tmp/echo_reply" 0
	out=$(ctl prog run drop_icmp_echo --data "$tmp/echo_request" 2>&1)
	indent <<<"$out"
	check "prog run: an ICMP echo request gives retval 0 (drop)" \
		grep -q '^retval 0 (drop)$' <<<"$out"
	out=$(ctl prog run drop_icmp_echo --data "$tmp/echo_reply" --repeat 50 2>&1)
	indent <<<"$out"
	check "prog run: an ICMP echo reply gives retval 1 (accept)" \
		grep -q '^retval 1 (accept)$' <<<"$out"
	check "prog run --repeat 50 reports 50 runs" \
		grep -Eq '^duration [0-9]+ ns/run \(50 runs\)$' <<<"$out"
	check "kbpfctl prog unload drop_icmp_echo" ctl prog unload drop_icmp_echo
}

main()
{
	e2e_begin "$reject_obj" "$count_obj" "$drop_obj"
	insmod_kbpf
	check_verifier_rejection
	check_map_counts
	check_test_run
	check_rmmod "rmmod kbpf"
	check_kernel_log
	e2e_end
}

main
