#!/usr/bin/env node
// The `wasl` command. TypeScript runs through tsx's loader: no build step
// between editing and running (docs/decisions/0002-run-typescript-with-tsx.md).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`wasl: Node.js >= 20.19 is required, this is ${process.versions.node}`);
  process.exit(1);
}
const { register } = await import('tsx/esm/api');
register();
await import('../packages/cli/src/main.ts');
