// browser_schedule.mjs: a scheduled meeting made with the keyboard alone, in headless Chromium
// with JavaScript off, driven over the DevTools protocol (cdp.mjs). Used by
// t19_browser_schedule.sh, which reads the TAP lines it prints (no plan line) and checks the
// rest (the database, the invitee's list).
//
// The person is signed in already: the cookies of a curl sign-in (lib.sh's signin) are put in
// the browser. From /reuniones/nueva on, everything is key presses (Input.dispatchKeyEvent;
// Input.insertText for the words typed into text fields): Tab and Shift+Tab move, the skip link
// is followed with Enter, the date and time are typed segment by segment, the zone is chosen by
// typing its name on the <select>, Enter makes the new lines in the textareas and presses the
// button. No mouse event, no value set through the DOM.
//
// Where focus is, with no script to ask document.activeElement: the accessibility tree
// (Accessibility.getFullAXTree, the node with the "focused" property), mapped to its form control
// through the DOM (DOM.getDocument with pierce, so that the parts of a date input, which live in
// its user-agent shadow root, lead back to the <input>).
//
// The date and time fields follow the page's language (html lang="es-MX") because Chromium is
// started with LangAttributeAwareFormControlUI: what a Mexican user's browser shows (day, month,
// year). Debian's chromium ships only the en-US locale, so --lang alone leaves them in the US
// order; the parts are read from the accessibility tree and typed in the order found either way.
//
// Environment:
//   BASE      the instance, e.g. http://127.0.0.1:8081
//   JAR       curl's cookie jar of a signed-in session (Netscape format)
//   WORK      an empty scratch directory (Chromium's profile, chromium.pid)
//   SHOT      where to write the filled form at 360 px
//   NAME      the meeting's name; DATE (YYYY-MM-DD), TIME (HH:MM, 24 h), MINUTES, ZONE, DESC
//   INTERNAL, EXTERNAL   the participants' textareas, lines separated by "|"
//   OUT       a file to write the new meeting's path to (/reuniones/<id>)
//   CHROMIUM  the browser (default chromium)
import fs from 'node:fs';
import path from 'node:path';
import { env, ok, failed, diag, sleep, within, launch, send, killChrome, openTab, loadAfter,
	html, text, press, explain } from './cdp.mjs';

const BASE = env('BASE').replace(/\/$/, '');
// The closed repetition's summary (templates/lang/es.hdf, recur.legend).
const REPEAT = 'Repetir la reunión';
const JAR = env('JAR');
const WORK = env('WORK');
const SHOT = env('SHOT');
const NAME = env('NAME');
const [YEAR, MONTH, DAY] = env('DATE').split('-');
const [HOUR, MINUTE] = env('TIME').split(':');
const MINUTES = env('MINUTES');
const DESC = env('DESC');
const ZONE = env('ZONE');
const INTERNAL = env('INTERNAL').split('|');
const EXTERNAL = env('EXTERNAL').split('|');
const OUT = env('OUT');
const CHROMIUM = env('CHROMIUM', 'chromium');

/* ---- Where focus is ---- */
// One pierced document per page (user-agent shadow roots included): backend node id -> the
// nearest element with an id, in the light DOM (the form control a part belongs to).
async function controls(t) {
	if (t.owner && t.root && t.ownerRoot === t.root) return t.owner;
	t.root = (await t.s('DOM.getDocument', { depth: -1, pierce: true })).root;
	const owner = new Map();
	const walk = (n, host, shadow) => {	// inside a shadow root, the host stays what it was
		let h = host;
		const a = n.attributes || [];
		const i = a.indexOf('id');
		if (!shadow && n.nodeType === 1 && i >= 0 && i % 2 === 0) h = { id: a[i + 1], tag: n.nodeName.toLowerCase(), nodeId: n.nodeId };
		owner.set(n.backendNodeId, { host: h, self: n });
		for (const c of n.children || []) walk(c, h, shadow);
		for (const c of n.shadowRoots || []) walk(c, h, true);
	};
	walk(t.root, null, false);
	t.owner = owner;
	t.ownerRoot = t.root;
	return owner;
}
const prop = (n, k) => n.properties?.find((p) => p.name === k)?.value?.value;
// The focused thing: {id of its control (or the element itself), tag, role, name, value}.
async function focus(t) {
	const owner = await controls(t);
	const { nodes } = await t.s('Accessibility.getFullAXTree');
	const f = nodes.filter((n) => !n.ignored && prop(n, 'focused') && n.role?.value !== 'RootWebArea');
	const n = f[f.length - 1];
	if (!n) return { id: null, role: 'none', name: '', desc: '(nothing focused)' };
	const o = owner.get(n.backendDOMNodeId);
	const self = o?.self;
	const selfId = self && (self.attributes || []).indexOf('id') >= 0 ? self.attributes[self.attributes.indexOf('id') + 1] : null;
	const r = { id: o?.host?.id ?? null, tag: o?.host?.tag, self: selfId, role: n.role?.value, name: n.name?.value ?? '',
		value: n.value?.value, text: self && self.nodeName === '#text' ? self.nodeValue : null };
	r.desc = `${r.role} "${r.name}"${r.id ? ` in #${r.id}` : ''}`;
	return r;
}
// The accessibility nodes under a control (its own node first), in document order.
async function axOf(t, id) {
	const owner = await controls(t);
	const { nodes } = await t.s('Accessibility.getFullAXTree');
	return nodes.filter((n) => !n.ignored && owner.get(n.backendDOMNodeId)?.host?.id === id);
}
async function parts(t, id) {
	return (await axOf(t, id)).filter((n) => n.role?.value === 'spinbutton');
}

