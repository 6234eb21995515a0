// stubs.mjs: in a student's handout, is a stage written yet?
//
// A handout (make handout) has each solution region replaced by its stub:
// the programs build and run, and print a stub's answer ("parser not
// written yet", "Logical CPUs 0 online"). A live block that names its stage
// (@run stage=01.2 ...) shows that output only once the stage's own visible
// tests pass; until then, a box says which stage brings it. The reference
// tree (its regions still marked >>> SOLUTION) is never asked.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const TEST_TIMEOUT_MS = 30000;
const known = new Map(); // "lab stage" -> true (written) or false

// A handout: the lab's sources hold TODO(student) and no solution marker.
function isHandout(labDir) {
	const src = path.join(labDir, 'src');
	if (!fs.existsSync(src)) return false;
	const text = fs.readdirSync(src).filter((f) => /\.[ch]$/.test(f))
		.map((f) => fs.readFileSync(path.join(src, f), 'utf8')).join('\n');
	return text.includes('TODO(student)') && !text.includes('>>> SOLUTION');
}

// The visible tests of one stage: [{ bin, filter }].
function stageTests(labDir, stage) {
	const dir = path.join(labDir, 'tests');
	const re = /GRADED\(\s*(\w+)\s*,\s*(\w+)\s*,\s*\d+\s*,\s*"(\d\d\.\d+) /g;
	const out = [];
	for (const f of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
		if (!/^test_.*\.c$/.test(f)) continue;
		for (const m of fs.readFileSync(path.join(dir, f), 'utf8').matchAll(re))
			if (m[3] === stage)
				out.push({ bin: path.join(labDir, 'build/tests', f.slice(0, -2)), filter: `${m[1]}/${m[2]}` });
	}
	return out;
}

// Written when every visible test of the stage passes (the tests are built
// quietly first). log(line) hears what happened.
function stageWritten(labDir, stage, log) {
	const key = `${labDir} ${stage}`;
	if (known.has(key)) return known.get(key);
	const tests = stageTests(labDir, stage);
	if (tests.some((t) => !fs.existsSync(t.bin)))
		spawnSync('make', ['-s', '-C', labDir, 'tests'], { stdio: 'ignore', timeout: 600000 });
	const failed = tests.filter((t) => spawnSync(t.bin, [`--filter=${t.filter}`, '-j1'],
		{ cwd: labDir, stdio: 'ignore', timeout: TEST_TIMEOUT_MS }).status !== 0);
	const ok = tests.length > 0 && failed.length === 0;
	log(`stage ${stage} of ${path.basename(labDir)}: ${ok ? 'written' : `not yet (${failed.length || 'no'} of ${tests.length} tests fail)`}`);
	known.set(key, ok);
	return ok;
}

// The stages (a comma list) that a block needs and the handout lacks.
function missingStages(root, prog, stages, log) {
	if (!stages) return [];
	const labDir = path.join(root, prog.split('/').slice(0, 2).join('/'));
	if (!isHandout(labDir)) return [];
	return stages.split(',').filter((s) => !stageWritten(labDir, s, log));
}

export { isHandout, stageTests, missingStages };
