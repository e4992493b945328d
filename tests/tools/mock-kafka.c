/*
 * mock-kafka: librdkafka's built-in mock cluster as a stand-alone broker
 * for demos and tests, so that no Kafka installation is needed.
 *
 *   mock-kafka [-n BROKERS] [TOPIC[:PARTITIONS]...]
 *
 * Prints the bootstrap address on the first line of standard output and
 * runs until SIGINT or SIGTERM.  Commands read from standard input, one per
 * line, change the cluster while it runs (tests use them to inject faults):
 *
 *   topic NAME PARTITIONS      create a topic
 *   down ID | up ID            take broker ID down or bring it back
 *   rtt ID MS                  delay broker ID's responses
 *   errors APIKEY CODE COUNT   fail the next COUNT requests of the API
 *                              (e.g. 0 = Produce, 1 = Fetch) with CODE
 *   topic-error NAME CODE      answer metadata for NAME with CODE
 *
 * Each command is acknowledged with "ok" or "error: ..." on standard
 * output.  The mock keeps only a few MB per partition.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void
reply(rd_kafka_resp_err_t err)
{
	if (err)
		printf("error: %s\n", rd_kafka_err2str(err));
	else
		printf("ok\n");
	fflush(stdout);
}

static void
command(rd_kafka_mock_cluster_t *mc, char *line)
{
	char name[256];
	int a, b, c;

	if (sscanf(line, "topic %255s %d", name, &a) == 2)
		reply(rd_kafka_mock_topic_create(mc, name, a, 1));
	else if (sscanf(line, "down %d", &a) == 1)
		reply(rd_kafka_mock_broker_set_down(mc, a));
	else if (sscanf(line, "up %d", &a) == 1)
		reply(rd_kafka_mock_broker_set_up(mc, a));
	else if (sscanf(line, "rtt %d %d", &a, &b) == 2)
		reply(rd_kafka_mock_broker_set_rtt(mc, a, b));
	else if (sscanf(line, "errors %d %d %d", &a, &b, &c) == 3) {
		for (int i = 0; i < c; i++)
			rd_kafka_mock_push_request_errors(mc, (int16_t)a, 1, (rd_kafka_resp_err_t)b);
		reply(RD_KAFKA_RESP_ERR_NO_ERROR);
	} else if (sscanf(line, "topic-error %255s %d", name, &a) == 2) {
		rd_kafka_mock_topic_set_error(mc, name, (rd_kafka_resp_err_t)a);
		reply(RD_KAFKA_RESP_ERR_NO_ERROR);
	} else {
		printf("error: unknown command: %s", line);
		fflush(stdout);
	}
}

int
main(int argc, char **argv)
{
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	rd_kafka_mock_cluster_t *mc;
	rd_kafka_t *rk;
	char err[256], *line = NULL;
	size_t cap = 0;
	int opt, brokers = 1, stdin_open = 1;
	struct sigaction sa;

	while ((opt = getopt(argc, argv, "n:")) != -1) {
		if (opt != 'n' || (brokers = atoi(optarg)) < 1) {
			fprintf(stderr, "usage: mock-kafka [-n BROKERS] [TOPIC[:PARTITIONS]...]\n");
			return 2;
		}
	}
	/* The cluster lives inside a client handle; it is never used to
	 * produce anything. */
	rd_kafka_conf_set(conf, "log_level", "3", err, sizeof err);
	if ((rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err)) == NULL) {
		fprintf(stderr, "mock-kafka: %s\n", err);
		return 3;
	}
	if ((mc = rd_kafka_mock_cluster_new(rk, brokers)) == NULL) {
		fprintf(stderr, "mock-kafka: cannot create the mock cluster\n");
		return 3;
	}
	for (int i = optind; i < argc; i++) {
		char *colon = strrchr(argv[i], ':');
		int parts = 1;
		if (colon) {
			*colon = '\0';
			parts = atoi(colon + 1);
		}
		if (parts < 1 || rd_kafka_mock_topic_create(mc, argv[i], parts, 1)) {
			fprintf(stderr, "mock-kafka: cannot create topic %s\n", argv[i]);
			return 2;
		}
	}
	printf("%s\n", rd_kafka_mock_cluster_bootstraps(mc));
	fflush(stdout);

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;	/* no SA_RESTART: getline returns */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	while (!stop) {
		if (stdin_open && getline(&line, &cap, stdin) != -1)
			command(mc, line);
		else if (stdin_open && errno != EINTR)
			stdin_open = 0;
		else if (!stdin_open)
			pause();
		clearerr(stdin);
	}
	rd_kafka_mock_cluster_destroy(mc);
	rd_kafka_destroy(rk);
	free(line);
	return 0;
}
