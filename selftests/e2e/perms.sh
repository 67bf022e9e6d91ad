#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The permission model of uapi/linux/kbpf.h (one model for /dev/kbpf and
# netlink, docs/architecture.md "Permissions") as a user meets it through
# kbpfctl, inside the test VM:
#
#  - an unprivileged user (nobody) gets "permission denied" for everything
#    but the version, even with the device node opened up to everyone;
#  - the root of a user namespace without a network namespace of its own
#    (unshare -Ur) is nobody to kbpf;
#  - the root of a user namespace with its own network namespace
#    (unshare -Urn) sees none of the host's objects, loads, attaches and
#    lists its own, and its objects go away with its namespace; the host's
#    root sees them meanwhile;
#  - one host program attached on every hook of PERMS_NETNS (default 45)
#    namespaces lists fully through `prog list` and `prog show`: the dump
#    spreads it over several messages, and kbpfctl puts it back together.
#
# usage: perms.sh DROP_OBJ ABI_TEST
# environment: KBPF_KO (kbpf.ko), KBPFCTL (default: kbpfctl in PATH)

set -u
e2e_name=perms.sh
drop_obj=${1:?usage: perms.sh DROP_OBJ ABI_TEST}
abi_test=${2:?usage: perms.sh DROP_OBJ ABI_TEST}
many=${PERMS_NETNS:-45}
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ctl() { pp "$kbpfctl" "$@"; }
progs_are() { [ "$(prog_count)" -eq "$1" ]; }

# as_nobody_denied TEXT ARGS...: as nobody, kbpfctl ARGS fails with
# "permission denied".
as_nobody_denied()
{
	local what=$1

	shift
	pretty nobody "kbpfctl $*"
	expect_refusal "nobody: $what" '^Error: permission denied' \
		su -s /bin/sh nobody -c "$kbpfctl $*"
}

check_unprivileged()
{
	local id=$1

	# The module's own checks, not the node's mode, must stop nobody.
	chmod 0666 /dev/kbpf
	as_nobody_denied "prog list" prog list
	as_nobody_denied "prog show" prog show "$id"
	as_nobody_denied "map list" map list
	as_nobody_denied "prog load" prog load "$drop_obj" name nobodys
	as_nobody_denied "prog unload" prog unload "$id"
	as_nobody_denied "prog detach" prog detach "$id"
	echo x >"$tmp/pkt"
	chmod 0644 "$tmp/pkt"
	chmod 0755 "$tmp"
	as_nobody_denied "prog run" prog run "$id" data "$tmp/pkt"
	check "nobody: kbpfctl version still works" \
		su -s /bin/sh nobody -c "$kbpfctl version >/dev/null"
	chmod 0600 /dev/kbpf
	check "nobody changed nothing: the host program is still there" \
		"$kbpfctl" prog show "$id"
}

# In a fresh user + network namespace (root there, nobody on the host).
in_userns() { unshare -Urn /bin/sh -c "$*"; }

check_userns_root()
{
	local id=$1 out pid

	# Root of a user namespace that owns no network namespace: nobody here.
	expect_refusal "unshare -Ur (host network namespace): prog list" \
		'^Error: permission denied' unshare -Ur "$kbpfctl" prog list
	check_not "unshare -Ur: prog unload of the host program is refused" \
		unshare -Ur "$kbpfctl" prog unload "$id"

	out=$(in_userns "$kbpfctl -j prog list && $kbpfctl -j map list" 2>&1)
	check "userns root: prog list and map list succeed and show nothing of the host" \
		test "$out" = "$(printf '[]\n[]')"
	check_not "userns root: prog show of a host program fails" \
		in_userns "$kbpfctl prog show $id"
	expect_refusal "userns root: unloading a host program" "no such program" \
		in_userns "$kbpfctl prog unload $id"
	check "the host program survived" "$kbpfctl" prog show "$id"

	# A namespace's own program: loaded, attached and listed there.
	# Not through in_userns: $! must be the namespace's own process.
	unshare -Urn /bin/sh -c "ip link set lo up &&
		$kbpfctl load $drop_obj >/dev/null &&
		$kbpfctl -j prog list >$tmp/ns-list &&
		touch $tmp/ns-ready && exec sleep 60" &
	pid=$!
	if wait_for 10 test -e "$tmp/ns-ready"; then
		pass "userns root: kbpfctl load (load and attach) in its namespace"
	else
		fail "userns root: kbpfctl load (load and attach) in its namespace"
	fi
	check "userns root: its prog list shows its program, attached once" \
		test "$(grep -o '"netns_cookie"' "$tmp/ns-list" | wc -l)" -eq 1
	check "the host's root sees both programs" test "$(prog_count)" -eq 2
	check "the host's root finds the namespace's program by its name" \
		"$kbpfctl" prog show drop_icmp_echo
	kill "$pid"
	wait "$pid" 2>/dev/null
	check "the namespace's program goes away with its namespace" \
		wait_for 10 progs_are 1
}

# abi_test -m attaches the program on every hook of $many namespaces (in C:
# hundreds of kbpfctl runs would take minutes under TCG) and runs the
# listing while they live.
check_many_namespaces()
{
	local id=$1 want=$((many * 10))

	pp "$abi_test" -m "$many" "$id" \
		"$kbpfctl prog list >$tmp/list && $kbpfctl -j prog show $id >$tmp/show" ||
		fail "abi_test -m $many $id: attach everywhere, then list"
	check "prog list lists the one program with all $want attachments" \
		test "$(grep -c '^[0-9]*: ' "$tmp/list")" -eq 1 -a \
		     "$(grep -c '^	attached' "$tmp/list")" -eq "$want"
	check "prog show lists all $want attachments" \
		test "$(grep -o '"netns_cookie"' "$tmp/show" | wc -l)" -eq "$want"
	check "the namespaces' end drops their attachments" \
		wait_for 20 attachments_are 0
}

main()
{
	local id start

	e2e_begin "$drop_obj" "$abi_test"
	command -v unshare >/dev/null && command -v su >/dev/null ||
		{ echo "perms.sh: needs unshare and su" >&2; exit 2; }
	insmod_kbpf
	ctl prog load "$drop_obj" name perms_drop || die "kbpfctl prog load"
	id=$("$kbpfctl" -j prog show perms_drop | grep -o '"id":[0-9]*' | head -n 1 | cut -d: -f2)
	[ -n "$id" ] || die "the loaded program has an id"

	check_unprivileged "$id"
	check_userns_root "$id"
	start=$(date +%s)
	check_many_namespaces "$id"
	pretty "" "$many namespaces: $(($(date +%s) - start)) s"

	check_rmmod "rmmod after the permission checks"
	check_kernel_log
	e2e_end
}

main
