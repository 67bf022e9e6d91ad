#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The embedded profile end to end, run as root inside the test VM against a
# kbpf.ko built with KBPF_PROFILE=embedded: everything comes from one pool
# reserved at load (pool_size=), the deadline policy is the default, and
# filling the pool gives a clean error naming the figures, with nothing
# lost: unloading gives every byte back and rmmod reports no leak.  Map
# resize is a cloud feature: refused here with its reason.  A whole control
# session through kbpfctl, which picks /dev/kbpf's control ioctls by itself
# here, allocates nothing from the kernel on kbpf's behalf (traced; the
# same session over netlink is seen allocating skbs), and objects hold no
# kernel memory while they live.
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
pool_used_is() { [ "$(feature_of pool_used)" -eq "$1" ]; }

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

# A burst of deletes and inserts in one run (map_churn.bpf.o): the deleted
# elements come from the pool and go back to it a grace period later;
# until then they count against the map, so the burst stops at its
# budgeted elements (64 + 32) with ENOMEM, and the pool is back to what it
# was before the run once the grace period is over.  (With the large pool:
# verifying the program takes more than the default one has left; in a
# load of its own, which adds no ids to what the lifetime checks count.)
check_pool_after_grace()
{
	local base churn_obj

	churn_obj=$(dirname "$accept_obj")/map_churn.bpf.o
	"$kbpfctl" prog load "$churn_obj" name map_churn >/dev/null ||
		{ fail "prog load map_churn"; return; }
	base=$(feature_of pool_used)
	map_churn_run
	check "a burst in one run: $churn_inserted inserts (64 + 32 elements held), then errno $churn_errno" \
		test "${churn_inserted:-0}" -eq 96 -a "${churn_errno:-0}" -eq 12
	check "after the grace period the pool is back to $base bytes" \
		wait_for 5 pool_used_is "$base"
	"$kbpfctl" prog unload map_churn
	"$kbpfctl" map destroy churn
	"$kbpfctl" map destroy results
}

check_grace_with_big_pool()
{
	pp insmod "$kbpf_ko" pool_size=$big_pool || die "insmod $kbpf_ko pool_size=$big_pool"
	check_pool_after_grace
	check_rmmod "rmmod the embedded module after the burst"
}

# ---- allocation tracing: one tracer for the checks below ---------------
#
# ftrace's kmem events record the slab, page and per-CPU allocations the
# traced tasks make, each with its stack (a stacktrace trigger), and, when
# asked, every free.  kmem_report classifies the allocations made on kbpf's
# behalf: those whose stack passes through kbpf (a function kallsyms lists
# as [kbpf]) or through the netlink transport that carries requests to it
# (netlink_*, genl_* frames: sockets, requests, replies, dumps).  Of those,
# what kernel subsystems allocate on their side is allowed, each by its
# call site (docs/architecture.md, "Memory"):
#
#   nf_hook_entries  netfilter's array of a hook's functions, a kmalloc of
#                    at most 1 KiB called from nf_hook_entries_grow() (or
#                    allocate_hook_entries_size(), which it inlines on 6.1)
#                    when kbpf registers a hook point (its first attach) or
#                    from __nf_hook_entries_try_shrink() when it
#                    unregisters one (its last detach, when other hooks
#                    stay): at most two per hook point per session;
#   struct_file      the struct file (and dentry) of a descriptor an ioctl
#                    hands out (MAP_GET_FD, TRACE_OPEN): alloc_file_pseudo(),
#                    owned by the VFS like the one open(2) of /dev/kbpf
#                    makes (which never passes through kbpf: the VFS
#                    allocates it before the driver's open runs);
#   page_table       a page table of the caller's own mapping of a ring
#                    buffer (vm_insert_page() -> __pte_alloc(), __pmd_alloc()
#                    or __pud_alloc()): the process's address space, freed
#                    with it, as when it faults in its own memory;
#   slab_page        a slab's new page (allocate_slab): the objects on it
#                    are traced themselves.
#
# Not kbpf's at all, though on a kbpf stack: a page fault on the caller's
# own buffer (exc_page_fault), and interrupts or softirqs that happened to
# run on the task's stack.

