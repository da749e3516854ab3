import { Alert, Form, type FormInstance, Modal } from 'antd';
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, errorText } from '../api/client.ts';

/**
 * Shows a failed request on a form: field errors from the problem's `errors` go onto the
 * matching fields (paths like `grant.nodeRef` can be renamed with `rename`), and the
 * problem's `detail` is returned for the alert above the form.
 */
export function applyProblem(
  form: FormInstance | null,
  e: unknown,
  fields: readonly string[],
  rename: Record<string, string> = {},
): string {
  if (form && e instanceof ApiError && e.errors.length) {
    const byField = new Map<string, string[]>();
    for (const fe of e.errors) {
      const name = rename[fe.path] ?? fe.path;
      if (!fields.includes(name)) continue;
      byField.set(name, [...(byField.get(name) ?? []), fe.message]);
    }
    form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
  }
  return errorText(e);
}

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
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (props.open) setError(null);
  }, [props.open]);

  const finish = async (values: T) => {
    setBusy(true);
    setError(null);
    try {
      await props.onSubmit(values, form);
    } catch (e) {
      setError(applyProblem(form, e, props.fields, props.rename));
    } finally {
      setBusy(false);
    }
  };

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
          onFinish={finish}
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
