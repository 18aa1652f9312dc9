// browser_signin.mjs: e.firma sign-in as a person does it, in real headless Chromium, driven
// over the DevTools protocol (cdp.mjs: --remote-debugging-pipe, no npm package). Used by
// t12_browser_signin.sh, which reads the TAP lines it prints ("ok N - …"; "# …" for
// diagnostics; no plan line).
//
// Environment:
//   BASE       the instance, e.g. http://127.0.0.1:8081
//   PKI        directory with NAME.cer and NAME.key (password PASS, default 12345678a)
//   WORK       an empty scratch directory (Chromium's profile goes there, and chromium.pid)
//   SHOT       where to write the dashboard screenshot at 390 px
//   JS_USER, JS_NAME, JS_FIRST       the JavaScript run: account, its name on the dashboard,
//   NOJS_USER, NOJS_NAME, NOJS_FIRST and the page after the provider: "carta" or "tablero"
//   CHROMIUM   the browser (default chromium)
//
// Every request is recorded twice: by Chromium (CDP Network domain, with the post data) and
// on the wire by a small forward proxy in this script (--proxy-server, loopback included),
// because CDP leaves out the contents of uploaded files and only the wire shows them.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { env, ok, failed, diag, sleep, within, quiet, WAIT, launch, send, killChrome, openTab, loadAfter,
	q, html, text, byText, click, type, explain } from './cdp.mjs';

const BASE = env('BASE').replace(/\/$/, '');
const ORIGIN = new URL(BASE).origin;
const PKI = path.resolve(env('PKI'));	// Chromium wants absolute file paths
const WORK = env('WORK');
const SHOT = env('SHOT');
const PASS = env('PASS', '12345678a');
const CHROMIUM = env('CHROMIUM', 'chromium');

