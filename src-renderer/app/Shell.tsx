// The main app frame: navigation on the left, status header on top, the current page below.
import { Suspense, useEffect, useRef } from 'react';
import { Icon, Logo } from '../components/icons.tsx';
import { Notifier } from '../notifications/index.ts';
import { SettingsProvider, useSettings } from '../settings/index.ts';
import { Header } from './Header.tsx';
import { navigation, pageOf, type AnyPage } from './pages.ts';
import { href, type PageId, type Route } from './routes.ts';
import { useRoute } from './useRoute.ts';

const NAV = navigation();

function NavLink(props: { page: AnyPage; current: PageId }) {
  const { id, nav } = props.page;
  const active = id === props.current;
  return (
    <li>
      <a
        href={href(id)}
        className={active ? 'nav-link active' : 'nav-link'}
        aria-current={active ? 'page' : undefined}
        data-testid={`nav-${id}`}
      >
        <Icon name={nav.icon} />
        <span>{nav.label}</span>
      </a>
    </li>
  );
}

function Page(props: { route: Route }) {
  const entry = pageOf(props.route.page);
  if (!entry) return null;
  const Component = entry.component;
  // One boundary per page: a lazy page shows its loading line on its first visit only.
  return (
    <Suspense key={entry.id} fallback={<p className="muted">{entry.loading ?? 'Loading\u2026'}</p>}>
      <Component rest={props.route.rest} />
    </Suspense>
  );
}

/** Notices follow Settings → Notifications; muted, none are shown. */
function Notices() {
  const settings = useSettings();
  return <Notifier muted={settings.data?.notifications.muted ?? false} />;
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
              {NAV.main.map((p) => (
                <NavLink key={p.id} page={p} current={route.page} />
              ))}
            </ul>
            <ul className="nav-bottom">
              {NAV.bottom.map((p) => (
                <NavLink key={p.id} page={p} current={route.page} />
              ))}
            </ul>
          </nav>
        </aside>
        <div className="main-col">
          <Header />
          <main id="main" ref={mainRef} tabIndex={-1} className="page" data-testid={`page-${route.page}`}>
            <Page route={route} />
          </main>
        </div>
        <Notices />
      </div>
    </SettingsProvider>
  );
}
