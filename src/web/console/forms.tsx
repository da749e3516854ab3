import { Alert, Button, Form, type FormInstance, Modal, Space } from 'antd';
import { type ReactNode, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useSubmit } from '../ui/forms.ts';

export function FormAlert({ error }: { error: string | null }) {
  if (!error) return null;
  return <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />;
}

export interface FormModalProps<T> {
  open: boolean;
  /** Form name: prefixes field ids so labels stay unique on the page. */
  name: string;
  title: ReactNode;
  initialValues?: Partial<T>;
  onCancel: () => void;
  /** Save; throw to keep the modal open with the problem shown. The caller closes it on success. */
  onSubmit: (values: T, form: FormInstance<T>) => Promise<void>;
  /** Field names that server field errors may be mapped onto. */
  fields: readonly string[];
  rename?: Record<string, string>;
  width?: number;
  children: ReactNode | ((form: FormInstance<T>) => ReactNode);
}

/** A modal holding a vertical form whose OK button ("确定") submits it, with server errors shown. */
export function FormModal<T extends object>(props: FormModalProps<T>) {
  const { t } = useTranslation();
  const [form] = Form.useForm<T>();
  const { busy, error, setError, submit } = useSubmit<T>((values) => props.onSubmit(values, form), {
    form,
    fields: props.fields,
    rename: props.rename,
  });
  useEffect(() => {
    if (props.open) setError(null);
  }, [props.open, setError]);

  return (
    <Modal
      open={props.open}
      title={props.title}
      width={props.width}
      okText={t('common.ok')}
      cancelText={t('common.cancel')}
      onCancel={props.onCancel}
      confirmLoading={busy}
      okButtonProps={{ htmlType: 'submit' }}
      destroyOnHidden
      modalRender={(dom) => (
        <Form<T>
          form={form}
          name={props.name}
          layout="vertical"
          initialValues={props.initialValues}
          clearOnDestroy
          onFinish={submit}
          scrollToFirstError
        >
          {dom}
        </Form>
      )}
    >
      <FormAlert error={error} />
      {typeof props.children === 'function' ? props.children(form) : props.children}
    </Modal>
  );
}

/**
 * Filters above a table, in a row: the fields, then "搜索" (`onSearch` with the values) and
 * "重置" (clears the fields, then `onReset`).
 */
export function FilterForm<F extends object>({
  name,
  onSearch,
  onReset,
  children,
}: {
  name: string;
  onSearch: (values: F) => void;
  onReset: () => void;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<F>();
  return (
    <Form<F>
      form={form}
      name={name}
      layout="inline"
      style={{ marginBottom: 16, rowGap: 8 }}
      onFinish={onSearch}
    >
      {children}
      <Form.Item>
        <Space>
          <Button type="primary" htmlType="submit">
            {t('common.search')}
          </Button>
          <Button
            onClick={() => {
              form.resetFields();
              onReset();
            }}
          >
            {t('common.reset')}
          </Button>
        </Space>
      </Form.Item>
    </Form>
  );
}
