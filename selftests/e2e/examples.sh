#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every example of examples/ against kbpf.ko, with real traffic between two
# network namespaces joined by veth (server exsrv 10.201.0.1/16, client
# excli 10.201.0.2/16 with more addresses as a test needs them), asserting
# on what the examples produce: trace lines, map contents, a pcap file read
# back with tcpdump, the verdicts and the packets' bytes.
#
#   hello             bpf_printk per packet, read back with `kbpfctl trace`;
#                     its .rodata frozen: `kbpfctl map update` refused
#   proto_stats       packets per protocol in a percpu_array, per CPU
#   src_counter       per-source counts in an LRU hash: evictions observed
#   cidr_block        an LPM trie blocklist: the longest prefix wins
#   capture_memcache  only TCP port 11211 copied to a ring buffer, written as
#                     pcap by `kbpfctl capture`, read with tcpdump -r; the
#                     same records through `kbpfctl events`, typed
#   rate_limit        token buckets reached through tail calls
#   mangle_ttl        TTL and payload rewritten, checksums fixed: the
#                     receiver answers, and a test run shows the bytes
#
# usage: examples.sh EXAMPLES_DIR [EXAMPLE...]   (default: every example)
#   EXAMPLE is the name of examples/EXAMPLE.bpf.c
# environment: KBPF_KO (kbpf.ko), KBPFCTL (default: kbpfctl in PATH)

set -u
e2e_name=examples.sh
ex=${1:?usage: examples.sh EXAMPLES_DIR [EXAMPLE...]}
shift
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SRV=10.201.0.1
CLI=10.201.0.2
ctl() { pp "$kbpfctl" "$@"; }
in_srv() { "$(command -v ip)" netns exec exsrv "$@"; }
in_cli() { "$(command -v ip)" netns exec excli "$@"; }
# Objects belong to the namespace that loaded them (uapi "Permissions"):
# the programs load in exsrv, so names are looked up there too.
srv_ctl() { pretty "" "(exsrv) kbpfctl $*"; in_srv "$kbpfctl" "$@"; }
cli_ctl() { pretty "" "(excli) kbpfctl $*"; in_cli "$kbpfctl" "$@"; }
# ping_from SRC_ADDR: one echo request from the client to the server.
ping_from() { in_cli timeout 5 ping -c 1 -W 2 -I "$1" "$SRV" >/dev/null 2>&1; }
# pings N [SRC]: how many of N pings from the client were answered.
pings()
{
	local n=0 i

	for i in $(seq "$1"); do
		ping_from "${2:-$CLI}" && n=$((n + 1))
	done
	echo $n
}
# The little-endian u32 that the 4 bytes of a dotted IPv4 address make,
# which is how a __u32 in network byte order prints typed.
le_u32() { local IFS=.; set -- $1; echo $(($1 + ($2 << 8) + ($3 << 16) + ($4 << 24))); }

setup_net()
{
	ip netns add exsrv && ip netns add excli || die "create namespaces"
	on_exit "ip netns del exsrv; ip netns del excli"
	ip link add exv0 netns exsrv type veth peer name exv1 netns excli ||
		die "create the veth pair"
	in_srv ip addr add "$SRV/16" dev exv0
	in_cli ip addr add "$CLI/16" dev exv1
	in_srv ip link set exv0 up
	in_cli ip link set exv1 up
	in_srv ip link set lo up
	in_cli ip link set lo up
	wait_for 5 ping_from "$CLI" || die "the client reaches the server"
}

unload_all()
{
	local id

	for id in $("$kbpfctl" -j prog list | grep -o '"id":[0-9]*' | cut -d: -f2); do
		"$kbpfctl" prog unload "$id"
	done
	for id in $("$kbpfctl" -j map list | grep -o '"id":[0-9]*' | cut -d: -f2); do
		"$kbpfctl" map destroy "$id"
	done
	[ -z "$("$kbpfctl" prog list)$("$kbpfctl" map list)" ]
}

# ---- hello: bpf_printk, read back per program with kbpfctl trace ----------

