// prep.mjs: turn a deck source (decks/NN-name.md) into the Markdown Marp
// builds (build/md/NN-name.md), filling in what the repository knows now.
//
//   node tools/prep.mjs DECK.md OUT.md [--solutions]
//
// A directive is a line of its own in the deck source:
//   @diagram NAME [width=60%]      build/diagrams/NAME.svg, inlined (data: URI)
//   @code PATH NAME [doc] [max=N]  the C function (or `struct:NAME`) NAME from
//                                  PATH (relative to the repository), as the
//                                  student's handout shows it: each solution
//                                  region becomes its TODO hint and its stub
//                                  (--solutions keeps the reference code)
//   @run [max=N] [skip=N] [small|tiny] [hidden] [env=K=V] [fresh=FILE]
//        [kvm] [exit=N] [expect=REGEX] [stage=NN.S] -- CMD..
//                                  CMD run now from the repository root; its
//                                  output (stdout, then stderr) goes on the
//                                  slide, headed by `$ PROG ARGS`, in a
//                                  <div class="live">: nothing but what CMD
//                                  printed. hidden: run it, show nothing (a
//                                  setup step); env: one more environment
//                                  variable; fresh: delete FILE (under
//                                  slides/build/) first; kvm: CMD needs
//                                  /dev/kvm: where the build machine has no
//                                  usable one (or with SLIDES_LABVM=1) the
//                                  deck's kvm blocks run in one grader/labvm
//                                  boot; exit: the status CMD is meant to end
//                                  with (default 0); expect: what the slide
//                                  says of the output (a JavaScript regular
//                                  expression, no spaces: \s), checked by
//                                  tools/check.mjs; stage: in a handout, the
//                                  stage whose code CMD runs (see stubs.mjs)
//   @livedot NAME [rankdir=TB] [fontsize=N] [height=CSS] -- CMD..
//                                  CMD's Graphviz output, rendered to
//                                  build/live/NAME.svg and inlined, in the
//                                  deck's font, no text under N points
//                                  (default 16), rankdir to turn the graph,
//                                  height: its largest height on the slide
//                                  (the check measures the text as drawn)
//   @stages LABDIR                 the lab's graded stages, from its tests:
//                                  GRADED(...) in tests/*.c and the first
//                                  line of tests/cli/*.run (hidden tests not)
// What is not there yet (a lab not written, a program not built) becomes a
// clearly marked placeholder, so the deck always builds and fills in by itself
// once the lab lands. OUT is written only when it changes.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { missingStages } from './stubs.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const SLIDES = path.resolve(here, '..');
const ROOT = path.resolve(SLIDES, '..');
const BUILD = process.env.SLIDES_BUILD || path.join(SLIDES, 'build');
const RUN_TIMEOUT_MS = 20000;

const pending = [];

function pendingBox(what, next) {
	pending.push(what);
	return `<div class="pending"><b>Not here yet:</b> ${what}<br>${next}</div>`;
}

function escapeHtml(s) {
	return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// Split "a b key=v -- cmd args" into words, options and the command.
function parseArgs(rest) {
	rest = ` ${rest}`; // so that a leading "--" is found too
	const dash = rest.indexOf(' -- ');
	const head = dash < 0 ? rest : rest.slice(0, dash);
	const cmd = dash < 0 ? [] : rest.slice(dash + 4).trim().split(/\s+/);
	const words = [];
	const opts = {};
	for (const w of head.trim().split(/\s+/).filter(Boolean)) {
		const eq = w.indexOf('=');
		if (eq > 0) opts[w.slice(0, eq)] = w.slice(eq + 1);
		else if (['doc', 'small', 'tiny', 'hidden', 'kvm'].includes(w)) opts[w] = true;
		else words.push(w);
	}
	return { words, opts, cmd };
}

function attr(s) {
	return escapeHtml(String(s)).replace(/"/g, '&quot;');
}

function svgImg(file, alt, width, cls = 'diagram', height = '') {
	const b64 = fs.readFileSync(file).toString('base64');
	const css = [width && `width:${width}`, height && `max-height:${height}`].filter(Boolean).join(';');
	const style = css ? ` style="${css}"` : '';
	return `<p class="${cls}"><img alt="${escapeHtml(alt)}"${style} src="data:image/svg+xml;base64,${b64}"></p>`;
}

function diagram(rest) {
	const { words, opts } = parseArgs(rest);
	const file = path.join(BUILD, 'diagrams', `${words[0]}.svg`);
	if (!fs.existsSync(file))
		throw new Error(`@diagram ${words[0]}: ${file} is missing (make diagrams)`);
	return svgImg(file, words[0], opts.width);
}

// The lines of one definition: a function (to the first "}" in column 0), a
// declaration (to its ";"), or struct:NAME (to "};"), with the comment block
// right above it when doc is set.
function extract(lines, name, doc) {
	let start;
	let endRe;
	if (name.startsWith('struct:')) {
		const re = new RegExp(`^struct ${name.slice(7)} \\{`);
		start = lines.findIndex((l) => re.test(l));
		endRe = /^\};/;
	} else {
		const re = new RegExp(`^[A-Za-z_].*\\b${name}\\(`);
		start = lines.findIndex((l) => re.test(l));
		endRe = /^\}/;
	}
	if (start < 0) return null;
	let end = start;
	while (end < lines.length && !endRe.test(lines[end])) {
		if (!name.startsWith('struct:') && /;\s*$/.test(lines[end]) &&
		    !lines.slice(start, end + 1).some((l) => l.includes('{')))
			break; // a prototype
		end++;
	}
	if (doc && start > 0 && /\*\/\s*$/.test(lines[start - 1])) {
		// a one-line comment, or back to the line that opens the block
		while (start > 0 && !/^\/\*/.test(lines[start - 1])) start--;
		start--;
	}
	return lines.slice(start, end + 1);
}

