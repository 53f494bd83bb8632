export async function resolve(spec, ctx, next) { const r = await next(spec, ctx); if (!r.url.includes('/dist/')|| true) process.stderr.write('R '+r.url+' <- '+(ctx.parentURL||'')+'\n'); return r; }
