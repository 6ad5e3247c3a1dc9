// Lint configuration. The `capstan/layers` rule enforces the one-way import direction of the
// architecture (api → store → apiserver; api → client → roles → cli) and that a component is
// entered only through its public index.
import path from 'node:path';
import tseslint from 'typescript-eslint';

/** Which components each component may import. A component may always import itself. */
const ALLOWED = {
  api: [],
  store: ['api'],
  apiserver: ['api', 'store'],
  client: ['api'],
  scheduler: ['api', 'client'],
  controllers: ['api', 'client'],
  runtime: ['api', 'client'],
  network: ['api', 'client'],
  kubelet: ['api', 'client', 'runtime', 'network'],
  addons: ['api', 'client'],
  cli: ['api', 'store', 'apiserver', 'client', 'scheduler', 'controllers', 'runtime', 'network', 'kubelet', 'addons'],
};

/**
 * A component's public entries besides its index: light surfaces for processes that must not load
 * the whole component (a node agent loads no API schema and no API server code).
 */
const EXTRA_ENTRIES = {
  api: ['light.js'],
  apiserver: ['node-join.js'],
};

const srcRoot = path.resolve('src');

function componentOf(file) {
  const rel = path.relative(srcRoot, file);
  if (rel.startsWith('..')) return undefined;
  return rel.split(path.sep)[0];
}

const layersRule = {
  meta: { type: 'problem', schema: [], messages: {
    layer: "'{{from}}' may not import from '{{to}}' (allowed: {{allowed}}); see the architecture's import direction",
    index: "import '{{to}}' through its public index ('{{to}}/index.js') or a listed light entry, not '{{spec}}'",
  } },
  create(context) {
    const file = context.filename;
    const from = componentOf(file);
    if (!from || !(from in ALLOWED)) return {};
    function check(node) {
      const spec = node.source && node.source.value;
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const target = path.resolve(path.dirname(file), spec);
      const to = componentOf(target);
      if (!to || to === from) return;
      if (!ALLOWED[from].includes(to)) {
        context.report({ node, messageId: 'layer', data: { from, to, allowed: ALLOWED[from].join(', ') || 'none' } });
        return;
      }
      const inner = path.relative(path.join(srcRoot, to), target);
      const entries = ['index.js', ...(EXTRA_ENTRIES[to] ?? [])];
      if (!entries.includes(inner.replace(/\.ts$/, '.js'))) {
        context.report({ node, messageId: 'index', data: { to, spec } });
      }
    }
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: (n) => check({ ...n, source: n.source }) };
  },
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**'] },
  ...tseslint.configs.recommended,
  {
    plugins: { capstan: { rules: { layers: layersRule } } },
    rules: {
      'capstan/layers': 'error',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
);
