// Layer rules (docs/decisions.md §30), checked by `npm run lint`. Type-only imports count (swc parses
// the TypeScript sources as written and keeps `import type`), so a cycle made of types alone is a cycle.
const OURS = '^(domain|workflows|activities|app|db|web|scripts|test)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles, type-level ones included: split the shared part out.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'domain/ holds the rules: it imports nothing of ours outside domain/.',
      from: { path: '^domain/' },
      to: { path: OURS, pathNot: '^domain/' },
    },
    {
      name: 'workflows-import-domain-and-activity-types',
      severity: 'error',
      comment: 'Workflow code is bundled and replayed: domain/ and workflows/ only, activities by type.',
      from: { path: '^workflows/' },
      to: { path: OURS, pathNot: '^(domain|workflows|activities)/' },
    },
    {
      name: 'workflows-import-activities-as-types-only',
      severity: 'error',
      from: { path: '^workflows/' },
      to: { path: '^activities/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'activities-never-import-workflows',
      severity: 'error',
      comment: 'Activities start and signal workflows through app/, never by importing workflows/.',
      from: { path: '^activities/' },
      to: { path: '^workflows/' },
    },
    {
      name: 'app-imports-workflow-definitions-only',
      severity: 'error',
      comment: 'app/ talks to workflows by their definitions; the workflow functions only as types.',
      from: { path: '^app/' },
      to: {
        path: '^workflows/',
        pathNot: '^workflows/[a-z-]*definitions\\.ts$',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'app-below-the-edges',
      severity: 'error',
      comment: 'app/ is called by the edges, never the other way round; it does not reach into activities/.',
      from: { path: '^app/' },
      to: { path: '^(web|scripts|test|activities)/' },
    },
    {
      name: 'db-below-app',
      severity: 'error',
      comment: 'db/ (schema, queries, repositories) imports domain/ only.',
      from: { path: '^db/' },
      to: { path: OURS, pathNot: '^(db|domain)/' },
    },
    {
      name: 'edges-reach-workflows-through-app',
      severity: 'error',
      comment: 'Pages, the API and scripts start and update workflows through app/ use cases.',
      from: { path: '^(web|scripts)/' },
      to: { path: '^workflows/' },
    },
    {
      name: 'web-does-not-run-activities',
      severity: 'error',
      comment: 'The web calls app/ use cases; activity code runs in the worker.',
      from: { path: '^web/' },
      to: { path: '^activities/' },
    },
  ],
  options: {
    // TypeScript 7.0 has no compiler API dependency-cruiser can use; swc (already installed for the
    // Temporal worker) parses the sources and reports `import type` as dependencies of type 'type-only'.
    parser: 'swc',
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|data|test-results|bench-results)/' },
    includeOnly: OURS,
  },
};
