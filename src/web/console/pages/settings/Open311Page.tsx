import { CopyOutlined, KeyOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../../api/client.ts';
import {
  createOpen311Client,
  listOpen311Clients,
  type Open311Client,
  type RegionNode,
  regionChildren,
  revokeOpen311Client,
} from '../../../api/index.ts';
import { formatDateTime } from '../../../ui/format.ts';
import { useLoad } from '../../../ui/useLoad.ts';
import { FormModal } from '../../forms.tsx';
import { actionsColumn } from '../../rowActions.tsx';

/** Where client systems send GeoReport v2 requests (the server's OPEN311_PREFIX). */
const OPEN311_PATH = '/open311/v2';

type Issued = Open311Client & { apiKey: string };

interface IssueForm {
  name: string;
  countyCode: string;
}

/** The counties this administrator may issue keys for: their own, or every county of their city. */
async function myCounties(): Promise<RegionNode[]> {
  const out: RegionNode[] = [];
  for (const r of await regionChildren()) {
    if (r.level === 'county') out.push(r);
    else if (r.level === 'city')
      out.push(...(await regionChildren(r.code)).filter((c) => c.level === 'county'));
  }
  return out;
}

/**
 * Open311 接入密钥: the client systems (12345 hotline and the like) of the administrator's
 * counties, issuing a key (shown once, in a modal that warns so and copies it) and revoking one.
 */
export default function Open311Page() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const list = useLoad(listOpen311Clients, []);
  const counties = useLoad(myCounties, []);
  const [issuing, setIssuing] = useState(false);
  const [issued, setIssued] = useState<Issued | null>(null);
  const endpoint = `${window.location.origin}${OPEN311_PATH}`;

  const replace = (c: Open311Client) =>
    list.setData((prev) => prev && { items: prev.items.map((x) => (x.id === c.id ? c : x)) });

  const revoke = async (c: Open311Client) => {
    try {
      replace(await revokeOpen311Client(c.id));
      message.success(t('open311Keys.revokeDone', { name: c.name }));
    } catch (e) {
      message.error(errorText(e));
    }
  };

  const columns: ColumnsType<Open311Client> = [
    {
      title: t('open311Keys.name'),
      dataIndex: 'name',
      render: (name: string) => <Typography.Text strong>{name}</Typography.Text>,
    },
    {
      title: t('open311Keys.county'),
      key: 'county',
      width: 170,
      render: (_: unknown, c) => (
        <span>
          {c.countyName} <Typography.Text type="secondary">{c.countyCode}</Typography.Text>
        </span>
      ),
    },
    {
      title: t('open311Keys.createdAt'),
      key: 'created',
      width: 190,
      render: (_: unknown, c) => (
        <div>
          <div className="gz-mono">{formatDateTime(c.createdAt)}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {c.createdByName ? t('open311Keys.createdBy', { name: c.createdByName }) : t('open311Keys.byCli')}
          </Typography.Text>
        </div>
      ),
    },
    {
      title: t('open311Keys.lastUsed'),
      dataIndex: 'lastUsedAt',
      width: 180,
      render: (at: string | null) =>
        at ? (
          <span className="gz-mono">{formatDateTime(at)}</span>
        ) : (
          <Typography.Text type="secondary">{t('open311Keys.neverUsed')}</Typography.Text>
        ),
    },
    {
      title: t('open311Keys.status'),
      key: 'status',
      width: 190,
      render: (_: unknown, c) =>
        c.revokedAt ? (
          <div>
            <Tag>{t('open311Keys.revoked')}</Tag>
            <div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('open311Keys.revokedAt', { at: formatDateTime(c.revokedAt) })}
              </Typography.Text>
            </div>
          </div>
        ) : (
          <Tag color="green">{t('open311Keys.active')}</Tag>
        ),
    },
    actionsColumn<Open311Client>(t, 90, (c) =>
      c.can.revoke ? (
        <Popconfirm
          title={t('open311Keys.revokeConfirm', { name: c.name })}
          okText={t('open311Keys.revoke')}
          cancelText={t('common.cancel')}
          okButtonProps={{ danger: true }}
          onConfirm={() => revoke(c)}
        >
          <Button type="link" size="small" danger>
            {t('open311Keys.revoke')}
          </Button>
        </Popconfirm>
      ) : (
        <Typography.Text type="secondary">—</Typography.Text>
      ),
    ),
  ];

  const countyOptions = (counties.data ?? []).map((c) => ({ value: c.code, label: c.name }));

  return (
    <Card
      title={t('open311Keys.title')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setIssuing(true)}>
          {t('open311Keys.issue')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary" style={{ maxWidth: 900 }}>
        {t('open311Keys.intro')}
      </Typography.Paragraph>
      <Descriptions
        size="small"
        column={1}
        style={{ marginBottom: 16 }}
        items={[
          {
            key: 'endpoint',
            label: t('open311Keys.endpoint'),
            children: (
              <Typography.Text code copyable={{ text: endpoint }}>
                {endpoint}
              </Typography.Text>
            ),
          },
        ]}
      />
      {list.error && (
        <Alert
          type="error"
          showIcon
          title={list.error}
          style={{ marginBottom: 16 }}
          action={<Button onClick={list.reload}>{t('common.refresh')}</Button>}
        />
      )}
      <Table<Open311Client>
        rowKey="id"
        data-testid="open311-table"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.loading}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: t('open311Keys.empty') }}
        scroll={{ x: 960 }}
      />

      <FormModal<IssueForm>
        open={issuing}
        name="open311-issue"
        title={t('open311Keys.issueTitle')}
        fields={['name', 'countyCode']}
        initialValues={countyOptions.length === 1 ? { countyCode: countyOptions[0]?.value } : undefined}
        onCancel={() => setIssuing(false)}
        onSubmit={async (v) => {
          const created = await createOpen311Client({ name: v.name.trim(), countyCode: v.countyCode });
          // The list never holds the key: only the one-time modal does, until it is closed.
          const { apiKey: _key, ...view } = created;
          list.setData((prev) => ({ items: [view, ...(prev?.items ?? []).filter((x) => x.id !== view.id)] }));
          setIssuing(false);
          setIssued(created);
        }}
      >
        {counties.error && (
          <Alert type="error" showIcon title={counties.error} style={{ marginBottom: 16 }} />
        )}
        {counties.data?.length === 0 && (
          <Alert type="warning" showIcon title={t('open311Keys.noCounty')} style={{ marginBottom: 16 }} />
        )}
        <Form.Item
          name="name"
          label={t('open311Keys.name')}
          rules={[
            {
              required: true,
              whitespace: true,
              message: t('validation.required', { field: t('open311Keys.name') }),
            },
          ]}
        >
          <Input maxLength={60} showCount placeholder={t('open311Keys.namePlaceholder')} />
        </Form.Item>
        <Form.Item
          name="countyCode"
          label={t('open311Keys.county')}
          extra={t('open311Keys.countyHelp')}
          rules={[{ required: true, message: t('validation.select', { field: t('open311Keys.county') }) }]}
        >
          <Select
            options={countyOptions}
            loading={counties.loading}
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('open311Keys.countyPlaceholder')}
          />
        </Form.Item>
      </FormModal>

      <KeyModal issued={issued} endpoint={endpoint} onClose={() => setIssued(null)} />
    </Card>
  );
}

