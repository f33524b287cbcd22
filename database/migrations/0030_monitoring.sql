-- Monitoring: statement statistics for the metrics service's slow-query view. The server must preload the
-- library (infra/postgres.sh does; see README); without it the extension exists but its view reports an error,
-- which /admin/metrics shows instead of failing.
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;

-- The W3C trace context of the request that wrote an outbox row, so the publish and every consumer join
-- that request's trace instead of starting one of their own.
ALTER TABLE outbox_messages ADD COLUMN IF NOT EXISTS trace_parent text;
