const fs = await import('node:fs');
const rss = () => { globalThis.gc?.(); return (/VmRSS:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status','utf8'))![1] as any)/1024|0; };
await import('@temporalio/worker');
let last = rss();
for (const m of ['drizzle-orm','zod','postgres','ldapts','@slack/web-api','yazl','yauzl','yaml','pdfkit','mysql2/promise','ajv','ajv-formats','@temporalio/testing','@temporalio/proto','@simplewebauthn/server/helpers','csv-parse','pino','/work/wt/perf/db/schema.ts','/work/wt/perf/evidence/oscal.ts']) {
  try { await import(m); } catch (e) { console.log(m, 'fail', String(e).slice(0,80)); continue; }
  await new Promise(r=>setTimeout(r,200));
  const now = rss(); console.log(m.padEnd(40), now-last, 'MB'); last = now;
}
