import { Alert, Descriptions, Space } from 'antd';
import type { useAppProps } from 'antd/es/app/context';
import type { ReactNode } from 'react';

/**
 * Shows unmasked personal data just revealed (the server has already written the audit entry),
 * with the reminder that the look was recorded.
 */
export function showRevealed(
  modal: useAppProps['modal'],
  o: {
    title: string;
    closeText: string;
    recorded: string;
    rows: { key: string; label: string; value: ReactNode; testId?: string }[];
  },
) {
  modal.info({
    title: o.title,
    okText: o.closeText,
    width: 460,
    content: (
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Descriptions
          column={1}
          size="small"
          bordered
          items={o.rows.map((r) => ({
            key: r.key,
            label: r.label,
            children: <span data-testid={r.testId}>{r.value}</span>,
          }))}
        />
        <Alert type="warning" showIcon title={o.recorded} />
      </Space>
    ),
  });
}