// The handout's view of a solution region: the hint as a TODO, then the stub.
function handoutView(lines) {
	const out = [];
	let state = 'code';
	for (const l of lines) {
		const open = l.match(/^(\s*)\/\* >>> SOLUTION( \d\d\.\d+)?: (.*?)\s*\*\/\s*$/);
		if (state === 'code' && open) {
			out.push(`${open[1]}/* TODO(student)${open[2] || ''}: ${open[3]} */`);
			state = 'solution';
		} else if (state === 'solution' && /^\s*\/\* === STUB\s*$/.test(l)) {
			state = 'stub';
		} else if (state === 'stub' && /^\s*\*\/\s*$/.test(l)) {
			state = 'end';
		} else if (/^\s*\/\* <<< SOLUTION \*\/\s*$/.test(l)) {
			state = 'code';
		} else if (state === 'code' || state === 'stub') {
			out.push(l);
		}
	}
	return out;
}

// The reference view: the markers go, the stub comment goes, the code stays.
function solutionView(lines) {
	const out = [];
	let inStub = false;
	for (const l of lines) {
		if (/^\s*\/\* === STUB\s*$/.test(l)) inStub = true;
		else if (inStub && /^\s*\*\/\s*$/.test(l)) inStub = false;
		else if (!inStub && !/^\s*\/\* (>>>|<<<) SOLUTION/.test(l)) out.push(l);
	}
	return out;
}

function clip(lines, max) {
	if (!max || lines.length <= max) return lines;
	return [...lines.slice(0, max), `... (${lines.length - max} more lines)`];
}

function fence(lang, lines, cls) {
	const block = ['~~~~' + lang, ...lines, '~~~~'].join('\n');
	return cls ? `<div class="${cls}">\n\n${block}\n\n</div>` : block;
}

function code(rest, solutions) {
	const { words, opts } = parseArgs(rest);
	const [rel, name] = words;
	const file = path.join(ROOT, rel);
	const lab = rel.split('/').slice(0, 2).join('/');
	if (!fs.existsSync(file))
		return pendingBox(`<code>${name}</code> in <code>${rel}</code>.`,
			`It appears here once <code>${lab}</code> has it: rebuild with <code>make -C slides</code>.`);
	// The view first, then the definition: a solution region can hold a
	// whole function (its stub then stands in its place).
	const text = fs.readFileSync(file, 'utf8').replace(/\t/g, '    ').split('\n');
	const view = extract(solutions ? solutionView(text) : handoutView(text), name, opts.doc);
	if (!view)
		return pendingBox(`<code>${name}</code> is not in <code>${rel}</code> yet.`,
			'Rebuild with <code>make -C slides</code> once the lab has it.');
	const cls = opts.tiny ? 'tiny' : opts.small ? 'small' : '';
	return `<p class="src">${rel}</p>\n\n` + fence('c', clip(view, Number(opts.max)), cls);
}

