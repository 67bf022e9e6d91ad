#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Map ioctls of kbpf.ko, run as root inside the test VM: maps_test (a
# static C program, see its header) checks the per-CPU value layout, the
# memory bounds with their reasons, and a ring buffer's descriptor (mmap,
# poll, records read in place).  The VM runs with panic_on_warn: asking
# for the largest maps must not WARN.  The kernel log must stay clean.
#
# Then `kbpfctl map resize` (cloud profile): hash_by_mark.bpf.o, attached
# at ipv4/pre_routing, counts every packet in an array (total) and a hash
# (by_mark) while both are resized back and forth under a UDP flood over
# loopback; the count survives and keeps growing, and the refusals (a hash
# shrunk below its elements, 0 entries) carry their reasons.  A burst of
# deletes and inserts in one run (map_churn.bpf.o) stops at the map's
# budgeted elements.  Then `kbpfctl map freeze`: updates and resizes
# refused after it, with reasons.
#
# usage: maps.sh MAPS_TEST HASH_BY_MARK.bpf.o
# environment: KBPF_KO (kbpf.ko), KBPFCTL (default: kbpfctl in PATH)

set -u
e2e_name=maps.sh
maps_test=${1:?usage: maps.sh MAPS_TEST HASH_BY_MARK.bpf.o}
resize_obj=${2:?usage: maps.sh MAPS_TEST HASH_BY_MARK.bpf.o}
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

run_maps_test()
{
	local rc summary

	pretty "" "$maps_test"
	"$maps_test" >"$tmp/maps.out" 2>&1
	rc=$?
	indent <"$tmp/maps.out"
	summary=$(tail -n 1 "$tmp/maps.out")
	if [ $rc -eq 0 ] && grep -Eq '^[0-9]+ passed, 0 failed' <<<"$summary"; then
		pass "maps_test: $summary"
	else
		grep '^not ok' "$tmp/maps.out" | sed 's/^/# /'
		fail "maps_test: $summary (exit $rc)"
	fi
}

# The packet count in total[0], as a decimal number (typed through BTF).
packets() { "$kbpfctl" map lookup total key 0 0 0 0 | sed -n 's/.*value: \([0-9]*\)$/\1/p'; }

flood_pid=
start_flood()
{
	(while :; do echo x >/dev/udp/127.0.0.1/9; done) 2>/dev/null &
	flood_pid=$!
	on_exit "kill $flood_pid"
}

stop_flood() { kill "$flood_pid"; wait "$flood_pid" 2>/dev/null; }

check_resize_under_traffic()
{
	local i n errs=0 before after out

	pp "$kbpfctl" load "$resize_obj" || { fail "load $resize_obj"; return; }
	check "resize the array to 64 entries" "$kbpfctl" map resize total 64
	out=$("$kbpfctl" map list total)
	indent <<<"$out"
	check "map list shows 64 entries" grep -q 'max_entries 64$' <<<"$out"
	start_flood
	wait_for 10 test "$(packets)" -gt 0 2>/dev/null
	before=$(packets)
	for i in $(seq 1 20); do
		n=$((i % 2 ? 1 : 64))
		"$kbpfctl" map resize total "$n" || errs=$((errs + 1))
		"$kbpfctl" map resize by_mark "$((n + 7))" || errs=$((errs + 1))
	done
	sleep 1
	after=$(packets)
	stop_flood
	echo "    total[0]: $before packets before 40 resizes, $after after"
	check "40 resizes under traffic succeed" test "$errs" -eq 0
	check "the count survives the resizes and keeps growing" \
		test "${after:-0}" -gt "${before:-0}" -a "${before:-0}" -gt 0
	for i in 1 2 3; do
		"$kbpfctl" map update by_mark key "$i" 0 0 0 value 1 0 0 0 0 0 0 0 ||
			fail "map update by_mark key $i"
	done
	expect_refusal "a hash shrunk below its elements" \
		'holds 4 elements, more than 2' "$kbpfctl" map resize by_mark 2
	expect_refusal "0 entries" 'must not be 0' "$kbpfctl" map resize total 0
	"$kbpfctl" prog unload hash_by_mark
}

