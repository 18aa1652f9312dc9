/*
 * efirma.js: e.firma sign-in made in the browser, so the private key and its
 * password never leave the device (DESIGN.md "e.firma sign-in"; notes/tech.md §3).
 *
 * It enhances form[data-efirma="sign"], which already works without JavaScript
 * (the server then signs with the uploaded .key). With WebCrypto present it
 * decrypts SAT's .key here (PKCS#8 PBES2 + PBKDF2 + 3DES-CBC, or AES-CBC),
 * checks the key matches the .cer, signs the server's single-use nonce with
 * RSASSA-PKCS1-v1_5/SHA-256 and posts the .cer, the signature and mode=js.
 *
 * Submission: the same form is submitted natively (HTMLFormElement.submit) after
 * the key file and password are cleared and disabled, so they are not part of the
 * form data set, and the hidden fields "signature" and "mode" are added. A native
 * submission keeps everything the no-JS path has: the server's 303 redirects
 * (also to another origin, where fetch would fail on CORS), its error pages with
 * their own CSP, the URL bar and the Back button. fetch + document.write would
 * lose those; a second form would need DataTransfer to carry the .cer.
 *
 * External file because the CSP is script-src 'self': no inline script, no eval.
 * ES2017, no dependencies. Only window.SekkanEfirma is global (used by tests).
 */
