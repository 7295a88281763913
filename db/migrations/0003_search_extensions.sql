-- Typo-tolerant product search: trigram similarity (pg_trgm ships with PostgreSQL's contrib and
-- with PGlite, which loads it when the database opens).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
-- array_to_string is only STABLE (it formats elements through their type's output function), so
-- a generated column cannot call it; for text[] that output never changes, which makes this
-- wrapper truly immutable.
CREATE OR REPLACE FUNCTION catalog_tags_text(tags text[]) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT coalesce(array_to_string(tags, ' '), '') $$;
