#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the test VM (selftests/fuzz-abi/run puts it there): loads
# kbpf.ko, runs one test against it, unloads it, and checks the kernel's
# health.  The test is one of
#
#   fuzz SECONDS SEED WORKERS   fuzz_abi for SECONDS
#   faults SECONDS SEED         fuzz_abi --faults: random allocation failures
#                               (failslab + fail_page_alloc, this task only)
#   walk MAX_NTH                fuzz_abi --fault-walk: the 1st, 2nd, ...
#                               allocation of every scenario fails in turn
#   stress SECONDS              kbpf_stress: maps and attachments under
#                               packets on every CPU, rmmod under a flood,
#                               netns deletion under traffic
#
# Afterwards: `rmmod kbpf` must work and leave no /dev/kbpf; kmemleak (when
# the kernel has it) must report nothing; the kernel log must have no
# WARNING, BUG, KASAN, UBSAN, lockdep or RCU report.  Prints
# "fuzz-abi: PASS" or "fuzz-abi: FAIL (...)" and exits 0 or 1.
#
# usage: guest.sh DIR MODE ARGS...   (DIR holds fuzz_abi and kbpf_stress)
# environment: KBPF_KO

set -u
dir=$1
mode=$2
shift 2
kbpf_ko=${KBPF_KO:?KBPF_KO must name kbpf.ko}
leaks=/sys/kernel/debug/kmemleak
fi_dir=/sys/kernel/debug
failed=()

note() { echo "fuzz-abi: $*"; }
fail() { failed+=("$*"); note "FAIL: $*"; }

# Random failures for tasks that set make-it-fail (the fuzzer does, around
# each operation); GFP_KERNEL allocations included.
setup_random_faults()
{
	local pct=$1 f

	for f in failslab fail_page_alloc; do
		[ -d "$fi_dir/$f" ] || { fail "no $fi_dir/$f: kernel without FAILSLAB/FAIL_PAGE_ALLOC"; return 1; }
		echo "$pct" >"$fi_dir/$f/probability"
		echo 1 >"$fi_dir/$f/interval"
		echo -1 >"$fi_dir/$f/times"
		echo 0 >"$fi_dir/$f/space"
		echo 0 >"$fi_dir/$f/verbose"
		echo Y >"$fi_dir/$f/task-filter"
		echo N >"$fi_dir/$f/ignore-gfp-wait"
	done
	echo N >"$fi_dir/fail_page_alloc/ignore-gfp-highmem"
}

# fail-nth: GFP_KERNEL allocations count too; no console noise per failure.
# Only fault points with a module's code on the stack count (the stacktrace
# filter: from the end of the kernel image to the end of the module area),
# so the walk covers kbpf's allocations and user copies, not the module
# loader's or the netlink core's.
setup_nth_faults()
{
	local f start end=0xffffffffff000000

	[ -e /proc/self/fail-nth ] || { fail "no /proc/self/fail-nth: kernel without FAULT_INJECTION"; return 1; }
	start=$(sed -n 's/^\([0-9a-f]*\) . _end$/0x\1/p' /proc/kallsyms)
	[ -n "$start" ] || { fail "no _end in /proc/kallsyms"; return 1; }
	for f in failslab fail_page_alloc fail_usercopy; do
		[ -d "$fi_dir/$f" ] || { fail "no $fi_dir/$f"; return 1; }
		echo 0 >"$fi_dir/$f/verbose"
		[ -e "$fi_dir/$f/ignore-gfp-wait" ] && echo N >"$fi_dir/$f/ignore-gfp-wait"
		if [ -e "$fi_dir/$f/require-start" ]; then
			echo "$start" >"$fi_dir/$f/require-start"
			echo "$end" >"$fi_dir/$f/require-end"
			echo 32 >"$fi_dir/$f/stacktrace-depth"
		fi
	done
	note "fault points counted: stacks through [$start, $end)"
}

run_test()
{
	local rc=0

	case $mode in
	fuzz)
		"$dir/fuzz_abi" -d "$1" -s "$2" -j "${3:-1}" ${FUZZ_ABI_ARGS:-} || rc=$?
		;;
	faults)
		setup_random_faults "${3:-10}" || return
		"$dir/fuzz_abi" --faults -d "$1" -s "$2" || rc=$?
		;;
	walk)
		setup_nth_faults || return
		# The walk loads and unloads the module itself.
		rmmod kbpf
		"$dir/fuzz_abi" --fault-walk "$kbpf_ko" --max-nth "$1" || rc=$?
		grep -q '^kbpf ' /proc/modules || insmod "$kbpf_ko"
		;;
	stress)
		"$dir/kbpf_stress" -d "$1" "$kbpf_ko" || rc=$?
		grep -q '^kbpf ' /proc/modules || insmod "$kbpf_ko"
		;;
	*)
		fail "unknown mode '$mode'"
		return
		;;
	esac
	[ $rc = 0 ] || fail "$mode exited with status $rc"
}

check_rmmod()
{
	if ! rmmod kbpf; then
		fail "rmmod kbpf"
	elif [ -e /dev/kbpf ] || [ -e /sys/module/kbpf ]; then
		fail "/dev/kbpf or /sys/module/kbpf left after rmmod"
	else
		note "rmmod kbpf: ok"
	fi
}

# Objects kmemleak reports after the run; it reports an object only once
# it is 5 s old, and a second scan confirms.
check_kmemleak()
{
	[ -w $leaks ] || { note "no kmemleak in this kernel: leaks not checked"; return; }
	sleep 6
	echo scan >$leaks
	echo scan >$leaks
	if [ -s $leaks ]; then
		head -n 80 $leaks
		fail "kmemleak: $(grep -c '^unreferenced object' $leaks) unreferenced objects"
	else
		note "kmemleak: no leaks"
	fi
}

check_dmesg()
{
	local bad

	bad=$(dmesg | grep -E 'WARNING:|BUG:|Oops|general protection|UBSAN:|KASAN:|refcount_t:|list_(add|del) corruption|cut here|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|RCU stall|sleeping function called|hung task|soft lockup|kmemleak: .*disabl|Out of memory|oom-kill|invoked oom-killer')
	if [ -n "$bad" ]; then
		dmesg | tail -n 120
		fail "kernel log: $(wc -l <<<"$bad") report lines"
	else
		note "kernel log: clean"
	fi
}

main()
{
	[ -w $leaks ] && { echo scan >$leaks; echo clear >$leaks; }
	dmesg -c >/dev/null
	ip link set lo up
	# The cloud profile lets maps take 4 GiB in all: more than the VM has.
	# Keep the fuzzer's maps to a quarter of its memory, so that the OOM
	# killer does not end the run (the bounds themselves are tested at
	# this smaller size just the same).
	insmod "$kbpf_ko" max_map_memory=$(($(sed -n 's/^MemTotal: *\([0-9]*\) kB/\1/p' /proc/meminfo) * 256)) ||
		{ fail "insmod $kbpf_ko"; exit 1; }
	[ -c /dev/kbpf ] || fail "/dev/kbpf after insmod"
	start=$(date +%s)
	run_test "$@"
	note "$mode ran $(($(date +%s) - start)) s"
	check_rmmod
	check_kmemleak
	check_dmesg
	if [ ${#failed[@]} -ne 0 ]; then
		note "FAIL (${failed[*]})"
		exit 1
	fi
	note "PASS"
}

main "$@"
