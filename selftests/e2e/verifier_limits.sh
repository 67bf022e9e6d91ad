#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The verifier's limits inside kbpf.ko, run as root inside the test VM:
#
#  - a load the verifier would work on for seconds (selftests/progs/
#    slow_verify: 30 JSETs forking every path until 1M insns are processed)
#    is still running after a second; SIGKILL ends it within 3 s (the
#    verifier polls for a fatal signal every 4096 insns: well under 100 ms
#    of work even in TCG; the rest is a loaded host) where the whole
#    verification takes about 20 s in the guest; nothing is registered,
#    and the module unloads cleanly (no leaked state);
#  - after that, the same module still verifies and loads a program.
#
# usage: verifier_limits.sh SLOW_VERIFY.bpf.o ACCEPT_ALL.bpf.o
# environment: KBPF_KO (kbpf.ko), KBPFCTL (default: kbpfctl in PATH)

set -u
e2e_name=verifier_limits.sh
usage="usage: verifier_limits.sh SLOW_VERIFY.bpf.o ACCEPT_ALL.bpf.o"
slow_obj=${1:?$usage}
ok_obj=${2:?$usage}
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

alive() { kill -0 "$1" 2>/dev/null; }

check_killed_verification()
{
	local pid tenths=0

	pretty "" "$kbpfctl prog load $slow_obj & (killed after 1 s)"
	"$kbpfctl" prog load "$slow_obj" >"$tmp/out" 2>"$tmp/err" &
	pid=$!
	sleep 1
	if ! alive "$pid"; then
		indent <"$tmp/err"
		die "kill: the slow verification is still running after 1 s"
	fi
	pass "kill: the slow verification is still running after 1 s"
	kill -KILL "$pid"
	while alive "$pid" && [ $tenths -lt 100 ]; do
		sleep 0.1
		tenths=$((tenths + 1))
	done
	wait "$pid" 2>/dev/null || true
	if [ $tenths -le 30 ]; then
		pass "kill: kbpfctl ended $((tenths * 100)) ms after SIGKILL"
	else
		fail "kill: kbpfctl ended within 3 s of SIGKILL (took $((tenths * 100)) ms or more)"
	fi
	check "kill: nothing is registered" test "$(prog_count)" -eq 0
}

check_loads_after()
{
	if pp "$kbpfctl" prog load "$ok_obj" >"$tmp/out" 2>&1; then
		pass "after the kill, a program still loads"
	else
		indent <"$tmp/out"
		fail "after the kill, a program still loads"
	fi
	check "one program registered" test "$(prog_count)" -eq 1
}

e2e_begin "$slow_obj" "$ok_obj"
insmod_kbpf
check_killed_verification
check_loads_after
check_rmmod "rmmod after a killed verification"
check_kernel_log
e2e_end
