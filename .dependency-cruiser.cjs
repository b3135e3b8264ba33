// Import directions between Keyhole's pieces, checked by a machine
// (`npm run layering`, part of `npm test`). test/layering proves that each
// rule fires on a planted violation.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'protocol-imports-nothing-of-ours',
      comment: 'protocol/ is the wire contract: it may use a protobuf runtime and node:, nothing of ours.',
      severity: 'error',
      from: { path: '^protocol/' },
      to: { path: '^(agent|broker|src|test)/|^@keyhole/(agent|broker)' },
    },
    {
      name: 'agent-imports-only-protocol',
      comment: 'agent/ runs in production processes: it may import protocol/, never src/, broker/ or VS Code.',
      severity: 'error',
      from: { path: '^agent/' },
      to: { path: '^(broker|src|test)/|^@keyhole/broker|(^|/)vscode($|/)|^@vscode/|node_modules/@vscode/|node_modules/@types/vscode/' },
    },
    {
      name: 'broker-imports-only-protocol',
      comment: 'broker/ may import protocol/, never agent/, src/ or VS Code.',
      severity: 'error',
      from: { path: '^broker/' },
      to: { path: '^(agent|src|test)/|^@keyhole/agent|(^|/)vscode($|/)|^@vscode/|node_modules/@vscode/|node_modules/@types/vscode/' },
    },
    {
      name: 'adapter-never-imports-vscode',
      comment: 'src/adapter/ is a DAP session that runs standalone in tests: no vscode, no extension code.',
      severity: 'error',
      from: { path: '^src/adapter/' },
      to: { path: '(^|/)vscode$|node_modules/@types/vscode/|^src/extension/' },
    },
    {
      name: 'only-extension-imports-vscode',
      comment: 'src/extension/ is the only composition root that may use the VS Code API.',
      severity: 'error',
      from: { pathNot: '^src/extension/|^test/(extension|vscode-suite)/' },
      to: { path: '(^|/)vscode$|node_modules/@types/vscode/' },
    },
    {
      name: 'src-never-imports-agent-or-broker',
      comment: 'The extension, adapter and client reach the broker over the wire and never load agent or broker code.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(agent|broker)/|^@keyhole/(agent|broker)' },
    },
    {
      name: 'client-imports-only-protocol-and-common',
      comment: 'src/client is the broker connection: protocol and src/common only, never the adapter or the extension.',
      severity: 'error',
      from: { path: '^src/client/' },
      to: { path: '^src/(adapter|extension)/' },
    },
    {
      name: 'no-circular',
      comment: 'Cycles make load order fragile; the agent above all must load predictably.',
      severity: 'error',
      from: { path: '^(protocol|agent|broker|src)/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Our own .d.ts files are build output; keep node_modules typings (vscode is types-only).
    exclude: { path: '(^|/)(dist|out|gen)/|^(?!.*node_modules).*\\.d\\.ts$|test/layering/fixtures/' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.d.ts', '.json'] },
  },
};
