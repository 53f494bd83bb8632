// The layering, checked on every `npm run lint` (see README "Architecture"):
//   doors (api/, api/slack/, cli/) → use cases (requests/, grants/, campaigns/, directory/, audit/, doctor/, ...)
//   → messages → workflows → activities → queries (db/queries/) and connectors.
// Type-only imports count for cycles: a cycle of types is still a knot a newcomer has to untie.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles among the sources, type-only ones included.',
      from: { pathNot: '^test/' },
      to: { circular: true },
    },
    {
      name: 'workflows-are-deterministic',
      severity: 'error',
      comment:
        'Workflows run in the Temporal sandbox: at run time they import only workflows/, domain/ and ' +
        "Temporal's workflow packages. Types (the activities' signatures for proxyActivities, the " +
        'events and notifications they hand to activities) are erased and may come from anywhere.',
      from: { path: '^workflows/' },
      to: {
        dependencyTypesNot: ['type-only'],
        pathNot: ['^workflows/', '^domain/', '@temporalio/(workflow|common)'],
      },
    },
    {
      name: 'domain-depends-on-nothing',
      severity: 'error',
      comment: 'domain/ is the shared vocabulary: every layer may use it, so it uses none.',
      from: { path: '^domain/' },
      to: { pathNot: '^domain/' },
    },
    {
      name: 'queries-know-only-the-database',
      severity: 'error',
      comment: 'db/queries/ is the bottom layer: it imports the schema, domain/ and its drivers.',
      from: { path: '^db/queries/' },
      to: { pathNot: ['^db/', '^domain/', 'node_modules', '^node:'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'doors-go-through-use-cases',
      severity: 'error',
      comment:
        'REST routes, Slack listeners and the CLI parse, call one use case and format: they never ' +
        'drive Temporal themselves (updates, signals, the client) or reach into workflow code. ' +
        "They may read workflows/messages.ts types (the workflows' answers).",
      from: { path: '^(api|cli)/' },
      to: {
        path: ['^temporal/updates\\.ts$', '^workflows/', '@temporalio/client'],
        pathNot: '^workflows/messages\\.ts$',
      },
    },
    {
      name: 'doors-read-messages-as-types-only',
      severity: 'error',
      comment: 'Doors use the shapes of workflows/messages.ts, never its values (update definitions).',
      from: { path: '^(api|cli)/' },
      to: { path: '^workflows/messages\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'slack-cards-import-no-workflow-values',
      severity: 'error',
      comment: 'Block Kit builders and cards render data; they take no values from workflows/.',
      from: { path: '^slack/' },
      to: { path: '^workflows/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'console-stays-in-the-browser',
      severity: 'error',
      comment:
        'The console (web/src) is a browser app: it reaches grantflow only through the REST API, typed ' +
        'by the generated web/src/api/schema.d.ts, never by importing server code.',
      from: { path: '^web/src/' },
      to: { dependencyTypes: ['local', 'unknown', 'undetermined'], pathNot: '^web/src/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^node_modules', '^dist', '^\\.grantflow', '^web/dist'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.d.ts', '.js'] },
  },
};
