# `make bench`: pytrace's benchmark harness (bench/run.py), which reports and
# never fails the build.  BENCH_QUICK=1 is a ~1 minute smoke run;
# BENCH_PYTHON picks the interpreter the workloads run under; BENCH_ARGS
# passes more options (e.g. --only w1,w4 --rounds 7).

BENCH_PYTHON ?= /usr/bin/python3.11
BENCH_ARGS   ?=

bench: $(OUT)/pytrace $(OUT)/hookcost
	$(Q)BENCH_FROM_MAKE=1 /usr/bin/python3 bench/run.py --pytrace $(OUT)/pytrace \
		--hookcost $(OUT)/hookcost \
		--python $(BENCH_PYTHON) $(if $(BENCH_QUICK),--quick) $(BENCH_ARGS)

# hookcost: the floor under W1 (bench/floor/hookcost.c, README "What it costs").
$(OUT)/bench $(OUT)/bench/floor:
	$(Q)mkdir -p $@

$(OUT)/bench/floor/hookcost.bpf.o: bench/floor/hookcost.bpf.c | $(OUT)/bench/floor
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(OUT)/bench/floor/hookcost.skel.h: $(OUT)/bench/floor/hookcost.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< > $@.tmp && mv $@.tmp $@

$(OUT)/hookcost: bench/floor/hookcost.c $(OUT)/bench/floor/hookcost.skel.h
	$(call msg,CC,$@)
	$(Q)$(CC) -I$(OUT)/bench/floor $(CFLAGS) $(LDFLAGS) $< -lbpf -lelf -lz -o $@
