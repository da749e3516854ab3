import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { Alert, Button, Descriptions, Modal, Space, Table, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../../api/client.ts';
import {
  type ImportResultView,
  importLedger,
  importReportUrl,
  ledgerTemplateUrl,
} from '../../../api/index.ts';

/**
 * 导入党员台账: download the template, upload the filled sheet; every row is checked first, and a
 * sheet with problems is refused whole with their list and a report to download.
 */
export function ImportModal({
  open,
  onClose,
  onImported,
}: {
  open: boolean;
  onClose: () => void;
  onImported: () => void;
}) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<ImportResultView | null>(null);

  const upload = async (file: File) => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const r = await importLedger(file, file.name);
      setResult(r);
      if (r.status === 'imported') onImported();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('party.import.title')}
      width={760}
      onCancel={onClose}
      destroyOnHidden
      footer={<Button onClick={onClose}>{t('common.close')}</Button>}
      afterClose={() => {
        setResult(null);
        setError(null);
      }}
    >
      <Space orientation="vertical" style={{ width: '100%' }} size="middle">
        <Typography.Paragraph style={{ marginBottom: 0 }}>
          {t('party.import.intro')}{' '}
          <a href={ledgerTemplateUrl()} download data-testid="ledger-template">
            <DownloadOutlined aria-hidden /> {t('party.import.template')}
          </a>
        </Typography.Paragraph>
        <Upload.Dragger
          accept=".xlsx"
          multiple={false}
          showUploadList={false}
          disabled={busy}
          beforeUpload={(file) => {
            void upload(file);
            return false;
          }}
          data-testid="ledger-upload"
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined aria-hidden />
          </p>
          <p className="ant-upload-text">{busy ? t('party.import.checking') : t('party.import.drop')}</p>
          <p className="ant-upload-hint">{t('party.import.hint')}</p>
        </Upload.Dragger>
        {error && <Alert type="error" showIcon title={error} role="alert" />}
        {result && <ImportResult r={result} />}
      </Space>
    </Modal>
  );
}

function ImportResult({ r }: { r: ImportResultView }) {
  const { t } = useTranslation();
  const ok = r.status !== 'rejected';
  return (
    <div data-testid="import-result">
      <Alert
        type={ok ? 'success' : 'error'}
        showIcon
        title={ok ? t('party.import.done', r) : t('party.import.rejected', { count: r.problemCount })}
        description={ok ? undefined : t('party.import.rejectedHelp')}
        action={
          !ok && (
            <Button
              href={importReportUrl(r.id)}
              download
              icon={<DownloadOutlined aria-hidden />}
              data-testid="import-report"
            >
              {t('party.import.report')}
            </Button>
          )
        }
        style={{ marginBottom: 12 }}
      />
      <Descriptions
        size="small"
        column={4}
        // A refused sheet saved nothing: only its size is a fact.
        items={[
          { key: 'rows', label: t('party.import.rows'), children: r.rows },
          ...(ok
            ? [
                { key: 'created', label: t('party.import.created'), children: r.created },
                { key: 'updated', label: t('party.import.updated'), children: r.updated },
                { key: 'unchanged', label: t('party.import.unchanged'), children: r.unchanged },
              ]
            : []),
        ]}
      />
      {!ok && (
        <Table
          size="small"
          rowKey={(p) => `${p.row}-${p.column}-${p.reason}`}
          dataSource={r.problems}
          pagination={r.problems.length > 10 ? { pageSize: 10 } : false}
          data-testid="import-problems"
          columns={[
            { title: t('party.import.row'), dataIndex: 'row', width: 70 },
            {
              title: t('party.import.column'),
              dataIndex: 'column',
              width: 140,
              render: (c: string) => (c ? <Tag>{c}</Tag> : ''),
            },
            { title: t('party.import.reason'), dataIndex: 'reason' },
          ]}
        />
      )}
    </div>
  );
}
