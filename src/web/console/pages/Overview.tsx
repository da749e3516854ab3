import { MobileOutlined } from '@ant-design/icons';
import { Card, Col, Empty, List, Row, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { roleLabel, sortGrants } from '../../ui/roles.ts';
import { useMe } from '../../ui/session.tsx';
import { navItems } from '../Shell.tsx';

export function Overview() {
  const me = useMe();
  const { t } = useTranslation();
  const links = navItems(me).filter((i) => i.key !== 'overview');
  return (
    <Space orientation="vertical" size={24} style={{ width: '100%' }}>
      <Card>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {t('overview.welcome', { name: me.name })}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('overview.intro')}</Typography.Paragraph>
        <Typography.Title level={5}>{t('overview.grants')}</Typography.Title>
        {me.grants.length === 0 ? (
          <Empty description={t('overview.noGrants')} />
        ) : (
          <List
            size="small"
            dataSource={sortGrants(me.grants)}
            renderItem={(g) => (
              <List.Item>
                <Space>
                  <Tag color={g.role.endsWith('Admin') ? 'red' : 'blue'}>{roleLabel(t, g.role)}</Tag>
                  <span>{g.scopeLabel}</span>
                </Space>
              </List.Item>
            )}
          />
        )}
      </Card>
      <div>
        <Typography.Title level={5}>{t('overview.quickLinks')}</Typography.Title>
        <Row gutter={[16, 16]}>
          {links.map((l) => (
            <Col key={l.key} xs={24} sm={12} lg={6}>
              <Link to={l.path}>
                <Card hoverable className="gz-link-card">
                  <Card.Meta
                    avatar={<span style={{ fontSize: 24, color: '#c8161d' }}>{l.icon}</span>}
                    title={t(l.label)}
                    description={l.desc ? t(l.desc) : null}
                  />
                </Card>
              </Link>
            </Col>
          ))}
          <Col xs={24} sm={12} lg={6}>
            <a href="/m/">
              <Card hoverable className="gz-link-card">
                <Card.Meta
                  avatar={<MobileOutlined style={{ fontSize: 24, color: '#c8161d' }} />}
                  title={t('auth.goMobile')}
                  description="/m"
                />
              </Card>
            </a>
          </Col>
        </Row>
      </div>
    </Space>
  );
}
