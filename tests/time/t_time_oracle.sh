#!/usr/bin/env bash
# common/timefmt.c against independent oracles: Python's datetime and
# Decimal compute what every generated string means, GNU date reads the
# same RFC 3339 strings, and the loghub logs supply real timestamps.  The
# C side is the unit-test binary in its driver mode (see test_timefmt.c).
. "$(dirname "$0")/../lib.sh"

drv=$KPIPE_BUILD/tests/test_timefmt
if [ ! -x "$drv" ]; then
	fail time-oracle "no $drv: run make first"
	exit 0
fi
command -v python3 >/dev/null || { skip time-oracle "python3 is not installed"; exit 0; }

# Writes NAME.in, NAME.want (and NAME.args, the driver's arguments) into $TMP.
python3 - "$TMP" "$TESTDATA/loghub" <<'EOF'
import datetime as dt, decimal, os, random, sys

out, loghub = sys.argv[1], sys.argv[2]
rnd = random.Random(20240301)
UTC = dt.timezone.utc
EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)
US = dt.timedelta(microseconds=1)
LO = int((dt.datetime(1, 1, 1, tzinfo=UTC) - EPOCH) / US)
HI = int((dt.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC) - EPOCH) / US)
MIN_US, MAX_US = -62167219200 * 10**6, 253402300800 * 10**6 - 1

def us_of(d):
    return (d - EPOCH) // US

def write(name, args, rows):
    with open(os.path.join(out, name + ".args"), "w") as f:
        f.write(args + "\n")
    with open(os.path.join(out, name + ".in"), "w") as fi, open(os.path.join(out, name + ".want"), "w") as fw:
        for text, want in rows:
            fi.write(text + "\n")
            fw.write(str(want) + "\n")

def rand_us():
    # Mostly near now, some anywhere in 0001-9999, some whole seconds or ms.
    r = rnd.random()
    t = rnd.randint(LO, HI) if r < 0.4 else rnd.randint(-3 * 10**15, 4 * 10**15)
    k = rnd.random()
    if k < 0.25:
        t -= t % 10**6
    elif k < 0.5:
        t -= t % 1000
    return t

def when(t):
    return EPOCH + dt.timedelta(microseconds=t)

