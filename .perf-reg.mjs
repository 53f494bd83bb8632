import { register } from 'node:module'; register('./.perf-hooks.mjs', import.meta.url);
