import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { changePassword, login, loginWithOtp, type Me, requestOtp } from '../api/index.ts';
import { useCountdown } from './countdown.ts';
import { applyProblem, type FieldsForm, type Submit, useSubmit } from './forms.ts';
import { confirmPasswordRules, type FormRule, newPasswordRules } from './validate.ts';

/**
 * Sign-in and password logic shared by the console (antd) and the phone app (antd-mobile):
 * each app draws its own fields; what is sent, and how failures show, is decided here once.
 */

export interface PasswordLoginValues {
  phone: string;
  password: string;
}

export interface SmsLoginValues {
  phone: string;
  code: string;
}

export interface PasswordChangeValues {
  currentPassword?: string;
  newPassword: string;
  confirm: string;
}

/** 密码登录: a wrong phone or password lands on the fields and in `error`. */
export function usePasswordLogin(form: FieldsForm, onDone: (me: Me) => void): Submit<PasswordLoginValues> {
  return useSubmit<PasswordLoginValues>(async (v) => onDone(await login(v.phone.trim(), v.password)), {
    form,
    fields: ['phone', 'password'],
  });
}

/** A form with a `phone` field (to check before a code is sent). */
export interface PhoneForm extends FieldsForm {
  validateFields(nameList: ['phone']): Promise<{ phone: string }>;
}

export interface SendCode {
  send: () => Promise<void>;
  sending: boolean;
  /** Seconds until the code may be requested again (0: now). */
  left: number;
  /** "获取验证码", or "59 秒后重新获取" while counting down. */
  label: string;
}

/**
 * "获取验证码": checks the form's phone field, asks for a code and counts down before the next.
 * `onSent` confirms to the user; a refusal goes onto the phone field and through `setError`.
 */
export function useSendCode(
  form: PhoneForm,
  { onSent, setError }: { onSent: () => void; setError: (error: string | null) => void },
): SendCode {
  const { t } = useTranslation();
  const [left, start] = useCountdown();
  const [sending, setSending] = useState(false);

  const send = async () => {
    setError(null);
    let phone: string;
    try {
      phone = String((await form.validateFields(['phone'])).phone).trim();
    } catch {
      return;
    }
    setSending(true);
    try {
      const r = await requestOtp(phone);
      // At least 60 s: the server's retryAfter is what is left of its rate-limit window, often less.
      start(Math.max(60, r.retryAfter || 0));
      onSent();
    } catch (e) {
      setError(applyProblem(form, e, ['phone']));
    } finally {
      setSending(false);
    }
  };

  const label = left > 0 ? t('auth.resendIn', { seconds: left }) : t('auth.sendCode');
  return { send, sending, left, label };
}

/** 短信登录: sending the code and logging in with it; both show their failures in one `error`. */
export function useSmsLogin(
  form: PhoneForm,
  onDone: (me: Me) => void,
  onSent: () => void,
): Submit<SmsLoginValues> & { code: SendCode } {
  const submit = useSubmit<SmsLoginValues>(
    async (v) => onDone(await loginWithOtp(v.phone.trim(), v.code.trim())),
    { form, fields: ['phone', 'code'] },
  );
  const code = useSendCode(form, { onSent, setError: submit.setError });
  return { ...submit, code };
}

export interface PasswordChangeField {
  name: keyof PasswordChangeValues;
  label: string;
  help?: string;
  rules?: FormRule[];
  dependencies?: string[];
  autoComplete: 'current-password' | 'new-password';
}

/** The fields of the change-password form, in order, with their words and checks. */
export function passwordChangeFields(t: TFunction): PasswordChangeField[] {
  return [
    {
      name: 'currentPassword',
      label: t('settings.currentPassword'),
      help: t('settings.currentPasswordHelp'),
      autoComplete: 'current-password',
    },
    {
      name: 'newPassword',
      label: t('settings.newPassword'),
      help: t('settings.newPasswordHelp'),
      rules: newPasswordRules(t),
      autoComplete: 'new-password',
    },
    {
      name: 'confirm',
      label: t('settings.confirmPassword'),
      rules: confirmPasswordRules(t),
      dependencies: ['newPassword'],
      autoComplete: 'new-password',
    },
  ];
}

/** 修改密码: the current password may be left empty (SMS-only accounts have none). */
export function useChangePassword(form: FieldsForm, onChanged: () => void): Submit<PasswordChangeValues> {
  return useSubmit<PasswordChangeValues>(
    async (v) => {
      await changePassword({ currentPassword: v.currentPassword || undefined, newPassword: v.newPassword });
      onChanged();
    },
    { form, fields: ['currentPassword', 'newPassword'] },
  );
}
