-- Instances keep the working calendar in memory (core/cache.ts); every change to its overrides,
-- by whatever writer, tells them to read it again.
CREATE FUNCTION gongzhi_table_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('gongzhi_events', json_build_object('kind', 'changed', 'table', TG_TABLE_NAME)::text);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER calendar_overrides_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON calendar_overrides
  FOR EACH STATEMENT EXECUTE FUNCTION gongzhi_table_changed();
