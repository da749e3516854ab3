import { Button, Dialog, Form, Input, List, NavBar, SearchBar, Switch, Tag, Toast } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { errorText } from '../../api/client.ts';
import {
  myRegistrations,
  type PlaceCompound,
  type RegistrationView,
  registerWithCommunity,
  searchPlaces,
  searchUnits,
  withdrawRegistration,
} from '../../api/index.ts';
import { useSubmit } from '../../ui/forms.ts';
import { useMe } from '../../ui/session.tsx';
import { useLoad } from '../../ui/useLoad.ts';
import { MForm } from '../forms.tsx';

interface Values {
  name: string;
  idNumber: string;
  workUnit: string;
  skills?: string;
  leader?: boolean;
}

const STATUS_COLOR = {
  pending: 'warning',
  confirmed: 'success',
  rejected: 'danger',
  withdrawn: 'default',
} as const;

/** 到居住社区报到: an in-service member registers with the community where they live. */
export function RegisterPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useMe();
  const [form] = Form.useForm();
  const mine = useLoad(() => myRegistrations(), []);
  const [place, setPlace] = useState<PlaceCompound | null>(null);
  const [placeQuery, setPlaceQuery] = useState('');
  const [places, setPlaces] = useState<PlaceCompound[]>([]);
  const [unitId, setUnitId] = useState<number | undefined>();
  const [units, setUnits] = useState<{ id: number; name: string }[]>([]);
  const workUnit = Form.useWatch('workUnit', form) as string | undefined;

  useEffect(() => {
    const q = placeQuery.trim();
    if (!q) return setPlaces([]);
    const h = window.setTimeout(() => {
      searchPlaces({ q, limit: 8 })
        .then(setPlaces)
        .catch(() => setPlaces([]));
    }, 300);
    return () => window.clearTimeout(h);
  }, [placeQuery]);
  useEffect(() => {
    const q = (workUnit ?? '').trim();
    if (q.length < 2 || units.some((u) => u.name === q)) return;
    const h = window.setTimeout(() => {
      searchUnits(q)
        .then(setUnits)
        .catch(() => setUnits([]));
    }, 300);
    return () => window.clearTimeout(h);
  }, [workUnit, units]);

  const state = useSubmit<Values>(
    async (v) => {
      if (!place) {
        Toast.show({ content: t('party.register.pickCompound') });
        return;
      }
      await registerWithCommunity({
        name: v.name.trim(),
        idNumber: v.idNumber.trim(),
        compoundId: place.id,
        unitId,
        workUnit: v.workUnit.trim(),
        skills: (v.skills ?? '')
          .split(/[、,，\s]+/)
          .map((s) => s.trim())
          .filter(Boolean),
        leader: v.leader ?? false,
      });
      Toast.show({ icon: 'success', content: t('party.register.sent') });
      form.resetFields();
      setPlace(null);
      mine.reload();
    },
    { form, fields: ['name', 'idNumber', 'workUnit', 'skills'] },
  );
  const waiting = (mine.data ?? []).find((r) => r.status === 'pending');

  return (
    <div className="m-app">
      <NavBar onBack={() => navigate('/mine')} backIcon style={{ background: '#fff', '--height': '52px' }}>
        <span style={{ fontSize: 19 }}>{t('party.register.title')}</span>
      </NavBar>
      <div className="m-body">
        <p style={{ fontSize: 16, lineHeight: 1.6, margin: '12px 4px' }}>{t('party.register.intro')}</p>
        {(mine.data ?? []).length > 0 && (
          <List header={t('party.register.mine')} className="m-list" data-testid="m-registrations">
            {(mine.data ?? []).map((r) => (
              <Registration key={r.id} r={r} onChanged={mine.reload} />
            ))}
          </List>
        )}
        {!waiting && (
          <MForm form={form} name="party-register" state={state} submitText={t('party.register.submit')}>
            <Form.Item
              name="name"
              label={t('party.name')}
              initialValue={me.name}
              rules={[{ required: true, whitespace: true }]}
            >
              <Input maxLength={40} autoComplete="name" />
            </Form.Item>
            <Form.Item
              name="idNumber"
              label={t('party.idNumber')}
              description={t('party.register.idHelp')}
              rules={[{ required: true, message: t('validation.required', { field: t('party.idNumber') }) }]}
            >
              <Input maxLength={18} autoComplete="off" />
            </Form.Item>
            <Form.Item label={t('party.register.compound')} required>
              {place ? (
                <div className="m-picked">
                  <strong>{place.name}</strong> <span style={{ color: '#666' }}>{place.regionLabel}</span>{' '}
                  <Button size="small" fill="none" color="primary" onClick={() => setPlace(null)}>
                    {t('party.register.change')}
                  </Button>
                </div>
              ) : (
                <>
                  <SearchBar placeholder={t('party.register.compoundSearch')} onChange={setPlaceQuery} />
                  {places.map((p) => (
                    <List.Item
                      key={p.id}
                      onClick={() => setPlace(p)}
                      description={p.regionLabel}
                      arrowIcon={false}
                    >
                      {p.name}
                    </List.Item>
                  ))}
                </>
              )}
            </Form.Item>
            <Form.Item
              name="workUnit"
              label={t('party.workUnit')}
              description={unitId ? t('party.register.unitRegistered') : undefined}
              rules={[
                {
                  required: true,
                  whitespace: true,
                  message: t('validation.required', { field: t('party.workUnit') }),
                },
              ]}
            >
              <Input maxLength={200} onChange={() => setUnitId(undefined)} />
            </Form.Item>
            {!unitId &&
              units
                .filter((u) => u.name !== workUnit)
                .map((u) => (
                  <List.Item
                    key={u.id}
                    arrowIcon={false}
                    onClick={() => {
                      form.setFieldValue('workUnit', u.name);
                      setUnitId(u.id);
                    }}
                  >
                    {u.name}
                  </List.Item>
                ))}
            <Form.Item name="skills" label={t('party.skills')} description={t('party.register.skillsHelp')}>
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item
              name="leader"
              label={t('party.register.leader')}
              valuePropName="checked"
              layout="horizontal"
            >
              <Switch />
            </Form.Item>
          </MForm>
        )}
      </div>
    </div>
  );
}

function Registration({ r, onChanged }: { r: RegistrationView; onChanged: () => void }) {
  const { t } = useTranslation();
  return (
    <List.Item
      description={
        <>
          {r.workUnit}
          {r.reason && (
            <div>
              {t('party.reason')}：{r.reason}
            </div>
          )}
        </>
      }
      extra={
        r.can.withdraw ? (
          <Button
            size="small"
            onClick={async () => {
              if (
                !(await Dialog.confirm({
                  content: t('party.register.withdrawConfirm'),
                  confirmText: t('common.ok'),
                  cancelText: t('common.cancel'),
                }))
              )
                return;
              try {
                await withdrawRegistration(r.id);
                onChanged();
              } catch (e) {
                Toast.show({ icon: 'fail', content: errorText(e) });
              }
            }}
          >
            {t('party.register.withdraw')}
          </Button>
        ) : undefined
      }
    >
      {r.compound.name} <Tag color={STATUS_COLOR[r.status]}>{t(`party.register.statuses.${r.status}`)}</Tag>
    </List.Item>
  );
}