/* ---- What must never leave the browser in the JavaScript run ---- */
const file = (u, ext) => path.join(PKI, `${u}.${ext}`);
// Byte strings to look for, in the forms they could travel in: raw, base64 (three alignments,
// so a chunk of a base64 stream of the file at any offset matches), base64url and hex.
function needles(label, buf) {
	const out = [];
	const mid = Math.max(0, Math.floor(buf.length / 2) - 30);
	const raw = buf.subarray(mid, mid + 48);
	out.push({ label: `${label} (raw bytes)`, bytes: raw });
	for (let a = 0; a < 3; a++) {
		const b64 = buf.subarray(mid + a, mid + a + 45).toString('base64');
		out.push({ label: `${label} (base64)`, bytes: Buffer.from(b64) });
		out.push({ label: `${label} (base64url)`, bytes: Buffer.from(b64.replace(/\+/g, '-').replace(/\//g, '_')) });
	}
	out.push({ label: `${label} (hex)`, bytes: Buffer.from(raw.toString('hex')) });
	out.push({ label: `${label} (HEX)`, bytes: Buffer.from(raw.toString('hex').toUpperCase()) });
	return out;
}
function secretsOf(u) {
	const key = fs.readFileSync(file(u, 'key'));
	const list = needles(`${u}.key`, key);
	// And the private key once decrypted (what the page holds after the password opens it).
	try {
		const plain = execFileSync('openssl', ['pkcs8', '-inform', 'DER', '-in', file(u, 'key'),
			'-passin', `pass:${PASS}`, '-outform', 'DER'], { stdio: ['ignore', 'pipe', 'pipe'] });
		list.push(...needles(`${u}'s decrypted private key`, plain));
	} catch (e) {
		diag(`could not decrypt ${u}.key with openssl: ${e.message}`);
	}
	return { key, list };
}
const find = (hay, list) => list.filter((x) => hay.indexOf(x.bytes) >= 0).map((x) => x.label);

/* ---- The wire: a forward proxy that records every request and forwards only to BASE ---- */
const wire = [];
let scenario = 'start';	// which run the proxy's records belong to
const proxy = http.createServer((req, res) => {
	req.on('error', quiet);
	res.on('error', quiet);
	const chunks = [];
	req.on('data', (c) => chunks.push(c));
	req.on('end', () => {
		const body = Buffer.concat(chunks);
		const rec = { method: req.method, url: req.url, head: Buffer.from(req.rawHeaders.join('\n')), body, scenario: scenario };
		wire.push(rec);
		let u;
		try { u = new URL(req.url); } catch { u = null; }
		if (!u || u.origin !== ORIGIN) {	// nothing else is ours to reach
			rec.refused = true;
			res.writeHead(502, { 'Content-Type': 'text/plain' });
			return res.end('not forwarded');
		}
		const headers = { ...req.headers };
		delete headers['proxy-connection'];
		const up = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method: req.method, headers },
			(r) => { r.on('error', quiet); res.writeHead(r.statusCode, r.rawHeaders); r.pipe(res); });
		up.setTimeout(WAIT, () => up.destroy(new Error('upstream timeout')));
		up.on('error', () => { if (!res.headersSent) res.writeHead(502); res.end(); });
		up.end(body);
	});
});
proxy.on('connection', (sock) => sock.on('error', quiet));
proxy.on('clientError', (e, sock) => sock.destroy());
proxy.on('connect', (req, sock) => {	// HTTPS tunnels: none expected; record and refuse
	sock.on('error', quiet);
	wire.push({ method: 'CONNECT', url: req.url, head: Buffer.alloc(0), body: Buffer.alloc(0), refused: true, scenario });
	sock.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
});

// On a page with the e.firma form: choose the files, type the password, press the button.
async function signForm(t, u, buttonLabel) {
	for (const ext of ['cer', 'key'])
		if (!fs.existsSync(file(u, ext))) throw new Error(`no file ${file(u, ext)}`);
	const cer = await q(t, 'form.efirma input[type=file][name=cer]');
	const key = await q(t, 'form.efirma input[type=file][name=key]');
	const pw = await q(t, 'form.efirma input[type=password][name=password]');
	if (!cer || !key || !pw) throw new Error('the e.firma form has no cer, key or password input');
	await t.s('DOM.setFileInputFiles', { nodeId: cer, files: [file(u, 'cer')] });
	await t.s('DOM.setFileInputFiles', { nodeId: key, files: [file(u, 'key')] });
	await type(t, pw, PASS);
	const btn = await byText(t, 'button', buttonLabel) || await q(t, 'form.efirma button[type=submit]');
	if (!btn) throw new Error('the e.firma form has no submit button');
	await click(t, btn);
}

// multipart/form-data as CDP reports it: field name -> {filename, value} (file bodies are empty).
function fields(r) {
	const ct = r.headers['Content-Type'] || r.headers['content-type'] || '';
	const b = /boundary=([^;]+)/.exec(ct);
	if (!b || typeof r.postData !== 'string') return null;
	const out = {};
	for (const part of r.postData.split('--' + b[1]).slice(1, -1)) {
		const cut = part.indexOf('\r\n\r\n');
		const head = part.slice(0, cut), name = /name="([^"]*)"/.exec(head);
		if (!name) continue;
		const fn = /filename="([^"]*)"/.exec(head);
		out[name[1]] = { filename: fn ? fn[1] : null, value: part.slice(cut + 4, -2) };
	}
	return out;
}
const pathOf = (u) => { try { const x = new URL(u); return x.origin === ORIGIN ? x.pathname : u; } catch { return u; } };

