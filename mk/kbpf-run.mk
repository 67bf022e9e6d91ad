# SPDX-License-Identifier: GPL-2.0
# kbpf-run: the bpf_conformance plugin runner over the userspace core.

KBPF_RUN := $(O)/kbpf-run

.PHONY: kbpf-run
kbpf-run: $(KBPF_RUN)

$(KBPF_RUN): userspace-tool/kbpf-run/kbpf-run.c $(KBPF_CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) -O2 -g -Wall -Wextra $(KBPF_CORE_CFLAGS) -o $@ $< $(KBPF_CORE_LIB)
