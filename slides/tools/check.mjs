// check.mjs: open every deck in headless Chromium, the way a person would, and
// fail on what a person would notice.
//
//   node tools/check.mjs [--pdf-only] [--expect FILE] OUTDIR DECK.html...
//
// For each deck: walks it with the arrow key (keyboard navigation), takes a
// screenshot of every slide (OUTDIR/NAME/slide-NN.png), writes a contact sheet
// (OUTDIR/NAME.png: every slide as a thumbnail) and prints the deck to PDF
// (OUTDIR/NAME.pdf: one page per slide), then opens the presenter view and
// checks that it shows the notes. A slide fails on: an image that did
// not load, a console error or uncaught exception, any network request (a
// deck must be self-contained), content spilling out of the slide or out of a
// code block, or no speaker note. Exit status: 0 all passed, 1 a check
// failed, 2 Chromium could not be started. With --expect FILE the check is
// turned on itself: every line of FILE must show up in a failure (exit 0),
// which proves on a deliberately bad deck that each check can fail.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const W = 1280;
const H = 720;
// The smallest text a room can read off a 1280x720 slide, in CSS pixels.
const MIN_PX = 14;
// Loading a deck takes well under a second; a machine shared by many jobs
// can take far longer, and that is no fault of the deck.
const PAGE_TIMEOUT_MS = 180000;
const FLAGS = [
	'--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
	'--disable-background-networking', '--disable-component-update',
	'--disable-sync', '--disable-dev-shm-usage',
];

// What a person would see wrong on slide i (0-based) of the open deck.
function inspectSlide(i, minPx) {
	const svg = document.querySelectorAll('svg[data-marpit-svg]')[i];
	const sec = svg.querySelector('section');
	const bad = [];
	const over = (el) => el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1;
	if (over(sec))
		bad.push(`content overflows the slide (${sec.scrollWidth}x${sec.scrollHeight} in ${sec.clientWidth}x${sec.clientHeight})`);
	sec.querySelectorAll('pre').forEach((pre) => {
		if (pre.scrollWidth > pre.clientWidth + 1)
			bad.push(`a code line is cut off: "${pre.textContent.split('\n').reduce((a, b) => (b.length > a.length ? b : a)).slice(0, 60)}..."`);
	});
	const box = sec.getBoundingClientRect();
	sec.querySelectorAll('img, pre, table, p, li, h1, h2, h3').forEach((el) => {
		const r = el.getBoundingClientRect();
		if (r.width && (r.bottom > box.bottom + 1 || r.right > box.right + 1))
			bad.push(`<${el.tagName.toLowerCase()}> runs off the slide`);
	});
	sec.querySelectorAll('img').forEach((img) => {
		if (!img.complete || img.naturalWidth === 0) bad.push(`image did not load: ${img.alt || img.src.slice(0, 40)}`);
	});
	// Text too small to read: the slide's own, and the text inside pictures
	// (Graphviz's SVG, inlined as data: URIs) at the size they are drawn, in
	// the slide's own pixels (1280 to its width, whatever the window).
	const scale = sec.getBoundingClientRect().width / sec.offsetWidth;
	const walk = document.createTreeWalker(sec, NodeFilter.SHOW_TEXT);
	for (let t = walk.nextNode(); t; t = walk.nextNode()) {
		const el = t.parentElement;
		if (!t.textContent.trim() || !el.getClientRects().length) continue;
		const px = parseFloat(getComputedStyle(el).fontSize);
		if (px < minPx - 0.05) {
			bad.push(`text smaller than ${minPx} px: ${px.toFixed(1)} px "${t.textContent.trim().slice(0, 30)}"`);
			break;
		}
	}
	sec.querySelectorAll('img[src^="data:image/svg+xml"]').forEach((img) => {
		const b64 = img.src.split(',')[1];
		const svgDoc = new DOMParser().parseFromString(atob(b64), 'image/svg+xml');
		const root = svgDoc.documentElement;
		const vb = (root.getAttribute('viewBox') || '').split(/[\s,]+/).map(Number);
		const unitsWide = vb.length === 4 ? vb[2] : parseFloat(root.getAttribute('width'));
		const k = img.getBoundingClientRect().width / scale / unitsWide;
		let min = Infinity;
		let which = '';
		svgDoc.querySelectorAll('text').forEach((tx) => {
			const fs = parseFloat(tx.getAttribute('font-size') || '14');
			if (tx.textContent.trim() && fs * k < min) { min = fs * k; which = tx.textContent.trim(); }
		});
		if (min < minPx - 0.05)
			bad.push(`text smaller than ${minPx} px in a picture: ${min.toFixed(1)} px "${which.slice(0, 30)}" in ${img.alt.slice(0, 40)}`);
		const serif = [...atob(b64).matchAll(/font-family="([^"]*)"/g)].map((m) => m[1])
			.find((f) => /(^|,)\s*(Times|serif)\b/i.test(f));
		if (serif) bad.push(`a serif font (${serif}) in a picture: ${img.alt.slice(0, 40)}`);
	});
	// A live block holds what its program printed, and nothing else; it
	// agrees with what the slide says of it (data-expect) and ended as the
	// slide means it to (data-want-exit).
	sec.querySelectorAll('.live').forEach((live) => {
		const text = live.textContent;
		const cmd = live.dataset.cmd || '?';
		const noise = text.match(/^.*(make(\[\d+\])?: (Entering|Leaving) directory|make(\[\d+\])?: \*\*\*|^(cc|gcc|clang) .*-c |^\[\s*INFO\s*\]).*$/m);
		if (noise) bad.push(`build output in a live block (${cmd}): "${noise[0].trim().slice(0, 60)}"`);
		if (live.dataset.exit !== undefined && live.dataset.exit !== (live.dataset.wantExit || '0'))
			bad.push(`a live block ended with status ${live.dataset.exit}, the slide expects ${live.dataset.wantExit || '0'} (${cmd})`);
		if (live.dataset.expect && !new RegExp(live.dataset.expect, 'm').test(text))
			bad.push(`a live value contradicts its slide: ${cmd} does not match /${live.dataset.expect}/`);
	});
	sec.querySelectorAll('.pending').forEach((p) => bad.push(`a "Not here yet" box: ${p.textContent.trim().slice(0, 80)}`));
	const note = document.querySelector(`.bespoke-marp-note[data-index="${i}"]`);
	if (!note || !note.textContent.trim()) bad.push('no speaker note');
	return { bad: [...new Set(bad)], pending: sec.querySelectorAll('.pending').length };
}