/* ---- One person signing in ---- */
async function signIn({ label, user, name, first, js }) {
	scenario = label;
	const t = await openTab(label, { intercept: true });
	const res = { t, signed: [] };
	await t.s('Emulation.setScriptExecutionDisabled', { value: !js });

	let u = await loadAfter(t, 'the landing page', () => t.s('Page.navigate', { url: BASE + '/' }));
	const link = await byText(t, 'a', 'Ingresar con e.firma');
	ok(u.pathname === '/' && link, `${label}: the landing page offers "Ingresar con e.firma"`);
	if (link)
		u = await loadAfter(t, "the provider's form", () => click(t, link));
	else
		u = await loadAfter(t, "the provider's form", () => t.s('Page.navigate', { url: BASE + '/auth/login' }));
	ok(u.pathname === '/idp/authorize' && await q(t, 'form.efirma[action="/idp/authorize"] input[name=cer]'),
		`${label}: the link leads to the provider's e.firma form (${u.pathname})`);

	u = await loadAfter(t, 'the page after the provider', () => signForm(t, user, 'Ingresar'));
	ok(u.pathname === '/' + first, `${label}: after the provider and /auth/callback, ${first === 'carta' ?
		'a new account is shown the carta responsiva' : 'an open account goes to the dashboard'} (${u.pathname})`)
		|| await explain(t);
	res.signed.push('/idp/authorize');

	if (u.pathname === '/carta') {
		const h = await html(t);
		ok(text(h).includes(name) || text(h).toUpperCase().includes(name.toUpperCase()),
			`${label}: the carta names the employee (${name})`);
		u = await loadAfter(t, 'the dashboard after the carta', () => signForm(t, user, 'Firmar la carta'));
		ok(u.pathname === '/tablero', `${label}: the signed carta opens the account: on to the dashboard (${u.pathname})`);
		if (u.pathname !== '/tablero') await explain(t);
		res.signed.push('/carta');
	}
	const h = await html(t);
	res.dashboard = ok(u.pathname === '/tablero' && text(h).includes(name), `${label}: the dashboard shows "${name}"`);
	ok(/action="\/auth\/logout"/.test(h), `${label}: signed in (the page offers sign-out)`);
	await within(Promise.all(t.posts), 'reading the post data');
	// Each request's body, as read while it waited.
	for (const r of t.reqs)
		if (r.hasPostData && r.postData === undefined) {
			const b = t.bodies.find((x) => x.id === r.id && x.url === r.url && !x.used);
			if (b) { b.used = true; r.postData = b.postData; r.postDataError = b.error; }
			else r.postDataError = 'never paused';
		}
	return res;
}