// Run a lab's program from the repository root; null when it is not built.
function run(cmd, opts = {}, timeout = RUN_TIMEOUT_MS) {
	const prog = path.join(ROOT, cmd[0]);
	if (!fs.existsSync(prog)) return null;
	const env = { ...process.env, NO_COLOR: '1', TERM: 'dumb', COLUMNS: '100' };
	if (opts.env) {
		const eq = opts.env.indexOf('=');
		env[opts.env.slice(0, eq)] = opts.env.slice(eq + 1);
	}
	if (opts.fresh) {
		const f = path.resolve(ROOT, opts.fresh);
		if (!f.startsWith(BUILD + path.sep)) throw new Error(`fresh=${opts.fresh}: not under ${BUILD}`);
		fs.mkdirSync(path.dirname(f), { recursive: true });
		fs.rmSync(f, { force: true });
	}
	const r = spawnSync(prog, cmd.slice(1), { cwd: ROOT, encoding: 'utf8', timeout, env });
	return { text: clean((r.stdout || '') + (r.stderr || '')), stdout: r.stdout || '', status: r.error ? r.error.code : r.status };
}

function clean(text) {
	return text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/\t/g, '    ');
}

// Is /dev/kvm usable here? Asked once, of lab 03's own probe (it creates a VM).
let kvmHere;
function kvmUsable() {
	if (kvmHere === undefined) {
		const r = run(['labs/03-hypervisor/build/vmm', 'probe']);
		kvmHere = process.env.SLIDES_LABVM !== '1' && r !== null && r.status === 0;
	}
	return kvmHere;
}

// The kvm blocks of a deck, run in one labvm boot (a boot costs 3 s on an
// idle machine, far more on a busy one): a script runs each command with
// its stdout, stderr and status going to files in /out, so that the slide
// gets exactly what the command printed, and labvm's own words (building
// itself, booting, a timeout) go to the build log, never onto a slide.
const inLabvm = new Map();
let labvmWhy = '';
const shq = (a) => `'${a.replace(/'/g, "'\\''")}'`;

function labvmBatch(blocks, deck) {
	const dir = path.join(BUILD, 'live', `labvm-${deck}`);
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(path.join(dir, 'out'), { recursive: true });
	const script = ['#!/bin/sh', '# made by slides/tools/prep.mjs: the kvm blocks of one deck'];
	const ins = new Set([path.relative(ROOT, path.join(dir, 'run.sh'))]);
	blocks.forEach(({ cmd, opts }, i) => {
		const env = opts.env ? `env ${shq(opts.env)} ` : '';
		script.push(`${env}${cmd.map(shq).join(' ')} >"$LABVM_OUT/${i}.out" 2>"$LABVM_OUT/${i}.err"`,
			`echo $? >"$LABVM_OUT/${i}.rc"`);
		for (const a of cmd) if (fs.existsSync(path.join(ROOT, a))) ins.add(a);
	});
	fs.writeFileSync(path.join(dir, 'run.sh'), script.join('\n') + '\n');
	const args = ['run', '--timeout', '600', ...[...ins].flatMap((a) => ['--in', a]), '--out',
		path.relative(ROOT, path.join(dir, 'out')), '--', 'sh', path.relative(ROOT, path.join(dir, 'run.sh'))];
	console.log(`prep: ${deck}: ${blocks.length} kvm block(s) inside grader/labvm (one boot)`);
	const r = run(['grader/labvm', ...args], {}, 700000);
	if (!r) return `grader/labvm is missing`;
	const read = (f) => { try { return fs.readFileSync(path.join(dir, 'out', f), 'utf8'); } catch { return null; } };
	blocks.forEach(({ key }, i) => {
		const rc = read(`${i}.rc`);
		if (rc !== null)
			inLabvm.set(key, { text: clean(read(`${i}.out`) + read(`${i}.err`)), status: Number(rc) });
	});
	if (r.status !== 0) console.log(`prep: ${deck}: labvm ended with ${r.status}: ${r.text.trim().split('\n').slice(-3).join(' / ')}`);
	return r.text.trim().split('\n').pop();
}

