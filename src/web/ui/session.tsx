import { createContext, type ReactNode, use, useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError, setUnauthorizedHandler } from '../api/client.ts';
import { logout as apiLogout, getMe, type Locale, type Me, updateMe } from '../api/index.ts';
import { applyLang, type Lang } from '../i18n/index.ts';

/**
 * Who is signed in, shared by both apps. `me === undefined` while the first /me probe runs,
 * `null` when signed out. Any 401 from the API signs the UI out (the router then shows login).
 */
interface Session {
  me: Me | null | undefined;
  /** Call after a successful login or a PATCH /me. */
  setMe: (me: Me | null) => void;
  logout: () => Promise<void>;
  /** Persist the language: on the account when signed in, on this device otherwise. */
  setLanguage: (lang: Lang) => Promise<void>;
  /** True after the user logged out themselves (not after a session expiry). */
  loggedOut: boolean;
  /** Set when the first probe failed for another reason than "not signed in". */
  bootError: string | null;
  retry: () => void;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMeState] = useState<Me | null | undefined>(undefined);
  const [bootError, setBootError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [loggedOut, setLoggedOut] = useState(false);

  const setMe = useCallback((next: Me | null) => {
    setMeState(next);
    setLoggedOut(next === null);
    if (next) void applyLang(next.locale);
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(() => setMeState(null));
    return () => setUnauthorizedHandler(null);
  }, []);

  useEffect(() => {
    // `attempt` re-runs the probe after a network failure.
    void attempt;
    let live = true;
    setBootError(null);
    getMe({ allow401: true })
      .then((m) => live && setMe(m))
      .catch((e: unknown) => {
        if (!live) return;
        if (e instanceof ApiError && e.status === 401) setMeState(null);
        else setBootError(e instanceof ApiError ? e.detail : String(e));
      });
    return () => {
      live = false;
    };
  }, [attempt, setMe]);

  const logout = useCallback(async () => {
    try {
      await apiLogout();
    } finally {
      setLoggedOut(true);
      setMeState(null);
    }
  }, []);

  const setLanguage = useCallback(
    async (lang: Lang) => {
      if (me) {
        const updated = await updateMe({ locale: lang as Locale });
        setMe(updated);
      } else {
        await applyLang(lang);
      }
    },
    [me, setMe],
  );

  const value = useMemo<Session>(
    () => ({ me, setMe, logout, setLanguage, loggedOut, bootError, retry: () => setAttempt((n) => n + 1) }),
    [me, setMe, logout, setLanguage, loggedOut, bootError],
  );
  return <SessionContext value={value}>{children}</SessionContext>;
}

export function useSession(): Session {
  const s = use(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

/** The signed-in user; only for components rendered behind the login guard. */
export function useMe(): Me {
  const { me } = useSession();
  if (!me) throw new Error('useMe without a signed-in user');
  return me;
}
