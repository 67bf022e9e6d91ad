# SPDX-License-Identifier: GPL-2.0
# make bench: interpreter and verifier figures.  Prints; never fails on time.

BENCH_SRCS := selftests/bench/bench.c selftests/bench/programs.c
KBPF_BENCH := $(O)/kbpf-bench
KBPF_SCHED_BENCH := $(O)/kbpf-sched-bench

.PHONY: bench bench-native
# Every part runs even when one fails (a wrong r0 or a refused program).
bench:
	@rc=0; $(MAKE) --no-print-directory bench-native || rc=1; \
	$(MAKE) --no-print-directory bench-vm || rc=1; \
	$(MAKE) --no-print-directory bench-nf || rc=1; exit $$rc

bench-native: $(KBPF_BENCH) $(KBPF_SCHED_BENCH)
	$(KBPF_BENCH)
	$(KBPF_SCHED_BENCH)

# The scheduler core on synthetic request streams (selftests/bench/sched-bench.c).
$(KBPF_SCHED_BENCH): selftests/bench/sched-bench.c $(KBPF_CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) -O2 -g -Wall -Wextra -Wno-unused-parameter $(KBPF_CORE_CFLAGS) -o $@ $< $(KBPF_CORE_LIB) -lm

$(KBPF_BENCH): $(BENCH_SRCS) selftests/bench/programs.h $(KBPF_CORE_LIB) \
		$(KBPF_AOT_USER_SRCS) $(KBPF_AOT_HDRS)
	@mkdir -p $(dir $@)
	$(CC) -O2 -g $(KBPF_CORE_WARN) $(KBPF_CORE_CFLAGS) -o $@ $(BENCH_SRCS) \
		$(KBPF_AOT_USER_SRCS) $(KBPF_CORE_LIB) -ldl

# ---- the VM half: kbpf.ko's test-run ioctl beside Linux's interpreter ----
# kbpf-vm-bench runs inside the VM (selftests/vm/run), so it is static:
# the initramfs has no libbpf.

KBPF_VM_BENCH := $(O)/kbpf-vm-bench
VM_BENCH_LIBS := -lbpf -lelf -lz -lzstd

$(KBPF_VM_BENCH): selftests/bench/vm-bench.c selftests/bench/programs.c \
		  selftests/bench/programs.h uapi/linux/kbpf.h
	@mkdir -p $(dir $@)
	$(CC) -O2 -g $(KBPF_CORE_WARN) -static $(KBPF_CORE_CFLAGS) -o $@ \
		selftests/bench/vm-bench.c selftests/bench/programs.c $(VM_BENCH_LIBS)

# The native column: each program compiled ahead of time into a module for
# the VM's kernel (KDIR), by `kbpf-bench --emit-native`.
BENCH_NATIVE_DIR := $(O)/bench-native
.PHONY: bench-native-modules
bench-native-modules: $(KBPF_BENCH)
	rm -rf $(BENCH_NATIVE_DIR) && mkdir -p $(BENCH_NATIVE_DIR)
	$(KBPF_BENCH) --emit-native $(BENCH_NATIVE_DIR)
	$(MAKE) -s -C $(KDIR) M=$(BENCH_NATIVE_DIR) modules >$(BENCH_NATIVE_DIR)/build.log 2>&1 || \
		{ cat $(BENCH_NATIVE_DIR)/build.log; exit 1; }

# Passes of every program in every runtime inside one boot; the summary
# gives medians and the ratios' range over them.
BENCH_PASSES ?= 3

.PHONY: bench-vm
bench-vm: module kbpfctl-static $(KBPF_VM_BENCH) bench-native-modules
	selftests/vm/run --timeout 900 -- 'insmod $$KBPF_KO && $(KBPF_VM_BENCH) --passes $(BENCH_PASSES) $(BENCH_NATIVE_DIR)/*.ko'

# ---- the netfilter path: ns per program at ipv4/local_in, K = 1, 4, 16 ----
# kbpf's dispatcher beside Linux's BPF_PROG_TYPE_NETFILTER links (6.4+),
# interpreted and JIT-compiled, in one boot of Debian's 6.12 kernel with a
# kbpf.ko built for it (in a private copy, as module-check does).

KBPF_VM_NF_BENCH := $(O)/kbpf-vm-nf-bench
KBPF_BENCH_612_DIR := $(O)/bench-612
KBPF_BENCH_612_RELEASE = $(call kbpf_kernel_release,$(KDIR_612))
# Rounds: a phase of every configuration in every slot namespace each.
NF_BENCH_ROUNDS ?= 15
# Runtimes to measure (kbpf linux-interp linux-jit kbpf-deadline); all if empty.
NF_BENCH_RUNTIMES ?=

$(KBPF_VM_NF_BENCH): selftests/bench/vm-nf-bench.c uapi/linux/kbpf.h
	@mkdir -p $(dir $@)
	$(CC) -O2 -g $(KBPF_CORE_WARN) -static -Iuapi -o $@ $< $(VM_BENCH_LIBS)

.PHONY: bench-nf module-bench-612
module-bench-612:
	@test -d "$(KDIR_612)" || { echo "bench-nf: no 6.12 headers at KDIR_612='$(KDIR_612)' (make deps)" >&2; exit 1; }
	@test -f /boot/vmlinuz-$(KBPF_BENCH_612_RELEASE) || \
		{ echo "bench-nf: no /boot/vmlinuz-$(KBPF_BENCH_612_RELEASE) (make deps)" >&2; exit 1; }
	@mkdir -p $(KBPF_BENCH_612_DIR)
	@# Sources only, their times kept: a second run rebuilds what changed.
	@rsync -a --delete --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' \
		--exclude='*.mod*' --exclude=modules.order --exclude=Module.symvers \
		Kbuild kmod uapi $(KBPF_BENCH_612_DIR)/
	+$(call KBPF_MODULE_MAKE,$(KDIR_612),$(KBPF_BENCH_612_DIR)) modules >$(KBPF_BENCH_612_DIR).log 2>&1 || \
		{ cat $(KBPF_BENCH_612_DIR).log; exit 1; }

bench-nf: module-bench-612 kbpfctl-static $(KBPF_VM_NF_BENCH)
	selftests/vm/run --timeout 1200 --memory 1G \
		--kernel-image /boot/vmlinuz-$(KBPF_BENCH_612_RELEASE) \
		--module $(KBPF_BENCH_612_DIR)/kbpf.ko \
		-- 'insmod $$KBPF_KO && uname -r && kbpfctl feature | grep -E "^(profile|policy|stats) " && \
		    $(KBPF_VM_NF_BENCH) $(NF_BENCH_ROUNDS) $(NF_BENCH_RUNTIMES)'
