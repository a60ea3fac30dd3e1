// Jest configuration: the development layer is TypeScript in .cts files (which `n8n-node lint` leaves to
// the project's own type checks), imported as `./module.cjs` as TypeScript wants. A relative `.cjs` that
// does not exist resolves to the `.cts` beside it; everything else resolves as usual.
const fs = require('node:fs');
const path = require('node:path');

module.exports = (request, options) => {
	if (/^\.{1,2}\/.*\.cjs$/.test(request)) {
		const cts = path.resolve(options.basedir, request.replace(/\.cjs$/, '.cts'));
		if (!fs.existsSync(path.resolve(options.basedir, request)) && fs.existsSync(cts)) return cts;
	}
	return options.defaultResolver(request, options);
};