tracefs=/sys/kernel/tracing
kmem_alloc_events="kmem/kmalloc kmem/kmem_cache_alloc kmem/mm_page_alloc percpu/percpu_alloc_percpu"
kmem_free_events="kmem/kfree kmem/kmem_cache_free kmem/mm_page_free kmem/mm_page_free_batched percpu/percpu_free_percpu"

# kmem_trace_start COMM_FILTER [frees]: trace the allocations of the tasks
# the ftrace filter selects; "frees" also traces every free (any task: RCU
# callbacks free what others allocated).
kmem_trace_start()
{
	local filter=$1 frees=${2:-} ev page

	# Hashed %p values tell allocations apart once the RNG is ready.
	dd if=/dev/random of=/dev/null bs=1 count=1 2>/dev/null
	echo 0 >"$tracefs/tracing_on"
	echo 8192 >"$tracefs/buffer_size_kb"
	echo >"$tracefs/trace"
	for ev in $kmem_alloc_events; do
		[ -d "$tracefs/events/$ev" ] || continue
		# Movable pages are a process's own memory, never the kernel's.
		page=
		[ "$ev" = kmem/mm_page_alloc ] && page=' && !(gfp_flags & 8)'
		echo "($filter)$page" >"$tracefs/events/$ev/filter"
		# The trigger has its own filter: the event's does not stop it.
		echo "stacktrace if ($filter)$page" >"$tracefs/events/$ev/trigger"
		echo 1 >"$tracefs/events/$ev/enable"
	done
	if [ "$frees" = frees ]; then
		for ev in $kmem_free_events; do
			[ -d "$tracefs/events/$ev" ] &&
				echo 1 >"$tracefs/events/$ev/enable"
		done
	fi
	echo 1 >"$tracefs/tracing_on"
}

# kmem_trace_stop FILE: stop, keep the trace in FILE and free the buffer;
# fails when events were lost (the buffer was too small).
kmem_trace_stop()
{
	local ev lost

	echo 0 >"$tracefs/tracing_on"
	for ev in $kmem_alloc_events $kmem_free_events; do
		[ -d "$tracefs/events/$ev" ] || continue
		echo 0 >"$tracefs/events/$ev/enable"
		[ -w "$tracefs/events/$ev/trigger" ] &&
			echo '!stacktrace' >"$tracefs/events/$ev/trigger" 2>/dev/null
		echo 0 >"$tracefs/events/$ev/filter"
	done
	lost=$(awk '/^overrun:/ { n += $2 } END { print n + 0 }' "$tracefs"/per_cpu/cpu*/stats)
	cat "$tracefs/trace" >"$1"
	echo >"$tracefs/trace"
	echo 1408 >"$tracefs/buffer_size_kb"
	[ "$lost" = 0 ] || { echo "    the trace lost $lost events" >&2; return 1; }
}

kmem_trace_ready()
{
	[ -w "$tracefs/trace" ] && [ -d "$tracefs/events/kmem" ] &&
		[ -w "$tracefs/events/kmem/kmalloc/trigger" ]
}

