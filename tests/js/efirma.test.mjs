// efirma.test.mjs: static/js/efirma.js in a fake browser (node:vm), against keys made
// by the openssl CLI in SAT's exact .key format. Run: node --test tests/js/
// No npm packages: node:test, node:vm, node:crypto (only for random DES cross-checks).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const SRC = fs.readFileSync(path.join(here, '../../static/js/efirma.js'), 'utf8');
const PASS = '12345678a';	// SAT's test FIEL password
let dir;
const f = (n) => path.join(dir, n);
const rd = (n) => fs.readFileSync(f(n));
const ossl = (...args) => execFileSync('openssl', args, { stdio: ['pipe', 'pipe', 'pipe'] });
const hex = (s) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
// Results may come from the vm's realm: no instanceof.
const buf = (x) => (ArrayBuffer.isView(x) ? Buffer.from(x.buffer, x.byteOffset, x.byteLength) : Buffer.from(new Uint8Array(x)));
const b64urlDecode = (s) => Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');

/* ---- a minimal DOM: just what efirma.js touches ---- */

class ClassList {
	constructor() { this.s = new Set(); }
	toggle(c, on) { if (on) this.s.add(c); else this.s.delete(c); }
	contains(c) { return this.s.has(c); }
}

class El {
	constructor(tag, props = {}) {
		this.tagName = tag.toUpperCase();
		this.attrs = {};
		this.children = [];
		this.parentNode = null;
		this.listeners = {};
		this.classList = new ClassList();
		this.disabled = false;
		this.textContent = '';
		this.files = null;
		this._value = '';
		this.focused = false;
		Object.assign(this, props);
	}
	get value() { return this._value; }
	set value(v) {	// like the browser: a file input only accepts '' and then drops its files
		if (this.type === 'file') {
			if (v !== '') throw new Error('InvalidStateError');
			this.files = [];
		}
		this._value = String(v);
	}
	getAttribute(k) {
		if (k === 'name' || k === 'type') return this[k] === undefined ? null : this[k];
		if (k === 'class') return [...this.classList.s].join(' ') || null;
		return k in this.attrs ? this.attrs[k] : null;
	}
	setAttribute(k, v) { this.attrs[k] = String(v); }
	hasAttribute(k) { return this.getAttribute(k) !== null; }
	appendChild(c) { c.parentNode = this; this.children.push(c); return c; }
	removeChild(c) { this.children.splice(this.children.indexOf(c), 1); c.parentNode = null; return c; }
	addEventListener(t, fn) { (this.listeners[t] = this.listeners[t] || []).push(fn); }
	focus() { this.focused = true; }
	select() {}
	*walk() { for (const c of this.children) { yield c; yield* c.walk(); } }
	matches(sel) {
		return sel.split(/\s*,\s*/).some((one) => {
			const m = /^(\w+)?(?:\.([\w-]+))?(?:\[([\w-]+)(?:="([^"]*)")?\])?(?::not\(\[([\w-]+)\]\))?$/.exec(one);
			if (!m) throw new Error('fake DOM: unsupported selector ' + one);
			const [, tag, cls, attr, val, not] = m;
			if (tag && this.tagName !== tag.toUpperCase()) return false;
			if (cls && !this.classList.contains(cls)) return false;
			if (attr && (val === undefined ? !this.hasAttribute(attr) : this.getAttribute(attr) !== val)) return false;
			if (not && this.hasAttribute(not)) return false;
			return true;
		});
	}
	querySelectorAll(sel) { return [...this.walk()].filter((e) => e.matches(sel)); }
	querySelector(sel) { return this.querySelectorAll(sel)[0] || null; }
}

function fakeFile(name, bytes) {
	const b = Buffer.from(bytes);
	return { name, size: b.length, arrayBuffer: async () => b.buffer.slice(b.byteOffset, b.byteOffset + b.length) };
}

// Load efirma.js in a fresh context. opts.subtle=false models an insecure context.
function load({ lang = 'es-MX', subtle = true, body = null } = {}) {
	const submitted = [];
	const winListeners = {};
	function HTMLFormElement() {}
	HTMLFormElement.prototype.submit = function () { submitted.push(this); };
	const root = new El('body');
	if (body) root.appendChild(body);
	const ctx = {
		crypto: subtle ? globalThis.crypto : {},
		TextEncoder, atob, btoa, HTMLFormElement,
		addEventListener: (t, fn) => { (winListeners[t] = winListeners[t] || []).push(fn); },
		document: {
			documentElement: { lang },
			readyState: 'complete',
			querySelectorAll: (s) => root.querySelectorAll(s),
			createElement: (t) => new El(t),
			addEventListener() {},
		},
	};
	ctx.window = ctx;
	vm.createContext(ctx);
	vm.runInContext(SRC, ctx, { filename: 'efirma.js' });
	return { E: ctx.SekkanEfirma, ctx, submitted, winListeners };
}

async function rejectsWith(p, code, message) {
	await assert.rejects(p, (e) => {
		assert.equal(e.code, code, `error code (message: ${e.message})`);
		if (message) assert.equal(e.message, message);
		return true;
	});
}

/* ---- keys and certificates from the openssl CLI ---- */

before(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'efirma-js-'));
	for (const k of ['a', 'b']) {
		ossl('genrsa', '-out', f(k + '.pem'), '2048');
		ossl('req', '-new', '-x509', '-key', f(k + '.pem'), '-subj', '/CN=PRUEBA ' + k.toUpperCase() + '/C=MX',
		    '-days', '2', '-outform', 'DER', '-out', f(k + '.cer'));
	}
	ossl('x509', '-inform', 'DER', '-in', f('a.cer'), '-out', f('a.cer.pem'));
	ossl('pkey', '-in', f('a.pem'), '-pubout', '-out', f('a.pub.pem'));
	// The reference: the same key as unencrypted DER PKCS#8.
	ossl('pkcs8', '-topk8', '-nocrypt', '-in', f('a.pem'), '-outform', 'DER', '-out', f('a.p8'));
	const enc = (out, ...opts) => ossl('pkcs8', '-topk8', '-in', f('a.pem'), '-outform', 'DER', '-out', f(out),
	    ...opts, '-passout', 'pass:' + PASS);
	enc('sat.key', '-v2', 'des3', '-v2prf', 'hmacWithSHA1', '-iter', '2048');	// SAT's exact format
	enc('des3-sha256.key', '-v2', 'des3', '-v2prf', 'hmacWithSHA256', '-iter', '2048');
	enc('aes256-sha256.key', '-v2', 'aes-256-cbc', '-v2prf', 'hmacWithSHA256', '-iter', '2048');
	enc('aes128-sha1.key', '-v2', 'aes-128-cbc', '-v2prf', 'hmacWithSHA1', '-iter', '1000');
	enc('pbes1.key', '-v1', 'PBE-SHA1-3DES');
	ossl('pkcs8', '-topk8', '-in', f('b.pem'), '-outform', 'DER', '-out', f('b.key'), '-v2', 'des3',
	    '-v2prf', 'hmacWithSHA1', '-iter', '2048', '-passout', 'pass:' + PASS);
	ossl('pkcs8', '-topk8', '-in', f('a.pem'), '-out', f('sat.key.pem'), '-v2', 'des3', '-iter', '2048',
	    '-passout', 'pass:' + PASS);
});

