import {
  Button,
  ErrorBlock,
  Form,
  ImageUploader,
  type ImageUploadItem,
  Input,
  List,
  NavBar,
  Selector,
  SpinLoading,
  Stepper,
  Tabs,
  Tag,
  TextArea,
  Toast,
} from 'antd-mobile';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { errorText } from '../../api/client.ts';
import type { PointSource } from '../../api/index.ts';
import {
  type DeclarationView,
  declarationPhotoUrl,
  declarePoints,
  type MyDeclarations,
  myDeclarations,
  uploadDeclarationPhotos,
} from '../../api/points-rules.ts';
import { formatDateTime } from '../../ui/format.ts';
import { PHOTO_ACCEPT, photoProblem } from '../../ui/tickets.ts';
import { useLoad } from '../../ui/useLoad.ts';

const DESCRIPTION_MAX = 500;
const EVIDENCE_MAX = 500;
/** The server takes at most this many photos with one declaration. */
const PHOTOS_MAX = 6;

const STATUS_COLOR = { pending: 'warning', approved: 'success', rejected: 'danger' } as const;

/** 积分申报: declare what I did (a source my county lets members declare) and follow the outcome. */
export function DeclarePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'mine' ? 'mine' : 'new';
  const mine = useLoad(() => myDeclarations(), []);
  // A fresh form after each declaration.
  const [round, setRound] = useState(0);

  return (
    <div className="m-app">
      <NavBar onBack={() => navigate('/points')} backIcon style={{ background: '#fff', '--height': '52px' }}>
        <span style={{ fontSize: 19 }}>{t('pointsMember.declareTitle')}</span>
      </NavBar>
      <Tabs activeKey={tab} onChange={(k) => setParams(k === 'new' ? {} : { tab: k }, { replace: true })}>
        <Tabs.Tab title={t('pointsMember.declareNew')} key="new">
          {mine.loading && !mine.data ? (
            <div className="m-center">
              <SpinLoading color="primary" />
            </div>
          ) : mine.error ? (
            <ErrorBlock status="default" title={mine.error} description="" />
          ) : (
            <DeclareForm
              key={round}
              declarable={mine.data?.declarable ?? []}
              onDone={() => {
                mine.reload();
                setRound((n) => n + 1);
                setParams({ tab: 'mine' }, { replace: true });
              }}
            />
          )}
        </Tabs.Tab>
        <Tabs.Tab
          title={`${t('pointsMember.declareMine')}${mine.data?.items.length ? ` (${mine.data.items.length})` : ''}`}
          key="mine"
        >
          <MyList items={mine.data?.items ?? []} loading={mine.loading} />
        </Tabs.Tab>
      </Tabs>
    </div>
  );
}

type Values = { description: string; evidence?: string };

