#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the KUnit test VM (selftests/kunit/run puts it there).  Loads
# kbpf.ko and then kbpf_kunit.ko, whose suites KUnit runs while it loads;
# unloads both; checks kmemleak for objects kbpf allocated and never freed;
# prints the kernel log between markers for the host to parse with
# kunit.py.  The exit status covers loading, unloading and leaks; test
# verdicts are the host's to read from the KTAP output.
#
# Arguments: KBPF_KO KBPF_KUNIT_KO [KBPF_PARAM...]

kbpf_ko=$1
kunit_ko=$2
shift 2
status=0
leaks=/sys/kernel/debug/kmemleak

fail() { echo "kbpf-kunit: $*"; status=1; }

# Forget what boot left behind, so a report after rmmod is ours.
if [ -w $leaks ]; then
	echo scan >$leaks
	echo clear >$leaks
fi

insmod "$kbpf_ko" "$@" || fail "insmod kbpf.ko failed"
if [ $status = 0 ]; then
	insmod "$kunit_ko" || fail "insmod kbpf_kunit.ko failed"
	rmmod kbpf_kunit || fail "rmmod kbpf_kunit failed"
	rmmod kbpf || fail "rmmod kbpf failed"
fi

# kmemleak reports an object only once it is older than 5 s.
if [ -w $leaks ]; then
	sleep 6
	echo scan >$leaks
	if grep -q kbpf $leaks; then
		cat $leaks
		fail "kmemleak found objects allocated by kbpf and never freed"
	fi
else
	echo "kbpf-kunit: note: no kmemleak in this kernel, leaks not checked"
fi

echo "@@kbpf-kunit-dmesg-begin@@"
dmesg
echo "@@kbpf-kunit-dmesg-end@@"
exit $status
