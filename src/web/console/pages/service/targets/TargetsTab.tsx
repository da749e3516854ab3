import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Empty,
  Form,
  InputNumber,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../../../api/client.ts';
import {
  type CountyTargets,
  deleteServiceTarget,
  type GroupTarget,
  putServiceTarget,
  serviceTargets,
  type TargetGroup,
} from '../../../../api/service-targets.ts';
import { formatDateTime } from '../../../../ui/format.ts';
import { useLoad } from '../../../../ui/useLoad.ts';
import { FormModal } from '../../../forms.tsx';

interface EditForm {
  minTimes: number;
  minHours: number;
  remindOn?: dayjs.Dayjs[];
}

/** The annual targets of the counties in the viewer's area, per group; the county (and the city) edits them. */
export function TargetsTab({ year }: { year: number }) {
  const { t } = useTranslation();
  const list = useLoad(() => serviceTargets({ year }), [year]);
  if (list.error) return <Alert type="error" showIcon title={list.error} />;
  if (!list.data)
    return (
      <div style={{ textAlign: 'center', padding: 48 }}>
        <Spin />
      </div>
    );
  if (list.data.length === 0) return <Empty description={t('serviceTargets.noCounty')} />;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      {list.data.map((c) => (
        <CountyCard
          key={c.county.code}
          county={c}
          onChange={(next) =>
            list.setData((prev) => prev?.map((x) => (x.county.code === next.county.code ? next : x)))
          }
        />
      ))}
    </Space>
  );
}

function CountyCard({ county, onChange }: { county: CountyTargets; onChange: (c: CountyTargets) => void }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const [editing, setEditing] = useState<GroupTarget | null>(null);
  const label = (g: TargetGroup) => t(`serviceTargets.groups.${g}`);

  const remove = (g: GroupTarget) =>
    modal.confirm({
      title: t('serviceTargets.removeConfirm', { group: label(g.group) }),
      okText: t('common.ok'),
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          onChange(await deleteServiceTarget(county.county.code, county.year, g.group));
          message.success(t('serviceTargets.removed'));
        } catch (e) {
          message.error(errorText(e));
          throw e;
        }
      },
    });

  return (
    <Card
      type="inner"
      title={`${county.county.name} · ${county.year}`}
      extra={
        !county.can.edit && <Typography.Text type="secondary">{t('serviceTargets.readOnly')}</Typography.Text>
      }
      data-testid={`targets-county-${county.county.code}`}
    >
      <Table<GroupTarget>
        rowKey="group"
        size="middle"
        pagination={false}
        dataSource={county.groups}
        columns={[
          {
            title: t('serviceTargets.group'),
            key: 'group',
            width: 320,
            render: (_: unknown, g) => (
              <>
                <Typography.Text strong>{label(g.group)}</Typography.Text>
                <Typography.Paragraph type="secondary" style={{ margin: 0, fontSize: 12 }}>
                  {t(`serviceTargets.groupHelp.${g.group}`)}
                </Typography.Paragraph>
              </>
            ),
          },
          {
            title: t('serviceTargets.yearTarget'),
            key: 'target',
            width: 200,
            render: (_: unknown, g) =>
              g.effective ? (
                <Space orientation="vertical" size={2}>
                  <Typography.Text strong style={{ fontSize: 16 }}>
                    {t('serviceTargets.target', { times: g.effective.minTimes, hours: g.effective.minHours })}
                  </Typography.Text>
                  <Tag color={g.effective.source === 'county' ? 'red' : 'default'}>
                    {t(`serviceTargets.source.${g.effective.source}`)}
                  </Tag>
                </Space>
              ) : (
                <Typography.Text type="secondary">{t('serviceTargets.source.none')}</Typography.Text>
              ),
          },
          {
            title: t('serviceTargets.remindOn'),
            key: 'remind',
            render: (_: unknown, g) =>
              g.target?.remindOn.length ? (
                <Space orientation="vertical" size={2}>
                  <Space size={[4, 4]} wrap>
                    {g.target.remindOn.map((d) => (
                      <Tag key={d}>{d}</Tag>
                    ))}
                  </Space>
                  {g.remindersSent > 0 && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('serviceTargets.remindersSent', { count: g.remindersSent })}
                    </Typography.Text>
                  )}
                </Space>
              ) : (
                <Typography.Text type="secondary">{t('serviceTargets.noReminders')}</Typography.Text>
              ),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 200,
            render: (_: unknown, g) => (
              <Space orientation="vertical" size={2}>
                {county.can.edit && (
                  <Space>
                    <Button size="small" type="primary" ghost onClick={() => setEditing(g)}>
                      {g.target ? t('serviceTargets.change') : t('serviceTargets.set')}
                    </Button>
                    {/* Once members were reminded under it, the server keeps it (change it instead). */}
                    {g.target && g.remindersSent === 0 && (
                      <Button size="small" danger onClick={() => remove(g)}>
                        {t('serviceTargets.remove')}
                      </Button>
                    )}
                  </Space>
                )}
                {g.target && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('serviceTargets.updated', {
                      who: g.target.updatedBy ?? '—',
                      at: formatDateTime(g.target.updatedAt),
                    })}
                  </Typography.Text>
                )}
              </Space>
            ),
          },
        ]}
      />
      <FormModal<EditForm>
        open={editing !== null}
        name="service-target"
        title={
          editing &&
          t('serviceTargets.editTitle', {
            county: county.county.name,
            year: county.year,
            group: label(editing.group),
          })
        }
        initialValues={{
          minTimes: editing?.effective?.minTimes ?? 4,
          minHours: editing?.effective?.minHours ?? 20,
          remindOn: (editing?.target?.remindOn ?? []).map((d) => dayjs(d)),
        }}
        fields={['minTimes', 'minHours', 'remindOn']}
        onCancel={() => setEditing(null)}
        onSubmit={async (v) => {
          if (!editing) return;
          onChange(
            await putServiceTarget(county.county.code, county.year, editing.group, {
              minTimes: v.minTimes,
              minHours: v.minHours,
              remindOn: (v.remindOn ?? []).map((d) => d.format('YYYY-MM-DD')),
            }),
          );
          message.success(t('serviceTargets.saved'));
          setEditing(null);
        }}
      >
        <Space size="large">
          <Form.Item name="minTimes" label={t('serviceTargets.minTimes')} rules={[{ required: true }]}>
            <InputNumber min={0} max={366} precision={0} style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name="minHours" label={t('serviceTargets.minHours')} rules={[{ required: true }]}>
            <InputNumber min={0} max={2000} precision={0} style={{ width: 140 }} />
          </Form.Item>
        </Space>
        <Form.Item
          name="remindOn"
          label={t('serviceTargets.remindOn')}
          extra={t('serviceTargets.remindHelp')}
        >
          <DatePicker
            multiple
            maxTagCount="responsive"
            style={{ width: '100%' }}
            defaultPickerValue={dayjs(`${county.year}-01-01`)}
            disabledDate={(d) => d.year() !== county.year}
          />
        </Form.Item>
      </FormModal>
    </Card>
  );
}
