// browser_stats.mjs: Tablero and Mi perfil in headless Chromium with JavaScript off, at a
// 360-px phone and a 1280-px desktop: nothing may overflow sideways, and each page is saved
// as a screenshot for a person to look at. Used by t27_browser_stats.sh (TAP lines, no plan).
//
// Environment: BASE (the instance), JAR (curl's cookie jar of a signed-in session), WORK (an
// empty scratch directory), SHOTS (where the PNGs go), CHROMIUM (default chromium).
import fs from 'node:fs';
import path from 'node:path';
import { env, ok, failed, diag, sleep, within, launch, send, killChrome, openTab, loadAfter, html }
	from './cdp.mjs';

const BASE = env('BASE').replace(/\/$/, '');
const JAR = env('JAR');
const WORK = env('WORK');
const SHOTS = env('SHOTS');
const CHROMIUM = env('CHROMIUM', 'chromium');
const PAGES = [
	['tablero', '/tablero?semana=2024-05-01', '/reuniones/900002'],
	['tablero-hoy', '/tablero', 'aria-current="date"'],
	['perfil', '/perfil', 'id="tab-att"'],
	['perfil-anio', '/perfil?por=anio', 'role="img"'],
	['perfil-semana', '/perfil?por=semana', 'id="tab-att"'],
];
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

async function run() {
	const t = await openTab('stats');
	await t.s('Emulation.setScriptExecutionDisabled', { value: true });
	ok(await cookies(t) >= 1, "the signed-in session's cookies are in the browser");
	fs.mkdirSync(SHOTS, { recursive: true });
	for (const [width, height, mobile] of WIDTHS) {
		await t.s('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile });
		for (const [name, url, marker] of PAGES) {
			await loadAfter(t, `${url} at ${width} px`, () => t.s('Page.navigate', { url: BASE + url }));
			await sleep(200);	// a frame for the layout; the check below does not depend on it
			t.root = null;
			const h = await html(t);
			ok(h.includes(marker), `${url} at ${width} px is the page expected (${marker})`);
			// The layout viewport against the content: what scrollWidth <= innerWidth says,
			// read from the layout engine since page scripts are off.
			const m = await t.s('Page.getLayoutMetrics');
			const cw = Math.ceil(m.cssContentSize.width), vw = m.cssLayoutViewport.clientWidth;
			ok(cw <= vw, `${url} at ${width} px: nothing overflows sideways (content ${cw} px, viewport ${vw} px)`);
			const ch = Math.ceil(m.cssContentSize.height);
			const { data } = await t.s('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true,
				clip: { x: 0, y: 0, width: vw, height: Math.max(ch, 1), scale: 1 } });
			const file = path.join(SHOTS, `${name}-${width}.png`);
			fs.writeFileSync(file, Buffer.from(data, 'base64'));
			const png = fs.readFileSync(file);
			ok(png.length > 1000 && png.readUInt32BE(16) === vw, `screenshot ${path.basename(file)} (${png.length} bytes)`);
		}
	}
}

async function main() {
	const log = launch({ work: WORK, chromium: CHROMIUM, args: ['--lang=es-MX'] });
	try {
		const v = await send('Browser.getVersion');
		diag(`${v.product}, JavaScript off`);
	} catch (e) {
		ok(false, 'Chromium starts and speaks the DevTools protocol', `${e.message}\n${Buffer.concat(log).toString().slice(-2000)}`);
		return;
	}
	try {
		await run();
	} catch (e) {
		ok(false, 'Tablero and Mi perfil load in the browser', e.stack || e.message);
	}
}

try {
	await within(main(), 'the whole browser run', 150000);
} catch (e) {
	ok(false, 'the browser run finished', e.stack || e.message);
} finally {
	await killChrome();
}
process.exit(failed() ? 1 : 0);
