// Picks the transport to the node: the Electron preload bridge when present, otherwise the
// node's WebSocket with the access token from the page URL.
import type { ApiClient } from '../src-shared/api/client.ts';
import { RPC_PATH, WS_PATH } from '../src-shared/api/wire.ts';
import { alwaysOpen, type ConnectionSource } from './api/ApiProvider.tsx';
import { BridgeApiClient, findPreloadBridge } from './api/bridge-client.ts';
import { takeToken } from './api/token.ts';
import { httpTokenProbe, WsApiClient } from './api/ws-client.ts';

export type Boot =
  { kind: 'ready'; api: ApiClient; connection: ConnectionSource } | { kind: 'no-token' } | { kind: 'no-node' };

function sessionStore(win: Window): Storage | null {
  try {
    return win.sessionStorage;
  } catch {
    return null;
  }
}

export function bootTransport(win: Window): Boot {
  const bridge = findPreloadBridge(win);
  if (bridge) return { kind: 'ready', api: new BridgeApiClient(bridge), connection: alwaysOpen };

  const loc = win.location;
  if (loc.protocol !== 'http:' && loc.protocol !== 'https:') return { kind: 'no-node' };
  const storage = sessionStore(win);
  const token = takeToken({
    location: loc,
    history: win.history,
    storage: storage ?? { getItem: () => null, setItem: () => {} },
  });
  if (!token) return { kind: 'no-token' };

  const client = new WsApiClient({
    url: `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}${WS_PATH}`,
    token,
    probe: httpTokenProbe(`${loc.origin}${RPC_PATH}`, token),
  });
  client.onState((s) => {
    // A refused token is useless after a reload too; forget it so the page explains what to do.
    if (s.status === 'unauthorized') storage?.removeItem('hashlock.apiToken');
  });
  client.start();
  return { kind: 'ready', api: client, connection: client };
}
