// cdp.mjs: what the headless-Chromium tests share (browser_signin.mjs, browser_schedule.mjs).
// Chromium is driven over --remote-debugging-pipe: JSON messages ended by NUL on fds 3/4, so
// Node 20 needs no WebSocket client and no npm package. TAP output ("ok N - …", "# …" for
// diagnostics, no plan line: the shell script around counts the lines).
//
// Importing this module installs handlers that kill Chromium's whole process group on exit,
// on SIGTERM/SIGINT/SIGHUP and on an uncaught error (reported as a failure).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const WAIT = 20000;	// every wait is bounded: a hang is a failure, not a stuck suite
export const POSTMAX = 1 << 20;	// post data CDP puts in its events; longer is read on request

export const env = (k, d) => {
	const v = process.env[k] ?? d;
	if (v === undefined) { console.log(`not ok 1 - environment variable ${k} is missing`); process.exit(2); }
	return v;
};

/* ---- TAP ---- */
let n = 0, nfailed = 0;
export const ok = (cond, desc, why) => {
	n++;
	if (!cond) nfailed++;
	console.log(`${cond ? 'ok' : 'not ok'} ${n} - ${desc}`);
	if (!cond && why)
		for (const l of String(why).split('\n')) console.log('#   ' + l);
	return !!cond;
};
export const failed = () => nfailed;
export const diag = (s) => { for (const l of String(s).split('\n')) console.log('# ' + l); };
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export async function until(what, fn, ms = WAIT) {	// poll fn until it returns a truthy value
	const t0 = Date.now();
	for (;;) {
		const v = await fn();
		if (v) return v;
		if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms / 1000} s waiting for ${what}`);
		await sleep(50);
	}
}
export const within = (p, what, ms = WAIT) => Promise.race([p,
	new Promise((_, rej) => setTimeout(() => rej(new Error(`timed out after ${ms / 1000} s: ${what}`)), ms).unref())]);
export const quiet = () => {};	// a browser killed mid-connection resets its sockets: not a finding

/* ---- Chromium over the pipe ---- */
let chrome = null, msgId = 0, inbuf = Buffer.alloc(0);
const pending = new Map(), handlers = new Set();
// launch({work, chromium, args}): start Chromium in its own process group with its profile in
// WORK/profile and its pid in WORK/chromium.pid; args are added to the usual ones. Returns
// the list its stderr is collected in (the first 200 chunks).
export function launch({ work, chromium = 'chromium', args = [] }) {
	const profile = path.join(work, 'profile');
	fs.mkdirSync(profile, { recursive: true });
	chrome = spawn(chromium, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
		'--disable-background-networking', '--disable-component-update', '--disable-sync',
		`--user-data-dir=${profile}`, '--remote-debugging-pipe', '--accept-lang=es-MX',
		'--hide-scrollbars', '--window-size=1280,900', ...args, 'about:blank'],
	{ detached: true, stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });	// own process group
	fs.writeFileSync(path.join(work, 'chromium.pid'), String(chrome.pid));
	const log = [];
	chrome.stderr.on('data', (d) => { if (log.length < 200) log.push(d); });
	chrome.on('exit', (code, sig) => {
		for (const p of pending.values()) p.rej(new Error(`Chromium exited (${code ?? sig})`));
		pending.clear();
	});
	chrome.stdio[4].on('data', (d) => {
		inbuf = Buffer.concat([inbuf, d]);
		let i;
		while ((i = inbuf.indexOf(0)) >= 0) {
			const m = JSON.parse(inbuf.subarray(0, i).toString('utf8'));
			inbuf = inbuf.subarray(i + 1);
			if (m.id !== undefined && pending.has(m.id)) {
				const p = pending.get(m.id);
				pending.delete(m.id);
				if (m.error) p.rej(new Error(`${p.method}: ${m.error.message}`)); else p.res(m.result);
			} else {
				for (const h of handlers) h(m);
			}
		}
	});
	for (const fd of [2, 3, 4]) chrome.stdio[fd].on('error', quiet);
	return log;
}
export function send(method, params = {}, sessionId) {
	if (!chrome) return Promise.reject(new Error(`${method}: Chromium is not running`));
	return within(new Promise((res, rej) => {
		const m = { id: ++msgId, method, params };
		if (sessionId) m.sessionId = sessionId;
		pending.set(m.id, { res, rej, method });
		chrome.stdio[3].write(JSON.stringify(m) + '\0');
	}), `Chromium did not answer ${method}`);
}
// Kill Chromium's whole process group; resolves when the browser process has been reaped.
export function killChrome() {
	if (!chrome) return Promise.resolve();
	const c = chrome;
	chrome = null;
	const gone = c.exitCode !== null || c.signalCode !== null ? Promise.resolve()
		: new Promise((r) => c.once('exit', r));
	try { process.kill(-c.pid, 'SIGKILL'); } catch { /* gone */ }
	return within(gone, 'Chromium to exit', 5000).catch(() => {});
}
process.on('uncaughtException', (e) => {	// reported as a failure, never a hang or a silent crash
	ok(false, 'the browser driver has no uncaught error', e.stack || e.message);
	killChrome();
	process.exit(1);
});
for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP'])
	process.on(s, () => { killChrome(); process.exit(1); });
process.on('exit', killChrome);

/* ---- A tab in its own browser context (own cookies), and what a person does in it ---- */
// openTab(name, {intercept}): with intercept, every request waits in the Fetch domain until
// its post data has been read (t.bodies; wait for t.posts before looking).
export async function openTab(name, { intercept = false } = {}) {
	const { browserContextId } = await send('Target.createBrowserContext', { disposeOnDetach: true });
	const { targetId } = await send('Target.createTarget', { url: 'about:blank', browserContextId });
	const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
	const t = { name, sessionId, targetId, browserContextId, reqs: [], extra: [], loads: [], cur: null, frameId: null,
		posts: [], bodies: [], console: [] };
	t.s = (method, params) => send(method, params, sessionId);
	handlers.add((m) => {
		if (m.sessionId !== sessionId) return;
		const p = m.params;
		switch (m.method) {
		case 'Network.requestWillBeSent': {
			const r = { id: p.requestId, method: p.request.method, url: p.request.url, headers: p.request.headers,
				postData: p.request.postData, hasPostData: !!p.request.hasPostData, type: p.type };
			t.reqs.push(r);
			break;
		}
		case 'Fetch.requestPaused': {
			// Every request waits here until its body is read: a 303 would otherwise end the
			// request (and reuse its requestId for the next hop) before getRequestPostData.
			const b = { id: p.networkId, url: p.request.url, postData: p.request.postData };
			t.bodies.push(b);
			const go = () => t.s('Fetch.continueRequest', { requestId: p.requestId }).catch(() => {});
			if (p.request.hasPostData && (b.postData === undefined || b.postData.length >= POSTMAX))
				t.posts.push(t.s('Network.getRequestPostData', { requestId: p.networkId })
					.then((x) => { b.postData = x.postData; }, (e) => { b.error = e.message; }).then(go));
			else
				t.posts.push(go());
			break;
		}
		case 'Network.requestWillBeSentExtraInfo':
			t.extra.push({ id: p.requestId, headers: p.headers });
			break;
		case 'Page.frameNavigated':
			if (!p.frame.parentId) {
				t.root = null;
				t.frameId = p.frame.id;
				t.cur = { loaderId: p.frame.loaderId, url: p.frame.url };
			}
			break;
		case 'DOM.documentUpdated':
			t.root = null;
			break;
		case 'Page.lifecycleEvent':
			if (p.name === 'load' && t.cur && p.loaderId === t.cur.loaderId && p.frameId === t.frameId)
				t.loads.push(t.cur.url);
			break;
		case 'Log.entryAdded':
			t.console.push(`${p.entry.level} ${p.entry.source}: ${p.entry.text} (${p.entry.url || ''})`);
			break;
		case 'Runtime.consoleAPICalled':
			t.console.push(`console.${p.type}: ${p.args.map((a) => a.value ?? a.description ?? '').join(' ')}`);
			break;
		case 'Runtime.exceptionThrown':
			t.console.push(`exception: ${p.exceptionDetails.exception?.description ?? p.exceptionDetails.text}`);
			break;
		}
	});
	await t.s('Page.enable');
	await t.s('Page.setLifecycleEventsEnabled', { enabled: true });
	await t.s('Network.enable', { maxPostDataSize: POSTMAX });
	if (intercept) await t.s('Fetch.enable', { patterns: [{ urlPattern: '*', requestStage: 'Request' }] });
	await t.s('DOM.enable');
	await t.s('Log.enable');
	await t.s('Runtime.enable');
	return t;
}

// Run act() and wait for the next document to finish loading; returns its URL.
export async function loadAfter(t, what, act) {
	const before = t.loads.length;
	await act();
	try {
		await until(what, () => t.loads.length > before);
	} catch (e) {
		await explain(t);
		throw e;
	}
	return new URL(t.loads[t.loads.length - 1]);
}
// Node ids live until the next DOM.getDocument: one document per page, fetched once.
export async function doc(t) {
	if (!t.root) t.root = (await t.s('DOM.getDocument', { depth: -1 })).root;
	return t.root;
}
export async function q(t, sel) {
	const root = await doc(t);
	const { nodeId } = await t.s('DOM.querySelector', { nodeId: root.nodeId, selector: sel });
	return nodeId || null;
}
export async function html(t) {
	const root = await doc(t);
	return (await t.s('DOM.getOuterHTML', { nodeId: root.nodeId })).outerHTML;
}
export const text = (h) => h.replace(/<script[\s\S]*?<\/script>/g, ' ').replace(/<[^>]*>/g, ' ')
	.replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/\s+/g, ' ').trim();
// The link or button whose visible text is exactly this.
export async function byText(t, tag, label) {
	await doc(t);
	const { searchId, resultCount } = await t.s('DOM.performSearch',
		{ query: `//${tag}[normalize-space(.)="${label}"]` });
	try {
		if (!resultCount) return null;
		const { nodeIds } = await t.s('DOM.getSearchResults', { searchId, fromIndex: 0, toIndex: resultCount });
		return nodeIds.find((x) => x) || null;
	} finally {
		await t.s('DOM.discardSearchResults', { searchId });
	}
}
export async function click(t, nodeId) {
	await t.s('DOM.scrollIntoViewIfNeeded', { nodeId });
	const { model } = await t.s('DOM.getBoxModel', { nodeId });
	const c = model.border;
	const x = (c[0] + c[2] + c[4] + c[6]) / 4, y = (c[1] + c[3] + c[5] + c[7]) / 4;
	await t.s('Input.dispatchMouseEvent', { type: 'mouseMoved', x, y });
	await t.s('Input.dispatchMouseEvent', { type: 'mousePressed', x, y, button: 'left', clickCount: 1 });
	await t.s('Input.dispatchMouseEvent', { type: 'mouseReleased', x, y, button: 'left', clickCount: 1 });
}
// Focus a node and type into it, one key at a time.
export async function type(t, nodeId, s) {
	await t.s('DOM.focus', { nodeId });
	await keys(t, s);
}

