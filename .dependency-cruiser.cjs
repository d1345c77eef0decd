/** Dependency direction (DESIGN §3): bot → dialogs → domain ← storage, mail → domain. Checked in `npm test`. */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'domain/ imports only zod, Node built-ins and itself.',
      severity: 'error',
      from: { path: '^domain/', pathNot: '\\.test\\.ts$' },
      to: { pathNot: ['^domain/', '^node_modules/zod/'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'no-domain-to-infra',
      comment: 'Tests beside domain modules may use the real adapters (memory store, reference data, templates).',
      severity: 'error',
      from: { path: '^domain/', pathNot: '\\.test\\.ts$' },
      to: { path: ['^(bot|dialogs|storage|mail|templates)/'] },
    },
    {
      name: 'botbuilder-only-in-bot-and-dialogs',
      comment: 'The Bot Framework SDK stays in bot/ and dialogs/ so a move to the Agents SDK touches only them.',
      severity: 'error',
      from: { path: '^(domain|storage|mail|templates)/' },
      to: { path: '^node_modules/(botbuilder|botbuilder-[a-z-]+|botframework-[a-z-]+)/' },
    },
    {
      name: 'storage-and-mail-do-not-know-the-conversation',
      severity: 'error',
      from: { path: '^(storage|mail)/' },
      to: { path: '^(bot|dialogs)/' },
    },
    {
      name: 'dialogs-do-not-pick-adapters',
      comment: 'Only the composition root (bot/) chooses adapters.',
      severity: 'error',
      from: { path: '^dialogs/', pathNot: '\\.test\\.ts$' },
      to: { path: ['^(bot|storage|mail)/', '^node_modules/(restify|lowdb|nodemailer)/'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(test|scripts)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.json'] },
  },
};