after(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

/* ---- DES ---- */

test('DES: FIPS 81 ECB example ("Now is the time for all ")', () => {
	const { E } = load();
	const pt = Buffer.from('Now is the time for all ');
	const ct = hex('3fa40e8a984d4815 6a271787ab8883f9 893d51ec4b563b53');
	assert.equal(buf(E._des.ecb(hex('0123456789abcdef'), pt)).toString('hex'), ct.toString('hex'));
	assert.equal(buf(E._des.ecb(hex('0123456789abcdef'), ct, true)).toString(), pt.toString());
});

test('DES: FIPS 81 CBC example (3DES with K1=K2=K3 is single DES)', () => {
	const { E } = load();
	const k = '0123456789abcdef';
	const out = E._des.ede3CbcDecrypt(hex(k + k + k), hex('1234567890abcdef'),
	    hex('e5c7cdde872bf27c 43e934008c389c0f 683788499a7c05f6'));
	assert.equal(buf(out).toString(), 'Now is the time for all ');
});

test('DES: NIST SP 800-20 known-answer vectors (variable plaintext, key, permutation, S-box)', () => {
	const { E } = load();
	const kat = [	// key, plaintext, ciphertext
		['0101010101010101', '8000000000000000', '95f8a5e5dd31d900'],
		['0101010101010101', '4000000000000000', 'dd7f121ca5015619'],
		['0101010101010101', '2000000000000000', '2e8653104f3834ea'],
		['0101010101010101', '1000000000000000', '4bd388ff6cd81d4f'],
		['0101010101010101', '0800000000000000', '20b9e767b2fb1456'],
		['0101010101010101', '0400000000000000', '55579380d77138ef'],
		['0101010101010101', '0200000000000000', '6cc5defaaf04512f'],
		['0101010101010101', '0100000000000000', '0d9f279ba5d87260'],
		['8001010101010101', '0000000000000000', '95a8d72813daa94d'],
		['4001010101010101', '0000000000000000', '0eec1487dd8c26d5'],
		['2001010101010101', '0000000000000000', '7ad16ffb79c45926'],
		['1001010101010101', '0000000000000000', 'd3746294ca6a6cf3'],
		['1046913489980131', '0000000000000000', '88d55e54f54c97b4'],
		['7ca110454a1a6e57', '01a1d6d039776742', '690f5b0d9a26939b'],
		['0131d9619dc1376e', '5cd54ca83def57da', '7a389d10354bd271'],
		['133457799bbcdff1', '0123456789abcdef', '85e813540f0ab405'],	// the textbook walk-through
	];
	for (const [k, p, c] of kat) {
		assert.equal(buf(E._des.ecb(hex(k), hex(p))).toString('hex'), c, `encrypt ${k} ${p}`);
		assert.equal(buf(E._des.ecb(hex(k), hex(c), true)).toString('hex'), p, `decrypt ${k} ${c}`);
	}
});

test('3DES-CBC: decrypts what `openssl enc -des-ede3-cbc -nopad` encrypted', () => {
	const { E } = load();
	const K = '0123456789abcdeffedcba987654321089abcdef01234567', IV = 'a1b2c3d4e5f60718';
	const pt = Buffer.from('Sekkan: firma con e.firma del SAT, 3DES-CBC sin relleno....'.padEnd(64, '.'));
	const ptFile = f('pt.bin');
	fs.writeFileSync(ptFile, pt);
	const ct = ossl('enc', '-des-ede3-cbc', '-K', K, '-iv', IV, '-nopad', '-in', ptFile);
	assert.equal(ct.length, 64);
	assert.equal(buf(E._des.ede3CbcDecrypt(hex(K), hex(IV), ct)).toString(), pt.toString());
});

test('3DES-CBC: 200 random keys, IVs and lengths agree with node:crypto (OpenSSL)', () => {
	const { E } = load();
	for (let i = 0; i < 200; i++) {
		const key = crypto.randomBytes(24), iv = crypto.randomBytes(8), pt = crypto.randomBytes(8 * (1 + (i % 9)));
		const c = crypto.createCipheriv('des-ede3-cbc', key, iv).setAutoPadding(false);
		const ct = Buffer.concat([c.update(pt), c.final()]);
		assert.equal(buf(E._des.ede3CbcDecrypt(key, iv, ct)).toString('hex'), pt.toString('hex'), `case ${i}`);
	}
});

/* ---- the .key ---- */

test('parseKeyInfo reads SAT\'s structure: PBES2, PBKDF2 hmacWithSHA1, 2048 iterations, des-ede3-cbc', () => {
	const { E } = load();
	const k = E.parseKeyInfo(rd('sat.key'));
	assert.equal(k.kdf, 'PBKDF2');
	assert.equal(k.prf, 'SHA-1');
	assert.equal(k.iterations, 2048);
	assert.equal(k.keyLength, null);
	assert.equal(k.cipher, 'des-ede3-cbc');
	assert.equal(k.salt.length, 8);
	assert.equal(k.iv.length, 8);
	assert.equal(k.data.length % 8, 0);
	const a = E.parseKeyInfo(rd('aes256-sha256.key'));
	assert.equal(a.prf, 'SHA-256');
	assert.equal(a.cipher, 'aes-256-cbc');
	assert.equal(a.iv.length, 16);
});

for (const name of ['sat.key', 'des3-sha256.key', 'aes256-sha256.key', 'aes128-sha1.key', 'sat.key.pem']) {
	test(`decryptKey(${name}) with the right password = openssl pkcs8 -nocrypt, byte for byte`, async () => {
		const { E } = load();
		const p8 = await E.decryptKey(rd(name), PASS);
		assert.ok(buf(p8).equals(rd('a.p8')));
	});
}

test('decryptKey with wrong passwords rejects with the password error (3DES and AES)', async () => {
	const { E } = load();
	const wrong = ['12345678b', '', '12345678A', ' 12345678a', 'contraseña', '0', 'x'.repeat(64)];
	for (const name of ['sat.key', 'aes256-sha256.key'])
		for (const pw of wrong)
			await rejectsWith(E.decryptKey(rd(name), pw), 'password', 'La contraseña de la llave privada no es correcta.');
});

test('messages follow <html lang>: English when it starts with "en"', async () => {
	const { E } = load({ lang: 'en' });
	await rejectsWith(E.decryptKey(rd('sat.key'), 'nope'), 'password', 'The private key password is not correct.');
});

test('truncated, garbage, empty and unencrypted files reject with the parse error', async () => {
	const { E } = load();
	const sat = rd('sat.key');
	const bad = {
		'truncated to 100 bytes': sat.subarray(0, 100),
		'truncated by one byte': sat.subarray(0, sat.length - 1),
		'truncated to 1 byte': sat.subarray(0, 1),
		'empty': Buffer.alloc(0),
		'random bytes': crypto.randomBytes(1300),
		'a certificate': rd('a.cer'),
		'unencrypted PKCS#8': rd('a.p8'),
		'text': Buffer.from('hola, no soy una llave\n'),
		'bad PEM': Buffer.from('-----BEGIN ENCRYPTED PRIVATE KEY-----\n%%%\n-----END ENCRYPTED PRIVATE KEY-----\n'),
	};
	for (const [what, b] of Object.entries(bad)) {
		await rejectsWith(E.decryptKey(b, PASS), 'key', 'El archivo .key no es una llave privada de e.firma válida.')
		    .catch((e) => { throw new Error(what + ': ' + e.message); });
		assert.throws(() => E.parseKeyInfo(b), (e) => e.code === 'key', what);
	}
});

test('a PBES1 key (not SAT\'s scheme) is reported as unsupported, not as a bad password', async () => {
	const { E } = load();
	await rejectsWith(E.decryptKey(rd('pbes1.key'), PASS), 'unsupported');
});

/* ---- signing ---- */

test('signNonce: base64url, no padding, verifies with `openssl dgst -sha256 -verify`', async () => {
	const { E } = load();
	const p8 = await E.decryptKey(rd('sat.key'), PASS);
	for (const nonce of ['q3Zt0w9mV1bX_aKfR2-8sQ', 'ñandú-€-' + 'A'.repeat(40)]) {	// UTF-8 bytes are signed
		const sig = await E.signNonce(p8, nonce);
		assert.match(sig, /^[A-Za-z0-9_-]{342}$/);	// 256 bytes, unpadded
		fs.writeFileSync(f('sig.bin'), b64urlDecode(sig));
		fs.writeFileSync(f('nonce.txt'), Buffer.from(nonce, 'utf8'));
		const out = ossl('dgst', '-sha256', '-verify', f('a.pub.pem'), '-signature', f('sig.bin'), f('nonce.txt'));
		assert.match(out.toString(), /Verified OK/);
	}
});

test('signNonce with the .cer: matching pair signs; a key of another certificate is refused', async () => {
	const { E } = load();
	const pa = await E.decryptKey(rd('sat.key'), PASS);
	const pb = await E.decryptKey(rd('b.key'), PASS);
	assert.match(await E.signNonce(pa, 'n0nce', rd('a.cer')), /^[A-Za-z0-9_-]+$/);
	assert.match(await E.signNonce(pa, 'n0nce', rd('a.cer.pem')), /^[A-Za-z0-9_-]+$/);	// PEM, as a courtesy
	await rejectsWith(E.signNonce(pb, 'n0nce', rd('a.cer')), 'mismatch', 'La llave privada no corresponde al certificado.');
	await rejectsWith(E.signNonce(pa, 'n0nce', rd('a.p8')), 'cert');
	await rejectsWith(E.signNonce(pa, 'n0nce', rd('a.cer').subarray(0, 300)), 'cert');
});

/* ---- the form ---- */

function makeForm(cer, key, password, { nonce = 'Zm9vYmFyLW5vbmNlLTEyMw' } = {}) {
	const form = new El('form', { action: '/idp/authorize', method: 'post' });
	form.setAttribute('data-efirma', 'sign');
	form.classList.toggle('efirma', true);
	const add = (tag, props) => form.appendChild(new El(tag, props));
	add('input', { type: 'hidden', name: 'csrf', _value: 'tok' });
	add('input', { type: 'hidden', name: 'nonce', _value: nonce });
	add('input', { type: 'hidden', name: 'client_id', _value: 'sekkan' });
	const c = add('input', { type: 'file', name: 'cer', files: cer ? [fakeFile('x.cer', cer)] : [] });
	const k = add('input', { type: 'file', name: 'key', files: key ? [fakeFile('x.key', key)] : [] });
	const p = add('input', { type: 'password', name: 'password', _value: password });
	const status = add('p', { textContent: 'Su llave y su contraseña no salen de este equipo.' });
	status.classList.toggle('efirma-status', true);
	const button = add('button', { type: 'submit', name: 'accion', _value: 'ingresar' });
	return { form, c, k, p, status, button };
}

function submit(form, submitter) {
	const ev = { type: 'submit', defaultPrevented: false, submitter, preventDefault() { this.defaultPrevented = true; } };
	for (const fn of form.listeners.submit || []) fn(ev);
	return ev;
}

async function until(cond, ms = 20000) {
	const t0 = Date.now();
	while (!cond()) {
		if (Date.now() - t0 > ms) throw new Error('timed out');
		await new Promise((r) => setTimeout(r, 5));
	}
}

const fields = (form) => Object.fromEntries(form.children
    .filter((e) => e.name && !e.disabled && e.type !== 'file').map((e) => [e.name, e.value]));

test('form: signs, drops key and password from the form, adds signature and mode=js, submits natively', async () => {
	const F = makeForm(rd('a.cer'), rd('sat.key'), PASS);
	const { submitted } = load({ body: F.form });
	const ev = submit(F.form, F.button);
	assert.equal(ev.defaultPrevented, true);
	assert.equal(F.button.disabled, true, 'submit button disabled while working');
	await until(() => submitted.length > 0 || F.status.classList.contains('error'));
	assert.equal(F.status.classList.contains('error'), false, F.status.textContent);
	assert.deepEqual(submitted, [F.form]);
	assert.equal(F.status.textContent, 'Enviando…');
	// Secrets: empty and disabled, so the browser leaves them out of the form data set.
	assert.equal(F.p.value, '');
	assert.equal(F.p.disabled, true);
	assert.equal(F.k.value, '');
	assert.equal(F.k.files.length, 0);
	assert.equal(F.k.disabled, true);
	// The .cer goes as is.
	assert.equal(F.c.disabled, false);
	assert.equal(F.c.files.length, 1);
	const sent = fields(F.form);
	assert.equal(sent.csrf, 'tok');
	assert.equal(sent.client_id, 'sekkan');
	assert.equal(sent.mode, 'js');
	assert.equal(sent.accion, 'ingresar', 'the clicked button\'s name/value is kept');
	assert.equal(sent.password, undefined);
	fs.writeFileSync(f('sig.bin'), b64urlDecode(sent.signature));
	fs.writeFileSync(f('nonce.txt'), sent.nonce);
	assert.match(ossl('dgst', '-sha256', '-verify', f('a.pub.pem'), '-signature', f('sig.bin'), f('nonce.txt')).toString(), /Verified OK/);
});

test('form: a wrong password shows the error, keeps the fields and does not submit', async () => {
	const F = makeForm(rd('a.cer'), rd('sat.key'), 'equivocada');
	const { submitted } = load({ body: F.form });
	submit(F.form, F.button);
	await until(() => F.status.classList.contains('error'));
	assert.equal(F.status.textContent, 'La contraseña de la llave privada no es correcta.');
	assert.equal(submitted.length, 0);
	assert.equal(F.p.value, 'equivocada');
	assert.equal(F.p.focused, true);
	assert.equal(F.k.files.length, 1);
	assert.equal(F.button.disabled, false);
	assert.equal(fields(F.form).signature, undefined);
});

test('form: a key of another certificate shows the mismatch error (English page)', async () => {
	const F = makeForm(rd('a.cer'), rd('b.key'), PASS);
	const { submitted } = load({ body: F.form, lang: 'en-US' });
	submit(F.form, F.button);
	await until(() => F.status.classList.contains('error'));
	assert.equal(F.status.textContent, 'The private key does not belong to the certificate.');
	assert.equal(submitted.length, 0);
});

test('form: missing files or password ask for them', async () => {
	const F = makeForm(rd('a.cer'), null, PASS);
	const { submitted } = load({ body: F.form });
	submit(F.form, F.button);
	await until(() => F.status.classList.contains('error'));
	assert.match(F.status.textContent, /^Seleccione su certificado/);
	assert.equal(submitted.length, 0);
});

test('form: without WebCrypto (insecure context, old browser) the form posts normally', () => {
	const F = makeForm(rd('a.cer'), rd('sat.key'), PASS);
	const { E } = load({ body: F.form, subtle: false });
	assert.equal(F.form.listeners.submit, undefined, 'no submit handler attached');
	assert.equal(submit(F.form, F.button).defaultPrevented, false);
	assert.equal(typeof E.decryptKey, 'function');
});

test('form: coming back from the back/forward cache restores a usable form', async () => {
	const F = makeForm(rd('a.cer'), rd('sat.key'), PASS);
	const { submitted, winListeners } = load({ body: F.form });
	submit(F.form, F.button);
	await until(() => submitted.length > 0);
	for (const fn of winListeners.pageshow) fn({ persisted: true });
	assert.equal(F.p.disabled, false);
	assert.equal(F.k.disabled, false);
	assert.equal(F.button.disabled, false);
	assert.equal(fields(F.form).signature, undefined);
	assert.equal(fields(F.form).mode, undefined);
	assert.equal(F.status.textContent, 'Su llave y su contraseña no salen de este equipo.', 'the server\'s note is back');
	assert.equal(F.status.classList.contains('error'), false);
});

test('efirma.js uses no eval, new Function or inline-script tricks (CSP script-src \'self\')', () => {
	const code = SRC.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
	assert.doesNotMatch(code, /\beval\s*\(|new\s+Function|setTimeout\s*\(\s*['"]|innerHTML|document\.write/);
	// ES2017 only: no ?. ?? BigInt import() spread/rest (ES2018 for objects) or catch without binding.
	assert.doesNotMatch(code, /\?\.[\w(]|\?\?|\bBigInt\b|\bimport\s*\(|\.\.\.[\w$[{]|catch\s*\{/);
	new vm.Script(SRC);	// parses
});
