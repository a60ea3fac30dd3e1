// A measured row: its conditions, what the simulator counted, and the scores against the row's floor.
import fs from 'node:fs';
import os from 'node:os';

import { LIMIT, type Row } from './rows.cjs';
import type { SimClient } from './sim-child.cjs';
import type { VariantsCheck } from './variants.cjs';

/**
 * A measured row as printed and saved: its conditions, what the simulator counted, and the scores
 * (ratio = wall ÷ ideal; overhead per item and % of the allowed rate only when nothing was lost).
 */
export interface RowResult {
	name: string;
	group: string;
	label: string;
	kind: string;
	op: string;
	items: number;
	concurrency: number | null;
	limited: boolean;
	retryAfter: boolean;
	latencyMs: number;
	processMs: number;
	peakMemMb: number | null;
	loadAvg1AtEnd: number;
	requests: number;
	accepted: number;
	rejected429: number;
	byStatus: Record<string, number>;
	maxInFlight: number;
	wallMs?: number;
	idealMs?: number;
	ratio?: number;
	itemsPerSec?: number;
	overheadMsPerItem?: number;
	pctOfAllowedRate?: number;
	delivered?: number;
	lost?: number;
	error?: string;
	sampleError?: string;
	variants?: VariantsCheck;
	executionsPerWorker?: number[];
	bursts?: Array<{ wallMs: number; rejected429: number; lost: number; requests: number }>;
}
export interface Context {
	sim: SimClient;
	simBaseUrl: string;
	distDir: string;
	opts: { version: string; latencyMs: number; items: number; limitedItems: number };
	log: (m: string) => void;
}
export type Stats = Pick<RowResult, 'accepted' | 'rejected429' | 'byStatus' | 'maxInFlight'> & {
	received: number;
};

/** The fastest any client could finish: at most `conc` in flight and `rpm` accepted per window. */
export function idealMs(o: { n: number; latencyMs: number; conc: number; rpm?: number }) {
	const starts: number[] = [];
	for (let k = 0; k < o.n; k++) {
		let t = k >= o.conc ? starts[k - o.conc] + o.latencyMs : 0;
		if (o.rpm && k >= o.rpm) t = Math.max(t, starts[k - o.rpm] + LIMIT.rpmWindowMs);
		starts.push(t);
	}
	return o.n ? starts[o.n - 1] + o.latencyMs : 0;
}

/** The row's floor: its concurrency (capped by the limit's), and the limit's rate when limited. */
export function idealFor(row: Row, latencyMs: number) {
	const conc = Math.min(row.conc ?? 1, row.limited ? LIMIT.maxConcurrent : Infinity);
	const rpm = row.limited ? LIMIT.rpm : 0;
	return idealMs({ n: row.n * (row.images ?? 1), latencyMs, conc, rpm });
}

export function result(
	row: Row,
	latencyMs: number,
	stats: Stats,
	processMs: number,
	peak: number | null,
): RowResult {
	const { name, group, label, kind, op, n: items, conc } = row;
	const { received: requests, accepted, rejected429, byStatus, maxInFlight } = stats;
	return {
		...{ name, group, label, kind, op, items, concurrency: conc ?? null, latencyMs, processMs },
		...{ limited: Boolean(row.limited), retryAfter: Boolean(row.retryAfter), peakMemMb: peak },
		...{ loadAvg1AtEnd: os.loadavg()[0], requests, accepted, rejected429, byStatus, maxInFlight },
	};
}

/** Lost, ratio, throughput; without losses (lost items did not wait) overhead and % of the rate. */
export function score(r: RowResult, wallMs: number, got: number, wanted: number, ideal: number) {
	const itemsPerSec = got / (wallMs / 1000);
	Object.assign(r, { wallMs, delivered: got, lost: wanted - got, idealMs: ideal, itemsPerSec });
	r.ratio = wallMs / ideal;
	if (r.lost !== 0) return;
	r.overheadMsPerItem = (wallMs - ideal) / wanted;
	if (r.limited) r.pctOfAllowedRate = (100 * ideal) / wallMs;
}

/** A process's peak resident memory (VmHWM), in MB; 0 when gone. */
export function peakMb(pid: number | undefined): number {
	const status = `/proc/${pid}/status`;
	const m = /VmHWM:\s+(\d+)\s+kB/.exec(
		fs.existsSync(status) ? fs.readFileSync(status, 'utf8') : '',
	);
	return m ? Number(m[1]) / 1024 : 0;
}

/** Polls a process's peak memory; the function returned stops and gives the peak (MB). */
export function watchPeak(pid: () => number | undefined, intervalMs: number) {
	let peak = 0;
	const timer = setInterval(() => (peak = Math.max(peak, peakMb(pid()))), intervalMs);
	return () => {
		clearInterval(timer);
		return Math.max(peak, peakMb(pid())) || null;
	};
}

/** A number with `digits` decimals, or '—'. */
export const fmt = (v: number | null | undefined, digits = 1) =>
	v === null || v === undefined || Number.isNaN(v) ? '—' : Number(v).toFixed(digits);
export const secs = (ms: number | undefined, digits = 1) =>
	fmt(ms === undefined ? ms : ms / 1000, digits);