test_hello()
{
	local id out n vs

	srv_ctl load "$ex/hello.bpf.o" || { fail "load hello.bpf.o"; return; }
	id=$(in_srv "$kbpfctl" -j prog show name hello | sed 's/.*"id":\([0-9]*\).*/\1/')
	check "3 pings pass hello" test "$(pings 3)" = 3
	# The loader froze .rodata (bpf_printk's format) after writing it.
	vs=$(in_srv "$kbpfctl" -j map show name hello.rodata |
		sed 's/.*"value_size":\([0-9]*\).*/\1/')
	out=$(in_srv "$kbpfctl" map update hello.rodata key 0 0 0 0 \
		value hex "$(printf '00%.0s' $(seq "$vs"))" 2>&1)
	check "kbpfctl map update of hello's .rodata ($vs bytes) fails: $out" \
		grep -q "^Error: map 'hello.rodata': frozen, userspace may not change it" <<<"$out"
	out=$(in_srv "$kbpfctl" trace hello count 3 timeout 10 2>&1)
	indent <<<"$out"
	# Only the requests reach the server's local_in: 84-byte ICMP packets.
	n=$(grep -Ec "^[0-2][0-9]:[0-5][0-9]:[0-5][0-9]\.[0-9]{6} cpu [0-9]+ prog $id hello: hello: proto 1 len 84$" <<<"$out")
	check "kbpfctl trace hello: 3 lines tagged with time, cpu, prog $id, name (got $n)" test "$n" = 3
	in_cli ping -c 2 -W 2 "$SRV" >/dev/null 2>&1
	out=$(in_srv "$kbpfctl" -j trace count 2 timeout 10 2>&1)
	indent <<<"$out"
	check "kbpfctl -j trace (every program): 2 lines with prog_id, prog_name, cpu, message" \
		test "$(grep -o "{\"time_ns\":[0-9]*,\"boot_ns\":[0-9]*,\"cpu\":[0-9]*,\"prog_id\":$id,\"prog_name\":\"hello\",\"message\":\"hello: proto 1 len 84\"}" <<<"$out" | wc -l)" = 2
	srv_ctl prog unload hello
	out=$(in_srv "$kbpfctl" trace "$id" 2>&1)
	check "kbpfctl trace of an unloaded program fails: $out" \
		grep -q "^Error: " <<<"$out"
}

# ---- proto_stats: a percpu_array, one value per possible CPU ---------------

test_proto_stats()
{
	local out ncpu packets bytes

	srv_ctl load "$ex/proto_stats.bpf.o" || { fail "load proto_stats.bpf.o"; return; }
	check "4 pings pass proto_stats" test "$(pings 4)" = 4
	out=$(in_srv "$kbpfctl" map lookup proto_stats key 1 0 0 0 2>&1)
	indent <<<"$out"
	ncpu=$(grep -c '^  value (CPU [0-9][0-9]): ' <<<"$out")
	check "one value per possible CPU ($ncpu of $(nproc --all))" \
		test "$ncpu" = "$(nproc --all)"
	packets=$(sed -n 's/.*{"packets":\([0-9]*\),.*/\1/p' <<<"$out" | paste -sd+ | bc)
	bytes=$(sed -n 's/.*,"bytes":\([0-9]*\)}.*/\1/p' <<<"$out" | paste -sd+ | bc)
	check "ICMP summed over the CPUs: 4 packets, 336 bytes (got $packets, $bytes)" \
		test "$packets.$bytes" = 4.336
	srv_ctl map update proto_stats key 17 0 0 0 value hex 0700000000000000 0900000000000000 ||
		fail "map update of a per-CPU value"
	out=$(in_srv "$kbpfctl" map lookup proto_stats key 17 0 0 0 2>&1)
	check "update wrote the value to every CPU" \
		test "$(grep -c '{"packets":7,"bytes":9}' <<<"$out")" = "$ncpu"
	out=$(in_srv "$kbpfctl" -j map lookup proto_stats key 17 0 0 0 2>&1)
	check "-j lookup: values per cpu" \
		grep -q '"values":\[{"cpu":0,"value":\["0x07"' <<<"$out"
	unload_all || fail "unload proto_stats"
}

# ---- src_counter: an LRU hash of 8 entries, 12 sources -----------------------

