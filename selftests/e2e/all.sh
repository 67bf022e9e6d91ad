#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run e2e scripts one after another inside the test VM and say which failed.
# Every script is run even when an earlier one failed; each starts with
# kbpf.ko not loaded and leaves it unloaded.
#
# usage: all.sh 'SCRIPT ARGS...' ['SCRIPT ARGS...' ...]
#   each argument is one command line, split on spaces

set -u
failed=()
for cmd in "$@"; do
	name=$(basename "${cmd%% *}")
	echo "# ---- $name ----"
	start=$(date +%s)
	# shellcheck disable=SC2086 # the command line is split on purpose
	$cmd
	rc=$?
	if [ $rc -ne 0 ]; then
		failed+=("$name")
		echo "# $name: FAILED (exit $rc) in $(($(date +%s) - start))s"
	else
		echo "# $name: passed in $(($(date +%s) - start))s"
	fi
	# A failed script may leave the module loaded: the next starts clean.
	grep -q '^kbpf ' /proc/modules && rmmod kbpf
done
if [ ${#failed[@]} -ne 0 ]; then
	echo "e2e: FAILED: ${failed[*]}"
	exit 1
fi
echo "e2e: all $# scripts passed"
