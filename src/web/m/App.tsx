import { Button, ConfigProvider, ErrorBlock, SafeArea, SpinLoading, TabBar } from 'antd-mobile';
import enUS from 'antd-mobile/es/locales/en-US';
import zhCN from 'antd-mobile/es/locales/zh-CN';
import { AppOutline, FileOutline, UserOutline } from 'antd-mobile-icons';
import { lazy, type ReactNode, Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Outlet, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { SessionProvider, useMe, useSession } from '../ui/session.tsx';
import { canPatrol } from '../ui/tickets.ts';
import { HomePage } from './Home.tsx';
import { LoginPage } from './Login.tsx';
import { LiveProvider } from './live.tsx';
import { MinePage } from './Mine.tsx';
import { PasswordPage } from './Password.tsx';
import { useUnreadNotices } from './useUnread.ts';

// Ticket pages load on first use: the home screen stays light on slow phones.
const ReportPage = lazy(() => import('./tickets/ReportPage.tsx').then((m) => ({ default: m.ReportPage })));
const TicketsPage = lazy(() => import('./tickets/TicketsPage.tsx').then((m) => ({ default: m.TicketsPage })));
const TicketDetailPage = lazy(() =>
  import('./tickets/TicketDetailPage.tsx').then((m) => ({ default: m.TicketDetailPage })),
);
const NoticesPage = lazy(() => import('./tickets/NoticesPage.tsx').then((m) => ({ default: m.NoticesPage })));
const RegisterPage = lazy(() =>
  import('./party/RegisterPage.tsx').then((m) => ({ default: m.RegisterPage })),
);
const CarePage = lazy(() => import('./party/CarePage.tsx').then((m) => ({ default: m.CarePage })));
const PointsPage = lazy(() => import('./points/PointsPage.tsx').then((m) => ({ default: m.PointsPage })));
const ShopPage = lazy(() => import('./points/ShopPage.tsx').then((m) => ({ default: m.ShopPage })));
const DeclarePage = lazy(() => import('./points/DeclarePage.tsx').then((m) => ({ default: m.DeclarePage })));
const PostingPage = lazy(() => import('./points/PostingPage.tsx').then((m) => ({ default: m.PostingPage })));
const CounterPage = lazy(() => import('./points/CounterPage.tsx').then((m) => ({ default: m.CounterPage })));
const ApplyPage = lazy(() => import('./points/ApplyPage.tsx').then((m) => ({ default: m.ApplyPage })));
const ServicePage = lazy(() => import('./service/ServicePage.tsx').then((m) => ({ default: m.ServicePage })));
const ScanPage = lazy(() => import('./service/ScanPage.tsx').then((m) => ({ default: m.ScanPage })));
const CertificatesPage = lazy(() =>
  import('./service/CertificatesPage.tsx').then((m) => ({ default: m.CertificatesPage })),
);
const VerifyPage = lazy(() => import('./service/VerifyPage.tsx').then((m) => ({ default: m.VerifyPage })));
const page = (el: ReactNode) => <Suspense fallback={<Loading />}>{el}</Suspense>;

export function MobileApp() {
  return (
    <SessionProvider>
      <Providers>
        <BrowserRouter basename="/m">
          <Routes>
            <Route path="/login" element={<LoginPage />} />
            {/* 服务证明核验: for anyone holding a certificate's number, signed in or not. */}
            <Route path="/verify" element={page(<VerifyPage />)} />
            <Route path="/verify/:number" element={page(<VerifyPage />)} />
            <Route
              element={
                <RequireLogin>
                  <LiveProvider>
                    <Outlet />
                  </LiveProvider>
                </RequireLogin>
              }
            >
              <Route element={<TabLayout />}>
                <Route index element={<HomePage />} />
                <Route path="tickets" element={page(<TicketsPage />)} />
                <Route path="mine" element={<MinePage />} />
              </Route>
              <Route path="mine/password" element={<PasswordPage />} />
              <Route path="report" element={page(<ReportPage key="resident" />)} />
              <Route
                path="patrol"
                element={<RequirePatrol>{page(<ReportPage key="patrol" mode="patrol" />)}</RequirePatrol>}
              />
              <Route path="tickets/:id" element={page(<TicketDetailPage />)} />
              <Route path="notices" element={page(<NoticesPage />)} />
              <Route path="party/register" element={page(<RegisterPage />)} />
              <Route path="party/care" element={page(<CarePage />)} />
              <Route path="points" element={page(<PointsPage />)} />
              <Route path="points/shop" element={page(<ShopPage />)} />
              <Route path="points/declare" element={page(<DeclarePage />)} />
              <Route path="points/posting" element={page(<PostingPage />)} />
              <Route path="merchant" element={page(<CounterPage />)} />
              <Route path="merchant/apply" element={page(<ApplyPage />)} />
              <Route path="service" element={page(<ServicePage />)} />
              <Route path="service/scan" element={page(<ScanPage />)} />
              <Route path="service/certificates" element={page(<CertificatesPage />)} />
              <Route path="*" element={<Navigate to="/" replace />} />
            </Route>
          </Routes>
        </BrowserRouter>
      </Providers>
    </SessionProvider>
  );
}

function Providers({ children }: { children: ReactNode }) {
  const { i18n, t } = useTranslation();
  useEffect(() => {
    document.title = t('app.mobileTitle');
  }, [t]);
  return <ConfigProvider locale={i18n.language === 'en' ? enUS : zhCN}>{children}</ConfigProvider>;
}

export function Loading() {
  return (
    <div className="m-center">
      <SpinLoading color="primary" style={{ '--size': '40px' }} />
    </div>
  );
}

function RequireLogin({ children }: { children: ReactNode }) {
  const { me, bootError, retry, loggedOut } = useSession();
  const { t } = useTranslation();
  const location = useLocation();
  if (bootError)
    return (
      <div className="m-center" style={{ padding: 24, flexDirection: 'column' }}>
        <ErrorBlock status="disconnected" title={t('m.loadFailed')} description={bootError} />
        <Button color="primary" size="large" className="m-btn-big" onClick={retry} style={{ marginTop: 16 }}>
          {t('m.retry')}
        </Button>
      </div>
    );
  if (me === undefined) return <Loading />;
  if (me === null)
    return (
      <Navigate
        to="/login"
        replace
        state={loggedOut ? null : { from: location.pathname + location.search }}
      />
    );
  return <>{children}</>;
}

/** 网格巡查上报 is for grid workers: anyone else (say, after losing the grant) gets 随手拍. */
function RequirePatrol({ children }: { children: ReactNode }) {
  const me = useMe();
  if (!canPatrol(me)) return <Navigate to="/report" replace />;
  return <>{children}</>;
}

function TabLayout() {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const unread = useUnreadNotices();
  const active = location.pathname.startsWith('/mine')
    ? '/mine'
    : location.pathname.startsWith('/tickets')
      ? '/tickets'
      : '/';
  return (
    <div className="m-app">
      <main className="m-body">
        <Outlet context={unread} />
      </main>
      <nav className="m-tabbar" aria-label={t('app.mobileTitle')}>
        <TabBar activeKey={active} onChange={(key) => navigate(key)} safeArea={false}>
          <TabBar.Item key="/" icon={<AppOutline />} title={t('m.tabHome')} />
          <TabBar.Item
            key="/tickets"
            icon={<FileOutline />}
            title={t('m.tabTickets')}
            badge={
              unread > 0 ? <span data-testid="notices-badge">{unread > 99 ? '99+' : unread}</span> : undefined
            }
          />
          <TabBar.Item key="/mine" icon={<UserOutline />} title={t('m.tabMine')} />
        </TabBar>
        <SafeArea position="bottom" />
      </nav>
    </div>
  );
}
