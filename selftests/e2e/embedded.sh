#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The embedded profile end to end, run as root inside the test VM against a
# kbpf.ko built with KBPF_PROFILE=embedded: everything comes from one pool
# reserved at load (pool_size=), the deadline policy is the default, and
# filling the pool gives a clean error naming the figures, with nothing
# lost: unloading gives every byte back and rmmod reports no leak.  Map
# resize is a cloud feature: refused here with its reason.
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

# ---- request paths: what a request copies comes from the pool or the stack

tracefs=/sys/kernel/tracing
alloc_events="kmem/kmalloc kmem/kmem_cache_alloc kmem/mm_page_alloc percpu/percpu_alloc_percpu"

# Record every allocation kbpfctl makes in the kernel, with its stack.
alloc_trace_start()
{
	local ev

	echo 0 >"$tracefs/tracing_on"
	echo 8192 >"$tracefs/buffer_size_kb"
	: >"$tracefs/trace"
	echo 1 >"$tracefs/options/stacktrace"
	for ev in $alloc_events; do
		echo 'comm ~ "kbpfctl*"' >"$tracefs/events/$ev/filter"
		echo 1 >"$tracefs/events/$ev/enable"
	done
	echo 1 >"$tracefs/tracing_on"
}

alloc_trace_stop()
{
	local ev

	echo 0 >"$tracefs/tracing_on"
	for ev in $alloc_events; do
		echo 0 >"$tracefs/events/$ev/enable"
		echo 0 >"$tracefs/events/$ev/filter"
	done
	echo 0 >"$tracefs/options/stacktrace"
}

# The recorded allocations made inside a kbpf ioctl, one event and its
# stack a paragraph.  Not the module's doing: a page fault on the caller's
# buffer (its own memory), interrupts or softirqs that happen to run on
# the task's stack; and the struct file of a descriptor (MAP_GET_FD),
# which the VFS owns (docs/architecture.md).  A netlink event is an skb of
# the network stack, but it is built only while someone listens, and
# nobody does here: a load that builds one fails the check.
alloc_trace_ioctl_allocs()
{
	awk '
		function flush() {
			if (stack ~ /kbpf_chardev_ioctl/ &&
			    stack !~ /exc_page_fault|softirq|asm_sysvec|asm_common_interrupt|irq_exit/ &&
			    stack !~ /alloc_file_pseudo|anon_inode_getf/)
				printf "%s\n%s\n", event, stack
			event = ""; stack = ""
		}
		/<stack trace>/ { next }
		/^ => / { stack = stack $0 "\n"; next }
		{ flush(); event = $0 }
		END { flush() }
	' "$tracefs/trace"
}

