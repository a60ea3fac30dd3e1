// @ts-check
'use strict';
// Preloaded into the n8n processes the benchmark starts (NODE_OPTIONS=--require ...): at exit, write the
// process' peak resident memory (VmHWM) to $BENCH_HWM_DIR/<pid>.json. Linux only; silent elsewhere.
const fs = require('node:fs');
const path = require('node:path');

const dir = process.env.BENCH_HWM_DIR;
if (dir) {
	process.on('exit', () => {
		try {
			const status = fs.readFileSync('/proc/self/status', 'utf8');
			const hwm = /VmHWM:\s+(\d+)\s+kB/.exec(status);
			const rss = /VmRSS:\s+(\d+)\s+kB/.exec(status);
			const record = {
				pid: process.pid,
				argv: process.argv.slice(1, 4),
				hwmKb: hwm ? Number(hwm[1]) : null,
				rssKb: rss ? Number(rss[1]) : null,
			};
			fs.writeFileSync(path.join(dir, `${process.pid}.json`), JSON.stringify(record));
		} catch {
			/* best effort */
		}
	});
}
