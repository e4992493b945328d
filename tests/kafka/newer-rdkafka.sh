#!/usr/bin/env bash
# A librdkafka newer than Debian 12's 2.0.2, for the checks that need one:
# librdkafka before 2.6.1 cannot log in to Kafka 4 with SASL/SCRAM
# (librdkafka PR 4895), and Debian 12 has no newer package.
#
#   newer-rdkafka.sh          print a directory holding librdkafka.so.1
#
# Run kcat-in and kout with LD_LIBRARY_PATH=that directory: they link
# librdkafka.so.1 dynamically and its C ABI stays compatible across 2.x.
#
# The library comes from PyPI's confluent-kafka wheel, pinned by version and
# sha256, which bundles librdkafka (with OpenSSL, SASL/SCRAM and the
# compression codecs linked in) as one shared object needing only libc.
# pip downloads the wheel (through a throw-away venv when python3 has no
# pip of its own), Python's zipfile takes the library out of it, and the
# library is checked to load, to be at least 2.6.1, and to have SSL and
# SASL/SCRAM built in.  All of it is cached in $KPIPE_RDKAFKA_CACHE
# (default ~/.cache/kpipe/librdkafka-VERSION): only the first run
# downloads.  Exit status: 0 ok, 1 failure (message on stderr), 2 usage.
set -u
# confluent-kafka's wheel N.M.P bundles librdkafka N.M.P.
VERSION=2.11.1
WHEEL_SHA256=61caa7929443ca0bf4ac5c61d37fbc3e77f5fa094adf2337eb62d2742a0b2290
cache=${KPIPE_RDKAFKA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kpipe/librdkafka-$VERSION}

die() { echo "newer-rdkafka.sh: $*" >&2; exit 1; }

# check LIB: the library loads, is new enough and can do TLS and SCRAM.
check() {
	python3 - "$1" <<'EOF'
import ctypes, sys
lib = ctypes.CDLL(sys.argv[1])
lib.rd_kafka_version_str.restype = ctypes.c_char_p
lib.rd_kafka_conf_new.restype = ctypes.c_void_p
lib.rd_kafka_conf_destroy.argtypes = [ctypes.c_void_p]
conf = lib.rd_kafka_conf_new()
buf = ctypes.create_string_buffer(1024)
size = ctypes.c_size_t(len(buf))
if lib.rd_kafka_conf_get(ctypes.c_void_p(conf), b"builtin.features", buf, ctypes.byref(size)) != 0:
    sys.exit("cannot read builtin.features")
lib.rd_kafka_conf_destroy(conf)
version = lib.rd_kafka_version_str().decode()
features = buf.value.decode().split(",")
if lib.rd_kafka_version() < 0x020601ff:
    sys.exit("librdkafka %s is older than 2.6.1" % version)
missing = [f for f in ("ssl", "sasl_scram") if f not in features]
if missing:
    sys.exit("librdkafka %s lacks %s (builtin.features %s)" % (version, " and ".join(missing), ",".join(features)))
EOF
}

fetch() {
	[ "$(uname -m)" = x86_64 ] || die "the pinned confluent-kafka wheel is for x86_64, not $(uname -m)"
	command -v python3 >/dev/null || die "python3 not found"
	local t pip whl so
	mkdir -p "$cache" || die "cannot create $cache"
	t=$(mktemp -d "$cache/fetch.XXXXXX") || die "cannot create a directory in $cache"
	trap "rm -rf '$t'" EXIT
	if python3 -m pip --version >/dev/null 2>&1; then
		pip=(python3 -m pip)
	else
		# Debian's python3 has no pip without python3-pip; a venv does.
		python3 -m venv "$t/venv" >"$t/venv.log" 2>&1 ||
			{ tail -n 5 "$t/venv.log" >&2; die "no pip, and python3 -m venv failed (make deps installs python3-venv)"; }
		pip=("$t/venv/bin/python" -m pip)
	fi
	# The wheel for CPython 3.11 whatever python3 is: only its librdkafka
	# is used, and that does not depend on Python.
	echo "confluent-kafka==$VERSION --hash=sha256:$WHEEL_SHA256" >"$t/req.txt"
	"${pip[@]}" download -q --disable-pip-version-check --no-deps --require-hashes \
		--only-binary=:all: --platform manylinux_2_28_x86_64 \
		--implementation cp --python-version 3.11 --abi cp311 \
		-r "$t/req.txt" -d "$t" >"$t/pip.log" 2>&1 ||
		{ tail -n 5 "$t/pip.log" >&2; die "pip could not download confluent-kafka $VERSION from PyPI"; }
	whl=$(ls "$t"/confluent_kafka-"$VERSION"-*.whl 2>/dev/null) || die "pip left no wheel in $t"
	so=$(python3 - "$whl" "$t/lib" <<'EOF'
import os, sys, zipfile
whl, out = sys.argv[1:]
libs = [n for n in zipfile.ZipFile(whl).namelist()
        if n.startswith("confluent_kafka.libs/librdkafka") and ".so" in n]
if len(libs) != 1:
    sys.exit("want one librdkafka in the wheel, found %d" % len(libs))
os.makedirs(out)
with zipfile.ZipFile(whl).open(libs[0]) as src, open(os.path.join(out, os.path.basename(libs[0])), "wb") as dst:
    dst.write(src.read())
print(os.path.basename(libs[0]))
EOF
	) || die "cannot take librdkafka out of $whl"
	ln -s "$so" "$t/lib/librdkafka.so.1" || die "cannot link $t/lib/librdkafka.so.1"
	check "$t/lib/librdkafka.so.1" || die "the wheel's library is not usable"
	rm -rf "$cache/lib"
	mv "$t/lib" "$cache/lib" && touch "$cache/lib/.complete" || die "cannot move the library into $cache/lib"
}

[ $# -eq 0 ] || { echo "usage: newer-rdkafka.sh" >&2; exit 2; }
[ -f "$cache/lib/.complete" ] || fetch
# Checked again on every use: the cache may be from another machine.
check "$cache/lib/librdkafka.so.1" || die "$cache/lib/librdkafka.so.1 is not usable; remove $cache to fetch it again"
echo "$cache/lib"