/* ---- Checks over what a scenario sent ---- */
function checkSent(label, t, wireRecs, signed, js, user) {
	const sec = secretsOf(user);
	const posts = t.reqs.filter((r) => r.method === 'POST');
	ok(t.reqs.length > 0 && wireRecs.length > 0,
		`${label}: requests recorded (CDP ${t.reqs.length}, wire ${wireRecs.length})`);
	ok(posts.every((r) => typeof r.postData === 'string'), `${label}: CDP gave the post data of every POST`,
		posts.filter((r) => typeof r.postData !== 'string').map((r) => `${r.url}: ${r.postDataError}`).join('\n'));
	const off = t.reqs.filter((r) => !r.url.startsWith(ORIGIN + '/') && !r.url.startsWith('data:'));
	ok(off.length === 0, `${label}: the page sent nothing anywhere but ${ORIGIN}`,
		off.map((r) => `${r.method} ${r.url}`).join('\n'));
	const own = wireRecs.filter((r) => r.refused);
	if (own.length)	// Chromium's own services; the proxy forwards none of them
		diag(`${label}: the proxy refused ${own.length} requests of Chromium's own (${[...new Set(own.map((r) =>
			r.url.replace(/^https?:\/\//, '').replace(/[/?:].*$/, '')))].join(', ')})`);
	for (const p of signed) {
		const r = posts.find((x) => pathOf(x.url) === p);
		const f = r && fields(r);
		if (js) {
			ok(f && f.mode && f.mode.value === 'js' && f.signature && /^[A-Za-z0-9_-]{300,}$/.test(f.signature.value),
				`${label}: the POST to ${p} carried mode=js and a signature`,
				f ? `fields: ${Object.keys(f).join(', ')}` : 'no multipart POST recorded');
			ok(f && f.cer && f.cer.filename === `${user}.cer` && !('key' in f) && !('password' in f),
				`${label}: the POST to ${p} had the .cer and no key or password field`,
				f ? `fields: ${Object.keys(f).join(', ')}` : '');
		} else {
			ok(f && !('mode' in f) && !('signature' in f) && f.key && f.key.filename === `${user}.key` &&
				f.password && f.password.value === PASS,
			`${label}: the POST to ${p} was the plain form (.cer, .key and password; the server signs)`,
			f ? `fields: ${Object.keys(f).join(', ')}` : 'no multipart POST recorded');
		}
		const w = wireRecs.find((x) => x.method === 'POST' && pathOf(x.url) === p);
		ok(w && w.body.indexOf(fs.readFileSync(file(user, 'cer'))) >= 0,
			`${label}: on the wire, the POST to ${p} carried the .cer's bytes (the capture sees file contents)`);
	}

	// The password: where it appears, over CDP and on the wire.
	const pw = Buffer.from(PASS);
	const inHead = [];
	for (const r of t.reqs) {
		if (r.url.includes(PASS) || decodeURIComponent(r.url).includes(PASS)) inHead.push(`URL ${r.url}`);
		if (JSON.stringify(r.headers).includes(PASS)) inHead.push(`headers of ${r.method} ${r.url}`);
	}
	for (const x of t.extra) if (JSON.stringify(x.headers).includes(PASS)) inHead.push(`raw headers of ${x.id}`);
	for (const w of wireRecs) {
		if (w.url.includes(PASS)) inHead.push(`wire URL ${w.url}`);
		if (w.head.indexOf(pw) >= 0) inHead.push(`wire headers of ${w.method} ${w.url}`);
	}
	ok(inHead.length === 0, `${label}: the password is in no URL and no header (CDP and wire)`, inHead.join('\n'));
	const bodies = [
		...t.reqs.filter((r) => typeof r.postData === 'string' && r.postData.includes(PASS)).map((r) => `CDP ${r.method} ${pathOf(r.url)}`),
		...wireRecs.filter((w) => w.body.indexOf(pw) >= 0).map((w) => `wire ${w.method} ${pathOf(w.url)}`)];
	if (js) {
		ok(bodies.length === 0, `${label}: the password is in no request body (CDP and wire)`, bodies.join('\n'));
	} else {
		const where = new Set(bodies.map((b) => b.replace(/^\S+ /, '')));
		const allowed = new Set(signed.map((p) => `POST ${p}`));
		ok([...where].every((b) => allowed.has(b)) && [...allowed].every((b) => where.has(b)),
			`${label}: the password went only in the form posts to ${signed.join(' and ')}`, [...where].join('\n'));
	}

	// The .key, encrypted or opened: never on the wire with JavaScript; with the upload without.
	const hits = [];
	for (const r of t.reqs) {
		const hay = Buffer.concat([Buffer.from(r.url), Buffer.from(JSON.stringify(r.headers)), Buffer.from(r.postData || '', 'latin1')]);
		for (const l of find(hay, sec.list)) hits.push(`CDP ${r.method} ${pathOf(r.url)}: ${l}`);
	}
	for (const w of wireRecs)
		for (const l of find(Buffer.concat([Buffer.from(w.url), w.head, w.body]), sec.list))
			hits.push(`wire ${w.method} ${pathOf(w.url)}: ${l}`);
	if (js) {
		ok(hits.length === 0, `${label}: no bytes of ${user}.key (raw, base64, hex; encrypted or decrypted) were sent`,
			hits.join('\n'));
	} else {
		const up = signed.every((p) => wireRecs.some((w) => w.method === 'POST' && pathOf(w.url) === p &&
			w.body.indexOf(sec.key) >= 0));
		ok(up && hits.every((h) => / POST \/(idp\/authorize|carta): .*\.key \(raw bytes\)$/.test(h)),
			`${label}: the .key went only as the file upload of those posts (server-side signing)`, hits.join('\n'));
	}
}

