// Hands the one ApiClient and its connection state to the component tree, and wires pushed
// events into the query cache. After a reconnect everything is refetched, since events may
// have been missed while the connection was down.
import { useQueryClient } from '@tanstack/react-query';
import {
  createContext,
  use,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import type { ApiClient } from '../../src-shared/api/client.ts';
import { applyEventToCache } from './cache-events.ts';
import { createTradeCacheSync } from './trade-cache-events.ts';
import type { ConnectionState } from './ws-client.ts';

/** The connection state source: a WebSocket client has one; the Electron bridge is always open. */
export interface ConnectionSource {
  getState(): ConnectionState;
  onState(listener: (s: ConnectionState) => void): () => void;
}

const ALWAYS_OPEN: ConnectionState = { status: 'open', attempt: 0, everOpened: true, retryAt: null };
export const alwaysOpen: ConnectionSource = { getState: () => ALWAYS_OPEN, onState: () => () => {} };

interface ApiContextValue {
  api: ApiClient;
  connection: ConnectionSource;
}

const ApiContext = createContext<ApiContextValue | null>(null);

export function ApiProvider(props: { api: ApiClient; connection: ConnectionSource; children: ReactNode }) {
  const { api, connection } = props;
  const qc = useQueryClient();

  useEffect(() => {
    // Trading events come in bursts; they are batched per animation frame (trade-cache-events.ts).
    const trading = createTradeCacheSync(qc);
    const off = api.onEvent((e) => {
      applyEventToCache(qc, e);
      trading.apply(e);
    });
    return () => {
      off();
      trading.dispose();
    };
  }, [api, qc]);

  const wasOpen = useRef(connection.getState().status === 'open');
  useEffect(
    () =>
      connection.onState((s) => {
        if (s.status === 'open' && !wasOpen.current && s.everOpened) void qc.invalidateQueries();
        wasOpen.current = s.status === 'open';
      }),
    [connection, qc],
  );

  const value = useMemo(() => ({ api, connection }), [api, connection]);
  return <ApiContext value={value}>{props.children}</ApiContext>;
}

function useApiContext(): ApiContextValue {
  const ctx = use(ApiContext);
  if (!ctx) throw new Error('ApiProvider is missing above this component');
  return ctx;
}

export function useApi(): ApiClient {
  return useApiContext().api;
}

export function useConnection(): ConnectionState {
  const { connection } = useApiContext();
  const subscribe = useCallback((changed: () => void) => connection.onState(() => changed()), [connection]);
  const snapshot = useCallback(() => connection.getState(), [connection]);
  return useSyncExternalStore(subscribe, snapshot);
}
