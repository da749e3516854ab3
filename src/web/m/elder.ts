import { useSyncExternalStore } from 'react';

/**
 * 大字模式: larger type, stronger contrast and bigger touch targets for elderly residents. One
 * switch, remembered on the device (it is needed before signing in, and an elderly resident's
 * phone is theirs), applied as a class on <html> so every page and antd-mobile's own
 * components follow (m.css `.m-elder`).
 */
const KEY = 'gz-elder';
const CLASS = 'm-elder';
const listeners = new Set<() => void>();

function stored(): boolean {
  try {
    return localStorage.getItem(KEY) === '1';
  } catch {
    return false;
  }
}

function apply(on: boolean) {
  document.documentElement.classList.toggle(CLASS, on);
}

/** At start-up, before the first render: the page never flashes at the small size. */
export function applyElderMode() {
  apply(stored());
}

export function setElderMode(on: boolean) {
  try {
    if (on) localStorage.setItem(KEY, '1');
    else localStorage.removeItem(KEY);
  } catch {
    // Private browsing without storage: the switch still works for this visit.
  }
  apply(on);
  for (const l of listeners) l();
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

export function useElderMode(): [boolean, (on: boolean) => void] {
  const on = useSyncExternalStore(subscribe, () => document.documentElement.classList.contains(CLASS));
  return [on, setElderMode];
}
