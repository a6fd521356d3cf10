#!/bin/bash
# run.sh - run the libFuzzer targets (built by `make fuzz-build` into
# build/fuzz/) for a set time each, starting from the committed corpora.
#
#   fuzz/run.sh SECONDS [TARGET...]    default: every target
#   fuzz/run.sh --short SECONDS [...]  the committed corpora only, finds thrown
#                                      away (what `make test` runs)
#   fuzz/run.sh --merge [TARGET...]    add what the runs found (build/fuzz/work)
#                                      to fuzz/corpus: only inputs that add coverage
#                                      (keep the committed corpora to a few hundred KB;
#                                      xlsx and multipart inputs are big, they keep seeds)
#
# `make fuzz` runs each target for FUZZ_TIME seconds (120 by default);
# `make test` runs a short pass (the "fuzz" stage: every committed input
# replayed, then a few seconds of new mutations per target).  New inputs
# go to build/fuzz/work/TARGET, never straight into git; a crash or leak
# stops that target, its input is saved as build/fuzz/crashes/TARGET-crash-*
# and the run fails with the report.  See docs/fuzzing.md.
set -u
cd "$(dirname "$0")/.."
ROOT=$PWD
ALL="router query json multipart xlsx csv"

merge=0
short=0
if [ "${1:-}" = --short ]; then
	short=1
	shift
fi
if [ "${1:-}" = --merge ]; then
	merge=1
	shift
else
	secs=${1:-60}
	shift || true
fi
targets=${*:-$ALL}

dict_of() {
	case $1 in
	xlsx) echo fuzz/dict/xlsx.dict ;;
	csv) echo fuzz/dict/csv.dict ;;
	*) echo fuzz/dict/http.dict ;;
	esac
}

max_len_of() {
	case $1 in
	router) echo 512 ;;
	query) echo 2048 ;;
	json) echo 8192 ;;
	xlsx) echo 65536 ;;
	*) echo 16384 ;;
	esac
}

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/tests/lsan.supp}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

failed=0
for t in $targets; do
	bin=build/fuzz/fuzz_$t
	if [ ! -x "$bin" ]; then
		echo "fuzz $t: $bin missing (make fuzz-build)" >&2
		failed=$((failed + 1))
		continue
	fi
	work=build/fuzz/work/$t
	if [ $short = 1 ]; then # start from the committed corpus alone, every time
		work=build/fuzz/short/$t
		rm -rf "$work"
	fi
	log=build/fuzz/logs/$t.log
	mkdir -p "$work" build/fuzz/logs build/fuzz/crashes "fuzz/corpus/$t"
	if [ $merge = 1 ]; then
		# add only the found inputs that add coverage; the committed seeds and
		# crash-* regressions stay as they are, under their own names
		"$bin" -merge=1 -max_len="$(max_len_of "$t")" "fuzz/corpus/$t" "$work" >"$log" 2>&1 ||
			echo "fuzz $t: merge failed, see $log"
		echo "fuzz $t: corpus $(ls "fuzz/corpus/$t" | wc -l) inputs, $(cat "fuzz/corpus/$t"/* | wc -c) bytes"
		continue
	fi
	t0=$SECONDS
	"$bin" -max_total_time="$secs" -timeout=30 -rss_limit_mb=4096 \
		-max_len="$(max_len_of "$t")" -dict="$(dict_of "$t")" \
		-artifact_prefix="build/fuzz/crashes/$t-" -print_final_stats=1 \
		"$work" "fuzz/corpus/$t" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
	if [ $rc -eq 0 ]; then
		echo "fuzz $t: ok, ${runs:-0} runs in $((SECONDS - t0)) s, coverage ${cov:-?} edges"
	else
		failed=$((failed + 1))
		echo "fuzz $t: FAILED (exit $rc) after ${runs:-?} runs; report in $log:"
		grep -E 'ERROR|SUMMARY|fuzz_server|fuzz_sheet|Test unit written|^    #[0-9] ' "$log" | head -30
	fi
done
[ $failed -eq 0 ]