test_src_counter()
{
	local out i keys want

	for i in $(seq 12); do
		in_cli ip addr add "10.201.1.$i/16" dev exv1
	done
	srv_ctl load "$ex/src_counter.bpf.o" || { fail "load src_counter.bpf.o"; return; }
	for i in $(seq 12); do
		ping_from "10.201.1.$i" || fail "ping from 10.201.1.$i"
	done
	out=$(in_srv "$kbpfctl" map dump src_counts 2>&1)
	indent <<<"$out"
	check "the LRU map holds 8 of the 12 sources: evictions made room" \
		grep -q '^Found 8 elements$' <<<"$out"
	keys=$(sed -n 's/^key: \([0-9]*\)  value: 1$/\1/p' <<<"$out" | sort -n | paste -sd' ')
	want=$(for i in $(seq 5 12); do le_u32 "10.201.1.$i"; done | sort -n | paste -sd' ')
	check "the 8 most recent sources remain, each counted once (got: $keys)" \
		test "$keys" = "$want"
	unload_all || fail "unload src_counter"
}

# ---- cidr_block: an LPM trie, the longest prefix wins ----------------------

test_cidr_block()
{
	in_cli ip addr add 10.201.0.9/16 dev exv1
	in_cli ip addr add 10.201.2.2/16 dev exv1
	srv_ctl load "$ex/cidr_block.bpf.o" || { fail "load cidr_block.bpf.o"; return; }
	check "no rule: 10.201.0.2 passes" ping_from 10.201.0.2
	srv_ctl map update cidr_rules key 16 0 0 0 10 201 0 0 value 1 0 0 0 ||
		fail "block 10.201.0.0/16"
	check_not "10.201.0.0/16 blocked: 10.201.0.2 is dropped" ping_from 10.201.0.2
	srv_ctl map update cidr_rules key 24 0 0 0 10 201 0 0 value 0 0 0 0 ||
		fail "allow 10.201.0.0/24"
	check "10.201.0.0/24 allowed, longer than the /16: 10.201.0.2 passes" ping_from 10.201.0.2
	check_not "10.201.2.2 matches only the /16: dropped" ping_from 10.201.2.2
	srv_ctl map update cidr_rules key 32 0 0 0 10 201 0 9 value 1 0 0 0 ||
		fail "block 10.201.0.9/32"
	check_not "10.201.0.9/32 blocked inside the allowed /24: dropped" ping_from 10.201.0.9
	check "10.201.0.2 still passes" ping_from 10.201.0.2
	check "map dump: 3 prefixes, typed" \
		test "$(in_srv "$kbpfctl" map dump cidr_rules | grep -c '^key: {"prefixlen":')" = 3
	srv_ctl map delete cidr_rules key 24 0 0 0 10 201 0 0 || fail "delete the /24"
	check_not "without the /24, the /16 blocks 10.201.0.2 again" ping_from 10.201.0.2
	unload_all || fail "unload cidr_block"
}

# ---- capture_memcache: ringbuf -> pcap -> tcpdump -r ------------------------

# Talk to the server's port: a short request over a whole TCP connection.
tcp_talk() { echo "$2" | in_cli timeout 5 nc -w 2 "$SRV" "$1" >/dev/null 2>&1; }

