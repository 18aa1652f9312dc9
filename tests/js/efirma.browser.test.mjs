// efirma.browser.test.mjs: static/js/efirma.js in real headless Chromium, under the same
// Content-Security-Policy the C server sends, posting to a tiny local server that answers
// 303 like /idp/authorize. Skipped when no Chromium is installed (CHROMIUM=path overrides).
// A test-only driver script picks the files (DataTransfer) and clicks submit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const JS = path.join(here, '../../static/js/efirma.js');
// Same policy as lib/resp.c.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
const NONCE = 'c2Vra2FuLW5vbmNlLXBydWViYQ';

function findChromium() {
	const cands = process.env.CHROMIUM ? [process.env.CHROMIUM] : ['chromium', 'chromium-browser', 'google-chrome'];
	for (const c of cands) {
		try {
			execFileSync('sh', ['-c', 'command -v "$1"', 'sh', c], { stdio: 'pipe' });
			return c;
		} catch { /* next */ }
	}
	return null;
}
const chromium = findChromium();

let dir, server, base;
let events = [];	// what the server saw, in order
const f = (n) => path.join(dir, n);
const ossl = (...a) => execFileSync('openssl', a, { stdio: 'pipe' });

const page = (kase) => `<!DOCTYPE html><html lang="es-MX"><head><meta charset="utf-8"><title>e.firma</title>
<script src="/static/js/efirma.js" defer></script><script src="/drive.js?${kase}" defer></script></head><body>
<form method="post" action="/idp/authorize" enctype="multipart/form-data" class="efirma" data-efirma="sign">
<input type="hidden" name="csrf" value="tok"><input type="hidden" name="nonce" value="${NONCE}">
<input type="hidden" name="client_id" value="sekkan">
<input type="file" name="cer" accept=".cer"> <input type="file" name="key" accept=".key">
<input type="password" name="password">
<p class="efirma-status" aria-live="polite"></p><button type="submit">Ingresar</button></form></body></html>`;

// Test-only: choose the files, type the password, press the button; report the status
// line if it turns into an error.
const drive = (kase) => `(async () => {
  const file = async (u) => new File([await (await fetch(u)).arrayBuffer()], u.slice(4));
  const pick = async (n, u) => { const dt = new DataTransfer(); dt.items.add(await file(u)); document.querySelector('[name=' + n + ']').files = dt.files; };
  await pick('cer', '/fx/a.cer');
  await pick('key', '/fx/${kase === 'mismatch' ? 'b' : 'a'}.key');
  document.querySelector('[name=password]').value = '${kase === 'wrong' ? 'equivocada' : '12345678a'}';
  const st = document.querySelector('.efirma-status');
  new MutationObserver(() => { if (st.classList.contains('error')) fetch('/report', { method: 'POST', body: st.textContent }); })
    .observe(st, { attributes: true, childList: true, characterData: true, subtree: true });
  document.querySelector('form').requestSubmit(document.querySelector('button'));
})();`;

// Just enough multipart: field name -> {filename, body}.
function multipart(body, ctype) {
	const boundary = /boundary=(.+)$/.exec(ctype)[1];
	const out = {};
	for (const part of body.toString('latin1').split('--' + boundary).slice(1, -1)) {
		const [head, ...rest] = part.split('\r\n\r\n');
		const name = /name="([^"]*)"/.exec(head)[1];
		const fn = /filename="([^"]*)"/.exec(head);
		out[name] = { filename: fn ? fn[1] : null, body: Buffer.from(rest.join('\r\n\r\n').slice(0, -2), 'latin1') };
	}
	return out;
}