# kmem_report FILE [live]: the allocations made on kbpf's behalf in the
# trace FILE (with live: only those not freed by its end), a line each:
# "CLASS FIRST LAST EVENT", FIRST and LAST the lines of its stack in FILE,
# CLASS one of the allowed ones above or "kbpf" (the module's own) or
# "netlink" (the transport's); then "count CLASS N" lines, with "seen"
# (all on kbpf's behalf, freed or not) and "netlink_request" (netlink's
# that sendmsg made: the requests).  Written for busybox awk under TCG:
# one hash lookup per stack frame, no regular expressions, no copies.
kmem_report()
{
	# kbpf's function names: the same for every load of the one kbpf.ko.
	[ -s "$tmp/kbpf.syms" ] ||
		grep '\[kbpf\]$' /proc/kallsyms | cut -d' ' -f3 | cut -f1 >"$tmp/kbpf.syms"
	awk -v live="${2:-}" -v syms="$tmp/kbpf.syms" '
	BEGIN {
		FS = "\n"; n = 0; cur = -1
		while ((getline s < syms) > 0)
			kind[s] = "mine"
		kind["__pte_alloc"] = kind["__pmd_alloc"] = "ptable"
		kind["__pud_alloc"] = kind["__p4d_alloc"] = "ptable"
		kind["alloc_file_pseudo"] = "file"
		kind["allocate_slab"] = "slab"
		kind["netlink_sendmsg"] = "request"
		kind["exc_page_fault"] = kind["irq_exit_rcu"] = "foreign"
		kind["__do_softirq"] = kind["handle_softirqs"] = "foreign"
		kind["asm_sysvec_apic_timer_interrupt"] = "foreign"
		kind["asm_common_interrupt"] = "foreign"
	}
	# Most lines are frames: one lookup each.
	substr($0, 1, 4) == " => " {
		if (cur < 0)
			next
		f = substr($0, 5)
		if (f in kind)
			has[kind[f]] = 1
		else if (substr(f, 1, 8) == "netlink_" || substr(f, 1, 5) == "genl_")
			has["transport"] = 1
		next
	}
	function cpu(l) { return substr(l, index(l, "["), 5) }
	function val(l, f,   s) {
		s = substr(l, index(l, " " f "=") + length(f) + 2)
		return substr(s, 1, index(s " ", " ") - 1)
	}
	# A hook array of a few entries: netfilter kmallocs at most 1 KiB.
	function hook_array(l,   site) {
		site = val(l, "call_site")
		site = substr(site, 1, index(site "+", "+") - 1)
		return index(l, " kmalloc: ") && val(l, "bytes_req") + 0 <= 1024 &&
		       (site == "nf_hook_entries_grow" ||
			site == "allocate_hook_entries_size" ||
			site == "__nf_hook_entries_try_shrink")
	}
	# Netlink frames carry requests to kbpf only in kbpfctl (ip speaks rtnetlink).
	function by_kbpfctl(l,   p) {
		for (p = 1; substr(l, p, 1) == " "; p++)
			;
		return substr(l, p, 7) == "kbpfctl"
	}
	# Classify allocation cur by its stack, which ended at line end.
	function stack_end(end,   transport) {
		if (cur < 0)
			return
		transport = ("transport" in has || "request" in has) && by_kbpfctl(ev[cur])
		if (!("mine" in has) && !transport)
			class[cur] = ""
		else if ("foreign" in has)
			class[cur] = "not_kbpf"
		else if ("slab" in has)
			class[cur] = "slab_page"
		else if ("ptable" in has)
			class[cur] = "page_table"
		else if (hook_array(ev[cur]))
			class[cur] = "nf_hook_entries"
		else if ("file" in has)
			class[cur] = "struct_file"
		else
			class[cur] = transport ? "netlink" : "kbpf"
		request[cur] = "request" in has
		last_line[cur] = end
		cur = -1
	}
	function alloc(k) { ev[n] = $0; id[k] = n; last[cpu($0)] = n; n++ }
	function free(k) { if (k in id) freed[id[k]] = 1; delete id[k] }
	index($0, "<stack trace>") {
		stack_end(NR - 1)
		if (cpu($0) in last) {
			cur = last[cpu($0)]
			delete last[cpu($0)]
			first_line[cur] = NR + 1
		}
		split("", has)
		next
	}
	{ stack_end(NR - 1) }
	index($0, " kmalloc: ") || index($0, " kmem_cache_alloc: ") { alloc("s" val($0, "ptr")); next }
	index($0, " mm_page_alloc: ") { alloc("p" val($0, "pfn")); next }
	index($0, " percpu_alloc_percpu: ") { alloc("c" val($0, "ptr")); next }
	index($0, " kfree: ") || index($0, " kmem_cache_free: ") { free("s" val($0, "ptr")); next }
	index($0, " mm_page_free") { free("p" val($0, "pfn")); next }
	index($0, " percpu_free_percpu: ") { free("c" val($0, "ptr")); next }
	END {
		stack_end(NR)
		for (i = 0; i < n; i++) {
			if (class[i] == "")
				continue
			seen++
			if (class[i] == "not_kbpf" || (live != "" && freed[i]))
				continue
			count[class[i]]++
			if (class[i] == "netlink" && request[i])
				count["netlink_request"]++
			print class[i] " " first_line[i] " " last_line[i] " " ev[i]
		}
		print "count seen " seen + 0
		for (c in count)
			print "count " c " " count[c]
	}
	' "$1"
}

