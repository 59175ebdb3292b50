# Fuzzing (libFuzzer, clang) and the test suite under ASan+UBSan.
# Included by the Makefile.
#
#   make fuzz        builds every tests/fuzz/fuzz_*.c into build-fuzz/fuzz/
#   make fuzz-ci     runs the unit tests built by clang with the sanitizers,
#                    then each fuzzer for FUZZ_TIME seconds on a copy of its
#                    corpus (tests/fuzz/corpus/<target>/); fails on any
#                    crash, whose input is kept in build-fuzz/artifacts/
#   make test-asan   unit and e2e tests with pytrace built with
#                    -fsanitize=address,undefined into build-asan/; fails on
#                    any sanitizer report (kept in build-asan/san/)
#
# A longer run of one target: build-fuzz/fuzz/fuzz_lines tests/fuzz/corpus/fuzz_lines

FUZZ_OUT     ?= build-fuzz
FUZZ_TIME    ?= 6
FUZZ_CC      ?= clang
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
ASAN_OUT     ?= build-asan
SAN_LOG       = $(abspath $(ASAN_OUT))/san/report

.PHONY: fuzz fuzz-bins fuzz-ci test-asan

# The user-space objects are built again with coverage instrumentation;
# UBSan findings abort like ASan ones, so the fuzzer stops on them.
fuzz:
	$(Q)CFLAGS="-O1 -g -fsanitize=fuzzer-no-link -fno-sanitize-recover=all" \
	    $(MAKE) --no-print-directory OUT=$(FUZZ_OUT) CC=$(FUZZ_CC) \
	    SANITIZE=address,undefined fuzz-bins

# The unit tests too, built by clang with the sanitizers: some decoder bugs
# show with one compiler only (argument evaluation order, for one).
fuzz-bins: $(FUZZ_TARGETS:%=$(OUT)/fuzz/%) $(UNIT_BINS)

$(OUT)/fuzz/%: tests/fuzz/%.c $(USER_OBJS) | $(OUT)
	$(call msg,FUZZ,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -fsanitize=fuzzer $< $(USER_OBJS) \
	    $(LDLIBS) -o $@

# The corpus is copied so that the run never writes into the source tree.
fuzz-ci: fuzz
	$(Q)set -e; for t in $(UNIT_SRCS:tests/unit/%.c=$(FUZZ_OUT)/tests/%); do \
		out=$$($$t 2>&1) || { echo "$$out"; echo "fuzz-ci: $$t (clang) failed"; exit 1; }; \
	done
	$(Q)set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	mkdir -p $(FUZZ_OUT)/artifacts; \
	for f in $(FUZZ_TARGETS); do \
		mkdir -p "$$tmp/$$f"; \
		cp tests/fuzz/corpus/$$f/* "$$tmp/$$f/"; \
		printf '  %-8s %s (%s s)\n' FUZZ $$f $(FUZZ_TIME); \
		if ! $(FUZZ_OUT)/fuzz/$$f -max_total_time=$(FUZZ_TIME) \
		    -timeout=10 -rss_limit_mb=1024 -print_final_stats=1 \
		    -artifact_prefix=$(FUZZ_OUT)/artifacts/$$f- \
		    "$$tmp/$$f" >"$$tmp/$$f.log" 2>&1; then \
			tail -n 60 "$$tmp/$$f.log"; \
			echo "fuzz-ci: $$f failed; input in $(FUZZ_OUT)/artifacts/"; \
			exit 1; \
		fi; \
		grep -h '^stat::number_of_executed_units' "$$tmp/$$f.log" || true; \
	done

# Every sanitizer report goes to a file as well as failing the process, so
# a report from a pytrace whose exit status a test does not check is not
# missed either.
test-asan:
	$(Q)$(MAKE) --no-print-directory OUT=$(ASAN_OUT) \
	    SANITIZE=address,undefined $(ASAN_OUT)/pytrace
	$(Q)rm -rf $(ASAN_OUT)/san && mkdir -p $(ASAN_OUT)/san
	$(Q)ASAN_OPTIONS=log_path=$(SAN_LOG):detect_leaks=1 \
	    UBSAN_OPTIONS=log_path=$(SAN_LOG):halt_on_error=1:print_stacktrace=1 \
	    $(MAKE) --no-print-directory OUT=$(ASAN_OUT) \
	    SANITIZE=address,undefined unit-test; \
	st=$$?; \
	ASAN_OPTIONS=log_path=$(SAN_LOG):detect_leaks=1 \
	    UBSAN_OPTIONS=log_path=$(SAN_LOG):halt_on_error=1:print_stacktrace=1 \
	    PYTRACE_BIN=$(abspath $(ASAN_OUT))/pytrace $(PYTEST) tests/e2e || st=1; \
	if ls $(ASAN_OUT)/san/report.* >/dev/null 2>&1; then \
		head -n 40 $(ASAN_OUT)/san/report.*; \
		echo "test-asan: sanitizer reports in $(ASAN_OUT)/san/"; st=1; \
	fi; \
	exit $$st
