// The main app frame: navigation on the left, status header on top, the current page below.
import { lazy, Suspense, useEffect, useRef } from 'react';
import { Icon, Logo, type IconName } from '../components/icons.tsx';
import { NetworkPage } from '../network/NetworkPage.tsx';
import { ComingSoonPage } from '../pages/ComingSoon.tsx';
import { Notifier } from '../notifications/Notifier.tsx';
import { SettingsPage } from '../settings/SettingsPage.tsx';
import { SettingsProvider } from '../settings/SettingsProvider.tsx';
import { SwapsPage } from '../swaps/SwapsPage.tsx';
import { WalletsPage } from '../wallets/WalletsPage.tsx';
import { Header } from './Header.tsx';
import { href, type PageId, type Route } from './routes.ts';
import { useRoute } from './useRoute.ts';

const NAV: ReadonlyArray<{ page: PageId; label: string; icon: IconName }> = [
  { page: 'trade', label: 'Trade', icon: 'trade' },
  { page: 'swaps', label: 'Swaps', icon: 'swaps' },
  { page: 'wallets', label: 'Wallets', icon: 'wallets' },
  { page: 'pay', label: 'Pay', icon: 'pay' },
  { page: 'identity', label: 'Identity', icon: 'identity' },
  { page: 'communities', label: 'Communities', icon: 'communities' },
  { page: 'network', label: 'Network', icon: 'network' },
];

function NavLink(props: { page: PageId; label: string; icon: IconName; current: PageId }) {
  const active = props.page === props.current;
  return (
    <li>
      <a
        href={href(props.page)}
        className={active ? 'nav-link active' : 'nav-link'}
        aria-current={active ? 'page' : undefined}
        data-testid={`nav-${props.page}`}
      >
        <Icon name={props.icon} />
        <span>{props.label}</span>
      </a>
    </li>
  );
}

// The Trade page brings the chart library; it loads when first opened, not with the app.
const TradePage = lazy(() => import('../trade/TradePage.tsx').then((m) => ({ default: m.TradePage })));

function Page(props: { route: Route }) {
  switch (props.route.page) {
    case 'trade':
      return (
        <Suspense fallback={<p className="muted">Loading the trading screen{'\u2026'}</p>}>
          <TradePage route={props.route} />
        </Suspense>
      );
    case 'wallets':
      return <WalletsPage route={props.route} />;
    case 'swaps':
      return <SwapsPage route={props.route} />;
    case 'network':
      return <NetworkPage />;
    case 'settings':
      return <SettingsPage />;
    default:
      return <ComingSoonPage page={props.route.page} />;
  }
}

export function Shell() {
  const route = useRoute();
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  // Moving focus to the new page's heading tells keyboard and screen-reader users where they are.
  const routeKey = `${route.page}/${route.rest.join('/')}`;
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    mainRef.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [routeKey]);

  return (
    <SettingsProvider>
      <div className="shell">
        <button type="button" className="skip-link" onClick={() => mainRef.current?.focus()}>
          Skip to content
        </button>
        <aside className="sidebar">
          <div className="brand">
            <Logo />
            <span>Hashlock</span>
          </div>
          <nav aria-label="Main" className="nav">
            <ul>
              {NAV.map((n) => (
                <NavLink key={n.page} {...n} current={route.page} />
              ))}
            </ul>
            <ul className="nav-bottom">
              <NavLink page="settings" label="Settings" icon="settings" current={route.page} />
            </ul>
          </nav>
        </aside>
        <div className="main-col">
          <Header />
          <main id="main" ref={mainRef} tabIndex={-1} className="page" data-testid={`page-${route.page}`}>
            <Page route={route} />
          </main>
        </div>
        <Notifier />
      </div>
    </SettingsProvider>
  );
}
