#!/bin/sh
# t45_lang_keys.sh: every Lang.* string a program (tpl_str) or a template asks for exists in
# es.hdf and in en.hdf, and both files hold the same keys. A missing one would show its own
# name on the page ("adm.infra.traffic" was a chart's title until this test).
exec /usr/bin/python3 "$(dirname "$0")/lang_keys.py" "${ROOT:?}"
