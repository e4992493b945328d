#!/usr/bin/env python3
"""The examples of README.md and of the man pages' EXAMPLES sections.

  examples.py extract OUTDIR FILE...
      Writes each example block of each FILE to OUTDIR/NNN/: `where`
      (FILE:LINE), `skip` (the reason, when the page marks the block as
      not runnable here), and for each command in it S.cmd (shell text)
      and, when the page shows its output, S.want.  A block with no
      `$ ` line is one recipe: 0.cmd, no 0.want.
  examples.py shown PAGE RENDERED
      Exit 0 when every line of the man page's examples, as read here, is
      a line of RENDERED, the page as man(1) shows it; otherwise print them
      and exit 1.  Exit 2 when no example is found in the page (print why:
      a page in mdoc, or an EXAMPLES section without display blocks), 3
      when the page says it has none with the line
      .\" doc-test: no examples REASON   (print the reason).
  examples.py compare WANT GOT
      Exit 0 when GOT is the output WANT shows; otherwise print why.

The conventions are those stated at the top of t_examples.sh.
"""
import os, re, sys

ROFF_ESCAPES = [("\\-", "-"), ("\\(aq", "'"), ("\\(dq", '"'), ("\\(ga", "`"),
                ("\\(ti", "~"), ("\\(ha", "^"), ("\\(em", "--"), ("\\(en", "-"),
                ("\\&", ""), ("\\ ", " "), ("\\e", "\\"), ("\\\\", "\\")]
ROFF_ESCAPE = re.compile("|".join(re.escape(k) for k, _ in ROFF_ESCAPES))
ROFF_REPLACEMENT = dict(ROFF_ESCAPES)
SKIP = re.compile(r"doc-test:\s*skip\s+(.*?)\s*(-->)?\s*$")
NONE = re.compile(r'^\.\\"\s*doc-test:\s*no examples\s+(\S.*?)\s*$')
UNICODE_ESCAPE = re.compile(r"\\\[u([0-9A-F]{4,6})\]")


def roff_text(line):
    """A line of roff text as man(1) shows it in a fixed-width block."""
    line = UNICODE_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), line)
    return ROFF_ESCAPE.sub(lambda m: ROFF_REPLACEMENT[m.group(0)], line)


def man_blocks(lines):
    """(line number, skip reason, text lines) of each display block
    (.EX/.EE or .nf/.fi) of the EXAMPLES section."""
    in_examples, block, skip = False, None, None
    for n, line in enumerate(lines, 1):
        if line.startswith(".SH"):
            in_examples = line.split(None, 1)[1:] == ["EXAMPLES"]
            continue
        if not in_examples:
            continue
        m = SKIP.search(line) if line.startswith('.\\"') else None
        if m:
            skip = m.group(1)
        elif line.startswith((".EX", ".nf")) and block is None:
            block = (n + 1, skip, [])
            skip = None
        elif line.startswith((".EE", ".fi")) and block is not None:
            yield block
            block = None
        elif block is not None and not line.startswith((".", "'")):
            block[2].append(roff_text(line))


def markdown_blocks(lines):
    """(line number, skip reason, text lines) of each fenced code block,
    but for those fenced as ```text (pictures, not examples)."""
    block, skip, indent, picture = None, None, 0, False
    for n, line in enumerate(lines, 1):
        stripped = line.lstrip(" ")
        if block is None:
            m = SKIP.search(line) if stripped.startswith("<!--") else None
            if m:
                skip = m.group(1)
            elif stripped.startswith("```"):
                indent = len(line) - len(stripped)
                picture = stripped[3:].strip() == "text"
                block = (n + 1, skip, [])
                skip = None
        elif stripped.startswith("```"):
            if not picture:
                yield block
            block = None
        else:
            block[2].append(line[indent:] if not line[:indent].strip() else line.lstrip(" "))


def continued(line):
    """Whether a command goes on on the next line."""
    return line.rstrip().endswith(("\\", "|"))


def steps(text):
    """[(offset, command, expected lines or None)] of one block."""
    if not any(line.startswith("$ ") for line in text):
        return [(0, "\n".join(text), None)]
    out, i = [], 0
    while i < len(text):
        if not text[i].startswith("$ "):
            i += 1          # prose before the first command
            continue
        start, cmd = i, [text[i][2:]]
        while continued(cmd[-1]) and i + 1 < len(text):
            i += 1
            cmd.append(text[i])
        i += 1
        want = []
        while i < len(text) and not text[i].startswith("$ "):
            want.append(text[i])
            i += 1
        out.append((start, "\n".join(cmd), want))
    return out


