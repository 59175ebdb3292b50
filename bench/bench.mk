# `make bench`: pytrace's benchmark harness (bench/run.py), which reports and
# never fails the build.  BENCH_QUICK=1 is a ~1 minute smoke run;
# BENCH_PYTHON picks the interpreter the workloads run under; BENCH_ARGS
# passes more options (e.g. --only w1,w4 --rounds 7).

BENCH_PYTHON ?= /usr/bin/python3.11
BENCH_ARGS   ?=

bench: $(OUT)/pytrace
	$(Q)BENCH_FROM_MAKE=1 /usr/bin/python3 bench/run.py --pytrace $(OUT)/pytrace \
		--python $(BENCH_PYTHON) $(if $(BENCH_QUICK),--quick) $(BENCH_ARGS)