# A load with kbpfctl's 64 KiB log, element lookups and updates (on the
# stack and through a request buffer) and a test run take nothing from
# the kernel: everything they copy comes from the pool or the stack.
check_requests_allocate_nothing()
{
	local allocs

	if [ ! -w "$tracefs/options/stacktrace" ]; then
		fail "tracefs with kmem events and stack traces (for the allocation check)"
		return
	fi
	"$kbpfctl" map create type array key 4 value 8 entries 4 name reqsmall &&
	"$kbpfctl" map create type array key 4 value 512 entries 2 name reqbig &&
	"$kbpfctl" map create type ringbuf key 0 value 0 entries 4096 name reqring ||
		{ fail "map create reqsmall, reqbig, reqring"; return; }
	write_icmp_packet "$tmp/echo.pkt" 8
	alloc_trace_start
	# MAP_GET_FD's struct file: an allocation under kbpf_chardev_ioctl
	# the trace must see, or it could pass seeing nothing.
	"$kbpfctl" events reqring timeout 0 >/dev/null
	"$kbpfctl" prog load "$accept_obj" name reqload
	"$kbpfctl" map update reqsmall key 1 0 0 0 value 1 2 3 4 5 6 7 8
	"$kbpfctl" map lookup reqsmall key 1 0 0 0 >/dev/null
	"$kbpfctl" map update reqbig key 1 0 0 0 value hex "$(printf '5a%.0s' $(seq 512))"
	"$kbpfctl" map lookup reqbig key 1 0 0 0 >/dev/null
	"$kbpfctl" map dump reqbig >/dev/null
	"$kbpfctl" prog run reqload data "$tmp/echo.pkt" repeat 100 >/dev/null
	alloc_trace_stop
	allocs=$(alloc_trace_ioctl_allocs)
	check "the trace sees into kbpf ioctls (MAP_GET_FD's struct file: $(grep -c '=> kbpf_chardev_ioctl' "$tracefs/trace") stacks)" \
		grep -q '=> kbpf_chardev_ioctl' "$tracefs/trace"
	check "the traced requests ran (a program loaded)" \
		grep -q reqload <<<"$("$kbpfctl" prog list)"
	if [ -n "$allocs" ]; then
		head -n 60 <<<"$allocs" | indent
		fail "load (64 KiB log), map lookups/updates and a test run allocate nothing from the kernel"
	else
		pass "load (64 KiB log), map lookups/updates and a test run allocate nothing from the kernel ($(grep -c '^ *kbpfctl' "$tracefs/trace") allocations of kbpfctl traced, none in a kbpf ioctl)"
	fi
	: >"$tracefs/trace"
	"$kbpfctl" prog unload reqload
	"$kbpfctl" map destroy reqsmall
	"$kbpfctl" map destroy reqbig
	"$kbpfctl" map destroy reqring
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
	check "a 1000-byte test run on the full pool is refused: $err" \
		grep -Eq "$exhausted" <<<"$err"
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
# trace reader.  An allocation whose stack passes through kbpf and that is
# not freed once they all exist is memory the kernel gave an object after
# load, which the embedded profile must not take; only what kernel
# subsystems own on their side is allowed (netfilter's hook entries, the
# struct file of a descriptor, a slab's new page: its objects are what
# counts).  (The request checks above trace with alloc_trace_start(); this
# one also needs the frees, and stack traces only for allocations.)

big_pool=1048576
tracing=/sys/kernel/tracing
lifetime_ns=kbpf_emb_life

trace_kmem()
{
	local e on=$1

	for e in kmalloc kmem_cache_alloc mm_page_alloc; do
		[ -d "$tracing/events/kmem/$e" ] || continue
		if [ "$on" = 1 ]; then
			echo stacktrace >"$tracing/events/kmem/$e/trigger"
		else
			echo '!stacktrace' >"$tracing/events/kmem/$e/trigger"
		fi
	done
	# Every object is made by kbpfctl or ip (namespaces); pages a process
	# faults in are movable, never the kernel's own.
	for e in kmalloc kmem_cache_alloc mm_page_alloc; do
		[ -d "$tracing/events/kmem/$e" ] || continue
		if [ "$on" = 1 ]; then
			echo '(comm == "kbpfctl" || comm == "ip")' \
			     "$([ $e = mm_page_alloc ] && echo '&& !(gfp_flags & 8)')" \
				>"$tracing/events/kmem/$e/filter"
		else
			echo 0 >"$tracing/events/kmem/$e/filter"
		fi
	done
	for e in kmalloc kmem_cache_alloc mm_page_alloc kfree kmem_cache_free \
		 mm_page_free mm_page_free_batched; do
		[ -d "$tracing/events/kmem/$e" ] &&
			echo "$on" >"$tracing/events/kmem/$e/enable"
	done
	echo "$on" >"$tracing/tracing_on"
}

# The allocations in the trace still live at its end whose stack trace has
# a kbpf function (kallsyms' [kbpf] names), each with its stack; "seen N"
# last, N the allocations through kbpf freed or not (the trace works).
# Written for busybox awk under TCG: no regular expressions or field
# splitting per line, and only stacks through kbpf are kept.
kmem_live_through_kbpf()
{
	grep '\[kbpf\]$' /proc/kallsyms | cut -d' ' -f3 | cut -f1 >"$tmp/kbpf.syms"
	awk '
	BEGIN { FS = "\n" }
	function cpu(l) { return substr(l, index(l, "["), 5) }
	function val(l, f,   s) {
		s = substr(l, index(l, " " f "=") + length(f) + 2)
		return substr(s, 1, index(s " ", " ") - 1)
	}
	function stack_end() {
		if (cur != "" && mine) { ours[cur] = 1; seen++; stack[cur] = buf }
		cur = ""
	}
	FNR == NR { kbpf[$0] = 1; next }
	substr($0, 1, 4) == " => " {
		if (cur != "") {
			buf = buf "\n" $0
			if (!mine && (substr($0, 5) in kbpf))
				mine = 1
		}
		next
	}
	index($0, "<stack trace>") { stack_end(); cur = last[cpu($0)]; buf = stack[cur]; mine = 0; next }
	{ stack_end() }
	index($0, " kmalloc: ") || index($0, " kmem_cache_alloc: ") {
		k = "s" val($0, "ptr"); live[k] = 1; ours[k] = 0; stack[k] = $0; last[cpu($0)] = k; next }
	index($0, " mm_page_alloc: ") {
		k = "p" val($0, "pfn"); live[k] = 1; ours[k] = 0; stack[k] = $0; last[cpu($0)] = k; next }
	index($0, " kfree: ") || index($0, " kmem_cache_free: ") { delete live["s" val($0, "ptr")]; next }
	index($0, " mm_page_free") { delete live["p" val($0, "pfn")]; next }
	END { stack_end(); for (k in live) if (ours[k]) print stack[k] "\n"; print "seen " seen + 0 }
	' "$tmp/kbpf.syms" "$tmp/trace" |
		awk -v RS= '!/nf_hook_entries_grow|alloc_file|allocate_slab/'
}

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
	local live lost seen

	if [ ! -w "$tracing/trace" ] || [ ! -d "$tracing/events/kmem" ]; then
		fail "object lifetimes: no tracefs with kmem events at $tracing"
		return
	fi
	# Hashed %p values tell allocations apart once the RNG is ready.
	dd if=/dev/random of=/dev/null bs=1 count=1 2>/dev/null
	echo 0 >"$tracing/tracing_on"
	echo 8192 >"$tracing/buffer_size_kb"
	echo >"$tracing/trace"
	make_maps_before
	trace_kmem 1
	make_traced_objects
	trace_kmem 0
	lost=$(awk '/^overrun:/ { n += $2 } END { print n + 0 }' "$tracing"/per_cpu/cpu*/stats)
	cat "$tracing/trace" >"$tmp/trace"
	echo >"$tracing/trace"
	echo 1408 >"$tracing/buffer_size_kb"
	live=$(kmem_live_through_kbpf)
	seen=$(sed -n 's/^seen //p' <<<"$live")
	live=$(sed '/^seen /d' <<<"$live")
	echo "    $(wc -l <"$tmp/ids") maps (the last 4 traced, one a ring buffer), 4 programs, 2 hooks in a new netns, a trace reader: pool $(feature_of pool_used) bytes, $seen allocations through kbpf traced"
	if [ "$lost" != 0 ]; then
		fail "object lifetimes: the trace lost $lost events (buffer too small)"
	elif grep -q '____ptrval____' "$tmp/trace"; then
		fail "object lifetimes: pointers not hashed yet, allocations cannot be matched"
	elif ! [ "${seen:-0}" -gt 0 ]; then
		fail "object lifetimes: the trace shows no allocation through kbpf, not even netfilter's hook entries"
	elif [ -n "$live" ]; then
		indent <<<"$live" | head -n 80
		fail "objects hold no memory from the kernel while they live ($(grep -c '^ *[a-z].*: ' <<<"$live") allocations above)"
	else
		pass "objects hold no memory from the kernel while they live (traced: maps, a ring buffer, programs, hooks, namespace, trace reader)"
	fi
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
	check_requests_allocate_nothing
	check_request_exhaustion
	check_deadline_attach
	check_rmmod "rmmod the embedded module"
	check_lifetimes_with_big_pool
	check_kernel_log
	e2e_end
}

main
