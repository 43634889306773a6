-- Rate-limit events shared by every `serve` node of one database (sign-in, sign-up, mail),
-- so that the limits hold for the whole site behind a load balancer, not per node.
CREATE TABLE rate_events (
    key TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX rate_events_key_at ON rate_events (key, at);
CREATE INDEX rate_events_at ON rate_events (at);
