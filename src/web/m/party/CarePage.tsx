import {
  Button,
  Card,
  ErrorBlock,
  Form,
  NavBar,
  Popup,
  Selector,
  SpinLoading,
  Tag,
  TextArea,
  Toast,
} from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { VISIT_MODES } from '../../../contracts/party-states.ts';
import { errorText } from '../../api/client.ts';
import {
  type CareState,
  logMyVisit,
  type MyCareView,
  myCare,
  myCarePhone,
  type VisitMode,
} from '../../api/index.ts';
import { todayInCity } from '../../ui/format.ts';
import { useSubmit } from '../../ui/forms.ts';
import { useLoad } from '../../ui/useLoad.ts';
import { MForm } from '../forms.tsx';

const STATE_COLOR: Record<CareState, string> = {
  unpaired: 'default',
  overdue: 'danger',
  dueSoon: 'warning',
  onTrack: 'success',
  closed: 'default',
};

/** 我的包联户: the households a member looks after, what is due, and recording a visit. */
export function CarePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const mine = useLoad(() => myCare(), []);
  const [visiting, setVisiting] = useState<MyCareView | null>(null);

  return (
    <div className="m-app">
      <NavBar onBack={() => navigate('/mine')} backIcon style={{ background: '#fff', '--height': '52px' }}>
        <span style={{ fontSize: 19 }}>{t('party.care.myTitle')}</span>
      </NavBar>
      <div className="m-body">
        {mine.loading && !mine.data && (
          <div className="m-center">
            <SpinLoading color="primary" />
          </div>
        )}
        {mine.error && <ErrorBlock status="default" title={mine.error} description="" />}
        {mine.data?.length === 0 && (
          <p
            style={{ fontSize: 18, lineHeight: 1.6, margin: '24px 8px', color: '#555' }}
            data-testid="m-care-empty"
          >
            {t('party.care.myEmpty')}
          </p>
        )}
        {(mine.data?.length ?? 0) > 0 && (
          <p style={{ fontSize: 16, lineHeight: 1.6, margin: '12px 4px' }}>{t('party.care.myIntro')}</p>
        )}
        {mine.data?.map((h) => (
          <Household key={h.id} h={h} onVisit={() => setVisiting(h)} />
        ))}
      </div>
      <Popup
        visible={visiting !== null}
        onMaskClick={() => setVisiting(null)}
        onClose={() => setVisiting(null)}
        bodyStyle={{
          borderTopLeftRadius: 12,
          borderTopRightRadius: 12,
          maxHeight: '92vh',
          overflowY: 'auto',
        }}
        destroyOnClose
      >
        {visiting && (
          <VisitForm
            h={visiting}
            onSaved={(next) => {
              mine.setData((prev) => prev?.map((x) => (x.id === next.id ? next : x)));
              setVisiting(null);
              Toast.show({ icon: 'success', content: t('party.care.saved') });
            }}
          />
        )}
      </Popup>
    </div>
  );
}