# RFC 3339 in its variants, the fields written by Python in a random zone.
rows, gnu = [], []
for _ in range(10000):
    t = rand_us()
    off = rnd.choice([0, 0, rnd.randint(-23 * 60 - 59, 23 * 60 + 59)])
    tz = dt.timezone(dt.timedelta(minutes=off))
    try:
        d = when(t).astimezone(tz)
    except OverflowError:
        d = when(t)
        off = 0
    sep = rnd.choice("T T t".split() + [" "])
    frac_digits = rnd.choice([0, 1, 3, 6, 9])
    frac = ""
    want = t
    if frac_digits:
        digits = "%06d" % d.microsecond + "".join(rnd.choice("0123456789") for _ in range(3))
        frac = rnd.choice(".,") + digits[:frac_digits]
        want = t - d.microsecond + int(digits[:min(frac_digits, 6)].ljust(6, "0"))
    elif d.microsecond:
        want = t - d.microsecond
    a = abs(off)
    sign = "-" if off < 0 else "+"
    if off == 0:
        zone = rnd.choice(["Z", "z", "+00:00", "-0000", ""])
    else:
        zone = rnd.choice(["%s%02d:%02d", "%s%02d%02d"]) % (sign, a // 60, a % 60)
    text = "%04d-%02d-%02d%s%02d:%02d:%02d%s%s" % (d.year, d.month, d.day, sep,
        d.hour, d.minute, d.second, frac, zone)
    rows.append((text, want))
    # date +%s%N cannot show an instant before 1970.
    if len(gnu) < 2000 and sep in "T " and t >= 10**6 and zone != "z" and frac[:1] != ",":
        gnu.append(text)
write("rfc3339", "parse s", rows)
with open(os.path.join(out, "gnu.in"), "w") as f:
    f.write("\n".join(gnu) + "\n")

# Dates that may not exist: Python's datetime decides.
rows = []
for _ in range(3000):
    y = rnd.choice([1900, 2000, 2023, 2024, 2100, 1600, rnd.randint(0, 9999)])
    m, d = rnd.randint(0, 13), rnd.randint(0, 32)
    h, mi, s = rnd.randint(0, 24), rnd.randint(0, 60), rnd.randint(0, 59)
    text = "%04d-%02d-%02dT%02d:%02d:%02dZ" % (y, m, d, h, mi, s)
    try:
        want = us_of(dt.datetime(y, m, d, h, mi, s, tzinfo=UTC))
    except ValueError:
        want = "error"
    if y == 0:
        continue	# Python has no year 0
    rows.append((text, want))
write("calendar", "parse s", rows)

# Output: Python prints the instant, .fff or .ffffff by the rule.
rows = []
for _ in range(10000):
    t = rand_us()
    d = when(t)
    s = "%04d-%02d-%02dT%02d:%02d:%02d" % (d.year, d.month, d.day, d.hour, d.minute, d.second)
    if d.microsecond % 1000 == 0 and d.microsecond:
        s += ".%03d" % (d.microsecond // 1000)
    elif d.microsecond:
        s += ".%06d" % d.microsecond
    rows.append((str(t), s + "Z"))
write("format", "format", rows)

# Epochs as decimal text, with exponents, in each unit: Decimal is exact.
decimal.getcontext().prec = 200
for unit, scale in (("s", 6), ("ms", 3), ("us", 0)):
    rows = []
    for _ in range(4000):
        mag = rnd.choice([10, 13, 16, 19])
        ip = str(rnd.randint(0, 10**rnd.randint(1, mag)))
        fp = "".join(rnd.choice("0123456789") for _ in range(rnd.choice([0, 0, 1, 3, 6, 9])))
        text = ip + ("." + fp if fp or rnd.random() < 0.1 else "")
        if rnd.random() < 0.2:
            text += "e%d" % rnd.randint(-12, 6)
        if rnd.random() < 0.3:
            text = "-" + text
        v = (decimal.Decimal(text) * 10**scale).to_integral_value(rounding=decimal.ROUND_FLOOR)
        rows.append((text, int(v) if MIN_US <= v <= MAX_US else "error"))
    write("epoch_" + unit, "parse " + unit, rows)

# Apache error, syslog and CLF, written by strftime in the C locale.
rows_a, rows_s, rows_c = [], [], []
for _ in range(3000):
    t = rnd.randint(0, 2 * 10**15)
    t -= t % 10**6
    d = when(t)
    rows_a.append((d.strftime(rnd.choice(["%a %b %d %H:%M:%S %Y", "[%a %b %d %H:%M:%S %Y]"])), t))
    off = rnd.randint(-12 * 60, 14 * 60)
    l = d.astimezone(dt.timezone(dt.timedelta(minutes=off)))
    rows_c.append((l.strftime("%d/%b/%Y:%H:%M:%S %z"), t))
for _ in range(2000):
    d = dt.datetime(2024, 1, 1, tzinfo=UTC) + dt.timedelta(seconds=rnd.randint(0, 366 * 86400 - 1))
    text = d.strftime("%b %d %H:%M:%S")
    if text[4] == "0" and rnd.random() < 0.5:
        text = text[:4] + " " + text[5:]
    rows_s.append((text, us_of(d)))
write("apache", "parse s", rows_a)
write("syslog", "parse s 2024", rows_s)
write("clf", "parse s", rows_c)

# Explicit formats.
fmts = ["%d/%b/%Y:%H:%M:%S %z", "%Y%m%d%H%M%S", "%y/%m/%d %H:%M:%S", "%y%m%d %H%M%S",
        "%A, %d %B %Y %H:%M:%S", "%Y %j %H:%M:%S.%f", "%F %T"]
for i, f in enumerate(fmts):
    rows = []
    for _ in range(1000):
        t = rnd.randint(0, 3 * 10**15)
        if "%f" not in f:
            t -= t % 10**6
        d = when(t)
        ours = f.replace("%A", "%a").replace("%B", "%b")
        rows.append((d.strftime(f), t))
    write("strptime%d" % i, "strptime\t" + ours, rows)

# Durations: Python sums the terms.
units = {"us": 1, "ms": 1000, "s": 10**6, "m": 60 * 10**6, "h": 3600 * 10**6, "d": 86400 * 10**6,
         "w": 7 * 86400 * 10**6}
words = {"microsecond": 1, "millisecond": 1000, "second": 10**6, "minute": 60 * 10**6,
         "hour": 3600 * 10**6, "day": 86400 * 10**6, "week": 7 * 86400 * 10**6}
rows = []
for _ in range(5000):
    parts = []
    spelled = rnd.random() < 0.5
    for _ in range(rnd.randint(1, 3)):
        n = str(rnd.randint(0, 10**rnd.randint(0, 6)))
        if rnd.random() < 0.3:
            n += "." + str(rnd.randint(0, 999999)).zfill(rnd.randint(1, 6))
        if spelled:
            w = rnd.choice(list(words))
            parts.append(n + " " + rnd.choice([w, w + "s", w.upper()]))
        else:
            u = rnd.choice(list(units))
            parts.append(n + u)
    # Each term is cut to a microsecond on its own.
    want = 0
    for p in parts:
        num = p.rstrip("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ ")
        u = p[len(num):].strip().lower()
        u = u[:-1] if u.endswith("s") and u[:-1] in words else u
        want += int((decimal.Decimal(num) * (units.get(u) or words[u])).to_integral_value(rounding=decimal.ROUND_FLOOR))
    text = (" " if spelled else rnd.choice(["", " "])).join(parts)
    if spelled and rnd.random() < 0.2:
        text = "interval " + text
    rows.append((text, want))
write("duration", "duration", rows)

# Real logs.
def logs(name, nfields, fmt, args, year=None):
    rows = []
    with open(os.path.join(loghub, name, name + "_2k.log"), encoding="utf-8", errors="replace") as f:
        for line in f:
            if name == "Apache":
                text = line[:line.index("]") + 1]
                d = dt.datetime.strptime(text, "[%a %b %d %H:%M:%S %Y]")
            else:
                text = " ".join(line.split()[:nfields]) if name != "Linux" and name != "OpenSSH" else line[:15]
                d = dt.datetime.strptime(text.replace("  ", " "), fmt)
            if year:
                d = d.replace(year=year)
            rows.append((text, us_of(d.replace(tzinfo=UTC))))
    write("loghub_" + name, args, rows)
if os.path.isdir(loghub):
    logs("Apache", 0, None, "parse s")
    logs("OpenSSH", 3, "%b %d %H:%M:%S", "parse s 2017", 2017)
    logs("Linux", 3, "%b %d %H:%M:%S", "parse s 2005", 2005)
    logs("HDFS", 2, "%y%m%d %H%M%S", "strptime\t%y%m%d %H%M%S")
    logs("Spark", 2, "%y/%m/%d %H:%M:%S", "strptime\t%y/%m/%d %H:%M:%S")
EOF
[ $? -eq 0 ] || { fail time-oracle "the Python generator failed"; exit 0; }

for a in "$TMP"/*.args; do
	name=$(basename "$a" .args)
	IFS=$'\t' read -r -a args <<<"$(cat "$a")"
	[ "${args[0]}" = strptime ] || read -r -a args <"$a"
	"$drv" "${args[@]}" <"$TMP/$name.in" >"$TMP/$name.got"
	n=$(wc -l <"$TMP/$name.in")
	bad=$(paste -d '\t' "$TMP/$name.in" "$TMP/$name.want" "$TMP/$name.got" |
		awk -F '\t' '$2 != $3' | head -n 5)
	if [ -z "$bad" ]; then ok "time-oracle $name ($n cases)"
	else fail "time-oracle $name" "input, Python, ours: $(printf %s "$bad" | tr '\n' '|')"; fi
done

# A second oracle for RFC 3339: GNU date reads the same strings.
if date -u -d '2024-03-01T12:00:00.5+02:00' +%s >/dev/null 2>&1; then
	date -u -f "$TMP/gnu.in" '+%s%N' | sed -E 's/([0-9]{3})$//' >"$TMP/gnu.want"
	"$drv" parse s <"$TMP/gnu.in" >"$TMP/gnu.got"
	bad=$(paste -d '\t' "$TMP/gnu.in" "$TMP/gnu.want" "$TMP/gnu.got" | awk -F '\t' '$2 != $3' | head -n 5)
	if [ -z "$bad" ]; then ok "time-oracle gnu-date ($(wc -l <"$TMP/gnu.in") cases)"
	else fail "time-oracle gnu-date" "input, date, ours: $(printf %s "$bad" | tr '\n' '|')"; fi
else
	skip "time-oracle gnu-date" "this date(1) does not read RFC 3339"
fi
