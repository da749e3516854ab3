import {
  AimOutlined,
  ApartmentOutlined,
  ApiOutlined,
  AuditOutlined,
  BankOutlined,
  CalendarOutlined,
  FileTextOutlined,
  FlagOutlined,
  HeartOutlined,
  HomeOutlined,
  LogoutOutlined,
  ProfileOutlined,
  SettingOutlined,
  ShopOutlined,
  TeamOutlined,
  TrophyOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { App, Button, Flex, Layout, Menu, type MenuProps, Space, Tag, Tooltip, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { STAFF_ROLES } from '../../contracts/roles.ts';
import type { Me, Role } from '../api/index.ts';
import { roleLabel, rolesOf } from '../ui/roles.ts';
import { useMe, useSession } from '../ui/session.tsx';
import { canWorkTickets } from '../ui/tickets.ts';
import { LanguageSwitch } from './LanguageSwitch.tsx';

const { Header, Sider, Content } = Layout;

export interface NavItem {
  key: string;
  path: string;
  icon: ReactNode;
  label:
    | 'nav.overview'
    | 'nav.tickets'
    | 'nav.geo'
    | 'nav.users'
    | 'nav.audit'
    | 'nav.settings'
    | 'calendar.nav'
    | 'open311Keys.nav'
    | 'responsibility.nav'
    | 'party.nav'
    | 'merchants.nav'
    | 'serviceConsole.nav'
    | 'pointsConsole.nav'
    | 'serviceTargets.nav'
    | 'unit.nav';
  desc?:
    | 'overview.ticketsDesc'
    | 'overview.geoDesc'
    | 'overview.usersDesc'
    | 'overview.auditDesc'
    | 'overview.settingsDesc'
    | 'calendar.desc'
    | 'open311Keys.desc'
    | 'responsibility.desc'
    | 'party.desc'
    | 'merchants.desc'
    | 'serviceConsole.desc'
    | 'pointsConsole.desc'
    | 'serviceTargets.desc'
    | 'unit.desc';
}

const holds = (me: Me, roles: readonly Role[]) => me.grants.some((g) => roles.includes(g.role));
/** 节假日与调休: city administrators set the working calendar (server: setCalendarDay). */
export const canEditCalendar = (me: Me) => holds(me, ['cityAdmin']);
/** Open311 接入密钥: county and city administrators (server: open311 ISSUER_ROLES). */
export const canIssueOpen311Keys = (me: Me) => holds(me, ['countyAdmin', 'cityAdmin']);
/** 责任清单: every staff member reads it (server: listVersions, STAFF_ROLES). */
export const canReadResponsibility = (me: Me) => holds(me, STAFF_ROLES);
/** 党员与组织: party-work roles (server: party/policy.ts PARTY_ROLES). */
export const canWorkParty = (me: Me) =>
  holds(me, ['compoundSecretary', 'communityAdmin', 'townshipAdmin', 'countyAdmin', 'cityAdmin']);
/** 积分商家: the community and those above it (server: points/merchant-routes.ts, ORG_ROLES). */
export const canManageMerchants = (me: Me) =>
  holds(me, ['communityAdmin', 'townshipAdmin', 'countyAdmin', 'cityAdmin']);
/** Publishing a new version of it: city administrators (server: publishList). */
export const canPublishResponsibility = (me: Me) => holds(me, ['cityAdmin']);
/**
 * 本单位报到: co-building units' administrators (server: GET /me/party/units answers with the
 * units they administer; the role is granted with the first one, party/registration.ts addUnitAdmin).
 */
export const canAdministerUnits = (me: Me) => holds(me, ['unitAdmin']);

/** The menu a user sees follows what they may do (Me.can), so nothing leads to a refusal. */
export function navItems(me: Me): NavItem[] {
  const items: NavItem[] = [{ key: 'overview', path: '/', icon: <HomeOutlined />, label: 'nav.overview' }];
  if (canWorkTickets(me))
    items.push({
      key: 'tickets',
      path: '/tickets',
      icon: <FileTextOutlined />,
      label: 'nav.tickets',
      desc: 'overview.ticketsDesc',
    });
  if (canReadResponsibility(me))
    items.push({
      key: 'responsibility',
      path: '/responsibility',
      icon: <ProfileOutlined />,
      label: 'responsibility.nav',
      desc: 'responsibility.desc',
    });
  if (canWorkParty(me))
    items.push({
      key: 'party',
      path: '/party',
      icon: <FlagOutlined />,
      label: 'party.nav',
      desc: 'party.desc',
    });
  // 积分: rules, declarations and postings are party work (server: points/rules-routes.ts, posting-routes.ts).
  if (canWorkParty(me))
    items.push({
      key: 'points',
      path: '/points',
      icon: <TrophyOutlined />,
      label: 'pointsConsole.nav',
      desc: 'pointsConsole.desc',
    });
  if (canManageMerchants(me))
    items.push({
      key: 'merchants',
      path: '/merchants',
      icon: <ShopOutlined />,
      label: 'merchants.nav',
      desc: 'merchants.desc',
    });
  // 志愿服务: organisers are the same party staff (server: service/routes.ts partyStaff).
  if (canWorkParty(me))
    items.push({
      key: 'service',
      path: '/service',
      icon: <HeartOutlined />,
      label: 'serviceConsole.nav',
      desc: 'serviceConsole.desc',
    });
  // 服务目标: the same party staff read targets and progress (server: service/targets-routes.ts).
  if (canWorkParty(me))
    items.push({
      key: 'serviceTargets',
      path: '/service/targets',
      icon: <AimOutlined />,
      label: 'serviceTargets.nav',
      desc: 'serviceTargets.desc',
    });
  if (canAdministerUnits(me))
    items.push({
      key: 'unit',
      path: '/unit',
      icon: <BankOutlined />,
      label: 'unit.nav',
      desc: 'unit.desc',
    });
  if (me.can.manageGeo)
    items.push({
      key: 'geo',
      path: '/geo',
      icon: <ApartmentOutlined />,
      label: 'nav.geo',
      desc: 'overview.geoDesc',
    });
  if (me.can.manageUsers)
    items.push({
      key: 'users',
      path: '/users',
      icon: <TeamOutlined />,
      label: 'nav.users',
      desc: 'overview.usersDesc',
    });
  if (me.can.viewAudit)
    items.push({
      key: 'audit',
      path: '/audit',
      icon: <AuditOutlined />,
      label: 'nav.audit',
      desc: 'overview.auditDesc',
    });
  if (canEditCalendar(me))
    items.push({
      key: 'calendar',
      path: '/calendar',
      icon: <CalendarOutlined />,
      label: 'calendar.nav',
      desc: 'calendar.desc',
    });
  if (canIssueOpen311Keys(me))
    items.push({
      key: 'open311',
      path: '/open311',
      icon: <ApiOutlined />,
      label: 'open311Keys.nav',
      desc: 'open311Keys.desc',
    });
  items.push({
    key: 'settings',
    path: '/settings',
    icon: <SettingOutlined />,
    label: 'nav.settings',
    desc: 'overview.settingsDesc',
  });
  return items;
}

export function Shell() {
  const me = useMe();
  const { logout } = useSession();
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const navigate = useNavigate();
  const location = useLocation();
  const [collapsed, setCollapsed] = useState(false);

  const items = navItems(me);
  // The longest matching path wins: /service/targets is 服务目标, not 志愿服务.
  const current =
    items
      .filter((i) => i.path !== '/' && location.pathname.startsWith(i.path))
      .sort((a, b) => b.path.length - a.path.length)[0]?.key ?? (location.pathname === '/' ? 'overview' : '');
  const menu: MenuProps['items'] = items.map((i) => ({ key: i.key, icon: i.icon, label: t(i.label) }));
  const roles = rolesOf(me.grants);

  const onLogout = () =>
    modal.confirm({
      title: t('auth.logoutConfirm'),
      okText: t('common.ok'),
      cancelText: t('common.cancel'),
      onOk: async () => {
        await logout();
        message.success(t('auth.loggedOut'));
      },
    });

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider
        collapsible
        collapsed={collapsed}
        onCollapse={setCollapsed}
        breakpoint="lg"
        width={224}
        theme="dark"
        style={{ position: 'sticky', top: 0, height: '100vh', overflow: 'auto' }}
      >
        <div className="gz-brand" style={{ height: 64, padding: '0 16px' }}>
          <span className="gz-brand-mark">{t('app.name').slice(0, 1)}</span>
          {!collapsed && <span>{t('app.consoleTitle')}</span>}
        </div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={[current]}
          items={menu}
          onClick={({ key }) => {
            const item = items.find((i) => i.key === key);
            if (item) navigate(item.path);
          }}
        />
      </Sider>
      <Layout>
        <Header
          style={{
            background: '#fff',
            padding: '0 24px',
            borderBottom: '1px solid #f0f0f0',
            position: 'sticky',
            top: 0,
            zIndex: 10,
          }}
        >
          <Flex justify="flex-end" align="center" gap={16} style={{ height: '100%' }}>
            <Space size={4} wrap={false} style={{ overflow: 'hidden' }}>
              {roles.map((r) => (
                <Tooltip
                  key={r}
                  title={me.grants
                    .filter((g) => g.role === r)
                    .map((g) => g.scopeLabel)
                    .join('；')}
                >
                  <Tag color={r.endsWith('Admin') ? 'red' : 'blue'}>{roleLabel(t, r)}</Tag>
                </Tooltip>
              ))}
            </Space>
            <Space>
              <UserOutlined />
              <Typography.Text strong data-testid="user-name">
                {me.name}
              </Typography.Text>
            </Space>
            <LanguageSwitch />
            <Button icon={<LogoutOutlined />} onClick={onLogout}>
              {t('auth.logout')}
            </Button>
          </Flex>
        </Header>
        <Content style={{ padding: 24 }}>
          <Outlet />
        </Content>
      </Layout>
    </Layout>
  );
}
