#!/usr/bin/env node
// The grantflow command. Sources are TypeScript; tsx compiles them on load so the
// checkout runs as-is after `npm install`, with no build step in between.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
