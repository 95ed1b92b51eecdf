/**
 * The staff console: sign in with a token, then the pages the caller's permissions open.
 * Everything goes through the public HTTP API.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError, get, session, setUnauthorizedHandler, type Me } from './api';
import { can } from './components';
import { initialLang, LangContext, saveLang, translator, useI18n, type Key, type Lang } from './i18n';
import { Link, navigate, usePath } from './router';
import { SignIn } from './pages/SignIn';
import { TasksPage } from './pages/Tasks';
import { OrderPage, OrdersPage } from './pages/Orders';
import { ManualOrderPage } from './pages/ManualOrder';
import { CodUploadPage } from './pages/CodRemittance';
import { KpiAdminPage } from './pages/KpiAdmin';
import { CustomerPage } from './pages/Customers';
import { DashboardPage } from './pages/Dashboard';
import { DefinitionsPage } from './pages/Definitions';
import { extraPages } from './pages/Books';
import { ComplaintPage, ComplaintsPage } from './pages/Complaints';
import { LiveProvider } from './live';
import { useCardTables } from './responsive';
import { Bell, NotificationsPage, Toasts } from './Bell';
import { ProfilePage } from './pages/Profile';
import { FirstRun, ProductsPage, StaffPage } from './pages/ShopSetup';
import { StaffingPage } from './pages/Staffing';
import { SuppliersPage } from './pages/Suppliers';
import { CouriersPage } from './pages/Couriers';
import { MotivationPage } from './pages/Motivation';
import { StorePage } from './pages/Store';

export function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const t = useMemo(() => translator(lang), [lang]);
  const [me, setMe] = useState<Me | null | undefined>(session.token() ? undefined : null);
  const path = usePath();
  // Phones: the menu folds away behind one button (the header took 540 of 844 px); closed again on every page change.
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [path]);
  // Every table on every page turns into cards on a phone (cells labelled from their headers).
  const mainRef = useCardTables();

  useEffect(() => {
    document.documentElement.lang = lang;
    saveLang(lang);
  }, [lang]);

  const signOut = useCallback(() => {
    session.signOut();
    setMe(null);
    navigate('/signin', { replace: true });
  }, []);
  useEffect(() => setUnauthorizedHandler(signOut), [signOut]);

  useEffect(() => {
    if (me !== undefined) return;
    get<Me>('/me').then(setMe, (err: unknown) => {
      if (err instanceof ApiError && err.status === 401) signOut();
      else setMe(null);
    });
  }, [me, signOut]);

  const signedIn = (who: Me) => {
    setMe(who);
    const next = new URLSearchParams(location.search).get('next');
    navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/tasks', { replace: true });
  };

  let page;
  if (me === undefined) page = <p className="muted">{t('loading')}</p>;
  else if (me === null) page = <SignIn onSignedIn={signedIn} />;
  else page = <Page path={path} me={me} />;

  useEffect(() => {
    if (me === null && !location.pathname.startsWith('/signin')) {
      const next = location.pathname === '/' ? '' : `?next=${encodeURIComponent(location.pathname + location.search)}`;
      navigate(`/signin${next}`, { replace: true });
    }
    if (me && (location.pathname === '/' || location.pathname.startsWith('/signin'))) navigate('/tasks', { replace: true });
  }, [me, path]);

  const shell = (
    <>
      <a className="skip" href="#main">
        {lang === 'vi' ? 'Bỏ qua điều hướng' : 'Skip to content'}
      </a>
      <header className={menuOpen ? 'top menu-open' : 'top'}>
        <div className="brand">{t('appName')}</div>
        <button
          type="button"
          className="menu-toggle secondary small"
          aria-expanded={menuOpen}
          aria-controls="main-nav"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          <span aria-hidden="true">☰ </span>
          {t('menu')}
        </button>
        {me && <Nav me={me} path={path} />}
        <div className="top-tools">
          {me && <Bell />}
          <label className="inline-label">
            <span>{t('language')}</span>
            <select value={lang} onChange={(e) => setLang(e.target.value as Lang)}>
              <option value="vi">Tiếng Việt</option>
              <option value="en">English</option>
            </select>
          </label>
          {me && (
            <span className="who">
              <span className="muted small">{t('signedInAs')}</span>{' '}
              <Link href="/profile" title={t('profileTitle')}>
                <strong>{me.name}</strong>
              </Link>
              <button type="button" className="secondary" onClick={signOut}>
                {t('signOut')}
              </button>
            </span>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1} ref={mainRef}>
        {page}
      </main>
      {me && <Toasts />}
    </>
  );
  return (
    <LangContext.Provider value={{ lang, t }}>
      {me ? <LiveProvider staffId={me.staffId}>{shell}</LiveProvider> : shell}
    </LangContext.Provider>
  );
}

function Nav({ me, path }: { me: Me; path: string }) {
  const { t } = useI18n();
  const items: Array<[string, Key, boolean]> = [
    ['/tasks', 'navTasks', can(me, 'tasks.read')],
    ['/orders', 'navOrders', can(me, 'orders.read')],
    ['/store', 'navStore', can(me, 'store.sell')],
    ['/dashboard', 'navDashboard', can(me, 'reports.read') || can(me, 'kpi.manage')],
    ['/definitions', 'navDefinitions', can(me, 'definitions.manage')],
    ['/complaints', 'navComplaints', can(me, 'complaints.read')],
    ['/staff', 'navStaff', can(me, 'staff.manage')],
    ['/products', 'navProducts', can(me, 'stock.manage')],
    ['/suppliers', 'navSuppliers', can(me, 'stock.manage')],
    ['/staffing', 'navStaffing', can(me, 'reports.read')],
    ['/couriers', 'navCouriers', can(me, 'reports.read')],
    ['/cod/upload', 'navCodUpload', can(me, 'books.manage')],
    ['/kpi', 'navKpiAdmin', can(me, 'kpi.manage')],
    ['/motivation', 'navMotivation', can(me, 'kpi.read')],
    ...extraPages.map((p): [string, Key, boolean] => [p.path, p.label, can(me, p.permission)]),
  ];
  return (
    <nav id="main-nav" aria-label={t('mainNav')}>
      <ul>
        {items
          .filter(([, , ok]) => ok)
          .map(([href, label]) => (
            <li key={href}>
              <Link href={href} aria-current={path.startsWith(href) ? 'page' : undefined}>
                {t(label)}
              </Link>
            </li>
          ))}
      </ul>
    </nav>
  );
}

function Page({ path, me }: { path: string; me: Me }) {
  const pathname = path.split('?')[0]!;
  if (pathname === '/orders/new') return <ManualOrderPage />;
  const customer = /^\/customers\/([^/]+)$/.exec(pathname);
  if (customer) return <CustomerPage id={decodeURIComponent(customer[1]!)} />;
  const order = /^\/orders\/([^/]+)$/.exec(pathname);
  if (order) return <OrderPage id={decodeURIComponent(order[1]!)} me={me} />;
  if (pathname === '/orders') return <OrdersPage me={me} />;
  if (pathname === '/notifications') return <NotificationsPage />;
  if (pathname === '/profile') return <ProfilePage me={me} />;
  const task = /^\/tasks\/([^/]+)$/.exec(pathname);
  if (task) return <TasksPage me={me} focus={decodeURIComponent(task[1]!)} />;
  if (pathname === '/dashboard') return <DashboardPage me={me} />;
  if (pathname === '/definitions') return <DefinitionsPage />;
  if (pathname === '/staff') return <StaffPage />;
  if (pathname === '/products') return <ProductsPage />;
  if (pathname === '/suppliers') return <SuppliersPage />;
  if (pathname === '/staffing') return <StaffingPage />;
  if (pathname === '/couriers') return <CouriersPage />;
  if (pathname === '/cod/upload') return <CodUploadPage />;
  if (pathname === '/kpi') return <KpiAdminPage />;
  if (pathname === '/motivation') return <MotivationPage me={me} />;
  if (pathname === '/store') return <StorePage />;
  const complaint = /^\/complaints\/([^/]+)$/.exec(pathname);
  if (complaint) return <ComplaintPage id={decodeURIComponent(complaint[1]!)} />;
  if (pathname === '/complaints') return <ComplaintsPage me={me} />;
  const extra = extraPages.find((p) => p.path === pathname);
  if (extra) return <extra.Component />;
  // Home: a new shop's first-run checklist above the person's tasks.
  return (
    <>
      <FirstRun me={me} />
      <TasksPage me={me} />
    </>
  );
}
