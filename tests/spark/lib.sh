# Helpers for tests/spark/t_*.sh; source after tests/lib.sh.
#   need_spark NAME   sets $spark_py to the PySpark interpreter, or reports
#                     NAME as skipped (failed with KPIPE_REQUIRE_SPARK=1)
#                     and exits
#   compare NAME KPIPE SPARK [compare.py options]   one ok/not ok line
# PySpark lives in a virtualenv made by `make spark-deps` (make check does
# it), $KPIPE_SPARK_VENV, by default ~/.cache/kpipe/venv.
spark_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
spark_venv=${KPIPE_SPARK_VENV:-$HOME/.cache/kpipe/venv}
spark_py=$spark_venv/bin/python

need_spark() {
	local why=
	if ! command -v java >/dev/null; then
		why="no java on PATH (make deps installs default-jdk-headless)"
	elif ! "$spark_py" -c 'import pyspark' 2>/dev/null; then
		why="no PySpark in $spark_venv (make spark-deps)"
	fi
	[ -z "$why" ] && return 0
	if [ "${KPIPE_REQUIRE_SPARK:-0}" = 1 ]; then
		fail "$1" "$why, and KPIPE_REQUIRE_SPARK=1"
	else
		skip "$1" "$why"
	fi
	exit 0
}

# Runs a PySpark script; a Spark that fails to start or run is a failure
# (not a skip): PySpark is installed, so it must work.
run_spark() {
	local name=$1; shift
	if ! "$spark_py" "$@" >"$TMP/spark.log" 2>&1; then
		fail "$name" "$(basename "$1") failed: $(grep -v '^\s*at ' "$TMP/spark.log" | tail -n 5 | tr '\n' ' ')"
		exit 0
	fi
}

compare() {
	local name=$1 kp=$2 sp=$3 out; shift 3
	if out=$(python3 "$spark_dir/compare.py" "$@" "$kp" "$sp" 2>&1); then
		ok "$name ($out)"
	else
		fail "$name" "$out"
	fi
}
