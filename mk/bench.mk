# SPDX-License-Identifier: GPL-2.0
# make bench: interpreter and verifier figures.  Prints; never fails on time.

BENCH_SRCS := selftests/bench/bench.c selftests/bench/programs.c
KBPF_BENCH := $(O)/kbpf-bench

.PHONY: bench bench-native
# Both halves run even when one fails (a wrong r0 or a refused program).
bench:
	@rc=0; $(MAKE) --no-print-directory bench-native || rc=1; \
	$(MAKE) --no-print-directory bench-vm || rc=1; exit $$rc

bench-native: $(KBPF_BENCH)
	$(KBPF_BENCH)

$(KBPF_BENCH): $(BENCH_SRCS) selftests/bench/programs.h $(KBPF_CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) -O2 -g -Wall -Wextra $(KBPF_CORE_CFLAGS) -o $@ $(BENCH_SRCS) $(KBPF_CORE_LIB)

# ---- the VM half: kbpf.ko's test-run ioctl beside Linux's interpreter ----
# kbpf-vm-bench runs inside the VM (selftests/vm/run), so it is static:
# the initramfs has no libbpf.

KBPF_VM_BENCH := $(O)/kbpf-vm-bench
VM_BENCH_LIBS := -lbpf -lelf -lz -lzstd

$(KBPF_VM_BENCH): selftests/bench/vm-bench.c selftests/bench/programs.c \
		  selftests/bench/programs.h uapi/linux/kbpf.h
	@mkdir -p $(dir $@)
	$(CC) -O2 -g -Wall -Wextra -static $(KBPF_CORE_CFLAGS) -o $@ \
		selftests/bench/vm-bench.c selftests/bench/programs.c $(VM_BENCH_LIBS)

.PHONY: bench-vm
bench-vm: module $(KBPF_VM_BENCH)
	selftests/vm/run --timeout 900 -- 'insmod $$KBPF_KO && $(KBPF_VM_BENCH)'