(function () {
	'use strict';

	var MSG = {
		es: {
			reading: 'Leyendo los archivos…',
			decrypting: 'Abriendo la llave privada…',
			signing: 'Firmando…',
			sending: 'Enviando…',
			missing: 'Seleccione su certificado (.cer) y su llave privada (.key), y escriba la contraseña.',
			password: 'La contraseña de la llave privada no es correcta.',
			mismatch: 'La llave privada no corresponde al certificado.',
			key: 'El archivo .key no es una llave privada de e.firma válida.',
			cert: 'El archivo .cer no es un certificado válido.',
			unsupported: 'La llave privada usa un formato de cifrado no admitido.',
			internal: 'No se pudo firmar en este navegador. Intente de nuevo.'
		},
		en: {
			reading: 'Reading the files…',
			decrypting: 'Opening the private key…',
			signing: 'Signing…',
			sending: 'Sending…',
			missing: 'Choose your certificate (.cer) and private key (.key), and type the password.',
			password: 'The private key password is not correct.',
			mismatch: 'The private key does not belong to the certificate.',
			key: 'The .key file is not a valid e.firma private key.',
			cert: 'The .cer file is not a valid certificate.',
			unsupported: 'The private key uses an unsupported encryption scheme.',
			internal: 'Could not sign in this browser. Please try again.'
		}
	};

	function msg(code) {
		var lang = (document.documentElement && document.documentElement.lang) || '';
		var t = MSG[/^en/i.test(lang) ? 'en' : 'es'];
		return t[code] || t.internal;
	}

	// Errors carry a code (a key of MSG) so the UI and the tests need not match text.
	function fail(code) {
		var e = new Error(msg(code));
		e.name = 'EfirmaError';	// DOMExceptions have a numeric .code: tell ours apart by name
		e.code = code;
		return e;
	}

	function ours(e) {
		return e && e.name === 'EfirmaError';
	}

	// Accept ArrayBuffer or any view; no instanceof, so buffers from other realms work.
	function bytes(x) {
		if (ArrayBuffer.isView(x))
			return new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
		return new Uint8Array(x);
	}

	/* ---- DER: just enough to walk PKCS#8 and X.509 (definite lengths only) ---- */

	// One TLV at pos, within end: {tag, start, body, end}. Throws fail(code) if malformed.
	function tlv(b, pos, end, code) {
		if (pos + 2 > end)
			throw fail(code);
		var tag = b[pos], len = b[pos + 1], p = pos + 2;
		if ((tag & 0x1f) === 0x1f)
			throw fail(code);	// multi-byte tags never occur here
		if (len & 0x80) {
			var n = len & 0x7f;
			if (n === 0 || n > 3 || p + n > end)
				throw fail(code);	// indefinite or absurd lengths: not DER
			for (len = 0; n > 0; n--)
				len = len * 256 + b[p++];
		}
		if (len > end - p)
			throw fail(code);
		return { tag: tag, start: pos, body: p, end: p + len };
	}

	function kids(b, node, code) {
		var out = [];
		for (var p = node.body; p < node.end; p = out[out.length - 1].end)
			out.push(tlv(b, p, node.end, code));
		return out;
	}

	// Children of a constructed node, each with the expected tag.
	function expect(b, node, tags, code) {
		var k = kids(b, node, code);
		if (k.length < tags.length)
			throw fail(code);
		tags.forEach(function (t, i) {
			if (k[i].tag !== t)
				throw fail(code);
		});
		return k;
	}

	function oid(b, n) {
		var arcs = [], v = 0;
		for (var p = n.body; p < n.end; p++) {
			v = v * 128 + (b[p] & 0x7f);
			if (!(b[p] & 0x80)) {
				if (arcs.length === 0)
					arcs.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
				else
					arcs.push(v);
				v = 0;
			}
		}
		return arcs.join('.');
	}

	// Small non-negative INTEGER (iteration counts, key lengths); -1 if not one.
	function uint(b, n) {
		var len = n.end - n.body;
		if (n.tag !== 0x02 || len < 1 || len > 4 || (b[n.body] & 0x80))
			return -1;
		for (var v = 0, p = n.body; p < n.end; p++)
			v = v * 256 + b[p];
		return v;
	}

	// PEM as a courtesy (the server accepts it too); SAT hands out DER.
	function der(b, code) {
		var text = '';
		for (var i = 0; i < b.length; i++) {
			text += String.fromCharCode(b[i]);
			if (i === 10 && text !== '-----BEGIN ')
				return b;
		}
		var m = /-----BEGIN [^-]+-----([\s\S]*?)-----END /.exec(text);
		try {
			var bin = atob(m[1].replace(/\s+/g, ''));
			var out = new Uint8Array(bin.length);
			for (i = 0; i < bin.length; i++)
				out[i] = bin.charCodeAt(i);
			return out;
		} catch (e) {
			throw fail(code);
		}
	}

	var OID = {
		pbes2: '1.2.840.113549.1.5.13',
		pbkdf2: '1.2.840.113549.1.5.12',
		rsa: '1.2.840.113549.1.1.1'
	};
	var PRF = {
		'1.2.840.113549.2.7': 'SHA-1',		// hmacWithSHA1, also the default
		'1.2.840.113549.2.9': 'SHA-256'		// hmacWithSHA256
	};
	var CIPHERS = {
		'1.2.840.113549.3.7': { name: 'des-ede3-cbc', keyLength: 24, block: 8 },
		'2.16.840.1.101.3.4.1.2': { name: 'aes-128-cbc', keyLength: 16, block: 16 },
		'2.16.840.1.101.3.4.1.42': { name: 'aes-256-cbc', keyLength: 32, block: 16 }
	};

	/*
	 * EncryptedPrivateKeyInfo ::= SEQUENCE { AlgorithmIdentifier { pbes2, PBES2-params {
	 *   keyDerivationFunc { pbkdf2, { salt OCTET STRING, iterationCount, keyLength?, prf? } },
	 *   encryptionScheme { cipher OID, iv OCTET STRING } } }, encryptedData OCTET STRING }
	 * Anything else is "not a key" (code 'key') or a scheme we cannot open ('unsupported').
	 */
	function parseKeyInfo(input) {
		var b = der(bytes(input), 'key');
		var top = tlv(b, 0, b.length, 'key');
		if (top.tag !== 0x30)
			throw fail('key');
		var epki = expect(b, top, [0x30, 0x04], 'key');
		var alg = expect(b, epki[0], [0x06, 0x30], 'key');
		if (oid(b, alg[0]) !== OID.pbes2)
			throw fail('unsupported');	// PBES1, PKCS#12 PBEs: SAT never uses them
		var pbes2 = expect(b, alg[1], [0x30, 0x30], 'key');
		var kdf = expect(b, pbes2[0], [0x06, 0x30], 'key');
		if (oid(b, kdf[0]) !== OID.pbkdf2)
			throw fail('unsupported');
		var kp = kids(b, kdf[1], 'key');
		if (kp.length < 2 || kp[0].tag !== 0x04)
			throw fail(kp.length >= 1 && kp[0].tag === 0x30 ? 'unsupported' : 'key');
		var iterations = uint(b, kp[1]), keyLength = null, prf = 'SHA-1', i = 2;
		if (iterations < 1)
			throw fail('key');
		if (iterations > 10000000)
			throw fail('unsupported');	// would freeze the tab; SAT uses 2048
		if (i < kp.length && kp[i].tag === 0x02) {
			keyLength = uint(b, kp[i++]);
			if (keyLength < 1)
				throw fail('key');
		}
		if (i < kp.length && kp[i].tag === 0x30) {
			prf = PRF[oid(b, expect(b, kp[i++], [0x06], 'key')[0])];
			if (!prf)
				throw fail('unsupported');
		}
		if (i !== kp.length)
			throw fail('key');
		var enc = expect(b, pbes2[1], [0x06, 0x04], 'key');
		var c = CIPHERS[oid(b, enc[0])];
		if (!c)
			throw fail('unsupported');
		var data = b.slice(epki[1].body, epki[1].end);
		if ((keyLength !== null && keyLength !== c.keyLength) || enc[1].end - enc[1].body !== c.block ||
		    data.length === 0 || data.length % c.block !== 0)
			throw fail('key');
		return {
			kdf: 'PBKDF2', prf: prf, iterations: iterations, keyLength: keyLength,
			salt: b.slice(kp[0].body, kp[0].end),
			cipher: c.name, cipherKeyLength: c.keyLength, blockSize: c.block,
			iv: b.slice(enc[1].body, enc[1].end), data: data
		};
	}

	// The .cer's SubjectPublicKeyInfo (DER), for importKey('spki'); RSA only.
	function certSpki(input) {
		var b = der(bytes(input), 'cert');
		var cert = tlv(b, 0, b.length, 'cert');
		if (cert.tag !== 0x30)
			throw fail('cert');
		var tbs = expect(b, cert, [0x30], 'cert')[0];
		var t = kids(b, tbs, 'cert');
		var i = t.length && t[0].tag === 0xa0 ? 1 : 0;	// [0] version, absent in v1
		// serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo
		var spki = t[i + 5];
		if (!spki || spki.tag !== 0x30)
			throw fail('cert');
		var alg = expect(b, expect(b, spki, [0x30, 0x03], 'cert')[0], [0x06], 'cert');
		if (oid(b, alg[0]) !== OID.rsa)
			throw fail('cert');
		return b.slice(spki.start, spki.end);
	}

	/* ---- DES (FIPS 46-3): WebCrypto has no DES, and SAT keys use 3DES-CBC ----
	 * Written for clarity, bit by bit over tables as printed in the standard
	 * (1-based bit numbers, bit 1 = most significant). A .key is ~1.2 KB, about
	 * 150 blocks: speed does not matter, being checkable against FIPS 46-3 does. */

	var IP = [58, 50, 42, 34, 26, 18, 10, 2, 60, 52, 44, 36, 28, 20, 12, 4,
		62, 54, 46, 38, 30, 22, 14, 6, 64, 56, 48, 40, 32, 24, 16, 8,
		57, 49, 41, 33, 25, 17, 9, 1, 59, 51, 43, 35, 27, 19, 11, 3,
		61, 53, 45, 37, 29, 21, 13, 5, 63, 55, 47, 39, 31, 23, 15, 7];
	var P = [16, 7, 20, 21, 29, 12, 28, 17, 1, 15, 23, 26, 5, 18, 31, 10,
		2, 8, 24, 14, 32, 27, 3, 9, 19, 13, 30, 6, 22, 11, 4, 25];
	var PC1 = [57, 49, 41, 33, 25, 17, 9, 1, 58, 50, 42, 34, 26, 18,
		10, 2, 59, 51, 43, 35, 27, 19, 11, 3, 60, 52, 44, 36,
		63, 55, 47, 39, 31, 23, 15, 7, 62, 54, 46, 38, 30, 22,
		14, 6, 61, 53, 45, 37, 29, 21, 13, 5, 28, 20, 12, 4];
	var PC2 = [14, 17, 11, 24, 1, 5, 3, 28, 15, 6, 21, 10, 23, 19, 12, 4,
		26, 8, 16, 7, 27, 20, 13, 2, 41, 52, 31, 37, 47, 55, 30, 40,
		51, 45, 33, 48, 44, 49, 39, 56, 34, 53, 46, 42, 50, 36, 29, 32];
	var SHIFTS = [1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1];
	// S1..S8, each 4 rows of 16 entries, one hex digit per entry.
	var S = ('e4d12fb83a6c59070f74e2d1a6cb953841e8d62bfc973a50fc8249175b3ea06d' +
		'f18e6b34972dc05a3d47f28ec01a69b50e7ba4d158c6932fd8a13f42b67c05e9' +
		'a09e63f51dc7b428d709346a285ecbf1d6498f30b12c5ae71ad069874fe3b52c' +
		'7de3069a1285bc4fd8b56f03472c1ae9a690cb7df13e52843f06a1d8945bc72e' +
		'2c417ab6853fd0e9eb2c47d150fa3986421bad78f9c5630eb8c71e2d6f09a453' +
		'c1af92680d34e75baf427c9561de0b389ef528c3704a1db6432c95fabe17608d' +
		'4b2ef08d3c975a61d0b7491ae35c2f8614bdc37eaf6805926bd814a7950fe23c' +
		'd2846fb1a93e50c71fd8a374c56b0e927b419ce206adf35821e74a8dfc90356b');
	var FP = [], E = [];
	IP.forEach(function (v, i) { FP[v - 1] = i + 1; });	// IP⁻¹
	for (var r = 0; r < 48; r++)	// E: 8 groups of 6, each overlapping its neighbours
		E.push((4 * Math.floor(r / 6) + r % 6 + 31) % 32 + 1);

	function permute(src, table) {
		var out = new Uint8Array(table.length);
		for (var i = 0; i < table.length; i++)
			out[i] = src[table[i] - 1];
		return out;
	}

	function toBits(b, off, n) {
		var out = new Uint8Array(n * 8);
		for (var i = 0; i < n * 8; i++)
			out[i] = (b[off + (i >> 3)] >> (7 - (i & 7))) & 1;
		return out;
	}

	// 16 round keys of 48 bits; parity bits are dropped by PC1.
	function schedule(key, off) {
		var cd = permute(toBits(key, off, 8), PC1), ks = [];
		for (var i = 0; i < 16; i++) {
			for (var s = 0; s < SHIFTS[i]; s++) {	// rotate C and D (28 bits each) left
				var c0 = cd[0], d0 = cd[28];
				cd.copyWithin(0, 1, 28);
				cd.copyWithin(28, 29, 56);
				cd[27] = c0;
				cd[55] = d0;
			}
			ks.push(permute(cd, PC2));
		}
		cd.fill(0);
		return ks;
	}

	function feistel(rh, k) {
		var e = permute(rh, E), out = new Uint8Array(32);
		for (var i = 0; i < 48; i++)
			e[i] ^= k[i];
		for (var s = 0; s < 8; s++) {
			var x = e.subarray(6 * s, 6 * s + 6);
			var v = parseInt(S.charAt(s * 64 + (x[0] * 2 + x[5]) * 16 + x[1] * 8 + x[2] * 4 + x[3] * 2 + x[4]), 16);
			for (var j = 0; j < 4; j++)
				out[4 * s + j] = (v >> (3 - j)) & 1;
		}
		return permute(out, P);
	}

	// One 8-byte block in place at b[off]; decrypt runs the round keys backwards.
	function desBlock(ks, b, off, decrypt) {
		var x = permute(toBits(b, off, 8), IP);
		var l = x.slice(0, 32), rh = x.slice(32);
		for (var i = 0; i < 16; i++) {
			var f = feistel(rh, ks[decrypt ? 15 - i : i]);
			for (var j = 0; j < 32; j++)
				f[j] ^= l[j];
			l = rh;
			rh = f;
		}
		x.set(rh, 0);	// the last round is not swapped: R16 L16
		x.set(l, 32);
		x = permute(x, FP);
		for (var n = 0; n < 8; n++) {
			for (var v = 0, k = 0; k < 8; k++)
				v = (v << 1) | x[8 * n + k];
			b[off + n] = v;
		}
	}

	function wipeKs(ks) {
		ks.forEach(function (k) { k.fill(0); });
	}

	// Single DES on whole blocks (ECB): for the known-answer tests.
	function desEcb(key, data, decrypt) {
		var ks = schedule(bytes(key), 0), out = bytes(data).slice();
		for (var o = 0; o < out.length; o += 8)
			desBlock(ks, out, o, decrypt);
		wipeKs(ks);
		return out;
	}

	// 3DES (EDE, keys K1 K2 K3) CBC decryption, padding left in place.
	function ede3CbcDecrypt(key, iv, data) {
		var k = bytes(key), prev = bytes(iv).slice(), out = bytes(data).slice();
		var k1 = schedule(k, 0), k2 = schedule(k, 8), k3 = schedule(k, 16);
		for (var o = 0; o < out.length; o += 8) {
			var c = out.slice(o, o + 8);
			desBlock(k3, out, o, true);
			desBlock(k2, out, o, false);
			desBlock(k1, out, o, true);
			for (var i = 0; i < 8; i++)
				out[o + i] ^= prev[i];
			prev = c;
		}
		[k1, k2, k3].forEach(wipeKs);
		return out;
	}

	/* ---- the key: PBKDF2 with WebCrypto, then 3DES here or AES-CBC in WebCrypto ---- */

	var subtle = function () { return window.crypto.subtle; };

	/*
	 * A wrong password gives random plaintext: PKCS#7 padding fails (~255 in 256),
	 * and otherwise the PrivateKeyInfo structure will not parse. Both mean "bad
	 * password", as OpenSSL's "bad decrypt" does.
	 */
	function unpadPkcs8(pt, block) {
		var n = pt.length ? pt[pt.length - 1] : 0;
		if (n < 1 || n > block)
			throw fail('password');
		for (var i = pt.length - n; i < pt.length; i++)
			if (pt[i] !== n)
				throw fail('password');
		var body = pt.subarray(0, pt.length - n);
		try {
			var top = tlv(body, 0, body.length, 'password');
			if (top.tag !== 0x30 || top.end !== body.length)
				throw fail('password');
			// PrivateKeyInfo: version INTEGER, AlgorithmIdentifier, privateKey OCTET STRING
			expect(body, expect(body, top, [0x02, 0x30, 0x04], 'password')[1], [0x06], 'password');
		} catch (e) {
			throw fail('password');
		}
		return body.slice().buffer;
	}

	async function decryptKey(der, password) {
		var info = parseKeyInfo(der);
		// JS strings cannot be wiped; the bytes we make from the password can.
		var pw = new TextEncoder().encode(String(password));
		var dk = null, pt = null;
		try {
			var base = await subtle().importKey('raw', pw, 'PBKDF2', false, ['deriveBits']);
			pw.fill(0);
			dk = new Uint8Array(await subtle().deriveBits({ name: 'PBKDF2', hash: info.prf,
			    salt: info.salt, iterations: info.iterations }, base, info.cipherKeyLength * 8));
			if (info.cipher === 'des-ede3-cbc') {
				pt = ede3CbcDecrypt(dk, info.iv, info.data);
			} else {
				var ak = await subtle().importKey('raw', dk, 'AES-CBC', false, ['decrypt']);
				try {
					// WebCrypto checks and strips the padding; re-pad so one check serves both.
					var plain = new Uint8Array(await subtle().decrypt({ name: 'AES-CBC', iv: info.iv }, ak, info.data));
				} catch (e) {
					throw fail('password');
				}
				var pad = 16 - plain.length % 16;
				pt = new Uint8Array(plain.length + pad).fill(pad);
				pt.set(plain);
				plain.fill(0);
			}
			return unpadPkcs8(pt, info.blockSize);
		} catch (e) {
			throw ours(e) ? e : fail('internal');
		} finally {
			// Best effort: JS cannot promise no other copy (GC, the DES temporaries),
			// but the buffers that hold the key for long are zeroed.
			pw.fill(0);
			if (dk) dk.fill(0);
			if (pt) pt.fill(0);
		}
	}

	/* ---- signing ---- */

	var RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };

	function b64url(b) {
		for (var s = '', i = 0; i < b.length; i++)
			s += String.fromCharCode(b[i]);
		return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
	}

	/*
	 * Sign the UTF-8 bytes of the nonce. With the .cer, verify the signature with its
	 * public key: that is exactly the server's check, so a key of another
	 * certificate is caught here, and the private key can stay non-extractable.
	 */
	async function signNonce(pkcs8, nonce, cer) {
		var key, pub = null, m = new TextEncoder().encode(String(nonce));
		if (cer) {
			var spki = certSpki(cer);
			try {
				pub = await subtle().importKey('spki', spki, RSA, false, ['verify']);
			} catch (e) {
				throw fail('cert');
			}
		}
		try {
			key = await subtle().importKey('pkcs8', bytes(pkcs8), RSA, false, ['sign']);
		} catch (e) {
			throw fail('key');	// not RSA, or a PrivateKeyInfo WebCrypto rejects
		}
		var sig = new Uint8Array(await subtle().sign(RSA, key, m));
		if (pub && !(await subtle().verify(RSA, pub, sig, m)))
			throw fail('mismatch');
		return b64url(sig);
	}

	window.SekkanEfirma = {
		decryptKey: decryptKey,
		signNonce: signNonce,
		parseKeyInfo: parseKeyInfo,
		// Test hooks for the DES known-answer tests; not used by pages.
		_des: { ecb: desEcb, ede3CbcDecrypt: ede3CbcDecrypt }
	};

	/* ---- the form ---- */

	function readFile(f) {
		if (f.arrayBuffer)
			return f.arrayBuffer();
		return new Promise(function (resolve, reject) {	// Safari < 14
			var r = new FileReader();
			r.onload = function () { resolve(r.result); };
			r.onerror = function () { reject(r.error); };
			r.readAsArrayBuffer(f);
		});
	}

	function hidden(form, name, value) {
		var i = document.createElement('input');
		i.type = 'hidden';
		i.name = name;
		i.value = value;
		i.setAttribute('data-efirma-added', '');
		form.appendChild(i);
	}

	function attach(form) {
		var field = function (n) { return form.querySelector('[name="' + n + '"]'); };
		// The challenge's field name; an attribute in case "nonce" is ever taken by OIDC's own.
		var nonceName = form.getAttribute('data-efirma-nonce') || 'nonce';
		var status = form.querySelector('.efirma-status');
		var hint = status ? status.textContent : '';	// the server's note, put back by say('')
		var busy = false;

		function say(code, isError) {
			if (!status)
				return;
			status.textContent = code ? msg(code) : hint;
			status.classList.toggle('error', !!isError);
		}

		// Undo what a submission did to the form (fields added, secrets disabled).
		function restore() {
			Array.prototype.forEach.call(form.querySelectorAll('[data-efirma-added]'),
			    function (n) { n.parentNode.removeChild(n); });
			['key', 'password'].forEach(function (n) {
				var i = field(n);
				if (i) i.disabled = false;
			});
			setBusy(false);
		}

		function setBusy(on) {
			busy = on;
			form.setAttribute('aria-busy', on ? 'true' : 'false');
			Array.prototype.forEach.call(form.querySelectorAll('button:not([type]), [type="submit"]'),
			    function (b) { b.disabled = on; });
		}

		async function run(submitter) {
			var cer = field('cer'), key = field('key'), pass = field('password'), nonce = field(nonceName);
			var cf = cer && cer.files && cer.files[0], kf = key && key.files && key.files[0];
			if (!nonce) {
				say('internal', true);	// the page lacks the challenge: nothing to sign
				return;
			}
			if (!cf || !kf || !pass || !pass.value) {
				say('missing', true);
				return;
			}
			setBusy(true);
			var pkcs8 = null;
			try {
				say('reading');
				// Both files are ~2 KB; anything huge is a wrong pick, not worth reading.
				if (cf.size > 65536)
					throw fail('cert');
				if (kf.size > 65536)
					throw fail('key');
				var bufs = await Promise.all([readFile(cf), readFile(kf)]);
				certSpki(bufs[0]);	// a wrong .cer is reported before the password is tried
				say('decrypting');
				pkcs8 = await decryptKey(bufs[1], pass.value);
				say('signing');
				var sig = await signNonce(pkcs8, nonce.value, bufs[0]);
				say('sending');
				// The secrets leave the form data set: cleared, and disabled so that not
				// even an empty part is sent (the server must not take this for the no-JS path).
				pass.value = '';
				key.value = '';
				pass.disabled = key.disabled = true;
				hidden(form, 'signature', sig);
				hidden(form, 'mode', 'js');
				if (submitter && submitter.name)	// submit() does not send the clicked button
					hidden(form, submitter.name, submitter.value);
				// The prototype's submit: an input named "submit" would shadow form.submit.
				HTMLFormElement.prototype.submit.call(form);
			} catch (e) {
				restore();
				say(ours(e) ? e.code : 'internal', true);
				if (ours(e) && e.code === 'password' && pass.focus) {
					pass.focus();
					pass.select();
				}
			} finally {
				if (pkcs8)
					new Uint8Array(pkcs8).fill(0);
			}
		}

		form.addEventListener('submit', function (ev) {
			ev.preventDefault();
			if (!busy)
				run(ev.submitter);
		});

		// Back/forward cache: hand the page back usable rather than stuck "busy". Its
		// nonce is spent, so the server refuses a second use; that is its call to explain.
		window.addEventListener('pageshow', function (ev) {
			if (ev.persisted) {
				restore();
				say('');
			}
		});
	}

	function init() {
		Array.prototype.forEach.call(document.querySelectorAll('form[data-efirma="sign"]'), attach);
	}

	// WebCrypto exists only in secure contexts (HTTPS, localhost): elsewhere, and in
	// old browsers, no handler is attached and the form posts to the no-JS path.
	if (window.crypto && window.crypto.subtle && window.TextEncoder && window.Promise) {
		if (document.readyState === 'loading')
			document.addEventListener('DOMContentLoaded', init);
		else
			init();
	}
})();
