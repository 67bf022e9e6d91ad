# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers shared by the e2e scripts that run inside the test VM (netfilter.sh,
# abi.sh, kbpfctl.sh, stress.sh): TAP-like check lines, pings that cannot hang,
# registry queries through kbpfctl, and the kernel log check every script
# ends with.  Source it; it defines functions and these variables:
#
#   kbpf_ko   kbpf.ko ($KBPF_KO)      kbpfctl   the tool ($KBPFCTL or PATH)
#   tmp       a private directory, removed on exit
#
# A script sets e2e_name, calls e2e_begin [FILE...] (the inputs it needs),
# then pass/fail per check, and e2e_end, which prints "1..N" and exits 1 if
# anything failed.

e2e_name=${e2e_name:?set e2e_name before sourcing lib.sh}
kbpf_ko=${KBPF_KO:?KBPF_KO must name kbpf.ko}
kbpfctl=${KBPFCTL:-kbpfctl}
tmp=$(mktemp -d)
failures=0
checks=0
e2e_cleanups=()

pretty() { echo "[+] ${1:+$1: }$2" >&2; }
pp() { pretty "" "$*"; "$@"; }
indent() { sed 's/^/    /'; }
pass() { checks=$((checks + 1)); echo "ok $checks - $*"; }
fail() { checks=$((checks + 1)); failures=$((failures + 1)); echo "not ok $checks - $*"; }
# A setup step the rest depends on failed: stop here.
die() { fail "$*"; echo "$e2e_name: stopped after a failed setup step" >&2; exit 1; }
# check TEXT CMD...: one check that CMD succeeds.
check() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }
# check_not TEXT CMD...: one check that CMD fails.
check_not() { local what=$1; shift; if "$@"; then fail "$what"; else pass "$what"; fi; }

# expect_refusal WHAT PATTERN CMD...: one check that CMD fails and that what
# it prints (stdout and stderr) matches the extended regex PATTERN.
expect_refusal()
{
	local what=$1 pattern=$2 out

	shift 2
	if out=$("$@" 2>&1); then
		fail "$what: '$*' must fail"
	elif grep -Eq -- "$pattern" <<<"$out"; then
		pass "$what: refused: $out"
	else
		fail "$what: refused, but says '$out', not /$pattern/"
	fi
}

# Run at exit, last registered first.
on_exit() { e2e_cleanups=("$*" "${e2e_cleanups[@]}"); }

e2e_cleanup()
{
	local c

	set +e
	exec 2>/dev/null
	for c in "${e2e_cleanups[@]}"; do
		eval "$c"
	done
	grep -q '^kbpf ' /proc/modules && rmmod kbpf
	rm -rf "$tmp"
}

# One echo request that cannot hang (busybox ping waits with alarm(), which a
# kernel without POSIX timers lacks).  ping_in NS|"" ADDR; NS "" is this one.
# Full path to ip: busybox timeout prefers its own ip applet.
ping_in()
{
	local ns=$1 addr=$2

	if [ -n "$ns" ]; then
		timeout 5 "$(command -v ip)" netns exec "$ns" ping -c 1 -W 2 "$addr" >/dev/null 2>&1
	else
		timeout 5 ping -c 1 -W 2 "$addr" >/dev/null 2>&1
	fi
}

# Number of attachments of every program, in every namespace.
attachment_count()
{
	"$kbpfctl" -j prog list 2>/dev/null | grep -o '"netns_cookie"' | wc -l
}

prog_count()
{
	"$kbpfctl" -j prog list 2>/dev/null | grep -o '"insn_cnt"' | wc -l
}

# wait_for SECONDS CMD...: poll CMD every 0.2 s until it succeeds.
wait_for()
{
	local tries=$(($1 * 5))

	shift
	while [ "$tries" -gt 0 ]; do
		"$@" && return 0
		sleep 0.2
		tries=$((tries - 1))
	done
	return 1
}

# A 28-byte IPv4 packet, 127.0.0.1 to itself, carrying an ICMP header of
# type $2 (8: echo request, 0: echo reply), written to file $1.
write_icmp_packet()
{
	local type

	type=$(printf '%02x' "$2")
	printf '\x45\x00\x00\x1c\x00\x01\x00\x00\x40\x01\x00\x00' >"$1"
	printf '\x7f\x00\x00\x01\x7f\x00\x00\x01' >>"$1"
	# shellcheck disable=SC2059 # the type byte is built into the format
	printf "\\x$type\\x00\\x00\\x00\\x00\\x00\\x00\\x00" >>"$1"
}

