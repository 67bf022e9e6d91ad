#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kbpfctl's ELF loader and map commands against kbpf.ko, run as root inside
# the test VM:
#
#  - linking: two programs of one object calling different static functions
#    (and a shared one) both load and run; a .kconfig extern and a CO-RE
#    relocation are refused with their reason and leave nothing behind;
#  - maps shared between objects: "load B.o map shared_cnt=shared_cnt" uses
#    A's map (a value written through it changes B's verdict), a map of
#    another shape is refused;
#  - a legacy SEC("maps") definition and global data (.bss counted, .data
#    written from the command line changes the program's verdict);
#  - typed dumps from the BTF kept with the map (struct keys and values, an
#    enum by name, a char array as a string), plain and -j;
#  - map create / update / lookup / delete / dump / destroy and their errors.
#
# usage: loader.sh PROGS_DIR
#   PROGS_DIR holds the selftests/progs objects (two_progs_static.bpf.o ...)
# environment: KBPF_KO (kbpf.ko), KBPFCTL (default: kbpfctl in PATH)

set -u
e2e_name=loader.sh
progs=${1:?usage: loader.sh PROGS_DIR}
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ctl() { pp "$kbpfctl" "$@"; }
registry() { "$kbpfctl" -j prog list 2>&1; "$kbpfctl" -j map list 2>&1; }
pings_ok() { local n=0; for _ in $(seq "$1"); do ping_in "" 127.0.0.1 && n=$((n + 1)); done; echo $n; }

# expect_err TEXT ARGS...: kbpfctl exits 1, its last line is "Error: TEXT",
# and the registry is unchanged.
expect_err()
{
	local text=$1 before after rc
	shift
	before=$(registry)
	"$kbpfctl" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	after=$(registry)
	if [ $rc -ne 1 ]; then
		fail "kbpfctl $* exits 1 (got $rc)"
	elif [ "$(tail -n 1 "$tmp/err")" != "Error: $text" ]; then
		fail "kbpfctl $*: 'Error: $text', got: $(cat "$tmp/err")"
	elif [ "$before" != "$after" ]; then
		fail "kbpfctl $*: registry unchanged"
	else
		pass "kbpfctl $* -> Error: $text"
	fi
}

# An IPv4 packet of 28 bytes, 127.0.0.1 to itself, ICMP echo request.
write_packet()
{
	printf '\x45\x00\x00\x1c\x00\x01\x00\x00\x40\x01\x00\x00' >"$1"
	printf '\x7f\x00\x00\x01\x7f\x00\x00\x01' >>"$1"
	printf '\x08\x00\x00\x00\x00\x00\x00\x00' >>"$1"
}

check_linking()
{
	local out

	ctl load "$progs/two_progs_static.bpf.o" || die "load two_progs_static.bpf.o"
	pass "two programs calling different static functions load (kbpfctl load)"
	out=$("$kbpfctl" prog list 2>&1)
	indent <<<"$out"
	check "drop_dead attached to ipv4/local_in" \
		grep -A1 -q 'name drop_dead' <<<"$out"
	check "drop_beef attached to ipv4/local_out" \
		grep -A1 'name drop_beef' <<<"$out" | grep -q 'attached ipv4/local_out'
	write_packet "$tmp/pkt"
	for p in drop_dead drop_beef; do
		out=$("$kbpfctl" prog run $p data "$tmp/pkt" 2>&1)
		check "prog run $p (mark 0): accept, through its subprograms" \
			grep -q '^retval 1 (accept)$' <<<"$out"
	done
	# The context through kbpfctl: the mark reaches the program.
	out=$("$kbpfctl" prog run drop_beef data "$tmp/pkt" hook ipv4/local_out dev lo mark 0xbeef 2>&1)
	check "prog run drop_beef hook ipv4/local_out dev lo mark 0xbeef: drop, mark shown" \
		grep -qz 'retval 0 (drop).*mark 48879' <<<"$out"
	out=$("$kbpfctl" -j prog run drop_beef data "$tmp/pkt" mark 0xbeef 2>&1)
	check "prog run -j ... mark 0xbeef: retval 0 and the mark in JSON: $out" \
		grep -q '"retval":0,.*"mark":48879}' <<<"$out"
	out=$("$kbpfctl" prog run drop_beef data "$tmp/pkt" dev 2147483632 2>&1)
	check "prog run ... dev 2147483632: the module's reason: $out" \
		grep -q 'test run failed: ctx_in: no device has ifindex 2147483632 in this namespace' <<<"$out"
	"$kbpfctl" prog run drop_dead data "$tmp/pkt" out "$tmp/pkt.out" >/dev/null 2>&1
	check "prog run ... out FILE: the packet as the program left it (unchanged)" \
		cmp -s "$tmp/pkt" "$tmp/pkt.out"
	check "pings pass with both attached" test "$(pings_ok 2)" = 2
	ctl prog unload drop_dead && ctl prog unload drop_beef ||
		fail "unload the two programs"

	expect_err "prog 'uses_kconfig': insn 0: '.kconfig' extern 'CONFIG_HZ' is not supported by kbpf (it has no kernel configuration to fill in)" \
		load "$progs/kconfig_extern.bpf.o"
	expect_err "prog 'uses_core': insn 0: CO-RE relocation (field byte offset of 'nf_ctx_view') is not supported by kbpf; read fields at fixed offsets instead of bpf_core_read()/preserve_access_index" \
		prog load "$progs/core_reloc.bpf.o"
}

