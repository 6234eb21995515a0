// rtt.mjs: fill a diagram's round trips from lab 04's own model, so that the
// picture says what `cloud regions --from` says (and cannot drift from it).
//
//   node tools/rtt.mjs TEMPLATE.dot OUT.dot
//
// In TEMPLATE, a node names where it is with from="PLACE" (a region code
// such as ap-south-1, or a city cloud knows, such as Delhi), and each edge
// whose label is "@rtt" gets the lab's distance, floor and estimate between
// its two ends (the estimate marked as measured where the lab has a
// published figure), beside the edge (below=true: on its lower side). Needs labs/04-cloud/build/cloud (make -C labs/04-cloud).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLOUD = path.join(ROOT, 'labs/04-cloud/build/cloud');
const FLEET = path.join(ROOT, 'labs/04-cloud/fleets/default.json');

const num = (x, d) => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });

// The label of an edge: "12,990 km\n130 / 196 ms (measured)".
function label(r) {
	const floor = r.FloorMs < 20 ? num(r.FloorMs, 1) : num(r.FloorMs, 0);
	const est = `${r.Measured ? '' : '~'}${num(r.RoundTripMs, 0)} ms${r.Measured ? ' measured' : ''}`;
	return `${num(r.DistanceKm, 0)} km\\n${floor} / ${est}`;
}

// Where an edge's label goes: a plain text node beside the edge's middle,
// pushed along the edge's normal just far enough that its box clears the
// line (neato puts a label on the edge itself, and an xlabel anywhere).
// Positions are the template's pinned pos="x,y!", in inches.
function labelNode(name, p, q, text, below, fontsize) {
	const lines = text.split('\\n');
	const w = Math.max(...lines.map((l) => l.length)) * fontsize * 0.55 / 72;
	const h = lines.length * fontsize * 1.25 / 72;
	const [dx, dy] = [q[0] - p[0], q[1] - p[1]];
	const len = Math.hypot(dx, dy);
	let [nx, ny] = [-dy / len, dx / len];
	if (ny < 0 || (ny === 0 && nx < 0)) [nx, ny] = [-nx, -ny];
	if (below) [nx, ny] = [-nx, -ny];
	const d = Math.abs(nx) * w / 2 + Math.abs(ny) * h / 2 + 0.08;
	const x = (p[0] + q[0]) / 2 + nx * d;
	const y = (p[1] + q[1]) / 2 + ny * d;
	return `\t${name} [pos="${x.toFixed(2)},${y.toFixed(2)}!", shape=plaintext, style="", label="${text}"];`;
}

function fill(template, regionsFrom) {
	const where = new Map();
	const pos = new Map();
	for (const m of template.matchAll(/^\s*(\w+)\s*\[([^\]]*)\]/gm)) {
		const from = m[2].match(/\bfrom="([^"]+)"/);
		const at = m[2].match(/\bpos="([-\d.]+),([-\d.]+)!?"/);
		if (from) where.set(m[1], from[1]);
		if (at) pos.set(m[1], [Number(at[1]), Number(at[2])]);
	}
	const size = Number((template.match(/edge \[[^\]]*fontsize=([\d.]+)/) || [])[1] || 14);
	const labels = [];
	const out = template.replace(/^(\s*)(\w+)\s*--\s*(\w+)(\s*\[[^\]]*)label="@rtt"(,\s*below=true)?/gm,
		(all, ind, a, b, attrs, below) => {
			if (!where.has(a) || !where.has(b)) throw new Error(`edge ${a} -- ${b}: both ends need from="..."`);
			const to = where.get(b);
			const r = regionsFrom(where.get(a)).find((x) => x.RegionName === to || x.City === to);
			if (!r) throw new Error(`cloud regions --from ${where.get(a)} does not list ${to}`);
			if (pos.has(a) && pos.has(b))
				labels.push(labelNode(`rtt_${a}_${b}`, pos.get(a), pos.get(b), label(r), Boolean(below), size));
			else
				return `${ind}${a} -- ${b}${attrs}label="${label(r)}"`;
			return `${ind}${a} -- ${b}${attrs}`;
		});
	return out.replace(/\[,\s*/g, '[').replace(/\s*\[\]/g, '').replace(/\}\s*$/, `\t// the edges' labels, placed by tools/rtt.mjs\n${labels.join('\n')}\n}\n`);
}

function main() {
	const [tmpl, out] = process.argv.slice(2);
	if (!fs.existsSync(CLOUD)) throw new Error(`${path.relative(ROOT, CLOUD)} is not built: make -C labs/04-cloud`);
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vmlab-rtt-'));
	const cache = new Map();
	const db = path.join(dir, 'c.db');
	const regionsFrom = (place) => {
		// --fleet only when the database is created, by the first call
		const fleet = fs.existsSync(db) ? [] : ['--fleet', FLEET];
		if (!cache.has(place))
			cache.set(place, JSON.parse(execFileSync(CLOUD, ['--db', db, ...fleet,
				'--json', 'regions', '--from', place], { encoding: 'utf8' })));
		return cache.get(place);
	};
	try {
		const text = fill(fs.readFileSync(tmpl, 'utf8'), regionsFrom);
		if (!fs.existsSync(out) || fs.readFileSync(out, 'utf8') !== text) fs.writeFileSync(out, text);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

export { fill, label };

if (import.meta.url === pathToFileURL(process.argv[1] || '').href) {
	try {
		main();
	} catch (e) {
		console.error(`rtt: ${e.message}`);
		process.exit(1);
	}
}
