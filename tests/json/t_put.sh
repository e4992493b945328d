# json_put_string against Python's json.dumps (ensure_ascii=False, which
# escapes exactly as json.h says: \b \f \n \r \t, \u00XX for the other
# control characters, UTF-8 kept), and invalid bytes as one U+FFFD each.
. "$(dirname "$0")/../lib.sh"
tj=$KPIPE_BUILD/tests/test_json
[ -x "$tj" ] || { fail put "no $tj (make first)"; exit 0; }

python3 - "$tj" <<'PY'
import json, random, subprocess, sys
tj = sys.argv[1]
rnd = random.Random(5)
pool = [chr(c) for c in range(0, 0x80)] + ["\u00e9", "\u07ff", "\u0800", "\u2028", "\ufeff", "\uffff",
        "\U00010000", "\U0001f600", "\U0010ffff", "\x7f"]
strs = ["".join(rnd.choice(pool) for _ in range(rnd.randrange(0, 40))) for _ in range(5000)]
strs += ["", '"', "\\", "/", "\x00", "a" * 100 + '"' + "b" * 100]
out = subprocess.run([tj, "--put"], input="".join(s.encode().hex() + "\n" for s in strs).encode(),
                     capture_output=True, check=True).stdout.decode("utf-8").split("\n")
bad = [(s, o) for s, o in zip(strs, out) if o != json.dumps(s, ensure_ascii=False)]
print("not ok put_string vs json.dumps: %d of %d differ, e.g. %r" % (len(bad), len(strs), bad[:2]) if bad
      else "ok put_string vs json.dumps (%d strings)" % len(strs))

# Invalid UTF-8: every byte that is not part of a well-formed sequence is
# one U+FFFD.  Python decodes a well-formed sequence byte run the same way.
def expect(b):
    out, i = [], 0
    while i < len(b):
        for k in (4, 3, 2, 1):
            try:
                ch = b[i:i + k].decode("utf-8")
                if len(ch) == 1:
                    out.append(ch); i += k; break
            except UnicodeDecodeError:
                pass
        else:
            out.append("\ufffd"); i += 1
    return json.dumps("".join(out), ensure_ascii=False)
raw = [bytes(rnd.choice([0x41, 0x22, 0x80, 0xbf, 0xc0, 0xc2, 0xe0, 0xed, 0xa0, 0xf0, 0xf4, 0x90, 0xff, 0x9f, 0x8f])
             for _ in range(rnd.randrange(1, 12))) for _ in range(3000)]
out = subprocess.run([tj, "--put"], input="".join(b.hex() + "\n" for b in raw).encode(),
                     capture_output=True, check=True).stdout.decode("utf-8").split("\n")
bad = [(b, o) for b, o in zip(raw, out) if o != expect(b)]
print("not ok put_string invalid bytes: %d of %d differ, e.g. %r" % (len(bad), len(raw), bad[:2]) if bad
      else "ok put_string invalid bytes as U+FFFD (%d byte strings)" % len(raw))
PY
