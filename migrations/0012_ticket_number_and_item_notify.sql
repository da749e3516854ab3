-- A report's number within its Shanghai day, from a sequence: nothing is locked, so concurrent
-- reports do not wait for each other's COMMIT (a counter row made every report queue behind the
-- previous one). The day's first call fixes `base` so that the day counts on after any numbers
-- handed out in blocks (`last`, which stays put once the base is fixed). A number taken before
-- another session fixed the base would land among those: it is taken again. Numbers are unique
-- within the day; a rolled-back report leaves a gap, as it did before.
CREATE FUNCTION gongzhi_ticket_number(d date) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  s bigint;
  b bigint;
  l integer;
BEGIN
  LOOP
    s := nextval('ticket_number_seq');
    SELECT base, last INTO b, l FROM ticket_numbers WHERE day = d;
    IF b IS NULL THEN
      INSERT INTO ticket_numbers (day, last, base) VALUES (d, 0, s - 1)
        ON CONFLICT (day) DO UPDATE SET base = s - 1 - ticket_numbers.last WHERE ticket_numbers.base IS NULL;
      SELECT base, last INTO b, l FROM ticket_numbers WHERE day = d;
    END IF;
    IF s - b > l THEN
      RETURN s - b;
    END IF;
  END LOOP;
END
$$;
--> statement-breakpoint
-- Instances also keep the current responsibility list's items (core/cache.ts): every report
-- naming a matter reads its deadlines.
CREATE TRIGGER responsibility_items_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON responsibility_items
  FOR EACH STATEMENT EXECUTE FUNCTION gongzhi_table_changed();
--> statement-breakpoint
CREATE TRIGGER responsibility_lists_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON responsibility_lists
  FOR EACH STATEMENT EXECUTE FUNCTION gongzhi_table_changed();
