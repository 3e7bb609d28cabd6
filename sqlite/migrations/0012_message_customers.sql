-- The customer index: a message about a customer has one row per key it
-- names (its customer id as it is, its e-mail address in lower case; see
-- hookbridge.CustomerKeys), written with the message and deleted with it.
-- The timeline walks the primary key from the newest message down;
-- retention finds a message's rows by message_customers_by_message.
CREATE TABLE message_customers (
    app_id       TEXT NOT NULL,
    customer_key TEXT NOT NULL,
    message_id   TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (app_id, customer_key, message_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX message_customers_by_message ON message_customers (message_id);
