-- Secret endpoint headers (Authorization, X-Api-Key, … and those the user
-- marks secret) are sealed like credentials: headers keeps the others, in
-- JSON, and sealed_headers the secret ones, a sealed JSON object (NULL when
-- there are none). Rows written before keep their secret headers in headers
-- until the store seals them when it opens (sealPlaintextHeaders).

ALTER TABLE endpoints ADD COLUMN sealed_headers BLOB;