// In a handout (stubs where the solutions were), a block whose stage is not
// written yet would show a stub's output; it shows what is to come instead.
// (Only a handout tree is asked: a reference tree has its solutions.)
function stubStage(stage, cmd) {
	const missing = missingStages(ROOT, cmd[0], stage, (l) => console.log(`prep: ${l}`));
	if (!missing.length) return null;
	const lab = cmd[0].split('/').slice(0, 2).join('/');
	const sorted = [...missing].sort();
	const which = sorted.length === 1 ? `stage ${sorted[0]}`
		: `stages ${sorted.slice(0, -1).join(', ')} and ${sorted.at(-1)}`;
	return `<div class="stub"><b>This appears once you have written ${which}</b> ` +
		`(<code>make -C ${lab} test</code> passes its tests), then rebuilt the slides ` +
		`(<code>make -C slides</code>): the real output of <code>${escapeHtml([path.basename(cmd[0]), ...cmd.slice(1)].join(' '))}</code>.</div>`;
}

function notBuilt(cmd) {
	const lab = cmd[0].split('/').slice(0, 2).join('/');
	return pendingBox(`<code>${cmd[0]}</code> is not built.`,
		`Run <code>make -C ${lab}</code>, then <code>make -C slides</code>: the real output appears here.`);
}

function runBlock(rest) {
	const { opts, cmd } = parseArgs(rest);
	let r = run(cmd, opts);
	if (!r) return notBuilt(cmd);
	const missing = stubStage(opts.stage, cmd);
	if (missing) return missing;
	let where = '';
	if (opts.kvm && !kvmUsable()) {
		r = inLabvm.get(cmd.join(' '));
		if (!r)
			return pendingBox(`<code>${escapeHtml(cmd.join(' '))}</code> needs /dev/kvm, and grader/labvm could not run it${labvmWhy ? `: ${escapeHtml(labvmWhy)}` : ''}.`,
				'Run <code>make labvm</code>, then <code>make -C slides</code>.');
		const why = process.env.SLIDES_LABVM === '1' ? 'SLIDES_LABVM=1' : 'the build machine has no usable /dev/kvm';
		where = `<p class="src">run inside grader/labvm (${why})</p>\n\n`;
	}
	if (opts.hidden) {
		if (r.status !== 0) console.log(`prep: setup step failed (exit ${r.status}): ${cmd.join(' ')}`);
		return '';
	}
	// skip=N: the first N lines were on the slide before (same run, same text)
	const lines = r.text.replace(/\n+$/, '').split('\n').slice(Number(opts.skip) || 0);
	const shown = [`$ ${[path.basename(cmd[0]), ...cmd.slice(1)].join(' ')}`, ...clip(lines, Number(opts.max))];
	const want = Number(opts.exit || 0);
	if (r.status !== 0) shown.push(`(exit status ${r.status})`);
	const cls = ['live', opts.tiny ? 'tiny' : opts.small ? 'small' : ''].filter(Boolean).join(' ');
	const data = [`data-cmd="${attr(cmd.join(' '))}"`, `data-exit="${attr(r.status)}"`, `data-want-exit="${want}"`];
	if (opts.expect) data.push(`data-expect="${attr(opts.expect)}"`);
	return where + `<div class="${cls}" ${data.join(' ')}>\n\n${fence('text', shown)}\n\n</div>`;
}

