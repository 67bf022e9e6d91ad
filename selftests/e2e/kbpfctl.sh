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
#    in `kbpfctl map dump`, and unload + `map destroy` leave nothing.
#
# usage: kbpfctl.sh UNCHECKED_PACKET_READ.bpf.o COUNT_PROTOCOLS.bpf.o
# environment: KBPF_KO (kbpf.ko), KBPFCTL (default: kbpfctl in PATH)

set -u
e2e_name=kbpfctl.sh
usage="usage: kbpfctl.sh UNCHECKED_PACKET_READ.bpf.o COUNT_PROTOCOLS.bpf.o"
reject_obj=${1:?$usage}
count_obj=${2:?$usage}
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
# "key: 01 00 00 00  value: 04 00 00 00 00 00 00 00" (little endian).
proto_count_of()
{
	local key value

	key=$(printf '%02x 00 00 00' "$1")
	value=$("$kbpfctl" map dump name proto_count 2>/dev/null |
		sed -n "s/^key: $key  value: //p")
	[ -n "$value" ] || { echo none; return; }
	# Reverse the bytes into one hex number.
	echo $((16#$(tr ' ' '\n' <<<"$value" | tac | tr -d '\n')))
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
	ctl map dump name proto_count | grep -v ' value: 00 00 00 00 00 00 00 00$' | indent
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

main()
{
	e2e_begin "$reject_obj" "$count_obj"
	insmod_kbpf
	check_verifier_rejection
	check_map_counts
	check_rmmod "rmmod kbpf"
	check_kernel_log
	e2e_end
}

main
