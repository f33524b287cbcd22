-- Media's transactional outbox: an image row and its announcement to catalog (ProductImageChanged) commit
-- together, so an upload made while RabbitMQ or catalog is down is announced when they are back.
-- Same columns as catalog's outbox_messages; aggregate_id is the media image id (one image's messages leave in order).
CREATE TABLE media_outbox (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_type  text        NOT NULL,
    aggregate_id  bigint      NOT NULL,
    payload       jsonb       NOT NULL,
    occurred_at   timestamptz NOT NULL DEFAULT now(),
    published_at  timestamptz,
    attempts      integer     NOT NULL DEFAULT 0,
    last_error    text,
    trace_parent  text
);

CREATE INDEX idx_media_outbox_unpublished ON media_outbox (aggregate_id, id) WHERE published_at IS NULL;