// A live graph in the deck's font and legible when drawn on a slide: every
// font the program names becomes the theme's, no size under min points.
function legible(dot, min, rankdir) {
	const font = '"DejaVu Sans"';
	let out = dot
		.replace(/\bfontname\s*=\s*("[^"]*"|[\w-]+)/g, `fontname=${font}`)
		.replace(/\bfontsize\s*=\s*"?([\d.]+)"?/g, (all, n) => `fontsize=${Math.max(Number(n), min)}`)
		.replace(/POINT-SIZE="([\d.]+)"/g, (all, n) => `POINT-SIZE="${Math.max(Number(n), min)}"`)
		.replace(/FACE="[^"]*"/g, 'FACE="DejaVu Sans"');
	const defaults = `graph [fontname=${font}, fontsize=${min}${rankdir ? `, rankdir=${rankdir}` : ''}]; ` +
		`node [fontname=${font}, fontsize=${min}]; edge [fontname=${font}, fontsize=${min}];`;
	out = out.replace(/(\b(?:di)?graph\b[^{]*\{)/, `$1\n\t${defaults}`);
	// the program's own rankdir comes later in the text and would win
	if (rankdir) out = out.replace(/\brankdir\s*=\s*"?\w+"?/g, `rankdir=${rankdir}`);
	return out;
}

function livedot(rest) {
	const { words, opts, cmd } = parseArgs(rest);
	const r = run(cmd, opts);
	if (!r) return notBuilt(cmd);
	const missing = stubStage(opts.stage, cmd);
	if (missing) return missing;
	// A nonzero status can still come with a picture (partition exits 3
	// when it rejects a request): what counts is a graph on stdout.
	if (!/\b(di)?graph\b[^{]*\{/.test(r.stdout))
		return pendingBox(`<code>${escapeHtml(cmd.join(' '))}</code> printed no graph (exit ${r.status}).`,
			`It said: <code>${escapeHtml(r.text.trim().split('\n')[0] || '')}</code>`);
	const dir = path.join(BUILD, 'live');
	fs.mkdirSync(dir, { recursive: true });
	const dot = path.join(dir, `${words[0]}.dot`);
	const svg = path.join(dir, `${words[0]}.svg`);
	fs.writeFileSync(dot, legible(r.stdout, Number(opts.fontsize) || 16, opts.rankdir));
	execFileSync('dot', ['-Tsvg', '-o', svg, dot]);
	execFileSync('dot', ['-Tpng', '-o', svg.replace(/svg$/, 'png'), dot]);
	return svgImg(svg, `${cmd.join(' ')}`, opts.width, 'diagram live', opts.height) +
		`\n\n<p class="src">drawn at build time: <code>${escapeHtml([path.basename(cmd[0]), ...cmd.slice(1)].join(' '))} | dot -Tsvg</code></p>`;
}

// Every graded test the student can see: { stage, title, points }.
function gradedTests(labDir) {
	const found = [];
	const tests = path.join(labDir, 'tests');
	const ls = (d) => (fs.existsSync(d) ? fs.readdirSync(d) : []);
	const cre = /GRADED\(\s*\w+\s*,\s*\w+\s*,\s*(\d+)\s*,\s*"(\d\d\.\d+) ([^"]*)"/g;
	for (const f of ls(tests).filter((f) => /^test_.*\.c$/.test(f)))
		for (const m of fs.readFileSync(path.join(tests, f), 'utf8').matchAll(cre))
			found.push({ points: Number(m[1]), stage: m[2], title: m[3], c: true });
	const rre = /^#\s*points=(\d+)\s+stage=(\d\d\.\d+)\s+(.*)$/;
	for (const f of ls(path.join(tests, 'cli')).filter((f) => f.endsWith('.run'))) {
		const first = fs.readFileSync(path.join(tests, 'cli', f), 'utf8').split('\n')[0];
		const m = first.match(rre);
		if (m) found.push({ points: Number(m[1]), stage: m[2], title: m[3].split(': ')[0].trim() });
	}
	return found;
}

function stages(rest) {
	const rel = rest.trim();
	const found = gradedTests(path.join(ROOT, rel));
	if (found.length === 0)
		return pendingBox(`graded tests in <code>${rel}/tests/</code>.`,
			'The stage table appears here once the lab has them.');
	const by = new Map();
	for (const t of found) {
		const s = by.get(t.stage) || { title: t.title, c: t.c, tests: 0, points: 0 };
		// A stage's name comes from its C tests; a command-line case's
		// title names the case, so the shortest one is the best guess.
		if ((t.c && !s.c) || (t.c === s.c && t.title.length < s.title.length))
			Object.assign(s, { title: t.title, c: t.c });
		s.tests++;
		s.points += t.points;
		by.set(t.stage, s);
	}
	const keys = [...by.keys()].sort((a, b) => Number(a) - Number(b) || a.localeCompare(b));
	const rows = keys.map((k) => `| ${k} | ${by.get(k).title} | ${by.get(k).tests} | ${by.get(k).points} |`);
	const total = found.reduce((a, t) => a + t.points, 0);
	return ['<div class="stages">', '', '| stage | what | tests | points |', '|---|---|---:|---:|', ...rows,
		`| | **total** | **${found.length}** | **${total}** |`, '', '</div>'].join('\n');
}

// The directives of a deck, outside code fences: [{ name, rest }].
function directives(src) {
	let inFence = false;
	const found = [];
	for (const line of src.split('\n')) {
		if (/^(```|~~~)/.test(line)) inFence = !inFence;
		const m = !inFence && line.match(/^@(diagram|code|run|livedot|stages)\s+(.*)$/);
		if (m) found.push({ name: m[1], rest: m[2] });
	}
	return found;
}

function prep(src, solutions, deck = 'deck') {
	const kvm = directives(src).filter((d) => d.name === 'run').map((d) => parseArgs(d.rest))
		.filter(({ opts, cmd }) => opts.kvm && fs.existsSync(path.join(ROOT, cmd[0])) && !stubStage(opts.stage, cmd))
		.map(({ opts, cmd }) => ({ opts, cmd, key: cmd.join(' ') }));
	if (kvm.length && !kvmUsable()) labvmWhy = labvmBatch(kvm, deck);
	const handlers = { diagram, code: (r) => code(r, solutions), run: runBlock, livedot, stages };
	let inFence = false;
	return src.split('\n').map((line) => {
		if (/^(```|~~~)/.test(line)) inFence = !inFence;
		const m = !inFence && line.match(/^@(diagram|code|run|livedot|stages)\s+(.*)$/);
		return m ? handlers[m[1]](m[2]) : line;
	}).join('\n');
}

// Every source file a deck names in backquotes (`image.c`, `guest/guest.ld`)
// exists in the tree: a renamed file must not live on in a slide.
function walkNames(dir, names) {
	for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
		if (['build', 'node_modules', '.git'].includes(e.name) || e.name.startsWith('build-')) continue;
		const p = path.join(dir, e.name);
		if (e.isDirectory()) walkNames(p, names);
		else { names.add(e.name); names.add(path.relative(ROOT, p)); }
	}
	return names;
}

let treeNames;
function staleNames(src) {
	treeNames = treeNames || walkNames(ROOT, new Set());
	const named = [...src.matchAll(/`([\w./-]+\.(?:c|h|S|ld))`/g)].map((m) => m[1]);
	// and the diagrams it shows, where a name stands in a label unquoted
	for (const d of directives(src).filter((x) => x.name === 'diagram')) {
		const dot = path.join(SLIDES, 'diagrams', `${parseArgs(d.rest).words[0]}.dot`);
		if (fs.existsSync(dot))
			named.push(...[...fs.readFileSync(dot, 'utf8').matchAll(/\b([A-Za-z_][\w-]*\.[ch])\b/g)].map((m) => m[1]));
	}
	return [...new Set(named)].filter((n) => !treeNames.has(n) &&
		![...treeNames].some((t) => t.endsWith(`/${n}`)));
}

// Speaker notes are comments wrapped for the source; the presenter view
// keeps line breaks, so each paragraph of a note becomes one line.
function reflowNotes(md) {
	return md.replace(/<!--([\s\S]*?)-->/g, (all, body) => {
		if (!body.includes('\n')) return all;
		const paras = body.trim().split(/\n\s*\n/).map((p) => p.split('\n').map((l) => l.trim()).join(' '));
		return `<!--\n${paras.join('\n\n')}\n-->`;
	});
}

function main() {
	const args = process.argv.slice(2);
	const solutions = args.includes('--solutions');
	const [inFile, outFile] = args.filter((a) => !a.startsWith('--'));
	if (!inFile || !outFile) {
		console.error('usage: node tools/prep.mjs DECK.md OUT.md [--solutions]');
		process.exit(2);
	}
	const src = fs.readFileSync(inFile, 'utf8');
	const stale = staleNames(src);
	if (stale.length) {
		console.error(`prep: ${path.basename(inFile)} names ${stale.join(', ')}: no such file in the tree (renamed?)`);
		process.exit(1);
	}
	const out = reflowNotes(prep(src, solutions, path.basename(inFile, '.md')));
	fs.mkdirSync(path.dirname(outFile), { recursive: true });
	const old = fs.existsSync(outFile) ? fs.readFileSync(outFile, 'utf8') : null;
	if (old !== out) fs.writeFileSync(outFile, out);
	for (const p of pending)
		console.log(`prep: ${path.basename(inFile)}: placeholder: ${p.replace(/<[^>]+>/g, '')}`);
	// STRICT=1 (make STRICT=1): every lab has landed, so a placeholder means
	// a deck that no longer matches its lab.
	if (pending.length && process.env.STRICT === '1') {
		console.error(`prep: ${path.basename(inFile)}: ${pending.length} placeholder(s) with STRICT=1`);
		process.exit(1);
	}
}

// tests/prep.test.mjs imports the pieces; only a direct run builds a deck.
export { extract, handoutView, solutionView, gradedTests, reflowNotes, prep, legible, staleNames };

if (import.meta.url === pathToFileURL(process.argv[1] || '').href) {
	try {
		main();
	} catch (e) {
		console.error(`prep: ${e.message}`);
		process.exit(1);
	}
}
