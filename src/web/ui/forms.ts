import { useState } from 'react';
import { ApiError, errorText } from '../api/client.ts';

/**
 * What both apps' form instances (antd, antd-mobile) offer for showing server field errors.
 * Field names are typed per form there; here they are the server's paths, hence `never`.
 */
export interface FieldsForm {
  setFields(fields: { name: never; errors: string[] }[]): void;
}

/**
 * Shows a failed request on a form: field errors from the problem's `errors` go onto the
 * matching fields (paths like `grant.nodeRef` can be renamed with `rename`), and the
 * problem's `detail` is returned for the alert above the form.
 */
export function applyProblem(
  form: FieldsForm | null,
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
    if (byField.size) form.setFields([...byField].map(([name, errors]) => ({ name: name as never, errors })));
  }
  return errorText(e);
}

export interface Submit<V> {
  /** The request is running (for the submit button's spinner). */
  busy: boolean;
  /** What to show above the form (already in the user's language), or null. */
  error: string | null;
  setError: (error: string | null) => void;
  /** The form's onFinish: runs the action; a failure lands on the fields and in `error`. */
  submit: (values: V) => Promise<void>;
}

/** Busy and error state around a form's save action, the same in both apps. */
export function useSubmit<V>(
  action: (values: V) => Promise<void>,
  {
    form,
    fields,
    rename,
  }: { form: FieldsForm | null; fields: readonly string[]; rename?: Record<string, string> },
): Submit<V> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (values: V) => {
    setBusy(true);
    setError(null);
    try {
      await action(values);
    } catch (e) {
      setError(applyProblem(form, e, fields, rename));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, submit };
}
