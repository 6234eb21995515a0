// Tests of tools/prep.mjs: what the decks show of a lab's code, and the
// stage table, live graphs, generated round trips. Run by make test.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { extract, handoutView, solutionView, gradedTests, reflowNotes, legible, staleNames } from '../tools/prep.mjs';
import { fill } from '../tools/rtt.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const lines = fs.readFileSync(path.join(here, 'fixtures/marked.c'), 'utf8').split('\n');

test('the handout view never shows reference code', () => {
	const out = handoutView(lines).join('\n');
	assert.doesNotMatch(out, /REFERENCE-ONLY|return 2 \* x|SOLUTION/);
	assert.match(out, /TODO\(student\): twice x, or -EINVAL without out/);
	assert.match(out, /return -ENOSYS;/);
});

test('a function inside a solution region shows as its stub', () => {
	const def = extract(handoutView(lines), 'twice', true).join('\n');
	assert.match(def, /TODO\(student\): a helper only the solution needs/);
	assert.match(def, /return 0;/);
	assert.doesNotMatch(def, /2 \* x/);
});

test('the solution view keeps the code and drops markers and stub', () => {
	const def = extract(solutionView(lines), 'fx_double', false).join('\n');
	assert.match(def, /REFERENCE-ONLY/);
	assert.doesNotMatch(def, /SOLUTION|STUB|ENOSYS/);
});

test('extract takes the doc comment, the body, and structs', () => {
	const def = extract(handoutView(lines), 'fx_double', true);
	assert.equal(def[0], '/*');
	assert.equal(def.at(-1), '}');
	assert.deepEqual(extract(lines, 'struct:fx_pair', false), ['struct fx_pair {', '\tint a, b;', '};']);
	assert.equal(extract(lines, 'no_such_function', false), null);
});

test('the stage table counts GRADED tests and command-line cases', () => {
	const dir = fs.mkdtempSync(path.join(fs.realpathSync('/tmp'), 'prep-test-'));
	fs.mkdirSync(path.join(dir, 'tests/cli'), { recursive: true });
	fs.writeFileSync(path.join(dir, 'tests/test_a.c'),
		'GRADED(a, one, 2, "09.1 parse", 5)\n{}\nGRADED(a, two,\n 3, "09.2 plan", 5)\n{}\n');
	fs.writeFileSync(path.join(dir, 'tests/cli/x.run'), '# points=1 stage=09.1 parse: a bad flag\nx\n');
	const t = gradedTests(dir).map((g) => `${g.stage}:${g.points}`).sort();
	fs.rmSync(dir, { recursive: true });
	assert.deepEqual(t, ['09.1:1', '09.1:2', '09.2:3']);
});

test('notes are reflowed paragraph by paragraph; directives stay', () => {
	assert.equal(reflowNotes('<!--\na\nb\n\nc\n-->'), '<!--\na b\n\nc\n-->');
	assert.equal(reflowNotes('<!-- _class: lead -->'), '<!-- _class: lead -->');
});

test('a live graph gets the deck font and no text under the minimum', () => {
	const dot = 'graph g {\n\tnode [fontsize=10, fontname=Helvetica];\n\trankdir=LR;\n\ta [label=<<FONT POINT-SIZE="8">x</FONT>>];\n}\n';
	const out = legible(dot, 14, 'TB');
	assert.doesNotMatch(out, /fontsize=10|Helvetica|POINT-SIZE="8"|rankdir=LR/);
	assert.match(out, /node \[fontname="DejaVu Sans", fontsize=14\]/);
	assert.match(out, /POINT-SIZE="14"/);
	assert.match(out, /rankdir=TB/);
});

test('round trips come from lab 04, beside their edge', () => {
	const tmpl = 'graph g {\n\ta [pos="0,0!", from="ap-south-1"];\n\tb [pos="4,0!", from="us-east-2"];\n\ta -- b [label="@rtt", color=red];\n}\n';
	const rows = [{ RegionName: 'us-east-2', City: 'Columbus', DistanceKm: 12990.2, FloorMs: 129.9, RoundTripMs: 195.8, Measured: true }];
	const out = fill(tmpl, () => rows);
	assert.match(out, /a -- b \[color=red\]/);
	assert.match(out, /rtt_a_b \[pos="2\.00,0\.\d+!".*label="12,990 km\\n130 \/ 196 ms measured"/);
	assert.throws(() => fill(tmpl, () => []), /does not list us-east-2/);
});

test('a deck that names a file the tree does not have is caught', () => {
	assert.deepEqual(staleNames('loaded by `elf.c`, linked by `guest/guest.ld`, in `image.c`'), ['elf.c']);
	// the diagrams a deck shows are read too (guest-memory names image.c)
	assert.deepEqual(staleNames('@diagram guest-memory width=100%\n@diagram kvm-run-loop'), []);
});
