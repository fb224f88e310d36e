// Renderer entry: theme first (no flash of the wrong colours), then the transport, then React.
import './zod-jitless.ts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiError } from '../src-shared/api/errors.ts';
import { ApiProvider } from './api/ApiProvider.tsx';
import { App } from './app/App.tsx';
import { FEATURE_EVENTS } from './app/events.ts';
import { NoToken } from './app/NoToken.tsx';
import { applyTheme, readStoredTheme, ThemeProvider } from './app/theme.tsx';
import { bootTransport } from './boot.ts';

function localStore(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

const storage = localStore();
const theme = readStoredTheme(storage);
applyTheme(theme, document.documentElement);

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Pushed events keep data current; refetching on every focus would only add chatter.
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      // A refusal from the node will not change by asking again; a dropped link might.
      retry: (count, err) => !(err instanceof ApiError) && count < 2,
    },
    mutations: { retry: false },
  },
});

const boot = bootTransport(window);
const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html has no #root element');

createRoot(rootElement).render(
  <StrictMode>
    <ThemeProvider initial={theme} storage={storage}>
      {boot.kind === 'ready' ? (
        <QueryClientProvider client={queryClient}>
          <ApiProvider api={boot.api} connection={boot.connection} features={FEATURE_EVENTS}>
            <App />
          </ApiProvider>
        </QueryClientProvider>
      ) : (
        <NoToken reason={boot.kind === 'no-token' ? 'missing' : 'no-node'} />
      )}
    </ThemeProvider>
  </StrictMode>,
);
