/** 13812345678 → 138****5678. Personal data is masked unless a role needs it and the read is audited. */
export function maskPhone(phone: string): string {
  if (phone.length < 7) return '*'.repeat(phone.length);
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}

/** 张三 → 张*, 欧阳明日 → 欧***; Latin names keep the first letter. */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return name;
  return chars[0] + '*'.repeat(chars.length - 1);
}
