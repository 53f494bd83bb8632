// The console's shell: who is signed in, the pages their role may use, and sign-out. Nobody signed
// in sees one thing: the way to sign in with the company's identity provider.
import { useQueryClient } from '@tanstack/react-query';
import { Link, Outlet } from '@tanstack/react-router';
import { api, signInUrl } from './api/client';
import { type Session, useSession } from './session';
import { Failed, Loading } from './ui/states';

type NavItem = { to: string; label: string };

const EVERYONE: NavItem[] = [
  { to: '/', label: 'My access' },
  { to: '/request', label: 'Request access' },
  { to: '/requests', label: 'My requests' },
  { to: '/approvals', label: 'Approvals' },
  { to: '/reviews', label: 'Reviews' },
  { to: '/passkeys', label: 'Passkeys' },
];
const ADMIN: NavItem[] = [
  { to: '/admin', label: 'Dashboard' },
  { to: '/admin/requests', label: 'Requests' },
  { to: '/admin/grants', label: 'Grants' },
  { to: '/admin/campaigns', label: 'Campaigns' },
  { to: '/admin/directory', label: 'Directory' },
  { to: '/admin/catalog', label: 'Catalog' },
];
const AUDITOR: NavItem[] = [
  { to: '/audit', label: 'Ledger' },
  { to: '/audit/verify', label: 'Verify' },
  { to: '/audit/checkpoints', label: 'Checkpoints' },
];

/** The sections a role sees; admins also read the ledger, as the API lets them. */
function sectionsFor(role: Session['role']): { title: string; items: NavItem[] }[] {
  const sections = [{ title: 'Access', items: EVERYONE }];
  if (role === 'admin') sections.push({ title: 'Administration', items: ADMIN });
  if (role === 'admin' || role === 'auditor') sections.push({ title: 'Audit', items: AUDITOR });
  return sections;
}

/** The frame around every page. */
export function Layout() {
  const session = useSession();
  if (session.isPending) return <Loading what="your session" />;
  if (session.isError) return <Failed error={session.error} retry={() => void session.refetch()} />;
  if (!session.data) return <SignIn />;
  return (
    <div className="shell">
      <header className="topbar">
        <Link to="/" className="brand">
          grantflow
        </Link>
        <span className="whoami">
          {session.data.person.name} <span className="role">{session.data.role}</span>
        </span>
        <SignOut />
      </header>
      <nav className="sidebar" aria-label="Console">
        {sectionsFor(session.data.role).map((section) => (
          <div key={section.title} className="nav-section">
            <h2>{section.title}</h2>
            <ul>
              {section.items.map((item) => (
                <li key={item.to}>
                  <Link to={item.to} activeOptions={{ exact: true }} activeProps={{ className: 'active' }}>
                    {item.label}
                  </Link>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </nav>
      <main className="content">
        <Outlet />
      </main>
    </div>
  );
}

function SignIn() {
  return (
    <main className="signin">
      <h1>grantflow</h1>
      <p>Ask for access, approve, review and audit, with your company account.</p>
      <a className="button primary" href={signInUrl()}>
        Sign in
      </a>
    </main>
  );
}

function SignOut() {
  const queries = useQueryClient();
  return (
    <button
      type="button"
      className="link"
      onClick={async () => {
        await api.POST('/auth/logout');
        queries.clear();
        window.location.assign('/');
      }}
    >
      Sign out
    </button>
  );
}
