// The version, injected by the bundler from package.json.
declare const __GATE_VERSION__: string | undefined;

export const VERSION: string = typeof __GATE_VERSION__ === 'string' ? __GATE_VERSION__ : '0.0.0-dev';
