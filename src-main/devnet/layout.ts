// Where the devnet keeps its chains, nodes and state, and which ports it uses. One base port
// shifts them all, so tests can run a devnet beside a developer's.
import path from 'node:path';

export const DEVNET_CHAINS = ['DEVA', 'DEVB'] as const;
export const DEVNET_TRADERS = ['alice', 'bob'] as const;
/**
 * Nodes the devnet runs itself, with vaults it creates (password in the node's folder) and wallets
 * it connects: a market maker trading through its own JSON-RPC API, and the service node.
 */
export const DEVNET_MAKER = 'maker';
export const DEVNET_SERVICE_NODE = 'servicenode';

export interface DevnetLayout {
  root: string;
  stateFile: string;
  logFile: string;
  chains: Array<{ ticker: string; dataDir: string; rpcPort: number; p2pPort: number }>;
  nodes: Array<{
    name: string;
    dataDir: string;
    apiPort: number;
    p2pPort: number;
    role: 'trader' | 'servicenode';
    managed: boolean;
  }>;
}

export function devnetLayout(root: string, basePort = 19500): DevnetLayout {
  const abs = path.resolve(root);
  return {
    root: abs,
    stateFile: path.join(abs, 'state.json'),
    logFile: path.join(abs, 'devnet.log'),
    chains: DEVNET_CHAINS.map((ticker, i) => ({
      ticker,
      dataDir: path.join(abs, 'chains', ticker),
      rpcPort: basePort + 1 + i * 10,
      p2pPort: basePort + 2 + i * 10,
    })),
    nodes: [...DEVNET_TRADERS, DEVNET_SERVICE_NODE, DEVNET_MAKER].map((name, i) => ({
      name,
      dataDir: path.join(abs, 'nodes', name),
      apiPort: basePort + 100 + i,
      p2pPort: basePort + 200 + i,
      role: name === DEVNET_SERVICE_NODE ? ('servicenode' as const) : ('trader' as const),
      managed: name === DEVNET_SERVICE_NODE || name === DEVNET_MAKER,
    })),
  };
}

export interface DevnetState {
  supervisorPid: number;
  status: 'starting' | 'ready' | 'stopping' | 'failed';
  error?: string;
  startedAt: string;
  chains: Array<{ ticker: string; pid: number; rpcPort: number; dataDir: string }>;
  nodes: Array<{ name: string; pid: number; url: string; token: string; peerId: string }>;
}