# kmem_stacks REPORT FILE CLASS...: the first allocations of those classes
# in kmem_report's REPORT of the trace FILE, each with its stack.
kmem_stacks()
{
	local report=$1 file=$2 class first last event n=0

	shift 2
	while read -r class first last event; do
		[[ " $* " == *" $class "* ]] || continue
		echo "$class: $event"
		sed -n "${first},${last}p" "$file"
		n=$((n + 1))
		[ "$n" -lt 6 ] || break
	done <<<"$report"
}

# report_count REPORT CLASS: how many allocations of CLASS it lists.
report_count() { sed -n "s/^count $2 //p" <<<"$1" | grep . || echo 0; }

# ---- a whole control session allocates nothing from the kernel ----------

# sess WORDS...: one command of the session through the transport $via;
# its output goes to $tmp/session.$via, a failure to sess_failed.
sess()
{
	"$kbpfctl" --via "$via" "$@" >>"$tmp/session.$via" 2>&1 ||
		sess_failed="$sess_failed; $*"
}

# control_session VIA: every control operation kbpfctl has, through VIA,
# on objects the session makes and removes again: load (with kbpfctl's
# 64 KiB log), map create, update, lookup and dump (a small value on the
# stack, a 512-byte one through the request buffer), a test run, attach
# inline and observe, list and show (-j too), hook list and set, feature
# (and statistics on and off), replace, a ring buffer's descriptor
# (events), detach, the hook point's deadline given back (and the empty
# hook point gone with it), unload, destroy.
control_session()
{
	local via=$1 big

	big=$(printf '5a%.0s' $(seq 512))
	sess_failed=
	: >"$tmp/session.$via"
	sess version
	sess prog load "$accept_obj" name sess1
	sess prog load "$accept_obj" name sess2
	sess prog load "$accept_obj" name sess3
	sess map create type array key 4 value 8 entries 4 name sesssmall
	sess map create type array key 4 value 512 entries 2 name sessbig
	sess map create type ringbuf key 0 value 0 entries 4096 name sessring
	sess map update sesssmall key 1 0 0 0 value 1 2 3 4 5 6 7 8
	sess map lookup sesssmall key 1 0 0 0
	sess map update sessbig key 1 0 0 0 value hex "$big"
	sess map lookup sessbig key 1 0 0 0
	sess map dump sessbig
	sess prog run sess1 data "$tmp/echo.pkt" repeat 100
	sess prog attach sess1 hook ipv4/local_in budget 1000
	sess prog attach sess2 hook ipv4/local_in mode observe
	ping_in "" 127.0.0.1 || sess_failed="$sess_failed; ping"
	sess prog list
	sess -j prog show sess1
	sess map list
	sess map show sessbig
	sess hook list
	sess -j hook list
	sess hook set ipv4/local_in deadline 50us
	sess feature
	sess -j feature
	sess feature stats on
	sess feature stats off
	sess prog replace sess1 sess3
	sess events sessring timeout 0
	sess prog detach sess3 hook ipv4/local_in
	sess prog detach sess2
	sess hook set ipv4/local_in deadline default
	sess prog unload sess1
	sess prog unload sess2
	sess prog unload sess3
	sess map destroy sesssmall
	sess map destroy sessbig
	sess map destroy sessring
}

# The programs and maps there are.
objects() { "$kbpfctl" prog list; "$kbpfctl" map list; }

# traced_session VIA: the session, traced; its report in $report.
traced_session()
{
	local before

	before=$(objects)
	t0=$SECONDS
	kmem_trace_start 'comm ~ "kbpfctl*"'
	control_session "$1"
	kmem_trace_stop "$tmp/trace.$1" || fail "session through $1: the trace lost events"
	t1=$SECONDS
	report=$(kmem_report "$tmp/trace.$1")
	echo "    session through $1: $((t1 - t0)) s traced, $((SECONDS - t1)) s to read $(wc -l <"$tmp/trace.$1") trace lines"
	check "the session through $1 ran: every command succeeded${sess_failed:+ (failed:$sess_failed)}" \
		test -z "$sess_failed"
	check "the session through $1 removed every program and map it made" \
		test "$(objects)" = "$before"
}

