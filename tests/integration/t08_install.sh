#!/bin/sh
# t08_install.sh: `make install DESTDIR=…` lays out everything, and nginx accepts the include.
. "$(dirname "$0")/lib.sh"
stage=$T_TMP/stage
make -s -C "$ROOT" install DESTDIR="$stage" >"$T_TMP/out" 2>&1
ok $? "make install DESTDIR=… succeeds"
p=$stage/usr/local
for f in libexec/sekkan/index libexec/sekkan/healthz libexec/sekkan/idioma sbin/sekkanctl \
	share/sekkan/templates/index.cs share/sekkan/templates/lang/es.hdf \
	share/sekkan/templates/lang/en.hdf share/sekkan/static/css/sekkan.css \
	share/sekkan/sql/001_core.sql share/sekkan/nginx/sekkan.conf \
	lib/systemd/system/sekkan@.service lib/systemd/system/sekkan@.socket \
	share/man/man5/sekkan.conf.5 share/man/man8/sekkan.8 share/man/man8/sekkanctl.8 \
	etc/sekkan/sekkan.hdf.example sbin/sekkan-mailer lib/systemd/system/sekkan-mailer.service \
	share/man/man8/sekkan-mailer.8 sbin/sekkan-collector lib/systemd/system/sekkan-collector.service \
	share/man/man8/sekkan-collector.8 share/sekkan/prosody/mod_sekkan_events.lua \
	share/sekkan/prosody/mod_sekkan_lobby.lua share/sekkan/prosody/sekkan-collector.cfg.lua; do
	[ -f "$p/$f" ]
	ok $? "installed $f"
done
[ -x "$p/libexec/sekkan/index" ]
ok $? "programs are executable"
grep -q 'unix:/var/run/sekkan/index.sock' "$p/share/sekkan/nginx/sekkan.conf"
ok $? "the nginx include points at the run-time socket directory"
grep -q "alias /usr/local/share/sekkan/static/;" "$p/share/sekkan/nginx/sekkan.conf"
ok $? "and at the installed static files"
grep -q "ExecStart=/usr/local/libexec/sekkan/%i -c /usr/local/etc/sekkan/sekkan.hdf" \
	"$p/lib/systemd/system/sekkan@.service"
ok $? "the systemd unit runs the installed program"

# The include inside a server block of an nginx farm passes nginx's own check.
cp /etc/nginx/fastcgi_params "$T_TMP/"
sed "s|/usr/local/share/sekkan|$p/share/sekkan|g" "$p/share/sekkan/nginx/sekkan.conf" >"$T_TMP/sekkan.conf"
cat >"$T_TMP/nginx.conf" <<NGINX
pid $T_TMP/nginx.pid;
error_log $T_TMP/nginx-error.log;
events { }
http {
	server {
		listen 127.0.0.1:8099;
		server_name farm.example;
		location = /other-app { return 204; }
		include $T_TMP/sekkan.conf;
	}
}
NGINX
nginx -t -q -c "$T_TMP/nginx.conf" -g "error_log $T_TMP/nginx-error.log;" 2>"$T_TMP/err"
ok $? "nginx -t accepts the include in an existing server block"

if command -v mandoc >/dev/null 2>&1; then
	for m in "$ROOT"/doc/*.[58]; do
		mandoc -Tlint -W warning "$m" >"$T_TMP/lint" 2>&1
		ok $? "man page $(basename "$m") passes mandoc -Tlint"
	done
fi

echo "1..$T_N"
