// browser_admin.mjs: every administration page in headless Chromium with JavaScript off, at a
// 360-px phone and at desktop width: the page opens signed in as an administrator, nothing
// makes it wider than the screen (wide tables scroll inside their own box), and a screenshot
// of each is kept for a person to look at. Used by t32_browser_admin.sh, which reads the TAP
// lines it prints (no plan line).
//
// Environment:
//   BASE   the instance, e.g. http://127.0.0.1:8081
//   JAR    curl's cookie jar of an administrator's session (Netscape format)
//   WORK   an empty scratch directory (Chromium's profile, chromium.pid)
//   SHOTS  the directory for the screenshots (admin-<page>-<width>.png)
//   PAGES  space-separated paths to visit
import fs from 'node:fs';
import path from 'node:path';
import { env, ok, failed, diag, sleep, within, launch, send, killChrome, openTab, loadAfter } from './cdp.mjs';

const BASE = env('BASE').replace(/\/$/, '');
const JAR = env('JAR');
const WORK = env('WORK');
const SHOTS = env('SHOTS');
const PAGES = env('PAGES').split(/\s+/).filter(Boolean);
const WIDTHS = [[360, 780, true], [1280, 900, false]];

async function cookies(t) {
	let n = 0;
	for (const l of fs.readFileSync(JAR, 'utf8').split('\n')) {
		const httpOnly = l.startsWith('#HttpOnly_');
		if (!httpOnly && (l.startsWith('#') || !l.trim())) continue;
		const f = l.replace(/^#HttpOnly_/, '').split('\t');
		if (f.length !== 7) continue;
		const c = { name: f[5], value: f[6], url: BASE + f[2], httpOnly, secure: f[3] === 'TRUE' };
		if (f[4] !== '0') c.expires = Number(f[4]);
		if ((await t.s('Network.setCookie', c)).success) n++;
	}
	return n;
}

async function visit(t, p, [width, height, mobile]) {
	await t.s('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile });
	const u = await loadAfter(t, p, () => t.s('Page.navigate', { url: BASE + p }));
	ok(u.pathname === p.split('?')[0], `${p} at ${width} px opens without a redirect (${u.pathname})`);
	await sleep(200);	// a frame for the layout
	const m = await t.s('Page.getLayoutMetrics');
	const w = Math.ceil(m.cssContentSize.width), h = Math.ceil(m.cssContentSize.height);
	ok(w <= width, `${p} at ${width} px: nothing overflows horizontally (content ${w} px wide)`);
	const { data } = await t.s('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true,
		clip: { x: 0, y: 0, width, height: Math.min(Math.max(h, 1), 8000), scale: 1 } });
	const name = p.replace(/^\//, '').replace(/[^a-z0-9]+/gi, '-') || 'admin';
	const file = path.join(SHOTS, `admin-${name}-${width}.png`);
	fs.writeFileSync(file, Buffer.from(data, 'base64'));
	const png = fs.readFileSync(file);
	ok(png.length > 1000 && png.readUInt32BE(16) === width, `screenshot ${path.basename(file)} (${png.length} bytes)`);
}

async function main() {
	const log = launch({ work: WORK, args: ['--lang=es-MX'] });
	try {
		const v = await send('Browser.getVersion');
		diag(`${v.product}, JavaScript off`);
	} catch (e) {
		ok(false, 'Chromium starts and speaks the DevTools protocol', `${e.message}\n${Buffer.concat(log).toString().slice(-2000)}`);
		return;
	}
	const t = await openTab('admin');
	await t.s('Emulation.setScriptExecutionDisabled', { value: true });
	ok(await cookies(t) >= 1, 'the administrator\'s session cookies are in the browser');
	fs.mkdirSync(SHOTS, { recursive: true });
	for (const p of PAGES)
		for (const w of WIDTHS)
			await visit(t, p, w);
}

try {
	await within(main(), 'the whole browser run', 240000);
} catch (e) {
	ok(false, 'the browser run finished', e.stack || e.message);
} finally {
	await killChrome();
}
process.exit(failed() ? 1 : 0);
