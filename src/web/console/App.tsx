import { App as AntApp, Button, ConfigProvider, Result, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { lazy, type ReactNode, Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import type { Me } from '../api/index.ts';
import { SessionProvider, useSession } from '../ui/session.tsx';
import { canIntake, canWorkTickets } from '../ui/tickets.ts';
import { LoginPage } from './Login.tsx';
import { Overview } from './pages/Overview.tsx';
import {
  canAdministerUnits,
  canEditCalendar,
  canIssueOpen311Keys,
  canManageMerchants,
  canReadResponsibility,
  canWorkParty,
  Shell,
} from './Shell.tsx';

const GeoPage = lazy(() => import('./pages/geo/GeoPage.tsx'));
const UsersPage = lazy(() => import('./pages/users/UsersPage.tsx'));
const AuditPage = lazy(() => import('./pages/AuditPage.tsx'));
const SettingsPage = lazy(() => import('./pages/SettingsPage.tsx'));
const TicketsPage = lazy(() => import('./pages/tickets/TicketsPage.tsx'));
const IntakePage = lazy(() => import('./pages/tickets/IntakePage.tsx'));
const CalendarPage = lazy(() => import('./pages/settings/CalendarPage.tsx'));
const Open311Page = lazy(() => import('./pages/settings/Open311Page.tsx'));
const ResponsibilityPage = lazy(() => import('./pages/responsibility/ResponsibilityPage.tsx'));
const PartyPage = lazy(() => import('./pages/party/PartyPage.tsx'));
const UnitPage = lazy(() => import('./pages/unit/UnitPage.tsx'));
const MerchantsPage = lazy(() => import('./pages/merchants/MerchantsPage.tsx'));
const PointsPage = lazy(() => import('./pages/points/PointsPage.tsx'));
const ServicePage = lazy(() => import('./pages/service/ServicePage.tsx'));
const ServiceQrPage = lazy(() => import('./pages/service/QrDisplayPage.tsx'));
const ServiceCodesPage = lazy(() => import('./pages/service/CodesPrintPage.tsx'));
const ServiceTargetsPage = lazy(() => import('./pages/service/targets/TargetsPage.tsx'));

export function ConsoleApp() {
  return (
    <SessionProvider>
      <Providers>
        <BrowserRouter basename="/console">
          <ConsoleRoutes />
        </BrowserRouter>
      </Providers>
    </SessionProvider>
  );
}

function Providers({ children }: { children: ReactNode }) {
  const { i18n, t } = useTranslation();
  const en = i18n.language === 'en';
  useEffect(() => {
    document.title = t('app.consoleTitle');
  }, [t]);
  return (
    <ConfigProvider
      locale={en ? enUS : zhCN}
      // Keep "确定" as typed: accessible names stay stable for people and tests.
      button={{ autoInsertSpace: false }}
      theme={{ token: { borderRadius: 6, fontSize: 14 } }}
    >
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

function ConsoleRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      {/* 志愿服务 screens of their own, without the menu: the QR for a projector, codes to print. */}
      <Route
        path="service/slots/:id/qr"
        element={
          <RequireConsole>
            <Allowed when={canWorkParty} page={<ServiceQrPage />} />
          </RequireConsole>
        }
      />
      <Route
        path="service/slots/:id/codes"
        element={
          <RequireConsole>
            <Allowed when={canWorkParty} page={<ServiceCodesPage />} />
          </RequireConsole>
        }
      />
      <Route
        element={
          <RequireConsole>
            <Shell />
          </RequireConsole>
        }
      >
        <Route index element={<Overview />} />
        <Route path="tickets" element={<Allowed when={canWorkTickets} page={<TicketsPage />} />} />
        <Route path="tickets/new" element={<Allowed when={canIntake} page={<IntakePage />} />} />
        <Route
          path="responsibility"
          element={<Allowed when={canReadResponsibility} page={<ResponsibilityPage />} />}
        />
        <Route path="party" element={<Allowed when={canWorkParty} page={<PartyPage />} />} />
        <Route path="points" element={<Allowed when={canWorkParty} page={<PointsPage />} />} />
        <Route path="merchants" element={<Allowed when={canManageMerchants} page={<MerchantsPage />} />} />
        <Route path="service" element={<Allowed when={canWorkParty} page={<ServicePage />} />} />
        <Route
          path="service/targets"
          element={<Allowed when={canWorkParty} page={<ServiceTargetsPage />} />}
        />
        <Route path="unit" element={<Allowed when={canAdministerUnits} page={<UnitPage />} />} />
        <Route path="geo" element={<Allowed can="manageGeo" page={<GeoPage />} />} />
        <Route path="users" element={<Allowed can="manageUsers" page={<UsersPage />} />} />
        <Route path="audit" element={<Allowed can="viewAudit" page={<AuditPage />} />} />
        <Route path="calendar" element={<Allowed when={canEditCalendar} page={<CalendarPage />} />} />
        <Route path="open311" element={<Allowed when={canIssueOpen311Keys} page={<Open311Page />} />} />
        <Route path="settings" element={<Allowed page={<SettingsPage />} />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

export function FullPageSpin() {
  return (
    <div className="gz-center">
      <Spin size="large" />
    </div>
  );
}

function RequireConsole({ children }: { children: ReactNode }) {
  const { me, bootError, retry, logout, loggedOut } = useSession();
  const { t } = useTranslation();
  const location = useLocation();
  if (bootError)
    return (
      <div className="gz-center">
        <Result
          status="warning"
          title={bootError}
          extra={
            <Button type="primary" onClick={retry}>
              {t('common.refresh')}
            </Button>
          }
        />
      </div>
    );
  if (me === undefined) return <FullPageSpin />;
  if (me === null)
    return (
      <Navigate
        to="/login"
        replace
        state={loggedOut ? null : { from: location.pathname + location.search }}
      />
    );
  if (!me.can.console)
    return (
      <div className="gz-center">
        <Result
          status="403"
          title={t('auth.noConsole')}
          subTitle={t('auth.noConsoleHint')}
          extra={[
            <Button key="m" type="primary" href="/m/">
              {t('auth.goMobile')}
            </Button>,
            <Button key="out" onClick={() => void logout()}>
              {t('auth.logout')}
            </Button>,
          ]}
        />
      </div>
    );
  return <>{children}</>;
}

function Allowed({
  can,
  when,
  page,
}: {
  can?: keyof Me['can'];
  /** A check of its own, for pages Me.can has no flag for. */
  when?: (me: Me) => boolean;
  page: ReactNode;
}) {
  const { me } = useSession();
  const { t } = useTranslation();
  if ((can && !me?.can[can]) || (when && (!me || !when(me))))
    return <Result status="403" title={t('nav.forbidden')} />;
  return <Suspense fallback={<FullPageSpin />}>{page}</Suspense>;
}

function NotFound() {
  const { t } = useTranslation();
  return (
    <Result
      status="404"
      title={t('nav.notFound')}
      extra={
        <Button type="primary" href="/console/">
          {t('nav.backHome')}
        </Button>
      }
    />
  );
}
