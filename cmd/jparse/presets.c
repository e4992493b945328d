/*
 * Named log formats for --format.  Each is a PCRE2 pattern whose named
 * captures become fields, plus the field and format --time uses when it
 * is given without one.  They were checked against the loghub samples
 * (tests/jparse/t_presets.sh): every field equals the dataset authors'
 * own split of all 2 000 lines of each system.
 *
 * Trailing blanks of the message are dropped: they carry nothing and
 * make equal messages compare unequal.
 */
#include <string.h>

#include "jparse.h"

#define SYSLOG "^(?<time>[A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d) (?<host>\\S+)\\s+" \
	"(?<program>[^\\[:]+?)(?:\\[(?<pid>\\d+)\\])?:\\s*(?<message>(?:.*\\S)?)\\s*$"
#define SYSLOG_ABOUT "Mon DD HH:MM:SS host program[pid]: message"
#define CLF "^(?<host>\\S+) (?<ident>\\S+) (?<user>\\S+) \\[(?<time>[^\\]]+)\\] " \
	"\"(?<request>(?:[^\"\\\\]++|\\\\.)*+)\" (?<status>\\d{3}) (?<bytes>\\d+|-)"

const struct preset presets[] = {
	{"apache-error",
	 "^\\[(?<time>[^\\]]*)\\] \\[(?<level>[^\\]]*)\\] (?<message>(?:.*\\S)?)\\s*$",
	 "time", NULL, "[Sun Dec 04 04:47:44 2005] [level] message"},
	{"syslog", SYSLOG, "time", NULL, SYSLOG_ABOUT},
	{"linux", SYSLOG, "time", NULL, "the same as syslog"},
	{"openssh", SYSLOG, "time", NULL, "the same as syslog"},
	{"clf", CLF "\\s*$", "time", NULL,
	 "Common Log Format: host ident user [time] \"request\" status bytes"},
	{"combined", CLF " \"(?<referer>(?:[^\"\\\\]++|\\\\.)*+)\" \"(?<agent>(?:[^\"\\\\]++|\\\\.)*+)\"\\s*$",
	 "time", NULL, "clf followed by \"referer\" \"agent\""},
	{"hdfs",
	 "^(?<time>\\d{6} \\d{6}) (?<pid>\\d+) (?<level>[A-Z]+) (?<component>[^ :]+): (?<message>(?:.*\\S)?)\\s*$",
	 "time", "%y%m%d %H%M%S", "YYMMDD HHMMSS pid LEVEL component: message"},
	{"spark",
	 "^(?<time>\\d\\d/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d) (?<level>[A-Z]+) (?<component>[^ :]+): (?<message>(?:.*\\S)?)\\s*$",
	 "time", "%y/%m/%d %H:%M:%S", "yy/MM/dd HH:mm:ss LEVEL component: message (log4j)"},
	{NULL, NULL, NULL, NULL, NULL}
};

const struct preset *
preset_find(const char *name)
{
	for (const struct preset *p = presets; p->name; p++)
		if (strcmp(p->name, name) == 0)
			return p;
	return NULL;
}