function DeclareForm({
  declarable,
  onDone,
}: {
  declarable: MyDeclarations['declarable'];
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [source, setSource] = useState<PointSource | null>(declarable[0]?.source ?? null);
  const rule = declarable.find((d) => d.source === source);
  const [points, setPoints] = useState<number>(rule ? Math.min(rule.points || 1, rule.maxPerEntry) : 1);
  const [photos, setPhotos] = useState<ImageUploadItem[]>([]);
  const [uploading, setUploading] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const sending = useRef(false);

  if (declarable.length === 0)
    return (
      <p className="m-empty-text" data-testid="m-declare-none">
        {t('pointsMember.nothingDeclarable')}
      </p>
    );

  const pick = (s: PointSource) => {
    const r = declarable.find((d) => d.source === s);
    setSource(s);
    if (r) setPoints(Math.min(Math.max(r.points, 1), r.maxPerEntry));
  };

  const upload = async (file: File): Promise<ImageUploadItem> => {
    try {
      const [stored] = await uploadDeclarationPhotos([file]);
      if (!stored) throw new Error('no photo stored');
      return { key: stored.id, url: URL.createObjectURL(file), extra: { id: stored.id } };
    } catch (e) {
      Toast.show({
        icon: 'fail',
        content: t('ticket.photoFailed', { detail: errorText(e) }),
        duration: 3000,
      });
      throw e;
    }
  };

  const submit = async () => {
    if (sending.current || !source) return;
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    if (uploading > 0) {
      Toast.show({ content: t('ticket.photoUploading') });
      return;
    }
    sending.current = true;
    setBusy(true);
    setError(null);
    try {
      await declarePoints({
        source,
        description: v.description.trim(),
        evidence: v.evidence?.trim() || undefined,
        photoIds: photos.map((p) => (p.extra as { id: number }).id),
        points,
      });
      Toast.show({ icon: 'success', content: t('pointsMember.declared') });
      onDone();
    } catch (e) {
      setError(errorText(e));
    } finally {
      sending.current = false;
      setBusy(false);
    }
  };

  return (
    <div className="m-body" data-testid="m-declare-form">
      <p style={{ fontSize: 16, lineHeight: 1.6, margin: '4px 4px 12px', color: '#555' }}>
        {t('pointsMember.declareIntro')}
      </p>
      <Form form={form} layout="vertical" className="m-form" requiredMarkStyle="text-required">
        <Form.Item label={t('pointsMember.source')} required>
          <Selector
            columns={1}
            value={source ? [source] : []}
            onChange={(v) => v[0] && pick(v[0])}
            options={declarable.map((d) => ({
              value: d.source,
              label: t(`points.sources.${d.source}`),
              description: t('pointsMember.sourceCap', { points: d.points, max: d.maxPerEntry }),
            }))}
            style={{ '--padding': '12px 14px' }}
          />
        </Form.Item>
        <Form.Item
          name="description"
          label={t('pointsMember.description')}
          rules={[
            {
              required: true,
              whitespace: true,
              message: t('validation.required', { field: t('pointsMember.description') }),
            },
          ]}
        >
          <TextArea
            placeholder={t('pointsMember.descriptionHint')}
            maxLength={DESCRIPTION_MAX}
            showCount
            autoSize={{ minRows: 3, maxRows: 8 }}
            aria-label={t('pointsMember.description')}
          />
        </Form.Item>
        <Form.Item name="evidence" label={t('pointsMember.evidence')}>
          <Input
            placeholder={t('pointsMember.evidenceHint')}
            maxLength={EVIDENCE_MAX}
            aria-label={t('pointsMember.evidence')}
          />
        </Form.Item>
        <Form.Item label={t('pointsMember.photos')} description={t('pointsMember.photosHint')}>
          <ImageUploader
            value={photos}
            onChange={setPhotos}
            upload={upload}
            accept={PHOTO_ACCEPT}
            multiple
            maxCount={PHOTOS_MAX}
            onCountExceed={() => Toast.show({ content: t('pointsMember.photoMax', { max: PHOTOS_MAX }) })}
            beforeUpload={(file) => {
              const problem = photoProblem(t, file);
              if (problem) {
                Toast.show({ icon: 'fail', content: problem, duration: 3000 });
                return null;
              }
              return file;
            }}
            onUploadQueueChange={(tasks) => setUploading(tasks.filter((x) => x.status === 'pending').length)}
            showFailed
            style={{ '--cell-size': '88px', '--gap': '10px' }}
          />
        </Form.Item>
        <Form.Item
          label={t('pointsMember.pointsAsked')}
          description={rule ? t('pointsMember.pointsCap', { max: rule.maxPerEntry }) : undefined}
        >
          <Stepper
            min={1}
            max={rule?.maxPerEntry ?? 1}
            digits={0}
            value={points}
            onChange={(n) => setPoints(n ?? 1)}
            aria-label={t('pointsMember.pointsAsked')}
            style={{ '--height': '40px', '--input-width': '64px', '--input-font-size': '20px' }}
          />
        </Form.Item>
      </Form>
      {error && (
        <p
          role="alert"
          style={{ color: '#c41d1d', fontSize: 16, margin: '8px 4px' }}
          data-testid="m-declare-error"
        >
          {error}
        </p>
      )}
      <Button
        block
        color="primary"
        size="large"
        className="m-btn-big"
        loading={busy}
        onClick={submit}
        style={{ marginTop: 12 }}
        data-testid="m-declare-submit"
      >
        {t('pointsMember.submit')}
      </Button>
    </div>
  );
}

function MyList({ items, loading }: { items: DeclarationView[]; loading: boolean }) {
  const { t } = useTranslation();
  if (loading && items.length === 0)
    return (
      <div className="m-center">
        <SpinLoading color="primary" />
      </div>
    );
  if (items.length === 0) return <p className="m-empty-text">{t('pointsMember.noDeclarations')}</p>;
  return (
    <List className="m-list" data-testid="m-declarations">
      {items.map((d) => (
        <List.Item
          key={d.id}
          extra={
            <div style={{ textAlign: 'right' }}>
              <Tag color={STATUS_COLOR[d.status]} style={{ fontSize: 14, padding: '2px 6px' }}>
                {t(`pointsMember.status.${d.status}`)}
              </Tag>
              <div
                style={{
                  fontSize: 20,
                  fontWeight: 600,
                  marginTop: 4,
                  color: d.status === 'approved' ? '#237804' : '#555',
                }}
              >
                {d.status === 'approved' ? `+${d.approvedPoints}` : d.points}
              </div>
            </div>
          }
          description={
            <>
              <div>
                {t(`points.sources.${d.source}`)} · {formatDateTime(d.createdAt)}
                {d.status === 'approved' && d.approvedPoints !== d.points
                  ? ` · ${t('pointsMember.askedWas', { points: d.points })}`
                  : ''}
              </div>
              {d.photos.length > 0 && (
                <div style={{ display: 'flex', gap: 6, marginTop: 6 }}>
                  {d.photos.map((p) => (
                    <img
                      key={p.id}
                      src={declarationPhotoUrl(d.id, p.id, 'thumb')}
                      alt={t('pointsMember.photo')}
                      style={{ width: 56, height: 56, objectFit: 'cover', borderRadius: 6 }}
                    />
                  ))}
                </div>
              )}
              {d.reason && (
                <div style={{ marginTop: 6, color: d.status === 'rejected' ? '#c41d1d' : '#8c6d1f' }}>
                  {d.status === 'rejected' ? t('pointsMember.rejectedWhy') : t('pointsMember.reducedWhy')}
                  {d.reason}
                </div>
              )}
            </>
          }
        >
          <span style={{ fontSize: 17 }}>{d.description}</span>
        </List.Item>
      ))}
    </List>
  );
}
