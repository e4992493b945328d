# kpipe: small C commands that turn Kafka topics into answers at the shell.
#
#   make            build every command into bin/
#   make check      install dependencies, build, run every test
#   make demo       install dependencies, run the README's main job
#   make bench      throughput against jq, Miller, kcat, datamash
#   make asan       the tests under AddressSanitizer (with leak checks) and UBSan
#   make fuzz       the fuzz targets, longer (FUZZ_SECONDS each)
#   make install    PREFIX=/usr/local DESTDIR=

VERSION   := 0.1.0
PREFIX    ?= /usr/local
DESTDIR   ?=
# make's built-in default is cc; the project builds with gcc unless told.
ifeq ($(origin CC),default)
CC        := gcc
endif
OPT       ?= -O2 -g
BUILD     ?= build
BIN       ?= bin

# CI builds with -Werror; a developer's build only warns.
ifeq ($(CI),true)
WERROR := -Werror
endif

CFLAGS  += -std=c11 -pthread -D_GNU_SOURCE $(OPT) -Wall -Wextra $(WERROR) $(SANITIZE) \
           -Icommon -DKPIPE_VERSION='"$(VERSION)"' -MMD -MP
LDFLAGS += -pthread $(SANITIZE)

PCRE2_LIBS := $(shell pkg-config --libs libpcre2-8 2>/dev/null || echo -lpcre2-8)

# Libraries each command needs beyond common/.
LIBS_jparse  := -lcsv $(PCRE2_LIBS)
LIBS_jfilter := -ljq $(PCRE2_LIBS)
# kcat-in frees on its own thread every message librdkafka's fetcher
# thread allocated; glibc's malloc then takes the fetcher's arena lock per
# message, and the two threads wait on each other (a third of kcat-in's CPU
# went to it).  mimalloc frees such blocks without a lock.  It replaces
# malloc for librdkafka too, so it must be linked even though no symbol of
# ours names it; the sanitizers bring their own allocator.
MIMALLOC := $(if $(SANITIZE),,-Wl,--push-state,--no-as-needed -lmimalloc -Wl,--pop-state)
LIBS_kcat-in := $(MIMALLOC) -lrdkafka -lavro -lcurl
LIBS_kout    := -lrdkafka -lcsv -lavro -lcurl -lmicrohttpd -lpthread
LIBS_jwindow :=
LIBS_jstats  :=
LIBS_jjoin   := -lrdkafka

TOOLS       := $(notdir $(wildcard cmd/*))
PROGRAMS    := $(TOOLS:%=$(BIN)/%)
COMMON_SRC  := $(wildcard common/*.c)
COMMON_OBJ  := $(COMMON_SRC:%.c=$(BUILD)/%.o)
COMMON_LIB  := $(BUILD)/libkpipe.a
UNIT_SRC    := $(wildcard tests/unit/test_*.c)
UNIT_BIN    := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
# Test helpers written in C (e.g. the embedded Kafka broker): tests/tools/NAME.c
TOOL_SRC    := $(wildcard tests/tools/*.c)
TOOL_BIN    := $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tools/%)
LIBS_mock-kafka := -lrdkafka
# Unit tests that need more than common/ and libm.
LIBS_test_avro := -lavro -lcurl

DEB_PACKAGES := build-essential pkg-config librdkafka-dev libjq-dev libcsv-dev \
	libpcre2-dev libmimalloc-dev libavro-dev libcurl4-openssl-dev jq kcat miller datamash python3 clang libclang-rt-14-dev \
	openssl tmux default-jdk-headless maven locales chromium cmark-gfm python3-venv \
	libmicrohttpd-dev

.PHONY: all deps spark-deps registry-deps check test demo bench asan fuzz install uninstall clean
.SECONDEXPANSION:
# Object files are built through pattern rules; without this make deletes
# them as intermediates after linking and every build starts from scratch.
.SECONDARY:

all: deps $(PROGRAMS) $(TOOL_BIN)

# Installs what is missing when run as root; otherwise says what to run.
deps:
	@missing=$$(for p in $(DEB_PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; \
	done); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "make deps: installing" $$missing; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
		else \
			echo "make deps: missing packages; run:"; \
			echo "  sudo apt-get update && sudo apt-get install -y" $$missing; exit 1; \
		fi; \
	fi

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

# kout's dashboard page is compiled in (cmd/kout/web.c, .incbin): its
# object is out of date when a file of the page is.
$(BUILD)/cmd/kout/web.o: $(wildcard cmd/kout/web/*)

$(COMMON_LIB): $(COMMON_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(BIN)/%: $$(addprefix $(BUILD)/,$$(subst .c,.o,$$(wildcard cmd/$$*/*.c))) $(COMMON_LIB)
	@mkdir -p $(BIN)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(COMMON_LIB) $(LIBS_$*) -lm

