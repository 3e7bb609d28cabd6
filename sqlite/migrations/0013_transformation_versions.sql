-- Every save of an endpoint's transformation (code, enabled flag, the
-- template it came from) is a numbered version, kept while the endpoint
-- lives (the newest 200). The endpoint row names the template and the
-- version it holds; each attempt names the version that produced its
-- request (0: made before versions were kept). An endpoint stored before
-- gets its transformation as version 1, saved by no one known.

ALTER TABLE endpoints ADD COLUMN transformation_template TEXT NOT NULL DEFAULT '';
ALTER TABLE endpoints ADD COLUMN transformation_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE attempts ADD COLUMN transformation_version INTEGER NOT NULL DEFAULT 0;

CREATE TABLE transformation_versions (
    endpoint_id   TEXT NOT NULL REFERENCES endpoints (id) ON DELETE CASCADE,
    number        INTEGER NOT NULL,
    code          TEXT NOT NULL,
    enabled       INTEGER NOT NULL,
    template      TEXT NOT NULL,
    saved_by      TEXT NOT NULL,
    restored_from INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (endpoint_id, number)
) STRICT, WITHOUT ROWID;

INSERT INTO transformation_versions (endpoint_id, number, code, enabled, template, saved_by, restored_from, created_at)
SELECT id, 1, transformation_code, transformation_enabled, '', '', 0, updated_at FROM endpoints;
