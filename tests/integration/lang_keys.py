#!/usr/bin/python3
"""lang_keys.py: every string the programs and templates ask for exists in both languages.

Reads templates/lang/es.hdf and en.hdf (ClearSilver HDF: `name {`, `}`, `name = value`,
`name << END` ... `END`), every literal key passed to tpl_str()/tpl_str_lang() in cgi-bin/ and
lib/, and every Lang.* name a template uses; prints one TAP line per check. A missing key
shows its own name on the page (tpl_str's fallback), which nothing else would catch.
"""
import glob
import os
import re
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else "."
# Asked for in Spanish whatever the reader's language (tpl_str_lang(r, "es", ...)).
SPANISH_ONLY = {"Lang.carta.text"}  # the carta responsiva is a legal text, signed in Spanish


def hdf_keys(path):
    keys, stack, heredoc = set(), [], None
    for raw in open(path, encoding="utf-8"):
        line = raw.strip()
        if heredoc is not None:
            if line == heredoc:
                heredoc = None
            continue
        if not line or line.startswith("#"):
            continue
        if line == "}":
            stack.pop()
            continue
        m = re.match(r"^([A-Za-z0-9_.]+)\s*\{$", line)
        if m:
            stack.append(m.group(1))
            continue
        m = re.match(r"^([A-Za-z0-9_.]+)\s*<<\s*(\S+)$", line)
        if m:
            keys.add(".".join(stack + [m.group(1)]))
            heredoc = m.group(2)
            continue
        m = re.match(r"^([A-Za-z0-9_.]+)\s*=", line)
        if m:
            keys.add(".".join(stack + [m.group(1)]))
            continue
        raise SystemExit("%s: cannot read %r" % (path, line))
    return keys


def wanted():
    want = {}
    call = re.compile(r'tpl_str(?:_lang)?\(\s*[^,()]+,\s*(?:[^,()]+,\s*)?"([A-Za-z0-9_.]+)"\s*\)')
    for f in sorted(glob.glob(os.path.join(ROOT, "cgi-bin", "*.c")) + glob.glob(os.path.join(ROOT, "lib", "*.c"))):
        for m in call.finditer(open(f, encoding="utf-8").read()):
            want.setdefault("Lang." + m.group(1), os.path.relpath(f, ROOT))
    use = re.compile(r"\bLang\.([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)")
    for f in sorted(glob.glob(os.path.join(ROOT, "templates", "*.cs"))):
        for m in use.finditer(open(f, encoding="utf-8").read()):
            want.setdefault("Lang." + m.group(1), os.path.relpath(f, ROOT))
    return want


def main():
    langs = {l: hdf_keys(os.path.join(ROOT, "templates", "lang", l + ".hdf")) for l in ("es", "en")}
    # A name that is a node (Lang.adm.nav, looped over in a template) counts when it has children.
    def present(keys, k):
        return k in keys or any(x.startswith(k + ".") for x in keys)
    n = bad = 0
    for key, where in sorted(wanted().items()):
        for lang, keys in langs.items():
            if lang != "es" and key in SPANISH_ONLY:
                continue
            n += 1
            if present(keys, key):
                print("ok %d - %s in %s.hdf" % (n, key, lang))
            else:
                bad += 1
                print("not ok %d - %s (asked for in %s) is missing from %s.hdf" % (n, key, where, lang))
    only = sorted((langs["es"] ^ langs["en"]) - SPANISH_ONLY)
    n += 1
    print("%s %d - es.hdf and en.hdf have the same keys%s" % (
        "not ok" if only else "ok", n, (": " + ", ".join(only[:20])) if only else ""))
    print("1..%d" % n)
    return 1 if bad or only else 0


if __name__ == "__main__":
    sys.exit(main())