/* ---- The keyboard alone ---- */
// Named keys as Input.dispatchKeyEvent wants them (key, code, Windows virtual key code).
const NAMED = {
	Tab: { code: 'Tab', keyCode: 9 }, Enter: { code: 'Enter', keyCode: 13, text: '\r' },
	' ': { code: 'Space', keyCode: 32, text: ' ' }, Escape: { code: 'Escape', keyCode: 27 },
	Backspace: { code: 'Backspace', keyCode: 8 },
	ArrowDown: { code: 'ArrowDown', keyCode: 40 }, ArrowUp: { code: 'ArrowUp', keyCode: 38 },
	ArrowLeft: { code: 'ArrowLeft', keyCode: 37 }, ArrowRight: { code: 'ArrowRight', keyCode: 39 },
	Home: { code: 'Home', keyCode: 36 }, End: { code: 'End', keyCode: 35 },
};
// press(t, key, {shift}): one key down and up, as a keyboard sends it (named or a character).
export async function press(t, key, { shift = false } = {}) {
	const modifiers = shift ? 8 : 0;
	const k = NAMED[key];
	let down;
	if (k) {
		down = { key, code: k.code, windowsVirtualKeyCode: k.keyCode, nativeVirtualKeyCode: k.keyCode, modifiers };
		if (k.text) Object.assign(down, { text: k.text, unmodifiedText: k.text });
	} else {
		const up = key.toUpperCase(), vk = /^[0-9A-Z]$/.test(up) ? up.charCodeAt(0) : 0;
		down = { key, text: key, unmodifiedText: key, modifiers };
		if (vk) Object.assign(down, { code: /[0-9]/.test(key) ? `Digit${key}` : `Key${up}`,
			windowsVirtualKeyCode: vk, nativeVirtualKeyCode: vk });
	}
	await t.s('Input.dispatchKeyEvent', { type: down.text ? 'keyDown' : 'rawKeyDown', ...down });
	const { text: _t, unmodifiedText: _u, ...upEv } = down;
	await t.s('Input.dispatchKeyEvent', { type: 'keyUp', ...upEv });
}
// keys(t, s): type a string key by key ("\n" is the Enter key).
export async function keys(t, s) {
	for (const ch of s) await press(t, ch === '\n' ? 'Enter' : ch);
}

// What the page says when something went wrong: its URL, error and status lines.
export async function explain(t) {
	try {
		const { frameTree } = await t.s('Page.getFrameTree');
		diag(`page: ${frameTree.frame.url}`);
		const h = await html(t);
		for (const m of h.matchAll(/<(p|h1|div)[^>]*class="[^"]*(error|efirma-status)[^"]*"[^>]*>([\s\S]*?)<\/\1>|<h1[^>]*>([\s\S]*?)<\/h1>/g))
			diag(`says: ${text(m[3] ?? m[4])}`);
	} catch (e) {
		diag(`(could not read the page: ${e.message})`);
	}
}
