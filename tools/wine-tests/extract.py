#!/usr/bin/env python3
"""Cuts the selected test functions out of one of Wine's test files.

    extract.py SOURCE OUTPUT ENTRY...

SOURCE is a Wine conformance test (dlls/kernel32/tests/*.c, fetched from Debian at
test time; nothing of it is kept in winipc's tree). Each ENTRY is a C statement that
runs one test function, e.g. "test_mutex()" or "test_string_conversion(NULL)";
an entry that starts with "setup:" is a statement run before each test function
(what the file's START_TEST would have prepared); "child: COMMAND: statement" is
what the test program does when a test starts it again as a child process with
COMMAND as its second argument (what START_TEST does when argc >= 3); the statement
sees the child's argc and argv.

The file is split into its top-level items: preprocessor lines, declarations and
function definitions. OUTPUT keeps every preprocessor line in place, the items the
entries need (the transitive closure of the names they use), and nothing else, so
the rest of the file never has to compile against winipc. START_TEST is dropped; a
table of the entries is appended for the runner's main (winetest.c).
"""
import bisect
import re
import sys

KEYWORDS = set("""auto break case char const continue default do double else enum extern
float for goto if inline int long register restrict return short signed sizeof static
struct switch typedef union unsigned void volatile while _Bool __int64 __attribute__
__stdcall __cdecl WINAPI WINAPIV CALLBACK NTAPI""".split())

IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
PP_LINE = re.compile(r"[ \t]*#")


def tokens(text):
    """(kind, value) tokens of C text without comments, strings kept whole."""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            yield ("str", text[i:j + 1])
            i = j + 1
        elif c.isalpha() or c == "_":
            m = IDENT.match(text, i)
            yield ("id", m.group())
            i = m.end()
        elif c.isdigit():
            m = re.compile(r"[0-9A-Za-z_.]+").match(text, i)
            yield ("num", m.group())
            i = m.end()
        elif c.isspace():
            i += 1
        else:
            yield ("op", c)
            i += 1


def split_items(text):
    """Top-level items: ('pp', text, line) for a preprocessor line, ('item', text, line)
    otherwise; line is where it starts in the file."""
    items, i, n = [], 0, len(text)
    newlines = [k for k, ch in enumerate(text) if ch == "\n"]

    def line_of(offset):
        return bisect.bisect_left(newlines, offset) + 1

    start = None
    depth = 0
    at_line_start = True
    while i < n:
        c = text[i]
        if at_line_start and depth == 0 and start is None and PP_LINE.match(text, i):
            j = i
            while True:
                k = text.find("\n", j)
                if k < 0:
                    k = n
                if text[k - 1:k] == "\\" and k < n:
                    j = k + 1
                    continue
                break
            items.append(("pp", text[i:k], line_of(i)))
            i = k + 1
            continue
        if c == "\n":
            at_line_start = True
            i += 1
            continue
        if c.isspace():
            i += 1
            continue
        at_line_start = False
        if start is None:
            start = i
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
            if depth == 0 and text[start:start + 2] == "/*":
                start = None  # a comment between items
            continue
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
            if depth == 0 and text[start:start + 2] == "//":
                start = None
            continue
        if c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            i = j + 1
            continue
        if c == "#" and depth > 0:
            # A preprocessor line inside a function: part of the item.
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                head = text[start:text.find("{", start)]
                if re.search(r"\)\s*$", strip_comments(head)):  # a function body
                    items.append(("item", text[start:i + 1], line_of(start)))
                    start = None
        elif c == ";" and depth == 0:
            items.append(("item", text[start:i + 1], line_of(start)))
            start = None
        i += 1
    return items


def strip_comments(s):
    return re.sub(r"/\*.*?\*/|//[^\n]*", " ", s, flags=re.S)


# Annotations written like calls before a function's name: not the name.
ATTRIBUTES = {"__attribute__", "__WINE_PRINTF_ATTR", "__WINE_ALLOC_SIZE", "DECLSPEC_ALIGN"}


def drop_attributes(toks):
    """toks without the annotations of ATTRIBUTES and their parenthesized arguments."""
    out, k = [], 0
    while k < len(toks):
        if toks[k][0] == "id" and toks[k][1] in ATTRIBUTES and k + 1 < len(toks) and \
                toks[k + 1] == ("op", "("):
            depth, k = 0, k + 1
            while k < len(toks):
                depth += {"(": 1, ")": -1}.get(toks[k][1], 0) if toks[k][0] == "op" else 0
                k += 1
                if depth == 0:
                    break
            continue
        out.append(toks[k])
        k += 1
    return out


