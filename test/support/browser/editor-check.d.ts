// Types for editor-check.js (the .js side may use Node built-ins and a browser; .ts tests may not).

export interface CanvasNodeInfo {
	found: boolean;
	text?: string;
	hasIssues?: boolean;
	hasIcon?: boolean;
}

export interface Notification {
	error: boolean;
	text: string;
}

export interface PanelSummary {
	/** Title in the panel header (the node's name). */
	title: string;
	/** Value shown in the Operation select ("Generate" / "Edit"). */
	operation: string;
	/** Credential selected in the panel. */
	credential: string;
	/** Visible parameter labels, top to bottom (required markers "*" removed). */
	labels: string[];
	/** Labels shown with a required marker. */
	required: string[];
	/** Visible parameter inputs (names, from data-parameter-path). */
	parameters: string[];
	/** Entries offered by each collection's "Add …" list, keyed by the collection's label. */
	collections: Record<string, string[]>;
	canvasNode: CanvasNodeInfo;
	notifications: Notification[];
	/** Every error sign seen (notifications, issue markers, banners, "Problem loading" texts). */
	errors: string[];
	screenshot: string;
}

export interface CredentialSummary {
	title: string;
	labels: string[];
	required: string[];
	parameters: string[];
	/** 'success', 'failed: …' or 'none shown' (n8n tests a saved credential when its dialog opens). */
	connectionTest: string;
	/** Entries of the Endpoint list, as shown (name, and the description under it). */
	endpointOptions: Array<{ name: string; description: string }>;
	notifications: Notification[];
	errors: string[];
	screenshot: string;
}

export interface EditorCheckSummary {
	ok: boolean;
	problems: string[];
	n8nVersion: string;
	timingsMs: Record<string, number>;
	panels: { generate: PanelSummary; edit: PanelSummary };
	credential: CredentialSummary;
	consoleErrors: string[];
}

export interface EditorCheckOptions {
	/** Where the PNGs go (default <repo>/screenshots). */
	outDir?: string;
	/** n8n version (default 2.41.1; must be installed by scripts/ensure-n8n.sh). */
	version?: string;
	/** Folder given to n8n as N8N_CUSTOM_EXTENSIONS (default <repo>/dist). */
	extensionDir?: string;
	log?: (message: string) => void;
}

export function runEditorCheck(options?: EditorCheckOptions): Promise<EditorCheckSummary>;
export function chromiumProblem(): string | undefined;
export function assertChromium(): string;
export function chromiumPath(): string;
export function pngInfo(file: string): { exists: boolean; bytes: number; png: boolean; width: number; height: number };
export const INSTALL_HINT: string;
