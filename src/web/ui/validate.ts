import type { TFunction } from 'i18next';

/** Client-side checks mirroring the contracts, without pulling zod into the phone bundle. */
export const PHONE_RE = /^1\d{10}$/;
export const OTP_RE = /^\d{6}$/;
export const MIN_PASSWORD = 8;

export const isPhone = (s: string) => PHONE_RE.test(s.trim());

/**
 * A field rule both apps' forms understand (antd and antd-mobile share rc-field-form's rules),
 * so the console and the phone app check a field the same way with the same words.
 */
export interface FieldRule {
  required?: boolean;
  whitespace?: boolean;
  pattern?: RegExp;
  min?: number;
  max?: number;
  message?: string;
  validator?: (rule: unknown, value: unknown) => Promise<void>;
}
export type FormRule = FieldRule | ((form: { getFieldValue(name: string): unknown }) => FieldRule);

/** 手机号: required, 11 digits starting with 1. */
export const phoneRules = (t: TFunction): FormRule[] => [
  { required: true, message: t('validation.phone') },
  { pattern: PHONE_RE, message: t('validation.phone') },
];

/** 验证码: required, 6 digits. */
export const codeRules = (t: TFunction): FormRule[] => [
  { required: true, message: t('validation.code') },
  { pattern: OTP_RE, message: t('validation.code') },
];

/** The password of a login form: only required (its length is the server's business). */
export const loginPasswordRules = (t: TFunction): FormRule[] => [
  { required: true, message: t('validation.required', { field: t('auth.password') }) },
];

/** 新密码 when changing one's password. */
export const newPasswordRules = (t: TFunction): FormRule[] => [
  { required: true, message: t('validation.required', { field: t('settings.newPassword') }) },
  { min: MIN_PASSWORD, message: t('validation.passwordMin') },
];

/** 确认新密码: required and equal to the `newPassword` field (give the item `dependencies`). */
export const confirmPasswordRules = (t: TFunction): FormRule[] => [
  { required: true, message: t('validation.required', { field: t('settings.confirmPassword') }) },
  ({ getFieldValue }) => ({
    validator: (_, value) =>
      !value || getFieldValue('newPassword') === value
        ? Promise.resolve()
        : Promise.reject(new Error(t('validation.passwordMismatch'))),
  }),
];

/** A required name-like text (not only spaces) of at most `max` (and at least `min`) characters. */
export const nameRules = (
  t: TFunction,
  field: string,
  { min, max }: { min?: number; max: number },
): FormRule[] => [
  { required: true, whitespace: true, message: t('validation.required', { field }) },
  min === undefined ? { max } : { min, max },
];
