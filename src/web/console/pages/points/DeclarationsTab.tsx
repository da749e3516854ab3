import {
  Alert,
  App,
  Button,
  Form,
  Image,
  Input,
  InputNumber,
  Popconfirm,
  Segmented,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../../api/client.ts';
import {
  type DeclarationStatus,
  type DeclarationView,
  decideDeclaration,
  declarationPhotoUrl,
  listDeclarations,
} from '../../../api/points-rules.ts';
import { formatDateTime } from '../../../ui/format.ts';
import { useCursorList } from '../../../ui/useCursorList.ts';
import { FormModal } from '../../forms.tsx';

const STATUS_COLOR: Record<DeclarationStatus, string> = {
  pending: 'gold',
  approved: 'green',
  rejected: 'red',
};

/** 申报审核: members' declarations in my area; approve (all or fewer points, with a reason) or reject. */
export function DeclarationsTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [status, setStatus] = useState<DeclarationStatus>('pending');
  const list = useCursorList((cursor) => listDeclarations({ status, cursor, limit: 30 }), [status]);
  const [partial, setPartial] = useState<DeclarationView | null>(null);
  const [rejecting, setRejecting] = useState<DeclarationView | null>(null);
  const [busy, setBusy] = useState<number | null>(null);

  /** A decided declaration leaves the pending list (or shows its outcome in the others). */
  const decided = (d: DeclarationView) =>
    list.setItems((items) =>
      status === 'pending' ? items.filter((x) => x.id !== d.id) : items.map((x) => (x.id === d.id ? d : x)),
    );

  const approve = async (d: DeclarationView) => {
    setBusy(d.id);
    try {
      const r = await decideDeclaration(d.id, { decision: 'approve' });
      decided(r);
      message.success(t('pointsConsole.approved', { points: r.approvedPoints }));
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap>
        <Segmented<DeclarationStatus>
          value={status}
          onChange={setStatus}
          options={(['pending', 'approved', 'rejected'] as const).map((s) => ({
            value: s,
            label: t(`pointsMember.status.${s}`),
          }))}
        />
        <Typography.Text type="secondary">{t('pointsConsole.declarationsIntro')}</Typography.Text>
      </Space>
      {list.error && <Alert type="error" showIcon title={list.error} />}
      <Table<DeclarationView>
        rowKey="id"
        size="middle"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        data-testid="declaration-table"
        scroll={{ x: 1100 }}
        columns={[
          {
            title: t('pointsConsole.member'),
            key: 'm',
            width: 150,
            render: (_: unknown, d) => (
              <>
                <Typography.Text strong>{d.member.name}</Typography.Text>
                <div style={{ fontSize: 12, color: '#888' }}>
                  {d.member.compound}
                  {d.member.org ? ` · ${d.member.org}` : ''}
                </div>
              </>
            ),
          },
          {
            title: t('pointsConsole.source'),
            key: 's',
            width: 110,
            render: (_: unknown, d) => t(`points.sources.${d.source}`),
          },
          {
            title: t('pointsConsole.what'),
            key: 'w',
            render: (_: unknown, d) => (
              <>
                <div>{d.description}</div>
                {d.evidence && (
                  <div style={{ fontSize: 12, color: '#666' }}>
                    {t('points.evidence')}：{d.evidence}
                  </div>
                )}
                {d.photos.length > 0 && (
                  <Image.PreviewGroup>
                    <Space size={4} style={{ marginTop: 4 }}>
                      {d.photos.map((p) => (
                        <Image
                          key={p.id}
                          width={48}
                          height={48}
                          style={{ objectFit: 'cover', borderRadius: 4 }}
                          src={declarationPhotoUrl(d.id, p.id, 'thumb')}
                          preview={{ src: declarationPhotoUrl(d.id, p.id) }}
                          alt={t('pointsMember.photo')}
                        />
                      ))}
                    </Space>
                  </Image.PreviewGroup>
                )}
              </>
            ),
          },
          {
            title: t('pointsConsole.asked'),
            key: 'p',
            width: 110,
            render: (_: unknown, d) => (
              <>
                <Typography.Text strong>{d.points}</Typography.Text>
                <div style={{ fontSize: 12, color: '#888' }}>
                  {t('pointsConsole.capValue', { max: d.maxPerEntry })}
                </div>
              </>
            ),
          },
          {
            title: t('pointsConsole.declaredAt'),
            dataIndex: 'createdAt',
            width: 150,
            render: (s: string) => formatDateTime(s),
          },
          {
            title: t('pointsConsole.outcome'),
            key: 'o',
            width: 180,
            render: (_: unknown, d) => (
              <>
                <Tag color={STATUS_COLOR[d.status]}>{t(`pointsMember.status.${d.status}`)}</Tag>
                {d.status === 'approved' && <span>+{d.approvedPoints}</span>}
                {d.reason && <div style={{ fontSize: 12 }}>{d.reason}</div>}
                {d.decidedBy && (
                  <div style={{ fontSize: 12, color: '#888' }}>
                    {d.decidedBy} {d.decidedAt ? formatDateTime(d.decidedAt) : ''}
                  </div>
                )}
              </>
            ),
          },
          {
            title: t('common.actions'),
            key: 'a',
            width: 200,
            fixed: 'right',
            render: (_: unknown, d) =>
              d.can.decide && (
                <Space size={0} wrap>
                  <Popconfirm
                    title={t('pointsConsole.approveAsk', {
                      name: d.member.name,
                      points: Math.min(d.points, d.maxPerEntry),
                    })}
                    okText={t('common.ok')}
                    cancelText={t('common.cancel')}
                    onConfirm={() => approve(d)}
                    disabled={d.points > d.maxPerEntry}
                  >
                    <Button
                      type="link"
                      size="small"
                      loading={busy === d.id}
                      disabled={d.points > d.maxPerEntry}
                      title={d.points > d.maxPerEntry ? t('pointsConsole.overCap') : undefined}
                    >
                      {t('pointsConsole.approve')}
                    </Button>
                  </Popconfirm>
                  <Button type="link" size="small" onClick={() => setPartial(d)}>
                    {t('pointsConsole.approvePart')}
                  </Button>
                  <Button type="link" size="small" danger onClick={() => setRejecting(d)}>
                    {t('pointsConsole.reject')}
                  </Button>
                </Space>
              ),
          },
        ]}
      />
      {list.more && (
        <Button onClick={list.more} loading={list.loading}>
          {t('common.loadMore')}
        </Button>
      )}

      <FormModal<{ points: number; reason: string }>
        open={partial !== null}
        name="declaration-partial"
        title={partial ? `${t('pointsConsole.approvePart')} · ${partial.member.name}` : ''}
        fields={['points', 'reason']}
        initialValues={
          partial ? { points: Math.max(1, Math.min(partial.points, partial.maxPerEntry) - 1) } : {}
        }
        onCancel={() => setPartial(null)}
        onSubmit={async (v) => {
          if (!partial) return;
          const r = await decideDeclaration(partial.id, {
            decision: 'approve',
            points: v.points,
            reason: v.reason.trim(),
          });
          setPartial(null);
          decided(r);
          message.success(t('pointsConsole.approved', { points: r.approvedPoints }));
        }}
      >
        {partial && (
          <>
            <Typography.Paragraph type="secondary">
              {t('pointsConsole.partialHelp', { asked: partial.points, max: partial.maxPerEntry })}
            </Typography.Paragraph>
            <Form.Item
              name="points"
              label={t('pointsConsole.approvedPoints')}
              rules={[
                {
                  required: true,
                  message: t('validation.required', { field: t('pointsConsole.approvedPoints') }),
                },
              ]}
            >
              <InputNumber
                min={1}
                max={Math.min(partial.points, partial.maxPerEntry)}
                precision={0}
                style={{ width: 160 }}
              />
            </Form.Item>
            <Form.Item
              name="reason"
              label={t('pointsConsole.reason')}
              rules={[
                {
                  required: true,
                  whitespace: true,
                  message: t('validation.required', { field: t('pointsConsole.reason') }),
                },
              ]}
            >
              <Input.TextArea rows={3} maxLength={500} placeholder={t('pointsConsole.partialReasonHint')} />
            </Form.Item>
          </>
        )}
      </FormModal>

      <FormModal<{ reason: string }>
        open={rejecting !== null}
        name="declaration-reject"
        title={rejecting ? `${t('pointsConsole.reject')} · ${rejecting.member.name}` : ''}
        fields={['reason']}
        onCancel={() => setRejecting(null)}
        onSubmit={async (v) => {
          if (!rejecting) return;
          const r = await decideDeclaration(rejecting.id, { decision: 'reject', reason: v.reason.trim() });
          setRejecting(null);
          decided(r);
          message.success(t('pointsConsole.rejected'));
        }}
      >
        <Form.Item
          name="reason"
          label={t('pointsConsole.reason')}
          extra={t('pointsConsole.rejectHelp')}
          rules={[
            {
              required: true,
              whitespace: true,
              message: t('validation.required', { field: t('pointsConsole.reason') }),
            },
          ]}
        >
          <Input.TextArea rows={3} maxLength={500} />
        </Form.Item>
      </FormModal>
    </Space>
  );
}