# Through the device (what kbpfctl picks in the embedded profile), the
# whole session takes nothing from the kernel but what docs/architecture.md
# ("Memory") names: netfilter's hook array on the hook point's first
# attach and last detach, the ring buffer descriptor's struct file.  The
# same session over netlink must show the transport's skbs: the check sees
# what it is looking for.
check_session_allocates_nothing()
{
	local own nf files skbs

	if ! kmem_trace_ready; then
		fail "tracefs with kmem events and stack triggers (for the allocation check)"
		return
	fi
	write_icmp_packet "$tmp/echo.pkt" 8
	check "kbpfctl picks the device in the embedded profile" \
		grep -q 'control operations through dev' <<<"$("$kbpfctl" -d feature 2>&1)"
	traced_session dev
	own=$(( $(report_count "$report" kbpf) + $(report_count "$report" netlink) ))
	nf=$(report_count "$report" nf_hook_entries)
	files=$(report_count "$report" struct_file)
	echo "    through the device: $(report_count "$report" seen) allocations on kbpf's stacks: $nf netfilter hook arrays, $files descriptor files (and dentries), $(report_count "$report" page_table) page tables of the ring's mapping, $own others"
	if [ "$own" != 0 ]; then
		kmem_stacks "$report" "$tmp/trace.dev" kbpf netlink | indent
		fail "a whole control session through the device allocates nothing on kbpf's behalf ($own allocations above)"
	else
		pass "a whole control session through the device allocates nothing on kbpf's behalf"
	fi
	check "netfilter's hook array: only at the hook point's first attach and last detach ($nf)" \
		test "$nf" -le 2
	check "the trace sees into kbpf's ioctls: the ring buffer descriptor's struct file ($files)" \
		test "$files" -ge 1

	traced_session netlink
	skbs=$(report_count "$report" netlink)
	check "the same session over netlink allocates what the tracer must catch: $skbs skb allocations of the netlink transport" \
		test "$skbs" -gt 0
	check "  among them the requests' skbs ($(report_count "$report" netlink_request) made by netlink_sendmsg)" \
		test "$(report_count "$report" netlink_request)" -gt 0
	: >"$tmp/trace.dev"
	: >"$tmp/trace.netlink"
}

# fill_pool PREFIX: create 16-entry array maps, coarse to fine, until not
# even the smallest fits; prints how many.
fill_pool()
{
	local n=0 value

	for value in 1024 64 8; do
		while "$kbpfctl" map create type array key 4 value "$value" \
				entries 16 name "$1$n" >/dev/null 2>&1; do
			n=$((n + 1))
		done
	done
	echo "$n"
}

# On a full pool, a request whose copies need the pool is refused with
# -ENOMEM, which kbpfctl explains with the pool's figures, taking nothing;
# small elements (on the stack) and inspection still work.
check_request_exhaustion()
{
	local base full n i err exhausted

	exhausted="embedded pool exhausted: [0-9]+ of $pool bytes in use"

	"$kbpfctl" prog load "$accept_obj" name reqrun &&
	"$kbpfctl" map create type array key 4 value 8 entries 4 name reqsmall &&
	"$kbpfctl" map create type array key 4 value 512 entries 2 name reqbig ||
		{ fail "setup of the request exhaustion check"; return; }
	head -c 1000 /dev/zero >"$tmp/big.pkt"
	base=$(feature_of pool_used)
	n=$(fill_pool reqfill)
	full=$(feature_of pool_used)
	echo "    $n maps fill the pool ($full of $pool bytes)"
	err=$("$kbpfctl" map lookup reqbig key 0 0 0 0 2>&1)
	check "a 512-byte lookup on the full pool is refused: $err" \
		grep -Eq "$exhausted" <<<"$err"
	err=$("$kbpfctl" map update reqbig key 0 0 0 0 value hex "$(printf '5a%.0s' $(seq 512))" 2>&1)
	check "a 512-byte update on the full pool is refused: $err" \
		grep -Eq "$exhausted" <<<"$err"
	err=$("$kbpfctl" prog run reqrun data "$tmp/big.pkt" 2>&1)
	check "a 1000-byte test run on the full pool is refused, saying a packet counts twice: $err" \
		grep -Eq "$exhausted, for the packet and the copy it is restored from \(2 x 1000 bytes\)" <<<"$err"
	check "small elements (on the stack) still work on a full pool" \
		"$kbpfctl" map update reqsmall key 1 0 0 0 value 1 2 3 4 5 6 7 8
	check "lookups of small elements still work on a full pool" \
		grep -q '01 02 03 04 05 06 07 08' <<<"$("$kbpfctl" map lookup reqsmall key 1 0 0 0)"
	check "listing still works on a full pool" \
		grep -q reqrun <<<"$("$kbpfctl" prog list)"
	check "the refused requests took nothing from the pool ($(feature_of pool_used) = $full bytes)" \
		test "$(feature_of pool_used)" -eq "$full"
	for i in $(seq 0 $((n - 1))); do
		"$kbpfctl" map destroy "reqfill$i" || fail "map destroy reqfill$i"
	done
	check "the requests work again once the pool has room" \
		"$kbpfctl" prog run reqrun data "$tmp/big.pkt"
	check "destroying the maps gives the pool back ($(feature_of pool_used) = $base bytes)" \
		test "$(feature_of pool_used)" -eq "$base"
	"$kbpfctl" prog unload reqrun
	"$kbpfctl" map destroy reqsmall
	"$kbpfctl" map destroy reqbig
}