/** Writes to the clipboard: the async API where allowed, else the old copy command. */
async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    } finally {
      area.remove();
    }
  }
}

/** The new key, once: a warning, the key with a copy button, and a second thought before closing uncopied. */
function KeyModal({
  issued,
  endpoint,
  onClose,
}: {
  issued: Issued | null;
  endpoint: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const [copied, setCopied] = useState(false);

  const close = () => {
    if (copied) {
      setCopied(false);
      onClose();
      return;
    }
    modal.confirm({
      title: t('open311Keys.closeUncopied'),
      content: t('open311Keys.closeUncopiedHint'),
      okText: t('open311Keys.closeAnyway'),
      cancelText: t('open311Keys.backToCopy'),
      okButtonProps: { danger: true },
      onOk: () => {
        setCopied(false);
        onClose();
      },
    });
  };

  const copy = async () => {
    if (!issued) return;
    if (await copyText(issued.apiKey)) {
      setCopied(true);
      message.success(t('open311Keys.copied'));
    } else message.error(t('open311Keys.copyFailed'));
  };

  return (
    <Modal
      open={issued !== null}
      title={
        <Space>
          <KeyOutlined />
          {t('open311Keys.keyTitle')}
        </Space>
      }
      width={640}
      maskClosable={false}
      keyboard={false}
      onCancel={close}
      destroyOnHidden
      footer={
        <Button type={copied ? 'primary' : 'default'} onClick={close}>
          {t('open311Keys.done')}
        </Button>
      }
    >
      {issued && (
        <>
          <Alert
            type="warning"
            showIcon
            title={t('open311Keys.keyWarning')}
            description={t('open311Keys.keyWarningDetail')}
            style={{ marginBottom: 16 }}
          />
          <Descriptions
            size="small"
            column={1}
            bordered
            style={{ marginBottom: 16 }}
            items={[
              { key: 'name', label: t('open311Keys.system'), children: issued.name },
              {
                key: 'county',
                label: t('open311Keys.county'),
                children: t('open311Keys.jurisdiction', {
                  county: issued.countyName,
                  code: issued.countyCode,
                }),
              },
              { key: 'endpoint', label: t('open311Keys.endpoint'), children: endpoint },
            ]}
          />
          <Typography.Text strong>{t('open311Keys.apiKey')}</Typography.Text>
          <Space.Compact style={{ width: '100%', marginTop: 8 }}>
            <Input
              readOnly
              value={issued.apiKey}
              data-testid="open311-key"
              onFocus={(e) => e.currentTarget.select()}
              style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' }}
            />
            <Button type="primary" icon={<CopyOutlined />} onClick={copy}>
              {t('open311Keys.copy')}
            </Button>
          </Space.Compact>
        </>
      )}
    </Modal>
  );
}
