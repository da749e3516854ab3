/** Client-side checks mirroring the contracts, without pulling zod into the phone bundle. */
export const PHONE_RE = /^1\d{10}$/;
export const OTP_RE = /^\d{6}$/;
export const MIN_PASSWORD = 8;

export const isPhone = (s: string) => PHONE_RE.test(s.trim());