check_shared_maps()
{
	local out

	ctl load "$progs/shared_map_a.bpf.o" || die "load shared_map_a.bpf.o"
	ctl load "$progs/shared_map_b.bpf.o" map shared_cnt=shared_cnt ||
		die "load shared_map_b.bpf.o map shared_cnt=shared_cnt"
	out=$("$kbpfctl" map list 2>&1)
	indent <<<"$out"
	check "one map shared_cnt for both objects" \
		test "$(grep -c 'name shared_cnt ' <<<"$out")" = 1
	check "pings pass while the shared count is low" test "$(pings_ok 2)" = 2
	out=$("$kbpfctl" map lookup shared_cnt key 0 0 0 0 2>&1)
	indent <<<"$out"
	# Two pings over loopback: two requests and two replies at local_in.
	check "A counted 4 packets in the shared map" \
		grep -q '^key: 0  value: 4$' <<<"$out"
	ctl map update shared_cnt key 0 0 0 0 value hex e803000000000000 exist ||
		fail "map update shared_cnt to 1000"
	check "B now drops at local_out: it reads the map A counts in" \
		test "$(pings_ok 1)" = 0
	expect_err "map 'shared_cnt': cannot use map $("$kbpfctl" -j map show name shared_cnt | sed 's/.*"id":\([0-9]*\).*/\1/') 'shared_cnt': its value size is 8, the object wants 4" \
		load "$progs/shared_map_bad.bpf.o" map shared_cnt=shared_cnt
	expect_err "'$progs/shared_map_b.bpf.o' has no map 'nope' (its maps: shared_cnt)" \
		load "$progs/shared_map_b.bpf.o" map nope=shared_cnt
	ctl prog unload count_in && ctl prog unload limit_out &&
		ctl map destroy shared_cnt || fail "unload and destroy the shared objects"
}

check_legacy_and_globals()
{
	local out n

	ctl load "$progs/legacy_map.bpf.o" || die "load legacy_map.bpf.o"
	n=$(pings_ok 2)
	out=$("$kbpfctl" map dump legacy_cnt 2>&1)
	indent <<<"$out"
	# The hook number (local_in = 1) is the key; no BTF: hex.
	check "legacy SEC(\"maps\") array counts $((2 * n)) packets under key 1" \
		grep -q "^key: 01 00 00 00  value: 0$((2 * n)) 00 00 00 00 00 00 00$" <<<"$out"
	ctl prog unload legacy_count && ctl map destroy legacy_cnt &&
		ctl map destroy legacy_hash || fail "unload legacy_map"

	ctl load "$progs/global_counter.bpf.o" || die "load global_counter.bpf.o"
	n=$(pings_ok 2)
	out=$("$kbpfctl" map dump global_c.bss 2>&1)
	indent <<<"$out"
	check ".bss dumped typed: {\"packets\":$((2 * n))}" \
		grep -q "^key: 00 00 00 00  value: {\"packets\":$((2 * n))}$" <<<"$out"
	ctl map update global_c.data key 0 0 0 0 value 0 0 0 0 ||
		fail "write verdict = KBPF_NF_DROP into .data"
	check "the program now drops: it reads .data" test "$(pings_ok 1)" = 0
	ctl prog unload global_counter && ctl map destroy global_c.bss &&
		ctl map destroy global_c.data || fail "unload global_counter"
}