before(async () => {
	if (!chromium)
		return;
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'efirma-browser-'));
	for (const k of ['a', 'b']) {
		ossl('genrsa', '-out', f(k + '.pem'), '2048');
		ossl('pkcs8', '-topk8', '-in', f(k + '.pem'), '-outform', 'DER', '-out', f(k + '.key'),
		    '-v2', 'des3', '-v2prf', 'hmacWithSHA1', '-iter', '2048', '-passout', 'pass:12345678a');
	}
	ossl('req', '-new', '-x509', '-key', f('a.pem'), '-subj', '/CN=PRUEBA/C=MX', '-days', '2', '-outform', 'DER', '-out', f('a.cer'));
	ossl('pkey', '-in', f('a.pem'), '-pubout', '-out', f('a.pub.pem'));
	server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const u = new URL(req.url, base);
			const send = (status, type, body, extra = {}) => {
				res.writeHead(status, { 'Content-Security-Policy': CSP, 'Content-Type': type, ...extra });
				res.end(body);
			};
			events.push({ method: req.method, path: u.pathname, body: Buffer.concat(chunks), ctype: req.headers['content-type'] });
			if (u.pathname === '/') return send(200, 'text/html; charset=utf-8', page(u.search.slice(1)));
			if (u.pathname === '/static/js/efirma.js') return send(200, 'text/javascript', fs.readFileSync(JS));
			if (u.pathname === '/drive.js') return send(200, 'text/javascript', drive(u.search.slice(1)));
			if (u.pathname.startsWith('/fx/')) return send(200, 'application/octet-stream', fs.readFileSync(f(path.basename(u.pathname))));
			if (u.pathname === '/idp/authorize' && req.method === 'POST') return send(303, 'text/plain', '', { Location: '/hecho' });
			if (u.pathname === '/hecho') return send(200, 'text/html; charset=utf-8', '<p>listo</p>');
			if (u.pathname === '/report') return send(204, 'text/plain', '');
			send(404, 'text/plain', 'no');
		});
	});
	await new Promise((r) => server.listen(0, '127.0.0.1', r));	// 127.0.0.1: a secure context, so WebCrypto exists
	base = `http://127.0.0.1:${server.address().port}`;
});

after(() => {
	if (server) server.close();
	if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

// Open base/?kase in Chromium until done(events) holds; returns Chromium's log.
async function browse(kase, done) {
	events = [];
	const log = [];
	const child = spawn(chromium, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
	    '--disable-background-networking', '--disable-component-update', '--disable-sync',
	    `--user-data-dir=${f('profile-' + kase)}`, '--enable-logging=stderr', '--v=0', `${base}/?${kase}`],
	    { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
	child.stderr.on('data', (d) => log.push(d));
	try {
		const t0 = Date.now();
		while (!done(events)) {
			if (Date.now() - t0 > 45000)
				throw new Error('timed out; saw ' + events.map((e) => e.method + ' ' + e.path).join(', '));
			await new Promise((r) => setTimeout(r, 50));
		}
	} finally {
		try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }	// its own process group
	}
	return Buffer.concat(log).toString();
}

const saw = (p) => (ev) => ev.some((e) => e.path === p);

test('Chromium: signs in the page, posts cer+signature+mode=js without key or password, follows the 303',
    { skip: !chromium && 'no Chromium', timeout: 60000 }, async () => {
	const log = await browse('ok', saw('/hecho'));
	const post = events.find((e) => e.path === '/idp/authorize');
	assert.ok(post, 'the form was posted');
	assert.match(post.ctype, /^multipart\/form-data; boundary=/);
	const m = multipart(post.body, post.ctype);
	assert.deepEqual(Object.keys(m).sort(), ['cer', 'client_id', 'csrf', 'mode', 'nonce', 'signature']);
	assert.equal(m.mode.body.toString(), 'js');
	assert.equal(m.nonce.body.toString(), NONCE);
	assert.equal(m.cer.filename, 'a.cer');
	assert.ok(m.cer.body.equals(fs.readFileSync(f('a.cer'))), 'the .cer is sent as is');
	const sig = m.signature.body.toString();
	assert.match(sig, /^[A-Za-z0-9_-]{342}$/);
	fs.writeFileSync(f('sig.bin'), Buffer.from(sig.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
	fs.writeFileSync(f('nonce.txt'), NONCE);
	assert.match(ossl('dgst', '-sha256', '-verify', f('a.pub.pem'), '-signature', f('sig.bin'), f('nonce.txt')).toString(), /Verified OK/);
	assert.doesNotMatch(log, /Refused to|Content Security Policy/, 'no CSP violation');
});

test('Chromium: a wrong password shows the Spanish error and posts nothing',
    { skip: !chromium && 'no Chromium', timeout: 60000 }, async () => {
	await browse('wrong', saw('/report'));
	assert.equal(events.find((e) => e.path === '/report').body.toString(), 'La contraseña de la llave privada no es correcta.');
	assert.equal(events.some((e) => e.path === '/idp/authorize'), false);
});

test('Chromium: a key of another certificate shows the mismatch error and posts nothing',
    { skip: !chromium && 'no Chromium', timeout: 60000 }, async () => {
	await browse('mismatch', saw('/report'));
	assert.equal(events.find((e) => e.path === '/report').body.toString(), 'La llave privada no corresponde al certificado.');
	assert.equal(events.some((e) => e.path === '/idp/authorize'), false);
});