test_capture_memcache()
{
	local out pid n

	srv_ctl load "$ex/capture_memcache.bpf.o" || { fail "load capture_memcache.bpf.o"; return; }
	in_srv nc -ll -p 11211 -e cat >/dev/null 2>&1 &
	on_exit "kill $! 2>/dev/null"
	in_srv nc -ll -p 8080 -e cat >/dev/null 2>&1 &
	on_exit "kill $! 2>/dev/null"
	sleep 0.5

	in_srv "$kbpfctl" capture capture_rb -w "$tmp/mc.pcap" count 3 timeout 20 \
		2>"$tmp/capture.err" &
	pid=$!
	sleep 0.5
	tcp_talk 8080 "not memcached"
	tcp_talk 11211 "stats"
	wait $pid
	check "kbpfctl capture exits 0 after 3 packets: $(cat "$tmp/capture.err")" \
		grep -q '^3 packets captured$' "$tmp/capture.err"
	out=$(tcpdump -Z root -n -r "$tmp/mc.pcap" 2>&1)
	indent <<<"$out"
	check "tcpdump -r reads it: raw IP" grep -q 'link-type RAW (Raw IP)' <<<"$out"
	n=$(grep -c "^[0-9:.]* IP $CLI\.[0-9]* > $SRV\.11211: " <<<"$out")
	check "3 packets to port 11211 (got $n)" test "$n" = 3
	check "the first is the SYN" \
		grep -m1 "IP $CLI" <<<"$out" | grep -q 'Flags \[S\]'
	check "nothing to port 8080 was copied" test "$(grep -c '\.8080' <<<"$out")" = 0

	# -w - into tcpdump, with a snap length.
	(in_srv "$kbpfctl" capture capture_rb -w - --snaplen 40 count 2 timeout 20 2>/dev/null |
		tcpdump -Z root -n -v -r - >"$tmp/pipe.out" 2>&1) &
	pid=$!
	sleep 0.5
	tcp_talk 11211 "version"
	wait $pid
	indent <"$tmp/pipe.out"
	check "capture -w - | tcpdump -r -: 2 packets" \
		test "$(grep -c "> $SRV\.11211: " "$tmp/pipe.out")" = 2
	check "--snaplen 40: snapshot length 40" grep -q 'snapshot length 40' "$tmp/pipe.out"

	# The same records through kbpfctl events, as hex: a 152-byte record,
	# struct kbpf_capture_hdr (24 bytes; len and caplen under 256, reserved
	# 0), then the IPv4 header.  (clang keeps no BTF for struct capture_rec, a type only
	# a local variable has, so "type 'struct capture_rec'" cannot be used.)
	(in_srv "$kbpfctl" events capture_rb count 1 timeout 20 >"$tmp/ev.out" 2>&1) &
	pid=$!
	sleep 0.5
	tcp_talk 11211 "x"
	wait $pid
	indent <"$tmp/ev.out"
	check "kbpfctl events: one record, header then the IPv4 packet" \
		grep -Eq '^len 152: ([0-9a-f]{2} ){12}([0-9a-f]{2} 00 00 00 ){2}00 00 00 00 45 ' "$tmp/ev.out"
	unload_all || fail "unload capture_memcache"
}

# ---- rate_limit: tail calls into per-protocol token buckets ---------------

test_rate_limit()
{
	local out passed dropped answered

	srv_ctl load "$ex/rate_limit.bpf.o" || { fail "load rate_limit.bpf.o"; return; }
	out=$(in_srv "$kbpfctl" prog list)
	indent <<<"$out"
	check "three programs: the classifier attached, the limiters not" \
		test "$(grep -c 'name rl_' <<<"$out").$(grep -c attached <<<"$out")" = 2.1
	answered=$(in_cli ping -c 20 -i 0.1 -W 1 "$SRV" 2>&1 |
		sed -n 's/.* \([0-9]*\) packets received.*/\1/p')
	out=$(in_srv "$kbpfctl" map lookup rl_stats key 1 0 0 0 2>&1)
	indent <<<"$out"
	passed=$(sed -n 's/.*"passed":\([0-9]*\).*/\1/p' <<<"$out")
	dropped=$(sed -n 's/.*"dropped":\([0-9]*\).*/\1/p' <<<"$out")
	check "20 requests went through the ICMP limiter: passed $passed + dropped $dropped" \
		test "$((passed + dropped))" = 20
	# 2 s of pings: the burst of 5 plus 2 a second, give or take one.
	check "the bucket let 5..10 through (passed $passed)" \
		test "$passed" -ge 5 -a "$passed" -le 10
	check "exactly the passed ones were answered ($answered)" test "$answered" = "$passed"
	unload_all || fail "unload rate_limit"
}

# ---- mangle_ttl: rewrite with checksums fixed ------------------------------

# The 16-bit one's complement sum of a file's bytes [from, to): 0xffff when a
# header with its checksum is intact.
csum16()
{
	local sum=0 hi=-1 b

	for b in $(od -An -v -tu1 -j "$2" -N $(($3 - $2)) "$1"); do
		if [ $hi -lt 0 ]; then
			hi=$b
		else
			sum=$((sum + (hi << 8) + b))
			hi=-1
		fi
	done
	[ $hi -ge 0 ] && sum=$((sum + (hi << 8)))
	while [ $((sum >> 16)) -ne 0 ]; do
		sum=$(((sum & 0xffff) + (sum >> 16)))
	done
	echo $sum
}

