#!/usr/bin/env bash
# kout --markdown rendered by cmark-gfm, GitHub's own Markdown (with the
# extensions GitHub turns on): every cell's text must come back as the value, with
# Markdown's characters taken literally, and numeric columns right-aligned.
. "$(dirname "$0")/../lib.sh"

if ! command -v cmark-gfm >/dev/null; then
	skip "markdown rendered by cmark-gfm" "cmark-gfm not installed (make deps installs it)"
	exit 0
fi

cat >"$TMP/in.json" <<'JSON'
{"name":"*bold* and _em_","n":1,"s":"a|b"}
{"name":"snake_case_name","n":22,"s":"<b>html</b> & [link](http://x)"}
{"name":"back\\slash \\*x\\*","n":-3.5,"s":"`code` # not a heading"}
{"name":"ünïcødé 日本","n":4,"s":"tab\there"}
{"name":"_","n":5,"s":"__init__ ~~strike~~"}
JSON
kout --markdown "$TMP/in.json" >"$TMP/t.md"
cmark-gfm -e table -e strikethrough -e autolink "$TMP/t.md" >"$TMP/t.html"

cat >"$TMP/cells.py" <<'PY'
import html.parser, json, sys
class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.rows, self.cell, self.align = [], None, []
    def handle_starttag(self, tag, attrs):
        if tag == "tr": self.rows.append([])
        if tag in ("td", "th"):
            self.cell = ""
            if tag == "th": self.align.append(dict(attrs).get("align"))
        elif self.cell is not None and tag != "a":
            # markup where text was wanted; links are fine, GitHub links
            # every URL and keeps its text
            self.cell += "<%s>" % tag
    def handle_endtag(self, tag):
        if tag in ("td", "th"): self.rows[-1].append(self.cell); self.cell = None
    def handle_data(self, d):
        if self.cell is not None: self.cell += d
p = P(); p.feed(open(sys.argv[1], encoding="utf-8").read())
recs = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
want = [list(recs[0])] + [[str(v) if not isinstance(v, str) else v.replace("\t", "\\t") for v in r.values()] for r in recs]
if p.rows != want:
    for g, w in zip(p.rows, want):
        if g != w: sys.exit("got %r want %r" % (g, w))
    sys.exit("rows %d want %d" % (len(p.rows), len(want)))
if p.align != [None, "right", None]:
    sys.exit("alignment %r" % p.align)
PY
check "markdown cells read back through cmark-gfm" python3 "$TMP/cells.py" "$TMP/t.html" "$TMP/in.json"
