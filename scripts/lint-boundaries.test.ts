// The layer rules are only worth having if lint really refuses a crossing: feed ESLint code that
// breaks each rule, as if it lived in each folder, and expect the error.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

const cases: Array<[string, string, string, string]> = [
  [
    'src-shared imports a Node built-in',
    'src-shared/money/x.ts',
    "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;",
    'no-restricted-imports',
  ],
  [
    'src-shared imports electron',
    'src-shared/api/x.ts',
    "import { app } from 'electron';\nexport const a = app;",
    'no-restricted-imports',
  ],
  [
    'src-shared imports the node layer',
    'src-shared/swaps/x.ts',
    "import { startNode } from '../../src-main/core/node.ts';\nexport const s = startNode;",
    'no-restricted-imports',
  ],
  [
    'src-shared touches the DOM',
    'src-shared/orders/x.ts',
    'export const w = window.location;',
    'no-restricted-globals',
  ],
  ['src-shared reads process', 'src-shared/orders/x.ts', 'export const e = process.env;', 'no-restricted-globals'],
  [
    'src-main outside the shell imports electron',
    'src-main/core/x.ts',
    "import { app } from 'electron';\nexport const a = app;",
    'no-restricted-imports',
  ],
  [
    'the renderer imports Node',
    'src-renderer/app/x.ts',
    "import fs from 'node:fs';\nexport const f = fs;",
    'no-restricted-imports',
  ],
  [
    'the renderer imports the node layer',
    'src-renderer/app/x.ts',
    "import { createVault } from '../../src-main/vault/index.ts';\nexport const v = createVault;",
    'no-restricted-imports',
  ],
  [
    'the renderer imports electron',
    'src-renderer/app/x.ts',
    "import { ipcRenderer } from 'electron';\nexport const i = ipcRenderer;",
    'no-restricted-imports',
  ],
  [
    'a renderer feature deep-imports another feature',
    'src-renderer/orders/x.ts',
    "import { deriveSteps } from '../swaps/steps.ts';\nexport const d = deriveSteps;",
    'no-restricted-imports',
  ],
  [
    'the renderer shell deep-imports a feature',
    'src-renderer/app/x.ts',
    "import { walletKeys } from '../wallets/queries.ts';\nexport const k = walletKeys;",
    'no-restricted-imports',
  ],
  [
    'a node domain deep-imports another domain',
    'src-main/orders/x.ts',
    "import type { WalletService } from '../wallets/wallet-service.ts';\nexport type W = WalletService;",
    'no-restricted-imports',
  ],
  ['money parsed as a float', 'src-main/chain/x.ts', "export const f = parseFloat('1.5');", 'no-restricted-syntax'],
];

describe('layer lint', () => {
  it.each(cases)('refuses: %s', async (_name, file, code, rule) => {
    expect(await ruleIds(code, file)).toContain(rule);
  });

  it('allows the crossings the architecture allows', async () => {
    expect(
      await ruleIds("import { app } from 'electron';\nexport const a = app;", 'src-main/electron/x.ts'),
    ).not.toContain('no-restricted-imports');
    expect(
      await ruleIds(
        "import { parseAmount } from '../../src-shared/money/index.ts';\nexport const p = parseAmount;",
        'src-renderer/app/x.ts',
      ),
    ).toEqual([]);
    expect(
      await ruleIds("import { readFileSync } from 'node:fs';\nexport const f = readFileSync;", 'src-main/core/x.ts'),
    ).toEqual([]);
    // A node domain reaches another through its index.ts or facts.ts; the composition root reaches modules.
    for (const [code, file] of [
      [
        "import type { WalletService } from '../wallets/index.ts';\nexport type W = WalletService;",
        'src-main/orders/x.ts',
      ],
      ["import '../history/facts.ts';\nexport const x = 1;", 'src-main/orders/x.ts'],
      ["import { ordersModule } from '../orders/module.ts';\nexport const m = ordersModule;", 'src-main/core/x.ts'],
    ] as const) {
      expect(await ruleIds(code, file)).not.toContain('no-restricted-imports');
    }
    // A feature reaches another through its index.ts, and its own files directly.
    expect(
      await ruleIds(
        "import { swapQueries } from '../swaps/index.ts';\nexport const q = swapQueries;",
        'src-renderer/orders/x.ts',
      ),
    ).toEqual([]);
    expect(
      await ruleIds(
        "import { deriveSteps } from './steps.ts';\nexport const d = deriveSteps;",
        'src-renderer/swaps/x.ts',
      ),
    ).toEqual([]);
    expect(
      await ruleIds(
        "import { canTransition } from '../../src-shared/orders/state.ts';\nexport const c = canTransition;",
        'src-renderer/orders/x.ts',
      ),
    ).toEqual([]);
  });
});
