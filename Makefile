# pytrace build.  `make` builds build/pytrace; `make test` builds and runs every
# test; `make demo` runs the bundled incident demo.  V=1 shows full commands.

OUT      ?= build
PREFIX   ?= /usr/local
CLANG    ?= clang
CC       ?= cc
BPFTOOL  ?= $(shell command -v bpftool || echo /usr/sbin/bpftool)
# Debian's pytest, whatever python3 is first on PATH (pyenv shims often are).
PYTEST   ?= /usr/bin/python3 -m pytest -q
ARCH     := $(shell uname -m | sed 's/x86_64/x86/;s/aarch64/arm64/')

CFLAGS   ?= -O2 -g
CFLAGS   += -Wall -Wextra -Wno-unused-parameter -std=gnu11 -D_GNU_SOURCE
# SANITIZE=address,undefined builds user space with those sanitizers.
ifneq ($(SANITIZE),)
CFLAGS   += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer
LDFLAGS  += -fsanitize=$(SANITIZE)
endif
CPPFLAGS += -I$(OUT) -Ibpf -Iuser -MMD -MP
LDLIBS   += -lbpf -lelf -lz -pthread
BPF_CFLAGS := -g -O2 -target bpf -mcpu=v3 -D__TARGET_ARCH_$(ARCH) -Ivmlinux -Ibpf \
	      -Wall -Wno-unused-function -MMD -MP

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

USER_SRCS := $(filter-out user/main.c,$(wildcard user/*.c))
USER_OBJS := $(USER_SRCS:user/%.c=$(OUT)/%.o)
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(OUT)/tests/%)
GEN_HDRS  := $(OUT)/pytrace.skel.h $(OUT)/syscall_names.h $(OUT)/errno_names.h

.PHONY: all clean test unit-test e2e-test install demo deps vmlinux bench
all: $(OUT)/pytrace

$(OUT) $(OUT)/tests:
	$(Q)mkdir -p $@

.PHONY: layouts
# user/layouts_gen.h is committed; this regenerates it from the CPython headers
# of pyenv's installs (see scripts/gen-layouts.sh).
layouts:
	sh scripts/gen-layouts.sh > user/layouts_gen.h.tmp && mv user/layouts_gen.h.tmp user/layouts_gen.h

# vmlinux.h is committed for x86_64; this regenerates it from the running kernel.
vmlinux:
	$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > vmlinux/vmlinux.h

$(OUT)/pytrace.bpf.o: bpf/pytrace.bpf.c | $(OUT)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(OUT)/pytrace.skel.h: $(OUT)/pytrace.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< > $@.tmp && mv $@.tmp $@

$(OUT)/syscall_names.h: scripts/gen-syscall-names.sh | $(OUT)
	$(call msg,GEN,$@)
	$(Q)sh scripts/gen-syscall-names.sh > $@.tmp && mv $@.tmp $@

$(OUT)/errno_names.h: scripts/gen-errnos.sh | $(OUT)
	$(call msg,GEN,$@)
	$(Q)sh scripts/gen-errnos.sh > $@.tmp && mv $@.tmp $@

$(OUT)/%.o: user/%.c $(GEN_HDRS) | $(OUT)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(OUT)/pytrace: $(OUT)/main.o $(USER_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(OUT)/tests/%: tests/unit/%.c $(USER_OBJS) | $(OUT)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $< $(USER_OBJS) $(LDLIBS) -o $@

unit-test: $(UNIT_BINS)
	$(Q)set -e; for t in $(UNIT_BINS); do echo "== $$t"; $$t; done

e2e-test: $(OUT)/pytrace
	$(Q)$(PYTEST) tests/e2e

# The two set-up commands of the README: each installs what is missing first.
test:
	$(Q)sh scripts/install-deps.sh
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(MAKE) --no-print-directory unit-test
	$(Q)sh tests/interp/prepare.sh
	$(Q)$(MAKE) --no-print-directory e2e-test
	$(Q)$(MAKE) --no-print-directory fuzz-ci

demo:
	$(Q)sh scripts/install-deps.sh
	$(Q)$(MAKE) --no-print-directory all
	$(Q)sh demo/run.sh

deps:
	$(Q)sh scripts/install-deps.sh

install: $(OUT)/pytrace
	install -D -m 0755 $(OUT)/pytrace $(DESTDIR)$(PREFIX)/bin/pytrace

clean:
	rm -rf $(OUT)

# Fuzzing and benchmark targets live next to their sources.
include $(wildcard tests/fuzz/fuzz.mk bench/bench.mk)

-include $(wildcard $(OUT)/*.d)