/* ---- The dashboard on a phone ---- */
async function phoneShot(t) {
	await t.s('Emulation.setDeviceMetricsOverride', { width: 390, height: 844, deviceScaleFactor: 1, mobile: true });
	await sleep(300);	// a frame for the new layout
	const m = await t.s('Page.getLayoutMetrics');
	const w = Math.ceil(m.cssContentSize.width), h = Math.ceil(m.cssContentSize.height);
	ok(w <= 390, `at 390 px the dashboard fits the width (content ${w} px wide)`);
	const { data } = await t.s('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true,
		clip: { x: 0, y: 0, width: 390, height: Math.max(h, 1), scale: 1 } });
	fs.mkdirSync(path.dirname(SHOT), { recursive: true });
	fs.writeFileSync(SHOT, Buffer.from(data, 'base64'));
	const png = fs.readFileSync(SHOT);
	ok(png.length > 1000 && png.readUInt32BE(16) === 390, `screenshot at 390 px wide in ${path.basename(SHOT)} (${png.length} bytes)`);
	await t.s('Emulation.clearDeviceMetricsOverride');
}

/* ---- Main ---- */
async function main() {
	await new Promise((r) => proxy.listen(0, '127.0.0.1', r));
	const log = launch({ work: WORK, chromium: CHROMIUM, args: [
		`--proxy-server=http://127.0.0.1:${proxy.address().port}`, '--proxy-bypass-list=<-loopback>'] });
	try {
		const v = await send('Browser.getVersion');
		diag(`${v.product}, driven over --remote-debugging-pipe`);
	} catch (e) {
		ok(false, 'Chromium starts and speaks the DevTools protocol', `${e.message}\n${Buffer.concat(log).toString().slice(-2000)}`);
		return;
	}

	const runs = [
		{ label: 'with JavaScript', js: true, user: env('JS_USER'), name: env('JS_NAME'), first: env('JS_FIRST') },
		{ label: 'without JavaScript', js: false, user: env('NOJS_USER'), name: env('NOJS_NAME'), first: env('NOJS_FIRST') },
	];
	for (const run of runs) {
		const w0 = wire.length;
		let res;
		try {
			res = await signIn(run);
		} catch (e) {
			ok(false, `${run.label}: ${run.user} signs in and reaches the dashboard`, e.stack || e.message);
			continue;
		}
		if (run.js) {
			// The script really ran: it is what adds mode=js (checked below) and it was fetched.
			ok(res.t.reqs.some((r) => /\/static\/js\/efirma\.js/.test(r.url)), `${run.label}: the page loaded efirma.js`);
			try {
				if (!res.dashboard) throw new Error('no dashboard to take');
				await phoneShot(res.t);
			} catch (e) {
				ok(false, 'screenshot of the dashboard at 390 px', e.message);
			}
		}
		const csp = res.t.console.filter((l) => /Content Security Policy|Refused to/i.test(l));
		ok(csp.length === 0, `${run.label}: no Content-Security-Policy violation in the page's log`, csp.slice(0, 5).join('\n'));
		const bad = res.t.console.filter((l) => /^(error|exception)/.test(l) && !/favicon/.test(l));
		if (bad.length) diag(`${run.label}: the page logged:\n${bad.slice(0, 10).join('\n')}`);
		const mine = wire.slice(w0).filter((w) => w.scenario === run.label);
		checkSent(run.label, res.t, mine, res.signed, run.js, run.user);
		await send('Target.closeTarget', { targetId: res.t.targetId }).catch(() => {});
	}
}

try {
	await within(main(), 'the whole browser run', 150000);
} catch (e) {
	ok(false, 'the browser run finished', e.stack || e.message);
} finally {
	await killChrome();
	proxy.close();
	proxy.closeAllConnections?.();
}
process.exit(failed() ? 1 : 0);