# Elements a run deletes wait for their grace period, which cannot end
# during the run, and count against the map until freed: a burst of
# deletes and inserts in one run stops at max_entries plus the grace
# reserve (64 + 64 / 4 + 16) with ENOMEM, though the map never holds more
# than 63 keys; userspace's insert after it waits for the grace period if
# need be.
check_grace_burst()
{
	local churn_obj

	churn_obj=$(dirname "$resize_obj")/map_churn.bpf.o
	"$kbpfctl" prog load "$churn_obj" name map_churn >/dev/null ||
		{ fail "prog load map_churn"; return; }
	map_churn_run
	check "a burst in one run: $churn_inserted inserts (64 + 32 elements held), then errno $churn_errno" \
		test "${churn_inserted:-0}" -eq 96 -a "${churn_errno:-0}" -eq 12
	check "the 63 keys left deleted ($churn_deleted)" test "${churn_deleted:-0}" -eq 63
	check "userspace inserts right after the burst" \
		"$kbpfctl" map update churn key 1 0 0 0 value 1 0 0 0 0 0 0 0
	"$kbpfctl" prog unload map_churn
	"$kbpfctl" map destroy churn
	"$kbpfctl" map destroy results
}

# check_map_state WHEN PLAIN JSON: map show and map list of the map named
# frozen (plain output matching PLAIN, -j matching JSON), the same through
# the device and through netlink.
check_map_state()
{
	local when=$1 plain=$2 json=$3 args dev nl

	for args in "map show frozen" "-j map show frozen" "map list" "-j map list"; do
		# shellcheck disable=SC2086 # the words are split on purpose
		dev=$("$kbpfctl" --via dev $args 2>&1)
		# shellcheck disable=SC2086
		nl=$("$kbpfctl" --via netlink $args 2>&1)
		[ "$dev" = "$nl" ] || { fail "$when: kbpfctl $args: --via dev '$dev', --via netlink '$nl'"; continue; }
		case $args in
		-j*) check "$when: kbpfctl $args: $(grep -o '"name":"frozen"[^}]*}' <<<"$dev")" \
			grep -q "\"name\":\"frozen\"[^}]*$json" <<<"$dev" ;;
		*) check "$when: kbpfctl $args: $(grep 'name frozen ' <<<"$dev")" \
			grep -Eq "name frozen .*$plain" <<<"$dev" ;;
		esac
	done
}

# kbpfctl map freeze: a map read-only for programs (flags 0x80), then for
# userspace too; map show and map list say so through both doors.
check_freeze()
{
	pp "$kbpfctl" map create type array key 4 value 8 entries 2 name frozen \
		flags 0x80 || { fail "map create ... flags 0x80"; return; }
	check_map_state "before the freeze" 'max_entries 2  flags rdonly_prog$' \
		'"flags":128,"flag_names":\["rdonly_prog"\],"frozen":0}'
	check "update before the freeze" \
		"$kbpfctl" map update frozen key 1 0 0 0 value 7 0 0 0 0 0 0 0
	check "kbpfctl map freeze frozen" "$kbpfctl" map freeze frozen
	check_map_state "after the freeze" 'max_entries 2  flags rdonly_prog  frozen$' \
		'"flags":128,"flag_names":\["rdonly_prog"\],"frozen":1}'
	expect_refusal "update after the freeze" \
		"^Error: map 'frozen': frozen, userspace may not change it" \
		"$kbpfctl" map update frozen key 1 0 0 0 value 8 0 0 0 0 0 0 0
	expect_refusal "resize after the freeze: one message, no 'permission denied'" \
		"^Error: cannot resize map 'frozen': the map is frozen: its size is fixed too$" \
		"$kbpfctl" map resize frozen 4
	expect_refusal "freeze twice" 'frozen already' \
		"$kbpfctl" map freeze frozen
	check "lookup after the freeze: the value before it" \
		grep -q "value: 07 00 00 00 00 00 00 00" \
		<<<"$("$kbpfctl" map lookup frozen key 1 0 0 0)"
	"$kbpfctl" map destroy frozen
}

main()
{
	[ -x "$maps_test" ] || { echo "maps.sh: cannot run $maps_test" >&2; exit 2; }
	e2e_begin "$maps_test"
	insmod_kbpf
	run_maps_test
	check_resize_under_traffic
	check_grace_burst
	check_freeze
	check_rmmod "rmmod with the test's maps left behind"
	check_kernel_log
	e2e_end
}

main