/* ---- The keyboard ---- */
const stops = [];	// every Tab stop, in order
async function tab(t, shift = false) {
	await press(t, 'Tab', { shift });
	const f = await focus(t);
	stops.push({ ...f, shift });
	return f;
}
const typeText = (t, s) => t.s('Input.insertText', { text: s });
async function typeKeys(t, s) { for (const ch of s) await press(t, ch); }

// Which part of a date or time input a spin button is, from its accessible name (Chromium's
// own strings: English here, Spanish with a Spanish build).
function partKind(name) {
	const s = name.toLowerCase();
	if (/^(day|día)/.test(s)) return 'day';
	if (/^(month|mes)/.test(s)) return 'month';
	if (/^(year|año)/.test(s)) return 'year';
	if (/^(hour|hora)/.test(s)) return 'hour';
	if (/^(minute|minuto)/.test(s)) return 'minute';
	if (/(am|a\.\s?m\.)/.test(s)) return 'ampm';
	return '?' + name;
}

// Type into a date or time input starting at its first part, as its parts come; a part whose
// value is complete moves focus on by itself, otherwise Tab does. Returns the parts' order.
async function fillParts(t, id, want) {
	const order = [];
	for (let i = 0; i < 4; i++) {
		const f = await focus(t);
		if (f.id !== id || f.role !== 'spinbutton') break;
		const k = partKind(f.name);
		order.push(k);
		if (!(k in want)) throw new Error(`#${id} has a part "${f.name}" this test does not know`);
		await typeKeys(t, want[k]);
		const g = await focus(t);
		if (g.id === id && g.role === 'spinbutton' && g.name === f.name) await tab(t);
	}
	return order;
}

/* ---- Cookies from curl's jar ---- */
async function cookies(t) {
	let n = 0;
	for (const l of fs.readFileSync(JAR, 'utf8').split('\n')) {
		const httpOnly = l.startsWith('#HttpOnly_');
		if (!httpOnly && (l.startsWith('#') || !l.trim())) continue;
		const f = l.replace(/^#HttpOnly_/, '').split('\t');
		if (f.length !== 7) continue;
		const c = { name: f[5], value: f[6], url: BASE + f[2], httpOnly, secure: f[3] === 'TRUE' };
		if (f[4] !== '0') c.expires = Number(f[4]);
		const { success } = await t.s('Network.setCookie', c);
		if (success) n++;
	}
	return n;
}

/* ---- The form at 360 px ---- */
async function phoneShot(t) {
	await t.s('Emulation.setDeviceMetricsOverride', { width: 360, height: 780, deviceScaleFactor: 1, mobile: true });
	await sleep(300);	// a frame for the new layout
	const m = await t.s('Page.getLayoutMetrics');
	const w = Math.ceil(m.cssContentSize.width), h = Math.ceil(m.cssContentSize.height);
	ok(w <= 360, `at 360 px the form fits the width (content ${w} px wide)`);
	const { data } = await t.s('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true,
		clip: { x: 0, y: 0, width: 360, height: Math.max(h, 1), scale: 1 } });
	fs.mkdirSync(path.dirname(SHOT), { recursive: true });
	fs.writeFileSync(SHOT, Buffer.from(data, 'base64'));
	const png = fs.readFileSync(SHOT);
	ok(png.length > 1000 && png.readUInt32BE(16) === 360, `screenshot of the filled form at 360 px in ${path.basename(SHOT)} (${png.length} bytes)`);
	await t.s('Emulation.clearDeviceMetricsOverride');
	await sleep(100);
}

