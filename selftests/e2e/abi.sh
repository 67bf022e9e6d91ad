#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The ABI of kbpf.ko, run as root inside the test VM: selftests/e2e/abi_test
# (a static C program speaking raw ioctls and generic netlink, see its
# header) checks every argument rule of uapi/linux/kbpf.h; around it, this
# script checks that rmmod frees what the test leaves behind (a program
# attached to two hooks, holding a map) and that the kernel log stays clean.
#
# usage: abi.sh ABI_TEST
# environment: KBPF_KO (kbpf.ko), KBPFCTL (default: kbpfctl in PATH)

set -u
e2e_name=abi.sh
abi_test=${1:?usage: abi.sh ABI_TEST}
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# The C test's own "ok N" lines are indented, as a TAP subtest.
run_abi_test()
{
	local rc summary

	pretty "" "$abi_test -k"
	"$abi_test" -k >"$tmp/abi.out" 2>&1
	rc=$?
	indent <"$tmp/abi.out"
	summary=$(tail -n 1 "$tmp/abi.out")
	if [ $rc -eq 0 ] && grep -Eq '^[0-9]+ passed, 0 failed' <<<"$summary"; then
		pass "abi_test: $summary"
	else
		grep '^not ok' "$tmp/abi.out" | sed 's/^/# /'
		fail "abi_test: $summary (exit $rc)"
	fi
}

main()
{
	[ -x "$abi_test" ] || { echo "abi.sh: cannot run $abi_test" >&2; exit 2; }
	e2e_begin "$abi_test"
	insmod_kbpf
	run_abi_test

	# abi_test -k left abi_kept attached to ipv4/pre_routing and
	# ipv6/local_out, holding the map abi_kept.
	if [ "$(attachment_count)" -eq 2 ] && "$kbpfctl" map show name abi_kept >/dev/null 2>&1; then
		pass "abi_test -k left a program attached twice and its map"
	else
		fail "abi_test -k left a program attached twice and its map"
		"$kbpfctl" prog list 2>&1 | indent
	fi
	check "ping works with an accept-all program on two hooks" ping_in "" 127.0.0.1
	check_rmmod "rmmod with a program attached and a map in use"

	# A fresh module starts from an empty registry.
	insmod_kbpf
	check "after reloading the module, prog list and map list are empty" \
		test "$(prog_count)" -eq 0 -a -z "$("$kbpfctl" map list 2>&1)"
	check_rmmod "rmmod of the reloaded module"
	check_kernel_log
	e2e_end
}

main
