// A real, headless n8n driven from the tests and tools: installed (install.cts), an instance with its
// user folder (instance.cts), its server and REST (server.cts, rest.cts), what it printed (results.cts),
// queue mode (queue.cts). Every n8n process is killed when this process ends.
export * from './install.cjs';
export * from './instance.cjs';
export * from './queue.cjs';
export * from './rest.cjs';
export * from './results.cjs';
export * from './server.cjs';