function activeIndex() {
	const svgs = [...document.querySelectorAll('svg[data-marpit-svg]')];
	return svgs.findIndex((s) => s.classList.contains('bespoke-marp-active'));
}

async function waitActive(page, i) {
	for (let t = 0; t < 500; t++) {
		if ((await page.evaluate(activeIndex)) === i) return true;
		await new Promise((r) => setTimeout(r, 20));
	}
	return false;
}

function contactSheetHtml(name, shots) {
	const cells = shots.map((f, i) => `<figure><img src="data:image/png;base64,${
		fs.readFileSync(f).toString('base64')}"><figcaption>${i + 1}</figcaption></figure>`).join('');
	return `<!doctype html><style>
body{margin:0;padding:16px;background:#334;font:14px sans-serif;color:#eee}
h1{font-size:18px;margin:0 0 12px}
main{display:grid;grid-template-columns:repeat(4,320px);gap:12px}
figure{margin:0}img{width:320px;height:180px;display:block;outline:1px solid #99a}
figcaption{text-align:center}</style><h1>${name}: ${shots.length} slides</h1><main>${cells}</main>`;
}

// The number of pages in a PDF that Chromium wrote.
function pdfPages(file) {
	return (fs.readFileSync(file, 'latin1').match(/\/Type\s*\/Page\b(?!s)/g) || []).length;
}

// The presenter view (key p, or ?view=presenter) shows the first slide's
// note without errors, and moves on with the arrow key.
async function checkPresenter(browser, name, url) {
	const page = await browser.newPage();
	page.setDefaultTimeout(PAGE_TIMEOUT_MS);
	const bad = [];
	await page.setViewport({ width: W, height: H });
	page.on('console', (m) => { if (m.type() === 'error') bad.push(`console error: ${m.text()}`); });
	page.on('pageerror', (e) => bad.push(`uncaught exception: ${e.message}`));
	await page.goto(`${url}?view=presenter`, { waitUntil: 'load' });
	const note = () => document.querySelector('.bespoke-marp-presenter-note-container')?.innerText.trim() || '';
	const first = await page.evaluate(note);
	await page.keyboard.press('ArrowRight');
	// driven by what the page shows, not by a guess at how long it takes
	let second = first;
	for (let t = 0; t < 500 && second === first; t++) {
		await new Promise((r) => setTimeout(r, 20));
		second = await page.evaluate(note);
	}
	if (!first) bad.push('no note shown for the first slide');
	if (!second || second === first) bad.push('the right arrow key did not move to the next note');
	await page.close();
	return { what: `${name} presenter view`, bad, pending: 0 };
}