$(BUILD)/tests/%: tests/unit/%.c tests/unit/check.h $(COMMON_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -Itests/unit -o $@ $< $(COMMON_LIB) $(LIBS_$*) -lm

$(BUILD)/tools/%: tests/tools/%.c $(COMMON_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(COMMON_LIB) $(LIBS_$*) -lm

# PySpark from PyPI, the oracle of tests/spark/ and a yardstick of make
# bench, in a virtualenv outside the tree; the stamp file makes a second run
# free.  A failed install only warns (the Spark tests then skip) unless
# KPIPE_REQUIRE_SPARK=1.  SPARK_DEPS= leaves it out of check and bench.
# Then Spark's Kafka connector, for tests/spark/t_kafka.sh and
# b_spark_kafka.sh: spark-sql-kafka-0-10 and the three jars it needs that
# PySpark lacks, from Maven Central through mvn into the venv.  Its version
# is a range up to PySpark's own: the newest release of the same x.y line
# the repository has (a mirror may lack the exact one).
export KPIPE_SPARK_VENV ?= $(HOME)/.cache/kpipe/venv
PYSPARK_VERSION := 3.5.*
SPARK_DEPS      ?= spark-deps

spark-deps:
	@[ -f '$(KPIPE_SPARK_VENV)/.kpipe-pyspark' ] || { \
		echo "make spark-deps: installing PySpark $(PYSPARK_VERSION) into $(KPIPE_SPARK_VENV)"; \
		python3 -m venv '$(KPIPE_SPARK_VENV)' && \
		'$(KPIPE_SPARK_VENV)/bin/pip' install -q 'pyspark==$(PYSPARK_VERSION)' && \
		touch '$(KPIPE_SPARK_VENV)/.kpipe-pyspark'; \
	} || { echo "make spark-deps: could not install PySpark; the Spark tests will skip"; \
		[ "$$KPIPE_REQUIRE_SPARK" != 1 ]; }
	@d='$(KPIPE_SPARK_VENV)/spark-kafka'; [ -f "$$d/jars/.complete" ] || { \
		v=$$('$(KPIPE_SPARK_VENV)/bin/python' -c 'import pyspark; print(pyspark.__version__)') && \
		echo "make spark-deps: fetching Spark's Kafka connector for PySpark $$v into $$d" && \
		rm -rf "$$d" && mkdir -p "$$d" && \
		printf '%s\n' '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>' \
			'<groupId>kpipe</groupId><artifactId>spark-kafka</artifactId><version>1</version>' \
			'<dependencies><dependency><groupId>org.apache.spark</groupId>' \
			"<artifactId>spark-sql-kafka-0-10_2.12</artifactId><version>[$${v%.*}.0,$$v]</version>" \
			'</dependency></dependencies></project>' >"$$d/pom.xml" && \
		(cd "$$d" && mvn -q -B dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=jars \
			-DincludeArtifactIds=spark-sql-kafka-0-10_2.12,spark-token-provider-kafka-0-10_2.12,kafka-clients,commons-pool2 \
			>mvn.log 2>&1) && ls "$$d"/jars/spark-sql-kafka-*.jar >/dev/null && touch "$$d/jars/.complete"; \
	} || { echo "make spark-deps: could not fetch Spark's Kafka connector (see $$d/mvn.log); t_kafka.sh will skip"; \
		[ "$$KPIPE_REQUIRE_SPARK" != 1 ]; }

# The schema registry of the Avro tests (tests/registry/registry.sh fetch:
# Apicurio Registry from Maven Central, cached) and their Python oracles in
# the same virtualenv: fastavro, and confluent-kafka with its Avro extras
# (its consumer and AvroDeserializer read what kout wrote).  A failure only
# warns (the Avro tests then skip) unless KPIPE_REQUIRE_REGISTRY=1.
# REGISTRY_DEPS= leaves it out of check.
REGISTRY_DEPS ?= registry-deps

registry-deps:
	@tests/registry/registry.sh fetch || { echo "make registry-deps: could not fetch the schema registry; the Avro tests will skip"; \
		[ "$$KPIPE_REQUIRE_REGISTRY" != 1 ]; }
	@[ -f '$(KPIPE_SPARK_VENV)/.kpipe-avro' ] || { \
		echo "make registry-deps: installing fastavro and confluent-kafka[avro] into $(KPIPE_SPARK_VENV)"; \
		{ [ -x '$(KPIPE_SPARK_VENV)/bin/pip' ] || python3 -m venv '$(KPIPE_SPARK_VENV)'; } && \
		'$(KPIPE_SPARK_VENV)/bin/pip' install -q fastavro requests 'confluent-kafka[avro]' && \
		touch '$(KPIPE_SPARK_VENV)/.kpipe-avro'; \
	} || { echo "make registry-deps: could not install fastavro and confluent-kafka; the Avro tests will skip"; \
		[ "$$KPIPE_REQUIRE_REGISTRY" != 1 ]; }

check test: all $(UNIT_BIN) $(SPARK_DEPS) $(REGISTRY_DEPS)
	@tests/run

demo: all
	@tests/demo.sh

bench: all $(SPARK_DEPS)
	@tests/bench/run

asan:
	$(MAKE) BUILD=build-asan BIN=build-asan/bin OPT='-O1 -g -fno-omit-frame-pointer' \
		SANITIZE='-fsanitize=address,undefined -fno-sanitize-recover=undefined' all
	$(MAKE) BUILD=build-asan BIN=build-asan/bin OPT='-O1 -g -fno-omit-frame-pointer' \
		SANITIZE='-fsanitize=address,undefined -fno-sanitize-recover=undefined' \
		$(UNIT_SRC:tests/unit/%.c=build-asan/tests/%)
	KPIPE_BIN=$(CURDIR)/build-asan/bin KPIPE_BUILD=$(CURDIR)/build-asan \
		ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 tests/run

FUZZ_SECONDS ?= 60
fuzz: all
	FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man7
	install -m 755 $(PROGRAMS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(wildcard man/*.1) $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 $(wildcard man/*.7) $(DESTDIR)$(PREFIX)/share/man/man7/

uninstall:
	rm -f $(TOOLS:%=$(DESTDIR)$(PREFIX)/bin/%) $(TOOLS:%=$(DESTDIR)$(PREFIX)/share/man/man1/%.1) \
		$(DESTDIR)$(PREFIX)/share/man/man7/kpipe.7

clean:
	rm -rf $(BUILD) build-asan $(BIN)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