attachments_are() { [ "$(attachment_count)" -eq "$1" ]; }

# map_churn_run: one test run of progs/map_churn.bpf.o (loaded as
# map_churn): a burst of deletes and inserts in its 64-entry hash map
# until an insert fails, then every key deleted.  Sets churn_inserted,
# churn_errno and churn_deleted from its results map (added up over runs).
map_churn_result() { "$kbpfctl" map lookup results key "$1" 0 0 0 | sed -n 's/.*value: \([0-9]*\)$/\1/p'; }
map_churn_run()
{
	write_icmp_packet "$tmp/churn_packet" 8
	"$kbpfctl" prog run map_churn --data "$tmp/churn_packet" >/dev/null ||
		fail "prog run map_churn"
	# shellcheck disable=SC2034 # read by the script that sources this
	churn_inserted=$(map_churn_result 0)
	# shellcheck disable=SC2034
	churn_errno=$(map_churn_result 1)
	# shellcheck disable=SC2034
	churn_deleted=$(map_churn_result 2)
}

insmod_kbpf()
{
	pp insmod "$kbpf_ko" || die "insmod $kbpf_ko"
	[ -c /dev/kbpf ] || die "/dev/kbpf exists after insmod"
}

# rmmod, then nothing of kbpf may remain.
check_rmmod()
{
	local what=$1

	if ! pp rmmod kbpf; then
		fail "$what: rmmod kbpf"
	elif [ -e /sys/module/kbpf ] || [ -e /dev/kbpf ]; then
		fail "$what: /sys/module/kbpf or /dev/kbpf left after rmmod"
	else
		pass "$what"
	fi
}

# The kernel log since e2e_begin has no warning, oops or leak report; with
# kmemleak (the KUnit kernel), a scan finds nothing.
check_kernel_log()
{
	local bad

	if [ -w /sys/kernel/debug/kmemleak ]; then
		# kmemleak reports only objects older than 5 s.
		sleep 6
		echo scan >/sys/kernel/debug/kmemleak
		echo scan >/sys/kernel/debug/kmemleak
		if [ -s /sys/kernel/debug/kmemleak ]; then
			head -n 40 /sys/kernel/debug/kmemleak
			fail "kmemleak reports no leak"
		else
			pass "kmemleak reports no leak"
		fi
	fi
	bad=$(dmesg | grep -Ei 'WARNING:|BUG:|Oops|general protection|UBSAN|KASAN|leak|refcount_t|list_(add|del) corruption|cut here|lockdep|circular locking|RCU stall')
	if [ -n "$bad" ]; then
		indent <<<"$bad"
		fail "dmesg shows no WARNING, BUG, Oops or leak report"
	else
		pass "dmesg shows no WARNING, BUG, Oops or leak report"
	fi
}

# e2e_begin [FILE...]: check the environment and that FILEs are readable.
e2e_begin()
{
	local f

	[ "$(id -u)" = 0 ] || { echo "$e2e_name: run as root (inside the VM)" >&2; exit 2; }
	for f in "$kbpf_ko" "$@"; do
		[ -r "$f" ] || { echo "$e2e_name: cannot read $f" >&2; exit 2; }
	done
	command -v "$kbpfctl" >/dev/null || { echo "$e2e_name: no kbpfctl" >&2; exit 2; }
	if grep -q '^kbpf ' /proc/modules; then
		echo "$e2e_name: kbpf is already loaded; a script starts without it" >&2
		exit 2
	fi
	trap e2e_cleanup EXIT
	[ -w /sys/kernel/debug/kmemleak ] && echo clear >/sys/kernel/debug/kmemleak
	dmesg -c >/dev/null
	ip link set lo up
}

e2e_end()
{
	echo "1..$checks"
	if [ $failures -ne 0 ]; then
		echo "$e2e_name: $failures of $checks checks FAILED"
		exit 1
	fi
	echo "$e2e_name: all $checks checks passed"
}