async function checkDeck(browser, file, outDir, pdfOnly) {
	const name = path.basename(file, '.html');
	const url = pathToFileURL(path.resolve(file)).href;
	const page = await browser.newPage();
	page.setDefaultTimeout(PAGE_TIMEOUT_MS);
	const trouble = [];
	await page.setViewport({ width: W, height: H });
	// Nothing may leave the page: a request for anything but the deck itself
	// or a data: URI is recorded as a failure and blocked.
	await page.setRequestInterception(true);
	page.on('request', (r) => {
		const u = r.url();
		if (u.startsWith('data:') || u.split('#')[0] === url) return r.continue();
		trouble.push(`network request: ${u}`);
		return r.abort('blockedbyclient');
	});
	page.on('console', (m) => {
		// A blocked request logs its own error; it is already reported.
		if (m.type() === 'error' && !/net::ERR_BLOCKED_BY_CLIENT/.test(m.text()))
			trouble.push(`console error: ${m.text()}`);
	});
	page.on('pageerror', (e) => trouble.push(`uncaught exception: ${e.message}`));
	await page.goto(url, { waitUntil: 'load' });
	// The on-screen controls are for a mouse, not for the screenshots.
	await page.addStyleTag({ content: '.bespoke-marp-osc { display: none !important; }' });
	const n = await page.evaluate(() => document.querySelectorAll('svg[data-marpit-svg]').length);
	const results = [];
	fs.mkdirSync(path.join(outDir, name), { recursive: true });
	const shots = [];
	for (let i = 0; !pdfOnly && i < n; i++) {
		const bad = [];
		if (i > 0) {
			await page.keyboard.press('ArrowRight');
			if (!(await waitActive(page, i))) bad.push('the right arrow key did not reach this slide');
		}
		await new Promise((r) => setTimeout(r, 60)); // let the transition settle
		const shot = path.join(outDir, name, `slide-${String(i + 1).padStart(2, '0')}.png`);
		await page.screenshot({ path: shot });
		shots.push(shot);
		const r = await page.evaluate(inspectSlide, i, MIN_PX);
		bad.push(...r.bad, ...trouble.splice(0));
		results.push({ what: `${name} slide ${i + 1}`, bad, pending: r.pending });
	}
	const pdf = path.join(outDir, `${name}.pdf`);
	await page.emulateMediaType('print');
	await page.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true });
	const pages = pdfPages(pdf);
	results.push({ what: `${name} printed`, bad: pages === n ? [] : [`PDF has ${pages} pages for ${n} slides`], pending: 0 });
	await page.close();
	if (!pdfOnly) results.push(await checkPresenter(browser, name, url));
	if (shots.length) {
		const sheet = await browser.newPage();
		await sheet.setViewport({ width: 4 * 320 + 3 * 12 + 32, height: 200 });
		await sheet.setContent(contactSheetHtml(name, shots));
		await sheet.screenshot({ path: path.join(outDir, `${name}.png`), fullPage: true });
		await sheet.close();
	}
	return results;
}

// --expect: each wanted line must be part of some failure.
function expectFailures(file, fails) {
	const want = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
	const missed = want.filter((w) => !fails.some((f) => f.includes(w)));
	for (const m of missed) console.log(`FAIL the check did not catch: ${m}`);
	console.log(`self-check: ${want.length - missed.length} passed, ${missed.length} failed`);
	return missed.length ? 1 : 0;
}

async function main() {
	const args = process.argv.slice(2);
	const pdfOnly = args.includes('--pdf-only');
	const ei = args.indexOf('--expect');
	const expect = ei >= 0 ? args.splice(ei, 2)[1] : null;
	const [outDir, ...decks] = args.filter((a) => !a.startsWith('--'));
	if (!outDir || decks.length === 0) {
		console.error('usage: node tools/check.mjs [--pdf-only] OUTDIR DECK.html...');
		return 2;
	}
	if (!fs.existsSync(CHROMIUM)) {
		console.error(`check: no Chromium at ${CHROMIUM}: run make -C slides deps (or set CHROMIUM=)`);
		return 2;
	}
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'vmlab-slides-'));
	let browser;
	try {
		browser = await puppeteer.launch({
			executablePath: CHROMIUM, headless: true, userDataDir: profile, args: FLAGS,
		});
	} catch (e) {
		console.error(`check: cannot start ${CHROMIUM}: ${e.message.split('\n')[0]}`);
		fs.rmSync(profile, { recursive: true, force: true });
		return 2;
	}
	let passed = 0;
	let failed = 0;
	let pending = 0;
	const fails = [];
	try {
		for (const deck of decks) {
			for (const r of await checkDeck(browser, deck, outDir, pdfOnly)) {
				pending += r.pending;
				if (r.bad.length === 0) { passed++; continue; }
				failed++;
				for (const b of r.bad) fails.push(`${r.what}: ${b}`);
				if (!expect) for (const b of r.bad) console.log(`FAIL ${r.what}: ${b}`);
			}
			const base = `${outDir}/${path.basename(deck, '.html')}`;
			console.log(pdfOnly ? `printed ${base}.pdf` : `checked ${path.basename(deck)}: contact sheet ${base}.png, PDF ${base}.pdf`);
		}
	} finally {
		await browser.close();
		fs.rmSync(profile, { recursive: true, force: true });
	}
	if (expect) return expectFailures(expect, fails);
	if (pending) console.log(`note: ${pending} placeholder(s) for labs not built yet (see make output)`);
	console.log(`slides: ${passed} passed, ${failed} failed`);
	return failed ? 1 : 0;
}

process.exitCode = await main();
