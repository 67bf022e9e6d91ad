#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The embedded profile end to end, run as root inside the test VM against a
# kbpf.ko built with KBPF_PROFILE=embedded: everything comes from one pool
# reserved at load (pool_size=), the deadline policy is the default, and
# filling the pool gives a clean error naming the figures, with nothing
# lost: unloading gives every byte back and rmmod reports no leak.  Map
# resize is a cloud feature: refused here with its reason.
#
# usage: embedded.sh KBPF_EMBEDDED.ko ACCEPT_ALL.bpf.o
# environment: KBPFCTL (default: kbpfctl in PATH)

set -u
e2e_name=embedded.sh
KBPF_KO=${1:?usage: embedded.sh KBPF_EMBEDDED.ko ACCEPT_ALL.bpf.o}
accept_obj=${2:?usage: embedded.sh KBPF_EMBEDDED.ko ACCEPT_ALL.bpf.o}
pool=65536
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

feature_of() { "$kbpfctl" feature | sed -n "s/^$1 //p"; }

check_features()
{
	local out

	out=$("$kbpfctl" feature 2>&1)
	indent <<<"$out"
	check "feature: profile embedded" grep -q '^profile embedded$' <<<"$out"
	check "feature: deadline is the embedded default policy" grep -q '^policy deadline$' <<<"$out"
	check "feature: pool_size $pool" grep -q "^pool_size $pool\$" <<<"$out"
	check "feature: the memory limits (verifier, one map, all maps, trace lines)" \
		grep -qz 'max_verifier_bytes 1048576.*max_map_bytes 1048576.*max_maps_bytes 4194304.*maps_bytes_used 0.*trace_lines 32' <<<"$out"
	check "feature: the pool is in use after load (queues, run lists)" \
		test "$(feature_of pool_used)" -gt 0
	check "feature -j is one JSON object with the limits" \
		grep -q '"profile":"embedded".*"max_insns":4096' <<<"$("$kbpfctl" -j feature)"
}

maps=0
# fill_maps VALUE_SIZE: create 16-entry array maps until one does not fit.
fill_maps()
{
	while map_err=$("$kbpfctl" map create type array key 4 value "$1" \
			entries 16 name "fill$maps" 2>&1); do
		maps=$((maps + 1))
	done
}

# Fill the pool with maps, coarse to fine, until not even a small program
# fits; then give everything back.
check_exhaustion()
{
	local base err i

	base=$(feature_of pool_used)
	fill_maps 1024
	fill_maps 64
	fill_maps 8
	echo "    $maps maps fill the pool ($(feature_of pool_used) of $pool bytes); the next: $map_err"
	check "maps stop fitting at the pool's end, before the 64-map limit ($maps)" \
		test "$maps" -gt 2 -a "$maps" -lt 64
	check "the refused map create says why" grep -qi 'memory\|pool' <<<"$map_err"
	if err=$("$kbpfctl" prog load "$accept_obj" name toomuch 2>&1); then
		fail "a program loads into a full pool"
	elif grep -Eq "embedded pool exhausted: [0-9]+ of $pool bytes in use" <<<"$err"; then
		pass "a load into the full pool: $(grep -o 'embedded pool exhausted.*in use' <<<"$err")"
	else
		fail "exhaustion message, got: $err"
	fi
	check "the failed load left nothing registered" test "$(prog_count)" -eq 0
	for i in $(seq 0 $((maps - 1))); do
		"$kbpfctl" map destroy name "fill$i" || fail "map destroy fill$i"
	done
	check "destroying the maps gives the pool back ($(feature_of pool_used) = $base bytes)" \
		test "$(feature_of pool_used)" -eq "$base"
	check "a program loads again afterwards" "$kbpfctl" prog load "$accept_obj" name again
}

# Programs' and maps' registry entries and statistics come from the pool
# too: a load takes them from it and an unload gives every byte back; a
# resize is refused with the embedded reason.
check_pooled_objects()
{
	local base loaded out

	base=$(feature_of pool_used)
	"$kbpfctl" prog load "$accept_obj" name pooled || { fail "prog load pooled"; return; }
	loaded=$(feature_of pool_used)
	"$kbpfctl" prog unload pooled
	check "a program and its registry entry come from the pool ($((loaded - base)) bytes) and go back" \
		test "$loaded" -gt "$base" -a "$(feature_of pool_used)" -eq "$base"
	"$kbpfctl" map create type array key 4 value 8 entries 4 name small ||
		fail "map create small"
	out=$("$kbpfctl" map resize small 8 2>&1)
	check "map resize is refused: $out" \
		grep -q 'embedded profile sizes maps once, from its static pool' <<<"$out"
	"$kbpfctl" map destroy small
	check "the refused resize and the destroy leave the pool as it was" \
		test "$(feature_of pool_used)" -eq "$base"
}

check_deadline_attach()
{
	check "attach under the default deadline policy" \
		"$kbpfctl" prog attach again hook ipv4/local_in budget 10
	check "ping passes accept_all under the deadline policy" ping_in "" 127.0.0.1
	check "hook list shows the deadline policy" \
		grep -q 'policy deadline' <<<"$("$kbpfctl" hook list)"
	"$kbpfctl" prog unload again
}

main()
{
	e2e_begin "$accept_obj"
	pp insmod "$kbpf_ko" pool_size=$pool || die "insmod $kbpf_ko pool_size=$pool"
	check_features
	check_pooled_objects
	check_exhaustion
	check_deadline_attach
	check_rmmod "rmmod the embedded module"
	check_kernel_log
	e2e_end
}

main
