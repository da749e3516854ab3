import { Button, Dialog, List, Switch } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { myParty } from '../api/index.ts';
import { roleLabel, sortGrants } from '../ui/roles.ts';
import { useMe, useSession } from '../ui/session.tsx';
import { useLoad } from '../ui/useLoad.ts';
import { useElderMode } from './elder.ts';
import { useLanguagePicker } from './LangToggle.tsx';

/** 我的: own name, phone (own, unmasked), roles, language, password, logout. */
export function MinePage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const { logout } = useSession();
  const navigate = useNavigate();
  const pickLanguage = useLanguagePicker();
  const [elder, setElder] = useElderMode();
  const grants = sortGrants(me.grants);
  const party = useLoad(() => myParty(), []);
  const member = party.data?.member;

  return (
    <>
      <header className="m-hero" style={{ paddingBottom: 40 }}>
        <div className="m-profile">
          <div className="m-avatar" aria-hidden>
            {me.name.slice(0, 1)}
          </div>
          <div>
            <h1 data-testid="m-name">{me.name}</h1>
            <p>{me.phone}</p>
          </div>
        </div>
      </header>
      <section className="m-section" style={{ marginTop: -20 }}>
        <List className="m-list">
          <List.Item extra={me.name}>{t('m.name')}</List.Item>
          <List.Item extra={me.phone}>{t('m.phone')}</List.Item>
          <List.Item
            description={
              grants.length === 0
                ? t('m.noRoles')
                : grants.map((g) => (
                    <span key={g.id} className="m-role">
                      <span className="m-role-name">{roleLabel(t, g.role)}</span>
                      <span className="m-role-scope">{g.scopeLabel}</span>
                    </span>
                  ))
            }
          >
            {t('m.roles')}
          </List.Item>
        </List>
        {member && (
          <List className="m-list" header={t('m.party')} data-testid="m-party">
            <List.Item extra={t(`party.standings.${member.standing}`)}>{t('party.standing')}</List.Item>
            <List.Item extra={t(`party.ledgers.${member.ledger}`)}>{t('party.ledger')}</List.Item>
            <List.Item extra={member.compound.name}>{t('party.compound')}</List.Item>
            <List.Item
              extra={party.data?.branch?.name ?? t('party.noOrg')}
              description={
                party.data?.branch ? t('party.orgs.members', party.data.branch.members) : undefined
              }
            >
              {t('party.org')}
            </List.Item>
            <List.Item extra={member.idNumber}>{t('party.idNumber')}</List.Item>
            <List.Item
              onClick={() => navigate('/service')}
              description={t('service.entryHint')}
              data-testid="m-service-entry"
            >
              {t('service.entry')}
            </List.Item>
            <List.Item onClick={() => navigate('/service/certificates')} data-testid="m-certificates-entry">
              {t('serviceTargets.m.certificates')}
            </List.Item>
            <List.Item onClick={() => navigate('/points')} data-testid="m-points-entry">
              {t('points.myTitle')}
            </List.Item>
            <List.Item onClick={() => navigate('/party/care')} data-testid="m-care-entry">
              {t('party.care.myTitle')}
            </List.Item>
          </List>
        )}
        <List className="m-list">
          <List.Item onClick={() => navigate('/party/register')}>{t('party.register.entry')}</List.Item>
          {me.grants.some((g) => g.role === 'merchant') && (
            <List.Item onClick={() => navigate('/merchant')} data-testid="m-counter-entry">
              {t('points.counter')}
            </List.Item>
          )}
          <List.Item onClick={() => navigate('/merchant/apply')} data-testid="m-merchant-apply-entry">
            {t('merchants.apply')}
          </List.Item>
        </List>
        <List className="m-list">
          <List.Item
            description={t('m.elderHint')}
            extra={
              <Switch checked={elder} onChange={setElder} aria-label={t('m.elder')} data-testid="m-elder" />
            }
          >
            {t('m.elder')}
          </List.Item>
          <List.Item extra={t(`lang.${i18n.language === 'en' ? 'en' : 'zh-CN'}`)} onClick={pickLanguage}>
            {t('m.language')}
          </List.Item>
          <List.Item onClick={() => navigate('/mine/password')}>{t('m.changePassword')}</List.Item>
        </List>
        <Button
          block
          size="large"
          className="m-btn-big"
          color="danger"
          fill="outline"
          onClick={async () => {
            const ok = await Dialog.confirm({
              content: <div style={{ fontSize: 18, textAlign: 'center' }}>{t('auth.logoutConfirm')}</div>,
              confirmText: t('common.ok'),
              cancelText: t('common.cancel'),
            });
            if (ok) await logout();
          }}
        >
          {t('auth.logout')}
        </Button>
      </section>
    </>
  );
}
