import {
  App,
  Button,
  Form,
  Input,
  InputNumber,
  List,
  Segmented,
  Select,
  Space,
  Statistic,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_ENTRY_POINTS, POINT_SOURCES } from '../../../../contracts/points-states.ts';
import { memberPoints, type PointSource, postPointsEntry, type TransferView } from '../../../api/index.ts';
import { formatDateTime } from '../../../ui/format.ts';
import { newIdempotencyKey } from '../../../ui/tickets.ts';
import { useLoad } from '../../../ui/useLoad.ts';
import { FormModal } from '../../forms.tsx';

interface EntryForm {
  direction: 'award' | 'deduct';
  points: number;
  source?: PointSource;
  reason: string;
  evidence?: string;
}

/** 积分 on a member's record: balance, what came in and went out, and an entry by staff. */
export function MemberPoints({ memberId, canPost }: { memberId: number; canPost: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const loaded = useLoad(() => memberPoints(memberId, { limit: 10 }), [memberId]);
  const [open, setOpen] = useState(false);
  // One key per opened form: a double click or a retried request posts once.
  const [key, setKey] = useState(newIdempotencyKey);
  const a = loaded.data?.account;

  return (
    <>
      <Space style={{ justifyContent: 'space-between', width: '100%', marginTop: 16 }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('points.title')}
        </Typography.Title>
        {canPost && (
          <Button
            size="small"
            onClick={() => {
              setKey(newIdempotencyKey());
              setOpen(true);
            }}
          >
            {t('points.post')}
          </Button>
        )}
      </Space>
      <Space size={32} style={{ margin: '8px 0' }} data-testid="member-points">
        <Statistic title={t('points.balance')} value={a?.balance ?? 0} />
        <Statistic title={t('points.earned')} value={a?.earned ?? 0} />
        <Statistic title={t('points.spent')} value={a?.spent ?? 0} />
      </Space>
      <List<TransferView>
        size="small"
        loading={loaded.loading}
        dataSource={loaded.data?.statement.items ?? []}
        locale={{ emptyText: t('points.none') }}
        renderItem={(x) => (
          <List.Item extra={<Amount points={x.points} />}>
            <List.Item.Meta
              title={x.reason}
              description={
                <>
                  {x.source ? `${t(`points.sources.${x.source}`)} · ` : ''}
                  {formatDateTime(x.at)}
                  {x.approvedBy ? ` · ${t('points.approvedBy', { who: x.approvedBy })}` : ''}
                  {x.evidence ? ` · ${t('points.evidence')}：${x.evidence}` : ''}
                </>
              }
            />
          </List.Item>
        )}
      />
      <FormModal<EntryForm>
        open={open}
        name="points-entry"
        title={t('points.post')}
        initialValues={{ direction: 'award', points: 5 }}
        fields={['points', 'source', 'reason', 'evidence']}
        onCancel={() => setOpen(false)}
        onSubmit={async (v) => {
          const r = await postPointsEntry(
            {
              memberId,
              points: v.points,
              source: v.direction === 'deduct' ? 'deduction' : (v.source as PointSource),
              reason: v.reason.trim(),
              evidence: v.evidence?.trim() || undefined,
            },
            key,
          );
          setOpen(false);
          loaded.reload();
          message.success(t('points.posted', { balance: r.account.balance }));
        }}
      >
        {(form) => (
          <>
            <Form.Item name="direction">
              <Segmented
                options={[
                  { value: 'award', label: t('points.award') },
                  { value: 'deduct', label: t('points.deduct') },
                ]}
                onChange={() => form.validateFields(['source']).catch(() => undefined)}
              />
            </Form.Item>
            <Form.Item
              name="points"
              label={t('points.points')}
              rules={[{ required: true, message: t('validation.required', { field: t('points.points') }) }]}
            >
              <InputNumber min={1} max={MAX_ENTRY_POINTS} precision={0} style={{ width: 160 }} />
            </Form.Item>
            <Form.Item noStyle dependencies={['direction']}>
              {() =>
                form.getFieldValue('direction') === 'award' && (
                  <Form.Item
                    name="source"
                    label={t('points.source')}
                    rules={[
                      { required: true, message: t('validation.select', { field: t('points.source') }) },
                    ]}
                  >
                    <Select
                      options={POINT_SOURCES.filter((s) => s !== 'deduction').map((s) => ({
                        value: s,
                        label: t(`points.sources.${s}`),
                      }))}
                    />
                  </Form.Item>
                )
              }
            </Form.Item>
            <Form.Item
              name="reason"
              label={t('points.reason')}
              rules={[
                {
                  required: true,
                  whitespace: true,
                  message: t('validation.required', { field: t('points.reason') }),
                },
              ]}
            >
              <Input maxLength={200} placeholder={t('points.reasonHint')} />
            </Form.Item>
            <Form.Item name="evidence" label={t('points.evidence')}>
              <Input maxLength={500} placeholder={t('points.evidenceHint')} />
            </Form.Item>
          </>
        )}
      </FormModal>
    </>
  );
}

function Amount({ points }: { points: number }) {
  return (
    <Typography.Text strong type={points < 0 ? 'danger' : 'success'} style={{ fontSize: 16 }}>
      {points > 0 ? `+${points}` : points}
    </Typography.Text>
  );
}
