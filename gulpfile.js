const fs = require('node:fs');
const { src, dest } = require('gulp');

// A build starts from an empty dist/: files of a removed source must not ship in the package.
function clean(done) {
	fs.rmSync('dist', { recursive: true, force: true });
	done();
}

// tsc emits only JavaScript: icons and codex files travel next to the built node and credential.
function buildIcons() {
	return src(['nodes/**/*.{png,svg,node.json}', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

exports['build:icons'] = buildIcons;
exports.clean = clean;
