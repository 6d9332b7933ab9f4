-- Spring Modulith's event publication registry (its JDBC schema, version 2), shared by every module's
-- @ApplicationModuleListener: a publication is written in the transaction that publishes the event, so an event
-- committed with its change is still delivered after a crash. Written for H2 and PostgreSQL alike.
CREATE TABLE event_publication (
    id                      UUID                     NOT NULL PRIMARY KEY,
    listener_id             VARCHAR(512)             NOT NULL,
    event_type              VARCHAR(512)             NOT NULL,
    serialized_event        VARCHAR(4000)            NOT NULL,
    publication_date        TIMESTAMP WITH TIME ZONE NOT NULL,
    completion_date         TIMESTAMP WITH TIME ZONE,
    status                  VARCHAR(20),
    completion_attempts     INTEGER,
    last_resubmission_date  TIMESTAMP WITH TIME ZONE
);
CREATE INDEX event_publication_by_completion_date ON event_publication (completion_date);
CREATE INDEX event_publication_by_status ON event_publication (status);
