// Hands the one ApiClient and its connection state to the component tree, and routes pushed
// events through the one dispatcher (events.ts) to the features' handlers and listening
// components. After a reconnect everything is refetched, since events may have been missed
// while the connection was down.
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
import type { PushedEvent } from '../../src-shared/api/contract.ts';
import type { ApiClient } from '../../src-shared/api/client.ts';
import {
  createEventDispatcher,
  type EventDispatcher,
  type EventHandlers,
  type FeatureEventsFactory,
} from './events.ts';
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
  events: EventDispatcher;
}

const ApiContext = createContext<ApiContextValue | null>(null);

export function ApiProvider(props: {
  api: ApiClient;
  connection: ConnectionSource;
  /** Every feature's event handling (app/events.ts). */
  features: readonly FeatureEventsFactory[];
  children: ReactNode;
}) {
  const { api, connection, features } = props;
  const qc = useQueryClient();
  const events = useMemo(() => createEventDispatcher(qc, features), [qc, features]);

  useEffect(() => api.onEvent((e) => events.dispatch(e)), [api, events]);

  const wasOpen = useRef(connection.getState().status === 'open');
  useEffect(
    () =>
      connection.onState((s) => {
        if (s.status === 'open' && !wasOpen.current && s.everOpened) void qc.invalidateQueries();
        wasOpen.current = s.status === 'open';
      }),
    [connection, qc],
  );

  const value = useMemo(() => ({ api, connection, events }), [api, connection, events]);
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

/**
 * Handlers for pushed events while the component is mounted, called after the features' cache
 * handlers. The latest handlers are used without subscribing again on every render.
 */
export function useEvents(handlers: EventHandlers): void {
  const { events } = useApiContext();
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });
  useEffect(() => events.listen(() => latest.current), [events]);
}

/** Applies a command's answer that carries the same fact as a pushed event, the way the event is. */
export function useDispatchEvent(): (e: PushedEvent) => void {
  const { events } = useApiContext();
  return useCallback((e: PushedEvent) => events.dispatch(e), [events]);
}