# A load whose registry entry fits the pool but whose instructions do not
# (big_insns: 3074 of them, 24592 bytes): the log names what did not fit,
# and the load takes nothing.  Freeing one 16 KiB map of a full pool
# leaves less than the instructions in all, whatever the holes.
check_insn_copy_exhaustion()
{
	local obj=${accept_obj%/*}/big_insns.bpf.o base n used err i progs
	local insn_bytes=$((3074 * 8))

	base=$(feature_of pool_used)
	progs=$(prog_count)
	n=$(fill_pool insfill)
	"$kbpfctl" map destroy insfill0 || { fail "map destroy insfill0"; return; }
	used=$(feature_of pool_used)
	check "one map back: $((pool - used)) bytes free, room for a registry entry, not for $insn_bytes bytes of instructions" \
		test $((pool - used)) -gt 4096 -a $((pool - used)) -lt "$insn_bytes"
	err=$("$kbpfctl" prog load "$obj" name bigins 2>&1) &&
		fail "3074 instructions loaded into $((pool - used)) free bytes"
	check "the refusal names the instructions: $(grep -o 'embedded pool.*' <<<"$err")" \
		grep -Eq "embedded pool exhausted: [0-9]+ of $pool bytes in use, for the program's instructions" <<<"$err"
	check "the refused load took nothing ($(feature_of pool_used) = $used bytes) and registered nothing" \
		test "$(feature_of pool_used)" -eq "$used" -a "$(prog_count)" -eq "$progs"
	for i in $(seq 1 $((n - 1))); do
		"$kbpfctl" map destroy "insfill$i" || fail "map destroy insfill$i"
	done
	check "destroying the maps gives the pool back ($(feature_of pool_used) = $base bytes)" \
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

# ---- object lifetimes: nothing from the kernel while objects live ------
#
# With a pool large enough for max_maps maps, ftrace's kmem events record
# the slab and page allocations (with a stack trace) that kbpfctl and ip
# make, and every free, while objects of every kind are made: maps up to
# max_maps (one a ring buffer), programs, hooks in a new namespace, an open
# trace reader.  An allocation made on kbpf's behalf (kmem_report) that is
# not freed once they all exist is memory the kernel gave an object after
# load, which the embedded profile must not take; only what kernel
# subsystems own on their side is allowed (netfilter's hook entries, the
# struct file of a descriptor, a slab's new page: its objects are what
# counts).

big_pool=1048576
lifetime_ns=kbpf_emb_life

# Objects of every kind, traced: the last maps up to max_maps (the ones
# before are made untraced, by make_maps_before), the last a ring buffer,
# programs, hooks in a new namespace, an open trace reader.  Leaves them
# for the id checks.
make_traced_objects()
{
	local i max

	max=$(feature_of max_maps)
	for i in $(seq $((max - 3)) $((max - 1))); do
		"$kbpfctl" map create type array key 4 value 4 entries 1 \
			name "id$i" >>"$tmp/ids" || fail "map create id$i"
	done
	"$kbpfctl" map create type ringbuf key 0 value 0 entries 8192 \
		name "id$max" >>"$tmp/ids" || fail "map create id$max (a ring buffer)"
	map_err=$("$kbpfctl" map create type array key 4 value 4 entries 1 \
		  name "id$((max + 1))" 2>&1) && fail "map $((max + 1)) was created"
	for i in 1 2 3 4; do
		"$kbpfctl" prog load "$accept_obj" name "life$i" ||
			fail "prog load life$i"
	done
	ip netns add "$lifetime_ns" || fail "ip netns add $lifetime_ns"
	ip netns exec "$lifetime_ns" "$kbpfctl" prog attach life1 hook ipv4/local_in ||
		fail "attach life1 in $lifetime_ns"
	ip netns exec "$lifetime_ns" "$kbpfctl" prog attach life2 hook netdev/ingress dev lo ||
		fail "attach life2 to lo in $lifetime_ns"
	"$kbpfctl" trace timeout 60 >/dev/null 2>&1 &
	trace_reader=$!
	sleep 1
}

make_maps_before()
{
	local i max

	max=$(feature_of max_maps)
	for i in $(seq 1 $((max - 4))); do
		"$kbpfctl" map create type array key 4 value 4 entries 1 \
			name "id$i" >>"$tmp/ids" || fail "map create id$i"
	done
}

check_object_lifetimes()
{
	local report live seen

	if ! kmem_trace_ready; then
		fail "object lifetimes: no tracefs with kmem events and stack triggers at $tracefs"
		return
	fi
	make_maps_before
	kmem_trace_start 'comm == "kbpfctl" || comm == "ip"' frees
	make_traced_objects
	kmem_trace_stop "$tmp/trace" || fail "object lifetimes: the trace lost events (buffer too small)"
	report=$(kmem_report "$tmp/trace" live)
	seen=$(report_count "$report" seen)
	live=$(( $(report_count "$report" kbpf) + $(report_count "$report" netlink) ))
	echo "    $(wc -l <"$tmp/ids") maps (the last 4 traced, one a ring buffer), 4 programs, 2 hooks in a new netns, a trace reader: pool $(feature_of pool_used) bytes, $seen allocations on kbpf's behalf traced"
	if grep -q '____ptrval____' "$tmp/trace"; then
		fail "object lifetimes: pointers not hashed yet, allocations cannot be matched"
	elif ! [ "$seen" -gt 0 ]; then
		fail "object lifetimes: the trace shows no allocation through kbpf, not even netfilter's hook entries"
	elif [ "$live" != 0 ]; then
		kmem_stacks "$report" "$tmp/trace" kbpf netlink | indent
		fail "objects hold no memory from the kernel while they live ($live allocations above)"
	else
		pass "objects hold no memory from the kernel while they live (traced: maps, a ring buffer, programs, hooks, namespace, trace reader)"
	fi
	: >"$tmp/trace"
}

# Ids at their bound: max_maps maps exist, one more is refused with the
# reason; ids are cyclic (a destroyed map's id is not handed out again:
# check_ring_exhaustion's and check_ring_wraps' maps took 1-4), stale ids
# are not found, and listing goes by id.
check_ids_at_bound()
{
	local max first last ids out listed i

	max=$(feature_of max_maps)
	first=$(sed -n '1s/.*id //p' "$tmp/ids")
	last=$((first + max - 1))
	check "ids 1-4 given back (by destroys, and by the refused ring's create) are not handed out again: the next map takes id 5 (got $first)" \
		test "$first" = 5
	check "map $((max + 1)) of $max is refused: $map_err" \
		grep -q "there are already $max maps, the limit" <<<"$map_err"
	for i in 1 2 3; do
		"$kbpfctl" map destroy "id$i" || fail "map destroy id$i"
	done
	ids=
	for i in 1 2 3; do
		out=$("$kbpfctl" map create type array key 4 value 4 entries 1 name "again$i") ||
			fail "map create again$i"
		ids="$ids ${out##* }"
	done
	check "after destroying ids $first-$((first + 2)), new maps take ids $((last + 1))-$((last + 3)) (got$ids)" \
		test "$ids" = " $((last + 1)) $((last + 2)) $((last + 3))"
	check_not "the stale id $((first + 1)) finds nothing" "$kbpfctl" map show id $((first + 1))
	listed=$("$kbpfctl" -j map list | grep -o '"id":[0-9]*' | cut -d: -f2 | tr '\n' ' ')
	check "map list goes by id: $((first + 3))..$((last + 3)) (got $listed)" \
		test "$listed" = "$(seq $((first + 3)) $((last + 3)) | tr '\n' ' ')"
}

# Ring buffers in the embedded layout: pool pages, the data's second copy
# the ring's own, users mapping the first copy twice.  24-byte records go
# through a 64 KiB ring (2730 a lap) read by kbpfctl events as they come;
# a record is dropped when the reader lags, so 10000 are written for the
# 4000 it waits for: the ones that wrap past the end arrive whole (commit
# copies their tails).
check_ring_wraps()
{
	local obj=${accept_obj%/*}/ringbuf_capture.bpf.o reader i

	"$kbpfctl" prog load "$obj" name ringcap >/dev/null ||
		{ fail "prog load $obj"; return; }
	write_icmp_packet "$tmp/icmp" 8
	"$kbpfctl" events pkt_events count 4000 timeout 60 >"$tmp/events" 2>&1 &
	reader=$!
	sleep 1
	for i in $(seq 1 10); do
		"$kbpfctl" prog run ringcap data "$tmp/icmp" repeat 1000 >/dev/null ||
			fail "prog run ringcap"
		sleep 0.2
	done
	wait "$reader"
	check "4000 ring records, over a lap of the ring, all whole ($(sort "$tmp/events" | uniq -c | sort -rn | head -n 3 | tr -s ' \n' ' '))" \
		test "$(grep -c '^len 16: 01 00 00 00 1c 00 00 00 00 00 00 00 70 6b 74 00$' "$tmp/events")" = 4000
	"$kbpfctl" prog unload ringcap
	"$kbpfctl" map destroy pkt_events
	"$kbpfctl" map destroy pkt_capture
}

# Two 256 KiB rings (their data counted twice) do not both fit the pool:
# the second is refused with the pool's figures and takes nothing.
check_ring_exhaustion()
{
	local base out

	base=$(feature_of pool_used)
	"$kbpfctl" map create type ringbuf key 0 value 0 entries 262144 \
		name ring1 >/dev/null || { fail "map create ring1"; return; }
	out=$("$kbpfctl" map create type ringbuf key 0 value 0 entries 262144 \
	      name ring2 2>&1) && fail "a second 256 KiB ring fits a 1 MiB pool"
	check "the ring that does not fit says why: $out" \
		grep -Eq "embedded pool exhausted: [0-9]+ of $big_pool bytes in use" <<<"$out"
	"$kbpfctl" map destroy ring1
	check "the rings give the pool back ($base bytes)" \
		test "$(feature_of pool_used)" -eq "$base"
}

# Programs at their bound: max_progs load (4 exist already), one more is
# refused before the verifier runs, saying why.
check_progs_at_bound()
{
	local i max out

	max=$(feature_of max_progs)
	for i in $(seq 5 "$max"); do
		"$kbpfctl" prog load "$accept_obj" name "life$i" >/dev/null ||
			{ fail "prog load life$i of $max"; return; }
	done
	out=$("$kbpfctl" prog load "$accept_obj" name "life$((max + 1))" 2>&1) &&
		fail "program $((max + 1)) was loaded"
	check "program $((max + 1)) of $max is refused: $out" \
		grep -q "there are already $max programs, the limit" <<<"$out"
}

check_lifetimes_with_big_pool()
{
	pp insmod "$kbpf_ko" pool_size=$big_pool || die "insmod $kbpf_ko pool_size=$big_pool"
	check_ring_exhaustion
	check_ring_wraps
	check_object_lifetimes
	check_ids_at_bound
	check_progs_at_bound
	kill "$trace_reader" 2>/dev/null
	wait "$trace_reader" 2>/dev/null
	ip netns del "$lifetime_ns"
	# rmmod removes the rest; a block left in the pool is a leak report.
	check_rmmod "rmmod the embedded module with a $big_pool-byte pool and $(feature_of max_maps) maps"
}

main()
{
	e2e_begin "$accept_obj"
	pp insmod "$kbpf_ko" pool_size=$pool || die "insmod $kbpf_ko pool_size=$pool"
	check_features
	check_pooled_objects
	check_exhaustion
	check_session_allocates_nothing
	check_request_exhaustion
	check_insn_copy_exhaustion
	check_deadline_attach
	check_rmmod "rmmod the embedded module"
	check_lifetimes_with_big_pool
	check_grace_with_big_pool
	check_kernel_log
	e2e_end
}

main