function Household({ h, onVisit }: { h: MyCareView; onVisit: () => void }) {
  const { t } = useTranslation();
  const [phone, setPhone] = useState<string | null>(null);
  const showPhone = async () => {
    try {
      const r = await myCarePhone(h.id);
      setPhone(r.phone ?? '');
      Toast.show({ content: t('party.care.phoneRecorded') });
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorText(e) });
    }
  };
  return (
    <Card
      className="m-card"
      data-testid="m-care"
      title={h.headName}
      extra={
        <Tag color={STATE_COLOR[h.state]} className="m-tag-big">
          {h.state === 'overdue'
            ? t('party.care.overdueDays', { days: h.overdueDays })
            : t(`party.care.states.${h.state}`)}
        </Tag>
      }
    >
      <Row label={t('party.care.address')} value={[h.compound.name, h.address].filter(Boolean).join(' ')} />
      <Row label={t('party.care.kinds')} value={h.kinds.map((k) => t(`party.care.kind.${k}`)).join('、')} />
      {h.note && <Row label={t('party.care.note')} value={h.note} />}
      <Row label={t('party.care.lastVisit')} value={h.lastVisitedOn ?? t('party.care.never')} />
      <Row
        label={t('party.care.dueOn')}
        value={`${h.dueOn}（${t('party.care.visitEveryValue', { days: h.visitEveryDays })}）`}
      />
      {h.phone && (
        <Row
          label={t('party.care.phone')}
          value={
            phone ? (
              <a href={`tel:${phone}`} style={{ fontSize: 20 }}>
                {t('party.care.call')} {phone}
              </a>
            ) : (
              <>
                {h.phone}{' '}
                <Button size="small" fill="outline" color="primary" onClick={showPhone}>
                  {t('party.care.showPhone')}
                </Button>
              </>
            )
          }
        />
      )}
      <Button
        block
        color="primary"
        size="large"
        className="m-btn-big"
        style={{ marginTop: 12 }}
        onClick={onVisit}
      >
        {t('party.care.logVisit')}
      </Button>
      {h.visits.length > 0 && (
        <div style={{ marginTop: 12 }}>
          <div className="m-row-label" style={{ fontSize: 16, marginBottom: 4 }}>
            {t('party.care.myVisits')}
          </div>
          {h.visits.slice(0, 5).map((v) => (
            <div key={v.id} style={{ fontSize: 16, padding: '6px 0', borderTop: '1px dashed #eee' }}>
              <strong>
                {v.visitedOn} · {t(`party.care.modes.${v.mode}`)}
              </strong>
              <div>{v.notes}</div>
              {v.problemsFound && (
                <div style={{ color: '#666' }}>
                  {t('party.care.problemsFound')}：{v.problemsFound}
                </div>
              )}
              {v.problemsSolved && (
                <div style={{ color: '#666' }}>
                  {t('party.care.problemsSolved')}：{v.problemsSolved}
                </div>
              )}
            </div>
          ))}
        </div>
      )}
    </Card>
  );
}

/** The phone's own date picker (large, familiar), not a custom one. */
function DateInput({
  value,
  onChange,
  max,
}: {
  value?: string;
  onChange?: (v: string) => void;
  max: string;
}) {
  return (
    <input
      type="date"
      className="m-date"
      value={value ?? ''}
      max={max}
      onChange={(e) => onChange?.(e.target.value)}
    />
  );
}

function Row({ label, value }: { label: string; value: React.ReactNode }) {
  return (
    <div className="m-row">
      <span className="m-row-label">{label}</span>
      <span>{value}</span>
    </div>
  );
}

interface Values {
  visitedOn: string;
  mode: VisitMode[];
  notes: string;
  problemsFound?: string;
  problemsSolved?: string;
}

function VisitForm({ h, onSaved }: { h: MyCareView; onSaved: (h: MyCareView) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const state = useSubmit<Values>(
    async (v) =>
      onSaved(
        await logMyVisit(h.id, {
          visitedOn: v.visitedOn,
          mode: v.mode[0] ?? 'home',
          notes: v.notes.trim(),
          problemsFound: v.problemsFound?.trim() || undefined,
          problemsSolved: v.problemsSolved?.trim() || undefined,
        }),
      ),
    { form, fields: ['visitedOn', 'mode', 'notes', 'problemsFound', 'problemsSolved'] },
  );
  return (
    <div style={{ padding: '12px 8px 24px' }}>
      <div className="m-section-title">
        {t('party.care.logVisit')} · {h.headName}
      </div>
      <MForm form={form} name="care-visit" state={state} submitText={t('common.save')}>
        <Form.Item
          name="visitedOn"
          label={t('party.care.visitedOn')}
          initialValue={todayInCity()}
          rules={[{ required: true }]}
        >
          <DateInput max={todayInCity()} />
        </Form.Item>
        <Form.Item name="mode" label={t('party.care.mode')} initialValue={['home']}>
          <Selector
            columns={3}
            options={VISIT_MODES.map((m) => ({ value: m, label: t(`party.care.modes.${m}`) }))}
          />
        </Form.Item>
        <Form.Item
          name="notes"
          label={t('party.care.notes')}
          rules={[
            {
              required: true,
              whitespace: true,
              message: t('validation.required', { field: t('party.care.notes') }),
            },
          ]}
        >
          <TextArea rows={3} maxLength={2000} autoSize={{ minRows: 3, maxRows: 8 }} />
        </Form.Item>
        <Form.Item name="problemsFound" label={t('party.care.problemsFound')}>
          <TextArea rows={2} maxLength={2000} autoSize={{ minRows: 2, maxRows: 6 }} />
        </Form.Item>
        <Form.Item name="problemsSolved" label={t('party.care.problemsSolved')}>
          <TextArea rows={2} maxLength={2000} autoSize={{ minRows: 2, maxRows: 6 }} />
        </Form.Item>
      </MForm>
    </div>
  );
}
