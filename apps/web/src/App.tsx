import { SignIn } from './auth/SignIn';
import { session } from './auth/session';
import { type Me, useMe } from './auth/useMe';
import { Notice } from './components/Notice';
import { AdminPage } from './pages/AdminPage';
import { LibraryPage } from './pages/LibraryPage';
import { PeoplePage } from './pages/PeoplePage';
import { PersonPage } from './pages/PersonPage';
import { SearchPage } from './pages/SearchPage';
import { VideoPage } from './pages/VideoPage';
import { Link, type Route, useRoute } from './router';

export function App() {
  const auth = useMe();
  const route = useRoute();
  if (auth.status === 'loading') return <p className="loading">Loading…</p>;
  if (auth.status === 'error') return <Notice kind="error">{auth.message}</Notice>;
  if (auth.status === 'signed-out') return <SignIn config={auth.config} reason={auth.reason} />;
  return (
    <>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <Header me={auth.me} path={route.path} />
      <main id="main" className="page" tabIndex={-1}>
        <Page route={route} me={auth.me} />
      </main>
    </>
  );
}

function Header({ me, path }: { me: Me; path: string }) {
  const nav = [
    { href: '/', label: 'Library', active: path === '/' || path.startsWith('/videos') },
    { href: '/search', label: 'Search', active: path.startsWith('/search') },
    { href: '/people', label: 'People', active: path.startsWith('/people') },
    ...(me.role === 'admin' ? [{ href: '/admin', label: 'Admin', active: path.startsWith('/admin') }] : []),
  ];
  return (
    <header className="topbar">
      <Link href="/" className="brand">
        <span className="logo" aria-hidden="true" />
        Heimdex
      </Link>
      <nav aria-label="Main">
        {nav.map((n) => (
          <Link key={n.href} href={n.href} aria-current={n.active ? 'page' : undefined}>
            {n.label}
          </Link>
        ))}
      </nav>
      <div className="account">
        <span className="muted who" title={me.id}>
          {me.displayName ?? me.email ?? 'signed in'}
          {me.role === 'admin' && <span className="badge">admin</span>}
        </span>
        <button className="ghost" onClick={() => void session.signOut()}>
          Sign out
        </button>
      </div>
    </header>
  );
}

function Page({ route, me }: { route: Route; me: Me }) {
  const [, section, id] = route.path.split('/');
  switch (section) {
    case '':
      return <LibraryPage />;
    case 'videos':
      return id ? <VideoPage id={id} at={Number(route.query.get('t') ?? 0)} /> : <LibraryPage />;
    case 'search':
      return <SearchPage query={route.query} />;
    case 'people':
      return id ? <PersonPage id={id} /> : <PeoplePage />;
    case 'admin':
      return me.role === 'admin' ? <AdminPage /> : <Notice kind="error">This page is for administrators only.</Notice>;
    default:
      return <Notice kind="error">There is no page at {route.path}.</Notice>;
  }
}