def defined_names(kind, text):
    """Names an item (or a #define) defines."""
    if kind == "pp":
        m = re.match(r"\s*#\s*define\s+([A-Za-z_]\w*)", text)
        return {m.group(1)} if m else set()
    toks = drop_attributes(list(tokens(text)))
    names = set()
    brace = paren = 0
    is_func = toks and toks[-1] == ("op", "}")
    for k, (kind_, v) in enumerate(toks):
        nxt = toks[k + 1][1] if k + 1 < len(toks) else ""
        prv = toks[k - 1][1] if k > 0 else ""
        if kind_ == "op":
            if v == "{":
                brace += 1
            elif v == "}":
                brace -= 1
            elif v == "(":
                paren += 1
            elif v == ")":
                paren -= 1
            continue
        if kind_ != "id" or v in KEYWORDS:
            continue
        if brace == 0:
            nxt2 = toks[k + 2][1] if k + 2 < len(toks) else ""
            if paren == 0 and nxt == "(" and nxt2 not in ("*", "WINAPI", "CALLBACK", "NTAPI"):
                names.add(v)
                if is_func:
                    break
            elif paren == 0 and nxt in ("=", ";", ",", "[", ":"):
                names.add(v)
            elif prv == "*" and nxt == ")":
                names.add(v)
            elif prv in ("struct", "union", "enum") and nxt == "{":
                names.add(v)
        elif brace == 1 and "enum" in (t[1] for t in toks[:k]) and nxt in (",", "=", "}") and \
                prv in ("{", ","):
            names.add(v)
    return names


def used_names(text):
    return {v for k, v in tokens(text) if k == "id"}


def main():
    source, output, entries = sys.argv[1], sys.argv[2], sys.argv[3:]
    text = open(source, encoding="utf-8", errors="replace").read()
    items = split_items(text)
    setup = [e[len("setup:"):].strip() for e in entries if e.startswith("setup:")]
    children = [e[len("child:"):].strip().split(":", 1) for e in entries if e.startswith("child:")]
    children = [(c.strip(), stmt.strip()) for c, stmt in children]
    calls = [e if "(" in e else e + "()" for e in entries
             if not e.startswith("setup:") and not e.startswith("child:")]

    defs = {}
    for idx, (kind, body, _) in enumerate(items):
        if kind == "item" and re.match(r"\s*START_TEST\b", body):
            continue
        for name in defined_names(kind, body):
            defs.setdefault(name, []).append(idx)

    keep, todo = set(), []
    for stmt in setup + calls + [stmt for _, stmt in children]:
        todo.extend(used_names(stmt))
    seen = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for idx in defs.get(name, []):
            if idx in keep:
                continue
            keep.add(idx)
            kind, body, _ = items[idx]
            if kind == "pp":  # a macro: what its body uses
                todo.extend(used_names(body.split(None, 2)[-1] if body else ""))
            else:
                todo.extend(used_names(body))

    missing = [c for c in calls if IDENT.match(c).group() not in defs]
    if missing:
        sys.exit("extract.py: %s has no %s" % (source, ", ".join(missing)))

    base = source.rsplit("/", 1)[-1]
    out = ["/* Generated by winipc's tools/wine-tests/extract.py from %s. */" % source]
    for idx, (kind, body, line) in enumerate(items):
        if kind == "pp" or idx in keep:
            # Failures name the line of Wine's file, not of this cut.
            if not re.match(r"\s*#\s*(if|ifdef|ifndef|elif|else|endif)\b", body):
                out.append('#line %d "%s"' % (line, base))
            out.append(body)
    out.append('\n#line 1 "%s-entries"' % base)
    out.append("/* ---- The entries, for winetest.c's main ---- */")
    out.append("#include \"wine/winetest-entries.h\"")
    out.append("static void winetest_setup_(void)\n{")
    out.extend("    %s;" % s.rstrip(";") for s in setup)
    out.append("}")
    for k, c in enumerate(calls):
        out.append("static void winetest_entry_%d(void)\n{\n    BOOL winetest_bool = FALSE;\n"
                   "    (void)winetest_bool;\n    %s;\n}" % (k, c.rstrip(";")))
    for k, (_, stmt) in enumerate(children):
        out.append("static void winetest_child_%d(int argc, char **argv)\n{\n"
                   "    (void)argc;\n    (void)argv;\n    %s;\n}" % (k, stmt.rstrip(";")))
    out.append("const struct winetest_child winetest_children[] = {")
    for k, (command, _) in enumerate(children):
        out.append("    {\"%s\", winetest_child_%d}," % (command, k))
    out.append("    {0, 0},\n};")
    out.append("const struct winetest_entry winetest_entries[] = {")
    for k, c in enumerate(calls):
        out.append("    {\"%s\", winetest_entry_%d}," % (c.replace("\\", "\\\\").replace("\"", "\\\""), k))
    out.append("    {0, 0},\n};")
    out.append("void (*const winetest_setup)(void) = winetest_setup_;")
    open(output, "w").write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
