const what = process.argv[2];
const t = performance.now();
if (what === 'main') await import('/work/wt/perf/worker/main.ts');
if (what === 'acts') await import('/work/wt/perf/activities/index.ts');
if (what === 'sdk') { await import('@temporalio/worker'); }
if (what === 'none') {}
globalThis.gc?.();
await new Promise(r => setTimeout(r, 3000));
globalThis.gc?.();
const s = (await import('node:fs')).readFileSync('/proc/self/status','utf8');
console.log(what, (performance.now()-t).toFixed(0),'ms', /VmRSS:\s+(\d+)/.exec(s)[1]/1024|0, 'MB', 'heap', (process.memoryUsage().heapUsed/1048576|0), 'threads', /Threads:\s+(\d+)/.exec(s)[1]);
