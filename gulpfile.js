const { src, dest } = require('gulp');

// tsc emits only JavaScript: icons and codex files travel next to the built node and credential.
function buildIcons() {
	return src(['nodes/**/*.{png,svg,node.json}', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

exports['build:icons'] = buildIcons;
