# SPDX-License-Identifier: GPL-2.0
# make bench: interpreter and verifier figures.  Prints; never fails on time.

BENCH_SRCS := selftests/bench/bench.c selftests/bench/programs.c
KBPF_BENCH := $(O)/kbpf-bench
KBPF_SCHED_BENCH := $(O)/kbpf-sched-bench

.PHONY: bench bench-native
# Both halves run even when one fails (a wrong r0 or a refused program).
bench:
	@rc=0; $(MAKE) --no-print-directory bench-native || rc=1; \
	$(MAKE) --no-print-directory bench-vm || rc=1; exit $$rc

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

.PHONY: bench-vm
bench-vm: module kbpfctl-static $(KBPF_VM_BENCH) bench-native-modules
	selftests/vm/run --timeout 900 -- 'insmod $$KBPF_KO && $(KBPF_VM_BENCH) $(BENCH_NATIVE_DIR)/*.ko'
