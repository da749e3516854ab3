-- Instances cache signed-in sessions for a few seconds (auth/session-cache.ts). Whatever changes
-- who a user is or what they may do (a grant, the account, a session ended) tells every instance
-- to forget that user's cached sessions, through the live-events channel. A trigger, so that no
-- writer (the API, the CLI, an administrator's SQL) can forget to.
CREATE FUNCTION gongzhi_session_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  uid bigint;
BEGIN
  IF TG_TABLE_NAME = 'users' THEN
    uid := COALESCE(NEW.id, OLD.id);
  ELSIF TG_OP = 'DELETE' THEN
    uid := OLD.user_id;
  ELSE
    uid := NEW.user_id;
  END IF;
  PERFORM pg_notify('gongzhi_events', json_build_object('kind', 'session', 'userId', uid)::text);
  -- Nested, not AND: PL/pgSQL may evaluate OLD.user_id on a users row, which has none.
  IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'grants' THEN
    IF OLD.user_id <> NEW.user_id THEN
      PERFORM pg_notify('gongzhi_events', json_build_object('kind', 'session', 'userId', OLD.user_id)::text);
    END IF;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER grants_session_changed AFTER INSERT OR UPDATE OR DELETE ON grants
  FOR EACH ROW EXECUTE FUNCTION gongzhi_session_changed();
--> statement-breakpoint
-- Not failed_logins or locked_until: those matter only at sign-in, which reads the database.
CREATE TRIGGER users_session_changed AFTER UPDATE OF phone, name, locale, disabled, sessions_valid_after OR DELETE ON users
  FOR EACH ROW EXECUTE FUNCTION gongzhi_session_changed();
--> statement-breakpoint
-- Not updates: the once-a-minute touch of last_seen_at is made through the cache itself.
CREATE TRIGGER sessions_session_changed AFTER DELETE ON sessions
  FOR EACH ROW EXECUTE FUNCTION gongzhi_session_changed();
