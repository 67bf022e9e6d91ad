#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Map ioctls of kbpf.ko, run as root inside the test VM: maps_test (a
# static C program, see its header) checks the per-CPU value layout, the
# memory bounds with their reasons, and a ring buffer's descriptor (mmap,
# poll, records read in place).  The VM runs with panic_on_warn: asking
# for the largest maps must not WARN.  The kernel log must stay clean.
#
# usage: maps.sh MAPS_TEST
# environment: KBPF_KO (kbpf.ko), KBPFCTL (default: kbpfctl in PATH)

set -u
e2e_name=maps.sh
maps_test=${1:?usage: maps.sh MAPS_TEST}
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

main()
{
	[ -x "$maps_test" ] || { echo "maps.sh: cannot run $maps_test" >&2; exit 2; }
	e2e_begin "$maps_test"
	insmod_kbpf
	run_maps_test
	check_rmmod "rmmod with the test's maps left behind"
	check_kernel_log
	e2e_end
}

main