/* ---- The person ---- */
async function schedule() {
	const t = await openTab('keyboard');
	await t.s('Emulation.setScriptExecutionDisabled', { value: true });
	await t.s('Accessibility.enable');
	const nc = await cookies(t);
	ok(nc >= 1, `the signed-in session's cookies are in the browser (${nc})`);

	let u = await loadAfter(t, 'the new-meeting page', () => t.s('Page.navigate', { url: BASE + '/reuniones/nueva' }));
	ok(u.pathname === '/reuniones/nueva', `the new-meeting page opens signed in (${u.pathname})`) || await explain(t);
	if (u.pathname !== '/reuniones/nueva') return null;

	// Labels: every control of the scheduled form has its label's text as its accessible name.
	const LABELS = { nombre: 'Nombre de la reunión', fecha: 'Fecha', hora: 'Hora', duracion: 'Duración (minutos)',
		zona: 'Zona horaria', descripcion: 'Descripción (opcional)', internos: 'Participantes de la institución',
		externos: 'Invitados externos (hasta 10)' };
	const unnamed = [];
	for (const [id, label] of Object.entries(LABELS)) {
		const own = (await axOf(t, id))[0];
		if (!own || own.name?.value !== label) unnamed.push(`#${id}: "${own?.name?.value ?? '(no node)'}", want "${label}"`);
	}
	ok(unnamed.length === 0, 'every field of the scheduled form is named by its <label>', unnamed.join('\n'));

	// From the top: the first Tab is the skip link; Enter follows it to <main>.
	let f = await tab(t);
	ok(f.role === 'link' && /contenido/i.test(f.name), `the first Tab lands on the skip link (${f.desc})`);
	await press(t, 'Enter');
	await sleep(100);
	f = await tab(t);
	ok(f.role === 'button' && /Crear y obtener el enlace/.test(f.name),
		`after Enter on it, Tab goes to the first control in the content: the instant meeting's button (${f.desc})`);
	f = await tab(t);
	ok(f.id === 'nombre', `the next Tab is the meeting's name (${f.desc})`);
	await typeText(t, NAME);

	// The date, part by part.
	const dparts = (await parts(t, 'fecha')).map((n) => partKind(n.name?.value ?? ''));
	diag(`the date input's parts: ${dparts.join(', ')}; the time input's: ${(await parts(t, 'hora')).map((n) => partKind(n.name?.value ?? '')).join(', ')}`);
	ok(dparts.join() === 'day,month,year', `the date is shown day, month, year, as in Mexico (${dparts.join(', ')})`);
	f = await tab(t);
	ok(f.id === 'fecha' && f.role === 'spinbutton', `Tab goes on to the date's first part (${f.desc})`);
	const h12 = (await parts(t, 'hora')).some((n) => partKind(n.name?.value ?? '') === 'ampm');
	const hr = Number(HOUR);
	const dorder = await fillParts(t, 'fecha', { day: DAY, month: MONTH, year: YEAR });
	const dvals = (await parts(t, 'fecha')).map((n) => `${partKind(n.name.value)}=${n.value?.value ?? ''}`);
	diag(`typed the date as ${dorder.join(', ')}; the parts now read ${dvals.join(', ')}`);

	// Past the date: its picker button may take a stop of its own; then the time.
	f = await focus(t);
	for (let i = 0; i < 2 && f.id !== 'hora'; i++) f = await tab(t);
	ok(f.id === 'hora' && f.role === 'spinbutton', `Tab goes on from the date to the time (${f.desc})`);
	const torder = await fillParts(t, 'hora', {
		hour: h12 ? String(hr % 12 === 0 ? 12 : hr % 12).padStart(2, '0') : HOUR,
		minute: MINUTE, ampm: hr < 12 ? 'a' : 'p' });
	const tvals = (await parts(t, 'hora')).map((n) => `${partKind(n.name.value)}=${n.value?.value ?? ''}`);
	diag(`typed the time as ${torder.join(', ')}; the parts now read ${tvals.join(', ')}`);

	f = await focus(t);
	for (let i = 0; i < 2 && f.id !== 'duracion'; i++) f = await tab(t);
	ok(f.id === 'duracion', `Tab goes on from the time to the duration (${f.desc})`);
	// Tabbing into a field selects what it holds (the default 60): typing replaces it.
	await typeKeys(t, MINUTES);
	const dur = (await axOf(t, 'duracion'))[0]?.value?.value;
	ok(String(dur) === MINUTES, `the duration reads ${MINUTES} (the default replaced by typing: ${dur})`);

	f = await tab(t);
	ok(f.id === 'zona' && f.role === 'combobox', `Tab goes to the time zone (${f.desc})`);
	const zone0 = (await axOf(t, 'zona'))[0]?.value?.value;
	await typeKeys(t, ZONE);	// type-ahead on a closed <select>: no list opens, the option is chosen
	await sleep(100);
	const zone1 = (await axOf(t, 'zona'))[0]?.value?.value;
	ok(zone1 === ZONE, `typing "${ZONE}" on the zone chooses it (was ${zone0}, now ${zone1})`);

	f = await tab(t);
	ok(f.id === 'descripcion', `Tab goes to the description (${f.desc})`);
	await typeText(t, DESC);
	f = await tab(t);
	ok(f.id === 'internos', `Tab goes to the internal participants (${f.desc})`);
	for (const [i, l] of INTERNAL.entries()) {
		if (i) await press(t, 'Enter');	// a new line in the textarea, not a submission
		await typeText(t, l);
	}
	f = await tab(t);
	ok(f.id === 'externos', `Tab goes to the external guests (${f.desc})`);
	for (const [i, l] of EXTERNAL.entries()) {
		if (i) await press(t, 'Enter');
		await typeText(t, l);
	}
	const inv = (await axOf(t, 'internos'))[0]?.value?.value, ext = (await axOf(t, 'externos'))[0]?.value?.value;
	ok(inv === INTERNAL.join('\n') && ext === EXTERNAL.join('\n'), 'Enter made new lines in both textareas: each holds its two lines',
		`internos: ${JSON.stringify(inv)}\nexternos: ${JSON.stringify(ext)}`);
	// The repetition is a closed <details>: its summary is one stop, its fields none.
	f = await tab(t);
	ok(f.name === REPEAT, `Tab goes to the closed "${REPEAT}" (${f.desc})`);
	f = await tab(t);
	ok(f.role === 'button' && f.name === 'Programar', `Tab goes to the "Programar" button (${f.desc})`);

	// Shift+Tab goes back the same way, and Tab returns.
	f = await tab(t, true);
	const back = f.name;
	f = await tab(t);
	ok(back === REPEAT && f.role === 'button' && f.name === 'Programar',
		`Shift+Tab goes back to the repetition and Tab returns to the button (${back}, ${f.desc})`);

	// Every stop on the way, in order: the form's controls one after another, each control's
	// parts (and the date and time pickers' own buttons) together.
	// A stop is named by its form control, or by its role and name when it is not one.
	const key = (x) => (['input', 'select', 'textarea'].includes(x.tag) ? `#${x.id}` : `${x.role} "${x.name}"`);
	const seq = [];
	// The repetition's summary is named by its text (its role differs between Chromium versions).
	const stop = (x) => (x.name === REPEAT ? REPEAT : key(x));
	for (const x of stops) if (!x.shift && seq[seq.length - 1] !== stop(x)) seq.push(stop(x));
	diag(`Tab stops: ${stops.map((x) => (x.shift ? 'Shift+Tab → ' : '') + x.desc).join(' · ')}`);
	const want = ['link "Ir al contenido"', 'button "Crear y obtener el enlace"', '#nombre', '#fecha', '#hora', '#duracion',
		'#zona', '#descripcion', '#internos', '#externos', REPEAT, 'button "Programar"'];
	ok(seq.join() === want.join(), 'each Tab went on to the next control: skip link, instant button, name, date, time, ' +
		'duration, zone, description, internal, external, the repetition (closed), "Programar" (no stop elsewhere)',
		`went: ${seq.join(' → ')}`);

	try {
		await phoneShot(t);
	} catch (e) {
		ok(false, 'screenshot of the form at 360 px', e.message);
	}
	f = await focus(t);
	ok(f.role === 'button' && f.name === 'Programar', `after the screenshot, focus is still on "Programar" (${f.desc})`);

	// Enter on the button sends the form.
	u = await loadAfter(t, "the meeting's page", () => press(t, 'Enter'));
	ok(/^\/reuniones\/\d+$/.test(u.pathname), `Enter on "Programar" sends the form and lands on the meeting's page (${u.pathname})`)
		|| await explain(t);
	if (!/^\/reuniones\/\d+$/.test(u.pathname)) return null;
	fs.writeFileSync(OUT, u.pathname + '\n');
	const posts = t.reqs.filter((r) => r.method === 'POST');
	ok(posts.length === 1 && posts[0].url === BASE + '/reuniones/nueva',
		`one POST, to /reuniones/nueva (${posts.map((r) => r.url).join(', ')})`);
	const body = new URLSearchParams(posts[0]?.postData ?? '');
	const sent = { nombre: NAME, fecha: `${YEAR}-${MONTH}-${DAY}`, hora: `${HOUR}:${MINUTE}`, duracion: MINUTES, zona: ZONE,
		descripcion: DESC, internos: INTERNAL.join('\r\n'), externos: EXTERNAL.join('\r\n'), tipo: 'programada' };
	const wrong = Object.entries(sent).filter(([k, v]) => body.get(k) !== v).map(([k, v]) => `${k}: sent ${JSON.stringify(body.get(k))}, want ${JSON.stringify(v)}`);
	ok(wrong.length === 0, 'the browser sent what was typed (name, ISO date, 24-hour time, minutes, zone, description, both lists)', wrong.join('\n'));

	const h = text(await html(t));
	ok(h.includes(NAME), `the meeting's page shows its name (${NAME})`);
	ok(h.includes(`${YEAR}-${MONTH}-${DAY} ${HOUR}:${MINUTE} (${ZONE})`), `and its start, ${YEAR}-${MONTH}-${DAY} ${HOUR}:${MINUTE} (${ZONE})`);
	const ppl = ['Juan Pérez López — moderador', ...EXTERNAL.map((e) => e.replace(/,.*/, ''))];
	const missing = ppl.filter((p) => !h.includes(p));
	ok(missing.length === 0, 'and its people: the moderator from the directory and both guests', missing.join('\n'));

	// demo1's upcoming meetings list it: on some page of "Agendadas" (earlier suites leave many
	// meetings before it, so the pages are followed by their "Siguientes" link).
	const id = u.pathname.split('/').pop();
	const esc = (x) => x.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
	const row = `<a href="/reuniones/${id}">${esc(NAME)}</a>`;
	let next = BASE + '/reuniones?vista=agendadas', page = 0, found = 0, cur = null;
	while (next && page < 20 && !found) {
		page++;
		u = await loadAfter(t, `"Agendadas", page ${page}`, () => t.s('Page.navigate', { url: next }));
		const lh = await html(t);
		if (page === 1) cur = /<a [^>]*aria-current="page"[^>]*>([^<]*)<\/a>/.exec(lh);
		if (u.pathname === '/reuniones' && lh.includes(row)) found = page;
		const m = /<a href="(\/reuniones\?vista=agendadas&amp;[^"]*)">Siguientes<\/a>/.exec(lh);
		next = m ? BASE + m[1].replace(/&amp;/g, '&') : null;
	}
	ok(found, `"Agendadas" lists it, with a link to /reuniones/${id} (on page ${found || 'none'} of those followed)`);
	ok(cur && cur[1] === 'Agendadas', `with "Agendadas" marked as the current list (${cur ? cur[1] : 'none'})`);

	// And its filter, used with the keyboard: Tab to "Nombre contiene", type, Enter (a GET form
	// sent by the Enter key in a text field, no script), and it is the one row.
	u = await loadAfter(t, 'Agendadas', () => t.s('Page.navigate', { url: BASE + '/reuniones?vista=agendadas' }));
	f = { id: null };
	for (let i = 0; i < 20 && f.id !== 'q'; i++) f = await tab(t);
	ok(f.id === 'q' && f.name === 'Nombre contiene', `Tab reaches the list's "Nombre contiene" field (${f.desc})`);
	await typeText(t, NAME);
	u = await loadAfter(t, 'the filtered list', () => press(t, 'Enter'));
	const fh = await html(t);
	const rows = [...fh.matchAll(/<a href="\/reuniones\/\d+">/g)].length;
	ok(u.searchParams.get('vista') === 'agendadas' && u.searchParams.get('q') === NAME && fh.includes(row) && rows === 1,
		`Enter there filters "Agendadas" by the name: it is the one meeting listed (${rows} rows, ${u.search})`);
	await send('Target.closeTarget', { targetId: t.targetId }).catch(() => {});
	return id;
}

/* ---- Main ---- */
async function main() {
	const log = launch({ work: WORK, chromium: CHROMIUM,
		args: ['--lang=es-MX', '--enable-features=LangAttributeAwareFormControlUI'] });
	try {
		const v = await send('Browser.getVersion');
		diag(`${v.product}, driven over --remote-debugging-pipe, JavaScript off`);
	} catch (e) {
		ok(false, 'Chromium starts and speaks the DevTools protocol', `${e.message}\n${Buffer.concat(log).toString().slice(-2000)}`);
		return;
	}
	try {
		await schedule();
	} catch (e) {
		ok(false, 'a meeting is scheduled with the keyboard alone', e.stack || e.message);
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