# The server's IP header errors and ICMP checksum errors (/proc/net/snmp:
# Ip InHdrErrors, Icmp InCsumErrors).
snmp_errors()
{
	awk '$1 == "Ip:" && $2 ~ /^[0-9]+$/ {ip = $5}
	     $1 == "Icmp:" && $2 ~ /^[0-9]+$/ {icmp = $4}
	     END {print ip "," icmp}'
}

test_mangle_ttl()
{
	local before after out

	cli_ctl load "$ex/mangle_ttl.bpf.o" || { fail "load mangle_ttl.bpf.o"; return; }
	before=$(in_srv cat /proc/net/snmp | snmp_errors)
	check "3 mangled pings are answered: the server accepted both checksums" \
		test "$(pings 3)" = 3
	after=$(in_srv cat /proc/net/snmp | snmp_errors)
	check "the server counted no header or checksum error ($before -> $after)" \
		test "$before" = "$after"
	check "mangled counts 3" \
		grep -q '^key: 0  value: 3$' <<<"$(in_cli "$kbpfctl" map dump mangled)"

	# The bytes: an echo request with correct checksums, through a test run.
	printf '\x45\x00\x00\x20\x12\x34\x40\x00\x40\x01\x00\x00\x0a\xc9\x00\x02\x0a\xc9\x00\x01' >"$tmp/req"
	printf '\x08\x00\x00\x00\x00\x07\x00\x01\x61\x62\x63\x64' >>"$tmp/req"
	# Fill in both checksums (big-endian 16-bit words at 10 and 22).
	printf "$(printf '\\x%02x\\x%02x' $(( (~$(csum16 "$tmp/req" 0 20) & 0xffff) >> 8 )) $(( ~$(csum16 "$tmp/req" 0 20) & 0xff )))" |
		dd of="$tmp/req" bs=1 seek=10 conv=notrunc 2>/dev/null
	printf "$(printf '\\x%02x\\x%02x' $(( (~$(csum16 "$tmp/req" 20 32) & 0xffff) >> 8 )) $(( ~$(csum16 "$tmp/req" 20 32) & 0xff )))" |
		dd of="$tmp/req" bs=1 seek=22 conv=notrunc 2>/dev/null
	check "the test packet's checksums are right before" \
		test "$(csum16 "$tmp/req" 0 20).$(csum16 "$tmp/req" 20 32)" = 65535.65535
	out=$(in_cli "$kbpfctl" prog run mangle_ttl data "$tmp/req" out "$tmp/resp" 2>&1)
	indent <<<"$out"
	od -An -tx1 "$tmp/resp" | indent
	check "prog run: accept" grep -q '^retval 1 (accept)$' <<<"$out"
	check "TTL is 17 and the payload starts with 'K'" \
		test "$(od -An -tu1 -j 8 -N 1 "$tmp/resp" | tr -d ' ').$(od -An -c -j 28 -N 1 "$tmp/resp" | tr -d ' ')" = 17.K
	check "both checksums are right after" \
		test "$(csum16 "$tmp/resp" 0 20).$(csum16 "$tmp/resp" 20 32)" = 65535.65535
	unload_all || fail "unload mangle_ttl"
}

main()
{
	local t

	for t in "${@:-hello proto_stats src_counter cidr_block capture_memcache rate_limit mangle_ttl}"; do
		for t in $t; do
			[ -r "$ex/$t.bpf.o" ] || { echo "$e2e_name: no $ex/$t.bpf.o" >&2; exit 2; }
		done
	done
	e2e_begin
	insmod_kbpf
	setup_net
	for t in "${@:-hello proto_stats src_counter cidr_block capture_memcache rate_limit mangle_ttl}"; do
		for t in $t; do
			"test_$t"
			unload_all >/dev/null 2>&1
		done
	done
	check_rmmod "rmmod kbpf"
	check_kernel_log
	e2e_end
}

main "$@"