def extract(outdir, files):
    """Write the examples of the pages files as OUTDIR/NNN/ (see above),
    numbered in the order of the files and of the blocks in each."""
    k = 0
    for path in files:
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        blocks = markdown_blocks(lines) if path.endswith(".md") else man_blocks(lines)
        for first, skip, text in blocks:
            d = os.path.join(outdir, "%03d" % k)
            k += 1
            os.makedirs(d)
            with open(os.path.join(d, "where"), "w") as f:
                f.write("%s:%d\n" % (os.path.basename(path), first))
            if skip is not None:
                with open(os.path.join(d, "skip"), "w") as f:
                    f.write(skip + "\n")
            for s, (offset, cmd, want) in enumerate(steps(text)):
                with open(os.path.join(d, "%d.cmd" % s), "w") as f:
                    f.write(cmd + "\n")
                with open(os.path.join(d, "%d.line" % s), "w") as f:
                    f.write("%d\n" % (first + offset))
                if want is not None:
                    with open(os.path.join(d, "%d.want" % s), "w") as f:
                        f.write("".join(w + "\n" for w in want))


TIMESTAMP = re.compile(r'"timestamp":"[^"]*"')


def normalise(line):
    """A line as compared: the time Kafka stamped a message varies."""
    return TIMESTAMP.sub('"timestamp":"..."', line.rstrip("\n"))


def matches(want, got):
    """Whether the lines got are what the lines want show: a line `...`
    stands for any number of lines, a line ending in `...` for any line
    that begins with what precedes it."""
    if not want:
        return not got
    w = want[0]
    if w == "...":
        return any(matches(want[1:], got[i:]) for i in range(len(got) + 1))
    if not got:
        return False
    if w.endswith("..."):
        ok = got[0].startswith(w[:-3])
    else:
        ok = got[0] == w
    return ok and matches(want[1:], got[1:])


def compare(want_file, got_file):
    """0 when the output in got_file is what want_file shows; else 1, and
    the first shown line that was not printed."""
    with open(want_file, encoding="utf-8") as f:
        want = [normalise(l) for l in f]
    with open(got_file, encoding="utf-8", errors="replace") as f:
        got = [normalise(l) for l in f]
    while want and want[-1] == "":
        want.pop()
    if matches(want, got):
        return 0
    k = next((k for k in range(1, len(want) + 1)
              if not matches(want[:k] + ["..."], got)), len(want) + 1)
    if k > len(want):
        extra = got[len(want)] if len(got) > len(want) else got[-1]
        print("the page shows %d lines; %d were printed, such as [%s]"
              % (len(want), len(got), extra[:300]))
    else:
        printed = got[k - 1] if k - 1 < len(got) else "(no more output)"
        print("line %d of the shown output is not printed where the page has it: "
              "shown [%s], printed there [%s]" % (k, want[k - 1][:300], printed[:300]))
    return 1


def why_no_examples(lines):
    """What a page without examples, as read here, lacks."""
    if any(l.startswith(".Sh") for l in lines):
        return ("no examples: the page is in mdoc (.Sh, .Bd); examples are read "
                "from man(7) pages: .SH EXAMPLES, .EX/.EE or .nf/.fi blocks")
    if not any(l.split(None, 1)[1:] == ["EXAMPLES"] for l in lines if l.startswith(".SH")):
        return "no examples: no .SH EXAMPLES section"
    return "no examples: no .EX/.EE or .nf/.fi block in .SH EXAMPLES"


def shown(page, rendered_file):
    """0 when man(1) shows each line of the page's examples as read here."""
    with open(page, encoding="utf-8") as f:
        lines = f.read().split("\n")
    with open(rendered_file, encoding="utf-8", errors="replace") as f:
        rendered = {l.strip() for l in f}
    examples = [l.strip() for _, _, text in man_blocks(lines) for l in text]
    declared = [m.group(1) for m in map(NONE.match, lines) if m]
    if declared and examples:
        print("the page says it has no examples (%s) but has some" % declared[0])
        return 1
    if declared:
        print(declared[0])
        return 3
    if not examples:
        print(why_no_examples(lines))
        return 2
    missing = [l for l in examples if l not in rendered]
    for l in missing[:5]:
        print("man shows no line [%s]" % l[:200])
    return 1 if missing else 0


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "extract":
        extract(sys.argv[2], sys.argv[3:])
    elif len(sys.argv) == 4 and sys.argv[1] == "shown":
        sys.exit(shown(sys.argv[2], sys.argv[3]))
    elif len(sys.argv) == 4 and sys.argv[1] == "compare":
        sys.exit(compare(sys.argv[2], sys.argv[3]))
    else:
        sys.exit("usage: examples.py extract OUTDIR FILE... | shown PAGE RENDERED | compare WANT GOT")