check_typed_dump()
{
	local out n

	ctl load "$progs/typed_stats.bpf.o" || die "load typed_stats.bpf.o"
	n=$(pings_ok 3)
	out=$("$kbpfctl" map dump flow_stats 2>&1)
	indent <<<"$out"
	# 127.0.0.1 in network byte order read as a little-endian u32.
	check "typed key: {\"saddr\":16777343,\"daddr\":16777343,\"proto\":1,\"pad\":[0,0,0]}" \
		grep -q '^key: {"saddr":16777343,"daddr":16777343,"proto":1,"pad":\[0,0,0\]}  value: ' <<<"$out"
	check "typed value: $((2 * n)) packets of 84 bytes, kind FLOW_ICMP, tag \"first\"" \
		grep -q "value: {\"packets\":$((2 * n)),\"bytes\":$((2 * n * 84)),\"kind\":\"FLOW_ICMP\",\"tag\":\"first\"}$" <<<"$out"
	out=$("$kbpfctl" -j map dump flow_stats 2>&1)
	indent <<<"$out"
	check "-j map dump: hex key and value plus a formatted member" \
		grep -q '^\[{"key":\["0x7f","0x00","0x00","0x01",.*"formatted":{"key":{"saddr":16777343,' <<<"$out"
	ctl prog unload typed_stats && ctl map destroy flow_stats ||
		fail "unload typed_stats"
}

check_map_commands()
{
	local out

	out=$(ctl map create type hash key 4 value 8 entries 2 name cli_hash)
	check "map create prints the new id" grep -q "^map 'cli_hash' created: id [0-9]*$" <<<"$out"
	check "map update (any)" ctl map update cli_hash key 1 0 0 0 value 7 0 0 0 0 0 0 0
	expect_err "map 'cli_hash': the key exists (noexist was given)" \
		map update cli_hash key 1 0 0 0 value 8 0 0 0 0 0 0 0 noexist
	check "map update key 2 (hex)" ctl map update cli_hash key hex 02000000 value hex 0900000000000000
	expect_err "map 'cli_hash': full (2 entries)" \
		map update cli_hash key 3 0 0 0 value 1 0 0 0 0 0 0 0
	expect_err "map 'cli_hash': no such key" \
		map update cli_hash key 4 0 0 0 value 1 0 0 0 0 0 0 0 exist
	out=$("$kbpfctl" map lookup cli_hash key 1 0 0 0 2>&1)
	check "map lookup: key 1 has value 7" \
		test "$out" = "key: 01 00 00 00  value: 07 00 00 00 00 00 00 00"
	out=$("$kbpfctl" -j map lookup cli_hash key 2 0 0 0 2>&1)
	check "-j map lookup" test "$out" = '{"key":["0x02","0x00","0x00","0x00"],"value":["0x09","0x00","0x00","0x00","0x00","0x00","0x00","0x00"]}'
	expect_err "key: 3 bytes given, the map's are 4 bytes" map lookup cli_hash key 1 0 0
	check "map delete key 1" ctl map delete cli_hash key 1 0 0 0
	expect_err "map 'cli_hash': no such key" map delete cli_hash key 1 0 0 0
	expect_err "map 'cli_hash': no such key" map lookup cli_hash key 1 0 0 0
	out=$("$kbpfctl" map dump cli_hash 2>&1)
	indent <<<"$out"
	check "map dump: only key 2 is left" \
		test "$out" = "key: 02 00 00 00  value: 09 00 00 00 00 00 00 00
Found 1 element"
	ctl map create type array key 4 value 4 entries 1 name cli_array >/dev/null ||
		fail "map create array"
	expect_err "map 'cli_array': elements of an array cannot be deleted (update them instead)" \
		map delete cli_array key 0 0 0 0
	expect_err "map 'cli_hash': a map with this name already exists" \
		map create type hash key 4 value 8 entries 2 name cli_hash
	check "map destroy" ctl map destroy cli_hash
	check "map destroy" ctl map destroy cli_array
}

main()
{
	e2e_begin "$progs/two_progs_static.bpf.o" "$progs/shared_map_a.bpf.o" \
		"$progs/legacy_map.bpf.o" "$progs/typed_stats.bpf.o"
	insmod_kbpf
	check_linking
	check_shared_maps
	check_legacy_and_globals
	check_typed_dump
	check_map_commands
	check "nothing is left registered" test -z "$("$kbpfctl" prog list 2>&1)$("$kbpfctl" map list 2>&1)"
	check_rmmod "rmmod kbpf"
	check_kernel_log
	e2e_end
}

main
