import { Button, Form } from 'antd-mobile';
import type { ReactNode } from 'react';
import type { Submit } from '../ui/forms.ts';

/**
 * The phone app's form: the problem in a banner above, card-style fields with labels on top,
 * and one large submit button (`submitText`) below.
 */
export function MForm<V>({
  form,
  name,
  state,
  submitText,
  children,
}: {
  form: ReturnType<typeof Form.useForm>[0];
  name: string;
  state: Submit<V>;
  submitText: string;
  children: ReactNode;
}) {
  return (
    <>
      {state.error && (
        <div className="m-error" role="alert">
          {state.error}
        </div>
      )}
      <Form
        form={form}
        name={name}
        className="m-form"
        requiredMarkStyle="none"
        layout="vertical"
        mode="card"
        onFinish={state.submit}
        footer={
          <Button block type="submit" color="primary" size="large" className="m-btn-big" loading={state.busy}>
            {submitText}
          </Button>
        }
      >
        {children}
      </Form>
    </>
  );
}
