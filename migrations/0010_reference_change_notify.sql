-- Instances keep small reference tables in memory (core/cache.ts): the working calendar's
-- overrides and the compounds a report is placed in. Every change, by whatever writer, tells
-- them to read the table again.
CREATE FUNCTION gongzhi_table_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('gongzhi_events', json_build_object('kind', 'changed', 'table', TG_TABLE_NAME)::text);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER calendar_overrides_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON calendar_overrides
  FOR EACH STATEMENT EXECUTE FUNCTION gongzhi_table_changed();
--> statement-breakpoint
CREATE TRIGGER compounds_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON compounds
  FOR EACH STATEMENT EXECUTE FUNCTION gongzhi_table_changed();
