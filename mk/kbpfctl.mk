# SPDX-License-Identifier: GPL-2.0
#
# kbpfctl (userspace-tool/), the example BPF programs (examples/) and the
# BPF programs the tests load (selftests/progs/).
#
#   make kbpfctl          $(O)/kbpfctl, dynamically linked
#   make kbpfctl-static   $(O)/kbpfctl.static, fully static (VM initramfs)
#   make examples         $(O)/examples/*.bpf.o and $(O)/progs/*.bpf.o
#   make kbpfctl-test     CLI and transport tests that need no module (part of
#                         `make check`)
#
# `kbpfctl verify` links the core library when mk/core.mk provides it
# (KBPF_CORE_LIB, KBPF_CORE_CFLAGS); KBPFCTL_CORE=0 builds without it.  The
# static binary never links it: the VM has the module to verify with.

KBPFCTL_DIR := userspace-tool
KBPFCTL_SRCS := $(addprefix $(KBPFCTL_DIR)/,main.c common.c dev.c ctl.c ctl_dev.c netlink.c \
		elf.c link.c prog.c map.c map_btf.c btf_json.c ringbuf.c events.c capture.c trace.c json_writer.c verify.c apply.c build.c hook.c)
KBPFCTL_HDRS := $(wildcard $(KBPFCTL_DIR)/*.h $(KBPFCTL_DIR)/aot/*.h) uapi/linux/kbpf.h
KBPFCTL_CFLAGS := -O2 -g -Wall -Wextra -Wno-unused-parameter \
		  -Wno-missing-field-initializers -Iuapi \
		  $(shell pkg-config --cflags libnl-genl-3.0 2>/dev/null || echo -I/usr/include/libnl3) \
		  -DKBPFCTL_VERSION='"$(KBPF_VERSION)"' $(EXTRA_CFLAGS)
KBPFCTL_LIBS := -lbpf -lnl-genl-3 -lnl-3 -lelf -lz
# libbpf.a needs libelf, which needs zlib and zstd; libnl needs pthread and m.
KBPFCTL_STATIC_LIBS := -Wl,-Bstatic -lbpf -lnl-genl-3 -lnl-3 -lelf -lz -lzstd \
		       -lpthread -lm

KBPFCTL_CORE ?= $(if $(KBPF_CORE_LIB),1,0)
ifeq ($(KBPFCTL_CORE),1)
KBPFCTL_CORE_DEFS := -DKBPFCTL_HAVE_CORE $(KBPF_CORE_CFLAGS)
KBPFCTL_CORE_DEPS := $(KBPF_CORE_LIB) $(KBPF_AOT_HDRS) $(KBPF_AOT_GEN)
KBPFCTL_CORE_LIBS := $(KBPF_CORE_LIB)
KBPFCTL_CORE_SRCS := $(KBPFCTL_DIR)/core_glue.c $(KBPF_AOT_SRCS)
endif

BPF_CFLAGS := -O2 -g -target bpf -Wall -Iuapi \
	      -I/usr/include/$(shell $(CC) -dumpmachine 2>/dev/null)
EXAMPLES_OBJS := $(patsubst examples/%.c,$(O)/examples/%.o,$(wildcard examples/*.bpf.c))
PROGS_OBJS := $(patsubst selftests/progs/%.c,$(O)/progs/%.o,$(wildcard selftests/progs/*.bpf.c))

.PHONY: kbpfctl kbpfctl-static examples progs kbpfctl-test kbpfctl-clean
kbpfctl: $(O)/kbpfctl
kbpfctl-static: $(O)/kbpfctl.static
examples: $(EXAMPLES_OBJS) $(PROGS_OBJS)
progs: $(PROGS_OBJS)

$(O)/kbpfctl: $(KBPFCTL_SRCS) $(KBPFCTL_HDRS) $(KBPFCTL_CORE_DEPS) $(O)/.version
	@mkdir -p $(@D)
	$(CC) $(KBPFCTL_CFLAGS) $(KBPFCTL_CORE_DEFS) -o $@ $(KBPFCTL_SRCS) \
		$(KBPFCTL_CORE_SRCS) $(KBPFCTL_CORE_LIBS) $(KBPFCTL_LIBS)

$(O)/kbpfctl.static: $(KBPFCTL_SRCS) $(KBPFCTL_HDRS) $(O)/.version
	@mkdir -p $(@D)
	$(CC) $(KBPFCTL_CFLAGS) -static -o $@ $(KBPFCTL_SRCS) \
		$(KBPFCTL_STATIC_LIBS)

$(O)/examples/%.bpf.o: examples/%.bpf.c uapi/linux/kbpf.h
	@mkdir -p $(@D)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(O)/progs/%.bpf.o: selftests/progs/%.bpf.c uapi/linux/kbpf.h
	@mkdir -p $(@D)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

# The transport layer against a fake module (selftests/kbpfctl/test_ctl.c).
KBPFCTL_TEST_CTL_SRCS := selftests/kbpfctl/test_ctl.c \
	$(addprefix $(KBPFCTL_DIR)/,ctl.c ctl_dev.c common.c json_writer.c)

$(O)/kbpfctl-test-ctl: $(KBPFCTL_TEST_CTL_SRCS) $(KBPFCTL_HDRS)
	@mkdir -p $(@D)
	$(CC) $(KBPFCTL_CFLAGS) -I$(KBPFCTL_DIR) -o $@ $(KBPFCTL_TEST_CTL_SRCS)

kbpfctl-test: $(O)/kbpfctl $(O)/kbpfctl.static $(O)/kbpfctl-test-ctl examples
	$(O)/kbpfctl-test-ctl
	selftests/kbpfctl/test_cli.sh $(O)/kbpfctl $(O)
	selftests/kbpfctl/test_cli.sh $(O)/kbpfctl.static $(O)

kbpfctl-clean:
	rm -rf $(O)/kbpfctl $(O)/kbpfctl.static $(O)/kbpfctl-test-ctl \
		$(O)/examples $(O)/progs

CHECK_TARGETS += kbpfctl-test
CLEAN_TARGETS += kbpfctl-clean
