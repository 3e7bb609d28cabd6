-- The customer index: a message about a customer has one row per key it
-- names (its customer id as it is, its e-mail address in lower case; see
-- hookbridge.CustomerKeys), written with the message and deleted with it.
-- The timeline walks the primary key from the newest message down;
-- retention finds a message's rows by message_customers_by_message. Same
-- meaning as SQLite's 0012_message_customers.
CREATE TABLE message_customers (
    app_id       text NOT NULL,
    customer_key text NOT NULL,
    message_id   text NOT NULL,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (app_id, customer_key, message_id)
);
CREATE INDEX message_customers_by_message ON message_customers (message_id);
